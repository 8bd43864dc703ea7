"""Audit history of many-to-many fields: links added to and removed from a tracked record are events on
that record, naming the field and the linked rows, with the same actor and request/job id as any write.

PostgreSQL records them with statement triggers on the link tables (so bulk inserts, raw SQL and COPY
are caught too); SQLite with the m2m_changed signal (and the through model's signals when it has fields
of its own). Tests without a skip mark hold on both."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string

from contacts.models import OrganizationStatePresence, Person
from core import audit
from core.models import AuditEvent
from core.roles import Role
from core.selectors import history_for
from tests.contacts.factories import OrganizationFactory, PersonFactory, TagFactory
from tests.outreach.factories import InteractionFactory, StateFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db
on_postgres = connection.vendor == "postgresql"


def _links(obj, **filters) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk), action__in=["add", "remove"], **filters
    )
    return list(events.order_by("id"))


def _summary(events: list[AuditEvent]) -> list[tuple]:
    """(action, {field: [(id, label), ...]}) per event, for readable assertions."""
    rows = []
    for event in events:
        values = event.after if event.action == "add" else event.before
        rows.append((event.action, {name: [(i["id"], i["label"]) for i in items] for name, items in values.items()}))
    return rows


@pytest.fixture
def tags(db):
    return [TagFactory(name=name) for name in ("border caucus", "auto caucus", "energy")]


def test_every_many_to_many_field_of_the_issue_is_tracked():
    fields = {(link.parent_label, link.field) for link in audit.tracked_links()}
    assert fields >= {
        ("contacts.person", "states"),
        ("contacts.person", "pillars"),
        ("contacts.person", "tags"),
        ("contacts.organization", "states"),
        ("contacts.organization", "pillars"),
        ("contacts.organization", "tags"),
        ("outreach.interaction", "staff"),
        ("outreach.interaction", "people"),
        ("outreach.interaction", "organizations"),
        ("outreach.interaction", "states"),
        ("outreach.interaction", "pillars"),
    }


def test_add_remove_set_and_clear_are_recorded_with_labels_and_context(make_user, tags):
    border, autos, energy = tags
    person = PersonFactory()
    lead = make_user(Role.LEAD, username="tagger")
    with audit.audit_context(source="web", user=lead, request_id="req-links-1"):
        person.tags.add(border, autos)
        person.tags.add(border)  # already linked: nothing new
        person.tags.remove(energy)  # never linked: nothing removed
        person.tags.set([autos, energy])
        person.tags.clear()
    events = _links(person)
    assert _summary(events) == [
        ("add", {"tags": [(border.pk, "border caucus"), (autos.pk, "auto caucus")]}),
        ("remove", {"tags": [(border.pk, "border caucus")]}),
        ("add", {"tags": [(energy.pk, "energy")]}),
        ("remove", {"tags": [(autos.pk, "auto caucus"), (energy.pk, "energy")]}),
    ]
    assert {(e.actor_id, e.actor_label, e.source, e.request_id) for e in events} == {
        (lead.pk, "tagger", "web", "req-links-1")
    }
    assert all(e.at is not None for e in events)


def test_links_written_from_the_other_side_are_recorded_on_each_parent(tags):
    border = tags[0]
    first, second = PersonFactory(), PersonFactory()
    with audit.audit_context(source="job", actor="job:retag", job_id="job-77"):
        border.people.add(first, second)
        border.people.remove(second)
    assert _summary(_links(first)) == [("add", {"tags": [(border.pk, "border caucus")]})]
    assert _summary(_links(second)) == [
        ("add", {"tags": [(border.pk, "border caucus")]}),
        ("remove", {"tags": [(border.pk, "border caucus")]}),
    ]
    assert {(e.source, e.actor_label, e.job_id) for e in _links(second)} == {("job", "job:retag", "job-77")}


def test_interaction_links_name_their_field(lead):
    person = SyntheticPersonFactory(full_name="Synthetic Person Linked")
    interaction = InteractionFactory(created_by=lead)
    interaction.people.add(person)
    interaction.staff.add(lead)
    assert _summary(_links(interaction))[-2:] == [
        ("add", {"people": [(person.pk, "Synthetic Person Linked")]}),
        ("add", {"staff": [(lead.pk, "lead")]}),
    ]


def test_through_model_with_fields_of_its_own(tags):
    """Organization.states goes through OrganizationStatePresence, which is also written directly."""
    michigan, ohio = StateFactory(code="MI", name="Michigan"), StateFactory(code="OH", name="Ohio")
    organization, other = OrganizationFactory(), OrganizationFactory()
    organization.states.add(michigan)
    presence = OrganizationStatePresence.objects.create(organization=organization, state=ohio, employees=10)
    presence.employees = 12
    presence.save()  # not a link change
    presence.organization = other  # a merge moves the presence to the kept organization
    presence.save()
    OrganizationStatePresence.objects.get(organization=organization, state=michigan).delete()
    assert _summary(_links(organization)) == [
        ("add", {"states": [(michigan.pk, "Michigan")]}),
        ("add", {"states": [(ohio.pk, "Ohio")]}),
        ("remove", {"states": [(ohio.pk, "Ohio")]}),
        ("remove", {"states": [(michigan.pk, "Michigan")]}),
    ]
    assert _summary(_links(other)) == [("add", {"states": [(ohio.pk, "Ohio")]})]


def test_history_shows_links_with_labels(make_user, tags):
    person = PersonFactory()
    person.tags.add(tags[0], tags[1])
    person.tags.remove(tags[0])
    lead = make_user(Role.LEAD)
    removed, added = history_for(person, lead)[:2]
    assert (added.action_label, [(c.field, c.after) for c in added.changes]) == (
        "linked",
        [("tags", "border caucus, auto caucus")],
    )
    assert (removed.action_label, [(c.field, c.before) for c in removed.changes]) == (
        "unlinked",
        [("tags", "border caucus")],
    )
    html = render_to_string("core/_history.html", {"history": history_for(person, lead)})
    assert "border caucus, auto caucus" in html and "unlinked" in html


def test_history_with_links_stays_one_query(make_user, tags, django_assert_num_queries):
    lead = make_user(Role.LEAD)
    from core.roles import role_of

    role_of(lead)
    person = PersonFactory()
    for tag in tags * 5:
        person.tags.add(tag)
        person.tags.remove(tag)
    with django_assert_num_queries(1):
        assert len(history_for(person, lead)) == 31


@pytest.mark.skipif(not on_postgres, reason="link triggers: PostgreSQL only")
def test_bulk_and_raw_link_writes_are_recorded_on_postgresql(tags):
    border, autos, energy = tags
    people = [PersonFactory() for _ in range(3)]
    with audit.audit_context(source="command", actor="command:retag", job_id="retag-1"):
        Person.tags.through.objects.bulk_create(
            [Person.tags.through(person=p, tag=t) for p in people for t in (border, autos)]
        )
    # One event per person for the whole statement, with both links.
    for person in people:
        [event] = _links(person)
        assert _summary([event]) == [("add", {"tags": [(border.pk, "border caucus"), (autos.pk, "auto caucus")]})]
        assert (event.actor_label, event.job_id) == ("command:retag", "retag-1")
    first = people[0]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO contacts_person_tags (person_id, tag_id) VALUES (%s, %s)", [first.pk, energy.pk])
        cursor.execute("DELETE FROM contacts_person_tags WHERE person_id = %s AND tag_id = %s", [first.pk, border.pk])
    assert _summary(_links(first))[1:] == [
        ("add", {"tags": [(energy.pk, "energy")]}),
        ("remove", {"tags": [(border.pk, "border caucus")]}),
    ]


@pytest.mark.skipif(not on_postgres, reason="link triggers: PostgreSQL only")
def test_a_bulk_update_moving_links_is_a_remove_and_an_add(tags):
    """What a merge does to positions, done to links: re-point rows with one UPDATE."""
    duplicate, keep = PersonFactory(), PersonFactory()
    duplicate.tags.add(tags[2])
    Person.tags.through.objects.filter(person=duplicate).update(person=keep)
    assert _summary(_links(duplicate)) == [
        ("add", {"tags": [(tags[2].pk, "energy")]}),
        ("remove", {"tags": [(tags[2].pk, "energy")]}),
    ]
    assert _summary(_links(keep)) == [("add", {"tags": [(tags[2].pk, "energy")]})]


@pytest.mark.skipif(not on_postgres, reason="COPY: PostgreSQL only")
def test_copy_into_a_link_table_is_recorded(tags):
    """The synthetic seeding writes links with COPY: one event per parent per COPY."""
    from core.synthetic import BulkWriter

    people = [PersonFactory() for _ in range(2)]
    with audit.audit_context(source="command", actor="command:seed_synthetic", job_id="seed-1"):
        BulkWriter(using="default").insert(
            Person.tags.through, ["person_id", "tag_id"], [(p.pk, t.pk) for p in people for t in tags]
        )
    for person in people:
        [event] = _links(person)
        assert [item["label"] for item in event.after["tags"]] == ["border caucus", "auto caucus", "energy"]
        # COPY bypasses Django's statement wrapper; the writer sets the context around it.
        assert (event.actor_label, event.job_id) == ("command:seed_synthetic", "seed-1")


@pytest.mark.skipif(on_postgres, reason="the SQLite fallback's documented limit")
def test_bulk_link_writes_are_not_recorded_on_sqlite(tags):
    person = PersonFactory()
    Person.tags.through.objects.bulk_create([Person.tags.through(person=person, tag=tags[0])])
    assert _links(person) == []
