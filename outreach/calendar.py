"""The ICS (RFC 5545) feed of a staff member's meetings.

Events carry who, when, where and a link back: summaries and notes never leave the app through a
calendar, which may be synced to third-party services.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from core.exports import neutralise
from outreach.selectors import upcoming_meetings

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 365


def _escape(text: str) -> str:
    """RFC 5545 text escaping, after the export-wide formula neutralising: calendar clients export
    events to CSV, and a location typed as `=HYPERLINK(...)` must stay inert there too."""
    text = neutralise(text)
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_feed(*, user, base_url: str, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    meetings = upcoming_meetings(
        user=user, now=now - dt.timedelta(days=FEED_PAST_DAYS), days=FEED_PAST_DAYS + FEED_FUTURE_DAYS
    )
    host = base_url.split("//", 1)[-1].strip("/").split(":")[0] or "envoy-crm"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Envoy CRM//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Envoy CRM meetings",
    ]
    for meeting in meetings:
        who = ", ".join([str(p) for p in meeting.people.all()] + [str(o) for o in meeting.organizations.all()])
        lines += [
            "BEGIN:VEVENT",
            f"UID:interaction-{meeting.pk}@{host}",
            f"DTSTAMP:{_stamp(meeting.updated_at)}",
            f"DTSTART:{_stamp(meeting.occurred_at)}",
            f"DTEND:{_stamp(meeting.ends_at)}",
            f"SUMMARY:{_escape(f'{meeting.get_kind_display()}: {who}')}",
        ]
        if meeting.location:
            lines.append(f"LOCATION:{_escape(meeting.location)}")
        lines.append(f"URL:{base_url.rstrip('/')}{reverse('interaction-detail', args=[meeting.pk])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
