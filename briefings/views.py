"""Packet pages: list, request, detail (status, versions, what changed), progress fragment, files;
the talking-point library."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_deny

from briefings import selectors, services
from briefings.choices import PacketStatus, TargetKind
from briefings.forms import PacketRequestForm
from briefings.models import BriefingPacket, TalkingPoint
from core.errors import DomainError
from core.permissions import RoleRequiredMixin
from core.selectors import model_history

# The stored packet HTML is a document of its own: it may load its stylesheet and nothing else.
PACKET_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"


def _packet_or_404(request, pk: int) -> BriefingPacket:
    try:
        return selectors.packet_get(user=request.user, pk=pk)
    except BriefingPacket.DoesNotExist:
        raise Http404 from None


class PacketListView(RoleRequiredMixin, View):
    """The packets the user may see, newest first; campaign batches show n of N."""

    def get(self, request):
        kind = request.GET.get("kind") if request.GET.get("kind") in TargetKind.values else ""
        status = request.GET.get("status") if request.GET.get("status") in PacketStatus.values else ""
        page = Paginator(selectors.packet_list(user=request.user, kind=kind, status=status), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "briefings/packet_list.html",
            {
                "page": page,
                "kind": kind,
                "status": status,
                "kinds": TargetKind.choices,
                "statuses": PacketStatus.choices,
            },
        )


class PacketRequestView(RoleRequiredMixin, View):
    """GET shows the full request form (scenario, template); POST queues the packet and shows its page."""

    required_role = BriefingPacket.REQUEST_ROLE

    def get(self, request):
        """The form; with `target_q`, the targets of `target_kind` matching it (the "Find by name" box
        asks for this page and takes the list from it)."""
        initial = {k: request.GET.get(k) for k in ("target_kind", "target_id")}
        query = request.GET.get("target_q", "")
        choices = self._choices(request, request.GET, query)
        if query and choices and not initial.get("target_id"):
            initial["target_id"] = choices[0][0]  # the best match is chosen; the list offers the others
        form = PacketRequestForm(initial=initial, target_choices=choices)
        return render(request, "briefings/packet_request.html", {"form": form, "target_q": query})

    @staticmethod
    def _choices(request, data, query: str = "") -> list[tuple[str, str]]:
        return selectors.packet_target_options(
            user=request.user,
            kind=data.get("target_kind") or TargetKind.PERSON,
            target_id=data.get("target_id", ""),
            query=query,
        )

    def post(self, request):
        form = PacketRequestForm(request.POST, target_choices=self._choices(request, request.POST))
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = services.target_resolve(
                    kind=data["target_kind"], target_id=data["target_id"], user=request.user
                )
                packet = services.packet_request(
                    target_kind=data["target_kind"],
                    target=target,
                    actor=request.user,
                    scenario_slug=data["scenario"] or None,
                    template=data["template"],
                    language=data["language"],  # blank: the packet default
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Packet requested: it is being generated."))
                return redirect("briefings:detail", pk=packet.pk)
        return render(request, "briefings/packet_request.html", {"form": form}, status=400)


class PacketDetailView(RoleRequiredMixin, View):
    """Status, downloads, the other versions of the same target and what changed between two."""

    def get(self, request, pk: int):
        packet = _packet_or_404(request, pk)
        versions = list(selectors.packet_versions(packet=packet, user=request.user))
        comparison = None
        done_versions = [v for v in versions if v.status == PacketStatus.DONE]
        if packet.status == PacketStatus.DONE and len(done_versions) > 1:
            other_id = request.GET.get("compare")
            older = [v for v in done_versions if v.version < packet.version]
            other = next((v for v in done_versions if str(v.pk) == other_id and v.pk != packet.pk), None)
            other = other or (older[0] if older else None)
            if other is not None:
                old, new = sorted((other, packet), key=lambda p: p.version)
                comparison = services.packet_compare(old=old, new=new)
        return render(
            request,
            "briefings/packet_detail.html",
            {
                "packet": packet,
                "versions": versions,
                "done_versions": done_versions,
                "comparison": comparison,
                "progress": selectors.packet_batch_progress(packet=packet) if packet.is_batch else None,
                "children": packet.children.order_by("id") if packet.is_batch else [],
            },
        )


class PacketStatusView(RoleRequiredMixin, View):
    """The progress fragment htmx polls; it stops polling once the packet is finished."""

    def get(self, request, pk: int):
        packet = _packet_or_404(request, pk)
        if request.headers.get("HX-Request") and packet.is_finished:
            # Finished: reload the whole page so the versions table and batch list are current too.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "briefings/_packet_status.html",
            {"packet": packet, "progress": selectors.packet_batch_progress(packet=packet) if packet.is_batch else None},
        )


class PacketHtmlView(RoleRequiredMixin, View):
    """The packet as its own HTML document, exactly as generated."""

    @staticmethod
    def response(packet: BriefingPacket) -> HttpResponse:
        if packet.status != PacketStatus.DONE:
            raise Http404
        response = HttpResponse(packet.html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = PACKET_CSP
        response["Cache-Control"] = "private, no-store"
        return response

    @xframe_options_deny
    def get(self, request, pk: int):
        return self.response(_packet_or_404(request, pk))


class PacketPdfView(RoleRequiredMixin, View):
    """The PDF, streamed after the permission check (MEDIA_ROOT has no public URL)."""

    @staticmethod
    def response(packet: BriefingPacket) -> FileResponse:
        if packet.status != PacketStatus.DONE or not packet.pdf:
            raise Http404
        filename = f"briefing-{packet.target_key.replace(':', '-')}-v{packet.version}.pdf"
        response = FileResponse(packet.pdf.open("rb"), as_attachment=True, filename=filename)
        response["Content-Type"] = "application/pdf"
        response["Cache-Control"] = "private, no-store"
        return response

    def get(self, request, pk: int):
        return self.response(_packet_or_404(request, pk))


class TalkingPointListView(RoleRequiredMixin, View):
    """The talking points packets draw from (edited in admin); Leads and Admins also see their history."""

    def get(self, request):
        page = Paginator(selectors.talking_point_list(), 100).get_page(request.GET.get("page"))
        return render(
            request,
            "briefings/talking_point_list.html",
            {"page": page, "history": model_history(TalkingPoint, request.user)},
        )
