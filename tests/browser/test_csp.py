"""The Content-Security-Policy is strict (no inline script or style) and the real pages still work."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.core.factories import PASSWORD
from tests.core.otp import otp_device_for, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collect_csp_errors(page) -> list[str]:
    errors: list[str] = []

    def on_console(message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Content-Security-Policy" in text):
            errors.append(text)

    page.on("console", on_console)
    return errors


def test_swagger_ui_renders_under_csp(page, make_user, login, shot):
    user = make_user(Role.OFFICER)
    errors = _collect_csp_errors(page)
    login(user.username, PASSWORD)
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .information-container", state="visible")
    assert page.locator(".swagger-ui .title").first.inner_text().startswith("Envoy CRM API")
    shot(page, "swagger")
    assert errors == []


def test_admin_and_two_factor_pages_render_under_csp(page, make_user, login, shot):
    admin = make_user(Role.ADMIN)
    device = otp_device_for(admin)
    errors = _collect_csp_errors(page)
    login(admin.username, PASSWORD)
    assert "/account/two-factor/verify/" in page.url
    shot(page, "verify")
    page.get_by_label("Six-digit code").fill(totp_now(device))
    page.get_by_role("button", name="Verify").click()
    page.goto("/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()
    page.goto("/admin/auth/user/")
    page.get_by_role("link", name=admin.username).click()
    page.wait_for_selector("#user_form")
    shot(page, "admin-user")
    assert errors == []


def test_two_factor_setup_page_under_csp(page, make_user, login, shot):
    lead = make_user(Role.LEAD)
    errors = _collect_csp_errors(page)
    login(lead.username, PASSWORD)
    page.goto("/account/")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("img", name="QR code to add Envoy CRM to an authenticator app")).to_be_visible()
    shot(page, "setup")
    assert errors == []
