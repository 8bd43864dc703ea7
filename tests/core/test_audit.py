"""Audit history: every write to a tracked model is recorded with actor, time, values and request/job id."""

from datetime import UTC

import pytest
from celery import shared_task
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from contacts.models import Organization, Person, Position, Relationship
from core import audit
from core.middleware import AuditContextMiddleware
from core.models import AuditEvent
from core.roles import Role
from core.selectors import history_for

pytestmark = pytest.mark.django_db
on_postgres = connection.vendor == "postgresql"


def _person(**kwargs) -> Person:
    values = {"last_name": "Whitmer", "first_name": "Gretchen", "full_name": "Gretchen Whitmer", **kwargs}
    return Person.objects.create(**values)


def _events(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id"))


def test_contacts_models_are_registered():
    labels = {entry.label for entry in audit.tracked_models()}
    assert {"contacts.person", "contacts.organization", "contacts.position", "contacts.relationship"} <= labels


def test_create_update_delete_recorded_with_actor_and_request_id(make_user):
    lead = make_user(Role.LEAD, username="jlead")
    with audit.audit_context(source="web", user=lead, request_id="req-0001"):
        person = _person()
        person.title = "Governor of Michigan"
        person.save()
        person_id = person.pk
        person.delete()
    create, update, delete = (
        AuditEvent.objects.filter(model="contacts.person", object_id=str(person_id)).order_by("id").all()
    )
    assert [create.action, update.action, delete.action] == ["insert", "update", "delete"]
    for event in (create, update, delete):
        assert (event.actor_id, event.actor_label, event.source, event.request_id) == (
            lead.pk,
            "jlead",
            "web",
            "req-0001",
        )
        assert event.at.utcoffset() is not None and event.at.astimezone(UTC).tzinfo is UTC
    assert create.before is None and create.after["full_name"] == "Gretchen Whitmer"
    assert update.before == {"title": ""} and update.after == {"title": "Governor of Michigan"}
    assert delete.after is None and delete.before["title"] == "Governor of Michigan"


def test_saving_without_changes_records_nothing():
    person = _person()
    before = AuditEvent.objects.count()
    person.save()
    assert AuditEvent.objects.count() == before


def test_every_contacts_model_is_tracked_through_save_and_delete():
    person, other = _person(), _person(last_name="Ford", full_name="Doug Ford")
    org = Organization.objects.create(name="Michigan Manufacturers Association", org_type="industry_association")
    position = Position.objects.create(person=person, organization=org, title="Honorary chair")
    relationship = Relationship.objects.create(from_person=person, to_person=other, kind="ally_of")
    for obj in (org, position, relationship):
        assert [e.action for e in _events(obj)] == ["insert"]
    position_id = position.pk
    position.delete()
    events = AuditEvent.objects.filter(model="contacts.position", object_id=str(position_id))
    assert [e.action for e in events.order_by("id")] == ["insert", "delete"]


def test_bulk_update_is_recorded_on_postgresql_only():
    people = [_person(last_name=f"P{i}", full_name=f"Person {i}") for i in range(3)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(stance="supportive")
    updates = AuditEvent.objects.filter(model="contacts.person", action="update")
    if on_postgres:
        assert updates.count() == 3
        assert {(e.before["stance"], e.after["stance"]) for e in updates} == {("unknown", "supportive")}
    else:
        # SQLite fallback is signal-based: queryset.update() is not seen (documented in docs/security.md).
        assert updates.count() == 0


def test_queryset_delete_is_recorded_on_every_database():
    people = [_person(last_name=f"D{i}", full_name=f"Deleted {i}") for i in range(2)]
    Person.objects.filter(pk__in=[p.pk for p in people]).delete()
    assert AuditEvent.objects.filter(model="contacts.person", action="delete").count() == 2


@pytest.mark.skipif(not on_postgres, reason="triggers: PostgreSQL only")
def test_bulk_create_and_raw_sql_are_recorded_on_postgresql():
    Person.objects.bulk_create([Person(last_name="Bulk", full_name=f"Bulk {i}") for i in range(4)])
    assert AuditEvent.objects.filter(model="contacts.person", action="insert").count() == 4
    person = Person.objects.filter(full_name="Bulk 0").get()
    with connection.cursor() as cursor:
        # Raw SQL through Django still carries the process context; a literal % must survive.
        cursor.execute("UPDATE contacts_person SET title = 'Raw 100%%' WHERE id = %s", [person.pk])
    event = AuditEvent.objects.filter(model="contacts.person", action="update").get()
    assert event.after == {"title": "Raw 100%"}
    assert event.source in {"process", "command"}


@pytest.mark.skipif(not on_postgres, reason="triggers: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_writes_outside_the_application_name_the_database_role():
    import psycopg

    person = _person()
    params = connection.settings_dict
    # Like psql: a separate session that knows nothing about the application.
    with psycopg.connect(
        host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname=params["NAME"], autocommit=True
    ) as outside:
        outside.execute("UPDATE contacts_person SET title = 'psql' WHERE id = %s", [person.pk])
    event = AuditEvent.objects.filter(model="contacts.person", action="update").get()
    assert event.source == "database" and event.actor_label.startswith("database:")


@pytest.mark.skipif(not on_postgres, reason="append-only trigger: PostgreSQL only")
def test_audit_events_are_append_only():
    _person()
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.actor_label != "someone else"


def test_web_request_context_uses_request_user_and_id(make_user):
    officer = make_user(Role.OFFICER, username="offi")
    request = RequestFactory().post("/stakeholders/")
    request.user = officer
    request.request_id = "abcdef0123456789"

    def view(req):
        _person(last_name="Web", full_name="Web Person")
        return HttpResponse("ok")

    AuditContextMiddleware(view)(request)
    event = AuditEvent.objects.get(model="contacts.person")
    assert (event.actor_id, event.actor_label, event.request_id, event.source) == (
        officer.pk,
        "offi",
        "abcdef0123456789",
        "web",
    )


def test_request_through_the_full_stack_records_the_response_request_id(client_for, make_user, settings):
    """A real request: middleware order puts the user and request id in place before the view writes."""
    from django.urls import path

    from core.permissions import role_required

    @role_required(Role.OFFICER)
    def create_person(request):
        _person(last_name="Stack", full_name="Stack Person")
        return HttpResponse("created")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("t/create/", create_person)]})
    officer = make_user(Role.OFFICER, username="stackofficer")
    response = client_for(officer).post("/t/create/", HTTP_X_REQUEST_ID="stack-request-01")
    assert response.status_code == 200
    event = AuditEvent.objects.get(model="contacts.person")
    assert (event.actor_label, event.request_id) == ("stackofficer", "stack-request-01")


@shared_task(name="tests.audit_write_person")
def audit_write_person(name: str) -> int:
    return _person(last_name=name, full_name=name).pk


def test_celery_task_writes_carry_the_job_id():
    result = audit_write_person.apply(kwargs={"name": "Job Person"}, task_id="task-42")
    event = AuditEvent.objects.get(model="contacts.person", object_id=str(result.get()))
    assert (event.source, event.actor_label, event.job_id, event.actor_id) == (
        "job",
        "job:tests.audit_write_person",
        "task-42",
        None,
    )


def test_management_command_context(monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "import_people", "--file", "x.csv"])
    monkeypatch.setattr(audit, "_process_default", None)
    _person(last_name="Cmd", full_name="Command Person")
    event = AuditEvent.objects.get(model="contacts.person")
    assert event.source == "command" and event.actor_label == "command:import_people"
    assert event.job_id.startswith("import_people:")


# --- history_for and the partial ---------------------------------------------------------------


def test_history_is_for_lead_and_admin_only(make_user):
    person = _person()
    assert history_for(person, make_user(Role.VIEWER)) is None
    assert history_for(person, make_user(Role.OFFICER)) is None
    lead_history = history_for(person, make_user(Role.LEAD))
    assert [entry.action for entry in lead_history] == ["insert"]
    assert history_for(person, make_user(Role.ADMIN)) is not None


def test_confidential_fields_follow_the_models_rule(make_user, monkeypatch):
    lead, admin = make_user(Role.LEAD), make_user(Role.ADMIN)
    entry = audit.tracked_entry(Person)
    monkeypatch.setattr(entry, "confidential_fields", ("notes",))
    monkeypatch.setattr(entry, "can_see_confidential", lambda user, obj: user.username == admin.username)
    person = _person()
    person.notes = "Said privately she would back a carve-out"
    person.title = "Governor"
    person.save()
    update = history_for(person, lead)[0]
    assert [c.field for c in update.changes] == ["title"]
    assert update.hidden_changes == 1
    html = render_to_string("core/_history.html", {"history": history_for(person, lead)})
    assert "carve-out" not in html and "confidential field changed (hidden)" in html
    admin_update = history_for(person, admin)[0]
    assert {c.field: c.after for c in admin_update.changes} == {
        "title": "Governor",
        "staff notes": "Said privately she would back a carve-out",
    }


def test_history_partial_renders_changes(make_user):
    person = _person()
    person.stance = "supportive"
    person.save()
    html = render_to_string("core/_history.html", {"history": history_for(person, make_user(Role.LEAD))})
    assert "Unknown → Supportive" in html
    assert '<th scope="col">When</th>' in html and "Request or job" not in html  # no internal ids
    assert '<details class="history-fold">' in html  # folded: the record first, its history on request
    assert render_to_string("core/_history.html", {"history": None}).strip() == ""


def test_history_is_one_query_however_long(make_user, django_assert_num_queries):
    lead = make_user(Role.LEAD)
    from core.roles import role_of

    role_of(lead)
    person = _person()
    for i in range(30):
        person.title = f"Title {i}"
        person.save()
    with CaptureQueriesContext(connection) as long_history:
        assert len(history_for(person, lead)) == 31
    person.title = "Title 31"
    person.save()
    with CaptureQueriesContext(connection) as longer_history:
        assert len(history_for(person, lead)) == 32
    # The events in one query, then the labels of the rows they name in another.
    assert len(longer_history) == len(long_history) <= 2


# --- the rows that belong to a record, large values ---------------------------------------------------


def test_record_history_includes_the_rows_that_belong_to_it(make_user, django_assert_num_queries):
    """A person's positions, relationships (either end) and contact points show in the person's history,
    each marked with its record, deleted ones included; another person's rows do not. One query."""
    from contacts.models import ContactPoint

    lead = make_user(Role.LEAD)
    from core.roles import role_of

    role_of(lead)
    person, other = _person(), _person(last_name="Ford", full_name="Doug Ford")
    org = Organization.objects.create(name="Michigan Manufacturers Association", org_type="industry_association")
    position = Position.objects.create(person=person, organization=org, title="Honorary chair")
    position.title = "Chair"
    position.save()
    Relationship.objects.create(from_person=other, to_person=person, kind="ally_of")
    ContactPoint.objects.create(person=person, kind="email", value="gw@example.invalid")
    Position.objects.create(person=other, organization=org, title="Member")  # not this person's
    position.delete()
    with CaptureQueriesContext(connection) as queries:
        history = history_for(person, lead)
    assert len(queries) == 2  # the events, then the labels of every row they name
    rows = [(entry.record, entry.action) for entry in history]
    # Rows read as their labels, never as internal ids; a row deleted since says so.
    assert rows == [
        ("Position (deleted): Chair", "delete"),
        ("Contact point: gw@example.invalid", "insert"),
        ("Relationship", "insert"),
        ("Position (deleted): Chair", "update"),
        ("Position (deleted): Chair", "insert"),
        ("", "insert"),
    ]
    update = history[3]
    assert [(c.field, c.before, c.after) for c in update.changes] == [("title", "Honorary chair", "Chair")]
    # The organization's page shows the same position (it belongs to both), not the person's own rows.
    assert [(e.record, e.action) for e in history_for(org, lead)] == [
        ("Position (deleted): Chair", "delete"),
        ("Position: Member", "insert"),
        ("Position (deleted): Chair", "update"),
        ("Position (deleted): Chair", "insert"),
        ("", "insert"),
    ]


def test_large_values_are_summarised_or_cut(make_user, monkeypatch):
    lead = make_user(Role.LEAD)
    monkeypatch.setattr(audit.tracked_entry(Person), "summary_fields", ("notes",))
    person = _person()
    person.notes = "<p>" + "x" * 5000 + "</p>"
    person.bio = "y" * 800
    person.save()
    changes = {c.field: c.after for c in history_for(person, lead)[0].changes}
    import hashlib

    digest = hashlib.sha256(person.notes.encode()).hexdigest()[:12]
    assert changes["staff notes"] == f"5,007 characters, sha256 {digest}"
    assert changes["short bio"] == "y" * 500 + "… (800 characters)"
    html = render_to_string("core/_history.html", {"history": history_for(person, lead)})
    assert "x" * 100 not in html


def test_model_history_lists_every_row_for_leads_only(make_user):
    from core.selectors import model_history

    people = [_person(last_name=f"M{i}", full_name=f"Model {i}") for i in range(3)]
    people[0].delete()
    assert model_history(Person, make_user(Role.OFFICER)) is None
    history = model_history(Person, make_user(Role.LEAD))
    assert [(e.record, e.action) for e in history] == [
        ("Person (deleted): Model 0", "delete"),
        ("Person: Model 2", "insert"),
        ("Person: Model 1", "insert"),
        ("Person (deleted): Model 0", "insert"),
    ]


def test_history_names_the_rows_a_change_points_at(make_user):
    """A foreign key in a change reads as its row ("Michigan Manufacturers Association"), not "#12"."""
    lead = make_user(Role.LEAD)
    person = _person()
    org = Organization.objects.create(name="Michigan Manufacturers Association", org_type="industry_association")
    Position.objects.create(person=person, organization=org, title="Chair")
    insert = next(e for e in history_for(person, lead) if e.record.startswith("Position"))
    assert {c.field: c.after for c in insert.changes}["organization"] == "Michigan Manufacturers Association"


def test_history_shows_a_time_in_the_readers_time_zone():
    """A stored time (UTC, ISO) reads as a local date and time, not as "2026-12-04T21:10:17.489Z"."""
    from django.utils import timezone

    from core.selectors import _display
    from outreach.models import Interaction

    field = Interaction._meta.get_field("occurred_at")
    with timezone.override("America/Toronto"):
        assert _display(field, "2026-12-04T21:10:17.489Z") == "2026-12-04 16:10"
    with timezone.override("America/Vancouver"):
        assert _display(field, "2026-12-04T21:10:17.489Z") == "2026-12-04 13:10"
