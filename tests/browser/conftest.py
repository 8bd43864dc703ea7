"""Browser tests: Playwright drives Debian's chromium against pytest-django's live_server.

Screenshots go to tests/browser/screenshots/ (git-ignored) so people can look at what the test saw.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI must install Debian's chromium package")
        pytest.skip("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """`shot(page, "name")` saves a full-page screenshot named after the test."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def login(page):
    def _login(username: str, password: str):
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)

    return _login


@pytest.fixture
def michigan_stakeholder():
    """`michigan_stakeholder(title=..., summary=...)`: the bundled reference data, Michigan's trade and
    scenarios, and one synthetic stakeholder in Michigan with one logged interaction."""
    import io

    from tests.briefings.factories import import_state_trade
    from tests.outreach.factories import InteractionFactory, SyntheticPersonFactory
    from trade.models import State
    from trade.public_data import load_reference

    def _make(*, title: str, summary: str):
        load_reference(stdout=io.StringIO())
        import_state_trade("MI", scenarios=True)
        person = SyntheticPersonFactory(
            first_name="Dana", last_name="Testperson", title=title, states=[State.objects.get(code="MI")]
        )
        InteractionFactory(people=[person], summary=summary)
        return person

    return _make
