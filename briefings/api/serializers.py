from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket, PacketTemplate


class BriefingPacketSerializer(serializers.ModelSerializer):
    """A packet version: target, status and, once generated, its download links."""

    requested_by = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = BriefingPacket
        fields = [
            "id",
            "language",
            "target_kind",
            "target_key",
            "target_label",
            "version",
            "status",
            "error",
            "requested_by",
            "schedule_slot",
            "generated_for",
            "scenario_slug",
            "scenario_version",
            "snapshot_ids",
            "template_version",
            "has_confidential",
            "batch_parent",
            "created_at",
            "generated_at",
            "links",
        ]
        read_only_fields = fields

    def get_requested_by(self, packet: BriefingPacket) -> str | None:
        return packet.requested_by.username if packet.requested_by_id else None

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "html": {"type": "string", "nullable": True},
                "pdf": {"type": "string", "nullable": True},
                "page": {"type": "string"},
            },
        }
    )
    def get_links(self, packet: BriefingPacket) -> dict:
        request = self.context.get("request")

        def absolute(path: str) -> str:
            return request.build_absolute_uri(path) if request else path

        done = packet.status == PacketStatus.DONE
        return {
            "page": absolute(reverse("briefings:detail", args=[packet.pk])),
            "html": absolute(reverse("briefing-packet-html", args=[packet.pk])) if done else None,
            "pdf": absolute(reverse("briefing-packet-pdf", args=[packet.pk])) if done else None,
        }


class BriefingPacketRequestSerializer(serializers.Serializer):
    """Request generation of a new packet version."""

    target_kind = serializers.ChoiceField(choices=TargetKind.choices)
    target_id = serializers.CharField(max_length=20, help_text="Id of the person/organization/campaign; state code.")
    scenario = serializers.SlugField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, help_text="Default: en.")
    template = serializers.PrimaryKeyRelatedField(
        queryset=PacketTemplate.objects.all(), required=False, allow_null=True
    )
