"""Field-level ownership: a re-import never overwrites a staff edit; the source's new value waits for review."""

import csv
import io

import pytest

from contacts.choices import SourceChangeStatus
from contacts.models import Organization, Person, PublicDataRelease, SourceChange
from contacts.public_data import CONGRESS_FILE, congress_import, load_congress, organizations_seed_import
from contacts.services import organization_update, source_change_resolve
from core.errors import ConflictError
from core.forms import VersionedFormMixin

pytestmark = pytest.mark.django_db

DINGELL = "D000624"
SOURCE_TITLE_6TH = "U.S. Representative for Michigan's 6th district"
SOURCE_TITLE_7TH = "U.S. Representative for Michigan's 7th district"
STAFF_TITLE = "Ranking Member, Energy and Commerce Subcommittee"


def _congress_file(path, *, dingell_district="6"):
    """Three members from the bundled file; Dingell's district as given (the title follows it)."""
    with CONGRESS_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [r for r in reader if r["bioguide_id"] in {DINGELL, "M001153", "S001198"}]
        fields = reader.fieldnames
    for row in rows:
        if row["bioguide_id"] == DINGELL:
            row["district"] = dingell_district
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _edit_form(person, **changes):
    data = {
        "honorific": person.honorific, "first_name": person.first_name, "middle_name": person.middle_name,
        "last_name": person.last_name, "suffix": person.suffix, "preferred_name": person.preferred_name,
        "kind": person.kind, "title": person.title, "bio": person.bio, "stance": person.stance,
        "influence": person.influence or "", "influence_rationale": person.influence_rationale,
        "notes": person.notes, "tags": "", "stance_reason": "", "states": [s.pk for s in person.states.all()],
    }  # fmt: skip
    # The version the editor read (optimistic concurrency, docs/security.md).
    person.refresh_from_db(fields=["version"])
    data["version"] = VersionedFormMixin.version_token(person.version)
    return {**data, **changes}


def test_staff_title_edit_survives_two_reimports_and_shows_the_source_value_for_review(
    reference_data, tmp_path, client_for, lead
):
    congress_import(path=_congress_file(tmp_path / "v1.csv"))
    dingell = Person.objects.get(bioguide_id=DINGELL)
    assert dingell.title == SOURCE_TITLE_6TH
    assert dingell.field_owners["title"]["by"] == "source"

    client = client_for(lead)
    response = client.post(f"/stakeholders/{dingell.pk}/edit/", _edit_form(dingell, title=STAFF_TITLE))
    assert response.status_code == 302
    dingell.refresh_from_db()
    assert dingell.title == STAFF_TITLE
    assert dingell.field_owners["title"]["by"] == "staff"
    assert dingell.field_owners["title"]["username"] == lead.username

    # The same release again: nothing to review, nothing overwritten, nothing "updated".
    report = congress_import(path=_congress_file(tmp_path / "v1.csv"))
    assert (report.updated, report.for_review) == (0, 0)
    dingell.refresh_from_db()
    assert dingell.title == STAFF_TITLE
    assert SourceChange.objects.count() == 0

    # A new release changes the title (district 6 -> 7), twice in a row: one pending review, staff value stays.
    for name in ("v2.csv", "v2-again.csv"):
        report = congress_import(path=_congress_file(tmp_path / name, dingell_district="7"))
        assert report.for_review == 1
        dingell.refresh_from_db()
        assert dingell.title == STAFF_TITLE
        assert dingell.district == "7"  # a field staff never touched follows the source
    change = SourceChange.objects.get()
    assert (change.person, change.field, change.status) == (dingell, "title", SourceChangeStatus.PENDING)
    assert (change.staff_value, change.source_value) == (STAFF_TITLE, SOURCE_TITLE_7TH)

    page = client.get(f"/stakeholders/{dingell.pk}/").content.decode()
    assert "Source changed" in page and SOURCE_TITLE_7TH.replace("'", "&#x27;") in page
    review = client.get("/stakeholders/source-changes/").content.decode()
    assert STAFF_TITLE in review and "Dingell" in review

    response = client.post(f"/stakeholders/source-changes/{change.pk}/", {"action": "accept"})
    assert response.status_code == 302
    dingell.refresh_from_db()
    assert dingell.title == SOURCE_TITLE_7TH
    assert dingell.field_owners["title"]["by"] == "source"
    change.refresh_from_db()
    assert (change.status, change.resolved_by) == (SourceChangeStatus.ACCEPTED, lead)


def test_keep_ours_is_not_raised_again_for_the_same_source_value(reference_data, tmp_path, lead):
    from contacts.services import person_update

    congress_import(path=_congress_file(tmp_path / "v1.csv"))
    dingell = Person.objects.get(bioguide_id=DINGELL)
    person_update(actor=lead, person=dingell, fields={"title": STAFF_TITLE})
    congress_import(path=_congress_file(tmp_path / "v2.csv", dingell_district="7"))
    change = SourceChange.objects.get()

    source_change_resolve(change=change, actor=lead, accept=False)
    congress_import(path=_congress_file(tmp_path / "v2b.csv", dingell_district="7"))

    dingell.refresh_from_db()
    assert dingell.title == STAFF_TITLE
    assert list(SourceChange.objects.values_list("status", flat=True)) == [SourceChangeStatus.KEPT]
    with pytest.raises(ConflictError):
        source_change_resolve(change=change, actor=lead, accept=True)


def test_reviewing_needs_a_lead(reference_data, tmp_path, client_for, officer, lead):
    congress_import(path=_congress_file(tmp_path / "v1.csv"))
    dingell = Person.objects.get(bioguide_id=DINGELL)
    dingell.owner = officer
    dingell.save()
    from contacts.services import person_update

    person_update(actor=officer, person=dingell, fields={"title": STAFF_TITLE})
    congress_import(path=_congress_file(tmp_path / "v2.csv", dingell_district="7"))
    change = SourceChange.objects.get()

    client = client_for(officer)
    assert client.get("/stakeholders/source-changes/").status_code == 403
    assert client.post(f"/stakeholders/source-changes/{change.pk}/", {"action": "accept"}).status_code == 403
    response = client_for(lead).post(f"/stakeholders/source-changes/{change.pk}/", {"action": "bogus"})
    assert response.status_code == 302
    change.refresh_from_db()
    dingell.refresh_from_db()
    assert (change.status, dingell.title) == (SourceChangeStatus.PENDING, STAFF_TITLE)


def test_staff_edit_of_a_seeded_organization_survives_its_reimport(reference_data, tmp_path, lead):
    organizations_seed_import()
    organization = Organization.objects.filter(external_ids__has_key="seed").order_by("pk").first()
    organization_update(actor=lead, organization=organization, fields={"description": "Our own summary."})

    report = organizations_seed_import()

    organization.refresh_from_db()
    assert organization.description == "Our own summary."
    assert organization.field_owners["description"]["by"] == "staff"
    assert report.updated == 0 and report.for_review == 0


def test_loading_public_data_only_works_when_a_release_changed(reference_data):
    out = io.StringIO()
    load_congress(stdout=out)
    assert "537 created" in out.getvalue()
    dingell = Person.objects.get(bioguide_id=DINGELL)
    Person.objects.filter(pk=dingell.pk).update(party="Edited by hand")

    again = io.StringIO()
    load_congress(stdout=again)

    assert "already loaded, nothing to do" in again.getvalue()
    assert Person.objects.get(pk=dingell.pk).party == "Edited by hand"
    assert PublicDataRelease.objects.filter(source="congress").count() == 1


def test_source_change_list_query_count_is_constant(reference_data, tmp_path, client_for, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    congress_import(path=_congress_file(tmp_path / "v1.csv"))
    people = list(Person.objects.filter(bioguide_id__isnull=False))
    client = client_for(lead)

    def _queries(rows):
        SourceChange.objects.all().delete()
        SourceChange.objects.bulk_create(
            SourceChange(person=p, field="title", staff_value="ours", source_value="theirs", release="r") for p in rows
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/stakeholders/source-changes/")
        assert response.content.decode().count("Keep ours<span") == len(rows)
        return len(captured.captured_queries)

    assert _queries(people[:1]) == _queries(people)
