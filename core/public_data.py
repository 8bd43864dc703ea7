"""`load_public_data` runs each app's loaders in dependency order.

An app lists its loaders as dotted paths in its AppConfig's `public_data_loaders`; each loader is a
callable `loader(*, stdout) -> None` that is idempotent (running it twice changes nothing).
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string


def public_data_loaders() -> list[str]:
    found: list[str] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "public_data_loaders", []))
    return found


def public_data_load(*, stdout, only: list[str] | None = None) -> None:
    for dotted in public_data_loaders():
        if only and not any(token in dotted for token in only):
            continue
        stdout.write(f"== {dotted}")
        import_string(dotted)(stdout=stdout)
