from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from briefings import services
from briefings.api.serializers import BriefingPacketRequestSerializer, BriefingPacketSerializer
from briefings.filters import BriefingPacketFilterSet
from briefings.models import BriefingPacket
from briefings.views import PacketHtmlView, PacketPdfView
from core.roles import Role


class BriefingPacketViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Packets the caller may see. Creating one requests generation (202); files need the same access."""

    serializer_class = BriefingPacketSerializer
    filterset_class = BriefingPacketFilterSet
    ordering_fields = ["created_at", "version"]
    read_role = Role.VIEWER
    write_role = BriefingPacket.REQUEST_ROLE

    def get_queryset(self):
        return BriefingPacket.objects.visible_to(self.request.user).with_list_relations().order_by("-created_at", "-id")

    @extend_schema(
        request=BriefingPacketRequestSerializer,
        responses={
            202: BriefingPacketSerializer,
            404: OpenApiResponse(description="No such target, or not visible to this user."),
        },
    )
    def create(self, request, *args, **kwargs):
        payload = BriefingPacketRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        target = services.target_resolve(kind=data["target_kind"], target_id=data["target_id"], user=request.user)
        packet = services.packet_request(
            target_kind=data["target_kind"],
            target=target,
            actor=request.user,
            scenario_slug=data.get("scenario") or None,
            template=data.get("template"),
            language=data.get("language") or "",
        )
        packet.refresh_from_db()
        return Response(self.get_serializer(packet).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def pdf(self, request, pk=None):
        return PacketPdfView.response(self.get_object())

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    def html(self, request, pk=None):
        return PacketHtmlView.response(self.get_object())
