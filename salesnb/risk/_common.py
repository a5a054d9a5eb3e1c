"""Constants and small helpers shared by the risk modules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from salesnb.constants import SEVERITIES  # noqa: F401 - alert severities, least to most severe
from salesnb.jsonable import to_jsonable

#: alert / risk categories (the sections of the risk notebook)
CATEGORIES: tuple[str, ...] = ("concentration", "customer", "pipeline", "anomaly", "operational")
#: the fields of one alert, in this order
ALERT_FIELDS: tuple[str, ...] = (
    "id", "severity", "category", "metric", "entity", "value", "threshold", "first_seen", "message",
)
#: suggested action per risk type (category), or per ``category:entity`` where one sentence cannot
#: fit every entity (a concentration of products is not mended by new accounts)
DEFAULT_ACTIONS: dict[str, str] = {
    "concentration": "Diversify: reduce the dependence on the largest few",
    "concentration:customers": "Diversify: grow the next tier of accounts; "
    "multi-year terms with the largest accounts",
    "concentration:products": "Broaden the product mix: cross-sell the smaller products "
    "to existing customers",
    "concentration:regions": "Grow the smaller regions: coverage and campaigns outside "
    "the largest one",
    "customer": "Win back: account review and outreach to overdue high-value customers",
    "pipeline": "Build pipeline: prospecting push, review stalled and slipped deals with reps",
    "anomaly": "Investigate the flagged region/week: data issue, lost deal, or market shift",
    "operational": "Tighten discount approval; reassign accounts of departed reps; "
    "add a second contact to single-rep key accounts",
}
#: default owner per risk type (override with a parameter)
DEFAULT_OWNERS: dict[str, str] = {
    "concentration": "Head of Sales",
    "customer": "Customer Success",
    "pipeline": "Sales Managers",
    "anomaly": "Sales Operations",
    "operational": "Sales Operations",
}


def _ts(x: Any) -> pd.Timestamp:
    return pd.Timestamp(x)


def _iso(x: Any) -> str | None:
    """ISO date (YYYY-MM-DD) of a date-like, a Period's start, or None."""
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, pd.Period):
        x = x.start_time
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        return str(x)
    if pd.isna(ts):
        return None
    return ts.strftime("%Y-%m-%d")


#: the one JSON policy (12 significant digits, ISO dates): alerts, the register and the summary
_jsonable = to_jsonable


def _first_run_start(flags: Sequence[bool], labels: Sequence[Any]) -> Any:
    """Label where the trailing run of True values starts (None when the last value is False)."""
    f = list(flags)
    if not f or not f[-1]:
        return None
    i = len(f) - 1
    while i > 0 and f[i - 1]:
        i -= 1
    return list(labels)[i]
