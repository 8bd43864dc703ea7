import datetime as dt

import pytest
from django.core import mail

from core.models import JobSlot
from outreach import services
from outreach.schedules import SCHEDULES
from outreach.tasks import send_follow_up_digests
from tests.outreach.factories import FollowUpFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 25)


def test_digest_emails_due_and_overdue_once_per_day(officer, lead):
    FollowUpFactory(assignee=officer, due_date=DAY - dt.timedelta(days=3), what="Overdue thing")
    FollowUpFactory(assignee=officer, due_date=DAY, what="Today thing")
    FollowUpFactory(assignee=officer, due_date=DAY + dt.timedelta(days=1), what="Tomorrow thing")
    FollowUpFactory(assignee=officer, due_date=DAY, what="Closed thing", status="cancelled")
    FollowUpFactory(assignee=lead, due_date=DAY + dt.timedelta(days=5))
    assert send_follow_up_digests.apply(kwargs={"day": DAY.isoformat()}).get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Overdue thing" in message.body and "Today thing" in message.body
    assert "Tomorrow thing" not in message.body and "Closed thing" not in message.body
    # A retry (or a second beat process) the same day sends nothing more.
    assert send_follow_up_digests.apply(kwargs={"day": DAY.isoformat()}).get() == 0
    assert len(mail.outbox) == 1
    assert JobSlot.objects.count() == 1
    assert send_follow_up_digests.apply(kwargs={"day": (DAY + dt.timedelta(days=1)).isoformat()}).get() == 1


def test_digest_is_scheduled_daily():
    entry = next(s for s in SCHEDULES if s["task"] == "outreach.send_follow_up_digests")
    assert entry["crontab"]["day_of_week"] == "*" and entry["crontab"]["hour"] == "11"


def test_owner_hears_about_an_interaction_without_its_content(officer, make_user, django_capture_on_commit_callbacks):
    from core.roles import Role

    owner = make_user(Role.OFFICER, email="owner@envoy.example")
    person = SyntheticPersonFactory(owner=owner, full_name="Owned Synthetic")
    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_log(
            actor=officer, kind="call", summary="SUMMARY-TEXT", confidential_notes="NOTE-TEXT", people=[person]
        )
    assert [m.to for m in mail.outbox] == [["owner@envoy.example"]]
    assert "Owned Synthetic" in mail.outbox[0].subject
    assert "SUMMARY-TEXT" not in mail.outbox[0].body and "NOTE-TEXT" not in mail.outbox[0].body


def test_author_who_owns_the_person_gets_no_email(officer, django_capture_on_commit_callbacks):
    person = SyntheticPersonFactory(owner=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_log(actor=officer, kind="call", summary="x", people=[person])
    assert mail.outbox == []
