"""Briefing packets, the templates they are rendered with, and the talking-point library."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from briefings.choices import DEFAULT_PACKET_LANGUAGE, PacketKind, PacketStatus, Section, TargetKind
from core.errors import ConflictError
from core.models import TimeStampedModel
from core.permissions import VisibleToQuerySet
from core.roles import Role, has_role, role_of


class PacketTemplate(TimeStampedModel):
    """Which sections a packet prints, and whether it may carry confidential notes.

    Editing a template in admin bumps `version`; every packet records the version it was rendered
    with, so an old packet still says which sections were switched on when it was made.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_default = models.BooleanField(_("default template"), default=False)
    show_who = models.BooleanField(Section.WHO.label, default=True)
    show_trade = models.BooleanField(Section.TRADE.label, default=True)
    show_exposure = models.BooleanField(Section.EXPOSURE.label, default=True)
    show_talking_points = models.BooleanField(Section.TALKING_POINTS.label, default=True)
    show_who_matters = models.BooleanField(Section.WHO_MATTERS.label, default=True)
    show_history = models.BooleanField(Section.HISTORY.label, default=True)
    show_asks = models.BooleanField(Section.ASKS.label, default=True)
    show_sources = models.BooleanField(Section.SOURCES.label, default=True)
    include_confidential = models.BooleanField(
        _("include confidential notes"),
        default=False,
        help_text=_("Confidential notes print only when this is on AND the requesting user may read them."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="packettemplate_one_default"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def enabled_sections(self) -> list[str]:
        return [section.value for section in Section if getattr(self, f"show_{section.value}")]


class TalkingPoint(TimeStampedModel):
    """A sourced talking point, chosen for a packet by pillar, sector and state (all optional keys).

    A point with no pillar, sector or state is general and can go in any packet. Starter points are
    loaded from data/talking_points.csv (`key` keeps the load idempotent); staff edit them in admin.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True, null=True, blank=True)
    pillar = models.ForeignKey(
        "trade.Pillar", on_delete=models.PROTECT, null=True, blank=True, related_name="talking_points"
    )
    sector = models.CharField(_("sector"), max_length=80, blank=True, help_text=_("e.g. utilities, auto parts"))
    state = models.ForeignKey(
        "trade.State", on_delete=models.PROTECT, null=True, blank=True, related_name="talking_points"
    )
    text = models.TextField(_("talking point"))
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("Lower prints first."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["is_active", "pillar", "state"], name="talkingpoint_lookup_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class BriefingPacketQuerySet(VisibleToQuerySet):
    def visible_to(self, user) -> BriefingPacketQuerySet:
        """Packets whose target the user may see; packets carrying confidential notes only to their
        requester and to Leads/Admins (the people who may read those notes)."""
        from contacts.models import Organization, Person

        if role_of(user) is None:
            return self.none()
        queryset = self.filter(
            Q(person__isnull=True) | Q(person__in=Person.objects.visible_to(user)),
            Q(organization__isnull=True) | Q(organization__in=Organization.objects.visible_to(user)),
        )
        if not has_role(user, Role.LEAD):
            queryset = queryset.filter(Q(has_confidential=False) | Q(requested_by=user))
        return queryset

    def with_list_relations(self) -> BriefingPacketQuerySet:
        return self.select_related("person", "organization", "state", "campaign", "requested_by", "template")

    def top_level(self) -> BriefingPacketQuerySet:
        return self.filter(batch_parent__isnull=True)


def _pdf_upload_path(instance: BriefingPacket, filename: str) -> str:
    # Under MEDIA_ROOT, which no URL serves: views stream the file after a permission check.
    return f"briefings/{instance.target_key.replace(':', '-')}/v{instance.version}-{instance.pk}.pdf"


class BriefingPacket(TimeStampedModel):
    """One generated version of a packet for one target (a person, organization, state or campaign).

    Once `status` is done the row is immutable: it keeps the exact figures it printed (`figures`),
    the snapshots and scenario version they came from, the template version, the HTML and the PDF.
    Regenerating creates version n+1 for the same `target_key`. A campaign packet is a batch parent:
    its `children` are the packets of the campaign's targets, which gives the n-of-N progress.
    """

    kind = models.CharField(
        _("document"), max_length=12, choices=PacketKind.choices, default=PacketKind.FULL, db_index=True
    )
    # The language the packet is written in (see DEFAULT_PACKET_LANGUAGE).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=DEFAULT_PACKET_LANGUAGE
    )
    target_kind = models.CharField(_("target type"), max_length=12, choices=TargetKind.choices)
    target_key = models.CharField(_("target key"), max_length=40, editable=False)
    target_label = models.CharField(_("target"), max_length=250)
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="briefing_packets"
    )
    organization = models.ForeignKey(
        "contacts.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="briefing_packets"
    )
    state = models.ForeignKey(
        "trade.State", on_delete=models.PROTECT, null=True, blank=True, related_name="briefing_packets"
    )
    campaign = models.ForeignKey(
        "outreach.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="briefing_packets"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=PacketStatus.choices, default=PacketStatus.QUEUED, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_briefing_packets",
        verbose_name=_("requested by"),
    )
    schedule_slot = models.CharField(
        _("schedule slot"), max_length=120, blank=True, help_text=_("Set when a schedule, not a person, asked.")
    )
    meeting = models.ForeignKey(
        "outreach.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefing_packets",
        verbose_name=_("meeting"),
    )
    generated_for = models.CharField(_("generated for"), max_length=250, blank=True)
    scenario = models.ForeignKey(
        "trade.TariffScenario", on_delete=models.PROTECT, null=True, blank=True, related_name="briefing_packets"
    )
    scenario_slug = models.CharField(max_length=80, blank=True)
    scenario_version = models.PositiveIntegerField(null=True, blank=True)
    snapshot_ids = models.JSONField(_("exposure snapshots used"), default=list, blank=True)
    template = models.ForeignKey(PacketTemplate, on_delete=models.PROTECT, related_name="packets")
    template_version = models.PositiveIntegerField()
    has_confidential = models.BooleanField(_("contains confidential notes"), default=False)
    figures = models.JSONField(_("figures used"), default=dict, blank=True)
    html = models.TextField(_("HTML"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_pdf_upload_path, blank=True)
    batch_parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("batch")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    objects = BriefingPacketQuerySet.as_manager()

    # Viewers read packets; requesting one (it costs a generation and names the requester) is Officer
    # work. The pages, the API and `packet_request` all ask `may_request`; the admin adds no packets.
    REQUEST_ROLE = Role.OFFICER

    @classmethod
    def may_request(cls, user) -> bool:
        return has_role(user, cls.REQUEST_ROLE)

    # Audit history: the stored document and the figures it printed are large, and carry the
    # confidential notes the packet included: history shows them as size and checksum only, and not
    # even that to anyone the packet's notes rule refuses.
    audit_summary_fields = ("html", "figures")
    audit_confidential_fields = ("html", "figures")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target_key", "version"], name="briefingpacket_unique_target_version"),
            models.UniqueConstraint(
                fields=["target_key", "schedule_slot"],
                condition=~Q(schedule_slot=""),
                name="briefingpacket_one_per_target_slot",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        target_kind=TargetKind.PERSON,
                        person__isnull=False,
                        organization__isnull=True,
                        campaign__isnull=True,
                    )
                    | Q(
                        target_kind=TargetKind.ORGANIZATION,
                        person__isnull=True,
                        organization__isnull=False,
                        campaign__isnull=True,
                    )
                    | Q(
                        target_kind=TargetKind.STATE,
                        person__isnull=True,
                        organization__isnull=True,
                        state__isnull=False,
                        campaign__isnull=True,
                    )
                    | Q(
                        target_kind=TargetKind.CAMPAIGN,
                        person__isnull=True,
                        organization__isnull=True,
                        campaign__isnull=False,
                    )
                ),
                name="briefingpacket_target_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["target_key", "-version"], name="briefingpacket_versions_idx"),
            models.Index(fields=["batch_parent", "status"], name="briefingpacket_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_label} v{self.version}"

    def save(self, *args, **kwargs):
        # Generated packets are a record of what was printed: refuse to change one afterwards.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PacketStatus.DONE:
                raise ConflictError(str(_("A generated packet cannot be changed; generate a new version.")))
        super().save(*args, **kwargs)

    @classmethod
    def audit_can_see_confidential(cls, user, obj) -> bool:
        """The rule of `visible_to`: a packet carrying confidential notes is for its requester, Leads
        and Admins; any other packet's content is for anyone who may see the packet."""
        if has_role(user, Role.LEAD):
            return True
        return obj is not None and (not obj.has_confidential or obj.requested_by_id == user.pk)

    @property
    def target(self):
        return self.person or self.organization or self.campaign or self.state

    @property
    def is_finished(self) -> bool:
        return self.status in (PacketStatus.DONE, PacketStatus.FAILED)

    @property
    def is_batch(self) -> bool:
        return self.target_kind == TargetKind.CAMPAIGN
