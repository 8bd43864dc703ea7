"""Influence from the public record: what a person's office, trade-committee seats and organization are worth.

The rules live here so the refresh service, the admin and the documentation agree; the points come
from `InfluenceWeights`. Only what the bundled public data records counts: no guess fills a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from contacts.choices import PersonKind

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
    PersonKind.GOVERNOR: ("governor", "Governor"),
    PersonKind.SENATOR: ("senator", "U.S. senator"),
    PersonKind.REPRESENTATIVE: ("representative", "U.S. representative"),
    PersonKind.DELEGATE: ("delegate", "Delegate to the House"),
    PersonKind.LT_GOVERNOR: ("state_official", "Lieutenant governor"),
    PersonKind.STATE_OFFICIAL: ("state_official", "State official"),
    PersonKind.BUSINESS_LEADER: ("organization_leader", "Business leader"),
    PersonKind.ASSOCIATION_LEADER: ("organization_leader", "Association leader"),
}


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
) -> tuple[float | None, str]:
    """(influence 0–5, the reasons in words) for one person; (None, "") when the record says nothing."""
    points = 0.0
    reasons: list[str] = []
    office = OFFICE_WEIGHT.get(kind)
    if office is not None:
        points += float(getattr(weights, office[0]))
        reasons.append(office[1])
    seat_points: list[tuple[float, str]] = []
    for seat in seats:
        role = _role(seat.title)
        if seat.code in TRADE_COMMITTEES:
            name, prefix = TRADE_COMMITTEES[seat.code], "committee"
        elif seat.code in TRADE_SUBCOMMITTEES:
            name, prefix = TRADE_SUBCOMMITTEES[seat.code], "subcommittee"
        else:
            continue
        label = {"chair": f"chairs {name}", "ranking_member": f"ranking member, {name}", "seat": f"sits on {name}"}
        seat_points.append((float(getattr(weights, f"{prefix}_{role}")), label[role]))
    for value, label in sorted(seat_points, key=lambda item: -item[0]):
        points += value
        reasons.append(label)
    if in_majority:
        points += float(weights.majority_party)
        reasons.append("majority party")
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
            reasons.append(f"{years} year{'s' if years > 1 else ''} into the current term")
    for facts in organizations:
        if facts.employees is not None and facts.employees >= LARGE_ORGANIZATION:
            points += float(weights.large_organization)
            reasons.append(f"organization of {facts.employees:,} employees")
        elif facts.employees is not None and facts.employees >= MID_ORGANIZATION:
            points += float(weights.mid_organization)
            reasons.append(f"organization of {facts.employees:,} employees")
        if facts.in_trade_sector:
            points += float(weights.trade_sector)
            reasons.append("organization in a trade sector")
    if not reasons:
        return None, ""
    return round(min(MAX_INFLUENCE, points), 2), "; ".join(reasons)
