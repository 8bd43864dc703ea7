"""`makemessages` (xgettext) cannot see a translation call inside an f-string's braces, nor translate a
message built by an f-string: such text silently stays English in French. This test finds both."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ("config", "core", "contacts", "trade", "outreach", "briefings")
CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    for inner in ast.walk(value.value):
                        if isinstance(inner, ast.Call) and _name(inner) in CALLS:
                            found.append(f"{path.name}:{inner.lineno}: translation call inside an f-string")
        if (
            isinstance(node, ast.Call)
            and _name(node) in CALLS
            and node.args
            and isinstance(node.args[0], ast.JoinedStr)
        ):
            found.append(f"{path.name}:{node.lineno}: f-string passed to a translation call")
    return found


def test_no_translation_call_hides_in_an_f_string():
    root = Path(settings.BASE_DIR)
    problems = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                problems.extend(_problems(path))
    assert problems == []
