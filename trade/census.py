"""Building requests to the US Census international trade API (state × HS, Canada) and fetching them."""

from __future__ import annotations

import os
import urllib.parse
import urllib.request

from trade.choices import Flow

CENSUS_BASE = "https://api.census.gov/data/timeseries/intltrade"
CENSUS_FIELDS = {
    Flow.EXPORT: ("exports/statehs", ["STATE", "E_COMMODITY", "CTY_CODE", "ALL_VAL_MO", "ALL_VAL_YR", "YEAR", "MONTH"]),
    Flow.IMPORT: ("imports/statehs", ["STATE", "I_COMMODITY", "CTY_CODE", "GEN_VAL_MO", "GEN_VAL_YR", "YEAR", "MONTH"]),
}
TIMEOUT_SECONDS = 60


def census_statehs_url(*, flow: str, year: int, month: int | None = None, key: str | None = None) -> str:
    """The request for one flow: HS chapters (COMM_LVL=HS2), Canada (CTY_CODE=1220), a month or a whole year.

    The API key comes from the CENSUS_API_KEY environment variable unless given.
    """
    path, fields = CENSUS_FIELDS[Flow(flow)]
    params = {
        "get": ",".join(fields),
        "CTY_CODE": "1220",
        "COMM_LVL": "HS2",
        "time": f"{year}-{month:02d}" if month else str(year),
    }
    key = key if key is not None else os.environ.get("CENSUS_API_KEY", "")
    if key:
        params["key"] = key
    return f"{CENSUS_BASE}/{path}?{urllib.parse.urlencode(params, safe=',')}"


def census_fetch(url: str) -> bytes:
    """GET the URL (the only network call in trade; tests replace it with recorded responses)."""
    # The URL always starts with the fixed https Census base (census_url); no file:// or other scheme.
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
        return response.read()
