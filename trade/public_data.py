"""Loaders for the bundled public trade and reference data (see data/PROVENANCE.md)."""

from __future__ import annotations

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from trade.choices import Confidence, HSLevel, ImportFormat, ImportStatus, PillarCode
from trade.exposure import exposure_refresh
from trade.models import (
    HSChapter,
    Pillar,
    PillarHSCode,
    ScenarioOverlay,
    ScenarioRate,
    State,
    StateEconomics,
    TariffMeasure,
    TariffScenario,
    TariffTimelineReview,
    TradeFlow,
    UsmcaUtilization,
)
from trade.services import ReleaseInfo, trade_file_import

DATA_DIR = Path(settings.BASE_DIR) / "data"
REFERENCE_DIR = DATA_DIR / "reference"
BATTLEGROUND_SOURCE = gettext_noop(
    "2024 election results as reported by AP/Reuters (data/reference/battleground_states_2024.csv)"
)
GDP_SOURCE = "BEA GDP and Census population, 2022, as compiled in trevortombe/TradeMap"
HS_SOURCE = "WCO Harmonized System 2022 chapter titles (98-99: US national chapters); data/reference/hs_chapters.csv"
# The source map lists nuclear-fuel codes under their own key; the envoy's pillars file them under energy.
SOURCE_GROUP_TO_PILLAR = {"energy_nuclear": PillarCode.ENERGY}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference(*, stdout) -> None:
    """States (FIPS, Census region, 2024 battlegrounds, BTS's DU bucket), 2022 GDP and population, pillars."""
    battlegrounds = {row["state"] for row in _rows(REFERENCE_DIR / "battleground_states_2024.csv")}
    created = 0
    for row in _rows(REFERENCE_DIR / "state_fips.csv"):
        is_battleground = row["state_abbr"] in battlegrounds
        _state, was_created = State.objects.update_or_create(
            code=row["state_abbr"],
            defaults={
                "fips": row["state_fips"],
                "name": row["state_name"],
                "census_region": row["census_region"] or "Other",
                "census_division": row["census_division"],
                "is_battleground_2024": is_battleground,
                "battleground_source": BATTLEGROUND_SOURCE if is_battleground else "",
                "is_pseudo": False,
            },
        )
        created += was_created
    State.objects.update_or_create(
        code="DU",
        defaults={"name": "Unknown state (BTS)", "census_region": "Other", "is_pseudo": True, "fips": ""},
    )
    states = {state.name: state for state in State.objects.all()}
    for row in _rows(REFERENCE_DIR / "state_gdp_pop_2022.csv"):
        state = states.get(row["state_name"])
        if state is None:
            continue
        StateEconomics.objects.update_or_create(
            state=state,
            year=2022,
            defaults={
                "gdp_usd": Decimal(row["gdp_2022_usd_millions"]) * 1_000_000,
                "population": int(row["pop_2022"]),
                "source": GDP_SOURCE,
            },
        )
    for code, label in PillarCode.choices:
        Pillar.objects.update_or_create(code=code, defaults={"name": str(label)})
    load_hs_chapters()
    load_pillar_map()
    stdout.write(
        _("States: %(states)s (%(new)s new); pillars: %(pillars)s; HS chapters: %(chapters)s; pillar codes: %(codes)s.")
        % {
            "states": State.objects.count(),
            "new": created,
            "pillars": Pillar.objects.count(),
            "chapters": HSChapter.objects.count(),
            "codes": PillarHSCode.objects.count(),
        }
    )


def load_hs_chapters() -> None:
    """The 99 HS chapters with their short official titles."""
    for row in _rows(REFERENCE_DIR / "hs_chapters.csv"):
        HSChapter.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "name_fr": row.get("name_fr", ""), "source": HS_SOURCE}
        )


def _expand_codes(hs_code: str, hs_level: str) -> list[tuple[str, str]]:
    """`01-24` (an HS2 range) becomes one row per chapter; other codes stay as they are."""
    if "-" in hs_code:
        first, last = (int(part) for part in hs_code.split("-"))
        return [(f"{chapter:02d}", HSLevel.HS2) for chapter in range(first, last + 1)]
    return [(hs_code, HSLevel(hs_level))]


def load_pillar_map() -> None:
    """Seed the editable HS→pillar map from data/reference/pillar_hs_codes.csv (level, confidence kept).

    Trade data are by chapter, so each code says whether its chapter counts for the pillar:
    whole chapters (HS2) always count; a finer code counts its whole chapter when its confidence is
    high and no pillar maps that chapter as a whole chapter (so 4407 lumber brings chapter 44 into
    forestry, but 7601 aluminium does not pull chapter 76 into critical minerals). A pillar that
    counts any chapter through a finer code is flagged as a partial-chapter approximation.
    Existing rows keep an admin's edits to `counts_at_chapter_level`.
    """
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    chapters = {chapter.code: chapter for chapter in HSChapter.objects.all()}
    rows: list[dict] = []
    for row in _rows(REFERENCE_DIR / "pillar_hs_codes.csv"):
        pillar_code = SOURCE_GROUP_TO_PILLAR.get(row["pillar"], row["pillar"])
        for hs_code, level in _expand_codes(row["hs_code"], row["hs_level"]):
            rows.append({**row, "pillar_code": pillar_code, "hs_code": hs_code, "hs_level": level})
    whole_chapters = {row["hs_code"] for row in rows if row["hs_level"] == HSLevel.HS2}
    partial_pillars = set()
    for row in rows:
        pillar = pillars[row["pillar_code"]]
        is_whole = row["hs_level"] == HSLevel.HS2
        # "leave out": the code is a small, unsourced share of its chapter (uranium ores in 26).
        left_out = (row.get("chapter_level") or "") == "leave out"
        counts = is_whole or (
            not left_out and row["confidence"] == Confidence.HIGH and row["hs_code"][:2] not in whole_chapters
        )
        if counts and not is_whole:
            partial_pillars.add(pillar.code)
        PillarHSCode.objects.get_or_create(
            pillar=pillar,
            hs_code=row["hs_code"],
            defaults={
                "hs_level": row["hs_level"],
                "chapter": chapters[row["hs_code"][:2]],
                "description": row["description"][:500],
                "basis": row["basis"][:500],
                "confidence": row["confidence"],
                "source_group": row["pillar"],
                "counts_at_chapter_level": counts,
            },
        )
    Pillar.objects.filter(code__in=partial_pillars).update(is_partial_chapter_approximation=True)


TRADE_DIR = DATA_DIR / "trade"
BTS_URL = "https://www.bts.gov/transborder"
VINTAGE_NOTE = (
    "Publication date of this vintage not recorded; the vintage date is the end of the latest period covered. "
    "See data/PROVENANCE.md."
)


def bundled_trade_files() -> list[tuple[str, str, ReleaseInfo]]:
    """(file name, format, release metadata) of the bundled trade files, in load order."""
    return [
        (
            "bts_state_canada_annual_1993_2025.csv",
            ImportFormat.BTS_ANNUAL,
            ReleaseInfo(
                source=gettext_noop(
                    "U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (state file DOT1)"
                ),
                title=gettext_noop("State × year trade with Canada, all goods, 1993–2025"),
                url=BTS_URL,
                vintage_date=datetime.date(2025, 12, 31),
                coverage=gettext_noop("1993–2025, annual, all goods; before Nov 2003 surface modes only"),
                notes=(
                    "Summed over transport modes; processed file from unt-clscm/BTS-TransBorder-Dashboard. "
                    + VINTAGE_NOTE
                ),
            ),
        ),
        (
            "bts_state_hs2_canada_monthly.csv.gz",
            ImportFormat.BTS_STATE_HS2_MONTHLY,
            ReleaseInfo(
                source=gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (DOT2)"),
                title=gettext_noop("State × HS chapter × month trade with Canada"),
                url=BTS_URL,
                vintage_date=datetime.date(2024, 8, 31),
                coverage=gettext_noop("2015-01; 2020-01..09; 2021–2023 all months; 2024-01..08"),
                notes=f"Summed from raw monthly DOT2 files over mode, province, DF and CONTCODE. {VINTAGE_NOTE}",
            ),
        ),
        (
            "bts_national_hs2_canada_annual_2007_2025.csv",
            ImportFormat.BTS_NATIONAL_HS2,
            ReleaseInfo(
                source=gettext_noop(
                    "U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (commodity detail)"
                ),
                title=gettext_noop("US × HS chapter × year trade with Canada, 2007–2025"),
                url=BTS_URL,
                vintage_date=datetime.date(2025, 12, 31),
                coverage=gettext_noop("2007–2025, annual, national only"),
                notes=f"Summed over mode. {VINTAGE_NOTE}",
            ),
        ),
    ]


def load_trade(*, stdout) -> None:
    """Import the bundled BTS files (skipped when the same file was imported before)."""
    for file_name, format, info in bundled_trade_files():
        content = (TRADE_DIR / file_name).read_bytes()
        run = trade_file_import(
            content=content, file_name=file_name, format=format, release_info=info, enqueue_refresh=False
        )
        stdout.write(
            _("%(file)s: %(status)s — %(message)s")
            % {"file": file_name, "status": run.get_status_display(), "message": run.message}
        )
        if run.status not in (ImportStatus.SUCCEEDED, ImportStatus.UNCHANGED):
            raise RuntimeError(f"Bundled file {file_name} did not import: {run.message} {run.errors[:5]}")


def measure_definitions() -> dict:
    with (REFERENCE_DIR / "tariff_measures.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _share(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def load_measures(*, stdout) -> None:
    """Create the bundled tariff measures, utilization rows and timeline review that do not exist yet.

    Existing rows are left alone: a Lead's or an admin's edits win over the bundle (as for scenarios).
    """
    data = measure_definitions()
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    created = 0
    with transaction.atomic():
        for item in data["measures"]:
            fields = {
                **item,
                "pillar": pillars.get(item.get("pillar") or ""),
                "rate": Decimal(item["rate"]),
                "us_content_share": _share(item.get("us_content_share")),
                "date_announced": _date(item.get("date_announced")),
                "effective_from": _date(item.get("effective_from")),
                "effective_to": _date(item.get("effective_to")),
                "verified_on": _date(item.get("verified_on")),
            }
            slug = fields.pop("slug")
            measure, was_created = TariffMeasure.objects.get_or_create(slug=slug, defaults=fields)
            created += was_created
            if not was_created:
                _add_french(measure, item, {"title": "title_fr", "not_modelled_reason": "not_modelled_reason_fr"})
        for item in data["usmca_utilization"]:
            UsmcaUtilization.objects.get_or_create(
                chapter_group=item["chapter_group"],
                period_from=_date(item["period_from"]),
                defaults={
                    **{key: value for key, value in item.items() if key not in {"chapter_group", "period_from"}},
                    "period_to": _date(item.get("period_to")),
                    "low": Decimal(item["low"]),
                    "central": Decimal(item["central"]),
                    "high": Decimal(item["high"]),
                    "verified_on": _date(item.get("verified_on")),
                },
            )
        provenance = data["provenance"]
        TariffTimelineReview.objects.get_or_create(
            verified_through=_date(provenance["verified_through"]),
            defaults={"note": provenance.get("verified_through_note", "")},
        )
    stdout.write(
        _("Tariff measures: %(created)s created, %(count)s in all.")
        % {"created": created, "count": TariffMeasure.objects.count()}
    )


def _add_french(row, bundled: dict, pairs: dict[str, str]) -> None:
    """Give a row loaded before the bundle carried French its French texts, where the English still
    reads as bundled and the French is blank: an edited text keeps its editor's words, whatever the
    bundle says, and a French text someone wrote is never replaced."""
    changed = [
        french
        for english, french in pairs.items()
        if bundled.get(french) and not getattr(row, french) and getattr(row, english) == bundled.get(english)
    ]
    for french in changed:
        setattr(row, french, bundled[french])
    if changed:
        row.save(update_fields=changed)  # through save, so the audit history shows the bundle added it


def scenario_definitions() -> list[dict]:
    with (REFERENCE_DIR / "tariff_scenarios.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def load_scenarios(*, stdout) -> None:
    """Create the bundled scenarios that do not exist yet (an admin's versions are left alone), then
    compute a snapshot for every scenario version that has none."""
    load_measures(stdout=stdout)
    chapters = {chapter.code: chapter for chapter in HSChapter.objects.all()}
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    measures = {measure.slug: measure for measure in TariffMeasure.objects.all()}
    created = 0
    with transaction.atomic():
        for definition in scenario_definitions():
            existing = list(TariffScenario.objects.filter(slug=definition["slug"]))
            if existing:
                for version in existing:
                    _add_french(version, definition, {"description": "description_fr", "jobs_source": "jobs_source_fr"})
                continue
            fields = {key: value for key, value in definition.items() if key not in {"rates", "is_default", "overlays"}}
            for key in list(fields):
                if (
                    key.startswith(("default_", "elasticity_"))
                    and not key.endswith("_source")
                    or key == "jobs_per_billion_usd"
                ):
                    fields[key] = Decimal(fields[key])
            if fields.get("effective_date"):
                fields["effective_date"] = datetime.date.fromisoformat(fields["effective_date"])
            fields["regime_date"] = _date(fields.get("regime_date"))
            is_default = (
                definition.get("is_default", False) and not TariffScenario.objects.filter(is_default=True).exists()
            )
            scenario = TariffScenario.objects.create(**fields, is_default=is_default)
            ScenarioRate.objects.bulk_create(
                ScenarioRate(
                    scenario=scenario,
                    hs_chapter=chapters.get(rate.get("hs_chapter", "")),
                    pillar=pillars.get(rate.get("pillar", "")),
                    us_rate=Decimal(rate["us_rate"]),
                    usmca_exempt_share=Decimal(rate.get("usmca_exempt_share", "0")),
                    ca_rate=Decimal(rate["ca_rate"]),
                    note=rate.get("note", ""),
                )
                for rate in definition["rates"]
            )
            ScenarioOverlay.objects.bulk_create(
                ScenarioOverlay(
                    scenario=scenario,
                    action=overlay["action"],
                    measure=measures.get(overlay.get("measure", "")),
                    family=overlay.get("family", ""),
                    rate=_share(overlay.get("rate")),
                    usmca_treatment=overlay.get("usmca_treatment", ""),
                    usmca_utilization=_share(overlay.get("usmca_utilization")),
                    note=overlay.get("note", ""),
                )
                for overlay in definition.get("overlays", [])
            )
            created += 1
    stdout.write(
        _("Scenarios: %(created)s created, %(count)s current.")
        % {"created": created, "count": TariffScenario.objects.current_versions().count()}
    )
    if not TradeFlow.objects.exists():
        stdout.write(_("No trade figures loaded: exposure not computed."))
        return
    for scenario in TariffScenario.objects.current_versions().exclude(snapshots__is_current=True).order_by("pk"):
        snapshot = exposure_refresh(scenario=scenario, trigger="load_public_data")
        stdout.write(
            _("Exposure %(scenario)s: snapshot #%(snapshot)s %(status)s.")
            % {"scenario": scenario.slug, "snapshot": snapshot.pk, "status": snapshot.get_status_display()}
        )
