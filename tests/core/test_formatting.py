"""core.formatting prints every figure in the active language: English and Government of Canada French."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formatting

NB = "\u00a0"  # the French thousands separator and the space before a unit
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (7448595159, "US$7,448,595,159", f"7{NB}448{NB}595{NB}159{NB}${NB}US"),
        (Decimal("23299152909.49"), "US$23,299,152,909", f"23{NB}299{NB}152{NB}909{NB}${NB}US"),
        (Decimal("0.5"), "US$1", f"1{NB}${NB}US"),
        (0, "US$0", f"0{NB}${NB}US"),
        (-1234.5, f"{MINUS}US$1,235", f"{MINUS}1{NB}235{NB}${NB}US"),
        (Decimal("-0.4"), "US$0", f"0{NB}${NB}US"),
        (None, "—", "—"),
        ("", "—", "—"),
    ],
)
def test_money_is_exact_whole_dollars(value, english, french):
    with translation.override("en"):
        assert formatting.money(value) == english
    with translation.override("fr"):
        assert formatting.money(value) == french


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (7448595159, "US$7.4B", f"7,4{NB}G${NB}US"),
        (1_234_500_000_000, "US$1,234.5B", f"1{NB}234,5{NB}G${NB}US"),
        (Decimal("412000000"), "US$412.0M", f"412,0{NB}M${NB}US"),
        (999_950, "US$1.0M", f"1,0{NB}M${NB}US"),
        (999_949, "US$999.9K", f"999,9{NB}k${NB}US"),
        (999_950_000, "US$1.0B", f"1,0{NB}G${NB}US"),
        (24_725, "US$24.7K", f"24,7{NB}k${NB}US"),
        (Decimal("999.5"), "US$1.0K", f"1,0{NB}k${NB}US"),
        (950, "US$950", f"950{NB}${NB}US"),
        (0, "US$0", f"0{NB}${NB}US"),
        (-1_234_567, f"{MINUS}US$1.2M", f"{MINUS}1,2{NB}M${NB}US"),
        (None, "—", "—"),
    ],
)
def test_money_compact_reads_in_thousands_millions_or_billions_with_one_decimal(value, english, french):
    with translation.override("en"):
        assert formatting.money_compact(value) == english
    with translation.override("fr"):
        assert formatting.money_compact(value) == french


@pytest.mark.parametrize(
    ("value", "places", "english", "french"),
    [
        (Decimal("0.126"), 1, "12.6%", f"12,6{NB}%"),
        (0.0421, 1, "4.2%", f"4,2{NB}%"),
        (Decimal("0.00125"), 2, "0.13%", f"0,13{NB}%"),  # half up, where half to even gives 0.12
        (Decimal("-0.0421"), 2, f"{MINUS}4.21%", f"{MINUS}4,21{NB}%"),
        (1, 0, "100%", f"100{NB}%"),
        (None, 1, "—", "—"),
    ],
)
def test_percent_takes_a_fraction(value, places, english, french):
    with translation.override("en"):
        assert formatting.percent(value, places) == english
    with translation.override("fr"):
        assert formatting.percent(value, places) == french


@pytest.mark.parametrize(
    ("value", "places", "english", "french"),
    [
        (1234.56, 1, "1,234.6", f"1{NB}234,6"),
        (Decimal("23299.15"), 1, "23,299.2", f"23{NB}299,2"),  # half up, not half to even
        (Decimal("2.5"), 0, "3", "3"),
        (-1234, 0, f"{MINUS}1,234", f"{MINUS}1{NB}234"),
        (Decimal("-0.04"), 1, "0.0", "0,0"),
        (7, "2", "7.00", "7,00"),
        (None, 1, "—", "—"),
    ],
)
def test_number(value, places, english, french):
    with translation.override("en"):
        assert formatting.number(value, places) == english
    with translation.override("fr"):
        assert formatting.number(value, places) == french


@pytest.mark.parametrize(
    ("function", "value", "english", "french"),
    [
        (formatting.integer, 1234567, "1,234,567", f"1{NB}234{NB}567"),
        (formatting.integer, Decimal("11487.6"), "11,488", f"11{NB}488"),
        (formatting.integer, -5, f"{MINUS}5", f"{MINUS}5"),
        (formatting.integer, None, "—", "—"),
        (formatting.jobs, Decimal("350.38"), "350", "350"),
        (formatting.jobs, Decimal("11487.5"), "11,488", f"11{NB}488"),
        (formatting.jobs, 0, "0", "0"),
        (formatting.jobs, None, "—", "—"),
        (formatting.jobs_rounded, Decimal("11487.6"), "11,500", f"11{NB}500"),
        (formatting.jobs_rounded, 11449, "11,400", f"11{NB}400"),
        (formatting.jobs_rounded, Decimal("999.5"), "1,000", f"1{NB}000"),
        (formatting.jobs_rounded, Decimal("999.4"), "999", "999"),
        (formatting.jobs_rounded, Decimal("350.38"), "350", "350"),
        (formatting.jobs_rounded, -1250, f"{MINUS}1,300", f"{MINUS}1{NB}300"),
        (formatting.jobs_rounded, None, "—", "—"),
        (formatting.millions, 219_625, "0.2", "0,2"),
        (formatting.millions, Decimal("23299150000"), "23,299.2", f"23{NB}299,2"),
        (formatting.millions, -2_500_000, f"{MINUS}2.5", f"{MINUS}2,5"),
        (formatting.millions, None, "—", "—"),
        (formatting.billions, 7448595159, "7.4", "7,4"),
        (formatting.billions, None, "—", "—"),
    ],
)
def test_counts_and_scaled_amounts(function, value, english, french):
    with translation.override("en"):
        assert function(value) == english
    with translation.override("fr"):
        assert function(value) == french


def test_millions_takes_its_decimals():
    with translation.override("fr"):
        assert formatting.millions(1_234_567_890, 0) == f"1{NB}235"


@pytest.mark.parametrize(
    "value",
    [datetime.date(2026, 12, 4), datetime.datetime(2026, 12, 4, 15, 30), "2026-12-04", "2026-12-04T15:30:00+00:00"],
)
def test_date_uses_the_language_long_form(value):
    with translation.override("en"):
        assert formatting.date(value) == "Dec. 4, 2026"
    with translation.override("fr"):
        assert formatting.date(value) == "4 décembre 2026"


def test_date_missing_or_not_a_date():
    assert formatting.date(None) == "—"
    assert formatting.date("") == "—"
    assert formatting.date("soon") == "soon"


def test_template_filters_print_what_the_functions_print():
    template = Template(
        "{% load formatting %}{{ a|money }}|{{ a|money_compact }}|{{ a|millions }}|{{ a|billions }}|"
        "{{ s|percent }}|{{ s|percent:2 }}|{{ j|jobs }}|{{ j|integer }}|{{ j|number:1 }}|{{ d|local_date }}|"
        "{{ missing|money_compact }}"
    )
    context = Context(
        {"a": 7448595159, "s": Decimal("0.1264"), "j": Decimal("1234.56"), "d": datetime.date(2026, 1, 5)}
    )
    with translation.override("en"):
        assert template.render(context) == (
            "US$7,448,595,159|US$7.4B|7,448.6|7.4|12.6%|12.64%|1,235|1,235|1,234.6|Jan. 5, 2026|—"
        )
    with translation.override("fr"):
        assert template.render(context) == (
            f"7{NB}448{NB}595{NB}159{NB}${NB}US|7,4{NB}G${NB}US|7{NB}448,6|7,4|12,6{NB}%|12,64{NB}%|1{NB}235|"
            f"1{NB}235|1{NB}234,6|5 janvier 2026|—"
        )


def test_old_library_names_print_through_the_same_functions():
    template = Template(
        "{% load trade_format %}{{ a|millions }}|{{ s|percent }}|{{ j|whole }}"
        "{% load briefing_format %}|{{ a|usd }}|{{ a|usd_short }}|{{ s|percent }}|{{ j|jobs }}"
    )
    context = Context({"a": -7448595159, "s": Decimal("0.0123"), "j": 11488})
    with translation.override("fr"):
        assert template.render(context) == (
            f"{MINUS}7{NB}448,6|1,23{NB}%|11{NB}488|{MINUS}7{NB}448{NB}595{NB}159{NB}${NB}US|"
            f"{MINUS}7,4{NB}G${NB}US|1,2{NB}%|11{NB}488"
        )
