"""A staff member's language and time zone: stored once (`UserPreference`), read from the session.

Pages must not pay a query per request for this, so the preference is copied into the session at
login and whenever it changes, and `UserPreferenceMiddleware` activates what the session holds. With
no preference the language is the one `LocaleMiddleware` chose (the language cookie, else the
browser's Accept-Language) and the time zone is the deployment's `TIME_ZONE`.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainValidationError

LANGUAGE_SESSION_KEY = "envoy_language"
TIME_ZONE_SESSION_KEY = "envoy_time_zone"


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def time_zone_valid(name: str) -> bool:
    if not name:
        return True
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def preference_of(*, user):
    """The user's stored preference, or None when they never chose anything."""
    from core.models import UserPreference

    return UserPreference.objects.filter(user=user).first()


def session_preference_copy(*, session, user) -> None:
    """Put the user's stored choices into the session (at login)."""
    preference = preference_of(user=user)
    _session_set(session, preference.language if preference else "", preference.time_zone if preference else "")


def _session_set(session, language: str, time_zone: str) -> None:
    for key, value in ((LANGUAGE_SESSION_KEY, language), (TIME_ZONE_SESSION_KEY, time_zone)):
        if value:
            session[key] = value
        else:
            session.pop(key, None)


@transaction.atomic
def user_preference_set(*, user, session=None, language: str | None = None, time_zone: str | None = None):
    """Save the user's language and/or time zone (None leaves a value as it is; "" clears it)."""
    from core.models import UserPreference

    if language is not None and language and language not in language_codes():
        raise DomainValidationError(_("Unknown language."), details={"language": [_("Choose English or French.")]})
    if time_zone is not None and not time_zone_valid(time_zone):
        raise DomainValidationError(
            _("Unknown time zone."), details={"time_zone": [_("Use a time zone name such as America/Toronto.")]}
        )
    preference, _created = UserPreference.objects.get_or_create(user=user)
    if language is not None:
        preference.language = language
    if time_zone is not None:
        preference.time_zone = time_zone
    preference.save()
    if session is not None:
        _session_set(session, preference.language, preference.time_zone)
    return preference


def language_cookie_set(response, language: str) -> None:
    """Remember the language in Django's language cookie (for visitors and the next login)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
