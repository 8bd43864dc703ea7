"""Spreadsheet rows without an id or email match on the duplicate detector's rule; re-imports never duplicate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.choices import ImportKind
from contacts.models import Person, Position, SpreadsheetImport
from contacts.spreadsheets import spreadsheet_apply, spreadsheet_upload

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,states,organization,organization_title,is_synthetic\n"
ROWS = (
    "Nora,Noid,MI,,,yes\n"  # name + state
    "Otto,Orgonly,,Synthetic Noid Works,Plant manager,yes\n"  # name + organization
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _import(user, body: str = ROWS, *, matches=None, titles=None) -> tuple[SpreadsheetImport, dict]:
    upload = SimpleUploadedFile("people.csv", (HEADER + body).encode())
    record = spreadsheet_upload(user=user, kind=ImportKind.PEOPLE, upload=upload)
    return record, spreadsheet_apply(record=record, user=user, matches=matches, titles=titles)


def test_importing_the_same_id_less_spreadsheet_three_times_creates_each_person_once(lead, reference_data):
    results = [_import(lead)[1] for _ in range(3)]

    assert results == [
        {"created": 2, "updated": 0, "skipped": []},
        {"created": 0, "updated": 2, "skipped": []},
        {"created": 0, "updated": 2, "skipped": []},
    ]
    assert Person.objects.filter(last_name="Noid").count() == 1
    assert Person.objects.filter(last_name="Orgonly").count() == 1
    assert Position.objects.filter(person__last_name="Orgonly", is_current=True).count() == 1


def test_the_preview_shows_the_possible_match_and_the_user_can_choose_a_new_record(lead, reference_data, client_for):
    _import(lead)
    nora = Person.objects.get(last_name="Noid")
    upload = SimpleUploadedFile("people.csv", (HEADER + ROWS).encode())
    client = client_for(lead)
    response = client.post("/stakeholders/import/", {"kind": "people", "file": upload})
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    record = SpreadsheetImport.objects.get(token=token)
    row = record.preview["rows"][0]
    assert (row["action"], row["match_id"]) == ("update", nora.pk)
    assert row["candidates"][0]["id"] == nora.pk
    page = client.get(response.url).content.decode()
    assert f'name="match_2" value="match:{nora.pk}" checked' in page
    assert 'name="match_2" value="new"' in page

    client.post(response.url, {"action": "apply", "match_2": "new"})

    assert Person.objects.filter(last_name="Noid").count() == 2
    assert Person.objects.filter(last_name="Orgonly").count() == 1


def test_a_changed_title_updates_the_current_position_by_default(lead, reference_data):
    _import(lead)
    record, result = _import(lead, ROWS.replace("Plant manager", '"Vice-president, operations"'))

    assert record.preview["rows"][1]["title_change"]["from"] == "Plant manager"
    otto = Person.objects.get(last_name="Orgonly")
    assert list(otto.positions.values_list("title", "is_current")) == [("Vice-president, operations", True)]


def test_a_changed_title_can_end_the_position_and_start_a_new_one(lead, reference_data):
    _import(lead)
    _import(lead, ROWS.replace("Plant manager", '"Vice-president, operations"'), titles={3: "new_position"})

    otto = Person.objects.get(last_name="Orgonly")
    positions = sorted(otto.positions.values_list("title", "is_current"))
    assert positions == [("Plant manager", False), ("Vice-president, operations", True)]
    assert otto.positions.get(is_current=False).end_date is not None


def test_a_matched_name_whom_an_officer_cannot_edit_is_an_error_and_nothing_is_written(officer, lead, reference_data):
    _import(lead)
    with pytest.raises(Exception, match="errors"):
        _import(officer, "Nora,Noid,MI,,,yes\n")
    assert Person.objects.filter(last_name="Noid").count() == 1
    # Choosing "a different person" is allowed.
    result = _import(officer, "Nora,Noid,MI,,,yes\n", matches={2: "new"})[1]
    assert result == {"created": 1, "updated": 0, "skipped": []}
