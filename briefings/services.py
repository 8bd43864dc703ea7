"""Briefing writes: requesting packets, assembling and generating them, schedules and notifications."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefings import selectors
from briefings.asks import recommended_asks
from briefings.choices import DEFAULT_PACKET_LANGUAGE, PacketStatus, Section, TargetKind
from briefings.models import BriefingPacket, PacketTemplate
from briefings.rendering import render_packet_html, render_pdf
from contacts.models import Organization, Person
from core.errors import DomainError, DomainValidationError, NotFoundError, PermissionDeniedError
from core.jobs import job_enqueue
from core.preferences import language_codes
from outreach.models import Campaign, Interaction
from trade import selectors as trade_selectors
from trade.models import State

log = logging.getLogger(__name__)

GENERATE_TASK = "briefings.generate_packet"
# Longer than the generation task's hard time limit: a packet "running" for longer lost its worker.
RUNNING_STALE_AFTER = dt.timedelta(minutes=15)
PACKET_QUEUE = "packets"

CAVEAT_ORIGIN = gettext_lazy(
    "BTS TransBorder figures record the state where an export shipment begins, or an import shipment "
    "ends, its journey in the United States — not where the goods were made or used."
)
CAVEAT_BALANCE = gettext_lazy(
    "The United States does not publish state trade balances: the difference between a state's exports "
    'and imports is not a "deficit with Canada" and is never labelled one here.'
)
CAVEAT_SURFACE = gettext_lazy("Before November 2003 BTS covered surface modes only (no air or vessel shipments).")
CAVEAT_PILLARS = gettext_lazy(
    "Pillar figures add up the HS chapters that hold each pillar's products; where a pillar covers only "
    "part of a chapter the whole chapter is counted (marked ≈). Pillars overlap: do not add them."
)


def target_key(*, kind: str, target) -> str:
    return f"{kind}:{target.code if kind == TargetKind.STATE else target.pk}"


def target_resolve(*, kind: str, target_id: str | int, user=None):
    """The person, organization, state (postal code or id) or campaign a request names; for a
    person's request (`user`), only among what they may see (the one `visible_to` rule)."""

    def visible(model):
        return model.objects.visible_to(user) if user is not None else model.objects.all()

    lookups = {
        TargetKind.PERSON: lambda: visible(Person).get(pk=int(target_id)),
        TargetKind.ORGANIZATION: lambda: visible(Organization).get(pk=int(target_id)),
        TargetKind.CAMPAIGN: lambda: visible(Campaign).get(pk=int(target_id)),
        TargetKind.STATE: lambda: (
            State.objects.get(pk=int(target_id))
            if str(target_id).isdigit()
            else State.objects.get(code=str(target_id).upper())
        ),
    }
    if kind not in lookups:
        raise DomainValidationError(_("Unknown target type."), details={"target_kind": [_("Choose a target type.")]})
    try:
        return lookups[kind]()
    except (ValueError, Person.DoesNotExist, Organization.DoesNotExist, Campaign.DoesNotExist, State.DoesNotExist):
        raise NotFoundError(_("No such target."), details={"target_id": [_("Not found.")]}) from None


def _display_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _create_version(**fields) -> tuple[BriefingPacket, bool]:
    """Insert the next version for the target: (packet, True). Two concurrent requests retry on the
    version constraint; a concurrent request for the same schedule slot returns (its packet, False)."""
    for _attempt in range(5):
        latest = BriefingPacket.objects.filter(target_key=fields["target_key"]).aggregate(v=Max("version"))["v"]
        try:
            with transaction.atomic():
                return BriefingPacket.objects.create(version=(latest or 0) + 1, **fields), True
        except IntegrityError:
            if fields.get("schedule_slot"):
                existing = BriefingPacket.objects.filter(
                    target_key=fields["target_key"], schedule_slot=fields["schedule_slot"]
                ).first()
                if existing is not None:
                    return existing, False
    raise IntegrityError("could not allocate a packet version")


@transaction.atomic
def packet_request(
    *,
    target_kind: str,
    target,
    actor=None,
    scenario_slug: str | None = None,
    template: PacketTemplate | None = None,
    schedule_slot: str = "",
    meeting: Interaction | None = None,
    generated_for: str = "",
    batch_parent: BriefingPacket | None = None,
    enqueue: bool = True,
    language: str = "",
) -> BriefingPacket:
    """Queue a new version of the packet for `target` and its generation on the "packets" queue.

    A schedule passes `schedule_slot`: a second request for the same target and slot returns the
    packet the first one made (unique constraint), so a schedule that fires twice makes one packet.
    A campaign packet becomes a batch: one child packet per campaign target.
    """
    # Without an actor: a schedule. A person's request goes through the one rule.
    if actor is not None and not BriefingPacket.may_request(actor):
        raise PermissionDeniedError(_("Your role does not allow requesting packets."))
    scenario = selectors.scenario_for_packet(slug=scenario_slug)
    if scenario_slug and scenario is None:
        raise DomainValidationError(_("Unknown scenario."), details={"scenario": [_("No such scenario.")]})
    template = template or (batch_parent.template if batch_parent else selectors.template_default())
    language = language or (batch_parent.language if batch_parent else DEFAULT_PACKET_LANGUAGE)
    if language not in language_codes():
        raise DomainValidationError(
            _("Unknown language: %(language)s.") % {"language": language},
            details={"language": [_("Choose English or French.")]},
        )
    key = target_key(kind=target_kind, target=target)
    if schedule_slot:
        existing = BriefingPacket.objects.filter(target_key=key, schedule_slot=schedule_slot).first()
        if existing is not None:
            return existing
    fields = {
        "target_kind": target_kind,
        "target_key": key,
        "target_label": str(target.name if target_kind == TargetKind.STATE else target)[:250],
        "person": target if target_kind == TargetKind.PERSON else None,
        "organization": target if target_kind == TargetKind.ORGANIZATION else None,
        "state": target if target_kind == TargetKind.STATE else None,
        "campaign": target if target_kind == TargetKind.CAMPAIGN else None,
        "requested_by": actor,
        "schedule_slot": schedule_slot,
        "meeting": meeting,
        "generated_for": (generated_for or _display_name(actor))[:250],
        "scenario": scenario,
        "scenario_slug": scenario.slug if scenario else "",
        "scenario_version": scenario.version if scenario else None,
        "template": template,
        "template_version": template.version,
        "batch_parent": batch_parent,
        "language": language,
    }
    packet, created = _create_version(**fields)
    if not created:
        return packet
    if target_kind == TargetKind.CAMPAIGN:
        targets = list(target.targets.select_related("person", "organization").order_by("id"))
        for campaign_target in targets:
            child_kind = TargetKind.PERSON if campaign_target.person_id else TargetKind.ORGANIZATION
            packet_request(
                target_kind=child_kind,
                target=campaign_target.person or campaign_target.organization,
                actor=actor,
                scenario_slug=scenario_slug,
                template=template,
                generated_for=packet.generated_for,
                batch_parent=packet,
                enqueue=enqueue,
                language=language,
            )
        if targets:
            return packet  # the last child to finish renders the batch summary
    if enqueue:
        job_enqueue(
            GENERATE_TASK,
            kwargs={"packet_id": packet.pk},
            queue=PACKET_QUEUE,
            dedupe_key=f"briefing-packet-{packet.pk}",
        )
    return packet


# --- Assembly ------------------------------------------------------------------------------------


def _state_of(packet: BriefingPacket, person_profile: dict | None, organization: Organization | None) -> State | None:
    if packet.state_id:
        return packet.state
    if person_profile and person_profile["states"]:
        return State.objects.filter(code=person_profile["states"][0]["code"]).first()
    if organization is not None:
        if organization.hq_state_id:
            return organization.hq_state
        presence = organization.state_presence.select_related("state").order_by("-employees", "id").first()
        return presence.state if presence else None
    return None


def _may_include_confidential(packet: BriefingPacket) -> bool:
    return bool(packet.template.include_confidential and packet.requested_by_id)


def packet_assemble(*, packet: BriefingPacket) -> dict:
    """Everything the packet prints, as JSON-safe data (stored as the packet's `figures`)."""
    now = timezone.now()
    sections = packet.template.enabled_sections()
    scenario = packet.scenario
    context: dict = {
        "target": {"kind": packet.target_kind, "label": packet.target_label, "key": packet.target_key},
        "version": packet.version,
        "generated_at": now.isoformat(),
        "generated_for": packet.generated_for or _("Scheduled run"),
        "marking": settings.CLASSIFICATION_MARKING,
        "sections": sections,
        "template": {"name": packet.template.name, "version": packet.template_version},
        "scenario": None,
        "person": None,
        "organization": None,
        "state": None,
        "trade": None,
        "exposure": None,
        "exposure_by_scenario": [],
        "who_matters": None,
        "history": None,
        "talking_points": [],
        "asks": [],
        "caveats": [],
        "sources": [],
        "campaign": None,
    }
    if scenario is not None:
        context["scenario"] = {
            "slug": scenario.slug,
            "name": scenario.label,
            "version": scenario.version,
            "effective_date": scenario.effective_date.isoformat() if scenario.effective_date else None,
            "source": scenario.source,
            "source_url": scenario.source_url,
            "jobs_source": scenario.jobs_source_label,
            "elasticity_source": scenario.elasticity_source,
            "is_synthetic": scenario.is_synthetic,
            "assumption": trade_selectors.regime_assumption_text(
                snapshot=trade_selectors.snapshot_current(scenario=scenario)
            ),
        }
    if packet.target_kind == TargetKind.CAMPAIGN:
        return _assemble_campaign(packet=packet, context=context)

    organization = packet.organization
    if packet.person_id:
        context["person"] = selectors.person_profile(person=packet.person)
    if organization is not None:
        context["organization"] = selectors.organization_profile(organization=organization)
    state = _state_of(packet, context["person"], organization)
    release_ids: set[int] = set()
    if state is not None:
        context["state"] = {
            "code": state.code,
            "name": state.name,
            "is_battleground": state.is_battleground_2024,
            "battleground_source": state.battleground_source_label,
        }
        series = selectors.trade_series(state=state)
        release_ids.update(series["release_ids"])
        detail = selectors.trade_detail(state=state)
        if detail:
            release_ids.update(detail["release_ids"])
        latest = series["latest"]
        gdp = selectors.state_gdp(state=state)
        context["trade"] = {
            "series": series["series"],
            "latest": latest,
            "detail": detail,
            "rank": selectors.trade_rank(year=latest["year"], state=state) if latest else None,
            "gdp": gdp,
        }
        exposure = selectors.exposure_for_state(state=state, scenario=scenario)
        if exposure:
            release_ids.update(exposure["release_ids"])
        context["exposure"] = exposure
        context["exposure_by_scenario"] = selectors.exposure_by_scenario(state=state)
        if Section.WHO_MATTERS in sections and packet.target_kind in (TargetKind.STATE, TargetKind.ORGANIZATION):
            context["who_matters"] = selectors.who_matters_in_state(state=state)
    user = packet.requested_by
    include_confidential = _may_include_confidential(packet)
    if Section.HISTORY in sections or Section.ASKS in sections:
        context["history"] = (
            selectors.history_for(
                user=user,
                include_confidential=include_confidential,
                person=packet.person,
                organization=organization,
                state=state if packet.target_kind == TargetKind.STATE else None,
            )
            if (packet.person_id or organization or state)
            else None
        )
    pillar_codes = _pillar_priority(context)
    context["talking_points"] = selectors.talking_points_for(state=state, pillar_codes=pillar_codes)
    context["asks"] = recommended_asks(context=context)
    context["caveats"] = _caveats(context)
    context["sources"] = selectors.releases_used(ids=release_ids)
    # The chosen scenario's snapshot first, then the others printed in the scenario comparison.
    snapshot_ids = [context["exposure"]["snapshot_id"]] if context["exposure"] else []
    snapshot_ids += [
        row["snapshot_id"] for row in context["exposure_by_scenario"] if row["snapshot_id"] not in snapshot_ids
    ]
    context["snapshot_ids"] = snapshot_ids
    # A first answer from what the history printed; `packet_generate` settles the flag from everything
    # the packet stores.
    context["has_confidential"] = bool(context["history"] and context["history"]["has_confidential"])
    return context


def _assemble_campaign(*, packet: BriefingPacket, context: dict) -> dict:
    campaign = packet.campaign
    children = {
        child.target_key: child
        for child in packet.children.order_by("id")  # the batch's own packets, one per target
    }
    targets = list(campaign.targets.select_related("person__owner", "organization", "last_interaction").order_by("id"))
    rows = []
    for target in targets:
        stakeholder = target.person or target.organization
        kind = TargetKind.PERSON if target.person_id else TargetKind.ORGANIZATION
        child = children.get(target_key(kind=kind, target=stakeholder))
        rows.append(
            {
                "name": str(stakeholder),
                "kind": kind,
                "status": str(target.get_status_display()),
                "stance": str(target.person.get_stance_display()) if target.person_id else "",
                "last_contact": target.last_interaction.occurred_at.date().isoformat()
                if target.last_interaction_id
                else None,
                "packet_id": child.pk if child else None,
                "packet_status": child.status if child else None,
            }
        )
    context["campaign"] = {
        "name": campaign.name,
        "objective": campaign.objective,
        "owner": _display_name(campaign.owner) if campaign.owner_id else "",
        "start_date": campaign.start_date.isoformat() if campaign.start_date else None,
        "end_date": campaign.end_date.isoformat() if campaign.end_date else None,
        "targets": rows,
    }
    context["caveats"] = [_("Each target's figures, history and asks are in its own packet, linked above.")]
    context["snapshot_ids"] = []
    context["has_confidential"] = False
    return context


def _pillar_priority(context: dict) -> list[str]:
    """Pillars in the order they matter for this target: the target's own pillars (as staff tagged
    them), then the state's largest pillars by two-way trade."""
    own = (context.get("person") or context.get("organization") or {}).get("pillar_codes", [])
    detail = (context.get("trade") or {}).get("detail")
    by_trade = [row["code"] for row in detail["pillars"]] if detail else []
    return list(dict.fromkeys([*own, *by_trade]))


def _caveats(context: dict) -> list[str]:
    caveats = [str(CAVEAT_ORIGIN), str(CAVEAT_BALANCE)]
    trade = context.get("trade")
    if trade:
        if any(row["partial"] for row in trade["series"]):
            years = ", ".join(str(row["year"]) for row in trade["series"] if row["partial"])
            caveats.append(_("%(years)s: partial year, figures to date only.") % {"years": years})
        if trade["series"] and trade["series"][0]["year"] < 2004:
            caveats.append(str(CAVEAT_SURFACE))
        detail = trade.get("detail")
        if detail:
            if detail["partial"]:
                caveats.append(
                    _("Pillar and chapter figures for %(year)s cover %(months)s months only (partial year).")
                    % {"year": detail["year"], "months": detail["months"]}
                )
            caveats.append(str(CAVEAT_PILLARS))
        if trade.get("gdp"):
            caveats.append(
                _("Share of GDP uses %(year)s GDP (%(source)s).")
                % {"year": trade["gdp"]["year"], "source": trade["gdp"]["source"]}
            )
    exposure = context.get("exposure")
    scenario = context.get("scenario")
    if exposure:
        caveats.append(
            _(
                "Exposure is modelled on %(year)s trade%(partial)s: low/central/high use the scenario's trade "
                "elasticities; jobs use a national jobs-per-export ratio, not state employment data."
            )
            % {
                "year": exposure["base_year"],
                "partial": _(" (%(months)s months, partial year)") % {"months": exposure["base_months"]}
                if exposure["partial"]
                else "",
            }
        )
    elif scenario:
        caveats.append(_("No current exposure snapshot for this scenario yet: exposure figures are not shown."))
    if scenario and scenario.get("is_synthetic"):
        caveats.append(_("The scenario is synthetic (test data)."))
    return caveats


# --- Generation ----------------------------------------------------------------------------------

CONFIDENTIAL_KEYS = frozenset({"visible_confidential_notes"})
# A note shorter than this ("no", "MI") would be found inside ordinary text by chance and fail
# scheduled packets for nothing; short notes are still caught under their own key.
NOTE_MATCH_MIN_CHARS = 12


def _interaction_ids(figures: dict) -> set[int]:
    history = figures.get("history") or {}
    return {row["id"] for key in ("interactions", "upcoming") for row in history.get(key) or []}


def _confidential_values(value) -> list[str]:
    """Every non-empty value stored under a confidential key, anywhere in the figures."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in CONFIDENTIAL_KEYS and isinstance(v, str) and v.strip()]
        return found + [text for v in value.values() for text in _confidential_values(v)]
    if isinstance(value, list):
        return [text for item in value for text in _confidential_values(item)]
    return []


def packet_stores_confidential(*, figures: dict, html: str, pdf_source: str) -> bool:
    """Whether anything the packet stores holds confidential text: any value under a confidential key
    of the figures, or the confidential note of any interaction the packet names appearing in the
    figures, the HTML or the PDF source. This, not the sections' own answer, sets `has_confidential`
    (which decides who may see the packet), so a note that reaches the output by any path counts."""
    if _confidential_values(figures):
        return True
    stored = (json.dumps(figures, cls=DjangoJSONEncoder, ensure_ascii=False), html, pdf_source)
    notes = [
        note.strip()
        for note in selectors.confidential_notes_of(interaction_ids=_interaction_ids(figures))
        if len(note.strip()) >= NOTE_MATCH_MIN_CHARS
    ]
    return any(note in text for note in notes for text in stored)


def packet_generate(*, packet_id: int) -> BriefingPacket | None:
    """Assemble and render a queued packet. Idempotent: a finished packet is left as it is."""
    with transaction.atomic():
        packet = BriefingPacket.objects.select_for_update().filter(pk=packet_id).first()
        if packet is None or packet.status in (PacketStatus.DONE, PacketStatus.FAILED):
            return packet
        if packet.status == PacketStatus.RUNNING and packet.started_at > timezone.now() - RUNNING_STALE_AFTER:
            return packet  # another worker is on it; a run older than the task time limit died and is redone
        packet.status = PacketStatus.RUNNING
        packet.started_at = timezone.now()
        packet.save(update_fields=["status", "started_at", "updated_at"])
    packet = BriefingPacket.objects.select_related(
        "template", "person", "organization__hq_state", "state", "campaign", "scenario", "requested_by"
    ).get(pk=packet_id)
    try:
        # Written in the packet's language whatever the worker's: labels, figures and dates alike.
        with translation.override(packet.language):
            context = packet_assemble(packet=packet)
            html = render_packet_html(context=context)
            pdf_source = render_packet_html(context=context, for_pdf=True)
        context["has_confidential"] = packet_stores_confidential(figures=context, html=html, pdf_source=pdf_source)
        if context["has_confidential"] and not _may_include_confidential(packet):
            # Never store it: a packet without a requester (a schedule), or whose template asks for no
            # notes, is for readers the notes rule may refuse.
            raise DomainError(
                _("The packet would have stored confidential notes it may not carry; nothing was stored.")
            )
        pdf = render_pdf(source=pdf_source)
    except Exception as exc:  # any failure is recorded on the packet for the user to see
        log.exception("briefing packet %s failed", packet_id)
        BriefingPacket.objects.filter(pk=packet_id).update(
            status=PacketStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], updated_at=timezone.now()
        )
        _batch_progress(packet=packet)
        return BriefingPacket.objects.get(pk=packet_id)
    with transaction.atomic():
        packet.figures = context
        packet.snapshot_ids = context.get("snapshot_ids", [])
        packet.has_confidential = context.get("has_confidential", False)
        packet.html = html
        _pdf_store(packet=packet, pdf=pdf)
        packet.status = PacketStatus.DONE
        packet.error = ""
        packet.generated_at = timezone.now()
        packet.save()
        if packet.meeting_id and packet.batch_parent_id is None:
            transaction.on_commit(lambda: packet_notify_meeting_staff(packet_id=packet.pk))
    _batch_progress(packet=packet)
    return packet


def _pdf_store(*, packet: BriefingPacket, pdf: bytes) -> None:
    """Write the packet's PDF under its own name (one name per packet and version).

    The file is written before the transaction that marks the packet done commits. A worker killed in
    between leaves a file that no row names (possibly cut short); the retry writes over it rather than
    beside it, so each packet keeps exactly one PDF."""
    field = packet.pdf.field
    name = field.generate_filename(packet, f"packet-{packet.pk}.pdf")
    field.storage.delete(name)  # only a dead attempt's leftover can be there: the row is not done yet
    packet.pdf.save(name, ContentFile(pdf), save=False)


def _batch_progress(*, packet: BriefingPacket) -> None:
    """When the last child of a batch finishes, render the batch's own summary packet.

    Children finishing at the same time take the parent's row lock in turn, so the one that counts
    last sees every sibling finished (two workers cannot both miss it)."""
    if not packet.batch_parent_id:
        return
    with transaction.atomic():
        parent = BriefingPacket.objects.select_for_update().get(pk=packet.batch_parent_id)
        progress = selectors.packet_batch_progress(packet=parent)
    if progress["finished"] == progress["total"]:
        packet_generate(packet_id=parent.pk)


def packet_notify_meeting_staff(*, packet_id: int) -> int:
    """Email the staff on the packet's meeting that it is ready (a link, never the content)."""
    packet = BriefingPacket.objects.select_related("meeting").filter(pk=packet_id).first()
    if packet is None or packet.meeting is None:
        return 0
    recipients = [user.email for user in packet.meeting.staff.all() if user.email and user.is_active]
    if not recipients:
        return 0
    when = timezone.localtime(packet.meeting.occurred_at)
    subject = _("Briefing packet ready: %(target)s, meeting %(when)s") % {
        "target": packet.target_label,
        "when": when.strftime("%Y-%m-%d %H:%M"),
    }
    body = _(
        "The briefing packet for your meeting with %(target)s on %(when)s is ready.\n\n"
        "Open it in Envoy CRM: %(path)s\n\nThe packet itself is not attached: it is %(marking)s."
    ) % {
        "target": packet.target_label,
        "when": when.strftime("%Y-%m-%d %H:%M"),
        "path": f"/briefings/{packet.pk}/",
        "marking": settings.CLASSIFICATION_MARKING,
    }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


# --- Schedules -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_packets_schedule(*, now: dt.datetime | None = None) -> list[BriefingPacket]:
    """For every meeting starting within the lead time, one packet per attendee (person or
    organization; the states discussed when nobody is named), made once per meeting time slot.

    One transaction for the run: a run that dies part-way leaves no packet and queues no generation;
    its retry makes them all (a packet already made for a target and slot is found, not made again)."""
    now = now or timezone.now()
    lead = dt.timedelta(hours=settings.BRIEFING_MEETING_LEAD_HOURS)
    made: list[BriefingPacket] = []
    for meeting in selectors.meetings_due(now=now, lead=lead):
        slot = f"meeting-{meeting.pk}-{meeting.occurred_at.astimezone(dt.UTC):%Y%m%dT%H%M}"
        staff = ", ".join(_display_name(user) for user in meeting.staff.all())
        targets = [(TargetKind.PERSON, p) for p in meeting.people.all()]
        targets += [(TargetKind.ORGANIZATION, o) for o in meeting.organizations.all()]
        if not targets:
            targets = [(TargetKind.STATE, s) for s in meeting.states.all()]
        for kind, target in targets:
            made.append(
                packet_request(
                    target_kind=kind,
                    target=target,
                    schedule_slot=slot,
                    meeting=meeting,
                    generated_for=staff or _("Meeting staff"),
                )
            )
    return made


@transaction.atomic
def campaign_packets_schedule(*, today: dt.date | None = None) -> list[BriefingPacket]:
    """A weekly packet batch for each active campaign (started, not ended), once per ISO week.

    One transaction for the run, as for meetings: all the batches (each a summary packet and a packet
    per target) and their queued generation commit together, or none of them does."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    slot = f"weekly-{year}-W{week:02d}"
    active = Campaign.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).order_by("id")
    return [
        packet_request(
            target_kind=TargetKind.CAMPAIGN, target=campaign, schedule_slot=slot, generated_for=_("Weekly schedule")
        )
        for campaign in active
    ]


# --- Comparing versions --------------------------------------------------------------------------


def _flat_figures(figures: dict) -> dict[str, tuple[str, Decimal, str]]:
    """Comparable figures: key → (label, value, format)."""
    flat: dict[str, tuple[str, Decimal, str]] = {}
    trade = figures.get("trade") or {}
    for row in trade.get("series", []):
        for key, label in (("exports", _("Exports to Canada")), ("imports", _("Imports from Canada"))):
            if row.get(key) is not None:
                flat[f"trade.{row['year']}.{key}"] = (f"{label}, {row['year']}", Decimal(row[key]), "usd")
    detail = trade.get("detail") or {}
    for row in detail.get("pillars", []):
        for key, label in (("exports", _("exports")), ("imports", _("imports"))):
            flat[f"pillar.{detail['year']}.{row['code']}.{key}"] = (
                f"{row['name']} {label}, {detail['year']}",
                Decimal(row[key]),
                "usd",
            )
    exposure = (figures.get("exposure") or {}).get("total") or {}
    labels = {
        "us_duty_cost": (_("US duty cost"), "usd"),
        "counter_duty_exposure": (_("Counter-duty exposure"), "usd"),
        "exports_at_risk_central": (_("Exports at risk (central)"), "usd"),
        "jobs_at_risk_central": (_("Jobs at risk (central)"), "jobs"),
    }
    for key, (label, fmt) in labels.items():
        if exposure.get(key) is not None:
            flat[f"exposure.{key}"] = (str(label), Decimal(exposure[key]), fmt)
    if exposure.get("rank") is not None:
        flat["exposure.rank"] = (str(_("Exposure rank")), Decimal(exposure["rank"]), "int")
    return flat


def packet_compare(*, old: BriefingPacket, new: BriefingPacket) -> dict:
    """What changed between two versions: figures that moved and interactions that are new."""
    before, after = _flat_figures(old.figures), _flat_figures(new.figures)
    moved = []
    for key, (label, value, fmt) in after.items():
        previous = before.get(key)
        if previous is None:
            moved.append({"label": label, "before": None, "after": value, "format": fmt, "delta": None})
        elif previous[1] != value:
            moved.append(
                {"label": label, "before": previous[1], "after": value, "format": fmt, "delta": value - previous[1]}
            )
    removed = [before[key][0] for key in before.keys() - after.keys()]
    old_ids = {row["id"] for row in ((old.figures.get("history") or {}).get("interactions") or [])}
    new_interactions = [
        row for row in ((new.figures.get("history") or {}).get("interactions") or []) if row["id"] not in old_ids
    ]
    return {
        "old": old,
        "new": new,
        "moved": moved,
        "removed": sorted(removed),
        "new_interactions": new_interactions,
        "scenario_changed": (old.scenario_slug, old.scenario_version) != (new.scenario_slug, new.scenario_version),
        "template_changed": (old.template_id, old.template_version) != (new.template_id, new.template_version),
    }
