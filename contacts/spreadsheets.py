"""Spreadsheet import (CSV, XLSX) of people and organizations, with a preview step, and list export.

Import is two steps. `spreadsheet_upload` stores the file server-side under a random token and builds
the preview: for each row (numbered as in the spreadsheet, header = row 1) whether it will create or
update a record, which record it matches (by external id, Bioguide id or email) and its errors. Nothing
is written to stakeholder tables until `spreadsheet_apply`, which re-reads the stored file, refuses if
any row has an error (unless the user chose to import the valid rows only and skip the flagged ones),
and applies the rows in one transaction. The file is never served back.

Export writes the current filtered list; text cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.choices import (
    CanadianLink,
    ContactKind,
    ImportKind,
    ImportStatus,
    OrganizationType,
    PersonKind,
    RecordSource,
    Stance,
)
from contacts.duplicates import OrganizationDuplicateIndex, PersonDescription, PersonDuplicateIndex
from contacts.models import ContactPoint, Organization, Person, Position, SpreadsheetImport
from contacts.normalize import email_key, organization_name_key
from contacts.ownership import staff_changes_mark
from contacts.permissions import can_create, can_edit_organization, can_edit_person, can_see_staff_notes
from contacts.services import PermissionDeniedError, tags_from_names
from core.errors import DomainValidationError
from core.exports import neutralise
from trade.models import Pillar, State

PEOPLE_COLUMNS = [
    "external_id", "bioguide_id", "honorific", "first_name", "middle_name", "last_name", "suffix",
    "preferred_name", "type", "title", "organization", "organization_title", "email", "phone", "states",
    "pillars", "stance", "influence", "tags", "bio", "is_synthetic",
]  # fmt: skip
ORGANIZATION_COLUMNS = [
    "external_id", "name", "type", "website", "email", "phone", "hq_state", "states", "pillars",
    "canadian_link", "tags", "description", "is_synthetic",
]  # fmt: skip
PERSON_TEXT_FIELDS = ("honorific", "first_name", "middle_name", "last_name", "suffix", "preferred_name", "title", "bio")
MAX_ROWS = 5000
MAX_CANDIDATES = 3
CHOICE_NEW = "new"
TITLE_NEW_POSITION = "new_position"
TRUE_WORDS = {"1", "true", "yes", "y", "x"}


class SpreadsheetError(DomainValidationError):
    """The file cannot be read as a spreadsheet of the expected shape."""


# --- reading -------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _refuse_nul_characters(raw: list[list[str]]) -> None:
    """PostgreSQL text cannot hold NUL: name the first cell that has one instead of failing later."""
    for number, values in enumerate(raw, start=1):
        for column, value in enumerate(values, start=1):
            if "\x00" in value:
                raise SpreadsheetError(
                    _(
                        "Row %(row)s, column %(column)s contains a NUL character, which no field can hold; "
                        "remove it (or save the file again as CSV or .xlsx) and upload it again."
                    )
                    % {"row": number, "column": column}
                )


def read_rows(*, content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {lower-case header: text}) for every non-empty data row."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise SpreadsheetError(_("The file is not a readable .xlsx workbook.")) from exc
        sheet = workbook.worksheets[0]
        raw = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(_("The CSV file is not UTF-8 text.")) from exc
        try:
            raw = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise SpreadsheetError(_("The CSV file cannot be read: %(error)s.") % {"error": exc}) from exc
    if not raw:
        raise SpreadsheetError(_("The file is empty."))
    _refuse_nul_characters(raw)
    header = [h.strip().lower().replace(" ", "_") for h in raw[0]]
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        rows.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
        if len(rows) > MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    return rows


# --- preview ------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one spreadsheet row will do."""

    row: int
    label: str
    action: str = "create"
    match_id: int | None = None
    match_label: str = ""
    matched_by: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    duplicate_check: PersonDescription | None = None
    # Possible matches by name (no id or email matched): the user confirms one or chooses "new".
    candidates: list[dict[str, Any]] = field(default_factory=list)
    # The matched person's current title at the row's organization, when the row gives another one.
    title_change: dict[str, str] = field(default_factory=dict)
    # The user's answer in the preview for a row matched by name: "match:<id>" or "new".
    match_choice: str = ""
    # (name, website) of a new organization, checked against existing ones for the whole file at once.
    organization_check: tuple[str, str] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "label": self.label,
            "action": "error" if self.errors else self.action,
            "match_id": self.match_id,
            "match_label": self.match_label,
            "matched_by": self.matched_by,
            "errors": self.errors,
            "warnings": self.warnings,
            "candidates": self.candidates,
            "title_change": self.title_change,
        }


class _Lookups:
    """Reference data and match indexes, loaded once per file."""

    def __init__(self, *, kind: str, rows: list[tuple[int, dict[str, str]]]):
        self.states = {s.code: s for s in State.objects.filter(is_pseudo=False)}
        self.pillars = {p.code: p for p in Pillar.objects.all()}
        refs = {r.get("external_id", "") for _, r in rows} - {""}
        emails = {email_key(r.get("email", "")) for _, r in rows} - {""}
        model = Person if kind == ImportKind.PEOPLE else Organization
        owner = "person" if kind == ImportKind.PEOPLE else "organization"
        self.by_ref = {
            str(obj.external_ids.get("ref")): obj
            for obj in model.objects.filter(external_ids__ref__in=list(refs))
            if obj.external_ids.get("ref")
        }
        self.by_email = {}
        points = ContactPoint.objects.filter(**{f"{owner}__isnull": False}, kind=ContactKind.EMAIL)
        for point in points.filter(value_key__in=emails).select_related(owner):
            self.by_email.setdefault(point.value_key, getattr(point, owner))
        if kind == ImportKind.PEOPLE:
            ids = {r.get("bioguide_id", "") for _, r in rows} - {""}
            self.by_bioguide = {p.bioguide_id: p for p in Person.objects.filter(bioguide_id__in=ids)}
            names = {r.get("organization", "").strip() for _, r in rows} - {""}
            keys = {organization_name_key(n) for n in names}
            self.organizations = {o.name_key: o for o in Organization.objects.filter(name_key__in=keys)}
        else:
            keys = {organization_name_key(r.get("name", "")) for _, r in rows}
            self.by_name = {o.name_key: o for o in Organization.objects.filter(name_key__in=keys)}


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]


def _choice(value: str, choices, label: str, errors: list[str]) -> str | None:
    if not value:
        return None
    lowered = value.strip().lower()
    for code, text in choices:
        if lowered in (str(code).lower(), str(text).lower()):
            return code
    errors.append(
        _("%(field)s “%(value)s” is not one of: %(choices)s.")
        % {"field": label, "value": value, "choices": ", ".join(str(code) for code, __ in choices if code)}
    )
    return None


def _common(plan: RowPlan, data: dict[str, str], lookups: _Lookups) -> None:
    errors = plan.errors
    email = data.get("email", "")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.append(_("Email “%(email)s” is not a valid address.") % {"email": email})
    states = []
    for code in _codes(data.get("states", "")):
        state = lookups.states.get(code.upper())
        if state is None:
            errors.append(_("Unknown state code “%(code)s”.") % {"code": code})
        else:
            states.append(state)
    pillars = []
    for code in _codes(data.get("pillars", "")):
        pillar = lookups.pillars.get(code.lower())
        if pillar is None:
            errors.append(
                _("Unknown pillar “%(code)s” (use: %(pillars)s).")
                % {"code": code, "pillars": ", ".join(sorted(lookups.pillars))}
            )
        else:
            pillars.append(pillar)
    plan.values.update(
        states=states,
        pillars=pillars,
        tags=_codes(data.get("tags", "")),
        email=email,
        phone=data.get("phone", ""),
        external_id=data.get("external_id", ""),
        is_synthetic=data.get("is_synthetic", "").strip().lower() in TRUE_WORDS,
    )


def _plan_person(number: int, data: dict[str, str], lookups: _Lookups, user, choice: str = "") -> RowPlan:
    first, last = data.get("first_name", ""), data.get("last_name", "")
    plan = RowPlan(row=number, label=f"{first} {last}".strip() or _("(no name)"))
    if not last:
        plan.errors.append(_("Last name is required."))
    _common(plan, data, lookups)
    kind = _choice(data.get("type", ""), PersonKind.choices, _("Type"), plan.errors) or PersonKind.BUSINESS_LEADER
    stance = _choice(data.get("stance", ""), Stance.choices, _("Stance"), plan.errors)
    influence = None
    if data.get("influence"):
        if data["influence"].isdigit() and 1 <= int(data["influence"]) <= 5:
            influence = int(data["influence"])
        else:
            plan.errors.append(
                _("Influence “%(value)s” must be a whole number from 1 to 5.") % {"value": data["influence"]}
            )
    organization_name = data.get("organization", "").strip()
    organization = lookups.organizations.get(organization_name_key(organization_name)) if organization_name else None
    plan.values.update(
        fields={
            key: data.get(key, "")
            for key in (
                "honorific",
                "first_name",
                "middle_name",
                "last_name",
                "suffix",
                "preferred_name",
                "title",
                "bio",
            )
            if data.get(key, "")
        }
        | {"kind": kind},
        stance=stance,
        influence=influence,
        organization=organization,
        organization_name=organization_name,
        organization_title=data.get("organization_title", "") or data.get("title", ""),
    )
    match, matched_by = None, ""
    if data.get("bioguide_id") and data["bioguide_id"] in lookups.by_bioguide:
        match, matched_by = lookups.by_bioguide[data["bioguide_id"]], _("Bioguide id")
    elif plan.values["external_id"] and plan.values["external_id"] in lookups.by_ref:
        match, matched_by = lookups.by_ref[plan.values["external_id"]], _("external id")
    elif plan.values["email"] and email_key(plan.values["email"]) in lookups.by_email:
        match, matched_by = lookups.by_email[email_key(plan.values["email"])], _("email")
    if match is not None:
        plan.action, plan.match_id, plan.match_label, plan.matched_by = "update", match.pk, str(match), matched_by
        if not can_edit_person(user, match):
            plan.errors.append(
                _("Matches %(record)s by %(key)s, whom your role cannot edit.") % {"record": match, "key": matched_by}
            )
        _plan_title_change(plan, person=match, organization=organization)
    elif last:
        # Matched by name, for the whole file at once, in `_match_by_name` (a fixed number of queries).
        plan.match_choice = choice
        plan.duplicate_check = PersonDescription(
            first_name=first,
            last_name=last,
            state_ids=[s.pk for s in plan.values["states"]],
            organization_ids=[organization.pk] if organization else [],
            phones=[plan.values["phone"]],
        )
    return plan


def _match_by_name(plans: list[RowPlan], user) -> None:
    """Rows without an id or email match on the duplicate detector's rule (normalised name plus a
    shared state or organization), from one index over the whole file. The best candidate is taken
    unless the user chose another one or "new" in the preview, so importing the same file again never
    duplicates anyone; other look-alikes (same phone, say) stay warnings."""
    checks = [plan for plan in plans if plan.duplicate_check is not None]
    index = PersonDuplicateIndex(plan.duplicate_check for plan in checks)
    for plan in checks:
        candidates = index.candidates(plan.duplicate_check)
        # A row with an id or email of its own that matched nobody is someone new: look-alikes are warnings.
        id_less = not plan.values.get("external_id") and not plan.values.get("email")
        by_name = [c for c in candidates if c.same_name][:MAX_CANDIDATES]
        if not id_less:
            by_name = []
        plan.candidates = [{"id": c.record.pk, "label": str(c.record), "reasons": c.reasons} for c in by_name]
        if by_name and plan.match_choice != CHOICE_NEW:
            chosen = next((c for c in by_name if plan.match_choice == f"match:{c.record.pk}"), by_name[0])
            match, matched_by = chosen.record, "; ".join(chosen.reasons)
            plan.action, plan.match_id, plan.match_label, plan.matched_by = "update", match.pk, str(match), matched_by
            if not can_edit_person(user, match):
                plan.errors.append(
                    _("Matches %(record)s by %(key)s, whom your role cannot edit.")
                    % {"record": match, "key": matched_by}
                )
            _plan_title_change(plan, person=match, organization=plan.values["organization"])
            continue
        for candidate in candidates[:MAX_CANDIDATES]:
            plan.warnings.append(
                _("Possible duplicate of %(record)s (%(reasons)s).")
                % {"record": candidate.record, "reasons": "; ".join(candidate.reasons)}
            )


def _plan_title_change(plan: RowPlan, *, person: Person, organization: Organization | None) -> None:
    new_title = plan.values["organization_title"]
    if organization is None or not new_title:
        return
    current = next((p for p in person.positions.all() if p.organization_id == organization.pk and p.is_current), None)
    if current is not None and current.title != new_title:
        plan.title_change = {"from": current.title, "to": new_title, "organization": str(organization)}


def _plan_organization(number: int, data: dict[str, str], lookups: _Lookups, user, choice: str = "") -> RowPlan:
    name = data.get("name", "").strip()
    plan = RowPlan(row=number, label=name or _("(no name)"))
    if not name:
        plan.errors.append(_("Name is required."))
    _common(plan, data, lookups)
    org_type = (
        _choice(data.get("type", ""), OrganizationType.choices, _("Type"), plan.errors) or OrganizationType.COMPANY
    )
    canadian_link = _choice(data.get("canadian_link", ""), CanadianLink.choices, _("Canadian link"), plan.errors) or ""
    website = data.get("website", "")
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            plan.errors.append(_("Website “%(url)s” is not a full URL (https://…).") % {"url": website})
    hq_code = data.get("hq_state", "").upper()
    hq_state = lookups.states.get(hq_code) if hq_code else None
    if hq_code and hq_state is None:
        plan.errors.append(_("Unknown state code “%(code)s”.") % {"code": hq_code})
    plan.values["fields"] = {
        "name": name,
        "org_type": org_type,
        "website": website,
        "description": data.get("description", ""),
        "hq_state": hq_state,
        "canadian_link": canadian_link,
    }
    match, matched_by = None, ""
    if plan.values["external_id"] and plan.values["external_id"] in lookups.by_ref:
        match, matched_by = lookups.by_ref[plan.values["external_id"]], _("external id")
    elif plan.values["email"] and email_key(plan.values["email"]) in lookups.by_email:
        match, matched_by = lookups.by_email[email_key(plan.values["email"])], _("email")
    elif name and organization_name_key(name) in lookups.by_name:
        match, matched_by = lookups.by_name[organization_name_key(name)], _("name")
    if match is not None:
        plan.action, plan.match_id, plan.match_label, plan.matched_by = "update", match.pk, str(match), matched_by
        if not can_edit_organization(user, match):
            plan.errors.append(
                _("Matches %(record)s by %(key)s, which your role cannot edit.") % {"record": match, "key": matched_by}
            )
    elif name:
        # Checked for the whole file at once in `_warn_organization_duplicates`.
        plan.organization_check = (name, website)
    return plan


def _warn_organization_duplicates(plans: list[RowPlan]) -> None:
    """Possible duplicates of every new organization in the file, from one index (not a query per row)."""
    checks = [plan for plan in plans if plan.organization_check is not None]
    index = OrganizationDuplicateIndex(plan.organization_check for plan in checks)
    for plan in checks:
        name, website = plan.organization_check
        for candidate in index.candidates(name=name, website=website)[:MAX_CANDIDATES]:
            plan.warnings.append(
                _("Possible duplicate of %(record)s (%(reasons)s).")
                % {"record": candidate.record, "reasons": "; ".join(candidate.reasons)}
            )


def build_plans(
    *, kind: str, rows: list[tuple[int, dict[str, str]]], user, choices: dict[int, str] | None = None
) -> list[RowPlan]:
    """Plan every row. `choices` are the user's answers in the preview, per row number: which
    possible match a row without id or email is ("match:<id>", or "new")."""
    columns = PEOPLE_COLUMNS if kind == ImportKind.PEOPLE else ORGANIZATION_COLUMNS
    required = "last_name" if kind == ImportKind.PEOPLE else "name"
    if rows and required not in rows[0][1]:
        raise SpreadsheetError(
            _("The header row must include “%(column)s”. Known columns: %(columns)s.")
            % {"column": required, "columns": ", ".join(columns)}
        )
    lookups = _Lookups(kind=kind, rows=rows)
    planner = _plan_person if kind == ImportKind.PEOPLE else _plan_organization
    choices = choices or {}
    plans = [planner(number, data, lookups, user, choices.get(number, "")) for number, data in rows]
    if kind == ImportKind.PEOPLE:
        _match_by_name(plans, user)
    else:
        _warn_organization_duplicates(plans)
    seen: dict[tuple[str, str], int] = {}
    for plan in plans:
        for key_name in ("external_id", "email"):
            value = plan.values.get(key_name, "")
            key = (key_name, email_key(value) if key_name == "email" else value)
            if not value:
                continue
            if key in seen:
                plan.errors.append(
                    (
                        _("Same external id as row %(row)s.")
                        if key_name == "external_id"
                        else _("Same email as row %(row)s.")
                    )
                    % {"row": seen[key]}
                )
            else:
                seen[key] = plan.row
    return plans


def _summary(plans: list[RowPlan]) -> dict[str, Any]:
    rows = [plan.as_json() for plan in plans]
    counts = {"create": 0, "update": 0, "error": 0, "warning": 0}
    for row in rows:
        counts[row["action"]] += 1
        counts["warning"] += bool(row["warnings"])
    return {"rows": rows, "counts": counts, "total": len(rows)}


@transaction.atomic
def spreadsheet_upload(*, user, kind: str, upload) -> SpreadsheetImport:
    """Store the uploaded file under a random token and record its preview. Writes no stakeholder."""
    if not can_create(user):
        raise PermissionDeniedError(_("Your role cannot import stakeholders."))
    content = upload.read()
    plans = build_plans(kind=kind, rows=read_rows(content=content, filename=upload.name), user=user)
    record = SpreadsheetImport(
        token=secrets.token_urlsafe(24),
        kind=kind,
        original_name=upload.name[:255],
        size_bytes=len(content),
        uploaded_by=user,
        preview=_summary(plans),
    )
    from django.core.files.base import ContentFile

    record.file.save(upload.name, ContentFile(content), save=False)
    try:
        record.save()
    except BaseException:
        # No row points at the stored file: remove it rather than leave it for the sweep.
        record.file.delete(save=False)
        raise
    return record


@transaction.atomic
def spreadsheet_apply(
    *,
    record: SpreadsheetImport,
    user,
    valid_rows_only: bool = False,
    matches: dict[int, str] | None = None,
    titles: dict[int, str] | None = None,
) -> dict[str, Any]:
    """Apply a previewed import; returns created / updated counts and the rows skipped.

    All or nothing by default: one row with errors and nothing is written. `valid_rows_only` is the
    explicit choice to write the other rows and skip those the preview showed with errors (listed by
    row number in the result). A row that was valid in the preview but no longer is (the records it
    matches changed since) stops the whole import, so nobody skips a row they never saw flagged.

    `matches` (per row number: "match:<id>" or "new") confirms the preview's possible matches;
    `titles` (per row number: "update" or "new_position") says whether a changed title updates the
    person's current position there or ends it and starts a new one (default: update)."""
    if record.uploaded_by_id != user.pk:
        raise PermissionDeniedError(_("Only the person who uploaded the file can apply it."))
    record = SpreadsheetImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PREVIEWED:
        raise DomainValidationError(_("This import was already applied or discarded."))
    with record.file.open("rb") as handle:
        content = handle.read()
    rows = read_rows(content=content, filename=record.file.name)
    plans = build_plans(kind=record.kind, rows=rows, user=user, choices=matches)
    flagged = {row["row"] for row in record.preview.get("rows", []) if row.get("errors")} if valid_rows_only else set()
    skipped = [plan for plan in plans if plan.errors and plan.row in flagged]
    if any(plan.errors and plan.row not in flagged for plan in plans):
        record.preview = _summary(plans)
        record.save(update_fields=["preview", "updated_at"])
        raise DomainValidationError(_("Some rows have errors: fix the file and upload it again."))
    if skipped and len(skipped) == len(plans):
        raise DomainValidationError(_("No row is valid: fix the file and upload it again."))
    created = updated = 0
    for plan in plans:
        if plan.errors:
            continue
        if record.kind == ImportKind.PEOPLE:
            _apply_person(plan, user=user, new_position=(titles or {}).get(plan.row) == TITLE_NEW_POSITION)
        else:
            _apply_organization(plan, user=user)
        created += plan.action == "create"
        updated += plan.action == "update"
    record.status, record.applied_at = ImportStatus.APPLIED, timezone.now()
    record.result = {
        "created": created,
        "updated": updated,
        "skipped": [{"row": plan.row, "errors": plan.errors} for plan in skipped],
    }
    _forget_file(record)
    record.save(update_fields=["status", "applied_at", "result", "file", "updated_at"])
    return record.result


def _forget_file(record: SpreadsheetImport) -> None:
    """The stored file has served its purpose: remove it once the transaction commits."""
    storage, name = record.file.storage, record.file.name
    record.file = ""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _contact_points(owner_field: str, owner, values: dict[str, Any]) -> None:
    from contacts.normalize import contact_value_key

    have = {(p.kind, p.value_key) for p in owner.contact_points.all()}
    for kind, value in ((ContactKind.EMAIL, values["email"]), (ContactKind.PHONE, values["phone"])):
        if value and (kind, contact_value_key(kind=kind, value=value)) not in have:
            ContactPoint.objects.create(
                **{owner_field: owner}, kind=kind, value=value, source=RecordSource.SPREADSHEET, is_preferred=not have
            )


def _apply_person(plan: RowPlan, *, user, new_position: bool = False) -> None:
    from contacts.choices import AssessmentSource
    from contacts.services import person_set_influence, person_set_stance

    values = plan.values
    now = timezone.now()
    if plan.match_id:
        person = Person.objects.get(pk=plan.match_id)
        before = {name: getattr(person, name) for name in [*values["fields"], "full_name"]}
        for name, value in values["fields"].items():
            setattr(person, name, value)
        if values["fields"].get("first_name") or values["fields"].get("last_name"):
            person.full_name = ""
            person.refresh_derived_fields()
        # What a spreadsheet changes is a staff edit: a later public import does not overwrite it.
        staff_changes_mark(record=person, before=before, actor=user, at=now)
    else:
        person = Person(source=RecordSource.SPREADSHEET, owner=user, **values["fields"])
    if values["external_id"]:
        person.external_ids = {**person.external_ids, "ref": values["external_id"]}
    person.is_synthetic = person.is_synthetic or values["is_synthetic"]
    person.imported_at = now
    person.save()
    person.states.add(*values["states"])
    person.pillars.add(*values["pillars"])
    person.tags.add(*tags_from_names(values["tags"]))
    _contact_points("person", person, values)
    organization = values["organization"]
    if organization is None and values["organization_name"]:
        organization = Organization.objects.create(
            name=values["organization_name"], org_type=OrganizationType.COMPANY, source=RecordSource.SPREADSHEET,
            owner=user, is_synthetic=values["is_synthetic"],
        )  # fmt: skip
        values["organization"] = organization
    if organization is not None:
        _position_for(person=person, organization=organization, values=values, user=user, new_position=new_position)
    reason = "Spreadsheet import."
    if values["stance"] and values["stance"] != person.stance:
        person_set_stance(
            person=person, stance=values["stance"], actor=user, reason=reason, source=AssessmentSource.SPREADSHEET
        )
    if values["influence"] is not None and values["influence"] != person.influence:
        person_set_influence(
            person=person, influence=values["influence"], actor=user, reason=reason,
            rationale=person.influence_rationale, source=AssessmentSource.SPREADSHEET,
        )  # fmt: skip


def _position_for(*, person: Person, organization: Organization, values: dict, user, new_position: bool) -> None:
    """The person's current position at the organization carries the row's title: updated in place,
    or (when the user chose it in the preview) ended today and followed by a new one."""
    title = values["organization_title"] or person.title or "—"
    current = Position.objects.filter(person=person, organization=organization, is_current=True).first()
    if current is None:
        Position.objects.create(person=person, organization=organization, is_current=True, title=title)
    elif current.title != title and values["organization_title"]:
        if new_position:
            current.is_current, current.end_date = False, timezone.localdate()
            current.save(update_fields=["is_current", "end_date", "updated_at"])
            Position.objects.create(
                person=person, organization=organization, is_current=True, title=title, start_date=timezone.localdate()
            )
        else:
            before = {"title": current.title}
            current.title = title
            staff_changes_mark(record=current, before=before, actor=user)
            current.save(update_fields=["title", "field_owners", "updated_at"])


def _apply_organization(plan: RowPlan, *, user) -> None:
    values = plan.values
    if plan.match_id:
        organization = Organization.objects.get(pk=plan.match_id)
        for name, value in values["fields"].items():
            if value not in ("", None):
                setattr(organization, name, value)
    else:
        organization = Organization(source=RecordSource.SPREADSHEET, owner=user, **values["fields"])
    if values["external_id"]:
        organization.external_ids = {**organization.external_ids, "ref": values["external_id"]}
    organization.is_synthetic = organization.is_synthetic or values["is_synthetic"]
    organization.save()
    organization.pillars.add(*values["pillars"])
    organization.tags.add(*tags_from_names(values["tags"]))
    for state in [*values["states"], *([organization.hq_state] if organization.hq_state else [])]:
        organization.state_presence.get_or_create(state=state)
    _contact_points("organization", organization, values)


@transaction.atomic
def spreadsheet_discard(*, record: SpreadsheetImport, user) -> None:
    if record.uploaded_by_id != user.pk:
        raise PermissionDeniedError(_("Only the person who uploaded the file can discard it."))
    _forget_file(record)
    record.status = ImportStatus.DISCARDED
    record.save(update_fields=["status", "file", "updated_at"])


# --- export -------------------------------------------------------------------------------


def people_export_rows(*, people: Iterable[Person], user) -> tuple[list[str], list[list[Any]]]:
    header = [
        "id", "full_name", "honorific", "first_name", "last_name", "type", "title", "organizations", "states",
        "pillars", "party", "chamber", "district", "stance", "influence", "owner", "tags", "email", "phone",
        "committees", "current_office_holder", "needs_verification", "synthetic",
    ]  # fmt: skip
    with_notes = can_see_staff_notes(user)
    if with_notes:
        header.append("staff_notes")
    rows = []
    for person in people:
        points = list(person.contact_points.all())
        email = next((p.value for p in points if p.kind == ContactKind.EMAIL), "")
        phone = next((p.value for p in points if p.kind == ContactKind.PHONE), "")
        row = [
            person.pk, person.full_name, person.honorific, person.first_name, person.last_name,
            person.get_kind_display(), person.title,
            "; ".join(f"{p.title}, {p.organization.name}" for p in person.current_positions),
            ", ".join(s.code for s in person.states.all()), ", ".join(p.code for p in person.pillars.all()),
            person.party, person.get_chamber_display(), person.district, person.get_stance_display(),
            person.influence or "", person.owner.username if person.owner else "",
            ", ".join(t.name for t in person.tags.all()), email, phone,
            ", ".join(m.committee.code for m in person.committee_memberships.all()),
            "yes" if person.is_current_office_holder else "no", "yes" if person.needs_verification else "no",
            "yes" if person.is_synthetic else "no",
        ]  # fmt: skip
        if with_notes:
            row.append(person.notes)
        rows.append([neutralise(str(v)) if not isinstance(v, int) else v for v in row])
    return header, rows


def people_for_export(queryset):
    return queryset.prefetch_related(
        Prefetch("contact_points", queryset=ContactPoint.objects.order_by("-is_preferred", "id"))
    )
