from django.utils.translation import gettext as _
from rest_framework import serializers

from contacts.models import Organization, Person, Position, Relationship, SavedSegment


class PersonSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind", read_only=True)
    states = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    pillars = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    committees = serializers.SerializerMethodField()
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "full_name", "display_name", "honorific", "first_name", "last_name", "type", "title", "office",
            "party", "chamber", "district", "term_start", "term_end", "is_current_office_holder", "states",
            "pillars", "stance", "influence", "owner", "tags", "committees", "organizations", "bioguide_id",
            "openstates_id", "needs_verification", "is_synthetic", "updated_at",
        ]  # fmt: skip

    def get_committees(self, person) -> list[dict]:
        return [
            {"code": m.committee.code, "title": m.title, "rank": m.rank} for m in person.committee_memberships.all()
        ]

    def get_organizations(self, person) -> list[dict]:
        return [
            {"id": p.organization_id, "name": p.organization.name, "title": p.title} for p in person.current_positions
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="org_type", read_only=True)
    hq_state = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    states = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    pillars = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "name", "type", "description", "hq_state", "states", "pillars", "canadian_link", "website",
            "parent", "owner", "tags", "source_detail", "is_synthetic", "updated_at",
        ]  # fmt: skip


class PositionSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Position
        fields = [
            "id", "person", "person_name", "organization", "organization_name", "title", "start_date", "end_date",
            "is_current",
        ]  # fmt: skip


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = [
            "id", "from_person", "to_person", "to_organization", "kind", "strength", "start_date", "end_date",
            "source",
        ]  # fmt: skip


class SavedSegmentSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SavedSegment
        fields = ["id", "name", "owner", "filters", "shared", "description", "created_at"]
        read_only_fields = ["id", "owner", "created_at"]

    def validate_filters(self, value):
        # A form-encoded or multipart body carries JSON as text, and DRF checks for null before it
        # parses the text: `filters=null` arrived here as None and failed in the service.
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Filters must be an object of filter names and values."))
        return value
