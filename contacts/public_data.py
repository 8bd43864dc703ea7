"""Importing the bundled public stakeholder data: Congress, trade-committee seats, governors, organizations.

Each import matches records by their public external id (Bioguide id, Open States id, seed id), refreshes
only public fields (office, party, term, committees, public contact points) and never touches what staff
entered (stance, influence, owner, tags, notes, staff contact points, preferred name). A public field
staff corrected keeps the staff value: the source's new value waits for review (contacts.ownership).
People who left office become former office holders; nobody is deleted. Every import returns an
`ImportReport`.

`load_public_data` (every deployment runs it) calls the `load_*` functions, which record each bundled
file's checksum as a `PublicDataRelease` and do nothing when that release was already loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contacts.choices import Chamber, ContactKind, OrganizationType, PersonKind, RecordSource
from contacts.models import (
    Committee,
    CommitteeMembership,
    ContactPoint,
    OfficeTransition,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    PublicDataRelease,
)
from contacts.normalize import contact_value_key, person_name_key, split_full_name
from contacts.ownership import source_changes_record, source_values_apply
from trade.models import Pillar, State

DATA_DIR = Path(settings.BASE_DIR) / "data"
CONGRESS_FILE = DATA_DIR / "people" / "congress_legislators_current.csv"
COMMITTEES_FILE = DATA_DIR / "people" / "congress_trade_committees_current.csv"
GOVERNORS_FILE = DATA_DIR / "people" / "governors_current.csv"
ORGANIZATIONS_FILE = DATA_DIR / "organizations" / "starter_organizations.csv"
CONGRESS_SOURCE = "unitedstates/congress-legislators, CC0 (data/people/congress_legislators_current.csv)"
GOVERNORS_SOURCE = "openstates/people, CC0 (data/people/governors_current.csv)"
GOVERNOR_OFFICE_KEY = "governors_office"
SEED_KEY = "seed"
# One party vocabulary everywhere: the congress file says "Democrat", the governors file "Democratic".
PARTY_NAMES = {"Democrat": "Democratic"}

CONGRESS_FIELDS = [
    "honorific", "first_name", "middle_name", "last_name", "suffix", "full_name", "name_key", "kind", "title",
    "office", "party", "chamber", "district", "term_start", "term_end", "is_current_office_holder",
    "source_detail", "field_owners",
]  # fmt: skip


@dataclass
class ImportReport:
    """What an import did, for the command's output and the tests."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    flagged: int = 0
    for_review: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [
            _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(retired)s retired")
            % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "retired": self.retired}
        ]
        if self.flagged:
            parts.append(_("%(count)s flagged for verification") % {"count": self.flagged})
        if self.for_review:
            parts.append(
                _("%(count)s staff-edited fields kept with the source's new value for review")
                % {"count": self.for_review}
            )
        if self.skipped:
            parts.append(
                _("%(count)s skipped (%(reasons)s)")
                % {"count": len(self.skipped), "reasons": "; ".join(self.skipped[:5])}
            )
        label = _(self.label)  # a gettext_noop message id
        return f"{label}: {', '.join(parts)}."


def _rows(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def file_checksum(*paths: Path | str) -> str:
    """SHA-256 over the files' bytes, in order: one release of a source."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def release_label(source: str, *paths: Path | str) -> str:
    return f"{source} sha256:{file_checksum(*paths)[:12]}"


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    """Set the values on obj; True when any differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sync_public_contact_points(
    *, owner_field: str, owner_ids: list[int], desired: dict[int, list[tuple[str, str, str]]]
) -> set[int]:
    """Make each owner's public contact points exactly `desired` (kind, label, value); staff ones stay.

    Returns the ids of owners whose public contact points changed.
    """
    existing: dict[int, dict[tuple[str, str], ContactPoint]] = defaultdict(dict)
    for point in ContactPoint.objects.filter(
        **{f"{owner_field}__in": owner_ids}, source=RecordSource.PUBLIC_IMPORT
    ).only("id", "kind", "value", "label", owner_field):
        existing[getattr(point, f"{owner_field}_id")][(point.kind, point.value)] = point
    to_create: list[ContactPoint] = []
    to_delete: list[int] = []
    changed: set[int] = set()
    for owner_id in owner_ids:
        wanted = {(kind, value): label for kind, label, value in desired.get(owner_id, []) if value}
        have = existing.get(owner_id, {})
        for (kind, value), label in wanted.items():
            if (kind, value) not in have:
                changed.add(owner_id)
                to_create.append(
                    ContactPoint(
                        **{f"{owner_field}_id": owner_id},
                        kind=kind,
                        label=label,
                        value=value,
                        value_key=contact_value_key(kind=kind, value=value),
                        source=RecordSource.PUBLIC_IMPORT,
                    )
                )
        stale = [point.pk for key, point in have.items() if key not in wanted]
        if stale:
            changed.add(owner_id)
            to_delete.extend(stale)
    if to_create:
        ContactPoint.objects.bulk_create(to_create, batch_size=500)
    if to_delete:
        ContactPoint.objects.filter(pk__in=to_delete).delete()
    return changed


def _sync_states(*, person_ids_states: dict[int, set[int]]) -> set[int]:
    """Set each person's states (public jurisdiction); returns ids of people whose states changed."""
    Through = Person.states.through
    current: dict[int, set[int]] = defaultdict(set)
    for person_id, state_id in Through.objects.filter(person_id__in=person_ids_states).values_list(
        "person_id", "state_id"
    ):
        current[person_id].add(state_id)
    changed: set[int] = set()
    to_add = []
    for person_id, wanted in person_ids_states.items():
        have = current.get(person_id, set())
        # Public imports only add the jurisdiction: states staff added by hand stay.
        for state_id in wanted - have:
            to_add.append(Through(person_id=person_id, state_id=state_id))
            changed.add(person_id)
    Through.objects.bulk_create(to_add, batch_size=1000, ignore_conflicts=True)
    return changed


@transaction.atomic
def congress_import(
    *, path: Path | str = CONGRESS_FILE, now: dt.datetime | None = None, release: str = ""
) -> ImportReport:
    """Members of Congress by Bioguide id: create, refresh public fields, retire those no longer listed."""
    now = now or timezone.now()
    release = release or release_label("congress", path)
    report = ImportReport(label=gettext_noop("Congress"))
    states = {state.code: state for state in State.objects.all()}
    rows = _rows(Path(path))
    existing = {p.bioguide_id: p for p in Person.objects.filter(bioguide_id__isnull=False)}
    to_create: list[Person] = []
    to_update: list[Person] = []
    owners_only: list[Person] = []
    for_review = []
    wanted_states: dict[str, int] = {}
    wanted_points: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows:
        bioguide = row["bioguide_id"]
        state = states.get(row["state"])
        state_name = state.name if state else row["state"]
        first, middle, suffix = split_full_name(full_name=row["full_name"], last_name=row["last_name"])
        if row["chamber"] == Chamber.SENATE:
            kind, honorific, office = PersonKind.SENATOR, "Sen.", "U.S. Senate"
            title = f"U.S. Senator for {state_name}"
        elif row["state"] in states and row["state"] not in {"DC", "PR"}:
            kind, honorific, office = PersonKind.REPRESENTATIVE, "Rep.", "U.S. House of Representatives"
            district = int(row["district"] or 0)
            title = (
                f"U.S. Representative for {state_name} (at large)"
                if district == 0
                else f"U.S. Representative for {state_name}'s {_ordinal(district)} district"
            )
        else:
            kind, honorific, office = PersonKind.DELEGATE, "Del.", "U.S. House of Representatives"
            title = f"Delegate to the U.S. House for {state_name}"
        values = {
            "honorific": honorific,
            "first_name": first,
            "middle_name": middle,
            "last_name": row["last_name"],
            "suffix": suffix,
            "full_name": row["full_name"],
            "kind": kind,
            "title": title,
            "office": office,
            "party": PARTY_NAMES.get(row["party"], row["party"]),
            "chamber": row["chamber"],
            "district": row["district"] if row["chamber"] == Chamber.HOUSE else "",
            "term_start": _date(row["term_start"]),
            "term_end": _date(row["term_end"]),
            "is_current_office_holder": True,
        }
        person = existing.get(bioguide)
        if person is None:
            person = Person(
                bioguide_id=bioguide, source=RecordSource.PUBLIC_IMPORT, imported_at=now, source_detail=CONGRESS_SOURCE
            )
            source_values_apply(record=person, values=values, release=release)
            person.refresh_derived_fields()
            to_create.append(person)
        else:
            changed, owners_changed, review = source_values_apply(record=person, values=values, release=release)
            changed |= _apply(person, {"source_detail": CONGRESS_SOURCE})
            for_review.extend(review)
            if changed:
                to_update.append(person)
            elif owners_changed:
                owners_only.append(person)
        if state is not None:
            wanted_states[bioguide] = state.pk
        wanted_points[bioguide] = [(ContactKind.WEBSITE, "Official website", row["url"])]
    Person.objects.bulk_create(to_create, batch_size=500)
    for person in to_update:
        # A staff-set preferred name drives the match key, so recompute it after the public name changed.
        person.refresh_derived_fields()
    Person.objects.bulk_update(to_update, CONGRESS_FIELDS, batch_size=500)
    # bulk_update bypasses save(): raise the version so an edit form opened before the import
    # cannot write the old name or title back (docs/security.md, "Concurrent edits").
    Person.objects.filter(pk__in=[p.pk for p in to_update]).update(version=F("version") + 1)
    # Records loaded before fields had owners learn which release their values came from.
    Person.objects.bulk_update(owners_only, ["field_owners"], batch_size=500)
    report.for_review = source_changes_record(for_review)

    ids = dict(Person.objects.filter(bioguide_id__in=[r["bioguide_id"] for r in rows]).values_list("bioguide_id", "pk"))
    Person.objects.filter(pk__in=ids.values()).update(imported_at=now)
    changed = {p.pk for p in to_update}
    changed |= _sync_states(person_ids_states={ids[b]: {s} for b, s in wanted_states.items()})
    changed |= _sync_public_contact_points(
        owner_field="person", owner_ids=list(ids.values()), desired={ids[b]: p for b, p in wanted_points.items()}
    )
    changed -= {p.pk for p in to_create}
    report.created = len(to_create)
    report.updated = len(changed)
    report.unchanged = len(ids) - report.created - report.updated
    report.retired = (
        Person.objects.filter(
            bioguide_id__isnull=False,
            is_current_office_holder=True,
            kind__in=[PersonKind.SENATOR, PersonKind.REPRESENTATIVE, PersonKind.DELEGATE],
        )
        .exclude(bioguide_id__in=list(ids))
        .update(is_current_office_holder=False, updated_at=now)
    )
    _refresh_influence(Person.objects.filter(bioguide_id__isnull=False))
    return report


@transaction.atomic
def committees_import(*, path: Path | str = COMMITTEES_FILE) -> ImportReport:
    """Trade-committee seats: committees and subcommittees (with parent), and each member's seat.

    Seats of the listed committees that are no longer in the file are removed (they are public data,
    refreshed in full); counted as retired.
    """
    report = ImportReport(label=gettext_noop("Committee seats"))
    rows = _rows(Path(path))
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row["committee_id"], row["committee_name"])
    committees: dict[str, Committee] = {c.code: c for c in Committee.objects.filter(code__in=names)}
    # Parents first (4-character codes), then subcommittees that point at them.
    for code in sorted(names, key=lambda c: (len(c), c)):
        parent_code = code[:4] if len(code) > 4 else None
        if parent_code and parent_code not in committees:
            parent_name = names.get(parent_code) or names[code].split(" — ")[0]
            committees[parent_code], _created = Committee.objects.update_or_create(
                code=parent_code, defaults={"name": parent_name, "chamber": _committee_chamber(parent_code)}
            )
        values = {
            "name": names[code],
            "chamber": _committee_chamber(code),
            "parent": committees.get(parent_code) if parent_code else None,
        }
        committee = committees.get(code)
        if committee is None:
            committees[code] = Committee.objects.create(code=code, **values)
        elif _apply(committee, values):
            committee.save()

    people = dict(
        Person.objects.filter(bioguide_id__in={r["bioguide_id"] for r in rows}).values_list("bioguide_id", "pk")
    )
    committee_ids = [committees[code].pk for code in names]
    existing = {
        (m.person_id, m.committee_id): m for m in CommitteeMembership.objects.filter(committee_id__in=committee_ids)
    }
    seen: set[tuple[int, int]] = set()
    to_create, to_update = [], []
    for row in rows:
        person_id = people.get(row["bioguide_id"])
        if person_id is None:
            report.skipped.append(f"{row['bioguide_id']} ({row['name']}) is not a known member")
            continue
        key = (person_id, committees[row["committee_id"]].pk)
        seen.add(key)
        values = {
            "party_side": row["party"],
            "rank": int(row["rank"]) if row["rank"] else None,
            "title": row["title"],
        }
        membership = existing.get(key)
        if membership is None:
            to_create.append(CommitteeMembership(person_id=key[0], committee_id=key[1], **values))
        elif _apply(membership, values):
            to_update.append(membership)
        else:
            report.unchanged += 1
    CommitteeMembership.objects.bulk_create(to_create, batch_size=500)
    CommitteeMembership.objects.bulk_update(to_update, ["party_side", "rank", "title"], batch_size=500)
    stale = [m.pk for key, m in existing.items() if key not in seen]
    CommitteeMembership.objects.filter(pk__in=stale).delete()
    report.created, report.updated, report.retired = len(to_create), len(to_update), len(stale)
    _refresh_influence(Person.objects.filter(bioguide_id__isnull=False))
    return report


def _refresh_influence(people) -> None:
    """Recompute the influence from the public record of the people an import may have changed."""
    from contacts.services import public_influence_refresh

    public_influence_refresh(person_ids=people.values_list("pk", flat=True))


def _committee_chamber(code: str) -> str:
    return Chamber.SENATE if code.startswith("S") else Chamber.HOUSE


def _governors_office(*, state: State, website: str, release: str, for_review: list) -> Organization:
    office = Organization.objects.filter(**{f"external_ids__{GOVERNOR_OFFICE_KEY}": state.code}).first()
    values = {
        "name": f"Office of the Governor of {state.name}",
        "org_type": OrganizationType.GOVERNORS_OFFICE,
        "hq_state": state,
    }
    if website:
        values["website"] = website
    if office is None:
        office = Organization(
            external_ids={GOVERNOR_OFFICE_KEY: state.code}, source=RecordSource.PUBLIC_IMPORT,
            source_detail=GOVERNORS_SOURCE,
        )  # fmt: skip
        source_values_apply(record=office, values=values, release=release)
        office.save()
    else:
        changed, owners_changed, review = source_values_apply(record=office, values=values, release=release)
        for_review.extend(review)
        if _apply(office, {"source_detail": GOVERNORS_SOURCE}) or changed or owners_changed:
            office.save()
    OrganizationStatePresence.objects.get_or_create(organization=office, state=state)
    return office


@transaction.atomic
def governors_import(
    *, path: Path | str = GOVERNORS_FILE, now: dt.datetime | None = None, release: str = ""
) -> ImportReport:
    """Governors, each with their governor's office (Organization) and a current Position there.

    Rows whose note asks to verify are flagged (`needs_verification`) until staff clear the flag; a flag
    staff cleared comes back only when the note itself changes.
    """
    now = now or timezone.now()
    release = release or release_label("governors", path)
    report = ImportReport(label=gettext_noop("Governors"))
    for_review: list = []
    states = {state.code: state for state in State.objects.all()}
    current_governors = list(
        Person.objects.filter(kind=PersonKind.GOVERNOR, is_current_office_holder=True).prefetch_related("states")
    )
    matched: set[int] = set()
    for row in _rows(Path(path)):
        state = states.get(row["state"])
        if state is None:
            report.skipped.append(f"unknown state {row['state']}")
            continue
        office = _governors_office(state=state, website=row["website_url"], release=release, for_review=for_review)
        name_key = person_name_key(first_name=row["given_name"], last_name=row["family_name"])
        person = None
        if row["openstates_id"]:
            person = Person.objects.filter(openstates_id=row["openstates_id"]).first()
        if person is None:
            person = next(
                (
                    p
                    for p in current_governors
                    if p.name_key == name_key and any(s.code == state.code for s in p.states.all())
                ),
                None,
            )
        values = {
            "honorific": "Gov.",
            "first_name": row["given_name"],
            "last_name": row["family_name"],
            "full_name": row["name"],
            "kind": PersonKind.GOVERNOR,
            "title": f"Governor of {state.name}",
            "office": "Governor",
            "party": row["party"],
            "term_start": _date(row["role_start_date"]),
            "term_end": _date(row["role_end_date"]),
            "is_current_office_holder": True,
        }
        identity = {
            "openstates_id": row["openstates_id"] or (person.openstates_id if person else None),
            "source_detail": f"{GOVERNORS_SOURCE}; {row['source']}" if row["source"] else GOVERNORS_SOURCE,
        }
        note = row["note"]
        if person is None:
            person = Person(source=RecordSource.PUBLIC_IMPORT, imported_at=now, **identity)
            source_values_apply(record=person, values=values, release=release)
            person.verification_note = note
            person.needs_verification = "verify" in note.lower()
            person.save()
            report.created += 1
        else:
            changed, _owners_changed, review = source_values_apply(record=person, values=values, release=release)
            for_review.extend(review)
            changed |= _apply(person, identity)
            if note != person.verification_note:
                person.verification_note = note
                person.needs_verification = "verify" in note.lower()
                changed = True
            person.imported_at = now
            person.save()
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
        report.flagged += person.needs_verification
        matched.add(person.pk)
        person.states.add(state)
        position = Position.objects.filter(person=person, organization=office, is_current=True).first()
        position = position or Position(person=person, organization=office, is_current=True)
        position_values = {"title": "Governor", "start_date": values["term_start"]}
        changed, owners_changed, review = source_values_apply(record=position, values=position_values, release=release)
        for_review.extend(review)
        if position.pk is None or changed or owners_changed:
            position.save()
        # Anyone else still holding this governor's office has left it; the newer file says who
        # succeeded them, recorded as a transition already rolled over (both histories keep it).
        for predecessor in current_governors:
            if predecessor.pk != person.pk and any(s.code == state.code for s in predecessor.states.all()):
                OfficeTransition.objects.get_or_create(
                    predecessor=predecessor,
                    successor=person,
                    defaults={
                        "takes_office_on": values["term_start"] or now.date(),
                        "source_url": row["source"] if row["source"].startswith("http") else "",
                        "note": str(_("From the governors file (%(release)s).") % {"release": release})[:300],
                        "rolled_over_at": now,
                    },
                )
        Position.objects.filter(organization=office, is_current=True, title="Governor").exclude(person=person).update(
            is_current=False, end_date=values["term_start"] or now.date()
        )
        _sync_public_contact_points(
            owner_field="person", owner_ids=[person.pk], desired={person.pk: [(ContactKind.EMAIL, "", row["email"])]}
        )
        _sync_public_contact_points(
            owner_field="organization",
            owner_ids=[office.pk],
            desired={
                office.pk: [
                    (ContactKind.PHONE, "Governor's office", row["office_phone"]),
                    (ContactKind.ADDRESS, "Governor's office", row["office_address"].replace("; ", ", ")),
                ]
            },
        )
    retiring = Person.objects.filter(kind=PersonKind.GOVERNOR, is_current_office_holder=True).exclude(pk__in=matched)
    Position.objects.filter(person__in=retiring, organization__org_type=OrganizationType.GOVERNORS_OFFICE).filter(
        is_current=True
    ).update(is_current=False, end_date=now.date())
    report.retired = retiring.update(is_current_office_holder=False, updated_at=now)
    report.for_review = source_changes_record(for_review)
    _refresh_influence(Person.objects.filter(kind=PersonKind.GOVERNOR))
    return report


@transaction.atomic
def organizations_seed_import(*, path: Path | str = ORGANIZATIONS_FILE, release: str = "") -> ImportReport:
    """The starter set of real organizations (data/organizations/), matched by their seed id."""
    release = release or release_label("organizations", path)
    report = ImportReport(label=gettext_noop("Starter organizations"))
    for_review: list = []
    states = {state.code: state for state in State.objects.all()}
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    for row in _rows(Path(path)):
        hq_state = states.get(row["hq_state"]) if row["hq_state"] else None
        values = {
            "name": row["name"],
            "org_type": row["org_type"],
            "website": row["website"],
            "description": row["description"],
            "hq_state": hq_state,
        }
        source_detail = f"{row['source_url']} (checked {row['checked_on']})"
        organization = Organization.objects.filter(**{f"external_ids__{SEED_KEY}": row["seed_id"]}).first()
        if organization is None:
            organization = Organization(
                external_ids={SEED_KEY: row["seed_id"]}, source=RecordSource.PUBLIC_IMPORT, source_detail=source_detail
            )
            source_values_apply(record=organization, values=values, release=release)
            organization.save()
            report.created += 1
        else:
            changed, owners_changed, review = source_values_apply(record=organization, values=values, release=release)
            for_review.extend(review)
            changed |= _apply(organization, {"source_detail": source_detail})
            if changed or owners_changed:
                organization.save()
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
        wanted = [pillars[code] for code in row["pillars"].split(";") if code in pillars]
        organization.pillars.add(*wanted)
        if hq_state is not None:
            OrganizationStatePresence.objects.get_or_create(organization=organization, state=hq_state)
    report.for_review = source_changes_record(for_review)
    return report


def _load_release(*, source: str, paths: list[Path], stdout, run) -> None:
    """Run `run(release=label)` once per release of a source: a file already loaded does no work, so
    every deployment can call the loaders and only a changed bundled file touches stakeholder rows."""
    checksum = file_checksum(*paths)
    label = f"{source} sha256:{checksum[:12]}"
    if PublicDataRelease.objects.filter(source=source, checksum=checksum).exists():
        stdout.write(_("%(release)s: already loaded, nothing to do.") % {"release": label})
        return
    with transaction.atomic():
        reports = run(release=label)
        if not any(report.skipped for report in reports):
            # A load that skipped rows (reference data missing, say) is tried again next time.
            text = " ".join(str(report) for report in reports)
            PublicDataRelease.objects.create(source=source, checksum=checksum, label=label, report=text)
    for report in reports:
        stdout.write(str(report))


def load_congress(*, stdout) -> None:
    _load_release(
        source="congress",
        paths=[CONGRESS_FILE, COMMITTEES_FILE],
        stdout=stdout,
        run=lambda release: [congress_import(release=release), committees_import()],
    )


def load_governors(*, stdout) -> None:
    _load_release(
        source="governors",
        paths=[GOVERNORS_FILE],
        stdout=stdout,
        run=lambda release: [governors_import(release=release)],
    )


def load_organizations(*, stdout) -> None:
    from contacts.public_organizations import (
        BUSINESS_ORGANIZATIONS_FILE,
        LEADERS_FILE,
        business_organizations_import,
        organization_leaders_import,
    )

    _load_release(
        source="organizations",
        paths=[ORGANIZATIONS_FILE, BUSINESS_ORGANIZATIONS_FILE, LEADERS_FILE],
        stdout=stdout,
        run=lambda release: [
            organizations_seed_import(release=release),
            business_organizations_import(),
            organization_leaders_import(),
        ],
    )
