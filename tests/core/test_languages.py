"""Both official languages: the catalogue is complete, each user's language and time zone follow them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import DomainValidationError
from core.models import UserPreference
from core.preferences import LANGUAGE_SESSION_KEY, TIME_ZONE_SESSION_KEY, user_preference_set
from core.roles import Role

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_the_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(CATALOGUE))
    entries = [entry for entry in catalogue if not entry.obsolete]
    assert len(entries) > 1000
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n > 1)")


def test_translated_strings_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sdr]|%[sd]|%%")
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid_plural:
            for translation in entry.msgstr_plural.values():
                assert sorted(set(placeholder.findall(translation))) <= sorted(
                    set(placeholder.findall(entry.msgid) + placeholder.findall(entry.msgid_plural))
                ), entry.msgid
        else:
            assert sorted(placeholder.findall(entry.msgstr)) == sorted(placeholder.findall(entry.msgid)), entry.msgid


@pytest.mark.django_db
def test_a_french_speaking_officer_reads_the_dashboard_in_french(make_user, client_for):
    officer = make_user(Role.OFFICER)
    user_preference_set(user=officer, language="fr")
    client = client_for(officer)  # logging in copies the preference into the session
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in body
    assert "Tableau de bord" in body
    assert "Qui appeler ensuite" in body
    assert ">English</button>" in body  # the switch offers the other language
    assert '<span class="badge">Agent</span>' in body  # the role in the header, in French too
    assert "<dd>Agent</dd>" in client.get("/account/").content.decode()


@pytest.mark.django_db
def test_without_a_preference_the_browser_language_is_used(make_user, client_for):
    client = client_for(make_user(Role.OFFICER))
    assert '<html lang="fr">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").content.decode()
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA").content.decode()


@pytest.mark.django_db
def test_the_preference_adds_no_query_to_a_page(make_user, client_for):
    officer = make_user(Role.OFFICER)
    client = client_for(officer)
    client.get("/")
    with CaptureQueriesContext(connection) as english:
        client.get("/")
    user_preference_set(user=officer, language="fr", time_zone="America/Vancouver", session=None)
    client = client_for(officer)
    client.get("/")
    with CaptureQueriesContext(connection) as french:
        response = client.get("/")
    assert '<html lang="fr">' in response.content.decode()
    assert len(french) == len(english)


@pytest.mark.django_db
def test_the_header_switch_saves_the_choice_and_returns_to_the_page(make_user, client_for):
    officer = make_user(Role.OFFICER)
    client = client_for(officer)
    response = client.post("/account/language/", {"language": "fr", "next": "/people/?q=a"})
    assert response.status_code == 302 and response["Location"] == "/people/?q=a"
    assert UserPreference.objects.get(user=officer).language == "fr"
    assert client.session[LANGUAGE_SESSION_KEY] == "fr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_switch_refuses_an_unsafe_next_and_an_unknown_language(make_user, client_for):
    officer = make_user(Role.OFFICER)
    client = client_for(officer)
    response = client.post("/account/language/", {"language": "fr", "next": "https://example.com/"})
    assert response["Location"] == "/"
    client.post("/account/language/", {"language": "de", "next": "/"})
    assert UserPreference.objects.get(user=officer).language == "fr"


@pytest.mark.django_db
def test_the_login_page_offers_both_languages(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Français</button>" in page
    response = client.post("/account/language/", {"language": "fr", "next": "/login/"})
    assert response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert '<html lang="fr">' in page and ">English</button>" in page


@pytest.mark.django_db
def test_the_account_page_saves_language_and_time_zone(make_user, client_for):
    officer = make_user(Role.OFFICER)
    client = client_for(officer)
    assert client.get("/account/").status_code == 200
    response = client.post("/account/", {"language": "fr", "time_zone": "America/Vancouver"})
    assert response.status_code == 302
    preference = UserPreference.objects.get(user=officer)
    assert (preference.language, preference.time_zone) == ("fr", "America/Vancouver")
    assert client.session[TIME_ZONE_SESSION_KEY] == "America/Vancouver"
    bad = client.post("/account/", {"language": "fr", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    assert 'value="fr" selected' in bad.content.decode()  # what was chosen is kept


@pytest.mark.django_db
def test_times_on_pages_are_in_the_users_time_zone(make_user, client_for, rf):
    from core.middleware import UserPreferenceMiddleware

    officer = make_user(Role.OFFICER)
    user_preference_set(user=officer, time_zone="America/Vancouver")
    client = client_for(officer)
    seen = {}

    def view(request):
        seen["zone"] = str(timezone.get_current_timezone())
        seen["local"] = timezone.localtime(dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)).hour
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.session.session_key
    request.session = client.session
    UserPreferenceMiddleware(view)(request)
    assert seen == {"zone": "America/Vancouver", "local": 9}


@pytest.mark.django_db
def test_bad_preferences_are_refused(make_user):
    user = make_user(Role.OFFICER)
    with pytest.raises(DomainValidationError):
        user_preference_set(user=user, language="de")
    with pytest.raises(DomainValidationError):
        user_preference_set(user=user, time_zone="Nowhere/Land")
    assert not UserPreference.objects.filter(user=user).exists()
