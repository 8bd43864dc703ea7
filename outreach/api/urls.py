from django.urls import path
from rest_framework.routers import SimpleRouter

from outreach.api import views

router = SimpleRouter()
router.register("interactions", views.InteractionViewSet, basename="api-interaction")
router.register("follow-ups", views.FollowUpViewSet, basename="api-follow-up")
router.register("campaigns", views.CampaignViewSet, basename="api-campaign")

urlpatterns = [
    path("priorities/", views.PriorityListView.as_view(), name="api-priorities"),
    *router.urls,
]
