"""Confidential notes: the author and Leads/Admins read them; nobody else sees them on any path."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core.roles import Role
from outreach import services
from outreach.models import Interaction
from tests.outreach.factories import StateFactory, SyntheticPersonFactory

pytestmark = pytest.mark.django_db

SECRET = "XYZZY-governor-privately-favours-exemption"


@pytest.fixture
def setting(make_user):
    author = make_user(Role.OFFICER, username="author")
    state = StateFactory(code="MI", name="Michigan")
    person = SyntheticPersonFactory(full_name="Pat Synthetic", states=[state])
    interaction = services.interaction_log(
        actor=author,
        kind="meeting",
        summary="Public summary of the meeting",
        people=[person],
        states=[state],
        confidential_notes=SECRET,
    )
    return {"author": author, "person": person, "state": state, "interaction": interaction}


@pytest.fixture
def readers(setting, make_user):
    return {
        "author": (setting["author"], True),
        "other officer": (make_user(Role.OFFICER), False),
        "viewer": (make_user(Role.VIEWER), False),
        "lead": (make_user(Role.LEAD), True),
        "admin": (make_user(Role.ADMIN), True),
    }


READER_NAMES = ["author", "other officer", "viewer", "lead", "admin"]


@pytest.mark.parametrize("who", READER_NAMES)
@pytest.mark.parametrize(
    "path",
    [
        "/interactions/{id}/",
        "/interactions/export.csv",
        "/api/interactions/",
        "/api/interactions/{id}/",
        "/stakeholders/{person}/",
        "/states/MI/",
    ],
)
def test_detail_api_export_and_timelines_show_notes_only_to_readers(client_for, setting, readers, who, path):
    user, may_read = readers[who]
    response = client_for(user).get(path.format(id=setting["interaction"].pk, person=setting["person"].pk))
    assert response.status_code == 200
    assert (SECRET in response.content.decode()) is may_read


@pytest.mark.parametrize("who", READER_NAMES)
@pytest.mark.parametrize("path", ["/", "/interactions/", "/interactions/?q=meeting", "/calendar/?all=1"])
def test_lists_never_show_notes_and_flag_them_only_to_readers(client_for, setting, readers, who, path):
    user, may_read = readers[who]
    html = client_for(user).get(path).content.decode()
    assert SECRET not in html
    if path != "/calendar/?all=1":
        assert "Public summary of the meeting" in html
        assert ("Has confidential notes you can read" in html) is may_read


@pytest.mark.parametrize("who", READER_NAMES)
def test_search_never_matches_on_confidential_notes(client_for, setting, readers, who):
    user, _ = readers[who]
    client = client_for(user)
    assert client.get("/api/interactions/?q=XYZZY").json()["count"] == 0
    assert client.get("/interactions/?q=XYZZY").context["page_obj"].paginator.count == 0
    assert "Pat Synthetic" not in client.get("/interactions/export.csv?q=XYZZY").content.decode()


@pytest.mark.parametrize("who", READER_NAMES)
@pytest.mark.parametrize("subject", ["person", "state"])
def test_timeline_partial(setting, readers, who, subject):
    user, may_read = readers[who]
    request = RequestFactory().get("/")
    request.user = user
    # Exactly how stakeholder and state pages include it.
    template = Template('{% include "outreach/_timeline.html" with ' + subject + "=subject %}")
    html = template.render(Context({"request": request, "subject": setting[subject]}))
    assert "Public summary of the meeting" in html
    assert (SECRET in html) is may_read


def test_queryset_does_not_load_the_column_for_non_readers(setting, readers):
    user, _ = readers["viewer"]
    interaction = Interaction.objects.visible_to(user).get()
    assert "confidential_notes" in interaction.get_deferred_fields()
    assert interaction.visible_confidential_notes == ""


def test_api_create_returns_notes_to_author_only(api_for, officer, viewer):
    person = SyntheticPersonFactory()
    created = api_for(officer).post(
        "/api/interactions/", {"kind": "call", "people": [person.pk], "summary": "s", "confidential_notes": SECRET}
    )
    assert created.status_code == 201
    assert created.json()["confidential_notes"] == SECRET
    seen = api_for(viewer).get(f"/api/interactions/{created.json()['id']}/")
    assert "confidential_notes" not in seen.json()


def test_other_officer_cannot_overwrite_notes_through_the_api(api_for, setting, readers):
    user, _ = readers["other officer"]
    response = api_for(user).patch(
        f"/api/interactions/{setting['interaction'].pk}/", {"confidential_notes": "replaced"}
    )
    # The interaction is visible to them: their role lacks the right, so 403 (not a validation error).
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    setting["interaction"].refresh_from_db()
    assert setting["interaction"].confidential_notes == SECRET


def test_templates_only_use_the_filtered_attribute():
    """Guard: no template reads the raw column (it would bypass `visible_to`)."""
    import re
    from pathlib import Path

    from django.conf import settings

    raw_column = re.compile(r"(?<!form)\.confidential_notes\b")
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if raw_column.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("who", READER_NAMES)
def test_history_view_follows_the_same_rule(client_for, setting, readers, who):
    from core.selectors import history_for

    user, may_read = readers[who]
    interaction = setting["interaction"]
    interaction.confidential_notes = SECRET + " (updated)"
    interaction.save()
    history = history_for(interaction, user)
    html = client_for(user).get(f"/interactions/{interaction.pk}/").content.decode()
    assert ("(updated)" in html) is may_read
    if history is not None:  # history is for Leads and Admins only
        shown = [change.after for entry in history for change in entry.changes]
        assert any(SECRET in value for value in shown) is may_read
        assert may_read


@pytest.mark.parametrize("who", READER_NAMES)
@pytest.mark.parametrize("how", ["format", "accept"])
def test_browsable_api_forms_follow_the_same_rule(client_for, setting, readers, who, how):
    """DRF's HTML renderer draws edit forms (and their "Raw data" textarea) from the serializers:
    they must show the notes exactly where the JSON does."""
    user, may_read = readers[who]
    url = f"/api/interactions/{setting['interaction'].pk}/"
    client = client_for(user)
    if how == "format":
        response = client.get(url + "?format=api")
    else:
        response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert (SECRET in response.content.decode()) is may_read


def test_every_serializer_reads_confidential_fields_through_the_rule():
    """Guard: a serializer field backed by a model's confidential column must be the field that reads
    what `visible_to(user)` decided (a plain ModelSerializer field would load the column itself)."""
    import importlib

    from rest_framework import serializers as drf_serializers

    from outreach.api.serializers import ConfidentialNotesField

    apps_with_api = ("trade", "contacts", "outreach", "briefings")
    for name in apps_with_api:
        importlib.import_module(f"{name}.api.serializers")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked, offenders = 0, []
    for serializer_class in set(subclasses(drf_serializers.ModelSerializer)):
        if serializer_class.__module__.split(".")[0] not in apps_with_api:
            continue
        model = serializer_class.Meta.model
        confidential = set(getattr(model, "audit_confidential_fields", ()))
        for name, field in serializer_class().fields.items():
            if (field.source or name) in confidential:
                checked += 1
                if not isinstance(field, ConfidentialNotesField) and not field.write_only:
                    offenders.append(f"{serializer_class.__module__}.{serializer_class.__name__}.{name}")
    assert checked >= 2  # the interaction serializer and the update serializer
    assert offenders == []
