"""Recommended asks print their figures through core.formatting: compact money, jobs to the hundred."""

from django.utils import translation

from briefings.asks import recommended_asks

CONTEXT = {
    "state": {"name": "Michigan"},
    "exposure": {
        "total": {"us_duty_cost": "7448595159.00", "jobs_at_risk_central": "11487.60"},
        "pillars": [{"name": "Autos", "us_duty_cost": "412000000.00"}],
    },
    "history": {"commitments": [{"party": "them", "since": "2026-03-05", "description": "a letter"}]},
}


def test_asks_in_english():
    with translation.override("en"):
        texts = [ask["text"] + " " + ask["why"] for ask in recommended_asks(context=CONTEXT)]
    assert "committed to on March 5, 2026: a letter" in texts[0]
    assert "US$7.4B in US duties" in texts[1] and "about 11,500 jobs at risk" in texts[1]
    assert "(US$412.0M)" in texts[2]


def test_asks_in_french_print_french_figures_and_dates():
    with translation.override("fr"):
        texts = [ask["text"] + " " + ask["why"] for ask in recommended_asks(context=CONTEXT)]
    assert "5 mars 2026" in texts[0]
    assert "7,4\xa0G$\xa0US" in texts[1] and "11\xa0500" in texts[1]
    assert "412,0\xa0M$\xa0US" in texts[2]
