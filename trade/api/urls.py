from rest_framework.routers import SimpleRouter

from trade.api import views

router = SimpleRouter()
router.register("states", views.StateViewSet, basename="api-state")
router.register("scenarios", views.TariffScenarioViewSet, basename="api-scenario")
router.register("tariff-measures", views.TariffMeasureViewSet, basename="api-tariff-measure")
router.register("exposure", views.ExposureViewSet, basename="api-exposure")
router.register("data-releases", views.DataReleaseViewSet, basename="api-data-release")

urlpatterns = router.urls
