"""Importing the bundled business organizations and their public leaders (data/organizations/).

`business_organizations.csv` holds, for every state and DC, the state chamber of commerce, the statewide
manufacturers' association and the state Farm Bureau, plus national and cross-border associations not in the
starter file. Each row says where its facts were read (`source_url`, `verified_on`) or that they were not
(`verification` = "not verified"), because a briefing must never present an unchecked name as checked.

One organization can fill several roles in a state (a combined "commerce and industry" chamber is also the
manufacturers' association); the roles are kept per state in `external_ids["state_roles"]` so a state page
can list who speaks for business, manufacturing and farmers there. A row with an empty name only links an
organization already loaded (by its seed id) to a role in a state, e.g. the national Farm Bureau for DC,
which has none of its own; it never changes that organization's fields.

`organization_leaders.csv` holds the leaders the organizations publish. Leaders change, so every imported
leader is flagged for verification; a flag staff cleared comes back only when the source note changes.
Like the other public imports, matching is by external id and only public fields are refreshed.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from contacts.choices import OrganizationType, PersonKind, RecordSource, StateRole
from contacts.models import Organization, OrganizationStatePresence, Person, Position
from contacts.normalize import split_full_name
from contacts.public_data import DATA_DIR, ImportReport, _apply, _rows
from trade.models import Pillar, State

BUSINESS_ORGANIZATIONS_FILE = DATA_DIR / "organizations" / "business_organizations.csv"
LEADERS_FILE = DATA_DIR / "organizations" / "organization_leaders.csv"
SEED_KEY = "seed"
ROLES_KEY = "state_roles"  # {state code: [StateRole values]}
LEADER_KEY = "organization_leader"
NOT_VERIFIED = "not verified"


def source_text(row: dict[str, str]) -> str:
    """What the organization page shows as the source: the page read and when, or the honest flag."""
    if row.get("verification") == NOT_VERIFIED or not row.get("source_url"):
        text = "Not verified: no source page read"
    else:
        text = f"{row['source_url']} (read {row['verified_on']})"
    if row.get("note"):
        text = f"{text}. {row['note']}"
    return text[:500]


def _state_roles(row: dict[str, str]) -> list[str]:
    return [code for code in row["roles"].split(";") if code in StateRole.values]


def _with_roles(organization: Organization, state_code: str, roles: list[str]) -> bool:
    """Add the row's roles for its state to the organization's external ids; True when they changed."""
    if not roles:
        return False
    ids = dict(organization.external_ids)
    by_state = dict(ids.get(ROLES_KEY, {}))
    merged = sorted(set(by_state.get(state_code, [])) | set(roles))
    if by_state.get(state_code) == merged:
        return False
    by_state[state_code] = merged
    ids[ROLES_KEY] = by_state
    organization.external_ids = ids
    return True


@transaction.atomic
def business_organizations_import(*, path: Path | str = BUSINESS_ORGANIZATIONS_FILE):
    """State chambers, manufacturers' associations and Farm Bureaus, and national associations."""
    report = ImportReport(label="Business organizations")
    states = {state.code: state for state in State.objects.all()}
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    for row in _rows(Path(path)):
        state = states.get(row["state"]) if row["state"] else None
        if row["state"] and state is None:
            report.skipped.append(f"unknown state {row['state']}")
            continue
        organization = Organization.objects.filter(**{f"external_ids__{SEED_KEY}": row["seed_id"]}).first()
        roles = _state_roles(row)
        if not row["name"]:
            # A link row: the organization comes from another file; only its role in this state is added.
            if organization is None:
                report.skipped.append(f"no organization {row['seed_id']} to link")
                continue
            if _with_roles(organization, state.code, roles):
                organization.save(update_fields=["external_ids"])
                report.updated += 1
            else:
                report.unchanged += 1
            OrganizationStatePresence.objects.get_or_create(organization=organization, state=state)
            continue
        values = {
            "name": row["name"],
            "org_type": row["org_type"] or OrganizationType.OTHER,
            "website": row["website"],
            "description": row["description"],
            "hq_state": state,
            "source_detail": source_text(row),
        }
        if organization is None:
            organization = Organization(
                external_ids={SEED_KEY: row["seed_id"]}, source=RecordSource.PUBLIC_IMPORT, **values
            )
            _with_roles(organization, row["state"], roles)
            organization.save()
            report.created += 1
        else:
            changed = _apply(organization, values)
            changed = _with_roles(organization, row["state"], roles) or changed
            if changed:
                organization.save()
                report.updated += 1
            else:
                report.unchanged += 1
        report.flagged += row["verification"] == NOT_VERIFIED
        organization.pillars.add(*[pillars[code] for code in row["pillars"].split(";") if code in pillars])
        if state is not None:
            OrganizationStatePresence.objects.get_or_create(organization=organization, state=state)
    return report


@transaction.atomic
def organization_leaders_import(*, path: Path | str = LEADERS_FILE, now=None):
    """Published leaders as people holding a current position at their organization, flagged to verify.

    A leader no longer listed keeps the person record, but the position at that organization becomes past.
    """
    now = now or timezone.now()
    report = ImportReport(label="Organization leaders")
    listed: set[int] = set()
    for row in _rows(Path(path)):
        organization = Organization.objects.filter(**{f"external_ids__{SEED_KEY}": row["org_seed_id"]}).first()
        if organization is None:
            report.skipped.append(f"no organization {row['org_seed_id']}")
            continue
        leader_id = f"{row['org_seed_id']}:{row['full_name']}"
        person = Person.objects.filter(**{f"external_ids__{LEADER_KEY}": leader_id}).first()
        _first, middle, suffix = split_full_name(full_name=row["full_name"], last_name=row["last_name"])
        values = {
            "first_name": row["first_name"],
            "middle_name": middle,
            "last_name": row["last_name"],
            "suffix": suffix,
            "full_name": row["full_name"],
            "kind": PersonKind.ASSOCIATION_LEADER,
            "title": f"{row['title']}, {organization.name}"[:200],
            "source_detail": f"{row['source_url']} (read {row['verified_on']})"[:300],
        }
        note = f"Leader as published ({row['note']}) Leaders change: confirm before contact."[:500]
        if person is None:
            person = Person(
                source=RecordSource.PUBLIC_IMPORT, imported_at=now, external_ids={LEADER_KEY: leader_id}, **values
            )
            person.verification_note = note
            person.needs_verification = True
            person.save()
            report.created += 1
        else:
            changed = _apply(person, values)
            if note != person.verification_note:
                person.verification_note = note
                person.needs_verification = True
                changed = True
            person.imported_at = now
            person.save()
            report.updated += changed
            report.unchanged += not changed
        report.flagged += person.needs_verification
        if organization.hq_state_id:
            person.states.add(organization.hq_state_id)
        position, _created = Position.objects.update_or_create(
            person=person, organization=organization, is_current=True, defaults={"title": row["title"]}
        )
        listed.add(position.pk)
    # Imported leaders' posts that the file no longer lists have ended.
    report.retired = (
        Position.objects.filter(is_current=True, person__external_ids__has_key=LEADER_KEY)
        .exclude(pk__in=listed)
        .update(is_current=False, end_date=now.date())
    )
    return report
