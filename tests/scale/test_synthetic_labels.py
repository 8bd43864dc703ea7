"""Synthetic rows say so wherever they show (the `tag synthetic` badge)."""

import pytest
from django.apps import apps

from core.roles import Role
from core.synthetic import synthetic_seed
from tests.scale.conftest import model_or_skip

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/stakeholders/", "/interactions/"])
def test_list_pages_badge_synthetic_rows(path, reference_data, make_user, client_for):
    model_or_skip("outreach.Interaction")
    synthetic_seed(people=3, organizations=1, interactions=3, seed=5)
    client = client_for(make_user(Role.LEAD, username="scale-lead"))

    response = client.get(path)

    assert response.status_code == 200
    assert 'class="tag synthetic"' in response.content.decode()


def test_person_page_badges_a_synthetic_person(reference_data, make_user, client_for):
    synthetic_seed(people=1, organizations=1, interactions=0, seed=5)
    person = apps.get_model("contacts.Person").objects.get(is_synthetic=True)
    client = client_for(make_user(Role.LEAD, username="scale-lead"))

    response = client.get(f"/stakeholders/{person.pk}/")

    assert response.status_code == 200
    assert 'class="tag synthetic"' in response.content.decode()
    assert person.full_name in response.content.decode()
