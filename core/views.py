from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.health import broker_is_up, database_is_up


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 when the database answers, 503 when it does not."""
    database_ok = database_is_up()
    body = {"database": "ok" if database_ok else "unavailable", "broker": "ok" if broker_is_up() else "unavailable"}
    return JsonResponse(body, status=200 if database_ok else 503)


class SwaggerUIView(SpectacularSwaggerSplitView):
    """Swagger UI from local files, with its initializer as a script file and no inline style,
    so it works under the Content-Security-Policy."""

    template_name = "core/swagger_ui.html"


def page_not_found(request, exception):
    """404 for a URL that matches no route: the API error envelope under /api/, the 404 page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": "Not found.", "details": {}}}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)
