from django.urls import path

from trade import views

app_name = "trade"

urlpatterns = [
    path("states/", views.state_list, name="state-list"),
    path("states/<str:code>/", views.state_detail, name="state-detail"),
    path("scenarios/", views.scenario_list, name="scenario-list"),
    path("scenarios/compare/", views.scenario_compare, name="scenario-compare"),
    path("tariffs/", views.tariff_timeline, name="tariff-timeline"),
    path("tariffs/<slug:slug>/edit/", views.tariff_measure_edit, name="tariff-measure-edit"),
    path("data-releases/", views.release_list, name="release-list"),
]
