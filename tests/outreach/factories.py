"""Outreach factories. Stakeholders made here are synthetic and labelled so: no invented history for real people."""

import datetime as dt

import factory
from django.utils import timezone

from contacts.choices import RecordSource
from contacts.models import Organization, Person
from outreach.choices import FollowUpStatus, InteractionKind
from outreach.models import Campaign, CampaignTarget, Commitment, FollowUp, Interaction
from outreach.services import contact_stats_refresh
from tests.core.factories import UserFactory
from trade.models import Pillar, State


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda s: f"State {s.code}")


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"pillar{n}")
    name = factory.LazyAttribute(lambda p: p.code.title())


class SyntheticPersonFactory(factory.django.DjangoModelFactory):
    """A synthetic stakeholder (is_synthetic, source synthetic): safe to give test history."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    full_name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}")
    title = "Synthetic stakeholder"
    is_synthetic = True
    source = RecordSource.SYNTHETIC

    @factory.post_generation
    def states(self, create, extracted, **kwargs):
        if create and extracted:
            self.states.set(extracted)


class SyntheticOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Synthetic Org {n}")
    org_type = "company"
    is_synthetic = True
    source = RecordSource.SYNTHETIC


class InteractionFactory(factory.django.DjangoModelFactory):
    """A synthetic interaction; pass `people=[...]` of synthetic stakeholders (the default makes one)."""

    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    kind = InteractionKind.CALL
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    summary = factory.Sequence(lambda n: f"Synthetic call {n} about softwood lumber")
    created_by = factory.SubFactory(UserFactory)
    is_synthetic = True

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create:
            self.people.set(extracted if extracted is not None else [SyntheticPersonFactory()])
            # As `interaction_log` does: keep the people's contact figures right.
            contact_stats_refresh(person_ids=[p.pk for p in self.people.all()])


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment on an interaction, counted in its people's contact figures as the services do."""

    class Meta:
        model = Commitment

    interaction = factory.SubFactory(InteractionFactory)
    party = "them"
    description = factory.Sequence(lambda n: f"Synthetic commitment {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        commitment = super()._create(model_class, *args, **kwargs)
        contact_stats_refresh(person_ids=commitment.interaction.people.values_list("pk", flat=True))
        return commitment


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    what = factory.Sequence(lambda n: f"Send briefing note {n}")
    assignee = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    status = FollowUpStatus.OPEN


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    objective = "Explain the cost of tariffs to border states."
    owner = factory.SubFactory(UserFactory)


class CampaignTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignTarget

    campaign = factory.SubFactory(CampaignFactory)
    person = factory.SubFactory(SyntheticPersonFactory)


def exposure_snapshot(*, scenario=None, totals: dict, pillar_figures: dict | None = None):
    """A current, ready snapshot with the given state totals {state: (us_duty_cost, counter_duty)}
    and optional per-pillar figures {(state, pillar): (us_duty_cost, counter_duty)}. Figures are test inputs."""
    from tests.trade.factories import TariffScenarioFactory
    from trade.choices import SnapshotStatus
    from trade.models import ExposureFigure, ExposureSnapshot

    scenario = scenario or TariffScenarioFactory(is_default=True)
    snapshot = ExposureSnapshot.objects.create(
        scenario=scenario, base_year=2024, status=SnapshotStatus.READY, is_current=True
    )
    zero = dict.fromkeys(
        [
            "imports_from_canada",
            "exports_to_canada",
            "exports_at_risk_low",
            "exports_at_risk_central",
            "exports_at_risk_high",
            "jobs_at_risk_low",
            "jobs_at_risk_central",
            "jobs_at_risk_high",
        ],
        0,
    )
    rows = [((state, None), values) for state, values in totals.items()]
    rows += list((pillar_figures or {}).items())
    ranked = sorted(totals, key=lambda s: -sum(totals[s]))
    for (state, pillar), (duty, counter) in rows:
        ExposureFigure.objects.create(
            snapshot=snapshot,
            state=state,
            pillar=pillar,
            us_duty_cost=duty,
            counter_duty_exposure=counter,
            rank=ranked.index(state) + 1 if pillar is None else None,
            **zero,
        )
    return snapshot
