from django.db import migrations


def create_weights(apps, schema_editor):
    # The one row of weights exists from the start so pages never have to create it.
    apps.get_model("outreach", "PriorityWeights").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_interactions_followups_campaigns")]

    operations = [migrations.RunPython(create_weights, migrations.RunPython.noop)]
