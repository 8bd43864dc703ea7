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


def test_unmatched_api_path_answers_with_the_error_envelope(client_for, make_user):
    from core.roles import Role

    client = client_for(make_user(Role.VIEWER))
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": {}}}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_schema_documents_the_error_envelope(client_for, make_user):
    from core.roles import Role

    schema = client_for(make_user(Role.VIEWER)).get("/api/schema/?format=json").json()
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    people = schema["paths"]["/api/people/"]["get"]["responses"]
    person = schema["paths"]["/api/people/{id}/"]["get"]["responses"]
    packet = schema["paths"]["/api/briefings/"]["post"]["responses"]
    assert {code: people[code]["content"]["application/json"]["schema"] for code in ("400", "403", "404")} == (
        dict.fromkeys(("400", "403", "404"), envelope)
    )
    assert sorted(person) == ["200", "403", "404"]
    assert sorted(packet) == ["202", "400", "403", "404", "415"]
    assert packet["404"]["description"] == "No such target, or not visible to this user."
    assert schema["components"]["schemas"]["ErrorEnvelope"]["required"] == ["error"]


def test_nul_bytes_in_query_are_refused_with_the_envelope(api_for, client_for, make_user):
    user = make_user()
    response = api_for(user).get("/api/priorities/", {"state": "M\x00I"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert client_for(user).get("/stakeholders/", {"q": "a\x00b"}).status_code == 400
