"""Template filters for figures: `{% load formatting %}`, then `{{ amount|money_compact }}` and so on.

Each filter is the function of the same name in `core.formatting`, so a template prints a figure exactly
as Python code (charts, packets, map legends) does, in the active language.
"""

from django import template

from core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("money_compact", formatting.money_compact)
register.filter("millions", formatting.millions)
register.filter("billions", formatting.billions)
register.filter("percent", formatting.percent)
register.filter("number", formatting.number)
register.filter("integer", formatting.integer)
register.filter("jobs", formatting.jobs)
register.filter("jobs_rounded", formatting.jobs_rounded)
register.filter("local_date", formatting.date)
