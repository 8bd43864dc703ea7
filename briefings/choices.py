from django.db import models
from django.utils.translation import gettext_lazy as _

# The leave-behind is for US readers: a packet is in English unless its request asks for French.
DEFAULT_PACKET_LANGUAGE = "en"


class TargetKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")
    STATE = "state", _("State")
    CAMPAIGN = "campaign", _("Campaign")


class PacketKind(models.TextChoices):
    """Which document a packet is: its reader decides its length and what it may hold.

    `leave-behind` is for the US stakeholder (at most two pages, never confidential); `brief` is for our
    own staff before a meeting (one page first, confidential where the notes are). `full` is the long
    packet every version before December 2026 was; stored packets keep it so their history reads true.
    """

    LEAVE_BEHIND = "leave-behind", _("Leave-behind")
    BRIEF = "brief", _("Meeting brief")
    FULL = "full", _("Full packet (before December 2026)")


class PacketStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (PacketStatus.DONE, PacketStatus.FAILED)


class PacketFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    HTML = "html", _("HTML")


class Section(models.TextChoices):
    """The switchable sections of a packet, in the order they print (the cover always prints)."""

    WHO = "who", _("Who they are")
    TRADE = "trade", _("Their state's trade with Canada")
    EXPOSURE = "exposure", _("Exposure under the scenario")
    TALKING_POINTS = "talking_points", _("Talking points")
    WHO_MATTERS = "who_matters", _("Who matters there")
    HISTORY = "history", _("Our history with them")
    ASKS = "asks", _("Recommended asks")
    SOURCES = "sources", _("Sources and caveats")
