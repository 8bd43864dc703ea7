from django.urls import path

from briefings import views

app_name = "briefings"

urlpatterns = [
    path("briefings/", views.PacketListView.as_view(), name="list"),
    path("briefings/request/", views.PacketRequestView.as_view(), name="request"),
    path("briefings/talking-points/", views.TalkingPointListView.as_view(), name="talking-points"),
    path("briefings/<int:pk>/", views.PacketDetailView.as_view(), name="detail"),
    path("briefings/<int:pk>/status/", views.PacketStatusView.as_view(), name="status"),
    path("briefings/<int:pk>/html/", views.PacketHtmlView.as_view(), name="html"),
    path("briefings/<int:pk>/pdf/", views.PacketPdfView.as_view(), name="pdf"),
]
