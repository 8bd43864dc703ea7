"""API shapes. Confidential notes are written to the real column but only ever read from
`visible_confidential_notes`, which `Interaction.objects.visible_to(user)` sets per reader.

Every serializer of an interaction that carries the notes (the full shape and the update shape,
which DRF's HTML renderer also draws as an edit form) reads them through `ConfidentialNotesMixin`;
a test fails when a serializer field reads a model's confidential column any other way."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contacts.models import Organization, Person, SavedSegment
from core.api.concurrency import VersionedWriteSerializer
from outreach.choices import InteractionKind
from outreach.models import Campaign, CampaignTarget, Commitment, FollowUp, Interaction
from trade.models import Pillar, State


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "party", "description", "status", "due_date", "owner"]


class ConfidentialNotesField(serializers.CharField):
    """Writes the real column; reads only `visible_confidential_notes` (the deferred column is never loaded)."""

    def get_attribute(self, instance):
        return getattr(instance, "visible_confidential_notes", "")


class ConfidentialNotesMixin:
    """The one way an interaction serializer shows `confidential_notes`: what the queryset decided this
    reader may see, and no key at all for a reader who may not see them (not merely an empty one).

    An instance that did not come from `Interaction.objects.visible_to(user)` has neither annotation
    and so shows no notes: forgetting the rule hides the notes instead of leaking them."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "confidential_notes_readable", False):
            data.pop("confidential_notes", None)
        return data


# Before standard time zones (1883) local times carry odd offsets (-05:17:32) that are no valid
# date-time in the API; no contact this tool records is that old.
EARLIEST_OCCURRED_AT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


class InteractionSerializer(ConfidentialNotesMixin, serializers.ModelSerializer):
    # The model default, made explicit: the service needs a kind and the API may omit it.
    kind = serializers.ChoiceField(choices=InteractionKind.choices, default=InteractionKind.CALL)
    occurred_at = serializers.DateTimeField(default=timezone.now, validators=[MinValueValidator(EARLIEST_OCCURRED_AT)])
    people = serializers.PrimaryKeyRelatedField(many=True, queryset=Person.objects.all(), required=False)
    organizations = serializers.PrimaryKeyRelatedField(many=True, queryset=Organization.objects.all(), required=False)
    states = serializers.SlugRelatedField(many=True, slug_field="code", queryset=State.objects.all(), required=False)
    pillars = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Pillar.objects.all(), required=False)
    staff = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    confidential_notes = ConfidentialNotesField(required=False, allow_blank=True, default="")
    commitments = CommitmentSerializer(many=True, read_only=True)
    commitments_by_them = serializers.ListField(
        child=serializers.CharField(max_length=500), write_only=True, required=False, default=list
    )
    commitments_by_us = serializers.ListField(
        child=serializers.CharField(max_length=500), write_only=True, required=False, default=list
    )
    commitments_due = serializers.DateField(
        write_only=True, required=False, allow_null=True, default=None, help_text="Due date of the new commitments."
    )
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "kind",
            "occurred_at",
            "duration_minutes",
            "location",
            "people",
            "organizations",
            "states",
            "pillars",
            "staff",
            "summary",
            "confidential_notes",
            "sentiment",
            "stance_observed",
            "stance_confirmed",
            "stance_person",
            "asks",
            "commitments",
            "commitments_by_them",
            "commitments_by_us",
            "commitments_due",
            "created_by",
            "created_at",
            "is_synthetic",
            "version",
        ]
        read_only_fields = ["created_at"]


class InteractionUpdateSerializer(ConfidentialNotesMixin, VersionedWriteSerializer, serializers.ModelSerializer):
    confidential_notes = ConfidentialNotesField(required=False, allow_blank=True)

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "occurred_at",
            "duration_minutes",
            "location",
            "summary",
            "confidential_notes",
            "sentiment",
            "asks",
            "version",
        ]
        extra_kwargs = {"occurred_at": {"validators": [MinValueValidator(EARLIEST_OCCURRED_AT)]}}


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "what",
            "assignee",
            "due_date",
            "status",
            "interaction",
            "person",
            "organization",
            "created_by",
            "completed_by",
            "completed_at",
        ]
        read_only_fields = ["status", "created_by", "completed_by", "completed_at"]


class CampaignSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "objective", "owner", "start_date", "end_date", "counts"]
        read_only_fields = ["owner"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, obj) -> dict[str, int]:
        counts = {"total": getattr(obj, "count_total", 0)}
        for name in ("not_contacted", "contacted", "meeting_held", "committed", "declined"):
            counts[name] = getattr(obj, f"count_{name}", 0)
        return counts


class CampaignTargetSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = CampaignTarget
        fields = ["id", "person", "organization", "name", "status", "status_changed_at", "last_interaction", "source"]
        read_only_fields = ["status_changed_at", "last_interaction", "source"]

    def get_name(self, obj) -> str:
        return str(obj.target)


class CampaignTargetsAddSerializer(serializers.Serializer):
    """People and organizations by id, and/or a saved segment whose people are all added."""

    people = serializers.PrimaryKeyRelatedField(many=True, queryset=Person.objects.all(), required=False, default=list)
    segment = serializers.PrimaryKeyRelatedField(queryset=SavedSegment.objects.all(), required=False, allow_null=True)
    organizations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organization.objects.all(), required=False, default=list
    )


class PrioritySerializer(serializers.ModelSerializer):
    """A ranked person with the score and every component (0–1) and its points."""

    score = serializers.FloatField()
    components = serializers.SerializerMethodField()
    states = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    last_contact_at = serializers.DateTimeField(allow_null=True)
    open_commitments = serializers.IntegerField()

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "title",
            "states",
            "stance",
            "influence",
            "owner",
            "is_synthetic",
            "score",
            "last_contact_at",
            "open_commitments",
            "components",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.DictField(child=serializers.FloatField())))
    def get_components(self, obj) -> dict:
        from outreach.selectors import COMPONENTS

        return {
            name: {"value": round(getattr(obj, f"c_{name}"), 4), "points": round(getattr(obj, f"p_{name}"), 2)}
            for name in COMPONENTS
        }
