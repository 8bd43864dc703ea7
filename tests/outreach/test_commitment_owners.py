"""Commitments have a due date and an owner: set when logged, changed on the interaction's page by the
people who may change its commitments, listed under "Commitments I own" in My follow-ups."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from outreach import services
from outreach.choices import CommitmentParty, CommitmentStatus
from tests.outreach.factories import CommitmentFactory, InteractionFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db


def test_logged_commitments_belong_to_the_logger_with_the_due_date_given(officer):
    person = SyntheticPersonFactory()
    interaction = services.interaction_log(
        actor=officer,
        kind="call",
        summary="Talked softwood",
        people=[person],
        commitments_by_them=["Send the mill list"],
        commitments_by_us="Share the duty figures\nInvite to Ottawa",
        commitments_due=dt.date(2027, 1, 15),
    )
    rows = sorted((c.party, c.description, c.due_date, c.owner) for c in interaction.commitments.all())
    assert rows == [
        (CommitmentParty.THEM, "Send the mill list", dt.date(2027, 1, 15), officer),
        (CommitmentParty.US, "Invite to Ottawa", dt.date(2027, 1, 15), officer),
        (CommitmentParty.US, "Share the duty figures", dt.date(2027, 1, 15), officer),
    ]


def test_the_log_form_sets_the_due_date(client_for, officer):
    person = SyntheticPersonFactory()
    response = client_for(officer).post(
        "/interactions/new/",
        {
            "kind": "call",
            "people": [person.pk],
            "occurred_at": "2026-12-01T10:00",
            "summary": "Call",
            "commitments_by_us": "Send the figures",
            "commitments_due": "2026-12-20",
        },
    )
    assert response.status_code == 302
    commitment = person.interactions.get().commitments.get()
    assert (commitment.due_date, commitment.owner) == (dt.date(2026, 12, 20), officer)


def test_owner_and_due_date_change_on_the_interaction_page_under_the_commitment_rule(client_for, make_user):
    author = make_user(Role.OFFICER, username="author")
    colleague = make_user(Role.OFFICER, username="colleague")
    interaction = InteractionFactory(created_by=author)
    interaction.staff.set([author])
    commitment = CommitmentFactory(interaction=interaction, owner=author)
    url = f"/commitments/{commitment.pk}/owner/"
    shown = {"shown_due_date": "", "shown_owner": author.pk}

    assert (
        client_for(colleague).post(url, {**shown, "due_date": "2027-02-01", "owner": colleague.pk}).status_code == 403
    )
    commitment.refresh_from_db()
    assert (commitment.due_date, commitment.owner) == (None, author)

    assert client_for(author).post(url, {**shown, "due_date": "2027-02-01", "owner": colleague.pk}).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.due_date, commitment.owner) == (dt.date(2027, 2, 1), colleague)
    page = client_for(author).get(f"/interactions/{interaction.pk}/").content.decode()
    assert "due 2027-02-01" in page and f'<option value="{colleague.pk}" selected>' in page


def test_the_owner_must_be_envoy_staff(officer, django_user_model):
    outsider = django_user_model.objects.create_user(username="outsider")  # no role
    interaction = InteractionFactory(created_by=officer)
    commitment = CommitmentFactory(interaction=interaction)
    from core.errors import DomainValidationError

    with pytest.raises(DomainValidationError):
        services.commitment_update(commitment=commitment, actor=officer, due_date=None, owner=outsider)


def test_my_follow_ups_lists_the_open_commitments_i_own_soonest_first(client_for, officer, make_user):
    other = make_user(Role.OFFICER, username="someone-else")
    person = SyntheticPersonFactory(first_name="Dana", last_name="Owner")
    interaction = InteractionFactory(created_by=officer, people=[person])
    later = CommitmentFactory(interaction=interaction, owner=officer, due_date=dt.date(2027, 3, 1), description="Later")
    undated = CommitmentFactory(interaction=interaction, owner=officer, description="Undated")
    soon = CommitmentFactory(interaction=interaction, owner=officer, due_date=dt.date(2026, 1, 5), description="Soon")
    CommitmentFactory(interaction=interaction, owner=other, description="Not mine")
    CommitmentFactory(interaction=interaction, owner=officer, description="Done", status=CommitmentStatus.FULFILLED)

    response = client_for(officer).get("/follow-ups/")
    assert [c.pk for c in response.context["commitments"]] == [soon.pk, later.pk, undated.pk]
    html = response.content.decode()
    assert "Commitments I own" in html and "overdue" in html and "Dana Owner" in html
    assert "Not mine" not in html and "Done" not in html


def test_my_follow_ups_query_count_does_not_grow_with_commitments(client_for, officer):
    client = client_for(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/follow-ups/").status_code == 200
        return len(queries)

    CommitmentFactory(interaction=InteractionFactory(created_by=officer), owner=officer)
    first = count()
    for _ in range(10):
        CommitmentFactory(interaction=InteractionFactory(created_by=officer), owner=officer)
    assert count() == first


def test_a_change_saved_by_someone_else_since_the_page_opened_is_refused_not_overwritten(client_for, make_user):
    author = make_user(Role.LEAD, username="author-lead")
    other = make_user(Role.LEAD, username="other-lead")
    interaction = InteractionFactory(created_by=author)
    commitment = CommitmentFactory(interaction=interaction, owner=author)
    url = f"/commitments/{commitment.pk}/owner/"
    shown = {"shown_due_date": "", "shown_owner": author.pk}  # both pages opened before either saved
    assert client_for(other).post(url, {**shown, "due_date": "2027-01-10", "owner": other.pk}).status_code == 302

    response = client_for(author).post(url, {**shown, "due_date": "2027-03-01", "owner": author.pk}, follow=True)
    commitment.refresh_from_db()
    assert (commitment.due_date, commitment.owner) == (dt.date(2027, 1, 10), other)  # the first save stands
    assert "Someone changed this commitment after you opened the page: it is now due 2027-01-10" in (
        response.content.decode()
    )
