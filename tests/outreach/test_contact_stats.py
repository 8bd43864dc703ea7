"""Per-person contact figures: kept right by the services, the admin and the catch-up job, and equal to a
recomputation from the interactions and commitments themselves."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, Min, Q
from django.utils import timezone

from contacts.models import Person
from outreach import services
from outreach.choices import CommitmentStatus, InteractionKind
from outreach.models import Commitment, Interaction, PersonContactStats
from outreach.selectors import coverage_by_state, priority_people
from tests.outreach.factories import StateFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db


def stats(person) -> tuple:
    row = PersonContactStats.objects.filter(person=person).first()
    if row is None:
        return (None, None, 0)
    return (row.last_contacted_at, row.next_contact_at, row.open_commitments_count)


def from_source(person, now) -> tuple:
    """The figures recomputed straight from the interactions (what the ranking computed per person before)."""
    interactions = Interaction.objects.filter(people=person)
    figures = interactions.aggregate(
        last=Max("occurred_at", filter=Q(occurred_at__lte=now)),
        upcoming=Min("occurred_at", filter=Q(occurred_at__gt=now)),
    )
    open_count = Commitment.objects.filter(interaction__people=person, status=CommitmentStatus.OPEN).count()
    return (figures["last"], figures["upcoming"], open_count)


def log(officer, people, *, days_ago: float = 1, **kwargs) -> Interaction:
    return services.interaction_log(
        actor=officer,
        kind=kwargs.pop("kind", InteractionKind.CALL),
        summary="Synthetic call",
        people=people,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        **kwargs,
    )


def test_logging_sets_last_contact_and_open_commitments(officer):
    person = SyntheticPersonFactory()
    assert stats(person) == (None, None, 0)
    older = log(officer, [person], days_ago=10, commitments_by_them="Send the figures\nCall the governor")
    assert stats(person) == (older.occurred_at, None, 2)
    newer = log(officer, [person], days_ago=2, commitments_by_us="Share the brief")
    assert stats(person) == (newer.occurred_at, None, 3)
    log(officer, [person], days_ago=30)  # an older contact does not move the last one back
    assert stats(person) == (newer.occurred_at, None, 3)


def test_a_scheduled_meeting_is_next_contact_then_last_once_it_happened(officer):
    person = SyntheticPersonFactory()
    past = log(officer, [person], days_ago=20)
    meeting = log(officer, [person], days_ago=-2, kind=InteractionKind.MEETING)
    assert stats(person) == (past.occurred_at, meeting.occurred_at, 0)
    assert priority_people(user=officer).get(pk=person.pk).last_contact_at == past.occurred_at
    later = timezone.now() + dt.timedelta(days=3)
    # Before the catch-up job runs, the ranking already treats the meeting as the last contact.
    row = priority_people(user=officer, now=later).get(pk=person.pk)
    assert (row.last_contact_at, row.c_recency) == (meeting.occurred_at, 0.0)
    assert services.contact_stats_catch_up(now=later) == 1
    assert stats(person) == (meeting.occurred_at, None, 0)
    assert services.contact_stats_catch_up(now=later) == 0


def test_resolving_and_reopening_commitments_changes_the_count(officer):
    first, second = SyntheticPersonFactory(), SyntheticPersonFactory()
    interaction = log(officer, [first, second], commitments_by_them="One\nTwo")
    one = interaction.commitments.get(description="One")
    services.commitment_resolve(commitment=one, status=CommitmentStatus.FULFILLED, actor=officer)
    assert (stats(first)[2], stats(second)[2]) == (1, 1)
    services.commitment_resolve(commitment=one, status=CommitmentStatus.OPEN, actor=officer)
    assert (stats(first)[2], stats(second)[2]) == (2, 2)


def test_a_refused_resolution_changes_nothing(officer, viewer):
    person = SyntheticPersonFactory()
    interaction = log(officer, [person], commitments_by_them="One")
    before = stats(person)
    with pytest.raises(Exception):
        services.commitment_resolve(commitment=interaction.commitments.get(), status="fulfilled", actor=viewer)
    assert stats(person) == before


def test_moving_an_interaction_in_time_moves_the_last_contact(officer):
    person = SyntheticPersonFactory()
    older = log(officer, [person], days_ago=40)
    newer = log(officer, [person], days_ago=5)
    services.interaction_update(interaction=newer, actor=officer, occurred_at=timezone.now() - dt.timedelta(days=60))
    assert stats(person)[0] == older.occurred_at


def test_merge_gives_the_kept_person_the_duplicates_contacts(officer, lead):
    from contacts.merge import contact_merge

    keep, duplicate = SyntheticPersonFactory(), SyntheticPersonFactory()
    interaction = log(officer, [duplicate], days_ago=3, commitments_by_them="One")
    contact_merge(keep=keep, duplicate=duplicate, actor=lead)
    assert stats(keep) == (interaction.occurred_at, None, 1)
    assert not PersonContactStats.objects.filter(person_id=duplicate.pk).exists()


def test_admin_edits_keep_the_figures_right(client_for, admin_user_role, officer):
    person = SyntheticPersonFactory()
    interaction = log(officer, [person], commitments_by_them="One")
    commitment = interaction.commitments.get()
    client = client_for(admin_user_role)
    response = client.post(
        f"/admin/outreach/commitment/{commitment.pk}/change/",
        {"interaction": interaction.pk, "party": "them", "description": "One", "status": "fulfilled"},
    )
    assert response.status_code == 302
    assert stats(person)[2] == 0
    response = client.post(f"/admin/outreach/interaction/{interaction.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert stats(person) == (None, None, 0)


def test_kept_figures_equal_a_recomputation_and_a_full_refresh(officer):
    """Consistency: after a random mix of service calls, every row equals the figures recomputed from source."""
    rng = random.Random(8)
    now = timezone.now()
    people = [SyntheticPersonFactory() for _ in range(8)]
    for _ in range(25):
        interaction = log(
            officer,
            rng.sample(people, rng.randint(1, 3)),
            days_ago=rng.uniform(-10, 200),
            commitments_by_them="\n".join(f"Item {i}" for i in range(rng.randint(0, 2))),
        )
        for commitment in interaction.commitments.all():
            if rng.random() < 0.4:
                services.commitment_resolve(commitment=commitment, status=CommitmentStatus.DROPPED, actor=officer)
    kept = {p.pk: stats(p) for p in people}
    assert kept == {p.pk: from_source(p, now) for p in people}
    PersonContactStats.objects.all().delete()
    out = StringIO()
    call_command("refresh_contact_stats", stdout=out)
    contacted = [p for p in people if Interaction.objects.filter(people=p).exists()]
    assert out.getvalue().splitlines() == [
        f"Contact figures refreshed for {len(contacted)} people.",
        f"Who-to-call-next scores computed for {Person.objects.count()} people.",
    ]
    assert {p.pk: stats(p) for p in people} == kept


def test_coverage_counts_people_by_their_last_contact(officer):
    ohio = StateFactory(code="OH", name="Ohio")
    recent, older, never = (SyntheticPersonFactory(states=[ohio]) for _ in range(3))
    log(officer, [recent], days_ago=5)
    log(officer, [older], days_ago=60)
    log(officer, [older], days_ago=-5, kind=InteractionKind.MEETING)  # scheduled: not contact yet
    row = next(r for r in coverage_by_state() if r.state == ohio)
    assert (row.stakeholders, row.contacted_30, row.contacted_90) == (3, 1, 2)
    later = next(r for r in coverage_by_state(now=timezone.now() + dt.timedelta(days=6)) if r.state == ohio)
    assert (later.contacted_30, later.contacted_90) == (2, 2)  # the meeting has happened: contact a day ago
    assert never.pk not in PersonContactStats.objects.values_list("person_id", flat=True)


def test_the_catch_up_task_and_the_backfill_migration(officer):
    import importlib

    from django.apps import apps

    from outreach.tasks import refresh_contact_stats

    person = SyntheticPersonFactory()
    past = log(officer, [person], days_ago=4, commitments_by_them="One")
    log(officer, [person], days_ago=-3, kind=InteractionKind.MEETING)
    assert refresh_contact_stats() == 0  # nothing scheduled has happened yet
    PersonContactStats.objects.all().delete()
    backfill = importlib.import_module("outreach.migrations.0004_backfill_person_contact_stats").backfill
    backfill(apps, None)
    assert stats(person)[::2] == (past.occurred_at, 1)
    assert stats(person) == from_source(person, timezone.now())
