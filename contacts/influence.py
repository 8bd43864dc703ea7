"""Influence from the public record: what a person's office, trade-committee seats and organization are worth.

The rules live here so the refresh service, the admin and the documentation agree; the points come
from `InfluenceWeights`. Only what the bundled public data records counts: no guess fills a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from contacts.choices import PersonKind
from core import formatting

# The committees that decide trade (by the codes the committee data uses), and their trade
# subcommittees. Seats on other subcommittees of these committees add nothing beyond the parent seat.
TRADE_COMMITTEES = {
    "SSFI": "Senate Finance",
    "SSFR": "Senate Foreign Relations",
    "SSEG": "Senate Energy and Natural Resources",
    "SSAF": "Senate Agriculture",
    "HSWM": "House Ways and Means",
    "HSIF": "House Energy and Commerce",
    "HSFA": "House Foreign Affairs",
    "HSAG": "House Agriculture",
}
TRADE_SUBCOMMITTEES = {
    "SSFI13": "Senate Finance trade subcommittee",
    "HSWM04": "Ways and Means trade subcommittee",
    "HSIF17": "Energy and Commerce trade subcommittee",
}
MAX_INFLUENCE = 5.0
MAX_YEARS_IN_TERM = 5
LARGE_ORGANIZATION = 10_000
MID_ORGANIZATION = 1_000

OFFICE_WEIGHT = {
    PersonKind.GOVERNOR: ("governor", gettext_noop("Governor")),
    PersonKind.SENATOR: ("senator", gettext_noop("U.S. senator")),
    PersonKind.REPRESENTATIVE: ("representative", gettext_noop("U.S. representative")),
    PersonKind.DELEGATE: ("delegate", gettext_noop("Delegate to the House")),
    PersonKind.LT_GOVERNOR: ("state_official", gettext_noop("Lieutenant governor")),
    PersonKind.STATE_OFFICIAL: ("state_official", gettext_noop("State official")),
    PersonKind.BUSINESS_LEADER: ("organization_leader", gettext_noop("Business leader")),
    PersonKind.ASSOCIATION_LEADER: ("organization_leader", gettext_noop("Association leader")),
}
# Reasons are kept as (catalogue message, its values) so each reader reads them in their language;
# committee names are proper names of US committees and stay as Congress spells them.
SEAT_REASONS = {
    "chair": gettext_noop("chairs %(committee)s"),
    "ranking_member": gettext_noop("ranking member, %(committee)s"),
    "seat": gettext_noop("sits on %(committee)s"),
}
MAJORITY_PARTY = gettext_noop("majority party")
ONE_YEAR_IN_TERM = gettext_noop("%(years)s year into the current term")
YEARS_IN_TERM = gettext_noop("%(years)s years into the current term")
ORGANIZATION_SIZE = gettext_noop("organization of %(employees)s employees")
TRADE_SECTOR = gettext_noop("organization in a trade sector")

Reason = tuple[str, dict]


def reason_text(reason: Reason | list) -> str:
    """One reason in the active language (numbers formatted for it)."""
    message, values = reason
    return gettext(message) % {k: formatting.integer(v) if isinstance(v, int) else v for k, v in values.items()}


def reasons_text(reasons: Iterable[Reason | list]) -> str:
    return "; ".join(reason_text(reason) for reason in reasons)


@dataclass(frozen=True)
class Seat:
    code: str
    title: str  # "Chair", "Ranking Member" or empty


@dataclass(frozen=True)
class OrganizationFacts:
    employees: int | None
    in_trade_sector: bool


def _role(title: str) -> str:
    title = title.lower()
    if "ranking" in title:
        return "ranking_member"
    if "chair" in title and "vice" not in title:
        return "chair"
    return "seat"


def public_influence(
    *,
    weights,
    kind: str,
    seats: Iterable[Seat],
    in_majority: bool,
    term_start: dt.date | None,
    today: dt.date,
    organizations: Iterable[OrganizationFacts] = (),
) -> tuple[float | None, str, list[Reason]]:
    """(influence 0–5, the reasons in English words, the reasons as catalogue messages) for one
    person; (None, "", []) when the record says nothing. The English text is the stable basis kept on
    the person (admin, audit); pages read the messages in their reader's language."""
    points = 0.0
    reasons: list[Reason] = []
    office = OFFICE_WEIGHT.get(kind)
    if office is not None:
        points += float(getattr(weights, office[0]))
        reasons.append((office[1], {}))
    seat_points: list[tuple[float, Reason]] = []
    for seat in seats:
        role = _role(seat.title)
        if seat.code in TRADE_COMMITTEES:
            name, prefix = TRADE_COMMITTEES[seat.code], "committee"
        elif seat.code in TRADE_SUBCOMMITTEES:
            name, prefix = TRADE_SUBCOMMITTEES[seat.code], "subcommittee"
        else:
            continue
        seat_points.append((float(getattr(weights, f"{prefix}_{role}")), (SEAT_REASONS[role], {"committee": name})))
    for value, label in sorted(seat_points, key=lambda item: -item[0]):
        points += value
        reasons.append(label)
    if in_majority:
        points += float(weights.majority_party)
        reasons.append((MAJORITY_PARTY, {}))
    if (
        office is not None
        and term_start is not None
        and kind
        not in {
            PersonKind.BUSINESS_LEADER,
            PersonKind.ASSOCIATION_LEADER,
        }
    ):
        years = min(MAX_YEARS_IN_TERM, max(0, (today - term_start).days // 365))
        if years:
            points += years * float(weights.per_year_in_term)
            reasons.append((ONE_YEAR_IN_TERM if years == 1 else YEARS_IN_TERM, {"years": years}))
    for facts in organizations:
        if facts.employees is not None and facts.employees >= LARGE_ORGANIZATION:
            points += float(weights.large_organization)
            reasons.append((ORGANIZATION_SIZE, {"employees": facts.employees}))
        elif facts.employees is not None and facts.employees >= MID_ORGANIZATION:
            points += float(weights.mid_organization)
            reasons.append((ORGANIZATION_SIZE, {"employees": facts.employees}))
        if facts.in_trade_sector:
            points += float(weights.trade_sector)
            reasons.append((TRADE_SECTOR, {}))
    if not reasons:
        return None, "", []
    with translation.override("en"):
        basis = reasons_text(reasons)
    return round(min(MAX_INFLUENCE, points), 2), basis, reasons
