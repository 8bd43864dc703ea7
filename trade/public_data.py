"""Loaders for the bundled public trade and reference data (see data/PROVENANCE.md)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from trade.choices import PillarCode
from trade.models import Pillar, State, StateEconomics

DATA_DIR = Path(settings.BASE_DIR) / "data"
REFERENCE_DIR = DATA_DIR / "reference"
BATTLEGROUND_SOURCE = "2024 election results as reported by AP/Reuters (data/reference/battleground_states_2024.csv)"
GDP_SOURCE = "BEA GDP and Census population, 2022, as compiled in trevortombe/TradeMap"


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
        _, was_created = State.objects.update_or_create(
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
    stdout.write(f"States: {State.objects.count()} ({created} new); pillars: {Pillar.objects.count()}.")
