"""Root URL configuration: pages per app, the API under /api/, admin, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core import views as core_views

api_patterns = [
    path("", include("trade.api.urls")),
    path("", include("contacts.api.urls")),
    path("", include("outreach.api.urls")),
    path("", include("briefings.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", core_views.SwaggerUIView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("core.urls")),
    path("", include("trade.urls")),
    path("", include("contacts.urls")),
    path("", include("outreach.urls")),
    path("", include("briefings.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]

# Unmatched /api/ paths answer with the API's JSON error envelope, like every other API error.
handler404 = "core.views.page_not_found"
