"""The stakeholders walk from the issue's "Done when", in a real browser, with screenshots."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts.models import Person, SavedSegment
from core.roles import Role
from tests.core.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent.parent / "contacts" / "fixtures"


@pytest.fixture
def loaded(db, settings, tmp_path):
    import io

    from contacts.public_data import committees_import, congress_import, governors_import, organizations_seed_import
    from trade.public_data import load_reference

    settings.MEDIA_ROOT = tmp_path
    load_reference(stdout=io.StringIO())
    congress_import()
    committees_import()
    governors_import()
    organizations_seed_import()


def test_stakeholders_walk(page, make_user, login, shot, loaded):
    from tests.contacts.factories import ContactPointFactory, PersonFactory

    user = make_user(Role.LEAD, username="jtremblay", first_name="Julie", last_name="Tremblay")
    existing = PersonFactory(first_name="Testperson3", last_name="Synthetic-Leader3", owner=user)
    ContactPointFactory(person=existing, value="leader3@synthetic.example")
    twin = PersonFactory(first_name="Testperson3", last_name="Synthetic-Leader3", owner=user)
    ContactPointFactory(person=twin, value="LEADER3@synthetic.example")
    login(user.username, PASSWORD)

    # Every current senator from Michigan, with their trade-committee seats.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").click()
    page.get_by_label("State", exact=True).fill("MI")
    page.get_by_label("Type").select_option("senator")
    page.get_by_role("button", name="Apply filters").click()
    # count() does not wait: read the rows of the filtered page, not of the page being left.
    page.wait_for_url(re.compile(r"type=senator"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert page.get_by_role("link", name="Gary C. Peters").is_visible()
    assert page.get_by_role("link", name="Elissa Slotkin").is_visible()
    shot(page, "1-michigan-senators")
    page.get_by_role("link", name="Gary C. Peters").click()
    expect(page.get_by_role("heading", name="Committee seats")).to_be_visible()
    shot(page, "2-senator-page")

    # Ways & Means members from battleground states, saved as a segment.
    page.goto("/stakeholders/")
    page.get_by_label("Committee").fill("HSWM")
    page.get_by_label("Battleground").select_option("true")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"committee=HSWM.*battleground=true"))
    count = page.locator("table tbody tr").count()
    assert count > 0
    page.get_by_label("Save these filters as a segment").fill("W&M battleground")
    page.get_by_role("button", name="Save segment").click()
    expect(page.get_by_text("Segment “W&M battleground” saved.")).to_be_visible()
    assert page.locator("table tbody tr").count() == count
    shot(page, "3-segment-saved")
    segment = SavedSegment.objects.get()

    # Import 20 synthetic business leaders: the bad row is reported by number, then the fixed file is applied.
    page.get_by_role("link", name="Import spreadsheet").click()
    page.get_by_label("What the spreadsheet lists").select_option("people")
    page.get_by_label("Spreadsheet (.csv or .xlsx)").set_input_files(str(FIXTURES / "business_leaders_synthetic.xlsx"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Row 15: Unknown state code “ZZ”.")).to_be_visible()
    assert page.get_by_role("button", name="Import 20 rows").count() == 0
    shot(page, "4-import-preview-with-error")
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("What the spreadsheet lists").select_option("people")
    page.get_by_label("Spreadsheet (.csv or .xlsx)").set_input_files(
        str(FIXTURES / "business_leaders_synthetic_fixed.xlsx")
    )
    page.get_by_role("button", name="Upload and preview").click()
    shot(page, "5-import-preview-clean")
    page.get_by_role("button", name="Import 20 rows").click()
    expect(page.get_by_text("Import applied: 19 created, 1 updated.")).to_be_visible()
    assert Person.objects.filter(last_name__startswith="Synthetic-Leader").count() == 21

    # Merge the duplicate.
    page.goto("/stakeholders/duplicates/")
    shot(page, "6-duplicates")
    page.get_by_role("link", name="Review merge").first.click()
    page.get_by_role("button", name="Merge", exact=True).click()
    assert "Merged" in page.locator(".message-success").inner_text()
    assert Person.objects.filter(last_name="Synthetic-Leader3").count() == 1
    shot(page, "7-merged")

    # Export the segment to XLSX.
    page.goto(f"/stakeholders/?segment={segment.pk}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export to Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "stakeholders-wm-battleground.xlsx"
    shot(page, "8-segment-export")
