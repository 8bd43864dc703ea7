"""Accounts and sessions: throttling, password rules, timeouts, two-factor, deactivation, security log."""

import logging
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.permissions import RolePermission
from core.roles import Role
from core.services import user_deactivate
from core.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from tests.core.factories import PASSWORD
from tests.core.otp import otp_device_for, totp_now

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


# --- throttling -----------------------------------------------------------------------------


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_from_that_address(client, make_user, caplog):
    user = make_user(Role.OFFICER)
    caplog.set_level(logging.INFO, logger="envoy.security")
    for _ in range(2):
        assert _login(client, user.username, "wrong password").status_code == 200
    locked = _login(client, user.username, "wrong password")
    assert locked.status_code == 429
    assert b"Too many failed attempts" in locked.content
    # Even the right password is refused while locked out, and nobody is logged in.
    assert _login(client, user.username).status_code == 429
    assert "_auth_user_id" not in client.session
    messages = [r.getMessage() for r in caplog.records if r.name == "envoy.security"]
    assert sum(m.startswith("login-failed") for m in messages) >= 3
    assert any(m.startswith(f"login-locked-out user={user.username}") for m in messages)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_success_resets_failures_and_other_users_are_not_locked(client, make_user):
    user, other = make_user(Role.OFFICER), make_user(Role.OFFICER)
    for _ in range(2):
        _login(client, user.username, "wrong password")
    assert _login(client, user.username).status_code == 302
    client.post("/logout/")
    for _ in range(2):
        assert _login(client, user.username, "wrong password").status_code == 200
    assert _login(Client(), other.username).status_code == 302


def test_password_validators_reject_weak_passwords(make_user):
    user = make_user()
    for weak in ["short1", "password1234", "123456789012", user.username + "12345"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=user)
    validate_password("plum-orbit-cascade-47", user=user)


# --- session timeouts -----------------------------------------------------------------------


def test_login_records_session_times_and_activity_keeps_session(client, make_user):
    user = make_user(Role.OFFICER)
    assert _login(client, user.username).status_code == 302
    session = client.session
    assert abs(session[AUTH_AT_KEY] - time.time()) < 60
    assert client.get("/").status_code == 200


def _age_session(client, *, auth_ago: float, seen_ago: float):
    session = client.session
    now = time.time()
    session[AUTH_AT_KEY] = now - auth_ago
    session[SEEN_AT_KEY] = now - seen_ago
    session.save()


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=600)
def test_idle_session_is_ended(client_for, make_user, caplog):
    client = client_for(make_user(Role.OFFICER, username="idle"))
    _age_session(client, auth_ago=700, seen_ago=601)
    caplog.set_level(logging.INFO, logger="envoy.security")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert "session-expired user=idle kind=idle" in caplog.text


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=600, SESSION_ABSOLUTE_TIMEOUT_SECONDS=3600)
def test_absolute_timeout_ends_an_active_session(client_for, make_user, caplog):
    client = client_for(make_user(Role.OFFICER, username="busy"))
    _age_session(client, auth_ago=3601, seen_ago=5)
    caplog.set_level(logging.INFO, logger="envoy.security")
    assert client.get("/").status_code == 302
    assert "kind=absolute" in caplog.text


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=600)
def test_activity_within_idle_limit_refreshes_last_seen(client_for, make_user):
    client = client_for(make_user(Role.OFFICER))
    _age_session(client, auth_ago=900, seen_ago=500)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[SEEN_AT_KEY] < 60


# --- two-factor authentication ----------------------------------------------------------------


def test_admin_must_enrol_before_any_admin_page(client, make_user, caplog):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    caplog.set_level(logging.INFO, logger="envoy.security")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/setup/?next=%2Fadmin%2F"
    assert "second-factor-required" in caplog.text
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'for="id_token"' in html
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed is False

    wrong = client.post("/account/two-factor/setup/", {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 400 and b'role="alert"' in wrong.content
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/admin/").status_code == 302

    device.throttle_reset()  # a wrong code delays the next try (exponential back-off)
    done = client.post("/account/two-factor/setup/", {"token": totp_now(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/admin/").status_code == 200


def test_enrolled_admin_must_verify_after_each_login(client, make_user):
    admin = make_user(Role.ADMIN)
    device = otp_device_for(admin)
    assert _login(client, admin.username).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/verify/")
    assert client.post("/account/two-factor/verify/", {"token": "123"}).status_code == 400
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    verified = client.post("/account/two-factor/verify/", {"token": totp_now(device), "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_verify_refuses_open_redirects(client, make_user):
    admin = make_user(Role.ADMIN)
    device = otp_device_for(admin)
    _login(client, admin.username)
    response = client.post("/account/two-factor/verify/", {"token": totp_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_non_admin_works_without_second_factor_and_may_enrol(client, make_user):
    lead = make_user(Role.LEAD)
    _login(client, lead.username)
    assert client.get("/").status_code == 200
    assert client.get("/account/").status_code == 200
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=lead)
    client.post("/account/two-factor/setup/", {"token": totp_now(device)})
    client.post("/logout/")
    # Once enrolled, the code is asked at every login.
    _login(client, lead.username)
    assert client.get("/").status_code == 302


def test_unverified_session_api_call_gets_error_envelope(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    response = client.get("/api/schema/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


class _AdminOnly(APIView):
    read_role = Role.ADMIN
    permission_classes = [RolePermission]

    def get(self, request):
        from rest_framework.response import Response

        return Response({"ok": True})


def test_api_token_alone_never_carries_admin_rights(make_user):
    admin = make_user(Role.ADMIN)
    request = APIRequestFactory().get("/x")
    force_authenticate(request, user=admin)
    assert _AdminOnly.as_view()(request).status_code == 403
    verified = make_user(Role.ADMIN)
    from tests.core.otp import otp_verify_user

    otp_verify_user(verified)
    request = APIRequestFactory().get("/x")
    force_authenticate(request, user=verified)
    assert _AdminOnly.as_view()(request).status_code == 200


# --- deactivation ------------------------------------------------------------------------------


def _sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


@pytest.mark.parametrize("path", ["service", "save"])
def test_deactivation_ends_sessions_and_revokes_tokens(make_user, path, caplog):
    user, bystander = make_user(Role.OFFICER), make_user(Role.OFFICER)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(user)
    other = Client()
    other.force_login(bystander)
    Token.objects.create(user=user)
    Token.objects.create(user=bystander)
    assert len(_sessions_of(user)) == 2
    caplog.set_level(logging.INFO, logger="envoy.security")

    if path == "service":
        user_deactivate(user=user, actor=None)
    else:  # Django admin's change form and management commands end in a plain save()
        user.is_active = False
        user.save()

    assert _sessions_of(user) == []
    assert not Token.objects.filter(user=user).exists()
    assert browsers[0].get("/").status_code == 302
    assert "sessions-ended=2 tokens-revoked=1" in caplog.text
    # Nobody else is affected.
    assert len(_sessions_of(bystander)) == 1
    assert Token.objects.filter(user=bystander).count() == 1
    assert other.get("/").status_code == 200


def test_saving_an_active_user_ends_nothing(make_user):
    user = make_user(Role.OFFICER)
    browser = Client()
    browser.force_login(user)
    Token.objects.create(user=user)
    user.first_name = "Renamed"
    user.save()
    assert len(_sessions_of(user)) == 1
    assert Token.objects.filter(user=user).count() == 1


def test_denied_access_and_logins_are_logged(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="envoy.security")
    nobody = make_user(None, username="norole")
    _login(client, "norole")
    assert client.get("/").status_code == 403
    lead = make_user(Role.LEAD, username="leadx")
    lead_client = Client()
    lead_client.force_login(lead)
    assert lead_client.get("/admin/").status_code == 302
    messages = [r.getMessage() for r in caplog.records if r.name == "envoy.security"]
    assert any(m.startswith("login user=norole") for m in messages)
    assert any(m.startswith("access-denied user=norole path=/") for m in messages)
    assert any(m.startswith("access-denied user=leadx path=/admin/") for m in messages)
    assert nobody.is_active
