import csv
import io

import pytest

from contacts.choices import PersonKind, StateRole
from contacts.models import Organization, Person, Position
from contacts.public_data import DATA_DIR, load_organizations, organizations_seed_import
from contacts.public_organizations import (
    BUSINESS_ORGANIZATIONS_FILE,
    LEADERS_FILE,
    NOT_VERIFIED,
    business_organizations_import,
    organization_leaders_import,
)

STATES_FILE = DATA_DIR / "reference" / "state_fips.csv"


def _csv(path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _states_and_dc() -> set[str]:
    return {row["state_abbr"] for row in _csv(STATES_FILE)} - {"PR"}


def test_every_state_and_dc_has_a_chamber_manufacturers_and_farm_bureau_row():
    covered: dict[str, set[str]] = {}
    for row in _csv(BUSINESS_ORGANIZATIONS_FILE):
        if row["state"]:
            covered.setdefault(row["state"], set()).update(row["roles"].split(";"))
    assert len(_states_and_dc()) == 51
    missing = {code: set(StateRole.values) - covered.get(code, set()) for code in _states_and_dc()}
    assert {code: roles for code, roles in missing.items() if roles} == {}


def test_every_row_names_its_source_or_says_honestly_that_it_was_not_verified():
    rows = _csv(BUSINESS_ORGANIZATIONS_FILE)
    assert len({row["seed_id"] for row in rows if row["name"]}) == len([row for row in rows if row["name"]])
    for row in rows:
        if row["verification"] == "source seen":
            assert row["source_url"].startswith("http"), row["seed_id"]
            assert row["verified_on"] == "2026-12-03", row["seed_id"]
        else:
            assert row["verification"] == NOT_VERIFIED, row["seed_id"]
            assert not row["source_url"] and row["note"], row["seed_id"]
        if row["name"]:
            assert row["website"].startswith("https://") or row["website"].startswith("http://"), row["seed_id"]
    for row in _csv(LEADERS_FILE):
        assert row["source_url"].startswith("http") and row["verified_on"], row["full_name"]


@pytest.mark.django_db
def test_import_is_idempotent_and_keeps_roles_per_state(reference_data):
    organizations_seed_import()
    first = business_organizations_import()
    second = business_organizations_import()
    assert first.created > 100 and not first.skipped
    assert (second.created, second.updated) == (0, 0)
    assert Organization.objects.filter(external_ids__has_key="state_roles").count() >= 100

    for code in _states_and_dc():
        for role in StateRole.values:
            holders = [
                o
                for o in Organization.objects.filter(states__code=code)
                if role in o.external_ids.get("state_roles", {}).get(code, [])
            ]
            assert holders, (code, role)
            assert all(o.source_detail for o in holders)

    wisconsin = Organization.objects.get(external_ids__seed="wi-chamber")
    assert wisconsin.external_ids["state_roles"] == {"WI": ["chamber", "manufacturers"]}
    assert "https://" in wisconsin.source_detail and "(read 2026-12-03)" in wisconsin.source_detail
    # DC has no Farm Bureau of its own: the national one is linked, and its own fields are left alone.
    afbf = Organization.objects.get(external_ids__seed="afbf")
    assert afbf.external_ids["state_roles"] == {"DC": ["farm_bureau"]}
    assert afbf.name == "American Farm Bureau Federation"


@pytest.mark.django_db
def test_rows_not_verified_say_so_on_the_record(reference_data):
    business_organizations_import()
    unverified = [row["seed_id"] for row in _csv(BUSINESS_ORGANIZATIONS_FILE) if row["verification"] == NOT_VERIFIED]
    for seed in unverified:
        assert Organization.objects.get(external_ids__seed=seed).source_detail.startswith("Not verified")


@pytest.mark.django_db
def test_leaders_become_flagged_people_with_current_positions(reference_data, tmp_path):
    organizations_seed_import()
    business_organizations_import()
    report = organization_leaders_import()
    rows = _csv(LEADERS_FILE)
    assert (report.created, report.flagged, report.skipped) == (len(rows), len(rows), [])
    timmons = Person.objects.get(external_ids__organization_leader="nam:Jay Timmons")
    assert (timmons.first_name, timmons.last_name, timmons.kind) == ("Jay", "Timmons", PersonKind.ASSOCIATION_LEADER)
    assert timmons.needs_verification and "confirm" in timmons.verification_note
    position = timmons.positions.get()
    assert (position.organization.external_ids["seed"], position.title, position.is_current) == (
        "nam",
        "President and CEO",
        True,
    )

    # Staff confirm Timmons; a re-import with the same note keeps their decision.
    Person.objects.filter(pk=timmons.pk).update(needs_verification=False)
    again = organization_leaders_import()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    timmons.refresh_from_db()
    assert not timmons.needs_verification

    # A leader the file no longer lists keeps the record, but the post becomes past.
    shorter = tmp_path / "leaders.csv"
    with shorter.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(row for row in rows if row["org_seed_id"] != "nam")
    assert organization_leaders_import(path=shorter).retired == 1
    assert not Position.objects.get(person=timmons).is_current
    assert Person.objects.filter(pk=timmons.pk).exists()


@pytest.mark.django_db
def test_load_organizations_runs_every_organization_file(reference_data):
    out = io.StringIO()
    load_organizations(stdout=out)
    text = out.getvalue()
    assert "Starter organizations: 15 created" in text
    assert "Business organizations:" in text and "Organization leaders:" in text
    assert Person.objects.filter(kind=PersonKind.ASSOCIATION_LEADER, needs_verification=True).exists()


@pytest.mark.django_db
def test_organization_page_shows_the_source_and_state_page_lists_roles(reference_data, client_for, viewer):
    organizations_seed_import()
    business_organizations_import()
    client = client_for(viewer)
    wisconsin = Organization.objects.get(external_ids__seed="wi-chamber")
    page = client.get(f"/organizations/{wisconsin.pk}/").content.decode()
    assert "https://imaginasium.com/blog/driving-wisconsin-manufacturing/" in page

    state_page = client.get("/states/WI/")
    assert state_page.status_code == 200
    html = state_page.content.decode()
    assert "Business and industry stakeholders" in html
    assert "Wisconsin Manufacturers &amp; Commerce (WMC)" in html
    assert "Wisconsin Farm Bureau Federation" in html
    assert html.index("State chamber of commerce") < html.index("Farm Bureau</dt>")
