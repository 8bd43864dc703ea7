import pytest

pytestmark = pytest.mark.django_db


def test_schema_and_docs_served_from_local_files(client_for, make_user):
    client = client_for(make_user())
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_api_requires_authentication_with_error_envelope(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code in {401, 403}


def test_login_logout_pages(client, make_user):
    user = make_user()
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'for="id_username"' in page.content
    response = client.post("/login/", {"username": user.username, "password": "correct-horse-battery-staple"})
    assert response.status_code == 302 and response["Location"] == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert b'aria-current="page"' in dashboard.content
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_failed_login_keeps_username_and_says_why(client, make_user):
    user = make_user()
    response = client.post("/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert f'value="{user.username}"'.encode() in response.content
    assert b'role="alert"' in response.content


def test_user_without_role_is_refused(client_for, make_user):
    assert client_for(make_user(None)).get("/").status_code == 403


def test_request_id_header(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
