"""Security logging (logins, failed logins, lockouts, deactivations) and account side effects.

Deactivating a user (is_active True -> False, through a service, Django admin, a management
command or any `save()`) ends all their sessions and revokes their API tokens. A queryset
`.update(is_active=False)` bypasses signals: use `core.services.user_deactivate` instead.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from core.preferences import session_preference_copy
from core.sessions import session_timestamps_set, sessions_end_for_user
from core.twofactor import enrolled_mark

security_log = logging.getLogger("envoy.security")


def _client(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s ip=%s", user.get_username(), _client(request))
    if request is not None and hasattr(request, "session"):
        session_timestamps_set(request.session)
        enrolled_mark(session=request.session, user=user)
        session_preference_copy(session=request.session, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user=%s ip=%s", getattr(user, "username", "-"), _client(request))


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning("login-failed user=%s ip=%s", credentials.get("username", "-"), _client(request))


@receiver(user_locked_out)
def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    security_log.warning("login-locked-out user=%s ip=%s", username or "-", ip_address or _client(request))


@receiver(pre_save, sender=get_user_model())
def _remember_previous_active_flag(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "is_active" not in update_fields:
        instance._envoy_was_active = None
        return
    if instance.pk is None:
        instance._envoy_was_active = None
        return
    instance._envoy_was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=get_user_model())
def _end_access_on_deactivation(sender, instance, created, **kwargs):
    if created or not getattr(instance, "_envoy_was_active", None) or instance.is_active:
        return
    instance._envoy_was_active = False
    from rest_framework.authtoken.models import Token

    user_id = instance.pk
    tokens, _ = Token.objects.filter(user_id=user_id).delete()
    # Again after commit: a request in flight for this user may save its session back meanwhile.
    ended = sessions_end_for_user(user_id=user_id)
    transaction.on_commit(lambda: sessions_end_for_user(user_id=user_id))
    security_log.warning(
        "user-deactivated user=%s sessions-ended=%s tokens-revoked=%s", instance.get_username(), ended, tokens
    )
