"""A French-speaking officer's walk: dashboard, a state page, a person page, the log form and a packet
request, at 1,440 px, with no English left and nothing wider than the window.

"No English left" is checked against the catalogue itself: every translated message of two words or
more whose French differs from the English must not appear, in English, in the page's visible text.

Bundled scenario and pillar names read in French through the catalogue (trade/labels.py); the rest of
the reference data (scenario descriptions, HS chapter names, measure titles, notes, release titles) is
still English only. The first test takes it out of the page text before checking the interface; the
second, expected to fail until that data carries French, says which of it French readers still see.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import models
from playwright.sync_api import expect

from contacts.services import public_influence_refresh
from core.preferences import user_preference_set
from core.roles import Role
from tests.core.factories import PASSWORD
from trade.models import (
    DataRelease,
    HSChapter,
    Pillar,
    PillarHSCode,
    ScenarioRate,
    TariffMeasure,
    TariffScenario,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Same spelling in both languages, or a word that is a proper name on these pages.
SAME_IN_BOTH = {"Envoy CRM", "Scenarios"}


def _english_phrases() -> list[str]:
    phrases = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid_plural or "%" in entry.msgid or "\n" in entry.msgid or "<" in entry.msgid:
            continue
        if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid.split()) >= 2:
            phrases.add(entry.msgid)
    return sorted(phrases - SAME_IN_BOTH, key=len, reverse=True)


REFERENCE_MODELS = (TariffScenario, ScenarioRate, Pillar, PillarHSCode, HSChapter, DataRelease, TariffMeasure)


def _reference_texts() -> list[str]:
    """Every English text of two words or more in the bundled reference data, longest first (the
    `_fr` columns are the French the bundle ships beside it)."""
    texts = set()
    for model in REFERENCE_MODELS:
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.name.endswith("_fr")
        ]
        for row in model.objects.values_list(*names):
            texts.update(value.strip() for value in row if value and len(value.split()) >= 2)
    return sorted(texts, key=len, reverse=True)


def _without(text: str, texts: list[str]) -> str:
    for value in texts:
        text = text.replace(value, " ")
    return text


def _english_left(text: str, phrases: list[str]) -> list[str]:
    """Each English phrase found, with the 40 characters around it (so a failure says where it is)."""
    found = []
    for phrase in phrases:
        match = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
        if match:
            found.append(text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " | "))
    return found


def _set_up(make_user, michigan_stakeholder):
    person = michigan_stakeholder(
        title="Directrice d'usine (synthétique)", summary="Appel au sujet des pièces (synthétique)"
    )
    public_influence_refresh()  # so Who to call next gives reasons from the public record
    officer = make_user(Role.OFFICER, username="mgagnon", first_name="Marie", last_name="Gagnon")
    user_preference_set(user=officer, language="fr")
    return officer, {
        "dashboard": "/",
        "state": "/states/MI/",
        "person": f"/stakeholders/{person.pk}/",
        "log-form": "/interactions/new/",
        "who-to-call-next": "/priorities/",
        "packet-request": f"/briefings/request/?target_kind=person&target_id={person.pk}",
    }


def test_a_french_speaking_officer_walks_the_product_in_french(page, login, shot, make_user, michigan_stakeholder):
    officer, walk = _set_up(make_user, michigan_stakeholder)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(officer.username, PASSWORD)
    phrases, data = _english_phrases(), _reference_texts()

    left, widths = {}, {}
    for name, path in walk.items():
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "fr", path
        left[path] = _english_left(_without(page.inner_text("body"), data), phrases)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        shot(page, name)

    assert {path: width for path, width in widths.items() if width > 1440} == {}, "wider than the 1,440 px window"
    assert {path: found for path, found in left.items() if found} == {}, "English left on these pages"

    # The switch goes back to English on the same page.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(walk["packet-request"])


def test_reference_data_reads_in_french_too(page, login, make_user, michigan_stakeholder):
    """HS chapters, measure titles and caveats, scenario descriptions, the jobs-ratio citation and the
    trade releases: no English text of the bundle is left where a French reader sees them."""
    officer, walk = _set_up(make_user, michigan_stakeholder)
    login(officer.username, PASSWORD)
    data = _reference_texts()
    left = {}
    for path in (walk["dashboard"], walk["state"], "/data-releases/"):
        page.goto(path)
        text = page.inner_text("body")
        left[path] = [value for value in data if value in text]
    assert {path: found for path, found in left.items() if found} == {}

    # The scenarios page names each rate's chapter in French; the sources it cites stay as published.
    page.goto("/scenarios/")
    rates = page.get_by_role("rowheader")
    expect(rates.filter(has_text="72 Fonte, fer et acier").first).to_be_visible()
    assert rates.filter(has_text="Iron and steel").count() == 0
