"""Fail when the French catalogue is behind the code or not fully translated; the tree is left as it was.

Runs `makemessages` the way `make messages` does, on a copy of the project's sources, and compares its
message ids with the committed catalogue; then `msgfmt --check --statistics` on the committed one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
IGNORED = {".venv", "var", "node_modules", "bench", ".git", "tests", ".pytest_cache", ".ruff_cache"}


def _ids(path: Path) -> set[tuple[str, str]]:
    import polib

    return {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def main() -> int:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("i18n-check: msgfmt (GNU gettext) is not installed.", file=sys.stderr)
        return 2
    if not CATALOGUE.exists():
        print(f"i18n-check: {CATALOGUE.relative_to(ROOT)} is missing: run `make messages`.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(ROOT, copy, ignore=lambda directory, names: [n for n in names if n in IGNORED])
        command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"]
        command += ["--ignore=.venv", "--ignore=var", "--ignore=node_modules", "--ignore=bench", "--ignore=tests"]
        # Fixed arguments, no user input: this interpreter running the project's own manage.py.
        subprocess.run(command, cwd=copy, check=True, capture_output=True, env={**os.environ})  # noqa: S603
        missing = _ids(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po") - _ids(CATALOGUE)
    problems = 0
    if missing:
        problems += 1
        print(f"i18n-check: {len(missing)} string(s) in the code are not in the catalogue (run `make messages`):")
        for context, msgid in sorted(missing)[:40]:
            print(f"  {context + ' | ' if context else ''}{msgid[:100]!r}")
    result = subprocess.run(  # noqa: S603 - fixed arguments: msgfmt on the committed catalogue
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(CATALOGUE)], capture_output=True, text=True
    )
    statistics = (result.stderr or result.stdout).strip()
    if result.returncode != 0 or re.search(r"fuzzy|untranslated", statistics):
        problems += 1
        print(f"i18n-check: the catalogue is not complete: {statistics}")
    if not problems:
        print(f"i18n-check: catalogue complete and current ({statistics})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
