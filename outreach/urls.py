from django.urls import path

from outreach import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("interactions/", views.InteractionListView.as_view(), name="interactions"),
    path("interactions/new/", views.InteractionCreateView.as_view(), name="interaction-new"),
    path("interactions/people-options/", views.PeopleOptionsView.as_view(), name="interaction-people-options"),
    path("interactions/export.csv", views.InteractionExportView.as_view(), name="interaction-export"),
    path("interactions/<int:pk>/", views.InteractionDetailView.as_view(), name="interaction-detail"),
    path("commitments/<int:pk>/status/", views.CommitmentResolveView.as_view(), name="commitment-status"),
    path("commitments/<int:pk>/owner/", views.CommitmentOwnerView.as_view(), name="commitment-owner"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-ups"),
    path("follow-ups/new/", views.FollowUpCreateView.as_view(), name="follow-up-new"),
    path("follow-ups/<int:pk>/done/", views.FollowUpCloseView.as_view(action="done"), name="follow-up-done"),
    path("follow-ups/<int:pk>/cancel/", views.FollowUpCloseView.as_view(action="cancel"), name="follow-up-cancel"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/token/", views.CalendarTokenView.as_view(), name="calendar-token"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-new"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/targets/add/", views.CampaignTargetsAddView.as_view(), name="campaign-targets-add"),
    path(
        "campaigns/<int:pk>/targets/<int:target_pk>/status/",
        views.CampaignTargetStatusView.as_view(),
        name="campaign-target-status",
    ),
    path("priorities/", views.PriorityListView.as_view(), name="priorities"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
