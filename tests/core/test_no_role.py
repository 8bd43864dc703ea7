"""A signed-in user in no role group sees login, logout and a page saying the account has no role yet:
every other page, the API (its schema and Swagger UI too), the account and two-factor pages and the
admin refuse them with 403."""

import pytest

from core.roles import Role

pytestmark = pytest.mark.django_db

REFUSED = [
    "/",
    "/account/",
    "/account/two-factor/setup/",
    "/account/two-factor/verify/",
    "/interactions/",
    "/briefings/",
    "/admin/",
    "/admin/login/",
]
REFUSED_API = ["/api/schema/", "/api/docs/", "/api/interactions/", "/api/people/"]


@pytest.fixture
def nobody(client_for, make_user):
    return client_for(make_user(None, username="norole"))


@pytest.mark.parametrize("path", REFUSED)
def test_pages_answer_with_the_no_role_page(nobody, path):
    response = nobody.get(path)
    assert response.status_code == 403
    assert "has no role yet" in response.content.decode()


@pytest.mark.parametrize("path", REFUSED_API)
def test_api_schema_and_docs_refuse(nobody, path):
    response = nobody.get(path)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_role"


def test_two_factor_setup_creates_no_device(nobody):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    nobody.get("/account/two-factor/setup/")
    nobody.post("/account/two-factor/setup/", {"token": "123456"})
    assert not TOTPDevice.objects.exists()


def test_login_and_logout_still_work(nobody):
    assert nobody.get("/healthz").status_code == 200
    assert nobody.get("/login/").status_code == 302  # already signed in: sent on, to the no-role page
    assert nobody.post("/logout/").status_code == 302
    assert nobody.get("/").status_code == 302  # signed out now: to the login page


def test_a_roleless_api_token_sees_neither_schema_nor_docs(make_user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=make_user(None))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/schema/").status_code == 403
    assert api.get("/api/interactions/").status_code == 403


def test_a_role_given_later_opens_the_pages(client_for, make_user):
    from core.services import user_set_role

    user = make_user(None)
    client = client_for(user)
    assert client.get("/").status_code == 403
    user_set_role(user=user, role=Role.VIEWER)
    assert client.get("/").status_code == 200
