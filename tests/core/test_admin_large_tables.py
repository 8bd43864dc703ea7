"""Changelists of the tables that grow without bound never COUNT(*) the whole table."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.admin import LargeTableAdminMixin
from core.roles import Role

pytestmark = pytest.mark.django_db

LARGE_TABLES = [
    "contacts.Person",
    "contacts.Organization",
    "contacts.ContactPoint",
    "contacts.Position",
    "contacts.Relationship",
    "contacts.OrganizationStatePresence",
    "contacts.StanceEntry",
    "outreach.Interaction",
    "outreach.FollowUp",
    "outreach.Commitment",
    "outreach.CampaignTarget",
    "core.AuditEvent",
    "core.OutboxMessage",
]


@pytest.mark.parametrize("label", LARGE_TABLES)
def test_large_table_admin_uses_the_mixin(label):
    model_admin = admin.site._registry[apps.get_model(label)]

    assert isinstance(model_admin, LargeTableAdminMixin)
    assert type(model_admin).__mro__[1] is LargeTableAdminMixin  # first base: its attributes win
    assert model_admin.show_full_result_count is False


@pytest.mark.parametrize("label", LARGE_TABLES)
def test_changelist_counts_are_bounded(label, client_for, make_user):
    model = apps.get_model(label)
    client = client_for(make_user(Role.ADMIN, username="large-table-admin"))
    table = model._meta.db_table

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")

    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and f'"{table}"' in q["sql"]]
    assert counts, "the paginator counts (bounded)"
    assert all("LIMIT 10001" in sql for sql in counts)
