from django.urls import path

from outreach import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
