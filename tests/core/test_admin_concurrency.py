"""Django admin change forms of versioned records refuse a save made after someone else's (docs/security.md)."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory

from contacts.models import Organization, Person
from core.admin import VersionedAdminMixin
from outreach.models import Interaction
from tests.contacts.factories import OrganizationFactory
from trade.models import TariffMeasure

pytestmark = pytest.mark.django_db


def _admin_form(obj, user, data):
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().post("/")
    request.user = user
    form_class = model_admin.get_form(request, obj, change=True)
    return form_class(data=data, instance=type(obj).objects.get(pk=obj.pk))


@pytest.mark.parametrize("model", [Person, Organization, Interaction, TariffMeasure])
def test_every_versioned_model_admin_uses_the_versioned_form(model):
    assert isinstance(admin.site._registry[model], VersionedAdminMixin)


def test_a_stale_admin_form_is_refused_keeps_what_was_typed_and_saving_again_is_a_choice(admin_user_role):
    organization = OrganizationFactory(name="Before", description="original")
    model_admin = admin.site._registry[Organization]
    request = RequestFactory().get("/")
    request.user = admin_user_role
    read_version = organization.version
    fields = [f for f in model_admin.get_form(request, organization, change=True).base_fields if f != "read_version"]
    data = {k: v for k, v in model_to_dict(organization, fields=fields).items() if v is not None}
    data = {k: ([x.pk for x in v] if isinstance(v, list) else v) for k, v in data.items()}

    # Someone else saves after the Admin opened the form.
    Organization.objects.get(pk=organization.pk).save()

    form = _admin_form(
        organization, admin_user_role, {**data, "description": "typed by the admin", "read_version": read_version}
    )
    assert not form.is_valid()
    assert "Someone else saved this record" in str(form.non_field_errors())
    assert form.data["description"] == "typed by the admin"
    organization.refresh_from_db()
    assert organization.description == "original"

    # The refused form now carries the current version: saving again after review goes through.
    again = _admin_form(organization, admin_user_role, form.data)
    assert again.is_valid(), again.errors
