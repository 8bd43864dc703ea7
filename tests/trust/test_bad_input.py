"""Odd input answers with a clear 4xx and leaves nothing behind, never a 500 (issue #12).

NUL bytes in paths and uploads, format suffixes on API actions, JSON fields sent as form text, and
the sweep that removes import uploads no row points at.
"""

import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError

from contacts.import_files import orphan_import_uploads_sweep
from contacts.models import SavedSegment, SpreadsheetImport
from core.roles import Role
from tests.contacts.factories import SavedSegmentFactory
from tests.outreach.factories import CampaignFactory, FollowUpFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize("path", ["/states/%00/", "/stakeholders/import/%00/", "/api/states/%00/"])
def test_nul_in_a_path_is_a_400(client_for, officer, path):
    response = client_for(officer).get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_csv_with_a_nul_byte_is_refused_by_row_and_leaves_no_file(client_for, officer, media):
    upload = SimpleUploadedFile("people.csv", b"last_name,first_name\nSmith,Ann\nSmi\x00th,Bo\n", "text/csv")
    response = client_for(officer).post("/stakeholders/import/", {"kind": "people", "file": upload})
    assert response.status_code == 200
    assert "Row 3, column 1 contains a NUL character" in response.content.decode()
    assert SpreadsheetImport.objects.count() == 0
    assert _stored_files(media) == []


def test_upload_whose_row_cannot_be_saved_removes_its_file(client_for, officer, media, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise DatabaseError("simulated failure writing the import row")

    monkeypatch.setattr(SpreadsheetImport, "save", failing_save)
    upload = SimpleUploadedFile("people.csv", b"last_name,first_name\nSmith,Ann\n", "text/csv")
    client = client_for(officer)
    client.raise_request_exception = False
    assert client.post("/stakeholders/import/", {"kind": "people", "file": upload}).status_code == 500
    assert _stored_files(media) == []


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER, Role.LEAD, Role.ADMIN])
def test_api_actions_answer_with_a_format_suffix(api_for, make_user, role):
    user = make_user(role=role)
    segment = SavedSegmentFactory(owner=user, filters={"state": "NY"}, shared=True)
    StateFactory(code="NY", name="New York")
    api = api_for(user)
    response = api.get(f"/api/segments/{segment.pk}/people.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    # The other actions, with and without a router that adds suffixes: never a server error.
    follow_up = FollowUpFactory(assignee=user)
    campaign = CampaignFactory(owner=user)
    for path in ("/api/states/NY/trade.json", f"/api/campaigns/{campaign.pk}/targets.json"):
        assert api.get(path).status_code < 500, path
    for path in (f"/api/follow-ups/{follow_up.pk}/complete.json", f"/api/follow-ups/{follow_up.pk}/cancel.json"):
        assert api.post(path).status_code < 500, path


@pytest.mark.parametrize("format_", ["multipart", "form"])
@pytest.mark.parametrize("filters", ["null", "[1, 2]", '"NY"', "not json"])
def test_segment_filters_sent_as_form_text_must_be_an_object(api_for, officer, format_, filters):
    api = api_for(officer)
    if format_ == "form":
        from urllib.parse import urlencode

        response = api.post(
            "/api/segments/",
            urlencode({"name": "Mine", "filters": filters}),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = api.post("/api/segments/", {"name": "Mine", "filters": filters}, format="multipart")
    assert response.status_code == 400
    assert "filters" in str(response.json())
    assert SavedSegment.objects.count() == 0


def test_segment_filters_sent_as_multipart_json_text_are_accepted(api_for, officer):
    response = api_for(officer).post(
        "/api/segments/", {"name": "Mine", "filters": '{"state": "NY"}'}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert SavedSegment.objects.get().filters == {"state": "NY"}


def _age(name: str, days: float) -> None:
    stamp = time.time() - days * 86400
    os.utime(default_storage.path(name), (stamp, stamp))


def test_sweep_removes_only_day_old_uploads_no_row_points_at(officer, media):
    kept_row = SpreadsheetImport.objects.create(
        token="kept", kind="people", original_name="a.csv", size_bytes=1, uploaded_by=officer, preview={}
    )
    kept_row.file.save("a.csv", SimpleUploadedFile("a.csv", b"x"), save=True)
    old_orphan = default_storage.save("contact-imports/orphan-old.csv", SimpleUploadedFile("o.csv", b"x"))
    young_orphan = default_storage.save("contact-imports/orphan-new.csv", SimpleUploadedFile("n.csv", b"x"))
    for name in (kept_row.file.name, old_orphan):
        _age(name, 2)
    _age(young_orphan, 0.5)

    assert orphan_import_uploads_sweep() == [old_orphan]
    assert _stored_files(media) == sorted([kept_row.file.name, young_orphan])
    assert orphan_import_uploads_sweep() == []


def test_sweep_command_and_beat_entry(officer, media, capsys):
    from django_celery_beat.models import PeriodicTask

    from core.schedules import schedules_install

    orphan = default_storage.save("contact-imports/orphan.csv", SimpleUploadedFile("o.csv", b"x"))
    _age(orphan, 3)
    call_command("sweep_import_uploads")
    assert "1 orphan upload(s) deleted." in capsys.readouterr().out
    assert _stored_files(media) == []
    schedules_install()
    assert PeriodicTask.objects.get(task="contacts.sweep_orphan_import_uploads").enabled


def test_sweep_task_runs_the_sweep(media):
    from contacts.tasks import sweep_orphan_import_uploads

    orphan = default_storage.save("contact-imports/orphan.csv", SimpleUploadedFile("o.csv", b"x"))
    _age(orphan, 1 + 1 / 24)
    assert sweep_orphan_import_uploads.apply().get() == 1
    assert not default_storage.exists(orphan)
