"""Every word a staff member reads on a page comes from a translation tag, so French pages have no English.

The check strips from each template what is translated or is not text (translate/blocktranslate
blocks, comments, tags, variables, scripts and styles, markup) and fails on any word left over, and on
hard-coded English in the attributes people read (title, placeholder, aria-label, alt). The few
leftovers that are not words of either language are listed below with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + sorted(Path(settings.BASE_DIR).glob("*/templates"))

# Leftovers that are data or code, not prose: the spreadsheet column names the import page lists are the
# literal headers a file must carry (the same in both languages), and two-letter state codes or
# committee codes shown as input examples.
ALLOWED_TEXT = {
    "contacts/import_upload.html": re.compile(r"^[a-z_ ]+$"),
    # The language switch names each language in itself, as Canada.ca does.
    "base.html": re.compile(r"^(English|Français)( (English|Français))?$"),
}
ALLOWED_ATTRIBUTE_VALUES = {"MI", "MI, OH", "energy", "autos", "HSWM"}

_BLOCKS = [
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S),
]
_TAGS_AND_VARIABLES = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_MARKUP = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+")
_READ_ATTRIBUTE = re.compile(r'\b(title|placeholder|aria-label|alt)="([^"{]*)"')


def _templates():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")) + sorted(directory.rglob("*.txt")):
            yield path.relative_to(directory).as_posix(), path.read_text(encoding="utf-8")


def _untranslated_text(name: str, source: str) -> list[str]:
    text = source
    for block in _BLOCKS:
        text = block.sub(" ", text)
    text = _MARKUP.sub(" ", _TAGS_AND_VARIABLES.sub(" ", text))
    words = " ".join(_WORD.findall(text))
    allowed = ALLOWED_TEXT.get(name)
    if not words or (allowed and allowed.match(words)):
        return []
    return [words]


def _untranslated_attributes(source: str) -> list[str]:
    return [
        f'{attribute}="{value}"'
        for attribute, value in _READ_ATTRIBUTE.findall(source)
        if _WORD.search(value) and value not in ALLOWED_ATTRIBUTE_VALUES
    ]


def test_the_checker_finds_text_outside_translation_tags():
    assert _untranslated_text("x.html", "<p>{% translate 'Saved' %} Nothing open</p>") == ["Nothing open"]
    assert _untranslated_text("x.html", "<p>{% blocktranslate %}Hello {{ n }}{% endblocktranslate %}</p>") == []
    assert _untranslated_attributes('<input placeholder="Search people">') == ['placeholder="Search people"']
    assert _untranslated_attributes('<input placeholder="{% translate "Search" %}">') == []


def test_every_template_word_is_marked_for_translation():
    found = {}
    for name, source in _templates():
        problems = _untranslated_text(name, source) + _untranslated_attributes(source)
        if problems:
            found[name] = problems
    assert found == {}, f"text outside {{% translate %}} in templates: {found}"
