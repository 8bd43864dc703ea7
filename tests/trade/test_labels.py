"""Bundled scenario and pillar names read in French through the catalogue; names staff type read as typed."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.trade.factories import TariffScenarioFactory
from trade.choices import PillarCode
from trade.labels import BUNDLED_SCENARIO_NAMES, reference_label
from trade.models import Pillar

BUNDLE = Path(settings.BASE_DIR) / "data" / "reference" / "tariff_scenarios.json"


def test_every_bundled_scenario_name_is_in_the_catalogue_list_and_reads_in_french():
    names = [row["name"] for row in json.loads(BUNDLE.read_text(encoding="utf-8"))]
    assert sorted(names) == sorted(BUNDLED_SCENARIO_NAMES)
    with translation.override("fr"):
        untranslated = [name for name in names if reference_label(name) == name]
    assert untranslated == []


@pytest.mark.django_db
def test_a_scenario_and_a_pillar_label_follow_the_active_language():
    scenario = TariffScenarioFactory(name="In force today", version=2)
    pillar = Pillar.objects.create(code=PillarCode.FORESTRY, name=str(PillarCode.FORESTRY.label))
    with translation.override("fr"):
        assert scenario.label == "En vigueur aujourd’hui"
        assert str(scenario) == "En vigueur aujourd’hui (v2)"
        assert pillar.label == "Foresterie"
    with translation.override("en"):
        assert scenario.label == "In force today"
        assert str(pillar) == "Forestry"


@pytest.mark.django_db
def test_a_name_staff_typed_reads_as_typed():
    scenario = TariffScenarioFactory(name="Lumber what-if (team draft)")
    with translation.override("fr"):
        assert scenario.label == "Lumber what-if (team draft)"


MEASURES = Path(settings.BASE_DIR) / "data" / "reference" / "tariff_measures.json"
CHAPTERS = Path(settings.BASE_DIR) / "data" / "reference" / "hs_chapters.csv"


def test_the_bundle_carries_french_beside_every_english_text_a_reader_sees():
    """HS chapters, measure titles and caveats, scenario descriptions and jobs-ratio citations."""
    import csv

    with CHAPTERS.open(encoding="utf-8", newline="") as handle:
        chapters = list(csv.DictReader(handle))
    assert len(chapters) == 99
    assert [row["code"] for row in chapters if not row["name_fr"]] == []
    pairs = {"title": "title_fr", "not_modelled_reason": "not_modelled_reason_fr"}
    measures = json.loads(MEASURES.read_text(encoding="utf-8"))["measures"]
    scenarios = json.loads(BUNDLE.read_text(encoding="utf-8"))
    missing = [
        (row["slug"], english)
        for rows, fields in (
            (measures, pairs),
            (scenarios, {"description": "description_fr", "jobs_source": "jobs_source_fr"}),
        )
        for row in rows
        for english, french in fields.items()
        if row.get(english) and not row.get(french)
    ]
    assert missing == []


@pytest.mark.django_db
def test_chapter_measure_and_scenario_texts_follow_the_active_language():
    import io

    from trade.models import HSChapter, TariffMeasure
    from trade.public_data import load_hs_chapters, load_measures, load_reference

    load_reference(stdout=io.StringIO())
    load_hs_chapters()
    load_measures(stdout=io.StringIO())
    chapter = HSChapter.objects.get(code="72")
    copper = TariffMeasure.objects.get(slug="us-s232-copper-50")
    scenario = TariffScenarioFactory(description="Regime text", description_fr="Texte du régime")
    with translation.override("fr"):
        assert chapter.label == "Fonte, fer et acier"
        assert copper.label == "Article 232 : cuivre (semi-ouvré et dérivés à forte teneur), 50 %"
        assert copper.not_modelled_label.startswith("Non modélisée : ")
        assert scenario.description_label == "Texte du régime"
    with translation.override("en"):
        assert chapter.label == "Iron and steel"
        assert copper.not_modelled_label == copper.not_modelled_reason
        assert scenario.description_label == "Regime text"
    # A row staff added with no French reads in English, not blank.
    chapter.name_fr = ""
    with translation.override("fr"):
        assert chapter.label == "Iron and steel"


@pytest.mark.django_db
def test_a_reload_adds_the_bundled_french_to_older_rows_but_never_over_an_editors_words():
    import io

    from trade.models import TariffMeasure
    from trade.public_data import load_hs_chapters, load_measures, load_reference

    load_reference(stdout=io.StringIO())
    load_hs_chapters()
    load_measures(stdout=io.StringIO())
    # As a database loaded before the bundle carried French: no French at all.
    TariffMeasure.objects.update(title_fr="", not_modelled_reason_fr="")
    # A Lead corrected one title in English and wrote another's French themselves.
    TariffMeasure.objects.filter(slug="us-s232-autos").update(title="Section 232 autos (Lead's wording)")
    TariffMeasure.objects.filter(slug="us-s232-copper-50").update(
        title_fr="Cuivre, article 232 (rédaction de l'équipe)"
    )

    load_measures(stdout=io.StringIO())

    steel = TariffMeasure.objects.get(slug="us-s232-steel-aluminum-50")
    assert steel.title_fr == "Article 232 : acier et aluminium, 50 %, sans exemption ACEUM"
    assert TariffMeasure.objects.get(slug="us-s232-autos").title_fr == ""
    copper = TariffMeasure.objects.get(slug="us-s232-copper-50")
    assert copper.title_fr == "Cuivre, article 232 (rédaction de l'équipe)"
    assert copper.not_modelled_reason_fr.startswith("Non modélisée : ")


@pytest.mark.django_db
def test_editing_the_english_clears_a_french_text_the_edit_did_not_rewrite():
    """French readers then read the new English, never a translation of the old one."""
    import io

    from trade.models import TariffMeasure
    from trade.public_data import load_hs_chapters, load_measures, load_reference
    from trade.services import scenario_revise, tariff_measure_update

    load_reference(stdout=io.StringIO())
    load_hs_chapters()
    load_measures(stdout=io.StringIO())
    copper = TariffMeasure.objects.get(slug="us-s232-copper-50")
    reason_fr = copper.not_modelled_reason_fr
    copper = tariff_measure_update(measure=copper, changes={"title": "Section 232 copper, 50 % (corrected)"})
    copper.refresh_from_db()
    assert copper.title_fr == ""
    assert copper.not_modelled_reason_fr == reason_fr  # untouched English, French kept
    copper = tariff_measure_update(
        measure=copper, changes={"title": "Section 232 copper, 50 %", "title_fr": "Article 232 : cuivre, 50 %"}
    )
    copper.refresh_from_db()
    assert copper.title_fr == "Article 232 : cuivre, 50 %"

    scenario = TariffScenarioFactory(
        description="Old", description_fr="Ancien", jobs_source="ITA", jobs_source_fr="ITA (fr)"
    )
    new = scenario_revise(scenario=scenario, changes={"description": "New"})
    assert (new.description, new.description_fr) == ("New", "")
    assert new.jobs_source_fr == "ITA (fr)"  # carried to the new version
