"""Fill the per-person contact figures from the interactions and commitments already recorded."""

from django.db import migrations
from django.db.models import Count, Max, Min
from django.utils import timezone

BATCH = 5000


def backfill(apps, schema_editor):
    Interaction = apps.get_model("outreach", "Interaction")
    PersonContactStats = apps.get_model("outreach", "PersonContactStats")
    links = Interaction.people.through.objects.order_by().values("person_id")
    now = timezone.now()
    ids = sorted(set(links.values_list("person_id", flat=True).distinct()))
    for start in range(0, len(ids), BATCH):
        batch = links.filter(person_id__in=ids[start : start + BATCH])
        last = dict(
            batch.filter(interaction__occurred_at__lte=now)
            .annotate(at=Max("interaction__occurred_at"))
            .values_list("person_id", "at")
        )
        upcoming = dict(
            batch.filter(interaction__occurred_at__gt=now)
            .annotate(at=Min("interaction__occurred_at"))
            .values_list("person_id", "at")
        )
        open_counts = dict(
            batch.filter(interaction__commitments__status="open")
            .annotate(n=Count("interaction__commitments"))
            .values_list("person_id", "n")
        )
        PersonContactStats.objects.bulk_create(
            [
                PersonContactStats(
                    person_id=pk,
                    last_contacted_at=last.get(pk),
                    next_contact_at=upcoming.get(pk),
                    open_commitments_count=open_counts.get(pk, 0),
                )
                for pk in ids[start : start + BATCH]
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_person_contact_stats")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
