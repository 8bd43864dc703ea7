"""Session bookkeeping for the idle and absolute timeouts, and ending a user's sessions."""

from __future__ import annotations

import time

from django.contrib.sessions.models import Session
from django.utils import timezone

AUTH_AT_KEY = "_envoy_auth_at"
SEEN_AT_KEY = "_envoy_seen_at"


def session_timestamps_set(session, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[AUTH_AT_KEY] = now
    session[SEEN_AT_KEY] = now


def sessions_end_for_user(*, user_id: int) -> int:
    """Delete every live database session of the user; returns how many were ended.

    Sessions are stored encoded, so each live session is decoded: fine for a staff-sized team
    (hundreds of sessions), and it also catches sessions created before this code existed.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            ended += 1
    return ended
