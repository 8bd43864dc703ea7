"""Browser walk: ask for a packet on a person's page, watch it finish, open the HTML, download the PDF."""

import subprocess

import pytest
from pypdf import PdfReader

from briefings import services
from briefings.models import BriefingPacket
from core.roles import Role
from tests.browser.conftest import SCREENSHOTS
from tests.core.factories import PASSWORD
from tests.outreach.factories import InteractionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued_only(monkeypatch):
    """Requests queue packets without running them, so the page shows real progress; the test then
    plays the worker."""
    queued: list[int] = []
    monkeypatch.setattr(services, "job_enqueue", lambda task, *, kwargs, **options: queued.append(kwargs["packet_id"]))
    return queued


def test_request_packet_from_person_page_then_open_html_and_download_pdf(
    page, login, shot, make_user, queued_only, tmp_path, michigan_stakeholder
):
    person = michigan_stakeholder(
        title="Plant manager (synthetic)",
        summary="Call about parts crossing the Windsor–Detroit border (synthetic)",
    )
    user = make_user(Role.OFFICER, username="jtremblay", first_name="Julie", last_name="Tremblay")
    login(user.username, PASSWORD)

    page.goto(f"/stakeholders/{person.pk}/")
    shot(page, "person")
    page.get_by_role("button", name="Generate briefing packet").click()
    page.wait_for_url("**/briefings/*/")
    status = page.get_by_role("status")
    assert "Queued" in status.inner_text()
    shot(page, "queued")

    packet_id = queued_only[0]
    services.packet_generate(packet_id=packet_id)  # the worker's turn

    # htmx polls the status fragment; the links appear without reloading the page.
    open_html = page.get_by_role("link", name="Open HTML packet")
    open_html.wait_for()
    assert "Ready" in status.inner_text()
    shot(page, "ready")

    open_html.click()
    page.wait_for_url(f"**/briefings/{packet_id}/html/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dana Testperson"
    assert page.get_by_role("heading", name="Michigan's trade with Canada").is_visible()
    assert page.get_by_text("Call about parts crossing the Windsor–Detroit border (synthetic)").is_visible()
    shot(page, "packet-html")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    assert download.suggested_filename == f"briefing-person-{person.pk}-v1.pdf"
    reader = PdfReader(str(pdf_path))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Dana Testperson" in text
    assert "Generated for Julie Tremblay" in text
    assert BriefingPacket.objects.get(pk=packet_id).status == "done"
    # A new interaction, then a second version: the page says what changed between the two.
    InteractionFactory(people=[person], summary="Follow-up visit to the Warren plant (synthetic)")
    page.get_by_role("button", name="Regenerate (new version)").click()
    page.wait_for_url("**/briefings/*/")
    services.packet_generate(packet_id=queued_only[1])
    page.get_by_role("heading", name="What changed from v1 to v2").wait_for()
    assert page.get_by_text("Follow-up visit to the Warren plant (synthetic)").is_visible()
    shot(page, "version-2-changes")
    page.goto("/briefings/")
    assert page.get_by_role("link", name="Dana Testperson").count() == 2
    shot(page, "list")
    # Keep a picture of the first PDF page next to the screenshots.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf_path), str(SCREENSHOTS / "briefing-pdf-page")],
        check=True,
    )


def test_request_a_packet_by_name_with_a_typo(page, login, shot, make_user, queued_only, michigan_stakeholder):
    """The request page finds the target by name ("Testpersen" for Dana Testperson), never by id."""
    from playwright.sync_api import expect

    person = michigan_stakeholder(title="Plant manager (synthetic)", summary="Call about parts (synthetic)")
    user = make_user(Role.OFFICER, username="jtremblay", first_name="Julie", last_name="Tremblay")
    login(user.username, PASSWORD)

    page.goto("/briefings/request/")
    page.get_by_label("Target type").select_option("person")
    page.get_by_label("Find by name").fill("Testpersen")
    target = page.locator("#id_target_id")
    expect(target.locator(f'option[value="{person.pk}"]')).to_have_count(1)
    target.select_option(str(person.pk))
    shot(page, "request-by-name")
    page.get_by_role("button", name="Generate packet").click()
    page.wait_for_url("**/briefings/*/")
    assert BriefingPacket.objects.get(pk=queued_only[0]).person_id == person.pk
