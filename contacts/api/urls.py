from rest_framework.routers import DefaultRouter

from contacts.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("positions", views.PositionViewSet, basename="position")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
router.register("segments", views.SavedSegmentViewSet, basename="segment")

urlpatterns = router.urls
