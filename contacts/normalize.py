"""Normalised keys used to match records: names, emails and phone numbers.

Kept in one small module because imports, duplicate detection and model saves must agree exactly.
"""

from __future__ import annotations

import re
import unicodedata

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "hon", "the", "sen", "senator", "rep", "representative",
    "gov", "governor", "sir", "dame", "rev",
}  # fmt: skip
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq"}
ORG_NOISE = {"the", "inc", "llc", "ltd", "corp", "corporation", "co", "company", "of", "and"}


def _ascii_words(value: str) -> list[str]:
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    return re.findall(r"[a-z0-9]+", text)


def search_words(value: str) -> list[str]:
    """The words of a name or query as search compares them: lower-case ASCII letters and digits."""
    return _ascii_words(value)


def person_name_key(*, first_name: str, last_name: str) -> str:
    """`first last`, lower-case ASCII, without honorifics, middle names or suffixes.

    "Hon. Frank Pallone, Jr." and "frank pallone" give the same key.
    """
    first = [w for w in _ascii_words(first_name) if w not in HONORIFICS]
    last = [w for w in _ascii_words(last_name) if w not in SUFFIXES]
    return " ".join(([first[0]] if first else []) + last)


def organization_name_key(name: str) -> str:
    return " ".join(w for w in _ascii_words(name) if w not in ORG_NOISE)


def email_key(value: str) -> str:
    return (value or "").strip().lower()


def phone_key(value: str) -> str:
    """Digits only, without a leading North American country code 1."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def contact_value_key(*, kind: str, value: str) -> str:
    if kind == "email":
        return email_key(value)
    if kind in {"phone", "mobile", "fax"}:
        return phone_key(value)
    return (value or "").strip().lower()[:500]


def split_full_name(*, full_name: str, last_name: str) -> tuple[str, str, str]:
    """(first, middle, suffix) from a full name whose last name is known.

    "Nicholas J. Begich III" with last name "Begich" gives ("Nicholas", "J.", "III").
    """
    index = full_name.rfind(last_name) if last_name else -1
    if index < 0:
        words = full_name.split()
        return (words[0] if words else "", " ".join(words[1:-1]), "")
    before = full_name[:index].strip().rstrip(",").split()
    after = full_name[index + len(last_name) :].strip().lstrip(",").strip()
    return (before[0] if before else "", " ".join(before[1:]), after)
