"""Authentication backend that applies login throttling (django-axes) to every HTTP login."""

from axes.backends import AxesStandaloneBackend


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' lockout check, tolerant of request-less calls.

    Every HTTP entry point (login page, admin login, token endpoints) passes the request, so each is
    throttled. `authenticate()` without a request (test client `login()`, a shell) has no client
    address to throttle on; it skips the check instead of failing, and the password check that
    follows (ModelBackend) still applies.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
