"""Stakeholder pages: thin views that parse input, authorize, call a selector or service and render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts.choices import ImportKind, ImportStatus
from contacts.duplicates import (
    organization_duplicate_pairs,
    organization_duplicates_for,
    person_duplicate_pairs,
    person_duplicates_for,
)
from contacts.filters import OrganizationFilterSet
from contacts.forms import OrganizationForm, PersonForm, SegmentForm, SpreadsheetUploadForm, SuccessorForm
from contacts.merge import contact_merge
from contacts.models import Organization, Person, SavedSegment, SourceChange, SpreadsheetImport
from contacts.ownership import field_provenance
from contacts.permissions import can_create, can_edit_organization, can_edit_person, can_merge
from contacts.search import person_search_by_name_order, person_search_suggestion
from contacts.selectors import (
    clean_person_params,
    global_search,
    organization_detail,
    organization_filter,
    person_detail,
    person_filterset,
    person_trade_summary,
    segments_for,
    source_changes_pending,
)
from contacts.services import (
    organization_create,
    organization_update,
    person_create,
    person_update,
    segment_delete,
    segment_save,
    source_change_resolve,
    successor_record,
)
from contacts.spreadsheets import (
    people_export_rows,
    people_for_export,
    spreadsheet_apply,
    spreadsheet_discard,
    spreadsheet_upload,
)
from core.errors import ConflictError, DomainError, DomainValidationError, EditConflictError
from core.exports import csv_bytes, xlsx_bytes
from core.pagination import LargeTablePaginator
from core.permissions import Role, has_role, role_required

PAGE_SIZE = 50
SORTS = [("name", _("Name")), ("-influence", _("Influence")), ("stance", _("Stance")), ("-updated", _("Recent"))]
TIMELINE_TEMPLATE = "outreach/_timeline.html"


def _params_with_segment(request) -> tuple[QueryDict, SavedSegment | None]:
    """The request's filters; `segment=<id>` applies a saved segment the user may see."""
    segment_id = request.GET.get("segment", "")
    if not segment_id.isdigit():
        return request.GET, None
    segment = segments_for(user=request.user).filter(pk=int(segment_id)).first()
    if segment is None:
        raise Http404
    params = QueryDict(mutable=True)
    params.update(segment.filters)
    if request.GET.get("page"):
        params["page"] = request.GET["page"]
    return params, segment


def _timeline_template() -> str | None:
    try:
        return select_template([TIMELINE_TEMPLATE]).template.name
    except TemplateDoesNotExist:
        return None


@role_required(Role.VIEWER)
def person_list(request):
    params, segment = _params_with_segment(request)
    filterset = person_filterset(user=request.user, params=params)
    people = filterset.qs
    if not params.get("sort") and not params.get("q"):
        people = people.order_by("last_name", "first_name", "id")
    page = LargeTablePaginator(people, PAGE_SIZE).get_page(params.get("page"))
    by_name_order = person_search_by_name_order(people, query=params.get("q", ""), sort=params.get("sort", ""))
    suggestion = person_search_suggestion(page.object_list) if params.get("q") else None
    filters = clean_person_params(params)
    query = urlencode(filters)
    organizations = []
    if params.get("q"):
        organizations = list(organization_filter(user=request.user, params={"q": params["q"]})[:10])
    return render(
        request,
        "contacts/person_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "filters": filters,
            "segment": segment,
            "segments": segments_for(user=request.user),
            "segment_form": SegmentForm(initial={"query": query}),
            "sorts": [(key, label, urlencode({**filters, "sort": key})) for key, label in SORTS],
            "organizations": organizations,
            "by_name_order": by_name_order,
            "suggestion": suggestion,
            "can_create": can_create(request.user),
            "can_merge": can_merge(request.user),
        },
    )


@role_required(Role.VIEWER)
def person_export(request):
    params, segment = _params_with_segment(request)
    people = people_for_export(person_filterset(user=request.user, params=params).qs)
    header, rows = people_export_rows(people=people, user=request.user)
    name = f"stakeholders-{segment.name if segment else 'list'}".replace(" ", "-").lower()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, title=segment.name if segment else "Stakeholders"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_safe_filename(name)}.xlsx"'
    else:
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_safe_filename(name)}.csv"'
    return response


def _safe_filename(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum() or ch in "-_")[:80] or "export"


@role_required(Role.VIEWER)
def global_search_view(request):
    """The header's search box: people, organizations and states in one page."""
    query = request.GET.get("q", "")
    return render(request, "contacts/search.html", {"q": query, **global_search(user=request.user, query=query)})


@role_required(Role.VIEWER)
def person_detail_view(request, pk: int):
    return _person_page(request, pk)


def _person_page(request, pk: int, *, successor_form: SuccessorForm | None = None, status: int = 200):
    try:
        person = person_detail(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    can_edit = can_edit_person(request.user, person)
    if successor_form is None and can_edit:
        successor_form = SuccessorForm(user=request.user, predecessor=person)
    return render(
        request,
        "contacts/person_detail.html",
        {
            "person": person,
            "can_edit": can_edit,
            "states": list(person.states.all()),
            "trade_summary": person_trade_summary(person=person),
            "timeline_template": _timeline_template(),
            "provenance": field_provenance(person),
            "can_review": has_role(request.user, Role.LEAD),
            "successor_form": successor_form,
        },
        status=status,
    )


@role_required(Role.OFFICER)
@require_POST
def person_successor_view(request, pk: int):
    """POST who takes this person's office and when; the person page again, with what was typed, on error."""
    try:
        predecessor = person_detail(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    form = SuccessorForm(request.POST, user=request.user, predecessor=predecessor)
    if form.is_valid():
        try:
            successor_record(actor=request.user, predecessor=predecessor, **form.cleaned_data)
        except (DomainValidationError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Successor recorded: the office changes hands on its date."))
            return redirect("contacts:person-detail", pk=pk)
    return _person_page(request, pk, successor_form=form, status=400)


def _person_form_view(request, *, person: Person | None):
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if person is None:
            duplicates = person_duplicates_for(
                first_name=data.get("preferred_name") or data["first_name"],
                last_name=data["last_name"],
                state_ids=[s.pk for s in data["states"]],
                emails=[data.get("email", "")],
                phones=[data.get("phone", "")],
            )
        if duplicates and not data.get("confirm_duplicate"):
            messages.warning(request, _("This looks like someone already in the list. Check before saving."))
        else:
            try:
                if person is None:
                    person = person_create(
                        actor=request.user, fields=form.model_fields(), states=data["states"],
                        pillars=data["pillars"], tag_names=form.tag_names(), emails=[data.get("email", "")],
                        phones=[data.get("phone", "")], stance_reason=data.get("stance_reason", ""),
                    )  # fmt: skip
                    messages.success(request, _("Stakeholder added."))
                else:
                    person_update(
                        actor=request.user, person=person, fields=form.model_fields(), states=data["states"],
                        pillars=data["pillars"], tag_names=form.tag_names(),
                        stance_reason=data.get("stance_reason", ""), expected_version=form.expected_version(),
                    )  # fmt: skip
                    messages.success(request, _("Stakeholder saved."))
                return redirect("contacts:person-detail", pk=person.pk)
            except EditConflictError as exc:
                form = form.rebased(exc, user=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
    return render(request, "contacts/person_form.html", {"form": form, "person": person, "duplicates": duplicates})


@role_required(Role.OFFICER)
def person_create_view(request):
    return _person_form_view(request, person=None)


@role_required(Role.OFFICER)
def person_edit_view(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if not can_edit_person(request.user, person):
        raise PermissionDenied
    return _person_form_view(request, person=person)


@role_required(Role.VIEWER)
def duplicates_view(request):
    return render(
        request,
        "contacts/duplicates.html",
        {
            "people_pairs": person_duplicate_pairs(),
            "organization_pairs": organization_duplicate_pairs(),
            "can_merge": can_merge(request.user),
        },
    )


@role_required(Role.LEAD)
def merge_view(request, kind: str):
    model = Person if kind == "people" else Organization
    queryset = model.objects.visible_to(request.user)
    source = request.POST if request.method == "POST" else request.GET
    ids = [source.get("keep", ""), source.get("duplicate", "")]
    if not all(i.isdigit() for i in ids):
        raise Http404
    keep = get_object_or_404(queryset, pk=int(ids[0]))
    duplicate = get_object_or_404(queryset, pk=int(ids[1]))
    if request.method == "POST":
        try:
            record = contact_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("contacts:duplicates")
        moved = sum(v for v in record.moved.values() if isinstance(v, int))
        messages.success(
            request,
            _("Merged “%(dup)s” into “%(keep)s”: %(n)s related rows moved.")
            % {"dup": record.duplicate_label, "keep": keep, "n": moved},
        )
        target = "contacts:person-detail" if kind == "people" else "contacts:organization-detail"
        return redirect(target, pk=keep.pk)
    return render(request, "contacts/merge_confirm.html", {"keep": keep, "duplicate": duplicate, "kind": kind})


@require_POST
@role_required(Role.VIEWER)
def segment_save_view(request):
    form = SegmentForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            segment = segment_save(
                owner=request.user,
                name=form.cleaned_data["name"],
                params=QueryDict(query),
                shared=form.cleaned_data["shared"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Segment “%(name)s” saved.") % {"name": segment.name})
            return redirect(f"{reverse('contacts:person-list')}?segment={segment.pk}")
    else:
        messages.error(request, _("Give the segment a name."))
    return redirect(f"{reverse('contacts:person-list')}?{query}")


@require_POST
@role_required(Role.VIEWER)
def segment_delete_view(request, pk: int):
    segment = get_object_or_404(segments_for(user=request.user), pk=pk)
    try:
        segment_delete(segment=segment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Segment deleted."))
    return redirect("contacts:person-list")


@role_required(Role.OFFICER)
def import_upload_view(request):
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = spreadsheet_upload(
                user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("contacts:import-preview", token=record.token)
    return render(request, "contacts/import_upload.html", {"form": form})


@role_required(Role.OFFICER)
def import_preview_view(request, token: str):
    record = get_object_or_404(SpreadsheetImport, token=token, uploaded_by=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            spreadsheet_discard(record=record, user=request.user)
            messages.info(request, _("Import discarded; nothing was changed."))
            return redirect("contacts:import-upload")
        valid_rows_only = request.POST.get("action") == "apply_valid"
        try:
            result = spreadsheet_apply(
                record=record, user=request.user, valid_rows_only=valid_rows_only,
                matches=_row_answers(request.POST, "match_"), titles=_row_answers(request.POST, "title_"),
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("contacts:import-preview", token=token)
        message = _("Import applied: %(created)s created, %(updated)s updated.") % result
        if result["skipped"]:
            message += " " + _("Skipped rows with errors: %(rows)s.") % {
                "rows": ", ".join(str(row["row"]) for row in result["skipped"])
            }
        messages.success(request, message)
        target = "contacts:person-list" if record.kind == ImportKind.PEOPLE else "contacts:organization-list"
        return redirect(target)
    preview = record.preview
    previewed = record.status == ImportStatus.PREVIEWED
    error_rows = [row["row"] for row in preview.get("rows", []) if row.get("errors")]
    return render(
        request,
        "contacts/import_preview.html",
        {
            "record": record,
            "preview": preview,
            "clean": preview.get("counts", {}).get("error", 1) == 0 and previewed,
            # The explicit alternative to all-or-nothing: offered when some rows, not all, have errors.
            "error_rows": error_rows,
            "valid_count": preview.get("total", 0) - len(error_rows),
            "offer_valid_only": previewed and 0 < len(error_rows) < preview.get("total", 0),
        },
    )


def _row_answers(data: QueryDict, prefix: str) -> dict[int, str]:
    """The preview's per-row answers (`match_12=new`, `title_12=new_position`) by row number."""
    return {
        int(key[len(prefix) :]): value
        for key, value in data.items()
        if key.startswith(prefix) and key[len(prefix) :].isdigit()
    }


@role_required(Role.VIEWER)
def organization_list(request):
    params = request.GET
    organizations = organization_filter(user=request.user, params=params)
    if not params.get("sort") and not params.get("q"):
        organizations = organizations.order_by("name", "id")
    page = Paginator(organizations, PAGE_SIZE).get_page(params.get("page"))
    filters = {k: v for k, v in params.items() if k != "page" and v}
    return render(
        request,
        "contacts/organization_list.html",
        {
            "form": OrganizationFilterSet(data=params, queryset=Organization.objects.none()).form,
            "page": page,
            "query": urlencode(filters),
            "can_create": can_create(request.user),
        },
    )


@role_required(Role.VIEWER)
def organization_detail_view(request, pk: int):
    try:
        organization = organization_detail(user=request.user, pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "contacts/organization_detail.html",
        {
            "organization": organization,
            "can_edit": can_edit_organization(request.user, organization),
            "timeline_template": _timeline_template(),
            "provenance": field_provenance(organization),
            "can_review": has_role(request.user, Role.LEAD),
        },
    )


def _organization_form_view(request, *, organization: Organization | None):
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if organization is None:
            duplicates = organization_duplicates_for(name=data["name"], website=data.get("website", ""))
        if duplicates and not data.get("confirm_duplicate"):
            messages.warning(request, _("This looks like an organization already in the list. Check before saving."))
        else:
            try:
                if organization is None:
                    organization = organization_create(
                        actor=request.user, fields=form.model_fields(), pillars=data["pillars"],
                        tag_names=form.tag_names(),
                    )  # fmt: skip
                else:
                    organization_update(
                        actor=request.user, organization=organization, fields=form.model_fields(),
                        pillars=data["pillars"], tag_names=form.tag_names(),
                        expected_version=form.expected_version(),
                    )  # fmt: skip
                messages.success(request, _("Organization saved."))
                return redirect("contacts:organization-detail", pk=organization.pk)
            except EditConflictError as exc:
                form = form.rebased(exc, user=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
    return render(
        request,
        "contacts/organization_form.html",
        {"form": form, "organization": organization, "duplicates": duplicates},
    )


@role_required(Role.OFFICER)
def organization_create_view(request):
    return _organization_form_view(request, organization=None)


@role_required(Role.OFFICER)
def organization_edit_view(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_edit_organization(request.user, organization):
        raise PermissionDenied
    return _organization_form_view(request, organization=organization)


@role_required(Role.LEAD)
def source_change_list(request):
    """Fields staff changed where a public release now says something else: accept it or keep ours."""
    page = Paginator(source_changes_pending(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contacts/source_changes.html", {"page": page})


@require_POST
@role_required(Role.LEAD)
def source_change_resolve_view(request, pk: int):
    change = get_object_or_404(SourceChange.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    if action not in {"accept", "keep"}:
        messages.error(request, _("Choose whether to accept the source's value or keep ours."))
    else:
        try:
            change = source_change_resolve(change=change, actor=request.user, accept=action == "accept")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Source value accepted for %(field)s.") % {"field": change.field_label}
                if action == "accept"
                else _("Staff value kept for %(field)s.") % {"field": change.field_label},
            )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("contacts:source-changes")
