"""Security logging for logins, failed logins and role changes."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

security_log = logging.getLogger("envoy.security")


def _client(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s ip=%s", user.get_username(), _client(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user=%s ip=%s", getattr(user, "username", "-"), _client(request))


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning("login-failed user=%s ip=%s", credentials.get("username", "-"), _client(request))
