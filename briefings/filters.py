import django_filters

from briefings.choices import PacketStatus, TargetKind
from briefings.models import BriefingPacket


class BriefingPacketFilterSet(django_filters.FilterSet):
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices)
    status = django_filters.ChoiceFilter(choices=PacketStatus.choices)
    target_key = django_filters.CharFilter()

    class Meta:
        model = BriefingPacket
        fields = ["target_kind", "status", "target_key"]
