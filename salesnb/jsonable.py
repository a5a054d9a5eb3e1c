"""The one JSON policy: how values become JSON (results.json, alerts, artefacts, risk summaries).

- floats are rounded to :data:`salesnb.constants.JSON_DIGITS` (12) significant digits; NaN and
  infinities become ``null``;
- dates and Timestamps become ISO strings (``2026-10-01``; a time of day only when it is not
  midnight); a pandas Period its own label (``2026-10``, ``2026Q4``);
- DataFrames become lists of records, Series and mappings dicts with string keys, sequences lists;
- anything else its ``str``.

:func:`dumps` writes the text (sorted keys, UTF-8 kept) so that a rerun gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from salesnb.constants import JSON_DIGITS

__all__ = ["dumps", "to_jsonable"]


def to_jsonable(value: Any, *, digits: int = JSON_DIGITS) -> Any:
    """Convert numbers, frames, dates and containers to plain JSON values (see the module doc).

    Floats are rounded to ``digits`` significant digits, which keeps every cent of amounts below
    10 billion (so an amount ending in .x5 is never a rounding tie that float noise could flip) and
    drops the last-bit noise of summation order, so that reruns give byte-identical files.
    """
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r, digits=digits) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v, digits=digits) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, digits=digits) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [to_jsonable(v, digits=digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            return None
        return float(f"{v:.{digits}g}")
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return pd.Timestamp(value).isoformat().replace("T00:00:00", "")
    if isinstance(value, pd.Period):
        return str(value)
    return str(value) if not isinstance(value, str) else value


def dumps(value: Any, *, indent: int | None = 1, sort_keys: bool = True) -> str:
    """JSON text of ``value`` under the policy, ending in a newline (UTF-8 characters kept)."""
    return json.dumps(to_jsonable(value), indent=indent, sort_keys=sort_keys,
                      ensure_ascii=False) + "\n"
