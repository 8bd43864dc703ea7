"""Outreach pages: thin views that parse input, call a selector or service, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from contacts.models import Organization, Person
from contacts.search import person_search
from core.errors import ConflictError, DomainError, DomainValidationError, NotFoundError
from core.exports import write_csv
from core.pagination import LargeTablePaginator
from core.permissions import RoleRequiredMixin
from core.roles import Role, has_role
from outreach import selectors, services
from outreach.calendar import ics_feed
from outreach.choices import TargetStatus
from outreach.filters import InteractionFilterSet
from outreach.forms import (
    AddTargetsForm,
    BulkLogForm,
    CampaignForm,
    CommitmentForm,
    FollowUpForm,
    InteractionForm,
    TargetStatusForm,
    staff_users,
)
from outreach.models import CalendarToken, Campaign, CampaignTarget, Commitment, FollowUp, Interaction
from outreach.tiles import coverage_map_svg
from trade.models import Pillar, State

PAGE_SIZE = 50


def _apply_domain_error(form, error: DomainError) -> None:
    """Show a service's validation error on the form fields it names (or at the top)."""
    placed = False
    for field, problems in (error.details or {}).items():
        if field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _scenario_from(request):
    """The scenario chosen with `?scenario=<slug>`, else the default; None while none is set up."""
    try:
        return selectors.scenario_or_none(slug=request.GET.get("scenario") or None)
    except NotFoundError:
        return selectors.scenario_or_none()


class DashboardView(RoleRequiredMixin, TemplateView):
    """The home page: my follow-ups, upcoming meetings, who to call next, team activity, coverage map."""

    template_name = "outreach/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scenario = _scenario_from(self.request)
        coverage = selectors.coverage_by_state(scenario=scenario)
        return {
            **super().get_context_data(**kwargs),
            "scenario": scenario,
            "follow_ups": list(selectors.follow_ups_for(user=user)[:10]),
            "today": timezone.localdate(),
            "meetings": list(selectors.upcoming_meetings(user=user)[:8]),
            "priorities": list(selectors.priority_people(user=user, scenario=scenario)[:5]),
            "recent": list(
                Interaction.objects.visible_to(user).filter(occurred_at__lte=timezone.now()).with_list_relations()[:8]
            ),
            "coverage_map": coverage_map_svg(rows=coverage),
            "jobs_supported": selectors.jobs_supported_for_dashboard(user=user, scenario=scenario),
            "can_log": has_role(user, Role.OFFICER),
        }


class InteractionListView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/interaction_list.html"

    def get_context_data(self, **kwargs):
        queryset = Interaction.objects.visible_to(self.request.user).with_list_relations()
        filterset = InteractionFilterSet(self.request.GET or None, queryset=queryset)
        page = LargeTablePaginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "interactions": page.object_list,
            "query": query.urlencode(),
            "can_log": has_role(self.request.user, Role.OFFICER),
        }


class InteractionExportView(RoleRequiredMixin, View):
    """CSV of the filtered interaction list; confidential notes only where the user may read them."""

    def get(self, request):
        queryset = Interaction.objects.visible_to(request.user).with_list_relations()
        rows = InteractionFilterSet(request.GET or None, queryset=queryset).qs
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interactions.csv"'
        header = [
            "id",
            "kind",
            "occurred_at",
            "people",
            "organizations",
            "states",
            "summary",
            "sentiment",
            "confidential_notes",
            "logged_by",
            "synthetic",
        ]
        write_csv(
            response,
            header,
            (
                [
                    item.pk,
                    item.kind,
                    timezone.localtime(item.occurred_at).isoformat(),
                    "; ".join(str(p) for p in item.people.all()),
                    "; ".join(str(o) for o in item.organizations.all()),
                    " ".join(s.code for s in item.states.all()),
                    item.summary,
                    item.sentiment,
                    item.visible_confidential_notes,
                    item.created_by.username if item.created_by else "",
                    "yes" if item.is_synthetic else "no",
                ]
                for item in rows
            ),
        )
        return response


class InteractionCreateView(RoleRequiredMixin, View):
    """The quick log. `?person=<id>` / `?organization=<id>` prefill who; errors keep everything typed."""

    required_role = Role.OFFICER
    template_name = "outreach/interaction_form.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        initial = {}
        person = request.GET.get("person")
        if person and person.isdigit() and Person.objects.visible_to(request.user).filter(pk=person).exists():
            initial["people"] = [int(person)]
        organization = request.GET.get("organization")
        if organization and organization.isdigit() and Organization.objects.filter(pk=organization).exists():
            initial["organizations"] = [int(organization)]
        kind = request.GET.get("kind")
        if kind:
            initial["kind"] = kind
        return self._render(request, InteractionForm(user=request.user, initial=initial))

    def post(self, request):
        form = InteractionForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = dict(form.cleaned_data)
        follow_up_what = data.pop("follow_up_what")
        follow_up_due = data.pop("follow_up_due")
        try:
            interaction = services.interaction_log(actor=request.user, **data)
            if follow_up_what:
                people = list(data["people"])
                services.follow_up_create(
                    actor=request.user,
                    what=follow_up_what,
                    assignee=request.user,
                    due_date=follow_up_due,
                    interaction=interaction,
                    person=people[0] if len(people) == 1 else None,
                )
        except DomainValidationError as error:
            _apply_domain_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, _("Interaction logged."))
        return redirect("interaction-detail", pk=interaction.pk)


class PeopleOptionsView(RoleRequiredMixin, View):
    """htmx helper for the quick log: `<option>`s of people matching `people_q`, the chosen ones kept first."""

    required_role = Role.OFFICER
    limit = 50

    def get(self, request):
        visible = Person.objects.visible_to(request.user).only(
            "id", "full_name", "preferred_name", "title", "is_synthetic", "last_name", "first_name"
        )
        chosen_ids = [int(v) for v in request.GET.getlist("people") if v.isdigit()]
        chosen = list(visible.filter(pk__in=chosen_ids))
        query = (request.GET.get("people_q") or "").strip()
        matches = visible.exclude(pk__in=chosen_ids)
        if query:
            # The stakeholder list's search, typos forgiven: exact matches first, then near ones.
            matches = person_search(matches, query=query)
        else:
            matches = matches.order_by("last_name", "first_name", "id")
        field = InteractionForm(user=request.user).fields["people"]
        options = [(p.pk, field.label_from_instance(p), True) for p in chosen]
        options += [(p.pk, field.label_from_instance(p), False) for p in matches[: self.limit]]
        return render(request, "outreach/_people_options.html", {"options": options})


class InteractionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/interaction_detail.html"

    def get_context_data(self, **kwargs):
        interaction = get_object_or_404(
            Interaction.objects.visible_to(self.request.user).with_detail_relations(), pk=kwargs["pk"]
        )
        return {
            **super().get_context_data(**kwargs),
            "interaction": interaction,
            "can_log": has_role(self.request.user, Role.OFFICER),
            "can_change_commitments": services.commitment_can_change(interaction=interaction, user=self.request.user),
            "staff_choices": list(staff_users()),
            "today": timezone.localdate(),
        }


class CommitmentResolveView(RoleRequiredMixin, View):
    """POST `status` (fulfilled, dropped or open) for a commitment, then back to its interaction.

    The service decides who may (`commitment_can_change`); its refusal is a 403 page."""

    required_role = Role.OFFICER

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.select_related("interaction"), pk=pk)
        get_object_or_404(Interaction.objects.visible_to(request.user), pk=commitment.interaction_id)
        try:
            services.commitment_resolve(
                commitment=commitment, status=request.POST.get("status", ""), actor=request.user
            )
        except DomainValidationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Commitment updated."))
        return redirect("interaction-detail", pk=commitment.interaction_id)


class CommitmentOwnerView(RoleRequiredMixin, View):
    """POST a commitment's `due_date` and `owner` (with the values the page showed), then back to its
    interaction; the same rule as its status, and a change saved by someone else since is refused."""

    required_role = Role.OFFICER

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.select_related("interaction"), pk=pk)
        get_object_or_404(Interaction.objects.visible_to(request.user), pk=commitment.interaction_id)
        form = CommitmentForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
            messages.error(request, errors)
            return redirect("interaction-detail", pk=commitment.interaction_id)
        try:
            services.commitment_update(
                commitment=commitment,
                actor=request.user,
                due_date=form.cleaned_data["due_date"],
                owner=form.cleaned_data["owner"],
                shown=(request.POST.get("shown_due_date", ""), request.POST.get("shown_owner", "")),
            )
        except (DomainValidationError, ConflictError) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Commitment updated."))
        return redirect("interaction-detail", pk=commitment.interaction_id)


class FollowUpListView(RoleRequiredMixin, TemplateView):
    """My follow-ups: open ones 50 a page (overdue first), and the ones closed in the last two weeks."""

    template_name = "outreach/follow_up_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        totals = selectors.follow_up_totals(user=user, today=today)
        paginator = Paginator(selectors.follow_ups_for(user=user), PAGE_SIZE)
        paginator.count = totals["open"]  # counted with the totals: no second COUNT query
        page = paginator.get_page(self.request.GET.get("page"))
        open_items = list(page.object_list)
        recently_closed = []
        if page.number == 1:
            recently_closed = list(
                selectors.follow_ups_for(user=user, include_closed=True)
                .exclude(status="open")
                .filter(completed_at__gte=timezone.now() - dt.timedelta(days=14))
                .order_by("-completed_at")[:20]
            )
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "totals": totals,
            "overdue": [f for f in open_items if f.due_date < today],
            "upcoming": [f for f in open_items if f.due_date >= today],
            "recently_closed": recently_closed,
            "commitments": selectors.commitments_owned_by(user=user) if page.number == 1 else [],
            "today": today,
        }


class FollowUpCreateView(RoleRequiredMixin, View):
    required_role = Role.OFFICER

    def _links(self, request):
        source = request.POST if request.method == "POST" else request.GET
        links = {}
        if (value := source.get("interaction", "")).isdigit():
            links["interaction"] = get_object_or_404(Interaction.objects.visible_to(request.user), pk=value)
        if (value := source.get("person", "")).isdigit():
            links["person"] = get_object_or_404(Person.objects.visible_to(request.user), pk=value)
        if (value := source.get("organization", "")).isdigit():
            links["organization"] = get_object_or_404(Organization.objects.visible_to(request.user), pk=value)
        if "interaction" in links and "person" not in links:
            people = list(links["interaction"].people.all()[:2])
            if len(people) == 1:
                links["person"] = people[0]
        return links

    def _render(self, request, form, links, status=200):
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        context = {"form": form, "links": links, "next": next_url}
        return render(request, "outreach/follow_up_form.html", context, status=status)

    def get(self, request):
        return self._render(request, FollowUpForm(user=request.user), self._links(request))

    def post(self, request):
        links = self._links(request)
        form = FollowUpForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, links, status=400)
        try:
            services.follow_up_create(actor=request.user, **form.cleaned_data, **links)
        except DomainValidationError as error:
            _apply_domain_error(form, error)
            return self._render(request, form, links, status=400)
        messages.success(request, _("Follow-up added."))
        return redirect(_safe_next(request, reverse("follow-ups")))


class FollowUpCloseView(RoleRequiredMixin, View):
    """POST: mark done or cancel. Works as a plain form post; with htmx it swaps the row in place."""

    required_role = Role.OFFICER
    action = "done"

    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user).with_list_relations(), pk=pk)
        service = services.follow_up_complete if self.action == "done" else services.follow_up_cancel
        try:
            follow_up = service(follow_up=follow_up, actor=request.user)
        except DomainError as error:
            if request.headers.get("HX-Request"):
                return HttpResponse(error.message, status=error.status_code)
            messages.error(request, error.message)
            return redirect(_safe_next(request, reverse("follow-ups")))
        if request.headers.get("HX-Request"):
            follow_up = FollowUp.objects.with_list_relations().get(pk=follow_up.pk)
            return render(request, "outreach/_follow_up_row.html", {"item": follow_up, "today": timezone.localdate()})
        if self.action == "done":
            messages.success(request, _("Marked done: %(what)s") % {"what": follow_up.what})
        else:
            messages.success(request, _("Cancelled: %(what)s") % {"what": follow_up.what})
        return redirect(_safe_next(request, reverse("follow-ups")))


class CalendarView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/calendar.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        mine_only = self.request.GET.get("all") != "1"
        feed_token = self.request.session.pop("outreach_new_calendar_token", None)
        return {
            **super().get_context_data(**kwargs),
            "meetings": list(selectors.upcoming_meetings(user=user, mine_only=mine_only)[:200]),
            "mine_only": mine_only,
            "active_token": CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first(),
            "feed_url": (
                self.request.build_absolute_uri(reverse("calendar-feed", args=[feed_token])) if feed_token else None
            ),
        }


class CalendarTokenView(RoleRequiredMixin, View):
    """POST `issue` (new secret, the old one stops working) or `revoke`."""

    def post(self, request):
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(request, _("Your calendar feed is switched off; the old address no longer works."))
        else:
            token = services.calendar_token_issue(user=request.user)
            # Shown once on the next page: only the digest is stored.
            request.session["outreach_new_calendar_token"] = token
            messages.success(request, _("New calendar feed address created. Any previous address no longer works."))
        return redirect("calendar")


def calendar_feed(request, token: str):
    """ICS feed of the token owner's meetings; no login (calendar apps cannot log in), the secret is the key."""
    entry = (
        CalendarToken.objects.select_related("user")
        .filter(token_digest=CalendarToken.digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if entry is None or not has_role(entry.user, Role.VIEWER):
        raise Http404
    CalendarToken.objects.filter(pk=entry.pk).update(last_used_at=timezone.now())
    body = ics_feed(user=entry.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="envoy-meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


class CampaignListView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/campaign_list.html"

    def get_context_data(self, **kwargs):
        campaigns = list(Campaign.objects.visible_to(self.request.user).with_list_relations())
        return {
            **super().get_context_data(**kwargs),
            "campaigns": campaigns,
            "can_create": has_role(self.request.user, Role.LEAD),
        }


class CampaignCreateView(RoleRequiredMixin, View):
    required_role = Role.LEAD

    def get(self, request):
        return render(request, "outreach/campaign_form.html", {"form": CampaignForm(user=request.user)})

    def post(self, request):
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            people = data.pop("people")
            segment = data.pop("segment")
            try:
                campaign = services.campaign_create(actor=request.user, **data)
                services.campaign_targets_add(campaign=campaign, actor=request.user, people=people)
                if segment is not None:
                    services.campaign_targets_add_from_segment(campaign=campaign, segment=segment, actor=request.user)
            except DomainValidationError as error:
                _apply_domain_error(form, error)
            else:
                messages.success(request, _("Campaign created."))
                return redirect("campaign-detail", pk=campaign.pk)
        return render(request, "outreach/campaign_form.html", {"form": form}, status=400)


class CampaignDetailView(RoleRequiredMixin, View):
    """Progress, counts per status, targets filtered by status, and logging one outreach for several targets."""

    template_name = "outreach/campaign_detail.html"

    def _campaign(self, request, pk):
        return get_object_or_404(Campaign.objects.visible_to(request.user).select_related("owner"), pk=pk)

    def _render(self, request, campaign, bulk_form, status=200):
        counts = selectors.campaign_status_counts(campaign=campaign)
        total = sum(counts.values())
        reached = total - counts[TargetStatus.NOT_CONTACTED]
        current = request.GET.get("status") or ""
        if current not in TargetStatus.values:
            current = ""
        page = Paginator(selectors.campaign_targets(campaign=campaign, status=current or None), 100).get_page(
            request.GET.get("page")
        )
        context = {
            "campaign": campaign,
            "counts": [(value, label, counts[value]) for value, label in TargetStatus.choices],
            "total": total,
            "reached": reached,
            "percent": round(100 * reached / total) if total else 0,
            "status_filter": current,
            "query": f"status={current}" if current else "",
            "page_obj": page,
            "targets": page.object_list,
            "bulk_form": bulk_form,
            "add_form": AddTargetsForm(user=request.user),
            "status_choices": TargetStatus.choices,
            "can_log": has_role(request.user, Role.OFFICER),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        campaign = self._campaign(request, pk)
        return self._render(request, campaign, BulkLogForm(campaign=campaign))

    def post(self, request, pk):
        if not has_role(request.user, Role.OFFICER):
            # The campaign is visible to this user (no 404 to hide): the role lacks the right.
            raise PermissionDenied
        campaign = self._campaign(request, pk)
        form = BulkLogForm(request.POST, campaign=campaign)
        if form.is_valid():
            data = dict(form.cleaned_data)
            targets = list(campaign.targets.with_list_relations().filter(pk__in=data.pop("targets")))
            try:
                logged = services.interaction_log_bulk(actor=request.user, targets=targets, **data)
            except DomainValidationError as error:
                _apply_domain_error(form, error)
            else:
                messages.success(request, _("Logged %(count)d interactions.") % {"count": len(logged)})
                return redirect("campaign-detail", pk=campaign.pk)
        return self._render(request, campaign, form, status=400)


class CampaignTargetsAddView(RoleRequiredMixin, View):
    """POST: add everyone a saved segment matches now as targets."""

    required_role = Role.OFFICER

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
        form = AddTargetsForm(request.POST, user=request.user)
        if form.is_valid():
            added = services.campaign_targets_add_from_segment(
                campaign=campaign, segment=form.cleaned_data["segment"], actor=request.user
            )
            messages.success(request, _("Added %(count)d new targets.") % {"count": added})
        else:
            messages.error(request, _("Choose a saved segment."))
        return redirect("campaign-detail", pk=campaign.pk)


class CampaignTargetStatusView(RoleRequiredMixin, View):
    required_role = Role.OFFICER

    def post(self, request, pk, target_pk):
        target = get_object_or_404(CampaignTarget.objects.filter(campaign_id=pk), pk=target_pk)
        form = TargetStatusForm(request.POST)
        if form.is_valid():
            services.campaign_target_set_status(target=target, status=form.cleaned_data["status"], actor=request.user)
            messages.success(request, _("Status updated."))
        else:
            messages.error(request, _("Choose a valid status."))
        return redirect(_safe_next(request, reverse("campaign-detail", args=[pk])))


class PriorityListView(RoleRequiredMixin, TemplateView):
    """Who to call next: everyone ranked, with each component of the score shown."""

    template_name = "outreach/priorities.html"

    def get_context_data(self, **kwargs):
        request = self.request
        user = request.user
        state_code, pillar_code = request.GET.get("state"), request.GET.get("pillar")
        state = State.objects.filter(code=state_code).first() if state_code else None
        pillar = Pillar.objects.filter(code=pillar_code).first() if pillar_code else None
        owner_param = request.GET.get("owner") or ""
        owner = None
        if owner_param == "me":
            owner = user
        elif owner_param.isdigit():
            owner = staff_users().filter(pk=owner_param).first()
        campaign_param = request.GET.get("campaign") or ""
        campaign = Campaign.objects.filter(pk=campaign_param).first() if campaign_param.isdigit() else None
        scenario = _scenario_from(request)
        weights = selectors.PriorityWeights.load()
        ranked = selectors.priority_people(
            user=user, scenario=scenario, state=state, pillar=pillar, owner=owner, campaign=campaign, weights=weights
        )
        # The ranking covers everyone: count like the other big lists (exact up to 10,000, then estimated).
        page = LargeTablePaginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
        exposure_ranks = selectors.state_exposure_ranks(scenario=scenario, pillar=pillar)
        for person in page.object_list:
            person.explanation = selectors.priority_explanation(person, exposure_ranks=exposure_ranks)
        query = request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "people": page.object_list,
            "rank_offset": page.start_index() - 1 if page.object_list else 0,
            "scenario": scenario,
            "states": State.objects.filter(is_pseudo=False),
            "pillars": Pillar.objects.all(),
            "owners": staff_users(),
            "campaigns": Campaign.objects.all(),
            "selected": {
                "state": state.code if state else "",
                "pillar": pillar.code if pillar else "",
                "owner": owner_param,
                "campaign": str(campaign.pk) if campaign else "",
            },
            "weights": weights,
            "query": query.urlencode(),
            "can_log": has_role(user, Role.OFFICER),
        }


class CoverageView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/coverage.html"

    def get_context_data(self, **kwargs):
        scenario = _scenario_from(self.request)
        rows = selectors.coverage_by_state(scenario=scenario)
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "scenario": scenario,
            "coverage_map": coverage_map_svg(rows=rows),
        }
