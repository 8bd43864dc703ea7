import factory

from contacts.choices import ContactKind, OrganizationType, PersonKind, RecordSource
from contacts.models import (
    Committee,
    CommitteeMembership,
    ContactPoint,
    Organization,
    Person,
    Position,
    Relationship,
    SavedSegment,
    StanceEntry,
    Tag,
)
from tests.core.factories import UserFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A synthetic test person (clearly fictional names, flagged synthetic)."""

    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Testfirst{n}")
    last_name = factory.Sequence(lambda n: f"Synthetic{n}")
    full_name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}")
    kind = PersonKind.BUSINESS_LEADER
    title = "Chief Executive (synthetic)"
    source = RecordSource.SYNTHETIC
    is_synthetic = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Synthetic Widgets {n} Inc.")
    org_type = OrganizationType.COMPANY
    source = RecordSource.SYNTHETIC
    is_synthetic = True


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    person = factory.SubFactory(PersonFactory)
    kind = ContactKind.EMAIL
    value = factory.Sequence(lambda n: f"person{n}@synthetic.example")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Vice President (synthetic)"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    from_person = factory.SubFactory(PersonFactory)
    to_person = factory.SubFactory(PersonFactory)
    kind = "knows"


class StanceEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StanceEntry

    person = factory.SubFactory(PersonFactory)
    stance = "supportive"
    set_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TS{n:02d}")
    name = factory.Sequence(lambda n: f"Test Committee {n}")
    chamber = "rep"


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    person = factory.SubFactory(PersonFactory)
    committee = factory.SubFactory(CommitteeFactory)


class SavedSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSegment

    name = factory.Sequence(lambda n: f"Segment {n}")
    owner = factory.SubFactory(UserFactory)
    filters = factory.LazyFunction(dict)
