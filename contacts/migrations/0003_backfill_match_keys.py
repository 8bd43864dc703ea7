"""Fill the normalised match keys for rows created before the keys existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    from contacts.normalize import contact_value_key, organization_name_key, person_name_key

    Person = apps.get_model("contacts", "Person")
    Organization = apps.get_model("contacts", "Organization")
    ContactPoint = apps.get_model("contacts", "ContactPoint")
    people = list(Person.objects.all())
    for person in people:
        person.name_key = person_name_key(
            first_name=person.preferred_name or person.first_name, last_name=person.last_name
        )
    Person.objects.bulk_update(people, ["name_key"], batch_size=500)
    organizations = list(Organization.objects.all())
    for organization in organizations:
        organization.name_key = organization_name_key(organization.name)
    Organization.objects.bulk_update(organizations, ["name_key"], batch_size=500)
    points = list(ContactPoint.objects.all())
    for point in points:
        point.value_key = contact_value_key(kind=point.kind, value=point.value)
    ContactPoint.objects.bulk_update(points, ["value_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_person_kind_keys_segments_merges_imports")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
