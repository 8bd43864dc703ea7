from django.urls import path
from rest_framework.routers import SimpleRouter

from briefings.api.views import BriefingPacketViewSet

router = SimpleRouter()
router.register("briefings", BriefingPacketViewSet, basename="briefing-packet")

# The file endpoints are named without a trailing slash: they return files, not resources.
urlpatterns = [
    *router.urls,
    path("briefings/<int:pk>/pdf", BriefingPacketViewSet.as_view({"get": "pdf"}), name="briefing-packet-pdf"),
    path("briefings/<int:pk>/html", BriefingPacketViewSet.as_view({"get": "html"}), name="briefing-packet-html"),
]
