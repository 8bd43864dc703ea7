"""Loader for the bundled starter talking points (data/talking_points.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from briefings.models import TalkingPoint
from trade.models import Pillar, State

TALKING_POINTS_FILE = Path(settings.BASE_DIR) / "data" / "talking_points.csv"


@transaction.atomic
def load_talking_points(*, stdout, path: Path = TALKING_POINTS_FILE) -> None:
    """Create the starter points that do not exist yet; points already loaded keep their admin edits."""
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    states = {state.code: state for state in State.objects.all()}
    created = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _point, was_created = TalkingPoint.objects.get_or_create(
                key=row["key"],
                defaults={
                    "pillar": pillars.get(row["pillar"]),
                    "sector": row["sector"],
                    "state": states.get(row["state"]),
                    "priority": int(row["priority"] or 100),
                    "text": row["text"],
                    "source": row["source"][:500],
                    "source_url": row["source_url"],
                },
            )
            created += was_created
    stdout.write(
        _("Talking points: %(count)s (%(new)s new).") % {"count": TalkingPoint.objects.count(), "new": created}
    )
