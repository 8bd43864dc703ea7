"""Account pages: the user's own security settings, language and time zone, and the two-factor steps."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from core.errors import DomainValidationError
from core.forms import PreferenceForm, TokenForm
from core.preferences import language_codes, language_cookie_set, preference_of, user_preference_set
from core.roles import Role, has_role, role_of
from core.twofactor import (
    enrolled_mark,
    is_verified,
    totp_device_confirmed,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
)

security_log = logging.getLogger("envoy.security")


def _next_url(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _token_error(device) -> str:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes: wait a little, then enter the newest code.")
    return _("That code did not match. Check the time on your phone and enter the newest code.")


@method_decorator(never_cache, name="dispatch")
class AccountView(LoginRequiredMixin, View):
    """The signed-in user's role and two-factor status."""

    def _render(self, request, form, status=200):
        role = role_of(request.user)
        return render(
            request,
            "core/account.html",
            {
                "role": role.label if role else None,
                "device": totp_device_confirmed(user=request.user),
                "verified": is_verified(request.user),
                "required": has_role(request.user, Role.ADMIN),
                "preference_form": form,
            },
            status=status,
        )

    def get(self, request):
        preference = preference_of(user=request.user)
        initial = {"language": preference.language, "time_zone": preference.time_zone} if preference else {}
        return self._render(request, PreferenceForm(initial=initial))

    def post(self, request):
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        user_preference_set(user=request.user, session=request.session, **form.cleaned_data)
        messages.success(request, _("Your language and time zone are saved."))
        return redirect("account")


class LanguageSetView(View):
    """The header's language switch: the chosen language for this browser and, when signed in, for the
    user everywhere (stored, so it follows them to another computer). URLs do not change."""

    def post(self, request):
        language = request.POST.get("language", "")
        back = _next_url(request)
        if language not in language_codes():
            return redirect(back)
        if request.user.is_authenticated:
            try:
                user_preference_set(user=request.user, session=request.session, language=language)
            except DomainValidationError:
                return redirect(back)
        response = redirect(back)
        language_cookie_set(response, language)
        return response


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(LoginRequiredMixin, View):
    """Enrol an authenticator app: scan the QR code (drawn locally), then confirm with a code."""

    def _render(self, request, form, status=200):
        device = totp_device_pending(user=request.user)
        context = {
            "form": form,
            "qr_svg": totp_qr_svg(device),
            "secret": totp_secret_text(device),
            "next": _next_url(request, ""),
            "required": has_role(request.user, Role.ADMIN),
        }
        return render(request, "core/two_factor_setup.html", context, status=status)

    def get(self, request):
        if totp_device_confirmed(user=request.user) is not None:
            messages.info(request, _("Two-factor authentication is already on for your account."))
            if is_verified(request.user):
                return redirect(_next_url(request, "/account/"))
            return redirect(f"{reverse('two-factor-verify')}?{request.GET.urlencode()}")
        return self._render(request, TokenForm())

    def post(self, request):
        if totp_device_confirmed(user=request.user) is not None:
            return redirect("two-factor-verify")
        form = TokenForm(request.POST)
        device = totp_device_pending(user=request.user)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            enrolled_mark(session=request.session, user=request.user)
            security_log.info("second-factor-enrolled user=%s", request.user.get_username())
            messages.success(request, _("Two-factor authentication is on. You will be asked for a code at login."))
            return redirect(_next_url(request, "/account/"))
        if form.is_valid():
            form.add_error("token", _token_error(device))
        security_log.warning("second-factor-enrol-failed user=%s", request.user.get_username())
        return self._render(request, form, status=400)


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(LoginRequiredMixin, View):
    """Ask for a code from the enrolled app after login (or before Admin pages)."""

    def get(self, request):
        if totp_device_confirmed(user=request.user) is None:
            return redirect(f"{reverse('two-factor-setup')}?{request.GET.urlencode()}")
        return render(request, "core/two_factor_verify.html", {"form": TokenForm(), "next": _next_url(request, "")})

    def post(self, request):
        device = totp_device_confirmed(user=request.user)
        if device is None:
            return redirect("two-factor-setup")
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            security_log.info("second-factor-verified user=%s", request.user.get_username())
            return redirect(_next_url(request))
        if form.is_valid():
            form.add_error("token", _token_error(device))
        security_log.warning(
            "second-factor-failed user=%s ip=%s", request.user.get_username(), request.META.get("REMOTE_ADDR", "-")
        )
        context = {"form": form, "next": _next_url(request, "")}
        return render(request, "core/two_factor_verify.html", context, status=400)
