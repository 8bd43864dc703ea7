from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    VIDEO_CALL = "video_call", _("Video call")
    EMAIL = "email", _("Email")
    EVENT = "event", _("Event")
    SITE_VISIT = "site_visit", _("Site visit")
    LETTER = "letter", _("Letter")


# Kinds that happen at a time in a place (or on a screen): they go on the calendar and count as meetings.
MEETING_KINDS = (InteractionKind.MEETING, InteractionKind.VIDEO_CALL, InteractionKind.EVENT, InteractionKind.SITE_VISIT)


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class CommitmentParty(models.TextChoices):
    THEM = "them", _("By them")
    US = "us", _("By us")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    DROPPED = "dropped", _("Dropped")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TargetStatus(models.TextChoices):
    """A campaign target's progress; the order of the members is the order of progress."""

    NOT_CONTACTED = "not_contacted", _("Not contacted")
    CONTACTED = "contacted", _("Contacted")
    MEETING_HELD = "meeting_held", _("Meeting held")
    COMMITTED = "committed", _("Committed")
    DECLINED = "declined", _("Declined")


class TargetSource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    SEGMENT = "segment", _("From a saved segment")
