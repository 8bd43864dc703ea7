"""Figures cached under a key made of what they are computed from (a "version"), not a timer.

Callers read a few cheap values that change whenever the figures could (ids, latest write times,
a snapshot id) and pass them as `version`; a changed input gives a new key, so nobody ever reads a
stale figure and nothing has to invalidate anything. The timeout only bounds memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def cached_by_version(name: str, version: tuple, compute: Callable[[], T], *, timeout: int) -> T:
    """`compute()`'s result, cached under `name` and a digest of `version` for at most `timeout` s."""
    key = f"{name}:" + hashlib.sha256(repr(version).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
