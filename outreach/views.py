from django.views.generic import TemplateView

from core.permissions import RoleRequiredMixin


class DashboardView(RoleRequiredMixin, TemplateView):
    """The home page."""

    template_name = "outreach/dashboard.html"
