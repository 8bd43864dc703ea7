"""Bundled reference data in both official languages: which of a pair of texts a reader sees.

The bundle ships HS chapter names, tariff-measure titles and caveats, scenario descriptions and the
jobs-ratio citation in English and French (`name` / `name_fr`, ...). The English column stays the
stable value that imports, the API and the audit history use; the French one is what a French reader
sees on pages and in packets. A row staff added with no French reads in English rather than blank.
"""

from django.utils.translation import get_language


def in_active_language(english: str, french: str) -> str:
    """`french` when the active language is French and a French text exists, else `english`."""
    if french and (get_language() or "").split("-")[0] == "fr":
        return french
    return english
