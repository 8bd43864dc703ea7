import pytest

from contacts.merge import _HOOKS, contact_merge, register_merge_hook
from contacts.models import (
    CommitteeMembership,
    ContactPoint,
    MergeRecord,
    Organization,
    Person,
    Position,
    Relationship,
    StanceEntry,
)
from contacts.services import PermissionDeniedError
from core.errors import DomainValidationError
from tests.contacts.factories import (
    CommitteeFactory,
    CommitteeMembershipFactory,
    ContactPointFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    RelationshipFactory,
    StanceEntryFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def _related_counts(person_ids):
    return {
        "positions": Position.objects.filter(person__in=person_ids).count(),
        "contact_points": ContactPoint.objects.filter(person__in=person_ids).count(),
        "stance_entries": StanceEntry.objects.filter(person__in=person_ids).count(),
        "relationships_out": Relationship.objects.filter(from_person__in=person_ids).count(),
        "relationships_in": Relationship.objects.filter(to_person__in=person_ids).count(),
        "committee_seats": CommitteeMembership.objects.filter(person__in=person_ids).count(),
    }


def test_merge_moves_every_related_row_and_records_history(lead):
    keep = PersonFactory(first_name="Testa", last_name="Synthetic-Merge", influence=None)
    duplicate = PersonFactory(first_name="Testa", last_name="Synthetic-Merge", influence=4, bioguide_id="Z999999")
    other = PersonFactory()
    for person in (keep, duplicate):
        PositionFactory(person=person)
        ContactPointFactory(person=person)
        StanceEntryFactory(person=person)
        RelationshipFactory(from_person=person, to_person=other)
        RelationshipFactory(from_person=other, to_person=person)
        CommitteeMembershipFactory(person=person)
    ContactPointFactory(person=duplicate, kind="phone", value="+1 202 555 0100")
    duplicate.tags.add(TagFactory(name="border"), TagFactory(name="autos"))
    keep.tags.add(TagFactory(name="border"))
    before = _related_counts([keep.pk, duplicate.pk])

    record = contact_merge(keep=keep, duplicate=duplicate, actor=lead)

    assert _related_counts([keep.pk]) == before
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert sorted(keep.tags.values_list("name", flat=True)) == ["autos", "border"]
    assert (keep.influence, keep.bioguide_id) == (4, "Z999999")
    assert record.kept_person == keep
    assert record.duplicate_id == duplicate.pk
    assert record.moved["positions"] == 1
    assert record.moved["contact_points"] == 2
    assert record.moved["tags"] == 1
    assert record.duplicate_snapshot["last_name"] == "Synthetic-Merge"
    assert record.actor == lead


def test_merge_drops_only_edges_between_the_two_and_seats_already_held(lead):
    keep, duplicate = PersonFactory(), PersonFactory()
    RelationshipFactory(from_person=duplicate, to_person=keep)
    committee = CommitteeFactory(code="HSWM")
    CommitteeMembershipFactory(person=keep, committee=committee)
    CommitteeMembershipFactory(person=duplicate, committee=committee)

    record = contact_merge(keep=keep, duplicate=duplicate, actor=lead)

    assert record.moved["relationships_between_the_two_removed"] == 1
    assert record.moved["committee_seats_already_held"] == 1
    assert Relationship.objects.count() == 0
    assert CommitteeMembership.objects.get().person == keep


def test_merge_calls_registered_hooks_before_deleting(lead):
    calls = []

    def hook(*, keep, duplicate, kind):
        calls.append((keep.pk, duplicate.pk, kind, Person.objects.filter(pk=duplicate.pk).exists()))
        return {"interactions": 3}

    register_merge_hook(hook)
    register_merge_hook(hook)
    try:
        keep, duplicate = PersonFactory(), PersonFactory()
        record = contact_merge(keep=keep, duplicate=duplicate, actor=lead)
    finally:
        _HOOKS.remove(hook)
    assert calls == [(keep.pk, duplicate.pk, "person", True)]
    assert record.moved["interactions"] == 3


def test_merge_organizations_moves_positions_and_presence(lead, reference_data):
    from trade.models import State

    keep, duplicate = OrganizationFactory(), OrganizationFactory(website="https://synthetic.example")
    PositionFactory(organization=duplicate)
    duplicate.state_presence.create(state=State.objects.get(code="MI"), employees=120)
    ContactPoint.objects.create(organization=duplicate, kind="phone", value="202-555-0101")

    record = contact_merge(keep=keep, duplicate=duplicate, actor=lead)

    keep.refresh_from_db()
    assert (keep.positions.count(), keep.contact_points.count(), keep.state_presence.get().employees) == (1, 1, 120)
    assert keep.website == "https://synthetic.example"
    assert record.kept_organization == keep
    assert not Organization.objects.filter(pk=duplicate.pk).exists()


def test_merge_refused_for_officers_and_mismatched_records(officer, lead):
    keep, duplicate = PersonFactory(), PersonFactory()
    with pytest.raises(PermissionDeniedError):
        contact_merge(keep=keep, duplicate=duplicate, actor=officer)
    with pytest.raises(DomainValidationError):
        contact_merge(keep=keep, duplicate=keep, actor=lead)
    with pytest.raises(DomainValidationError):
        contact_merge(keep=keep, duplicate=OrganizationFactory(), actor=lead)
    assert Person.objects.count() == 2
    assert MergeRecord.objects.count() == 0
