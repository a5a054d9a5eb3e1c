"""Who is on the team when: the roster questions every report and the runner ask.

Kept apart from :mod:`salesnb.performance` (which imports SciPy) so that the runner can list the
active reps for the scorecards without importing the analysis stack (about 0.9 CPU-s).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["active_reps"]


def active_reps(reps: pd.DataFrame, *, as_of) -> list[str]:
    """Reps employed on ``as_of``: hired on or before it and not yet left.

    Parameters
    ----------
    reps : DataFrame
        The ``reps`` table (``rep_id``, ``hire_date``, optional ``end_date``).
    as_of : date-like
        Reference date, usually ``ctx.as_of`` or the last day of the report month.

    Returns
    -------
    list of str
        Sorted rep ids; the runner runs ``rep_scorecard.ipynb`` once for each.
    """
    as_of = pd.Timestamp(as_of)
    r = reps.copy()
    for c in ("hire_date", "end_date"):
        if c in r:
            r[c] = pd.to_datetime(r[c])
    ok = pd.Series(True, index=r.index)  # no dates: everyone in the table is on the team
    if "hire_date" in r:
        ok = r["hire_date"].isna() | (r["hire_date"] <= as_of)
    if "end_date" in r:
        ok = ok & (r["end_date"].isna() | (r["end_date"] >= as_of))
    return sorted(r.loc[ok, "rep_id"].astype(str).tolist())
