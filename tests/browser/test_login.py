import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.core.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_dashboard_log_out(page, make_user, login, shot):
    user = make_user(Role.OFFICER, username="jtremblay", first_name="Julie", last_name="Tremblay")
    page.goto("/")
    assert "/login/" in page.url
    shot(page, "login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Username").input_value() == user.username
    login(user.username, PASSWORD)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").is_visible()
    shot(page, "dashboard")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    page.goto("/")
    assert "/login/" in page.url
