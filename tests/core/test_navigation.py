"""Every page a role uses is reachable from the main navigation, and each link opens."""

import re

import pytest

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<nav class="main-nav".*?</nav>', re.S)


def nav_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', LINK.search(html).group(0))


def test_officer_reaches_every_page_from_the_navigation(client_for, officer):
    client = client_for(officer)
    links = nav_links(client.get("/").content.decode())
    expected = ["/priorities/", "/coverage/", "/calendar/", "/organizations/", "/scenarios/", "/stakeholders/import/"]
    assert set(expected) <= set(links)
    for url in links:
        assert client.get(url).status_code == 200, url


def test_viewer_sees_no_import_and_one_current_entry(client_for, viewer):
    html = client_for(viewer).get("/stakeholders/").content.decode()
    nav = LINK.search(html).group(0)
    assert "/stakeholders/import/" not in nav_links(html)
    assert "/priorities/" in nav_links(html)
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'href="/stakeholders/"[^>]*aria-current="page"', nav)


def test_import_page_is_the_current_entry_not_stakeholders(client_for, officer):
    nav = LINK.search(client_for(officer).get("/stakeholders/import/").content.decode()).group(0)
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'href="/stakeholders/import/"[^>]*aria-current="page"', nav)
