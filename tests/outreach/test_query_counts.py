"""Every list page, list endpoint and admin changelist runs the same number of queries at 10 and 200 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.choices import TargetStatus
from outreach.models import Commitment
from tests.core.factories import UserFactory
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    FollowUpFactory,
    InteractionFactory,
    StateFactory,
    SyntheticOrganizationFactory,
    SyntheticPersonFactory,
    exposure_snapshot,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_constant(client, url: str, grow) -> None:
    grow(10)
    small = queries(client, url)
    grow(190)
    assert queries(client, url) == small


@pytest.fixture
def rich_interactions(lead):
    state = StateFactory(code="OH", name="Ohio")
    org = SyntheticOrganizationFactory()
    staff = UserFactory()
    exposure_snapshot(totals={state: (1000, 10)})

    def grow(n):
        for index in range(n):
            people = [SyntheticPersonFactory(states=[state]), SyntheticPersonFactory()]
            when = (
                timezone.now() + dt.timedelta(days=1 + index % 20)
                if index % 2
                else timezone.now() - dt.timedelta(days=index)
            )
            interaction = InteractionFactory(people=people, created_by=lead, kind="meeting", occurred_at=when)
            interaction.organizations.add(org)
            interaction.states.add(state)
            interaction.staff.add(lead, staff)
            Commitment.objects.create(interaction=interaction, party="us", description="Send a note")

    return grow


INTERACTION_URLS = [
    "/",
    "/interactions/",
    "/interactions/export.csv",
    "/calendar/?all=1",
    "/priorities/",
    "/coverage/",
    "/api/interactions/?page_size=200",
    "/api/priorities/?page_size=200",
]


def test_interaction_driven_lists(client_for, lead, rich_interactions):
    client = client_for(lead)
    rich_interactions(10)
    counts = [queries(client, url) for url in INTERACTION_URLS]
    rich_interactions(190)
    assert [queries(client, url) for url in INTERACTION_URLS] == counts


def test_follow_up_lists(client_for, lead):
    person = SyntheticPersonFactory()

    def grow(n):
        for index in range(n):
            FollowUpFactory(
                assignee=lead,
                person=person,
                interaction=InteractionFactory(people=[person]),
                due_date=timezone.localdate() + dt.timedelta(days=index % 5 - 2),
            )

    client = client_for(lead)
    grow(10)
    counts = [queries(client, url) for url in ("/follow-ups/", "/api/follow-ups/?page_size=200", "/")]
    grow(190)
    assert [queries(client, url) for url in ("/follow-ups/", "/api/follow-ups/?page_size=200", "/")] == counts


def test_campaign_lists_and_targets(client_for, lead):
    campaign = CampaignFactory()
    statuses = list(TargetStatus.values)

    def grow(n):
        for index in range(n):
            CampaignFactory(owner=lead)
            CampaignTargetFactory(campaign=campaign, status=statuses[index % len(statuses)])
            CampaignTargetFactory(campaign=campaign, person=None, organization=SyntheticOrganizationFactory())

    urls = [
        "/campaigns/",
        f"/campaigns/{campaign.pk}/",
        "/api/campaigns/?page_size=200",
        f"/api/campaigns/{campaign.pk}/targets/?page_size=200",
    ]
    client = client_for(lead)
    grow(10)
    counts = [queries(client, url) for url in urls]
    grow(190)
    assert [queries(client, url) for url in urls] == counts


ADMIN_MODELS = [
    "interaction",
    "commitment",
    "followup",
    "campaign",
    "campaigntarget",
    "priorityweights",
    "calendartoken",
]


def test_admin_changelists(client_for, admin_user_role):
    from outreach import services

    def grow(n):
        for _ in range(n):
            interaction = InteractionFactory(created_by=admin_user_role)
            Commitment.objects.create(interaction=interaction, party="them", description="x")
            FollowUpFactory(person=interaction.people.first(), assignee=admin_user_role)
            CampaignTargetFactory(campaign=CampaignFactory(owner=admin_user_role))
            services.calendar_token_issue(user=admin_user_role)

    client = client_for(admin_user_role)
    urls = [f"/admin/outreach/{model}/" for model in ADMIN_MODELS]
    grow(10)
    counts = [queries(client, url) for url in urls]
    grow(190)
    assert [queries(client, url) for url in urls] == counts
