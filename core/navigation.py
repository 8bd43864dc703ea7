"""The main navigation: one list, used by the base template. Every page a role can use is reachable from it."""

from django.utils.translation import gettext_lazy as _

from core.roles import Role

MAIN_NAVIGATION = [
    ("dashboard", _("Dashboard"), "/", Role.VIEWER),
    ("priorities", _("Who to call next"), "/priorities/", Role.VIEWER),
    ("stakeholders", _("Stakeholders"), "/stakeholders/", Role.VIEWER),
    ("organizations", _("Organizations"), "/organizations/", Role.VIEWER),
    ("states", _("States"), "/states/", Role.VIEWER),
    ("coverage", _("Coverage"), "/coverage/", Role.VIEWER),
    ("scenarios", _("Scenarios"), "/scenarios/", Role.VIEWER),
    ("interactions", _("Interactions"), "/interactions/", Role.VIEWER),
    ("follow-ups", _("Follow-ups"), "/follow-ups/", Role.VIEWER),
    ("calendar", _("Calendar"), "/calendar/", Role.VIEWER),
    ("campaigns", _("Campaigns"), "/campaigns/", Role.VIEWER),
    ("briefings", _("Briefings"), "/briefings/", Role.VIEWER),
    ("import", _("Import"), "/stakeholders/import/", Role.OFFICER),
    ("admin", _("Admin"), "/admin/", Role.ADMIN),
]
