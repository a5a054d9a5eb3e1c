"""Constants and small helpers shared by the risk modules."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: alert severities, from least to most severe
SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")
#: alert / risk categories (the sections of the risk notebook)
CATEGORIES: tuple[str, ...] = ("concentration", "customer", "pipeline", "anomaly", "operational")
#: the fields of one alert, in this order
ALERT_FIELDS: tuple[str, ...] = (
    "id", "severity", "category", "metric", "entity", "value", "threshold", "first_seen", "message",
)
#: suggested action per risk type (category)
DEFAULT_ACTIONS: dict[str, str] = {
    "concentration": "Diversify: grow the next tier of accounts, products and regions; "
    "multi-year terms with the largest accounts",
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


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if not math.isfinite(f) else round(f, 6)
    if isinstance(v, (pd.Timestamp, pd.Period)):
        return _iso(v)
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if v is pd.NaT:
        return None
    return v if isinstance(v, str) else str(v)


def _first_run_start(flags: Sequence[bool], labels: Sequence[Any]) -> Any:
    """Label where the trailing run of True values starts (None when the last value is False)."""
    f = list(flags)
    if not f or not f[-1]:
        return None
    i = len(f) - 1
    while i > 0 and f[i - 1]:
        i -= 1
    return list(labels)[i]
