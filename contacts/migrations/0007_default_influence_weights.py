from decimal import Decimal

from django.db import migrations

# The documented defaults (docs/stakeholders.md), points on the 0–5 influence scale.
DEFAULT_WEIGHTS = {
    "governor": "4",
    "senator": "3.5",
    "representative": "2",
    "delegate": "1",
    "state_official": "1.5",
    "organization_leader": "1.5",
    "committee_chair": "1.5",
    "committee_ranking_member": "1",
    "committee_seat": "0.5",
    "subcommittee_chair": "0.75",
    "subcommittee_ranking_member": "0.5",
    "subcommittee_seat": "0.25",
    "majority_party": "0.25",
    "per_year_in_term": "0.1",
    "large_organization": "1",
    "mid_organization": "0.5",
    "trade_sector": "0.5",
}


def create_weights(apps, schema_editor):
    # The one row exists from the start so the refresh never has to create it.
    apps.get_model("contacts", "InfluenceWeights").objects.get_or_create(
        pk=1, defaults={name: Decimal(value) for name, value in DEFAULT_WEIGHTS.items()}
    )


def delete_weights(apps, schema_editor):
    apps.get_model("contacts", "InfluenceWeights").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_public_record_influence")]

    operations = [migrations.RunPython(create_weights, delete_weights)]
