"""Audit history across the apps: every tracked model, every write path (page, API, admin, management
command, Celery task, bulk update), and who may see the history on record pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core import audit
from core.forms import VersionedFormMixin
from core.models import AuditEvent
from core.roles import Role
from core.selectors import history_for
from outreach.models import Campaign, FollowUp, Interaction
from tests.contacts.factories import PersonFactory
from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db
on_postgres = connection.vendor == "postgresql"
SECRET = "audit-secret-5d1e: said privately"

REQUIRED = {
    "contacts.person",
    "contacts.organization",
    "contacts.position",
    "contacts.relationship",
    "outreach.interaction",
    "outreach.followup",
    "outreach.campaign",
    "outreach.campaigntarget",
    "trade.tariffscenario",
    "trade.scenariorate",
    "trade.scenariochapterrate",
    "trade.datarelease",
    "briefings.talkingpoint",
    "briefings.briefingpacket",
}


def _events(model: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(model=model, **filters).order_by("id"))


def test_every_model_the_issue_names_is_tracked():
    assert {entry.label for entry in audit.tracked_models()} >= REQUIRED


def test_interaction_notes_follow_the_notes_rule():
    entry = audit.tracked_entry(Interaction)
    assert entry.confidential_fields == ("confidential_notes",)


def test_page_write_is_recorded_with_user_and_request_id(officer, client_for):
    person = SyntheticPersonFactory()
    response = client_for(officer).post(
        "/interactions/new/",
        {
            "kind": "call",
            "people": [person.pk],
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Quick log from the page",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    interaction = Interaction.objects.get()
    event, *linked = _events("outreach.interaction", object_id=str(interaction.pk))
    assert (event.action, event.source, event.actor_id, event.actor_label) == ("insert", "web", officer.pk, "officer")
    assert event.request_id and event.after["summary"] == "Quick log from the page"
    # The people met and the staff present are many-to-many fields: linking them is part of the same
    # request's history.
    assert {(e.action, e.actor_id, e.request_id) for e in linked} == {("add", officer.pk, event.request_id)}
    assert sorted((e.after for e in linked), key=str) == [
        {"people": [{"id": person.pk, "label": person.full_name}]},
        {"staff": [{"id": officer.pk, "label": "officer"}]},
    ]


def test_api_write_is_recorded_with_before_and_after(officer, api_for):
    person = SyntheticPersonFactory()
    client = api_for(officer)
    created = client.post(
        "/api/interactions/", {"kind": "call", "people": [person.pk], "summary": "first"}, format="json"
    ).json()
    client.patch(
        f"/api/interactions/{created['id']}/",
        {"summary": "second"},
        format="json",
        HTTP_IF_MATCH=f'"{created["version"]}"',
    )
    events = _events("outreach.interaction", object_id=str(created["id"]), action__in=["insert", "update"])
    assert [e.action for e in events] == ["insert", "update"]
    assert (events[1].before, events[1].after) == ({"summary": "first"}, {"summary": "second"})
    assert {(e.source, e.actor_id) for e in events} == {("web", officer.pk)}
    assert all(e.request_id for e in events)


def test_follow_up_page_and_completion_are_recorded(officer, client_for):
    client = client_for(officer)
    due = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post("/follow-ups/new/", {"what": "Send figures", "assignee": officer.pk, "due_date": due})
    assert response.status_code == 302, response.content.decode()[:1500]
    follow_up = FollowUp.objects.get()
    client.post(f"/follow-ups/{follow_up.pk}/done/")
    events = _events("outreach.followup", object_id=str(follow_up.pk))
    assert [e.action for e in events] == ["insert", "update"]
    assert events[1].after["status"] == "done" and events[1].actor_id == officer.pk


def test_admin_write_is_recorded(admin_user_role, client_for):
    campaign = Campaign.objects.create(name="Governors", owner=admin_user_role)
    response = client_for(admin_user_role).post(
        f"/admin/outreach/campaign/{campaign.pk}/change/",
        {
            "name": "Border governors",
            "objective": "",
            "owner": admin_user_role.pk,
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = _events("outreach.campaign", object_id=str(campaign.pk), action="update")
    assert [(e.before["name"], e.after["name"], e.actor_id, e.source) for e in update] == [
        ("Governors", "Border governors", admin_user_role.pk, "web")
    ]


@pytest.fixture
def trade_reference(db):
    import io

    from trade.public_data import load_reference

    load_reference(stdout=io.StringIO())


def test_import_command_is_recorded_with_a_run_id(monkeypatch, tmp_path, trade_reference):
    from trade.models import DataRelease

    path = tmp_path / "annual.csv"
    path.write_text("year,state,state_name,flow,value_usd\n2024,MI,Michigan,export,100\n")
    monkeypatch.setattr("sys.argv", ["manage.py", "import_trade", str(path)])
    monkeypatch.setattr(audit, "_process_default", None)
    call_command("import_trade", str(path), "--format", "bts-annual", stdout=io.StringIO())
    release = DataRelease.objects.get()
    [event] = _events("trade.datarelease", object_id=str(release.pk))
    assert (event.action, event.source, event.actor_label) == ("insert", "command", "command:import_trade")
    assert event.job_id.startswith("import_trade:")


@pytest.mark.skipif(not on_postgres, reason="bulk_create is recorded by the PostgreSQL triggers only")
def test_bulk_stakeholder_import_is_recorded_on_postgresql(monkeypatch, trade_reference):
    monkeypatch.setattr("sys.argv", ["manage.py", "import_stakeholders", "--source", "governors"])
    monkeypatch.setattr(audit, "_process_default", None)
    call_command("import_stakeholders", "--source", "governors", stdout=io.StringIO())
    events = _events("contacts.person", action="insert")
    assert len(events) >= 50
    assert {(e.source, e.actor_label) for e in events} == {("command", "command:import_stakeholders")}
    assert len({e.job_id for e in events}) == 1


def test_celery_task_write_is_recorded_with_the_task_id(tmp_path, trade_reference):
    from trade.models import DataRelease
    from trade.tasks import import_file

    path = tmp_path / "annual.csv"
    path.write_text("year,state,state_name,flow,value_usd\n2024,MI,Michigan,export,100\n")
    result = import_file.apply(
        kwargs={"path": str(path), "format": "bts-annual", "file_name": "annual.csv"}, task_id="import-task-7"
    )
    assert result.successful(), result.traceback
    release = DataRelease.objects.get()
    [event] = _events("trade.datarelease", object_id=str(release.pk))
    assert (event.action, event.source, event.actor_label, event.job_id) == (
        "insert",
        "job",
        "job:trade.import_file",
        "import-task-7",
    )


def test_bulk_update_is_recorded_on_postgresql(lead):
    interactions = [InteractionFactory(created_by=lead) for _ in range(3)]
    with audit.audit_context(source="job", actor="job:bulk-fix", job_id="bulk-1"):
        Interaction.objects.filter(pk__in=[i.pk for i in interactions]).update(location="Ottawa")
    events = _events("outreach.interaction", action="update")
    if on_postgres:
        assert sorted(int(e.object_id) for e in events) == sorted(i.pk for i in interactions)
        assert {(e.actor_label, e.job_id, e.after["location"]) for e in events} == {
            ("job:bulk-fix", "bulk-1", "Ottawa")
        }
    else:
        # Documented SQLite limit: queryset .update() bypasses the signal fallback.
        assert events == []


# --- who sees history -----------------------------------------------------------------------------


@pytest.fixture
def noted(make_user):
    author = make_user(Role.OFFICER, username="author")
    person = SyntheticPersonFactory()
    interaction = InteractionFactory(created_by=author, people=[person], confidential_notes="first note")
    Interaction.objects.filter(pk=interaction.pk).first()
    interaction.confidential_notes = SECRET
    interaction.summary = "Edited summary"
    interaction.save()
    return author, interaction


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
def test_viewer_and_officer_never_see_history(role, noted, make_user, client_for):
    author, interaction = noted
    for user in (make_user(role, username=f"reader-{role.name}"), author):
        if role == Role.VIEWER and user is author:
            continue
        assert history_for(interaction, user) is None
        body = client_for(user).get(f"/interactions/{interaction.pk}/").content.decode()
        assert f'id="history-interaction-{interaction.pk}"' not in body
        if user is not author:
            assert SECRET not in body and "first note" not in body


def test_lead_sees_history_on_record_pages(noted, lead, client_for):
    _, interaction = noted
    person = interaction.people.get()
    campaign = Campaign.objects.create(name="Synthetic push", owner=lead)
    client = client_for(lead)
    pages = {
        f"/interactions/{interaction.pk}/": f"history-interaction-{interaction.pk}",
        f"/stakeholders/{person.pk}/": f"history-person-{person.pk}",
        f"/campaigns/{campaign.pk}/": f"history-campaign-{campaign.pk}",
    }
    for url, anchor in pages.items():
        body = client.get(url).content.decode()
        assert f'id="{anchor}"' in body, url
    body = client.get(f"/interactions/{interaction.pk}/").content.decode()
    assert "Edited summary" in body and SECRET in body


def test_organization_and_scenario_pages_show_history_to_admin_only_above_officer(admin_user_role, officer, client_for):
    from contacts.models import Organization
    from trade.models import TariffScenario

    organization = Organization.objects.create(name="Synthetic Mills", org_type="company")
    scenario = TariffScenario.objects.create(slug="audit-test", name="Audit test scenario")
    admin_client = client_for(admin_user_role)
    assert (
        f'id="history-organization-{organization.pk}"'
        in admin_client.get(f"/organizations/{organization.pk}/").content.decode()
    )
    assert f'id="history-tariffscenario-{scenario.pk}"' in admin_client.get("/scenarios/").content.decode()
    officer_client = client_for(officer)
    assert "history-organization" not in officer_client.get(f"/organizations/{organization.pk}/").content.decode()
    assert "history-tariffscenario" not in officer_client.get("/scenarios/").content.decode()


def test_confidential_values_hidden_in_history_for_anyone_the_notes_rule_refuses(noted, make_user):
    """History is Lead-only today; if it ever opens wider, the notes rule still hides the values."""
    author, interaction = noted
    entry = audit.tracked_entry(Interaction)
    other = make_user(Role.OFFICER, username="other-officer")
    assert entry.can_see_confidential(other, interaction) is False
    assert entry.can_see_confidential(author, interaction) is True
    assert entry.can_see_confidential(make_user(Role.LEAD, username="a-lead"), interaction) is True


def test_person_history_records_officer_edit(officer, client_for, lead):
    person = PersonFactory(owner=officer, first_name="Ann", last_name="Audit", kind="other")
    client_for(officer).post(
        f"/stakeholders/{person.pk}/edit/",
        {
            "first_name": "Ann",
            "last_name": "Audit",
            "kind": "other",
            "stance": person.stance,
            "title": "Mayor",
            "version": VersionedFormMixin.version_token(person.version),
        },
    )
    history = history_for(person, lead)
    assert history is not None and history[0].actor == "officer"
    assert any(change.after == "Mayor" for change in history[0].changes)


# --- every model the issue names has its history on a page Leads and Admins open -----------------


@pytest.fixture
def one_of_each(lead):
    """A row of every model the issue names, each changed once, and the page that shows its history."""
    from briefings.models import TalkingPoint
    from contacts.models import Organization, Position, Relationship
    from tests.briefings.factories import PacketFactory, TalkingPointFactory
    from tests.contacts.factories import TagFactory
    from tests.outreach.factories import CampaignTargetFactory, FollowUpFactory, StateFactory
    from tests.trade.factories import (
        DataReleaseFactory,
        HSChapterFactory,
        ScenarioRateFactory,
        TariffScenarioFactory,
    )

    person, other = SyntheticPersonFactory(), SyntheticPersonFactory()
    from contacts.models import OfficeTransition

    OfficeTransition.objects.create(predecessor=other, successor=person, takes_office_on=dt.date(2027, 1, 3))
    person.tags.add(TagFactory(name="border caucus"))
    organization = Organization.objects.create(name="Synthetic Mills", org_type="company", is_synthetic=True)
    Position.objects.create(person=person, organization=organization, title="Adviser")
    relationship = Relationship.objects.create(from_person=other, to_person=person, kind="ally_of")
    interaction = InteractionFactory(created_by=lead, people=[person])
    follow_up = FollowUpFactory(assignee=lead, person=person, interaction=interaction)
    campaign = Campaign.objects.create(name="Synthetic push", owner=lead)
    target = CampaignTargetFactory(campaign=campaign, person=person)
    scenario = TariffScenarioFactory(slug="audit-pages", name="Audit pages scenario")
    rate = ScenarioRateFactory(scenario=scenario, hs_chapter=HSChapterFactory(code="27"))
    DataReleaseFactory(title="Synthetic release for the audit")
    point = TalkingPointFactory()
    assert TalkingPoint.objects.filter(pk=point.pk).exists()
    packet = PacketFactory(state=StateFactory(code="ZY", name="Synthetic State"), requested_by=lead)
    assert relationship.pk and target.pk and rate.pk
    record = '<span class="history-record">'  # each row of another record, named by its label, never its id
    return {
        f"/stakeholders/{person.pk}/": [
            f'id="history-person-{person.pk}"',
            "border caucus",
            f"{record}Position: Adviser</span>",
            f"{record}Relationship</span>",
            f"{record}Follow up: {follow_up.what}</span>",
            f"{record}Office transition</span>",
        ],
        f"/organizations/{organization.pk}/": [f"{record}Position: Adviser</span>"],
        f"/interactions/{interaction.pk}/": [
            f'id="history-interaction-{interaction.pk}"',
            f"{record}Follow up: {follow_up.what}</span>",
        ],
        f"/campaigns/{campaign.pk}/": [f"{record}Campaign target"],
        "/scenarios/": [f'id="history-tariffscenario-{scenario.pk}"', f"{record}Scenario rate"],
        "/data-releases/": [
            'id="history-datarelease"',
            f"{record}Data release: Synthetic release for the audit</span>",
        ],
        "/briefings/talking-points/": ['id="history-talkingpoint"', f"{record}Talking point: "],
        f"/briefings/{packet.pk}/": [f'id="history-briefingpacket-{packet.pk}"'],
    }


def test_every_named_model_has_its_history_on_a_page_for_leads_and_admins(one_of_each, lead, admin_user_role):
    from django.test import Client

    from tests.core.otp import otp_verify_session

    for user in (lead, admin_user_role):
        browser = Client()
        browser.force_login(user)
        otp_verify_session(browser, user)
        for url, markers in one_of_each.items():
            body = browser.get(url).content.decode()
            for marker in markers:
                assert marker in body, (user.username, url, marker)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
def test_those_pages_show_no_history_to_viewers_and_officers(role, one_of_each, make_user, client_for):
    client = client_for(make_user(role, username=f"no-history-{role.name}"))
    for url in one_of_each:
        response = client.get(url)
        if response.status_code == 404:  # a packet or campaign this role may not open
            continue
        body = response.content.decode()
        assert 'class="card history"' not in body, url
        assert "Position #" not in body and "Talking point #" not in body, url
