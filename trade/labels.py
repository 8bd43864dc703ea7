"""French (and any other language's) names for the bundled reference data.

Scenario and pillar names are stored in English, as the bundled data spells them, so imports, the API
and audit history keep one stable value. The names the bundle ships are listed here with
`gettext_noop`, so `makemessages` puts them in the catalogue and translators translate them with the
rest of the interface; `reference_label` reads a stored name in the active language. A name staff
typed themselves has no catalogue entry and reads as typed.
"""

from django.utils.translation import gettext, gettext_noop

BUNDLED_SCENARIO_NAMES = (
    gettext_noop("Status quo (no new duties)"),
    # xgettext:no-python-format
    gettext_noop("US 25% on Canadian goods, 10% on energy"),
    gettext_noop("US 25% / 10% energy, USMCA-compliant goods exempt"),
    gettext_noop("US duties (USMCA exempt) and Canada's 2025 counter-tariffs"),
    gettext_noop("In force today"),
    gettext_noop("Regime on 2025-03-07"),
    gettext_noop("Regime on 2025-08-01 (peak)"),
    gettext_noop("Regime on 2026-02-24"),
    gettext_noop("Today, if the US leaves CUSMA"),
    gettext_noop("Today, with Section 232 relief for Canadian autos"),
    gettext_noop("Today, with Section 122 renewed at 15 % without the CUSMA exemption"),
)


def reference_label(name: str) -> str:
    """A stored reference-data name in the active language (unchanged when the catalogue has none)."""
    return gettext(name) if name else name
