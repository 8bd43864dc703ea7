import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from contacts.choices import OrganizationType, PersonKind, Stance
from contacts.models import Committee, CommitteeMembership, ContactPoint, Organization, Person, Position, Tag
from contacts.public_data import (
    CONGRESS_FILE,
    GOVERNORS_FILE,
    committees_import,
    congress_import,
    governors_import,
    organizations_seed_import,
)

pytestmark = pytest.mark.django_db


def _write_subset(path, source, keep) -> None:
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if keep(row)]
        fields = reader.fieldnames
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_congress_import_creates_every_member_with_office_fields(reference_data):
    report = congress_import()
    assert (report.created, report.updated, report.unchanged, report.retired) == (537, 0, 0, 0)
    assert Person.objects.filter(kind=PersonKind.SENATOR).count() == 100
    assert Person.objects.filter(kind=PersonKind.REPRESENTATIVE).count() == 431
    assert Person.objects.filter(kind=PersonKind.DELEGATE).count() == 6
    begich = Person.objects.get(bioguide_id="B001323")
    name_parts = (begich.first_name, begich.middle_name, begich.last_name, begich.suffix)
    assert name_parts == ("Nicholas", "J.", "Begich", "III")
    assert begich.title == "U.S. Representative for Alaska (at large)"
    assert [s.code for s in begich.states.all()] == ["AK"]
    assert begich.party == "Republican"
    assert str(begich.term_end) == "2027-01-03"
    assert begich.contact_points.get().value == "https://begich.house.gov"


def test_michigan_senators_have_their_trade_committee_seats(public_people):
    senators = Person.objects.filter(kind=PersonKind.SENATOR, states__code="MI", is_current_office_holder=True)
    assert senators.count() == 2
    with CONGRESS_FILE.open(encoding="utf-8") as handle:
        expected = {r["bioguide_id"] for r in csv.DictReader(handle) if r["state"] == "MI" and r["chamber"] == "sen"}
    assert set(senators.values_list("bioguide_id", flat=True)) == expected
    seats = CommitteeMembership.objects.filter(person__in=senators).values_list("committee__code", flat=True)
    from contacts.public_data import COMMITTEES_FILE

    with COMMITTEES_FILE.open(encoding="utf-8") as handle:
        file_seats = [r["committee_id"] for r in csv.DictReader(handle) if r["bioguide_id"] in expected]
    assert sorted(seats) == sorted(file_seats)


def test_committees_have_parents_and_ranks(public_people):
    trade = Committee.objects.get(code="HSWM04")
    assert trade.parent.code == "HSWM"
    assert trade.chamber == "rep"
    assert Committee.objects.get(code="SSFI").parent is None
    chair = CommitteeMembership.objects.get(committee__code="HSIF", title="Chair")
    assert (chair.person.full_name, chair.rank, chair.party_side) == ("Brett Guthrie", 1, "majority")
    assert CommitteeMembership.objects.count() == 533


def test_reimport_is_unchanged_and_keeps_staff_fields(public_people, make_user):
    owner = make_user()
    person = Person.objects.get(bioguide_id="M001153")
    person.stance, person.influence, person.owner, person.notes = Stance.SUPPORTIVE, 4, owner, "Met in Juneau."
    person.save()
    person.tags.add(Tag.objects.create(name="arctic"))
    ContactPoint.objects.create(person=person, kind="email", value="scheduler@staff.example")

    report = congress_import()
    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 0, 537, 0)
    assert committees_import().unchanged == 533

    person.refresh_from_db()
    staff_fields = (person.stance, person.influence, person.owner, person.notes)
    assert staff_fields == (Stance.SUPPORTIVE, 4, owner, "Met in Juneau.")
    assert list(person.tags.values_list("name", flat=True)) == ["arctic"]
    assert sorted(person.contact_points.values_list("value", flat=True)) == [
        "https://www.murkowski.senate.gov",
        "scheduler@staff.example",
    ]


def test_reimport_updates_public_fields_and_retires_members_no_longer_listed(public_people, tmp_path):
    retiring = Person.objects.get(bioguide_id="S001198")
    retiring.stance = Stance.CHAMPION
    retiring.save()
    subset = tmp_path / "congress.csv"
    _write_subset(subset, CONGRESS_FILE, lambda row: row["bioguide_id"] != "S001198")
    Person.objects.filter(bioguide_id="M001153").update(party="Independent")

    report = congress_import(path=subset)

    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 1, 535, 1)
    assert Person.objects.get(bioguide_id="M001153").party == "Republican"
    retiring.refresh_from_db()
    assert retiring.is_current_office_holder is False
    assert retiring.stance == Stance.CHAMPION
    assert Person.objects.count() == 537 + 51


def test_reimport_that_changes_public_fields_raises_the_version(public_people):
    changed = Person.objects.get(bioguide_id="M001153")
    unchanged = Person.objects.get(bioguide_id="S001198")
    Person.objects.filter(pk=changed.pk).update(party="Independent")

    congress_import()

    assert Person.objects.get(pk=changed.pk).version == changed.version + 1
    assert Person.objects.get(pk=unchanged.pk).version == unchanged.version


def test_governors_import_creates_office_position_and_flags_rows_to_verify(public_people):
    whitmer = Person.objects.get(kind=PersonKind.GOVERNOR, states__code="MI")
    assert whitmer.last_name == "Whitmer"
    position = Position.objects.get(person=whitmer, is_current=True)
    assert position.organization.name == "Office of the Governor of Michigan"
    assert position.organization.org_type == OrganizationType.GOVERNORS_OFFICE
    flagged = Person.objects.filter(kind=PersonKind.GOVERNOR, needs_verification=True)
    with GOVERNORS_FILE.open(encoding="utf-8") as handle:
        expected = {r["state"] for r in csv.DictReader(handle) if "verify" in r["note"].lower()}
    assert set(flagged.values_list("states__code", flat=True)) == expected
    assert len(expected) == 13
    assert Organization.objects.filter(org_type=OrganizationType.GOVERNORS_OFFICE).count() == 51


def test_governor_replaced_retires_the_old_one_and_staff_cleared_flag_stays_cleared(public_people, tmp_path):
    delaware = Person.objects.get(kind=PersonKind.GOVERNOR, states__code="DE")
    delaware.needs_verification = False
    delaware.save()
    changed = tmp_path / "governors.csv"
    with GOVERNORS_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader), reader.fieldnames
    for row in rows:
        if row["state"] == "AK":
            row.update(name="Testina Synthetic", given_name="Testina", family_name="Synthetic", openstates_id="")
            row["role_start_date"] = "2026-12-07"
    with changed.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)

    report = governors_import(path=changed)

    assert (report.created, report.retired) == (1, 1)
    old = Person.objects.get(last_name="Dunleavy")
    assert old.is_current_office_holder is False
    assert old.positions.get().is_current is False
    assert Position.objects.get(person__last_name="Synthetic", is_current=True).organization.hq_state.code == "AK"
    # The newer file says who took the office: a transition already rolled over, on the new term's start.
    transition = old.successions.get()
    assert (transition.successor.last_name, transition.takes_office_on) == ("Synthetic", dt.date(2026, 12, 7))
    assert transition.rolled_over_at is not None
    assert governors_import(path=changed).created == 0 and old.successions.count() == 1  # idempotent
    delaware.refresh_from_db()
    assert delaware.needs_verification is False


def test_starter_organizations_are_real_sourced_and_idempotent(reference_data):
    first = organizations_seed_import()
    second = organizations_seed_import()
    assert (first.created, second.created, second.unchanged) == (15, 0, 15)
    api = Organization.objects.get(external_ids__seed="api")
    assert (api.website, api.hq_state.code) == ("https://www.api.org", "DC")
    assert [p.code for p in api.pillars.all()] == ["energy"]
    assert all(o.source_detail for o in Organization.objects.all())
    assert not Person.objects.exists()


def test_import_stakeholders_command_reports_counts(reference_data):
    out = io.StringIO()
    call_command("import_stakeholders", "--source", "congress", str(CONGRESS_FILE), stdout=out)
    assert "Congress: 537 created, 0 updated, 0 unchanged, 0 retired." in out.getvalue()
    assert "Committee seats: 533 created" in out.getvalue()
    out = io.StringIO()
    call_command("import_stakeholders", "--source", "governors", stdout=out)
    assert "Governors: 51 created, 0 updated, 0 unchanged, 0 retired, 13 flagged for verification." in out.getvalue()
