from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import MergeRecord, Person, SavedSegment
from tests.contacts.factories import ContactPointFactory, PersonFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def test_find_michigan_senators_with_committee_seats(public_people, client_for, viewer):
    response = client_for(viewer).get("/stakeholders/", {"state": "MI", "type": "senator"})
    people = list(response.context["page"])
    assert sorted(p.last_name for p in people) == ["Peters", "Slotkin"]
    html = response.content.decode()
    for person in people:
        for seat in person.committee_memberships.all():
            assert seat.committee.code in html


def test_ways_and_means_battleground_filter_and_save_segment(public_people, client_for, lead):
    client = client_for(lead)
    response = client.get("/stakeholders/", {"committee": "HSWM", "battleground": "true"})
    people = list(response.context["page"])
    expected = Person.objects.filter(
        committee_memberships__committee__code="HSWM", states__is_battleground_2024=True
    ).distinct()
    assert {p.pk for p in people} == set(expected.values_list("pk", flat=True))
    assert len(people) == expected.count() > 0

    response = client.post(
        "/stakeholders/segments/", {"name": "W&M battleground", "query": "committee=HSWM&battleground=true"}
    )
    segment = SavedSegment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/stakeholders/?segment={segment.pk}"
    assert (segment.owner, segment.filters) == (lead, {"committee": "HSWM", "battleground": "true"})
    applied = client.get(f"/stakeholders/?segment={segment.pk}")
    assert [p.pk for p in applied.context["page"]] == [p.pk for p in people]


def test_segment_of_another_user_is_hidden_unless_shared(client_for, viewer, make_user):
    other = make_user(username="other")
    private = SavedSegment.objects.create(name="Mine", owner=other, filters={"state": "MI"})
    assert client_for(viewer).get(f"/stakeholders/?segment={private.pk}").status_code == 404
    private.shared = True
    private.save()
    assert client_for(viewer).get(f"/stakeholders/?segment={private.pk}").status_code == 200


def test_export_segment_to_xlsx(public_people, client_for, lead):
    from io import BytesIO

    from openpyxl import load_workbook

    segment = SavedSegment.objects.create(name="MI senators", owner=lead, filters={"state": "MI", "type": "senator"})
    response = client_for(lead).get(f"/stakeholders/export/?segment={segment.pk}&format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="stakeholders-mi-senators.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Elissa Slotkin",
        "Gary C. Peters",
    ]


def test_spreadsheet_upload_preview_then_confirm(client_for, lead, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(lead)
    existing = PersonFactory(first_name="Testperson1", last_name="Synthetic-Leader1", owner=lead)
    ContactPointFactory(person=existing, value="leader1@synthetic.example")
    with (FIXTURES / "business_leaders_synthetic.xlsx").open("rb") as handle:
        response = client.post("/stakeholders/import/", {"kind": "people", "file": handle})
    preview = client.get(response["Location"])
    assert "Row 15:" in preview.content.decode()
    assert preview.context["clean"] is False
    assert Person.objects.count() == 1
    with (FIXTURES / "business_leaders_synthetic_fixed.xlsx").open("rb") as handle:
        response = client.post("/stakeholders/import/", {"kind": "people", "file": handle})
    assert client.get(response["Location"]).context["clean"] is True
    client.post(response["Location"], {"action": "apply"})
    assert Person.objects.count() == 20


def test_upload_rejects_other_file_types(client_for, officer):
    response = client_for(officer).post(
        "/stakeholders/import/", {"kind": "people", "file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Upload a .csv or .xlsx file."]


def test_add_form_warns_about_duplicate_and_keeps_typed_values(client_for, officer, reference_data):
    from trade.models import State

    michigan = State.objects.get(code="MI")
    existing = PersonFactory(first_name="Testa", last_name="Synthetic-Dupe")
    existing.states.add(michigan)
    data = {"first_name": "Testa", "last_name": "Synthetic-Dupe", "kind": "business_leader", "states": [michigan.pk],
            "stance": "unknown", "title": "Typed title", "influence": "5"}  # fmt: skip
    client = client_for(officer)

    response = client.post("/stakeholders/add/", data)
    assert response.context["form"].errors == {"influence_rationale": ["Say why this person's influence is 4 or 5."]}
    assert 'value="Typed title"' in response.content.decode()

    data["influence_rationale"] = "Chairs the synthetic caucus."
    response = client.post("/stakeholders/add/", data)
    assert [c.record for c in response.context["duplicates"]] == [existing]
    assert Person.objects.count() == 1

    data["confirm_duplicate"] = "on"
    response = client.post("/stakeholders/add/", data)
    created = Person.objects.exclude(pk=existing.pk).get()
    assert response["Location"] == f"/stakeholders/{created.pk}/"
    assert created.owner == officer


def test_permissions_officer_edits_own_only_viewer_reads(client_for, officer, viewer, lead):
    own, others = PersonFactory(owner=officer), PersonFactory(owner=lead)
    client = client_for(officer)
    assert client.get(f"/stakeholders/{own.pk}/edit/").status_code == 200
    assert client.get(f"/stakeholders/{others.pk}/edit/").status_code == 403
    viewer_client = client_for(viewer)
    assert viewer_client.get(f"/stakeholders/{own.pk}/").status_code == 200
    assert viewer_client.get("/stakeholders/add/").status_code == 403


def test_duplicates_page_and_merge(client_for, lead):
    keep = PersonFactory(first_name="Testa", last_name="Synthetic-Merge")
    duplicate = PersonFactory(first_name="Testa", last_name="Synthetic-Merge")
    ContactPointFactory(person=keep, value="dup@synthetic.example")
    ContactPointFactory(person=duplicate, value="dup@synthetic.example")
    client = client_for(lead)
    page = client.get("/stakeholders/duplicates/")
    pair = page.context["people_pairs"][0]
    assert (pair.first, pair.second, pair.score) == (keep, duplicate, 90)
    response = client.post("/stakeholders/merge/people/", {"keep": keep.pk, "duplicate": duplicate.pk})
    assert response["Location"] == f"/stakeholders/{keep.pk}/"
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert keep.contact_points.count() == 2
    assert MergeRecord.objects.get().kept_person == keep


def test_officer_cannot_merge(client_for, officer):
    keep, duplicate = PersonFactory(), PersonFactory()
    response = client_for(officer).post("/stakeholders/merge/people/", {"keep": keep.pk, "duplicate": duplicate.pk})
    assert response.status_code == 403
    assert Person.objects.count() == 2


def test_search_box_finds_people_and_organizations(public_people, client_for, viewer):
    from contacts.public_data import organizations_seed_import

    organizations_seed_import()
    response = client_for(viewer).get("/stakeholders/", {"q": "Whitmer"})
    assert [p.last_name for p in response.context["page"]] == ["Whitmer"]
    response = client_for(viewer).get("/stakeholders/", {"q": "Petroleum"})
    assert [o.name for o in response.context["organizations"]] == ["American Petroleum Institute"]
