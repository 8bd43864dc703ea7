"""Request middleware: request ids, session timeouts, the no-role gate, two-factor enforcement,
security headers.

Request ids: every request gets one (or keeps the proxy's X-Request-ID) for logs and audit.
"""

import contextvars
import logging
import re
import time
import uuid
import zoneinfo
from contextlib import ExitStack

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.preferences import LANGUAGE_SESSION_KEY, TIME_ZONE_SESSION_KEY, language_cookie_set
from core.roles import role_of
from core.sessions import AUTH_AT_KEY, SEEN_AT_KEY, session_timestamps_set
from core.twofactor import ENROLLED_SESSION_KEY, is_verified, second_factor_required

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_request_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
security_log = logging.getLogger("envoy.security")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SessionTimeoutMiddleware:
    """End a session after `SESSION_IDLE_TIMEOUT_SECONDS` without a request, or
    `SESSION_ABSOLUTE_TIMEOUT_SECONDS` after login, whichever comes first.

    The login time and last activity are written to the session at login (core.signals); activity
    is refreshed at most once a minute so ordinary requests do not rewrite the session.
    """

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = time.time()
            auth_at = session.get(AUTH_AT_KEY)
            seen_at = session.get(SEEN_AT_KEY)
            if auth_at is None or seen_at is None:
                # A session from before timeouts existed: start counting now.
                session_timestamps_set(session, now=now)
            elif now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS or (
                now - seen_at > settings.SESSION_IDLE_TIMEOUT_SECONDS
            ):
                kind = "absolute" if now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS else "idle"
                security_log.info("session-expired user=%s kind=%s", request.user.get_username(), kind)
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
            elif now - seen_at > self.REFRESH_SECONDS:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)


class NoRoleMiddleware:
    """A signed-in user in no role group sees login, logout and a page saying the account has no role
    yet — nothing else: no page, no API (schema and Swagger UI included), no account or two-factor
    set-up, no admin. One gate in front of every route, so a new route cannot forget it.

    Token-authenticated API calls are not signed in at this point (DRF authenticates them in the
    view); `RolePermission`, the API's default and the schema's, refuses a role-less token there.
    """

    OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.OPEN_PREFIXES) or role_of(user) is not None:
            return self.get_response(request)
        security_log.warning("access-denied user=%s path=%s reason=no role", user.get_username(), request.path)
        if request.path.startswith("/api/"):
            message = _("Your account has no role yet. Ask a team lead or an administrator to give you one.")
            return JsonResponse({"error": {"code": "no_role", "message": message, "details": {}}}, status=403)
        return render(request, "core/no_role.html", status=403)


class TwoFactorMiddleware:
    """Send a user who needs a second factor to the set-up or verify page until they pass it.

    Applies to every page except login/logout, the two-factor pages themselves and static files;
    API calls with a session get a 403 error envelope instead of a redirect.
    """

    EXEMPT_PREFIXES = ("/login/", "/logout/", "/account/two-factor/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.EXEMPT_PREFIXES) or not second_factor_required(request):
            return self.get_response(request)
        if is_verified(request.user):
            return self.get_response(request)
        security_log.info("second-factor-required user=%s path=%s", request.user.get_username(), request.path)
        if request.path.startswith("/api/"):
            body = {
                "error": {
                    "code": "second_factor_required",
                    "message": "Verify your second factor in the web interface first.",
                    "details": {},
                }
            }
            return JsonResponse(body, status=403)
        target = "two-factor-verify" if request.session.get(ENROLLED_SESSION_KEY) else "two-factor-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class ContentSecurityPolicyMiddleware:
    """Send `settings.CONTENT_SECURITY_POLICY` on every response that does not set its own.

    The policy allows scripts and styles from this origin only: no inline `<script>`, no
    `style=` attributes, no third-party hosts. JavaScript lives in static files.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.CONTENT_SECURITY_POLICY
        self.policy = "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class PrivateNoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to an authenticated request.

    Pages and API answers for signed-in users carry personal data; no browser or proxy cache may keep
    them. Anonymous responses (login page, health check) and static files keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = "Authorization" in request.headers or (user is not None and user.is_authenticated)
        if authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class AuditContextMiddleware:
    """Attribute database writes made while handling a request to its user and request id.

    The user is read when a write happens, so API token authentication (done later, by DRF) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(source="web", request=request):
            return self.get_response(request)


class QueryCountHeaderMiddleware:
    """Benchmarks only: count the SQL queries each request runs and send the count back as headers.

    `X-Query-Count` (queries on every database connection) and `X-Query-Time-Ms` (time spent in them),
    measured with `execute_wrapper`, so it works with DEBUG off under gunicorn. Off unless the
    `QUERY_COUNT_HEADER` setting is true (the bench settings read it from the environment): the
    header tells a client about the server's internals, which production must not do.
    """

    def __init__(self, get_response):
        if not getattr(settings, "QUERY_COUNT_HEADER", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        stats = {"count": 0, "seconds": 0.0}

        def _counting(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["count"] += 1
                stats["seconds"] += time.perf_counter() - started

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(_counting))
            response = self.get_response(request)
        response["X-Query-Count"] = str(stats["count"])
        response["X-Query-Time-Ms"] = f"{stats['seconds'] * 1000:.1f}"
        return response


class RejectNulBytesMiddleware:
    """Answer 400 to a path or query string carrying NUL bytes: PostgreSQL text cannot hold them.

    One place instead of every filter and URL parameter: without it such a value reaches the database
    and fails there (`/states/%00/` looked the state code up and answered 500). Form and serializer
    fields refuse NUL characters themselves (Django's and DRF's CharField validators).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return self._bad_request(request)
        # The raw query string is percent-encoded: only the decoded keys and values can hold a NUL.
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return self._bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _bad_request(request):
        from django.http import HttpResponseBadRequest, JsonResponse

        message = "The request contains a NUL character."
        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": "invalid", "message": message, "details": {}}}, status=400)
        return HttpResponseBadRequest(message)


class UserPreferenceMiddleware:
    """Activate the signed-in user's language and time zone from the session (core.preferences).

    After `LocaleMiddleware` (whose choice from the cookie or Accept-Language stands when the user
    chose nothing) and after authentication. The chosen language is also written to the language
    cookie, so the login page after a logout stays in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = time_zone = None
        # Only a session that exists is read: an anonymous request without one costs nothing.
        if session is not None and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            language = session.get(LANGUAGE_SESSION_KEY)
            time_zone = session.get(TIME_ZONE_SESSION_KEY)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if time_zone:
            timezone.activate(zoneinfo.ZoneInfo(time_zone))
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            language_cookie_set(response, language)
        return response
