import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contacts.choices import ImportKind, ImportStatus
from contacts.models import ContactPoint, Organization, Person, SpreadsheetImport
from contacts.spreadsheets import (
    neutralise,
    people_export_rows,
    people_for_export,
    spreadsheet_apply,
    spreadsheet_upload,
)
from core.errors import DomainValidationError
from tests.contacts.factories import ContactPointFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=False)
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


@pytest.fixture
def two_existing(lead):
    by_email = PersonFactory(first_name="Testperson3", last_name="Synthetic-Leader3", owner=lead, stance="neutral")
    ContactPointFactory(person=by_email, value="Leader3@synthetic.example")
    by_ref = PersonFactory(first_name="Old", last_name="Synthetic-Leader7", owner=lead, external_ids={"ref": "SYN-007"})
    return by_email, by_ref


def test_bad_row_is_reported_by_number_and_nothing_is_written(lead, two_existing, reference_data):
    people_before, orgs_before = Person.objects.count(), Organization.objects.count()

    record = spreadsheet_upload(user=lead, kind=ImportKind.PEOPLE, upload=_upload("business_leaders_synthetic.xlsx"))

    assert record.preview["counts"] == {"create": 17, "update": 2, "error": 1, "warning": 0}
    bad = [row for row in record.preview["rows"] if row["action"] == "error"]
    assert [(row["row"], row["errors"]) for row in bad] == [(15, ["Unknown state code “ZZ”."])]
    updates = {row["row"]: (row["match_label"], row["matched_by"]) for row in record.preview["rows"] if row["match_id"]}
    assert updates == {4: ("Testperson3 Synthetic-Leader3", "email"), 8: ("Old Synthetic-Leader7", "external id")}
    assert (Person.objects.count(), Organization.objects.count()) == (people_before, orgs_before)
    with pytest.raises(DomainValidationError):
        spreadsheet_apply(record=record, user=lead)
    assert Person.objects.count() == people_before
    assert SpreadsheetImport.objects.get().status == ImportStatus.PREVIEWED


def test_valid_rows_only_is_an_explicit_choice_that_lists_the_skipped_rows(lead, two_existing, reference_data):
    record = spreadsheet_upload(user=lead, kind=ImportKind.PEOPLE, upload=_upload("business_leaders_synthetic.xlsx"))
    people_before = Person.objects.count()

    result = spreadsheet_apply(record=record, user=lead, valid_rows_only=True)

    assert result == {"created": 17, "updated": 2, "skipped": [{"row": 15, "errors": ["Unknown state code “ZZ”."]}]}
    assert Person.objects.count() == people_before + 17
    assert not Person.objects.filter(external_ids__ref="SYN-014").exists()
    record.refresh_from_db()
    assert (record.status, record.result["skipped"][0]["row"]) == (ImportStatus.APPLIED, 15)


def test_valid_rows_only_refuses_a_file_where_every_row_has_errors(lead, reference_data):
    upload = SimpleUploadedFile("p.csv", b"last_name,states\nSynthetic-A,ZZ\nSynthetic-B,QQ\n")
    record = spreadsheet_upload(user=lead, kind=ImportKind.PEOPLE, upload=upload)
    with pytest.raises(DomainValidationError, match="No row is valid"):
        spreadsheet_apply(record=record, user=lead, valid_rows_only=True)
    assert Person.objects.count() == 0
    assert SpreadsheetImport.objects.get().status == ImportStatus.PREVIEWED


def test_valid_rows_only_skips_only_rows_the_preview_flagged(lead, reference_data):
    """A row that became invalid after the preview was never shown as skipped: nothing is written."""
    upload = SimpleUploadedFile("p.csv", b"last_name,states\nSynthetic-A,MI\nSynthetic-B,ZZ\n")
    record = spreadsheet_upload(user=lead, kind=ImportKind.PEOPLE, upload=upload)
    record.preview["rows"] = [row for row in record.preview["rows"] if row["row"] != 3]
    record.save()
    with pytest.raises(DomainValidationError, match="Some rows have errors"):
        spreadsheet_apply(record=record, user=lead, valid_rows_only=True)
    assert Person.objects.count() == 0


def test_preview_page_offers_valid_rows_only_and_names_the_skipped_rows(client_for, lead, reference_data):
    client = client_for(lead)
    upload = SimpleUploadedFile("p.csv", b"last_name,states\nSynthetic-A,MI\nSynthetic-B,ZZ\nSynthetic-C,OH\n")
    response = client.post("/stakeholders/import/", {"kind": "people", "file": upload}, follow=True)
    page = response.content.decode()
    assert "Or import the valid rows only: row 3 will be skipped." in page
    assert 'value="apply_valid"' in page and "Import the 2 valid rows only" in page
    assert 'value="apply"' not in page
    token = SpreadsheetImport.objects.get().token
    applied = client.post(f"/stakeholders/import/{token}/", {"action": "apply_valid"}, follow=True)
    assert "Import applied: 2 created, 0 updated. Skipped rows with errors: 3." in applied.content.decode()
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Synthetic-A", "Synthetic-C"]


def test_preview_queries_do_not_grow_with_rows(lead, reference_data, django_assert_max_num_queries):
    """Matching, duplicate warnings and reference look-ups are read once per file, not once per row."""
    from contacts.spreadsheets import build_plans, read_rows
    from trade.models import State

    existing = PersonFactory(first_name="Ann0", last_name="Synthetic-0")
    existing.states.add(State.objects.get(code="MI"))

    def rows(n):
        lines = ["first_name,last_name,states,organization,email,phone"]
        lines += [f"Ann{i},Synthetic-{i},MI,Synthetic Co {i},a{i}@example.invalid,+1 555 010 {i:04d}" for i in range(n)]
        return read_rows(content="\n".join(lines).encode(), filename="p.csv")

    with django_assert_max_num_queries(12) as few:
        small = build_plans(kind=ImportKind.PEOPLE, rows=rows(3), user=lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = build_plans(kind=ImportKind.PEOPLE, rows=rows(200), user=lead)
    duplicate = "Possible duplicate of Ann0 Synthetic-0 (same name and state (MI))."
    assert small[0].warnings == large[0].warnings == [duplicate]
    assert [plan.warnings for plan in large[1:]] == [[]] * 199


def test_organization_preview_queries_do_not_grow_with_rows(lead, reference_data, django_assert_max_num_queries):
    """Same-name and same-website look-ups for an organization file are read once per file, not per row."""
    from contacts.spreadsheets import build_plans, read_rows

    OrganizationFactory(name="Works Zero Holdings", website="https://works0.example.invalid/about")

    def rows(n):
        lines = ["name,type,website,hq_state"]
        lines += [f"Synthetic Works {i},company,https://works{i}.example.invalid,MI" for i in range(n)]
        return read_rows(content="\n".join(lines).encode(), filename="o.csv")

    with django_assert_max_num_queries(12) as few:
        small = build_plans(kind=ImportKind.ORGANIZATIONS, rows=rows(3), user=lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = build_plans(kind=ImportKind.ORGANIZATIONS, rows=rows(200), user=lead)
    duplicate = "Possible duplicate of Works Zero Holdings (same website (works0.example.invalid))."
    assert small[0].warnings == large[0].warnings == [duplicate]
    assert [plan.warnings for plan in large[1:]] == [[]] * 199


def test_clean_import_creates_18_updates_two_and_reimport_updates_instead_of_duplicating(
    lead, two_existing, reference_data
):
    by_email, by_ref = two_existing
    record = spreadsheet_upload(
        user=lead, kind=ImportKind.PEOPLE, upload=_upload("business_leaders_synthetic_fixed.xlsx")
    )
    assert record.preview["counts"]["error"] == 0

    result = spreadsheet_apply(record=record, user=lead)

    assert result == {"created": 18, "updated": 2, "skipped": []}
    assert Person.objects.count() == 20
    assert Person.objects.filter(is_synthetic=True).count() == 20
    by_email.refresh_from_db()
    by_ref.refresh_from_db()
    assert (by_email.title, by_email.stance, by_email.influence) == (
        "Chief Executive Officer (synthetic)",
        "neutral",
        3,
    )
    assert by_ref.first_name == "Testperson7"
    assert by_email.contact_points.filter(kind="email").count() == 1
    leader = Person.objects.get(external_ids__ref="SYN-001")
    assert [s.code for s in leader.states.all()] == ["MI"]
    position = leader.positions.get()
    assert (position.organization.name, position.organization.is_synthetic) == ("Synthetic Manufacturing 1 Inc.", True)
    assert SpreadsheetImport.objects.get().file.name == ""

    again = spreadsheet_upload(
        user=lead, kind=ImportKind.PEOPLE, upload=_upload("business_leaders_synthetic_fixed.xlsx")
    )
    assert again.preview["counts"] == {"create": 0, "update": 20, "error": 0, "warning": 0}
    assert spreadsheet_apply(record=again, user=lead) == {"created": 0, "updated": 20, "skipped": []}
    assert Person.objects.count() == 20


def test_officer_rows_matching_someone_elses_person_are_errors(officer, lead, reference_data):
    other = PersonFactory(owner=lead)
    ContactPointFactory(person=other, value="taken@synthetic.example")
    csv_file = SimpleUploadedFile(
        "people.csv", b"first_name,last_name,email\nTesta,Synthetic-Officer,taken@synthetic.example\n"
    )
    record = spreadsheet_upload(user=officer, kind=ImportKind.PEOPLE, upload=csv_file)
    assert record.preview["rows"][0]["errors"] == [f"Matches {other} by email, whom your role cannot edit."]


def test_organization_csv_import_and_duplicate_rows(lead, reference_data):
    content = (
        b"external_id,name,type,website,hq_state,pillars\n"
        b"ORG-1,Synthetic Lumber Co,company,https://lumber.synthetic.example,OR,forestry\n"
        b"ORG-1,Synthetic Lumber Again,company,,OR,forestry\n"
        b",,company,,,\n"
    )
    record = spreadsheet_upload(user=lead, kind=ImportKind.ORGANIZATIONS, upload=SimpleUploadedFile("o.csv", content))
    assert [(r["row"], r["errors"]) for r in record.preview["rows"]] == [
        (2, []),
        (3, ["Same external id as row 2."]),
        (4, ["Name is required."]),
    ]


def test_viewers_cannot_upload(viewer):
    from contacts.services import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        spreadsheet_upload(user=viewer, kind=ImportKind.PEOPLE, upload=SimpleUploadedFile("p.csv", b"last_name\nX\n"))
    assert SpreadsheetImport.objects.count() == 0


def test_export_neutralises_formulas_and_hides_notes_from_viewers(viewer, lead):
    person = PersonFactory(title='=HYPERLINK("http://evil.example")', notes="Confidential remark")
    ContactPoint.objects.create(person=person, kind="email", value="@cmd|' /C calc'!A0")
    header, rows = people_export_rows(people=people_for_export(Person.objects.with_list_relations()), user=viewer)
    row = dict(zip(header, rows[0], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["email"] == "'@cmd|' /C calc'!A0"
    assert "staff_notes" not in header
    header, rows = people_export_rows(people=people_for_export(Person.objects.with_list_relations()), user=lead)
    assert dict(zip(header, rows[0], strict=True))["staff_notes"] == "Confidential remark"
    assert [neutralise(v) for v in ("+1", "-2", "ok", 5)] == ["'+1", "'-2", "ok", 5]


def test_xlsx_export_cells_are_text_not_formulas(client_for, viewer):
    PersonFactory(title="=1+1")
    response = client_for(viewer).get("/stakeholders/export/?format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    titles = [cell.value for cell in sheet["G"]]
    assert titles == ["title", "'=1+1"]
    assert sheet["G2"].data_type == "s"


def test_preview_messages_read_in_the_uploaders_language(lead, reference_data):
    """The preview is written in the language of the person who uploaded the file, as the page shows it."""
    from django.utils import translation

    from trade.models import State

    PersonFactory(first_name="Nora", last_name="Synthetic-Noid").states.add(State.objects.get(code="MI"))
    content = (
        b"first_name,last_name,states,email,influence\n"
        b"Nora,Synthetic-Noid,MI,nora@synthetic.example,9\n"
        b"Ann,Synthetic-Other,ZZ,,\n"
    )
    with translation.override("fr"):
        record = spreadsheet_upload(user=lead, kind=ImportKind.PEOPLE, upload=SimpleUploadedFile("p.csv", content))
    rows = {row["row"]: row for row in record.preview["rows"]}
    assert rows[2]["errors"] == ["L’influence « 9 » doit être un nombre entier de 1 à 5."]
    assert rows[2]["warnings"] == ["Doublon possible de Nora Synthetic-Noid (même nom et même État (MI))."]
    assert rows[3]["errors"] == ["Code d’État inconnu : « ZZ »."]
