"""The main navigation: one list, used by the base template."""

from django.utils.translation import gettext_lazy as _

from core.roles import Role

MAIN_NAVIGATION = [
    ("dashboard", _("Dashboard"), "/", Role.VIEWER),
    ("stakeholders", _("Stakeholders"), "/stakeholders/", Role.VIEWER),
    ("states", _("States"), "/states/", Role.VIEWER),
    ("interactions", _("Interactions"), "/interactions/", Role.VIEWER),
    ("follow-ups", _("Follow-ups"), "/follow-ups/", Role.VIEWER),
    ("campaigns", _("Campaigns"), "/campaigns/", Role.VIEWER),
    ("briefings", _("Briefings"), "/briefings/", Role.VIEWER),
    ("admin", _("Admin"), "/admin/", Role.ADMIN),
]
