from rest_framework.routers import SimpleRouter

from briefings.api.views import BriefingPacketViewSet

router = SimpleRouter(trailing_slash="/?")
router.register("briefings", BriefingPacketViewSet, basename="briefing-packet")

urlpatterns = router.urls
