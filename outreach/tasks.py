"""Outreach background work: owner notifications after a log, and the daily follow-up digest."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_slot_claim, outbox_task
from outreach.models import FollowUp, Interaction

DIGEST_JOB = "outreach.follow_up_digest"


@shared_task(name="outreach.notify_stakeholder_owners", queue="default", time_limit=120, soft_time_limit=100)
@outbox_task
def notify_stakeholder_owners(*, interaction_id: int) -> int:
    """Tell the owners of the people in an interaction (other than its author) that it was logged.

    The email names who, when and the kind only: summaries and confidential notes stay in the app.
    """
    interaction = Interaction.objects.filter(pk=interaction_id).select_related("created_by").first()
    if interaction is None:
        return 0
    owners = (
        get_user_model()
        .objects.filter(owned_people__interactions=interaction, is_active=True)
        .exclude(pk=interaction.created_by_id)
        .exclude(email="")
        .distinct()
    )
    sent = 0
    for owner in owners:
        people = ", ".join(str(p) for p in interaction.people.filter(owner=owner))
        author = interaction.created_by.get_full_name() if interaction.created_by else _("someone")
        send_mail(
            subject=_("New interaction with %(people)s") % {"people": people},
            message=_("%(author)s logged a %(kind)s with %(people)s on %(date)s.")
            % {
                "author": author,
                "kind": interaction.get_kind_display().lower(),
                "people": people,
                "date": f"{timezone.localtime(interaction.occurred_at):%Y-%m-%d}",
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[owner.email],
        )
        sent += 1
    return sent


def follow_up_digest_send(*, day: dt.date) -> int:
    """Email each active staff member their open follow-ups due on or before `day`, once per user per day."""
    due = FollowUp.objects.due_by(day).filter(assignee__is_active=True).exclude(assignee__email="")
    assignee_ids = sorted(set(due.values_list("assignee_id", flat=True)))
    sent = 0
    for user in get_user_model().objects.filter(pk__in=assignee_ids).order_by("pk"):
        # Claimed per user, so a retry after a failure part-way sends only what was not sent.
        if not job_slot_claim(job=DIGEST_JOB, slot=f"{day.isoformat()}:{user.pk}"):
            continue
        items = list(due.filter(assignee=user).select_related("person", "organization").order_by("due_date", "pk"))
        context = {
            "user": user,
            "day": day,
            "overdue": [f for f in items if f.due_date < day],
            "due_today": [f for f in items if f.due_date == day],
        }
        send_mail(
            subject=_("Your follow-ups for %(day)s: %(count)d due or overdue") % {"day": day, "count": len(items)},
            message=render_to_string("outreach/email/follow_up_digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


@shared_task(name="outreach.send_follow_up_digests", queue="default", time_limit=600, soft_time_limit=540)
def send_follow_up_digests(day: str | None = None) -> int:
    """Daily (beat): each staff member's due and overdue follow-ups by email."""
    return follow_up_digest_send(day=dt.date.fromisoformat(day) if day else timezone.localdate())


@shared_task(name="outreach.refresh_priority_scores", queue="default", time_limit=600, soft_time_limit=540)
def refresh_priority_scores() -> int:
    """Every 5 minutes (beat): recompute the cached "who to call next" ranking when it is stale
    (new exposure snapshot, new weights, people added in bulk) or 15 minutes old.

    Idempotent: the rows are recomputed from source and upserted in one transaction, and two runs at
    once queue on the ranking row, so a retry or a second beat does no harm.
    """
    from outreach.services import priority_scores_refresh_if_stale

    return priority_scores_refresh_if_stale(max_age=dt.timedelta(minutes=15))


@shared_task(name="outreach.refresh_contact_stats", queue="default", time_limit=600, soft_time_limit=540)
def refresh_contact_stats() -> int:
    """Every 15 minutes (beat): people whose scheduled interaction has taken place get their figures refreshed.

    Idempotent (recomputed from the interactions), so a retry or a second beat does no harm.
    """
    from outreach.services import contact_stats_catch_up

    with transaction.atomic():
        return contact_stats_catch_up()
