import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.synthetic import synthetic_reset, synthetic_seed
from tests.scale.conftest import model_or_skip

pytestmark = pytest.mark.django_db

Person = apps.get_model("contacts.Person")
Organization = apps.get_model("contacts.Organization")


def _seed(**kwargs):
    options = {"people": 12, "organizations": 4, "interactions": 0, "seed": 7} | kwargs
    return synthetic_seed(**options)


def test_people_and_organizations_are_flagged_and_named_synthetic(reference_data):
    result = _seed()

    people = Person.objects.filter(is_synthetic=True)
    assert people.count() == 12
    assert result.created["contacts.Person"] == 12
    assert set(people.values_list("source", flat=True)) == {"synthetic"}
    assert sorted(people.values_list("full_name", flat=True))[:2] == [
        "Synthetic Person 000001",
        "Synthetic Person 000002",
    ]
    organizations = Organization.objects.filter(is_synthetic=True)
    assert organizations.count() == 4
    assert set(organizations.values_list("source", flat=True)) == {"synthetic"}
    assert all(name.startswith("Synthetic Organization ") for name in organizations.values_list("name", flat=True))
    # Every person has one state or two, one position at a synthetic organization and one .invalid e-mail.
    Position, ContactPoint = apps.get_model("contacts.Position"), apps.get_model("contacts.ContactPoint")
    assert Position.objects.filter(person__is_synthetic=True, organization__is_synthetic=True).count() == 12
    assert Position.objects.count() == 12
    emails = ContactPoint.objects.filter(person__is_synthetic=True)
    assert emails.count() == 12
    assert all(v.endswith("@synthetic.invalid") for v in emails.values_list("value", flat=True))
    assert set(emails.values_list("source", flat=True)) == {"synthetic"}
    assert all(1 <= p.states.count() <= 2 for p in people)
    Relationship = apps.get_model("contacts.Relationship")
    assert Relationship.objects.count() == 4
    assert set(Relationship.objects.values_list("source", flat=True)) == {"synthetic"}


def test_seeding_is_additive_and_numbers_continue(reference_data):
    _seed()
    _seed(people=3, organizations=1, seed=8)

    assert Person.objects.filter(is_synthetic=True).count() == 15
    assert Organization.objects.filter(is_synthetic=True).count() == 5
    assert Person.objects.filter(full_name="Synthetic Person 000015").count() == 1
    assert Person.objects.filter(full_name__startswith="Synthetic Person").values("full_name").distinct().count() == 15
    # The staff accounts are reused, not duplicated.
    assert get_user_model().objects.filter(username__startswith="synthetic-staff-").count() == 5


def test_interactions_touch_only_synthetic_stakeholders(reference_data, make_user):
    Interaction = model_or_skip("outreach.Interaction")
    FollowUp = model_or_skip("outreach.FollowUp")
    real_person = Person.objects.create(first_name="Real", last_name="Stakeholder", full_name="Real Stakeholder")
    real_org = Organization.objects.create(name="Real Organization", org_type="company")

    result = _seed(interactions=40)

    assert Interaction.objects.count() == 40
    assert result.created["outreach.Interaction"] == 40
    assert Interaction.objects.filter(is_synthetic=False).count() == 0
    assert all(s.startswith("Synthetic interaction ") for s in Interaction.objects.values_list("summary", flat=True))
    people_links = Interaction.people.through.objects
    assert people_links.filter(interaction__is_synthetic=True).count() >= 40
    assert people_links.filter(person__is_synthetic=False).count() == 0
    assert Interaction.organizations.through.objects.filter(organization__is_synthetic=False).count() == 0
    assert real_person.interactions.count() == 0
    assert real_org.interactions.count() == 0
    assert FollowUp.objects.count() == 4
    assert FollowUp.objects.exclude(person__is_synthetic=True).count() == 0
    assert FollowUp.objects.exclude(interaction__is_synthetic=True).count() == 0
    # Done follow-ups record who completed them and when (the table's constraint).
    assert FollowUp.objects.filter(status="done", completed_at__isnull=True).count() == 0


def test_interactions_need_synthetic_people(reference_data):
    model_or_skip("outreach.Interaction")
    Person.objects.create(first_name="Real", last_name="Stakeholder", full_name="Real Stakeholder")

    result = synthetic_seed(people=0, organizations=0, interactions=10)

    assert apps.get_model("outreach.Interaction").objects.count() == 0
    assert result.skipped == ["interactions: no synthetic people to attach them to"]


def test_reset_deletes_synthetic_rows_and_nothing_else(reference_data, make_user):
    staff_member = make_user(username="real-officer")
    real_person = Person.objects.create(first_name="Real", last_name="Stakeholder", full_name="Real Stakeholder")
    real_org = Organization.objects.create(name="Real Organization", org_type="company")
    Tag = apps.get_model("contacts.Tag")
    real_tag = Tag.objects.create(name="border caucus")
    real_person.tags.add(real_tag)
    _seed(interactions=25)

    deleted = synthetic_reset()

    assert deleted["contacts.Person"] == 12
    assert list(Person.objects.values_list("pk", flat=True)) == [real_person.pk]
    assert list(Organization.objects.values_list("pk", flat=True)) == [real_org.pk]
    assert list(Tag.objects.values_list("name", flat=True)) == ["border caucus"]
    assert list(real_person.tags.all()) == [real_tag]
    assert list(get_user_model().objects.values_list("username", flat=True)) == [staff_member.username]
    assert apps.get_model("contacts.Committee").objects.count() == 0
    outreach_models = {m._meta.label for m in apps.get_app_config("outreach").get_models()}
    if "outreach.Interaction" in outreach_models:
        assert apps.get_model("outreach.Interaction").objects.count() == 0


def test_command_reports_what_it_created(reference_data, capsys):
    call_command("seed_synthetic", "--people", "5", "--organizations", "2", "--seed", "3")

    out = capsys.readouterr().out
    assert "created contacts.Person: 5" in out
    assert "created contacts.Organization: 2" in out
    assert Person.objects.filter(is_synthetic=True).count() == 5


def test_command_reset_then_seed(reference_data, capsys):
    call_command("seed_synthetic", "--people", "5", "--organizations", "2")

    call_command("seed_synthetic", "--reset-synthetic", "--people", "3", "--organizations", "1")

    assert Person.objects.filter(is_synthetic=True).count() == 3
    assert Person.objects.filter(full_name="Synthetic Person 000001").count() == 1
    assert "deleted contacts.Person: 5" in capsys.readouterr().out


def test_command_without_counts_is_an_error(db):
    with pytest.raises(CommandError, match="Give --people"):
        call_command("seed_synthetic")
    assert Person.objects.count() == 0
