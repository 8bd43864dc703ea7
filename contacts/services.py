"""Writes to stakeholder records. Each service validates, authorizes and owns its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone

from contacts.choices import ContactKind, OrganizationType, PersonKind, RecordSource, Stance
from contacts.models import (
    CommitteeMembership,
    ContactPoint,
    InfluenceWeights,
    Organization,
    OrganizationStatePresence,
    Person,
    Position,
    SavedSegment,
    StanceEntry,
    Tag,
)
from contacts.normalize import contact_value_key
from contacts.permissions import can_create, can_edit_organization, can_edit_person
from contacts.selectors import clean_person_params
from contacts.signals import public_influence_changed
from core.errors import DomainError, DomainValidationError
from core.roles import Role, has_role


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status_code = 403


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


@transaction.atomic
def person_set_stance(
    *, person: Person, stance: str, actor, reason: str = "", when: dt.datetime | None = None
) -> StanceEntry:
    """Record a dated stance entry (who, when, why) and make it the person's current stance."""
    if stance not in Stance.values:
        raise DomainValidationError(f"Unknown stance: {stance}")
    entry = StanceEntry.objects.create(
        person=person, stance=stance, set_by=actor, set_at=when or timezone.now(), reason=reason
    )
    latest = StanceEntry.objects.filter(person=person).order_by("-set_at", "-id").first()
    if latest is not None and person.stance != latest.stance:
        person.stance = latest.stance
        person.save(update_fields=["stance", "updated_at"])
    return entry


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
        raise PermissionDeniedError("Your role cannot add stakeholders.")
    values = _owner_checked(actor=actor, values=dict(fields))
    stance = values.pop("stance", Stance.UNKNOWN) or Stance.UNKNOWN
    person = Person(source=source, **values)
    person.full_name = ""
    person.save()
    person.states.set(states)
    person.pillars.set(pillars)
    person.tags.set(tags_from_names(tag_names))
    _add_contact_points(person=person, emails=emails, phones=phones, source=source)
    if stance != Stance.UNKNOWN:
        person_set_stance(person=person, stance=stance, actor=actor, reason=stance_reason or "Set when created.")
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
) -> Person:
    """Change a person; a stance change goes through the stance history."""
    if not can_edit_person(actor, person):
        raise PermissionDeniedError("You can only edit people you own.")
    values = _owner_checked(actor=actor, values=dict(fields), record=person)
    stance = values.pop("stance", None)
    name_changed = any(k in values for k in ("first_name", "middle_name", "last_name", "suffix"))
    for name, value in values.items():
        setattr(person, name, value)
    if name_changed:
        person.full_name = ""
    person.save()
    if states is not None:
        person.states.set(states)
    if pillars is not None:
        person.pillars.set(pillars)
    if tag_names is not None:
        person.tags.set(tags_from_names(tag_names))
    if stance and stance != person.stance:
        person_set_stance(person=person, stance=stance, actor=actor, reason=stance_reason)
    return person


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
        raise PermissionDeniedError("Your role cannot add organizations.")
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
) -> Organization:
    if not can_edit_organization(actor, organization):
        raise PermissionDeniedError("You can only edit organizations you own.")
    for name, value in _owner_checked(actor=actor, values=dict(fields), record=organization).items():
        setattr(organization, name, value)
    organization.save()
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
        raise DomainValidationError("A segment needs a name.")
    filters = clean_person_params(params)
    filters.pop("page", None)
    if filters.get("owner") == "me":
        filters["owner"] = str(owner.pk)
    if not filters:
        raise DomainValidationError("Choose at least one filter before saving a segment.")
    segment, _ = SavedSegment.objects.update_or_create(
        owner=owner, name=name[:120], defaults={"filters": filters, "shared": shared, "description": description}
    )
    return segment


@transaction.atomic
def segment_delete(*, segment: SavedSegment, actor) -> None:
    if segment.owner_id != actor.pk:
        raise PermissionDeniedError("Only the owner can delete a segment.")
    segment.delete()


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
        "public_influence_basis",
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
                value, basis = public_influence(
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
                value, basis = None, ""
            if (value, basis[:300]) != (person.public_influence, person.public_influence_basis):
                person.public_influence, person.public_influence_basis = value, basis[:300]
                changed.append(person)
        Person.objects.bulk_update(changed, ["public_influence", "public_influence_basis"], batch_size=500)
        ids = [person.pk for person in changed]
        if ids:
            transaction.on_commit(lambda: public_influence_changed.send(sender=Person, person_ids=ids))
    return len(changed)
