"""Concurrent edits: two people editing the same record never silently overwrite each other.

Every edit page and every API endpoint that accepts PUT/PATCH is listed below; the enumeration
tests fail when one is added without being listed (and so without a two-writer test).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from contacts.models import Organization, Person
from core.api.concurrency import VersionedUpdateMixin, if_match_versions
from core.forms import VersionedFormMixin
from core.roles import Role
from outreach.models import Interaction
from tests.contacts.factories import OrganizationFactory, PersonFactory
from tests.outreach.factories import InteractionFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class EditPage:
    make: Any  # () -> record
    first: tuple[str, str]  # (field, value) the first editor changes
    second: tuple[str, str]  # (field, value) the second editor changes
    key: Any = None  # (record) -> the URL argument; the pk when None


def _measure():
    from trade.choices import MeasureAuthority, MeasureSide, MeasureStatus, UsmcaTreatment
    from trade.models import TariffMeasure

    return TariffMeasure.objects.create(
        slug="synthetic-measure", family="synthetic-measure", side=MeasureSide.US,
        authority=MeasureAuthority.SECTION_232,
        title="Synthetic measure", instrument="Synthetic proclamation", rate="0.25",
        usmca_treatment=UsmcaTreatment.NOT_EXEMPT,
        status=MeasureStatus.HYPOTHETICAL, notes="Old notes", verification_note="Old verification note",
    )  # fmt: skip


EDIT_PAGES = {
    "contacts:person-edit": EditPage(
        make=lambda: PersonFactory(kind="other", title="Old title", bio="Old bio"),
        first=("title", "New title"),
        second=("bio", "New bio"),
    ),
    "contacts:organization-edit": EditPage(
        make=lambda: OrganizationFactory(description="Old description", notes="Old notes"),
        first=("description", "New description"),
        second=("notes", "New notes"),
    ),
    "trade:tariff-measure-edit": EditPage(
        make=_measure,
        first=("notes", "New notes"),
        second=("verification_note", "Checked against the proclamation."),
        key=lambda measure: measure.slug,
    ),
}


@dataclass(frozen=True)
class ApiWrite:
    make: Any  # (author) -> record
    url: str  # detail URL, with {pk}
    first: dict
    second: dict


API_WRITES = {
    "api-interaction-detail": ApiWrite(
        make=lambda author: InteractionFactory(created_by=author, summary="Old summary", location="Old place"),
        url="/api/interactions/{pk}/",
        first={"summary": "New summary"},
        second={"location": "New place"},
    ),
}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern


def test_every_edit_page_is_listed_here():
    """A page whose route edits or updates a record needs a two-writer test: list it in EDIT_PAGES."""
    found = {
        f"{prefix}{pattern.name}"
        for prefix, pattern in _patterns(get_resolver())
        if any(word in str(pattern.pattern) for word in ("edit/", "update/"))
    }
    assert found == set(EDIT_PAGES)


def test_every_put_or_patch_endpoint_is_listed_and_versioned():
    """An API endpoint accepting PUT or PATCH uses VersionedUpdateMixin and is listed in API_WRITES."""
    found = set()
    for prefix, pattern in _patterns(get_resolver()):
        view = getattr(pattern.callback, "cls", None)
        if view is None:
            continue
        actions = getattr(pattern.callback, "actions", None)
        methods = set(actions) if actions is not None else {m for m in ("put", "patch") if hasattr(view, m)}
        allowed = {m.lower() for m in getattr(view, "http_method_names", ())}
        if {"put", "patch"} & methods & allowed:
            assert issubclass(view, VersionedUpdateMixin), pattern.name
            found.add(f"{prefix}{pattern.name}")
    assert found == set(API_WRITES)


def _post_data(form) -> dict:
    """What a browser would post for `form` as shown (initial values, or the bound data)."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(getattr(v, "pk", v)) for v in value]
        data[bound.html_name] = value
    return data


def _open(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return _post_data(response.context["form"])


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_edit_page_refuses_the_second_writer_and_keeps_both_changes(name, make_user):
    from django.test import Client

    page = EDIT_PAGES[name]
    record = page.make()
    url = reverse(name, args=[page.key(record) if page.key else record.pk])
    first_lead, second_lead = make_user(Role.LEAD, username="lead-ann"), make_user(Role.LEAD, username="lead-bo")
    first, second = Client(), Client()
    first.force_login(first_lead)
    second.force_login(second_lead)
    first_form, second_form = _open(first, url), _open(second, url)

    (field_a, value_a), (field_b, value_b) = page.first, page.second
    old_a, old_b = first_form[field_a], second_form[field_b]
    assert first.post(url, {**first_form, field_a: value_a}).status_code == 302

    response = second.post(url, {**second_form, field_b: value_b})
    assert response.status_code == 200
    record.refresh_from_db()
    assert (getattr(record, field_a), getattr(record, field_b)) == (value_a, old_b)  # nothing lost, nothing saved
    form = response.context["form"]
    message = " ".join(form.non_field_errors())
    assert "lead-ann" in message and f"from “{old_a}” to “{value_a}”" in message
    assert "your other changes are kept" in message
    # What the second editor typed is kept; the first editor's change is taken into the form.
    assert form[field_b].value() == value_b
    assert form[field_a].value() == value_a

    assert second.post(url, _post_data(form)).status_code == 302
    record.refresh_from_db()
    assert (getattr(record, field_a), getattr(record, field_b)) == (value_a, value_b)


def test_both_editors_changing_the_same_field_keeps_what_was_typed_and_says_so(make_user):
    from django.test import Client

    person = PersonFactory(kind="other", title="Old title")
    url = reverse("contacts:person-edit", args=[person.pk])
    first, second = Client(), Client()
    first.force_login(make_user(Role.LEAD, username="lead-ann"))
    second.force_login(make_user(Role.LEAD, username="lead-bo"))
    first_form, second_form = _open(first, url), _open(second, url)
    assert first.post(url, {**first_form, "title": "Governor"}).status_code == 302

    response = second.post(url, {**second_form, "title": "Senator"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.title == "Governor"
    form = response.context["form"]
    assert form["title"].value() == "Senator"
    assert form.errors["title"] == ["lead-ann changed this to “Governor”: check it before saving again."]


def test_edit_page_without_a_version_is_refused_and_saves_nothing(lead, client_for):
    person = PersonFactory(kind="other", title="Old title")
    url = reverse("contacts:person-edit", args=[person.pk])
    client = client_for(lead)
    data = _open(client, url)
    for token in (None, "3", data["version"][:-2] + "xx"):
        posted = {**data, "title": "Changed"}
        if token is None:
            posted.pop("version")
        else:
            posted["version"] = token
        response = client.post(url, posted)
        assert response.status_code == 200
        assert "Reload it" in " ".join(response.context["form"].non_field_errors())
    person.refresh_from_db()
    assert person.title == "Old title"


def test_every_save_bumps_the_version():
    person = PersonFactory(kind="other")
    assert person.version == 1
    person.title = "Mayor"
    person.save()
    assert person.version == 2
    person.save(update_fields=["title"])
    assert Person.objects.get(pk=person.pk).version == 3 == person.version


def test_version_token_is_signed():
    token = VersionedFormMixin.version_token(4)
    assert token != "4" and ":" in token


# --- API ----------------------------------------------------------------------------------------


@pytest.fixture
def writers(make_user, api_for):
    first, second = make_user(Role.LEAD, username="lead-ann"), make_user(Role.LEAD, username="lead-bo")
    return first, api_for(first), api_for(second)


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_api_second_writer_with_stale_if_match_gets_412(name, writers):
    spec = API_WRITES[name]
    author, first, second = writers
    record = spec.make(author)
    url = spec.url.format(pk=record.pk)
    etag_a, etag_b = first.get(url)["ETag"], second.get(url)["ETag"]
    assert etag_a == etag_b == f'"{record.version}"'

    done = first.patch(url, spec.first, format="json", HTTP_IF_MATCH=etag_a)
    assert done.status_code == 200, done.json()
    assert done["ETag"] == f'"{record.version + 1}"' == f'"{done.json()["version"]}"'

    refused = second.patch(url, spec.second, format="json", HTTP_IF_MATCH=etag_b)
    assert refused.status_code == 412
    error = refused.json()["error"]
    assert error["code"] == "precondition_failed"
    assert error["details"]["current_version"] == record.version + 1
    fresh = type(record).objects.get(pk=record.pk)
    for field, value in spec.first.items():
        assert getattr(fresh, field) == value
    for field in spec.second:
        assert getattr(fresh, field) == getattr(record, field)

    retried = second.patch(url, spec.second, format="json", HTTP_IF_MATCH=done["ETag"])
    assert retried.status_code == 200


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_api_second_writer_with_stale_body_version_gets_409(name, writers):
    spec = API_WRITES[name]
    author, first, second = writers
    record = spec.make(author)
    url = spec.url.format(pk=record.pk)
    version = second.get(url).json()["version"]
    assert first.patch(url, {**spec.first, "version": version}, format="json").status_code == 200
    refused = second.patch(url, {**spec.second, "version": version}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "edit_conflict"
    fresh = type(record).objects.get(pk=record.pk)
    assert all(getattr(fresh, field) == getattr(record, field) for field in spec.second)


@pytest.mark.parametrize("name", sorted(API_WRITES))
@pytest.mark.parametrize("if_match", [None, "*", '"abc"'])
def test_api_write_without_a_usable_version_is_refused(name, if_match, writers):
    spec = API_WRITES[name]
    author, first, _second = writers
    record = spec.make(author)
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = first.patch(spec.url.format(pk=record.pk), spec.first, format="json", **headers)
    assert response.status_code == (412 if if_match == '"abc"' else 428)
    fresh = type(record).objects.get(pk=record.pk)
    assert (fresh.version, *(getattr(fresh, f) for f in spec.first)) == (
        record.version,
        *(getattr(record, f) for f in spec.first),
    )


def test_if_match_and_version_that_disagree_are_a_400(writers):
    author, first, _second = writers
    interaction = InteractionFactory(created_by=author)
    response = first.patch(
        f"/api/interactions/{interaction.pk}/",
        {"summary": "x", "version": interaction.version + 5},
        format="json",
        HTTP_IF_MATCH=f'"{interaction.version}"',
    )
    assert response.status_code == 400
    assert Interaction.objects.get(pk=interaction.pk).summary == interaction.summary


def test_if_match_parsing():
    assert if_match_versions('"3"') == [3]
    assert if_match_versions('W/"3", "4"') == [3, 4]
    assert if_match_versions("*") is None
    assert if_match_versions('"x"') == []


def test_schema_documents_if_match_etag_and_conflict_statuses():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    patch = schema["paths"]["/api/interactions/{id}/"]["patch"]
    assert {"name": "If-Match", "in": "header"}.items() <= next(
        p for p in patch["parameters"] if p["name"] == "If-Match"
    ).items()
    assert {"409", "412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    retrieve = schema["paths"]["/api/interactions/{id}/"]["get"]
    assert "ETag" in retrieve["responses"]["200"]["headers"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" in schema["components"]["schemas"][body]["properties"]


def test_organization_conflict_names_no_one_when_history_is_missing(lead, client_for):
    """A version bumped by a write the audit did not record (a bulk update) still refuses the save."""
    organization = OrganizationFactory(notes="Old")
    url = reverse("contacts:organization-edit", args=[organization.pk])
    client = client_for(lead)
    data = _open(client, url)
    Organization.objects.filter(pk=organization.pk).update(version=organization.version + 1)
    response = client.post(url, {**data, "notes": "Mine"})
    assert response.status_code == 200
    assert "Someone else saved this record" in " ".join(response.context["form"].non_field_errors())
    organization.refresh_from_db()
    assert organization.notes == "Old"
