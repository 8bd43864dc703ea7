import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import Person, StanceEntry
from core.errors import ConflictError, DomainValidationError
from core.models import OutboxMessage
from core.roles import Role
from outreach import services
from outreach.choices import CommitmentParty, FollowUpStatus, InteractionKind, TargetStatus
from outreach.models import CampaignTarget, Commitment, FollowUp, Interaction
from tests.outreach.factories import (
    CampaignFactory,
    CampaignTargetFactory,
    FollowUpFactory,
    InteractionFactory,
    StateFactory,
    SyntheticOrganizationFactory,
    SyntheticPersonFactory,
)

pytestmark = pytest.mark.django_db


def real_person(**kwargs) -> Person:
    return Person.objects.create(last_name="Realperson", full_name="Rita Realperson", **kwargs)


def test_quick_log_with_only_the_essentials(officer):
    person = SyntheticPersonFactory()
    interaction = services.interaction_log(
        actor=officer, kind=InteractionKind.CALL, summary=" Talked lumber ", people=[person]
    )
    assert interaction.summary == "Talked lumber"
    assert list(interaction.people.all()) == [person]
    assert list(interaction.staff.all()) == [officer]
    assert interaction.created_by == officer
    assert interaction.is_synthetic is True
    assert abs((timezone.now() - interaction.occurred_at).total_seconds()) < 60
    assert OutboxMessage.objects.filter(task_name="outreach.notify_stakeholder_owners").count() == 1


def test_log_with_commitments_and_confirmed_stance_adds_stance_history(officer):
    person = SyntheticPersonFactory()
    interaction = services.interaction_log(
        actor=officer,
        kind=InteractionKind.MEETING,
        summary="Met the governor",
        people=[person],
        stance_observed="supportive",
        stance_confirmed=True,
        commitments_by_them="Raise it with USTR\n\n",
        commitments_by_us=["Send the lumber one-pager", "  "],
    )
    person.refresh_from_db()
    assert person.stance == "supportive"
    entry = StanceEntry.objects.get(person=person)
    assert (entry.stance, entry.set_by, entry.set_at) == ("supportive", officer, interaction.occurred_at)
    assert sorted(Commitment.objects.values_list("party", "description")) == [
        (CommitmentParty.THEM, "Raise it with USTR"),
        (CommitmentParty.US, "Send the lumber one-pager"),
    ]


def test_unconfirmed_stance_changes_nothing(officer):
    person = SyntheticPersonFactory()
    services.interaction_log(actor=officer, kind="call", summary="x", people=[person], stance_observed="opposed")
    person.refresh_from_db()
    assert person.stance == "unknown"
    assert StanceEntry.objects.count() == 0


def test_stance_needs_one_of_the_people_present(officer):
    a, b = SyntheticPersonFactory(), SyntheticPersonFactory()
    with pytest.raises(DomainValidationError) as error:
        services.interaction_log(
            actor=officer, kind="call", summary="x", people=[a, b], stance_observed="neutral", stance_confirmed=True
        )
    assert "stance_person" in error.value.details
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"people": []}, "people"), ({"summary": "  "}, "summary"), ({"stance_confirmed": True}, "stance_observed")],
)
def test_log_validation_errors_create_nothing(officer, kwargs, field):
    base = {"kind": "call", "summary": "ok", "people": [SyntheticPersonFactory()]}
    with pytest.raises(DomainValidationError) as error:
        services.interaction_log(actor=officer, **{**base, **kwargs})
    assert field in error.value.details
    assert Interaction.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_viewer_cannot_log(viewer):
    with pytest.raises(DomainValidationError):
        services.interaction_log(actor=viewer, kind="call", summary="x", people=[SyntheticPersonFactory()])
    assert Interaction.objects.count() == 0


def test_synthetic_interactions_never_attach_to_real_people(officer):
    with pytest.raises(DomainValidationError) as error:
        services.interaction_log(actor=officer, kind="call", summary="demo", people=[real_person()], is_synthetic=True)
    assert "is_synthetic" in error.value.details
    with pytest.raises(DomainValidationError):
        services.interaction_log(
            actor=officer, kind="call", summary="demo", people=[real_person(), SyntheticPersonFactory()]
        )
    assert Interaction.objects.count() == 0


def test_real_log_of_a_real_person_is_not_synthetic(officer):
    interaction = services.interaction_log(actor=officer, kind="call", summary="real call", people=[real_person()])
    assert interaction.is_synthetic is False


def test_logging_moves_campaign_targets_forward_never_back(officer):
    person, org = SyntheticPersonFactory(), SyntheticOrganizationFactory()
    target = CampaignTargetFactory(person=person)
    org_target = CampaignTargetFactory(person=None, organization=org)
    committed = CampaignTargetFactory(person=person, status=TargetStatus.COMMITTED)
    ended = CampaignTargetFactory(
        person=person, campaign=CampaignFactory(end_date=timezone.localdate() - dt.timedelta(days=1))
    )
    call = services.interaction_log(actor=officer, kind="call", summary="x", people=[person], organizations=[org])
    for row in (target, org_target, committed, ended):
        row.refresh_from_db()
    assert (target.status, target.last_interaction) == (TargetStatus.CONTACTED, call)
    assert org_target.status == TargetStatus.CONTACTED
    assert committed.status == TargetStatus.COMMITTED
    assert ended.status == TargetStatus.NOT_CONTACTED
    services.interaction_log(actor=officer, kind="meeting", summary="y", people=[person])
    target.refresh_from_db()
    committed.refresh_from_db()
    assert target.status == TargetStatus.MEETING_HELD
    assert committed.status == TargetStatus.COMMITTED
    services.interaction_log(actor=officer, kind="email", summary="z", people=[person])
    target.refresh_from_db()
    assert target.status == TargetStatus.MEETING_HELD


def test_follow_up_create_complete_cancel(officer, lead):
    follow_up = services.follow_up_create(
        actor=officer, what="Send deck", assignee=officer, due_date=timezone.localdate()
    )
    assert follow_up.status == FollowUpStatus.OPEN
    done = services.follow_up_complete(follow_up=follow_up, actor=officer)
    assert (done.status, done.completed_by) == (FollowUpStatus.DONE, officer)
    assert done.completed_at is not None
    again = services.follow_up_complete(follow_up=follow_up, actor=officer)
    assert again.completed_at == done.completed_at
    with pytest.raises(ConflictError):
        services.follow_up_cancel(follow_up=follow_up, actor=lead)
    other = FollowUpFactory(assignee=officer)
    assert services.follow_up_cancel(follow_up=other, actor=lead).status == FollowUpStatus.CANCELLED


def test_follow_up_close_is_refused_for_other_officers(officer, make_user):
    follow_up = FollowUpFactory(assignee=officer)
    stranger = make_user(Role.OFFICER)
    with pytest.raises(DomainValidationError):
        services.follow_up_complete(follow_up=follow_up, actor=stranger)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN


def test_follow_up_needs_what_and_an_assignee_with_role(officer, make_user):
    with pytest.raises(DomainValidationError):
        services.follow_up_create(actor=officer, what=" ", assignee=officer, due_date=timezone.localdate())
    with pytest.raises(DomainValidationError):
        services.follow_up_create(actor=officer, what="x", assignee=make_user(None), due_date=timezone.localdate())
    assert FollowUp.objects.count() == 0


def test_campaign_targets_added_once(lead):
    campaign = services.campaign_create(actor=lead, name="Border-state governors, January")
    a, b = SyntheticPersonFactory(), SyntheticPersonFactory()
    org = SyntheticOrganizationFactory()
    assert services.campaign_targets_add(campaign=campaign, actor=lead, people=[a, b], organizations=[org]) == 3
    assert services.campaign_targets_add(campaign=campaign, actor=lead, people=[a]) == 0
    assert campaign.targets.count() == 3
    assert set(campaign.targets.values_list("status", flat=True)) == {TargetStatus.NOT_CONTACTED}


def test_campaign_create_needs_lead_and_sane_dates(officer, lead):
    with pytest.raises(DomainValidationError):
        services.campaign_create(actor=officer, name="x")
    with pytest.raises(DomainValidationError):
        services.campaign_create(actor=lead, name="x", start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 1, 1))


def test_bulk_log_one_interaction_per_target_all_or_nothing(officer):
    campaign = CampaignFactory()
    targets = [CampaignTargetFactory(campaign=campaign) for _ in range(3)]
    logged = services.interaction_log_bulk(actor=officer, targets=targets, kind="letter", summary="Sent the letter")
    assert len(logged) == 3
    assert set(CampaignTarget.objects.values_list("status", flat=True)) == {TargetStatus.CONTACTED}
    real_target = CampaignTarget.objects.create(campaign=campaign, person=real_person())
    with pytest.raises(DomainValidationError):
        services.interaction_log_bulk(
            actor=officer, targets=[targets[0], real_target], kind="letter", summary="x", is_synthetic=True
        )
    assert Interaction.objects.count() == 3


def test_calendar_token_issue_and_revoke(officer):
    first = services.calendar_token_issue(user=officer)
    second = services.calendar_token_issue(user=officer)
    assert first != second
    tokens = officer.calendar_tokens.order_by("created_at", "id")
    assert [t.revoked_at is None for t in tokens] == [False, True]
    assert services.calendar_token_revoke(user=officer) == 1
    assert officer.calendar_tokens.filter(revoked_at__isnull=True).count() == 0


def test_merge_hook_moves_history_and_keeps_furthest_target(officer):
    keep, duplicate = SyntheticPersonFactory(), SyntheticPersonFactory()
    interaction = InteractionFactory(people=[duplicate])
    follow_up = FollowUpFactory(person=duplicate)
    campaign = CampaignFactory()
    CampaignTargetFactory(campaign=campaign, person=keep)
    CampaignTargetFactory(campaign=campaign, person=duplicate, status=TargetStatus.MEETING_HELD)
    other = CampaignTargetFactory(person=duplicate)
    services.contact_merge_hook(keep=keep, duplicate=duplicate, kind="person")
    assert list(interaction.people.all()) == [keep]
    follow_up.refresh_from_db()
    other.refresh_from_db()
    assert follow_up.person == keep
    assert other.person == keep
    assert list(campaign.targets.values_list("person", "status")) == [(keep.pk, TargetStatus.MEETING_HELD)]


def test_campaign_targets_from_a_saved_segment(lead):
    from tests.contacts.factories import SavedSegmentFactory

    ohio = StateFactory(code="OH", name="Ohio")
    buckeyes = [SyntheticPersonFactory(states=[ohio]) for _ in range(2)]
    SyntheticPersonFactory()
    segment = SavedSegmentFactory(owner=lead, filters={"state": "OH"})
    campaign = CampaignFactory()
    assert services.campaign_targets_add_from_segment(campaign=campaign, segment=segment, actor=lead) == 2
    assert set(campaign.targets.values_list("person", flat=True)) == {p.pk for p in buckeyes}
    assert set(campaign.targets.values_list("source", flat=True)) == {"segment"}
    campaign.refresh_from_db()
    assert campaign.segment == segment
    assert services.campaign_targets_add_from_segment(campaign=campaign, segment=segment, actor=lead) == 0


def test_contacts_merge_moves_outreach_history(lead):
    from contacts.merge import contact_merge

    keep, duplicate = SyntheticPersonFactory(), SyntheticPersonFactory()
    interaction = InteractionFactory(people=[duplicate])
    follow_up = FollowUpFactory(person=duplicate)
    contact_merge(keep=keep, duplicate=duplicate, actor=lead)
    assert list(interaction.people.all()) == [keep]
    follow_up.refresh_from_db()
    assert follow_up.person == keep


def test_a_scheduled_meeting_counts_as_contacted_not_held(officer):
    person = SyntheticPersonFactory()
    target = CampaignTargetFactory(person=person)
    services.interaction_log(
        actor=officer,
        kind="meeting",
        summary="Booked",
        people=[person],
        occurred_at=timezone.now() + dt.timedelta(days=5),
    )
    target.refresh_from_db()
    assert target.status == TargetStatus.CONTACTED
