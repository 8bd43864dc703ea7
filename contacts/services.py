"""Writes to stakeholder records. Each service validates, authorizes and owns its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.choices import (
    AssessmentSource,
    ContactKind,
    OrganizationType,
    PersonKind,
    RecordSource,
    SourceChangeStatus,
    Stance,
)
from contacts.models import (
    CommitteeMembership,
    ContactPoint,
    InfluenceEntry,
    InfluenceWeights,
    OfficeTransition,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    SavedSegment,
    SourceChange,
    StanceEntry,
    Tag,
)
from contacts.normalize import contact_value_key
from contacts.ownership import SOURCE, staff_changes_mark
from contacts.permissions import can_create, can_edit_organization, can_edit_person
from contacts.selectors import clean_person_params
from contacts.signals import public_influence_changed
from core.concurrency import version_check
from core.errors import ConflictError, DomainValidationError, PermissionDeniedError
from core.roles import Role, has_role


def _owner_checked(*, actor, values: dict, record=None) -> dict:
    """Only Leads and Admins choose who owns a record: an Officer's new record is theirs, and an
    Officer's edit never hands a record to someone else (an `owner` they send is ignored)."""
    if record is not None:
        if "owner" in values and not has_role(actor, Role.LEAD):
            values["owner"] = record.owner
    elif values.get("owner") is None or not has_role(actor, Role.LEAD):
        values["owner"] = actor
    return values


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    cleaned = sorted({name.strip()[:60] for name in names if name and name.strip()}, key=str.lower)
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


CURRENT_ENTRY_ORDER = ("-set_at", "-recorded_at", "-id")


def _lock(person: Person) -> None:
    # Two writers adding entries for one person queue here, so each recomputes from all entries.
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))


@transaction.atomic
def person_set_stance(
    *,
    person: Person,
    stance: str,
    actor,
    reason: str = "",
    when: dt.datetime | None = None,
    source: str = AssessmentSource.STAFF_EDIT,
) -> StanceEntry:
    """The one way to change a stance: add a dated entry (observed when, recorded when, by whom, from
    where, why), then make the current stance the entry observed last (ties: recorded last)."""
    if stance not in Stance.values:
        raise DomainValidationError(
            _("Unknown stance: %(stance)s") % {"stance": stance}, details={"stance": [_("Not a known stance.")]}
        )
    _lock(person)
    now = timezone.now()
    entry = StanceEntry.objects.create(
        person=person, stance=stance, set_by=actor, set_at=when or now, recorded_at=now, source=source, reason=reason
    )
    person_assessments_refresh(person=person)
    return entry


@transaction.atomic
def person_set_influence(
    *,
    person: Person,
    influence: int | None,
    actor,
    rationale: str = "",
    reason: str = "",
    when: dt.datetime | None = None,
    source: str = AssessmentSource.STAFF_EDIT,
) -> InfluenceEntry:
    """Influence follows the stance rule: a dated entry, the one observed last is current."""
    if influence is not None and not (isinstance(influence, int) and 1 <= influence <= 5):
        raise DomainValidationError(
            _("Influence must be a whole number from 1 to 5."), details={"influence": ["From 1 to 5."]}
        )
    _lock(person)
    now = timezone.now()
    entry = InfluenceEntry.objects.create(
        person=person, influence=influence, rationale=rationale, set_by=actor, set_at=when or now,
        recorded_at=now, source=source, reason=reason,
    )  # fmt: skip
    person_assessments_refresh(person=person)
    return entry


def person_assessments_refresh(*, person: Person) -> None:
    """Make the person's stance and influence those of their latest entries (entries win over the row)."""
    stance = StanceEntry.objects.filter(person=person).order_by(*CURRENT_ENTRY_ORDER).first()
    influence = InfluenceEntry.objects.filter(person=person).order_by(*CURRENT_ENTRY_ORDER).first()
    current = Person.objects.filter(pk=person.pk).values("stance", "influence", "influence_rationale").get()
    wanted = dict(current)
    if stance is not None:
        wanted["stance"] = stance.stance
    if influence is not None:
        wanted["influence"], wanted["influence_rationale"] = influence.influence, influence.rationale
    for name, value in wanted.items():
        setattr(person, name, value)
    changed = [name for name, value in wanted.items() if current[name] != value]
    if changed:
        person.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def person_create(
    *,
    actor,
    fields: Mapping[str, Any],
    states: Iterable = (),
    pillars: Iterable = (),
    tag_names: Iterable[str] = (),
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    stance_reason: str = "",
    source: str = RecordSource.STAFF,
) -> Person:
    """Create a person entered by staff (an Officer creating someone owns them unless told otherwise)."""
    if not can_create(actor):
        raise PermissionDeniedError(_("Your role cannot add stakeholders."))
    values = _owner_checked(actor=actor, values=dict(fields))
    stance = values.pop("stance", Stance.UNKNOWN) or Stance.UNKNOWN
    influence, rationale = values.pop("influence", None), values.pop("influence_rationale", "")
    person = Person(source=source, **values)
    person.full_name = ""
    person.save()
    person.states.set(states)
    person.pillars.set(pillars)
    person.tags.set(tags_from_names(tag_names))
    _add_contact_points(person=person, emails=emails, phones=phones, source=source)
    if stance != Stance.UNKNOWN:
        person_set_stance(person=person, stance=stance, actor=actor, reason=stance_reason or "Set when created.")
    if influence is not None or rationale:
        person_set_influence(
            person=person, influence=influence, rationale=rationale or "", actor=actor, reason="Set when created."
        )
    return person


@transaction.atomic
def person_update(
    *,
    actor,
    person: Person,
    fields: Mapping[str, Any],
    states: Iterable | None = None,
    pillars: Iterable | None = None,
    tag_names: Iterable[str] | None = None,
    stance_reason: str = "",
    expected_version: int | None = None,
) -> Person:
    """Change a person. Fields that change become staff-owned (a re-import will not overwrite them);
    stance and influence changes go through their dated history.

    Compared with the stored row, not with `person`: a bound ModelForm has already copied the
    submitted values onto the instance it was given. `expected_version` is the version the editor
    read: if someone saved since, EditConflictError and nothing is written."""
    stored = Person.objects.select_for_update().get(pk=person.pk)
    if not can_edit_person(actor, stored):
        raise PermissionDeniedError(_("You can only edit people you own."))
    version_check(instance=stored, expected=expected_version, actor=actor)
    values = _owner_checked(actor=actor, values=dict(fields), record=stored)
    stance = values.pop("stance", None)
    influence_given = "influence" in values or "influence_rationale" in values
    influence = values.pop("influence", stored.influence)
    rationale = values.pop("influence_rationale", stored.influence_rationale) or ""
    name_changed = any(k in values for k in ("first_name", "middle_name", "last_name", "suffix"))
    tracked = [name for name in values if name != "owner"] + (["full_name"] if name_changed else [])
    before = {name: getattr(stored, name) for name in tracked}
    for name, value in values.items():
        setattr(stored, name, value)
    if name_changed:
        stored.full_name = ""
        stored.refresh_derived_fields()
    staff_changes_mark(record=stored, before=before, actor=actor)
    stored.save()
    if states is not None:
        stored.states.set(states)
    if pillars is not None:
        stored.pillars.set(pillars)
    if tag_names is not None:
        stored.tags.set(tags_from_names(tag_names))
    if stance and stance != stored.stance:
        person_set_stance(person=stored, stance=stance, actor=actor, reason=stance_reason)
    if influence_given and (influence, rationale) != (stored.influence, stored.influence_rationale):
        person_set_influence(person=stored, influence=influence, rationale=rationale, actor=actor, reason=stance_reason)
    _refresh_from(person, stored)
    return stored


def _refresh_from(target, source) -> None:
    """Give the caller's instance the saved values (views render from it after the service)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _add_contact_points(*, person: Person, emails: Iterable[str], phones: Iterable[str], source: str) -> None:
    """Add emails and phones the person does not have yet (compared by normalised value)."""
    existing = {(p.kind, p.value_key) for p in person.contact_points.all()}
    first = not existing
    for kind, values in ((ContactKind.EMAIL, emails), (ContactKind.PHONE, phones)):
        for value in values:
            value = (value or "").strip()
            key = (kind, contact_value_key(kind=kind, value=value))
            if not value or key in existing:
                continue
            ContactPoint.objects.create(person=person, kind=kind, value=value, source=source, is_preferred=first)
            existing.add(key)
            first = False


@transaction.atomic
def organization_create(
    *, actor, fields: Mapping[str, Any], pillars: Iterable = (), tag_names: Iterable[str] = (), source: str = "staff"
) -> Organization:
    if not can_create(actor):
        raise PermissionDeniedError(_("Your role cannot add organizations."))
    values = _owner_checked(actor=actor, values=dict(fields))
    organization = Organization.objects.create(source=source, **values)
    organization.pillars.set(pillars)
    organization.tags.set(tags_from_names(tag_names))
    if organization.hq_state_id:
        organization.state_presence.get_or_create(state_id=organization.hq_state_id)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor,
    organization: Organization,
    fields: Mapping[str, Any],
    pillars: Iterable | None = None,
    tag_names: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> Organization:
    """Change an organization; refused (EditConflictError) if saved by someone else since `expected_version`."""
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    if not can_edit_organization(actor, stored):
        raise PermissionDeniedError(_("You can only edit organizations you own."))
    version_check(instance=stored, expected=expected_version, actor=actor)
    values = _owner_checked(actor=actor, values=dict(fields), record=stored)
    before = {name: getattr(stored, name) for name in values if name != "owner"}
    for name, value in values.items():
        setattr(stored, name, value)
    staff_changes_mark(record=stored, before=before, actor=actor)
    stored.save()
    _refresh_from(organization, stored)
    if pillars is not None:
        organization.pillars.set(pillars)
    if tag_names is not None:
        organization.tags.set(tags_from_names(tag_names))
    if organization.hq_state_id:
        organization.state_presence.get_or_create(state_id=organization.hq_state_id)
    return organization


@transaction.atomic
def segment_save(
    *, owner, name: str, params: Mapping[str, Any], shared: bool = False, description: str = ""
) -> SavedSegment:
    """Save (or overwrite, by name) the owner's named filter. "owner=me" is stored as the owner's id,
    so a shared segment selects the same people for every colleague."""
    name = (name or "").strip()
    if not name:
        raise DomainValidationError(_("A segment needs a name."))
    filters = clean_person_params(params)
    filters.pop("page", None)
    if filters.get("owner") == "me":
        filters["owner"] = str(owner.pk)
    if not filters:
        raise DomainValidationError(_("Choose at least one filter before saving a segment."))
    segment, _created = SavedSegment.objects.update_or_create(
        owner=owner, name=name[:120], defaults={"filters": filters, "shared": shared, "description": description}
    )
    return segment


@transaction.atomic
def segment_delete(*, segment: SavedSegment, actor) -> None:
    if segment.owner_id != actor.pk:
        raise PermissionDeniedError(_("Only the owner can delete a segment."))
    segment.delete()


@transaction.atomic
def source_change_resolve(*, change: SourceChange, actor, accept: bool) -> SourceChange:
    """A Lead accepts the source's new value (the field goes back to the source) or keeps ours."""
    if not has_role(actor, Role.LEAD):
        raise PermissionDeniedError(_("Only Leads and Admins review source changes."))
    change = SourceChange.objects.select_for_update().get(pk=change.pk)
    if change.status != SourceChangeStatus.PENDING:
        raise ConflictError(_("This source change was already reviewed."))
    record = change.record
    if accept:
        field = type(record)._meta.get_field(change.field)
        setattr(record, field.attname, field.to_python(change.source_value))
        record.field_owners = {**record.field_owners, change.field: {"by": SOURCE, "release": change.release}}
        if isinstance(record, Person) and change.field in {"first_name", "middle_name", "last_name", "suffix"}:
            record.full_name = ""
        record.save()
    change.status = SourceChangeStatus.ACCEPTED if accept else SourceChangeStatus.KEPT
    change.resolved_by, change.resolved_at = actor, timezone.now()
    change.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return change


# Kinds whose weight is the office itself: once out of office, the office no longer counts.
PUBLIC_OFFICE_KINDS = {
    PersonKind.GOVERNOR,
    PersonKind.LT_GOVERNOR,
    PersonKind.SENATOR,
    PersonKind.REPRESENTATIVE,
    PersonKind.DELEGATE,
    PersonKind.STATE_OFFICIAL,
}

# Organizations whose size and sector say something about their leaders' weight in trade.
_SIZED_ORGANIZATION_TYPES = {
    OrganizationType.COMPANY,
    OrganizationType.INDUSTRY_ASSOCIATION,
    OrganizationType.CHAMBER_OF_COMMERCE,
    OrganizationType.UNION,
}


def _majority_parties() -> dict[str, str]:
    """{chamber: party} of the party holding most current seats in each chamber (from the people stored)."""
    counts = (
        Person.objects.filter(is_current_office_holder=True)
        .exclude(chamber="")
        .exclude(party="")
        .values("chamber", "party")
        .annotate(n=Count("pk"))
        .order_by("chamber", "-n")
    )
    majority: dict[str, str] = {}
    for row in counts:
        majority.setdefault(row["chamber"], row["party"])
    return majority


def public_influence_refresh(*, person_ids: Iterable[int] | None = None, today: dt.date | None = None) -> int:
    """Recompute the influence from the public record of these people (everyone when None); returns rows changed.

    Reads each person's office, trade-committee seats and current organizations with `InfluenceWeights`
    (see `contacts.influence`), writes `public_influence` and its basis in bulk, and after commit sends
    `public_influence_changed` so rankings that read it rescore those people.
    """
    from contacts.influence import OrganizationFacts, Seat, public_influence

    today = today or timezone.localdate()
    weights = InfluenceWeights.load()
    majority = _majority_parties()
    people = Person.objects.order_by("pk").only(
        "pk", "kind", "chamber", "party", "term_start", "is_current_office_holder", "public_influence",
        "public_influence_basis", "public_influence_reasons",
    )  # fmt: skip
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    people = people.prefetch_related(
        Prefetch("committee_memberships", queryset=CommitteeMembership.objects.select_related("committee")),
        Prefetch(
            "positions",
            queryset=Position.objects.filter(
                is_current=True, organization__org_type__in=_SIZED_ORGANIZATION_TYPES
            ).annotate(
                employees=Subquery(
                    OrganizationStatePresence.objects.filter(organization_id=OuterRef("organization_id"))
                    .order_by()
                    .values("organization_id")
                    .annotate(total=Sum("employees"))
                    .values("total")
                ),
                in_trade_sector=Exists(
                    Organization.pillars.through.objects.filter(organization_id=OuterRef("organization_id"))
                ),
            ),
            to_attr="sized_positions",
        ),
    )
    changed: list[Person] = []
    with transaction.atomic():
        for person in people.iterator(chunk_size=500):
            if person.is_current_office_holder or person.kind not in PUBLIC_OFFICE_KINDS:
                value, basis, reasons = public_influence(
                    weights=weights,
                    kind=person.kind,
                    seats=[Seat(code=m.committee.code, title=m.title) for m in person.committee_memberships.all()],
                    in_majority=bool(person.chamber and majority.get(person.chamber) == person.party),
                    term_start=person.term_start,
                    today=today,
                    organizations=[
                        OrganizationFacts(employees=p.employees, in_trade_sector=p.in_trade_sector)
                        for p in person.sized_positions
                    ],
                )
            else:  # a former office holder's office no longer counts
                value, basis, reasons = None, "", []
            reasons = [[message, values] for message, values in reasons]  # as JSON reads it back
            current = (person.public_influence, person.public_influence_basis, person.public_influence_reasons)
            if (value, basis[:300], reasons) != current:
                person.public_influence, person.public_influence_basis = value, basis[:300]
                person.public_influence_reasons = reasons
                changed.append(person)
        Person.objects.bulk_update(
            changed, ["public_influence", "public_influence_basis", "public_influence_reasons"], batch_size=500
        )
        ids = [person.pk for person in changed]
        if ids:
            transaction.on_commit(lambda: public_influence_changed.send(sender=Person, person_ids=ids))
    return len(changed)


# --- Office transitions ---------------------------------------------------------------------------


@transaction.atomic
def successor_record(
    *, actor, predecessor: Person, successor: Person, takes_office_on: dt.date, source_url: str = "", note: str = ""
) -> OfficeTransition:
    """Record who takes `predecessor`'s office and when. Whoever may edit the predecessor may do this;
    the predecessor must hold an office now. The daily job rolls it over on its date."""
    if not can_edit_person(actor, predecessor):
        raise PermissionDeniedError(_("You can only record a successor for people you may edit."))
    if successor.pk == predecessor.pk:
        raise DomainValidationError(
            _("A person cannot succeed themselves."), details={"successor": [_("Choose another person.")]}
        )
    if not predecessor.is_current_office_holder or not predecessor.office:
        raise DomainValidationError(
            _("%(person)s holds no office now: there is nothing to succeed to.") % {"person": predecessor},
            details={"successor": [_("Record successors for current office holders.")]},
        )
    if OfficeTransition.objects.filter(predecessor=predecessor, rolled_over_at__isnull=True).exists():
        raise ConflictError(
            _("A successor is already recorded for %(person)s: remove it in the admin first.") % {"person": predecessor}
        )
    return OfficeTransition.objects.create(
        predecessor=predecessor,
        successor=successor,
        takes_office_on=takes_office_on,
        source_url=source_url,
        note=note,
        recorded_by=actor,
    )


def transitions_roll_over(*, today: dt.date | None = None) -> int:
    """Hand over every office whose transition date has come: the successor becomes the current
    holder of the predecessor's office (office, chamber, district, kind and states), with the term
    starting on the date; the predecessor becomes a former office holder whose term ended the day
    before. Each transition in its own transaction; running twice changes nothing (idempotent).
    Both people's histories keep every change (audit)."""
    today = today or timezone.localdate()
    done = 0
    for transition_id in OfficeTransition.objects.due(today).values_list("pk", flat=True):
        with transaction.atomic():
            transition = (
                OfficeTransition.objects.select_for_update()
                .select_related("predecessor", "successor")
                .filter(pk=transition_id, rolled_over_at__isnull=True)
                .first()
            )
            if transition is None:  # another worker rolled it over meanwhile
                continue
            _roll_over(transition)
            done += 1
    return done


def _roll_over(transition: OfficeTransition) -> None:
    predecessor, successor = transition.predecessor, transition.successor
    successor.kind = predecessor.kind
    successor.office = predecessor.office
    successor.chamber = predecessor.chamber
    successor.district = predecessor.district
    successor.term_start = transition.takes_office_on
    successor.term_end = None  # the source for the new term's end is the next public file
    successor.is_current_office_holder = True
    successor.save()
    successor.states.add(*predecessor.states.all())
    predecessor.is_current_office_holder = False
    if predecessor.term_end is None or predecessor.term_end >= transition.takes_office_on:
        predecessor.term_end = transition.takes_office_on - dt.timedelta(days=1)
    predecessor.save()
    transition.rolled_over_at = timezone.now()
    transition.save(update_fields=["rolled_over_at", "updated_at"])
