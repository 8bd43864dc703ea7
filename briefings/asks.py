"""Recommended asks: plain rules over the assembled packet (stance, open commitments, exposure, seats).

Rules, not a model: each ask says why it is suggested, so staff can judge it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from contacts.choices import Stance
from core import formatting


def recommended_asks(*, context: dict) -> list[dict]:
    asks: list[dict] = []
    person = context.get("person")
    organization = context.get("organization")
    state = context.get("state")
    exposure = context.get("exposure")
    history = context.get("history") or {}
    name = (person or {}).get("name") or (organization or {}).get("name") or (state or {}).get("name", "")

    for commitment in history.get("commitments", [])[:3]:
        if commitment["party"] == "them":
            asks.append(
                {
                    "text": _("Ask for an update on what they committed to on %(date)s: %(what)s")
                    % {"date": formatting.date(commitment["since"]), "what": commitment["description"]},
                    "why": _("Open commitment by them."),
                }
            )
    if exposure and state:
        total = exposure["total"]
        values = {"name": name, "state": state["name"], "duty": formatting.money_compact(total["us_duty_cost"])}
        if Decimal(total["jobs_at_risk_central"] or 0) > 0:
            text = _(
                "Ask %(name)s to say publicly what the scenario would cost %(state)s: %(duty)s in US duties on "
                "imports from Canada and about %(jobs)s jobs at risk (central estimate)."
            ) % {**values, "jobs": formatting.jobs_rounded(total["jobs_at_risk_central"])}
        else:
            text = (
                _(
                    "Ask %(name)s to say publicly what the scenario would cost %(state)s: %(duty)s in US duties on "
                    "imports from Canada, paid by the state's importers and consumers."
                )
                % values
            )
        asks.append({"text": text, "why": _("Exposure under the chosen scenario.")})
        if exposure["pillars"]:
            top = max(exposure["pillars"], key=lambda row: float(row["us_duty_cost"] or 0))
            asks.append(
                {
                    "text": _(
                        "Ask for support for keeping %(pillar)s supply chains integrated (tariff-free under USMCA)."
                    )
                    % {"pillar": top["name"].lower()},
                    "why": _("%(pillar)s carries the largest duty cost for %(state)s (%(duty)s).")
                    % {
                        "pillar": top["name"],
                        "state": state["name"],
                        "duty": formatting.money_compact(top["us_duty_cost"]),
                    },
                }
            )
    if person:
        stance = person.get("stance")
        because = _("Recorded stance: %(stance)s.") % {"stance": person["stance_label"]}
        if stance in (Stance.CHAMPION, Stance.SUPPORTIVE):
            text = _("Ask them to lead or co-sign a letter to the administration on the state's trade with Canada.")
        elif stance in (Stance.SKEPTICAL, Stance.OPPOSED):
            text = _("Ask what evidence would change their view, and offer a staff briefing on state-level figures.")
        else:
            text = _("Ask for a follow-up meeting with their trade staff to walk through the state's supply chains.")
            because = _("Stance not yet known or neutral.")
        asks.append({"text": text, "why": because})
        if person.get("committees"):
            asks.append(
                {
                    "text": _("Ask them to raise the cost to their state in committee (%(committee)s).")
                    % {"committee": person["committees"][0]["name"]},
                    "why": _("Sits on a committee with trade jurisdiction."),
                }
            )
    if not history.get("interactions") and (person or organization):
        asks.append({"text": _("Ask for an introductory meeting."), "why": _("No interaction recorded yet.")})
    return asks
