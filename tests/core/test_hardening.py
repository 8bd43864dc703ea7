"""Deployment hardening: security headers, no caching of personal data, upload limits, production settings."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from core.errors import DomainValidationError
from core.roles import Role
from core.uploads import upload_check, validate_import_upload
from tests.core.test_settings import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db


def test_every_response_has_strict_security_headers(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/healthz")["Content-Security-Policy"] == csp


def test_no_inline_script_in_rendered_pages(client_for, make_user):
    client = client_for(make_user(Role.LEAD))
    for path in ["/", "/account/", "/account/two-factor/setup/", "/api/docs/"]:
        html = client.get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, f"inline script on {path}: <script{tag}>"
        assert " style=" not in html, path


def test_authenticated_pages_and_api_are_not_cached(client_for, make_user, client):
    anonymous = client.get("/no-such-page/")
    user = make_user(Role.OFFICER)
    page = client_for(user).get("/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    token = Token.objects.create(user=user)
    from rest_framework.test import APIClient

    api = APIClient().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"]
    # Anonymous responses keep their own caching rules.
    assert anonymous.status_code == 404 and "Cache-Control" not in anonymous


def test_swagger_initializer_is_a_script_file(client_for, make_user):
    client = client_for(make_user())
    html = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def _upload(size: int, name: str = "flows.csv"):
    return SimpleUploadedFile(name, b"x" * size, content_type="text/csv")


def test_upload_size_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    upload_check(_upload(1000))
    with pytest.raises(DomainValidationError) as excinfo:
        upload_check(_upload(1001))
    assert excinfo.value.details == {"field": "file", "code": "too_large", "max_bytes": 1000}
    with pytest.raises(ValidationError):
        validate_import_upload(_upload(1001))
    with pytest.raises(DomainValidationError) as bad_type:
        upload_check(_upload(10, "payload.html"))
    assert bad_type.value.details["code"] == "bad_type"


def test_media_is_never_served_by_url(client_for, make_user, settings):
    assert settings.MEDIA_URL in ("", "/")
    response = client_for(make_user(Role.ADMIN)).get("/media/imports/flows.csv")
    assert response.status_code == 404


def test_production_cookie_and_transport_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(PRODUCTION)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS',"
        " 'SECURE_REFERRER_POLICY', 'DEBUG']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "DEBUG": False,
    }
