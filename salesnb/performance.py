"""Performance review: attainment, funnel, cycle length, honest rep comparison, coaching, incentives.

Every function here is pure: it takes tidy pandas frames (small aggregates produced in the engine by
:mod:`salesnb.data.performance_queries`, or the opportunity tables, which are small), returns tidy
frames or small result objects, and does no I/O and no printing.

Conventions
-----------
- Periods are ``"YYYY-MM"`` strings; windows are half-open ``[start, end)``.
- Rates are fractions (0.25 = 25 %); "pp" columns are differences of fractions.
- Stage order follows :data:`salesnb.data.contract.STAGES`: the open stages, then ``Closed Won``;
  ``Closed Lost`` ends a deal at whatever stage it had reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from salesnb import fmt
from salesnb.data.contract import OPEN_STAGES
from salesnb.i18n import Message, Verbatim, col_label, listing, tr
from salesnb.periods import closed_ahead, is_now, period_label
from salesnb.roster import active_reps  # noqa: F401 - part of this module's API (pf.active_reps)

__all__ = [
    "CORRECTION_WORDS",
    "REP_TABLES",
    "TRAINING_FOCUS",
    "CycleLength",
    "DiDResult",
    "WinRatePosterior",
    "active_reps",
    "attainment",
    "beta_binomial_prior",
    "beyond_chance",
    "coaching_list",
    "commission",
    "commission_plan",
    "compare_to_peers",
    "correction_words",
    "cumulative_incidence",
    "cycle_length",
    "did",
    "forecast_calibration",
    "funnel_limits",
    "funnel_dates_note",
    "funnel_metrics",
    "funnel_pipeline_note",
    "funnel_view",
    "km_curve",
    "payouts",
    "peers_view",
    "peers_caption",
    "peer_percentile",
    "funnel_caption",
    "qualified_note",
    "LOWER_IS_BETTER",
    "product_table",
    "product_windows",
    "no_action_note",
    "rep_revenue_table",
    "rep_revenue_row",
    "no_attainment_note",
    "no_coaching_note",
    "rollup_actuals",
    "share_change_p",
    "share_change_z",
    "shrink_win_rates",
    "pipelines_of",
    "stage_conversion",
    "stage_label",
    "stage_tests",
    "team_tables",
    "top_and_flagged",
    "training_effect",
    "training_feasibility",
    "two_proportion_test",
    "win_rate_posterior",
    "losses_check",
    "losses_note",
    "unrecorded_losses_note",
]

WON, LOST = "Closed Won", "Closed Lost"
WINDOWS = ("MTD", "QTD", "YTD")

#: suggested training focus when a rep converts a stage significantly worse than peers
TRAINING_FOCUS: dict[str, str] = {
    "Prospecting": "prospecting and lead qualification (ideal customer profile, first-call scripts)",
    "Qualification": "discovery and qualification (pain, budget, authority, timing)",
    "Proposal": "value proposition and proposal writing (business case, ROI)",
    "Negotiation": "negotiation and closing (objection handling, concessions, mutual close plan)",
}


# --------------------------------------------------------------------------- helpers
def _groups(df: pd.DataFrame, by: Sequence[str]):
    """``groupby`` that also works with ``by=()`` (one group holding every row)."""
    by = list(by)
    if by:
        yield from df.groupby(by, dropna=False, sort=True, observed=True)
    else:
        yield (), df


def _key(by: Sequence[str], key: Any) -> dict[str, Any]:
    key = key if isinstance(key, tuple) else (key,)
    return dict(zip(list(by), key, strict=True))


def _ts(x) -> pd.Timestamp | None:
    return None if x is None or x == "" else pd.Timestamp(x)


def _dates(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    df = df.copy()
    for c in cols:
        if c in df:
            df[c] = pd.to_datetime(df[c])
    return df


def _period_str(p) -> pd.Series:
    return period_label(p, "M")  # the convention of salesnb.periods


def _div(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


# --------------------------------------------------------------------------- attainment
def rollup_actuals(
    rep_months: pd.DataFrame,
    reps: pd.DataFrame | None = None,
    *,
    amount: str = "revenue",
    levels: Sequence[str] = ("company", "region", "team", "rep"),
) -> pd.DataFrame:
    """Roll rep-month actuals up the sales hierarchy into the shape of the ``targets`` table.

    Parameters
    ----------
    rep_months : DataFrame
        ``period`` (``"YYYY-MM"`` or Timestamp), ``rep_id`` (may be missing for unassigned orders)
        and ``amount``.
    reps : DataFrame, optional
        ``rep_id``, ``team``, ``region``; needed for the team and region levels (a rep's team and
        region, so that the levels add up like the targets of a goal decomposition).
    amount : str
        Column holding the actual values.
    levels : sequence of {"company", "region", "team", "rep"}

    Returns
    -------
    DataFrame
        ``period``, ``level``, ``key``, ``amount``; the company key is ``"all"``. Orders without a
        rep count only at company level.
    """
    df = rep_months.copy()
    df["period"] = _period_str(df["period"]).to_numpy()
    df = df.rename(columns={amount: "amount"})
    if reps is not None and {"team", "region"} - set(df.columns):
        cols = [c for c in ("rep_id", "team", "region") if c in reps and c not in df or c == "rep_id"]
        df = df.merge(reps[cols], on="rep_id", how="left")
    out = []
    for level in levels:
        if level == "company":
            g = df.groupby("period", as_index=False)["amount"].sum()
            g["key"] = "all"
        else:
            col = "rep_id" if level == "rep" else level
            if col not in df:
                continue
            g = df.dropna(subset=[col]).groupby(["period", col], as_index=False)["amount"].sum()
            g = g.rename(columns={col: "key"})
        g["level"] = level
        out.append(g[["period", "level", "key", "amount"]])
    res = pd.concat(out, ignore_index=True)
    res["key"] = res["key"].astype(str)
    return res


def _window_months(month: str, window: str, *, fiscal_year_start: int = 1) -> list[str]:
    p = pd.Period(month, freq="M")
    if window == "MTD":
        first = p
    elif window == "QTD":  # the fiscal quarter: quarters start in fiscal_year_start, +3, +6, +9
        first = p - (p.month - fiscal_year_start) % 3
    elif window == "YTD":
        first = p - (p.month - fiscal_year_start) % 12
    else:
        raise ValueError(f"window must be one of {WINDOWS}, got {window!r}")
    return [str(q) for q in pd.period_range(first, p, freq="M")]


def attainment(
    actuals: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    month: str,
    windows: Sequence[str] = WINDOWS,
    levels: Sequence[str] | None = None,
    fiscal_year_start: int = 1,
) -> pd.DataFrame:
    """Attainment month-, quarter- and year-to-date against targets, with gap and rank.

    Parameters
    ----------
    actuals, targets : DataFrame
        Long frames ``period`` (``"YYYY-MM"``), ``level``, ``key``, ``amount``: the ``targets``
        table, or goal-decomposition targets, and :func:`rollup_actuals` output.
    month : str
        Report month ``"YYYY-MM"``; QTD and YTD sum the months of its quarter/year up to it.
    windows : sequence of {"MTD", "QTD", "YTD"}
    levels : sequence of str, optional
        Levels to keep (default: every level present).
    fiscal_year_start : int
        First calendar month of the fiscal year (1-12; 4: April to March): the year to date starts
        there and the quarters are the fiscal year's (April, July, October, January for 4).

    Returns
    -------
    DataFrame
        ``level``, ``key``, ``window``, ``actual``, ``target``, ``gap`` (actual − target, negative
        when behind), ``gap_pct`` (gap ÷ target), ``attainment`` (actual ÷ target) and ``rank``
        (1 = highest attainment within level and window; keys without target are unranked).
    """
    a = actuals.assign(period=_period_str(actuals["period"]).to_numpy(),
                       key=actuals["key"].astype(str))
    t = targets.assign(period=_period_str(targets["period"]).to_numpy(),
                       key=targets["key"].astype(str))
    if levels is not None:
        a = a[a["level"].isin(levels)]
        t = t[t["level"].isin(levels)]
    out = []
    for w in windows:
        if not 1 <= int(fiscal_year_start) <= 12:
            raise ValueError(f"fiscal_year_start must be a month 1-12, got {fiscal_year_start!r}")
        months = _window_months(month, w, fiscal_year_start=int(fiscal_year_start))
        sa = a[a["period"].isin(months)].groupby(["level", "key"])["amount"].sum().rename("actual")
        st = t[t["period"].isin(months)].groupby(["level", "key"])["amount"].sum().rename("target")
        m = pd.concat([sa, st], axis=1).reset_index()
        m["actual"] = m["actual"].fillna(0.0)
        m["window"] = w
        out.append(m)
    df = pd.concat(out, ignore_index=True)
    df["gap"] = df["actual"] - df["target"]
    df["gap_pct"] = _div(df["gap"], df["target"])
    df["attainment"] = _div(df["actual"], df["target"])
    df["rank"] = (
        df.groupby(["level", "window"])["attainment"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    order = {lv: i for i, lv in enumerate(("company", "region", "team", "rep"))}
    df["_l"] = df["level"].map(order).fillna(9)
    df["_w"] = df["window"].map({w: i for i, w in enumerate(WINDOWS)})
    df = df.sort_values(["_l", "_w", "rank", "key"], na_position="last").drop(columns=["_l", "_w"])
    cols = ["level", "key", "window", "actual", "target", "gap", "gap_pct", "attainment", "rank"]
    return df[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- funnel
def _stage_lists(stages) -> tuple[list[str], list[str]]:
    """Open stages in order and the names of the won stage(s), from a StageOrder or a list."""
    if hasattr(stages, "open") and hasattr(stages, "won"):
        return [str(s) for s in stages.open], [str(s) for s in stages.won] or [WON]
    return [s for s in stages if s not in (WON, LOST)], [WON]


def pipelines_of(opportunities: pd.DataFrame | None, stages) -> list[tuple[str, Any]]:
    """The pipelines whose funnels are measured apart: ``(name, its stage order)`` pairs when
    ``stages`` holds one order per pipeline (:attr:`salesnb.data.extract.StageOrder.pipelines`) and
    the opportunities have a ``pipeline`` column; ``[]`` (one funnel for every deal) otherwise."""
    per = getattr(stages, "pipelines", None)
    if not per or opportunities is None or "pipeline" not in opportunities.columns:
        return []
    return [(str(k), v) for k, v in per.items()]


def funnel_pipeline_note(stages) -> Message | str:
    """The sentence a page shows beside a funnel measured per pipeline (``""`` for one pipeline).

    ``stages`` is a stage order (:attr:`salesnb.data.extract.StageOrder.pipelines`) or a table with
    a ``pipeline`` column (a scorecard reads 02's tables)."""
    if isinstance(stages, pd.DataFrame):
        names = list(dict.fromkeys(stages["pipeline"].astype(str))) if "pipeline" in stages else []
    else:
        names = [str(p) for p in (getattr(stages, "pipelines", None) or {})]
    if len(names) < 2:
        return ""
    return Message("The deals are in {n} pipelines ({names}), each with its own stages: stage-to-stage "
                   "conversion and the stage tests are measured per pipeline, and a stage name two pipelines "
                   "share is two stages. Win rates, deal sizes, cycle lengths and the funnel by team and by "
                   "rep add up the deals of every pipeline.", n=len(names), names=listing(names))


def funnel_view(df: pd.DataFrame, *, chart: bool = False) -> pd.DataFrame:
    """A funnel table measured per pipeline, for a page: its ``pipeline`` column (the pipeline's name)
    headed "Pipeline" as ``pipeline_name`` (``column.pipeline`` heads an open pipeline's amount). With
    ``chart=True`` each stage is named with its pipeline (``Negotiation (Renewals)``), so a chart by
    stage keeps two pipelines' stages of one name apart. Without the column: ``df`` as it is."""
    if "pipeline" not in df.columns:
        return df
    if chart:
        out = df.assign(stage=[stage_label(r) for r in df[["stage", "pipeline"]].itertuples()])
        return out.drop(columns="pipeline")
    return df.rename(columns={"pipeline": "pipeline_name"})


def stage_label(row) -> Verbatim:
    """A stage as a page names it: ``Negotiation``, or ``Negotiation (Renewals)`` when the row (a
    :func:`stage_conversion` or :func:`coaching_list` row) has a ``pipeline``."""
    stage = getattr(row, "stage", None)
    if stage is None:
        stage = getattr(row, "weakest_stage", "")
    pipe = getattr(row, "pipeline", None)
    return Verbatim(f"{stage} ({pipe})" if pipe is not None and not pd.isna(pipe) else str(stage))


#: :func:`stage_conversion` is not shown when more than this share of the lost deals cannot be
#: placed at a stage (no history, stage = the lost status: Maven's CRM data put all 2,473 lost
#: deals at the first stage, and Engaging → Won read 100 %); below it they are left out, with a note
MAX_UNPLACED_LOST = 0.1


def _reached(
    opportunities: pd.DataFrame, history: pd.DataFrame | None, stages
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Per opportunity: the furthest funnel stage reached (index in ``stages`` + won) and exit dates."""
    stages, won_names = _stage_lists(stages)
    order = {s: i for i, s in enumerate(stages)}
    won_idx = len(stages)
    order.update({w: won_idx for w in won_names})
    o = _dates(opportunities, "created_date", "close_date")
    if history is not None and len(history):
        h = _dates(history, "entered_date")
        h = h[h["opportunity_id"].isin(o["opportunity_id"])]
        h = h.assign(idx=h["stage"].map(order))
        h = h.dropna(subset=["idx"]).astype({"idx": int})
        mx = h.groupby("opportunity_id")["idx"].max()
        o["max_idx"] = o["opportunity_id"].map(mx)
        ent = h.pivot_table(index="opportunity_id", columns="idx", values="entered_date",
                            aggfunc="min")
    else:
        ent = None
        o["max_idx"] = o["stage"].map(order)
    # the current stage and status are authoritative where the history is incomplete
    cur = o["stage"].map(order)
    o["max_idx"] = np.fmax(o["max_idx"].astype(float), cur.astype(float))
    o.loc[o["status"] == "won", "max_idx"] = won_idx
    # a lost deal whose stage is a lost status ("Closed Lost") and that the history does not place:
    # where it was lost is unknown (counting it at the first stage was a guess)
    o["placed"] = o["max_idx"].notna() | (o["status"] != "lost")
    o["max_idx"] = o["max_idx"].fillna(0).astype(int)
    return o, ent


def stage_conversion(
    opportunities: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    by: Sequence[str] = (),
    stages=OPEN_STAGES,
) -> pd.DataFrame:
    """Stage-to-stage conversion and days in stage, from the stage history.

    An opportunity that reached stage *s* either advanced (it reached a later stage, or was won),
    was lost at *s*, or is still open at *s* (pending: excluded from the conversion rate, because
    its outcome is not known yet — counting it as a failure would bias recent cohorts down).

    Parameters
    ----------
    opportunities : DataFrame
        ``opportunity_id``, ``stage``, ``status``, ``created_date``, ``close_date`` and the ``by``
        columns.
    history : DataFrame, optional
        ``opportunity_history`` (``opportunity_id``, ``stage``, ``entered_date``). Without it the
        current stage stands in for the furthest stage reached, and days in stage are missing.
    by : sequence of str
        Opportunity columns to group by (``()`` for the whole company).
    stages : StageOrder or sequence of str
        The source's stages (:func:`salesnb.data.extract.stage_order`), or the open stages in
        funnel order (then ``Closed Won`` follows the last one).

    Returns
    -------
    DataFrame
        ``by`` columns, ``stage``, ``next_stage``, ``entered``, ``advanced``, ``lost``, ``pending``,
        ``conversion`` (advanced ÷ (advanced + lost)), ``days_mean`` and ``days_median`` (days spent
        in the stage by deals that left it, by advancing or by being lost). When ``stages`` holds
        one order per pipeline (:func:`pipelines_of`), the same for each pipeline's deals against
        its own stages, a ``pipeline`` column first (a stage name two pipelines share is two rows);
        ``attrs["note"]`` then names the pipeline each note is about.
    """
    per = pipelines_of(opportunities, stages)
    if per:
        parts, notes = [], []
        for name, so in per:
            c = stage_conversion(opportunities[opportunities["pipeline"].astype(str) == name], history,
                                 by=by, stages=so)
            if len(c):
                parts.append(c.assign(pipeline=name))
            if c.attrs.get("note"):
                notes.append(Message("{pipeline}: {note}", pipeline=Verbatim(name), note=c.attrs["note"]))
        cols = ["pipeline", *by, "stage", "next_stage", "entered", "advanced", "lost", "pending",
                "conversion", "days_mean", "days_median"]
        out = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
        out.attrs["note"] = Message.join(" ", [funnel_pipeline_note(stages), *notes])
        return out
    o, ent = _reached(opportunities, history, stages)
    stages, won_names = _stage_lists(stages)
    won_label = " / ".join(won_names)
    won_idx = len(stages)
    cols = [*by, "stage", "next_stage", "entered", "advanced", "lost", "pending", "conversion",
            "days_mean", "days_median"]
    lost_all = int((o["status"] == "lost").sum())
    unplaced = int((~o["placed"]).sum())
    note = ""
    if stages and unplaced and unplaced > MAX_UNPLACED_LOST * lost_all:
        out = pd.DataFrame(columns=cols)
        out.attrs["note"] = Message(
            "{k} of {n} lost deals carry no stage they were lost at (their stage is the lost status) and no "
            "stage history places them: where deals are lost cannot be measured, so stage-to-stage "
            "conversion is not shown. The win rate does not need it. Import the stage history (or a "
            "last-open-stage column) to measure it.", k=f"{unplaced:,}", n=f"{lost_all:,}")
        return out
    if unplaced:
        note = Message("{k} of {n} lost deals carry no stage they were lost at and are left out of the "
                       "stage conversion.", k=f"{unplaced:,}", n=f"{lost_all:,}")
        o = o[o["placed"]]
    rows = []
    for key, g in _groups(o, by):
        base = _key(by, key)
        for i, s in enumerate(stages):
            entered = g["max_idx"] >= i
            advanced = g["max_idx"] >= i + 1
            lost = entered & ~advanced & (g["status"] == "lost")
            pending = entered & ~advanced & ~lost
            days = pd.Series(dtype=float)
            if ent is not None and i in ent.columns:
                e = ent.reindex(g["opportunity_id"]).set_axis(g.index)
                later = [c for c in ent.columns if c > i]
                nxt = e[later].min(axis=1) if later else pd.Series(pd.NaT, index=g.index)
                exit_ = nxt.where(advanced, g["close_date"].where(lost))
                days = (pd.to_datetime(exit_) - pd.to_datetime(e[i])).dt.days.dropna()
                days = days[days >= 0]
            n_adv, n_lost = int(advanced.sum()), int(lost.sum())
            rows.append({
                **base,
                "stage": s,
                "next_stage": stages[i + 1] if i + 1 < won_idx else won_label,
                "entered": int(entered.sum()),
                "advanced": n_adv,
                "lost": n_lost,
                "pending": int(pending.sum()),
                "conversion": n_adv / (n_adv + n_lost) if n_adv + n_lost else np.nan,
                "days_mean": float(days.mean()) if len(days) else np.nan,
                "days_median": float(days.median()) if len(days) else np.nan,
            })
    # no open stage (every deal won or lost): no rows, the same columns
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["note"] = note if len(out) else Message(
        "Every deal in the data is won or lost and no open stage is known: stage-to-stage "
        "conversion has nothing to measure.")
    return out


def funnel_metrics(
    opportunities: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    by: Sequence[str] = ("rep_id",),
    start=None,
    end=None,
    qualified_stage: str | None = None,
    stages=OPEN_STAGES,
    as_of=None,
) -> pd.DataFrame:
    """Win rate, average deal size, cycle length and sales velocity per group.

    Parameters
    ----------
    opportunities : DataFrame
        The ``opportunities`` table (plus any ``by`` columns joined in, e.g. ``team``).
    history : DataFrame, optional
        ``opportunity_history``, to count qualified opportunities.
    by : sequence of str
        Grouping columns (``()`` for the company).
    start, end : date-like, optional
        Half-open window: closed deals count by ``close_date``, qualified opportunities by
        ``created_date``.
    qualified_stage : str, optional
        Stage that makes an opportunity "qualified" (default: the second open stage, e.g.
        ``Qualification``; the first when there is only one). With one stage order per pipeline
        (:func:`pipelines_of`), each deal is qualified by its own pipeline's stage; the figures of a
        group add up the deals of every pipeline (group ``by=["pipeline"]`` to see them apart).
    stages : StageOrder or sequence of str
        The source's stages (:func:`salesnb.data.extract.stage_order`) or the open stages in order.
    as_of : date-like, optional
        The data's as-of date: when ``end`` is at most :data:`salesnb.constants.NOW_DAYS` days
        before it (or after it), a deal the data records as won or lost with a close date after the
        data's date is not in the pipeline (a deal lost before the export with a close date typed
        after it) but closed in the window (it closed by the data's date: a window that ends then
        holds its close; :func:`salesnb.periods.closed_ahead`); one that closed between ``end`` and
        the data's date was open at ``end``. Earlier, the close date decides. Without it, the close
        date always decides. Given, a deal closed with a close date after it has no known cycle.

    Returns
    -------
    DataFrame
        ``by`` columns, ``created``, ``qualified`` (created in the window and reached the
        qualified stage; missing where a lost deal created in the window carries no stage it was
        lost at and no history places it: whether it was qualified is unknown, and counting the won
        and open deals alone would be too low, see :func:`qualified_note`), ``open_qualified`` (qualified deals open at ``end``: created before it,
        not closed by it: the pipeline), ``won``, ``lost``, ``win_rate`` (won ÷ closed), ``avg_deal`` (mean won
        amount), ``won_amount``, ``cycle_days`` (mean created→close days of
        the won deals closed in the window whose close date is known: the usual CRM cycle, the
        naive won-only mean of :func:`cycle_length`, not its Kaplan–Meier median),
        ``velocity_per_day`` (open_qualified × win rate × average deal ÷ cycle days, the classic sales
        velocity: the deals in the pipeline, which turn over once per cycle) and
        ``velocity_per_month`` (× 30.4).

    Notes
    -----
    The velocity multiplies the deals *in the pipeline*, not the deals created over the window:
    12 months of created deals divided by a cycle of about 50 days counted each month's flow 7
    times (Maven's CRM opportunities: $5.6M a month against $1.0M won).
    """
    per = pipelines_of(opportunities, stages)
    if per:  # each deal reaches the stages of its own pipeline; qualified is that pipeline's stage
        parts = []
        for name, so in per:
            op, _ = _reached(opportunities[opportunities["pipeline"].astype(str) == name], history, so)
            parts.append(op.assign(_q=_qualified_index(so, qualified_stage)))
        o = pd.concat(parts)
    else:
        o, _ = _reached(opportunities, history, stages)
        o["_q"] = _qualified_index(stages, qualified_stage)
    start, end = _ts(start), _ts(end)

    def _in(col):
        m = pd.Series(True, index=o.index)
        if start is not None:
            m &= o[col] >= start
        if end is not None:
            m &= o[col] < end
        return m

    now = end is not None and as_of is not None and is_now(end, as_of)
    # a deal won or lost with a close date typed after the data's date closed by then, when is not
    # known: in a window that ends now it is closed in the window, and in no pipeline
    ahead = (closed_ahead(o["status"], o["close_date"], as_of) if now
             else pd.Series(False, index=o.index))
    o["_created"] = _in("created_date")
    o["_closed"] = (_in("close_date") & o["status"].isin(["won", "lost"])) | ahead
    o["_qual"] = o["_created"] & (o["max_idx"] >= o["_q"])
    # a lost deal nothing places (no history, its stage the lost status): qualified or not is unknown
    o["_unknown"] = o["_created"] & ~o["placed"] & (o["_q"] > 0)
    later = False  # without an end, only the deals open now
    if end is not None:
        # one that closed between ``end`` and the data's date was open at ``end``
        later = (o["close_date"] >= end) & ~ahead
    still_open = (o["status"] == "open") | later
    # an open deal without a created date (the contract allows it) is in the pipeline: it is open now
    before = ((o["created_date"] < end) | (o["created_date"].isna() & (o["status"] == "open"))
              if end is not None else pd.Series(True, index=o.index))
    o["_pipe"] = before & still_open & (o["max_idx"] >= o["_q"])
    o["_cycle"] = _cycle_days(o, as_of=as_of)
    rows = []
    for key, g in _groups(o, by):
        c = g[g["_closed"]]
        w = c[c["status"] == "won"]
        won, lost = len(w), int((c["status"] == "lost").sum())
        rows.append({
            **_key(by, key),
            "created": int(g["_created"].sum()),
            "qualified": np.nan if g["_unknown"].any() else float(g["_qual"].sum()),
            "open_qualified": int(g["_pipe"].sum()),
            "won": won,
            "lost": lost,
            "win_rate": won / (won + lost) if won + lost else np.nan,
            "avg_deal": float(w["amount"].mean()) if won else np.nan,
            "won_amount": float(w["amount"].sum()),
            "cycle_days": float(w["_cycle"].mean()) if won else np.nan,
        })
    df = pd.DataFrame(rows)
    df["velocity_per_day"] = _div(df["open_qualified"] * df["win_rate"] * df["avg_deal"],
                                  df["cycle_days"])
    df["velocity_per_month"] = df["velocity_per_day"] * 30.4
    return df


def funnel_dates_note(opportunities: pd.DataFrame, *, end, as_of) -> Message | str:
    """What 02's funnel table (:func:`funnel_metrics`) does with the deals whose dates it cannot
    place, or ``""`` when there are none.

    A real Salesforce export (as of 2023-09-01) held deals Closed Lost with close dates typed up to
    2023-12-15: in the funnel of a window ending then they count as closed, in no pipeline, with
    no known cycle (:func:`salesnb.periods.closed_ahead`). Open deals without a created date (the
    contract allows them) are in no window's Created count: the note says how many, rather than
    leaving them out unsaid.

    Parameters
    ----------
    opportunities : DataFrame
        ``status``, ``created_date``, ``close_date``.
    end : date-like
        The end of the funnel window (exclusive).
    as_of : date-like
        The data's as-of date.
    """
    o = _dates(opportunities, "created_date", "close_date")
    parts: list[Message] = []
    if is_now(end, as_of):
        n = int(closed_ahead(o["status"], o["close_date"], as_of).sum())
        if n:
            parts.append(Message(
                "{n} deals recorded won or lost carry a close date after the data's last date ({date}), a plan "
                "typed ahead: they count as won or lost in this window (they closed by then), not in the "
                "open pipeline, and the cycle days leave them out (when they closed is not known).",
                n=f"{n:,}", date=f"{pd.Timestamp(as_of):%Y-%m-%d}"))
    n = int((_reversed(o) & (o["close_date"] <= pd.Timestamp(as_of))).sum())
    if n:
        parts.append(Message(
            "{n} closed deals have a close date before their created date: the cycle days leave them "
            "out (the data overview lists them).", n=f"{n:,}"))
    n = int(o["created_date"].isna().sum())
    if n:
        parts.append(Message(
            "{n} open deals have no created date: created and qualified leave them out (when they were "
            "created is not known); qualified, open counts those that reached the qualified stage.",
            n=f"{n:,}"))
    return Message.join(" ", parts) if parts else ""


def _qualified_index(stages, qualified_stage: str | None) -> int:
    """The position of the qualified stage among the open ``stages`` (:func:`funnel_metrics`)."""
    stages, _ = _stage_lists(stages)
    if qualified_stage is None:
        return min(1, max(len(stages) - 1, 0))
    return stages.index(qualified_stage) if qualified_stage in stages else 0


def qualified_note(funnel: pd.DataFrame) -> Message | str:
    """Why :func:`funnel_metrics` leaves ``qualified`` empty (shown as –), or ``""`` when it does not.

    Maven's CRM opportunities have no stage history and every lost deal's stage is "Lost": the count
    of won and open deals alone (625 for a team with 480 won and 265 lost) read as the qualified
    deals, far too low.
    """
    if "qualified" not in funnel or not funnel["qualified"].isna().any():
        return ""
    return Message("Qualified is not shown (–): lost deals carry no stage they were lost at and no stage "
                   "history places them, so whether they were ever qualified is unknown, and a count of the "
                   "won and open deals alone would be too low. Import the stage history (or a "
                   "last-open-stage column) to count them.")


# --------------------------------------------------------------------------- cycle length
@dataclass
class CycleLength:
    """Sales-cycle length: Kaplan–Meier (open deals censored) beside the naive won-only figures."""

    km_median: float
    km_median_low: float
    km_median_high: float
    km_mean_restricted: float
    naive_won_mean: float
    naive_won_median: float
    n: int
    events: int
    censored: int
    event: str
    curve: pd.DataFrame = field(repr=False)
    #: deals recorded won or lost with a close date typed after the as-of date: closed, when is not
    #: known, so left out (:func:`salesnb.periods.closed_ahead`)
    closed_ahead: int = 0
    #: open deals without a created date: how long they have been open is not known, so left out
    undated: int = 0
    #: deals recorded won or lost with a close date before their created date (a real Salesforce
    #: export held 8, down to -58 days): no cycle can be read from them, so left out
    reversed: int = 0

    @property
    def difference(self) -> float:
        """KM median − naive won-only mean, in days (positive: the naive figure is too short)."""
        return self.km_median - self.naive_won_mean

    def sentence(self) -> str:
        """The estimate in one plain sentence (an open-ended interval says so); with no open deal
        at all, a second sentence says that the figure counts closed deals only."""
        parts = [self._estimate()]
        if self.censored == 0 and self.undated == 0 and self.n:
            parts.append(Message(
                "No deal in the data is open, so nothing is censored and this is the cycle of closed "
                "deals only: if the export or the import left the open deals out, deals take longer "
                "than this."))
        if self.closed_ahead:
            parts.append(Message(
                "{n} deals recorded won or lost with a close date after the data's last date are left "
                "out: that date is a plan typed ahead, and when they closed is not known.",
                n=f"{self.closed_ahead:,}"))
        if self.undated:
            parts.append(Message(
                "{n} open deals without a created date are left out: how long they have been open is "
                "not known.", n=f"{self.undated:,}"))
        if self.reversed:
            parts.append(Message(
                "{n} closed deals with a close date before their created date are left out: their cycle "
                "cannot be read (the data overview lists them).", n=f"{self.reversed:,}"))
        return Message.join(" ", parts) if len(parts) > 1 else parts[0]

    def _estimate(self) -> str:
        if not np.isfinite(self.km_median):
            return Message("Fewer than half of the {n} deals have been decided so far: no median "
                           "cycle length yet ({open} open deals).", n=f"{self.n:,}",
                           open=f"{self.censored:,}")
        lo = f"{self.km_median_low:.0f}" if np.isfinite(self.km_median_low) else "?"
        hi = (f"{self.km_median_high:.0f}" if np.isfinite(self.km_median_high)
              else Message("no upper bound yet"))
        if np.isfinite(self.naive_won_mean):
            # a median beside a mean: no "off by" figure, whose sign read oddly (Maven: "-7 days off")
            return Message("Kaplan–Meier median {median} days (95 % CI {lo}–{hi}; {n} open deals "
                           "censored); the usual CRM figure, the mean cycle of won deals only, is "
                           "{naive} days.", median=f"{self.km_median:.0f}", lo=lo, hi=hi,
                           naive=f"{self.naive_won_mean:.0f}", n=f"{self.censored:,}")
        return Message("Kaplan–Meier median {median} days (95 % CI {lo}–{hi}) ({n} open deals "
                       "censored).", median=f"{self.km_median:.0f}", lo=lo, hi=hi,
                       n=f"{self.censored:,}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("curve")
        d["difference"] = self.difference
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in d.items()}


def _spells(o: pd.DataFrame, as_of: pd.Timestamp,
            data_as_of=None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int, int, int]:
    """The deals whose time from creation to a decision (or to ``as_of``, still open) is known.

    Returns the deals kept, their days, whether each was decided (won or lost by ``as_of``), and
    how many were left out: when ``as_of`` is "now" (:func:`salesnb.periods.is_now` of the data's
    date ``data_as_of``, by default ``as_of`` itself), deals recorded won or lost with a close date
    typed after the data's date (:func:`salesnb.periods.closed_ahead`: closed, when is not known);
    and open deals without a created date (how long they have been open is not known); then deals
    decided by ``as_of`` with a close date before their created date (:func:`_reversed`). At an
    earlier ``as_of`` the close dates decide: a deal closed after it was open then (censored).
    """
    data_as_of = as_of if data_as_of is None else pd.Timestamp(data_as_of)
    ahead = (closed_ahead(o["status"], o["close_date"], data_as_of) if is_now(as_of, data_as_of)
             else pd.Series(False, index=o.index))
    undated = o["created_date"].isna() & ~ahead
    backwards = _reversed(o) & (o["close_date"] <= as_of) & ~ahead
    kept = o[~ahead & ~backwards & (o["created_date"] <= as_of)]
    closed = kept["status"].isin(["won", "lost"]) & (kept["close_date"] <= as_of)
    end = kept["close_date"].where(closed, as_of)
    t = (end - kept["created_date"]).dt.days.to_numpy(dtype=float)
    return (kept, t, closed.to_numpy(dtype=bool), int(ahead.sum()), int(undated.sum()),
            int(backwards.sum()))


def _reversed(o: pd.DataFrame) -> pd.Series:
    """Deals recorded won or lost whose close date comes before their created date: a data error
    (a deal entered after the fact with its close date, an import that swapped the columns) from
    which no cycle can be read; validation lists them (``close_before_created``)."""
    return o["status"].isin(["won", "lost"]) & (o["close_date"] < o["created_date"])


def _cycle_days(o: pd.DataFrame, *, as_of=None) -> pd.Series:
    """Days from creation to close of the won and lost deals of ``o``; missing for open deals and,
    given the data's ``as_of``, for deals closed with a close date typed after it
    (:func:`salesnb.periods.closed_ahead`: when they closed is not known). The one cycle of
    :func:`cycle_length` (its won-only figures) and :func:`funnel_metrics` (``cycle_days``, the
    velocity's divisor)."""
    days = (o["close_date"] - o["created_date"]).dt.days.where(o["status"].isin(["won", "lost"]))
    days = days.where(~_reversed(o))  # closed before created: no cycle to read
    if as_of is not None:
        days = days.where(~closed_ahead(o["status"], o["close_date"], as_of))
    return days


def _durations(o: pd.DataFrame, as_of: pd.Timestamp, event: str,
               data_as_of=None) -> tuple[np.ndarray, np.ndarray]:
    _, t, closed, *_ = _spells(o, as_of, data_as_of)
    # a zero-day deal is still a duration: SurvfuncRight wants time > 0 for a clean curve
    return np.maximum(t, 0.5), closed.astype(int)


def cycle_length(
    opportunities: pd.DataFrame,
    *,
    as_of,
    data_as_of=None,
    event: Literal["closed"] = "closed",
) -> CycleLength:
    """Kaplan–Meier estimate of the sales cycle, with open deals censored at ``as_of``.

    The naive CRM figure averages the cycle of won deals only; it ignores every deal still open
    (which are, by construction, the long ones) and so understates the cycle. Kaplan–Meier keeps
    open deals as censored observations: "at least this long so far".

    Parameters
    ----------
    opportunities : DataFrame
        ``created_date``, ``close_date``, ``status``.
    as_of : date-like
        Data date: open deals are censored at ``as_of − created_date`` days. A deal recorded won or
        lost with a close date after it is closed, but that date is a plan typed ahead
        (:func:`salesnb.periods.closed_ahead`): when it closed is not known, somewhere between its
        creation and ``as_of``, so it is left out (neither censored, which would count it open,
        nor closed on ``as_of``, which would lengthen the cycle by a guess) and counted in
        ``closed_ahead``; open deals without a created date are left out too (``undated``).
    data_as_of : date-like, optional
        The data's own as-of date when ``as_of`` is earlier (02 evaluates at the report month's
        end, :attr:`salesnb.context.Context.as_of`): the close dates typed ahead are those after
        it, and only when ``as_of`` lies within :data:`salesnb.constants.NOW_DAYS` of it; at an
        earlier ``as_of`` a deal closed after it was open then, and is censored. Default ``as_of``.
    event : {"closed"}
        What ends the cycle: any close (time to a decision). Time to a *win* is not a survival
        question (a lost deal will never be won; censoring it would overstate the chance of
        winning): use :func:`cumulative_incidence`, which treats losses as a competing risk.

    Returns
    -------
    CycleLength
        ``km_median`` with its confidence interval, the restricted mean (area under the curve up
        to the longest observed time), the naive won-only mean and median, counts and ``curve``
        (``days``, ``survival``: share of deals still open after that many days); ``censored`` is
        the open deals, ``closed_ahead`` and ``undated`` the deals left out.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    if event != "closed":
        raise ValueError(
            f"event={event!r} is not supported: censoring lost deals overstates the chance and the "
            "speed of winning; use cumulative_incidence() for time to a win with losses as a "
            "competing risk")
    as_of = pd.Timestamp(as_of)
    o = _dates(opportunities, "created_date", "close_date")
    kept, _, _, ahead, undated, backwards = _spells(o, as_of, data_as_of)
    t, status = _durations(o, as_of, event, data_as_of)
    # won by ``as_of`` (a close date typed ahead lies after it), created before it or not: the deals
    # of funnel_metrics' cycle_days, whose mean this is over the same months
    won = o[(o["status"] == "won") & (o["close_date"] <= as_of)]
    won_days = _cycle_days(won).dropna()
    if len(t) == 0 or status.sum() == 0:
        nan = float("nan")
        return CycleLength(nan, nan, nan, nan, float(won_days.mean()), float(won_days.median()),
                           len(t), int(status.sum()), int(len(t) - status.sum()), event,
                           pd.DataFrame({"days": [], "survival": []}), ahead, undated, backwards)
    sf = SurvfuncRight(t, status)
    med = float(sf.quantile(0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            lo, hi = (float(x) for x in sf.quantile_ci(0.5))
        except (ValueError, ZeroDivisionError, IndexError):  # degenerate curves
            lo, hi = float("nan"), float("nan")
    times = np.concatenate([[0.0], sf.surv_times])
    surv = np.concatenate([[1.0], sf.surv_prob])
    rmean = float(np.sum(np.diff(np.append(times, t.max())) * surv))
    curve = pd.DataFrame({"days": times, "survival": surv})
    return CycleLength(
        km_median=med,
        km_median_low=lo,
        km_median_high=hi,
        km_mean_restricted=rmean,
        naive_won_mean=float(won_days.mean()),
        naive_won_median=float(won_days.median()),
        n=len(t),
        events=int(status.sum()),
        censored=int(len(t) - status.sum()),
        event=event,
        curve=curve,
        closed_ahead=ahead,
        undated=undated,
        reversed=backwards,
    )


def km_curve(
    opportunities: pd.DataFrame,
    *,
    as_of,
    data_as_of=None,
    by: Sequence[str] = (),
    event: Literal["closed"] = "closed",
) -> pd.DataFrame:
    """Kaplan–Meier curves per group, tidy for plotting (``by``, ``days``, ``survival``); ``as_of``
    and ``data_as_of`` as :func:`cycle_length`'s."""
    o = _dates(opportunities, "created_date", "close_date")
    out = []
    for key, g in _groups(o, by):
        c = cycle_length(g, as_of=as_of, data_as_of=data_as_of, event=event).curve
        out.append(c.assign(**_key(by, key)))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["days", "survival"])


def cumulative_incidence(opportunities: pd.DataFrame, *, as_of, data_as_of=None) -> pd.DataFrame:
    """Time to a win and to a loss as competing risks (Aalen–Johansen), open deals censored.

    A deal ends won or lost; a lost deal can never be won. Treating losses as censored (as a
    Kaplan–Meier "time to win" does) pretends they could still win later and overstates the
    chance of winning by any age. The Aalen–Johansen estimator gives the cumulative incidence of
    each outcome: ``won(t)`` is the share of deals won within ``t`` days of creation, ``lost(t)``
    the share lost, ``open(t) = 1 − won − lost`` the Kaplan–Meier share still undecided.

    Parameters
    ----------
    opportunities : DataFrame
        ``created_date``, ``close_date``, ``status``.
    as_of : date-like
        Data date: open deals are censored at ``as_of``; deals recorded won or lost with a close
        date after it (typed ahead, :func:`salesnb.periods.closed_ahead`) and open deals without a
        created date are left out, as in :func:`cycle_length`.
    data_as_of : date-like, optional
        The data's own as-of date when ``as_of`` is earlier, as :func:`cycle_length`'s.

    Returns
    -------
    DataFrame
        ``days`` (0 and each event time), ``won``, ``lost``, ``open``, ``at_risk``.
    """
    as_of = pd.Timestamp(as_of)
    o = _dates(opportunities, "created_date", "close_date")
    o, t, closed, *_ = _spells(o, as_of, data_as_of)
    t = np.maximum(t, 0.0)
    kind = np.where(closed, o["status"], "open")
    d = pd.DataFrame({"t": t, "won": kind == "won", "lost": kind == "lost"})
    g = d.groupby("t").agg(n=("won", "size"), won=("won", "sum"), lost=("lost", "sum"))
    at_risk = g["n"][::-1].cumsum()[::-1].to_numpy(dtype=float)
    dw, dl = g["won"].to_numpy(dtype=float), g["lost"].to_numpy(dtype=float)
    surv = np.cumprod(1 - _div(dw + dl, at_risk))
    surv_before = np.concatenate([[1.0], surv[:-1]])
    cif_w = np.cumsum(surv_before * _div(dw, at_risk))
    cif_l = np.cumsum(surv_before * _div(dl, at_risk))
    ev = (dw + dl) > 0
    out = pd.DataFrame({"days": g.index.to_numpy(dtype=float)[ev], "won": cif_w[ev],
                        "lost": cif_l[ev], "open": surv[ev], "at_risk": at_risk[ev]})
    if len(out) and out["days"].iloc[0] == 0:
        return out.reset_index(drop=True)
    start = pd.DataFrame({"days": [0.0], "won": [0.0], "lost": [0.0], "open": [1.0],
                          "at_risk": [float(len(d))]})
    return pd.concat([start, out], ignore_index=True)


# --------------------------------------------------------------------------- shrinkage
def beta_binomial_prior(
    successes: Iterable[float],
    trials: Iterable[float],
    *,
    method: Literal["mom", "ml"] = "ml",
) -> tuple[float, float]:
    """Fit the beta prior of an empirical-Bayes beta-binomial model.

    Parameters
    ----------
    successes, trials : array-like
        Wins and closed deals per unit (rep).
    method : {"mom", "ml"}
        Method of moments (weighted for unequal trials: the intra-class correlation ρ from the
        between-unit dispersion) or maximum likelihood of the beta-binomial (started at the
        method-of-moments estimate).

    Returns
    -------
    (alpha, beta) : tuple of float
        Prior parameters; ``alpha / (alpha + beta)`` is the pooled rate and ``alpha + beta`` the
        prior's weight in "pseudo-deals". Without detectable heterogeneity the weight is large
        (every unit shrinks to the pooled rate).
    """
    k = np.asarray(list(successes), dtype=float)
    n = np.asarray(list(trials), dtype=float)
    keep = n > 0
    k, n = k[keep], n[keep]
    if len(n) == 0:
        return 1.0, 1.0
    N, m = n.sum(), len(n)
    p = k.sum() / N
    p = min(max(p, 1e-6), 1 - 1e-6)
    S = np.sum(n * (k / n - p) ** 2)
    denom = N - np.sum(n**2) / N - (m - 1)
    rho = (S / (p * (1 - p)) - (m - 1)) / denom if denom > 0 else 0.0
    rho = float(np.clip(rho, 1e-5, 0.999))
    size = 1.0 / rho - 1.0
    a0, b0 = p * size, (1 - p) * size
    if method == "mom":
        return float(a0), float(b0)
    if method != "ml":
        raise ValueError(f"method must be 'mom' or 'ml', got {method!r}")

    def nll(x):
        a, b = np.exp(x)
        return -np.sum(stats.betabinom.logpmf(k, n, a, b))

    res = optimize.minimize(nll, x0=np.log([a0, b0]), method="Nelder-Mead",
                            options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 2000})
    a, b = np.exp(res.x)
    # a runaway prior weight means "no heterogeneity": cap it so the numbers stay readable
    cap = 1e5
    if a + b > cap:
        a, b = p * cap, (1 - p) * cap
    return float(a), float(b)


def funnel_limits(
    n: Iterable[float],
    *,
    p0: float,
    levels: Sequence[float] = (0.95, 0.998),
) -> pd.DataFrame:
    """Control limits of a funnel plot for a proportion, exact binomial with interpolation.

    Spiegelhalter (2005): for each number of trials ``n`` the limits are the binomial quantiles of
    the pooled rate ``p0``, interpolated so that they are smooth in ``n``.

    Returns
    -------
    DataFrame
        ``n`` and ``lower_<pct>`` / ``upper_<pct>`` per level (``lower_95``, ``upper_998`` ...).
    """
    n = np.asarray(list(n), dtype=float)
    out = pd.DataFrame({"n": n})
    nn = np.maximum(n, 1)
    for lv in levels:
        tag = f"{lv * 100:g}".replace(".", "")
        for side, q in (("lower", (1 - lv) / 2), ("upper", 1 - (1 - lv) / 2)):
            r = stats.binom.ppf(q, nn, p0)
            f_r = stats.binom.cdf(r, nn, p0)
            f_r1 = stats.binom.cdf(r - 1, nn, p0)
            with np.errstate(divide="ignore", invalid="ignore"):
                alpha = np.where(f_r > f_r1, (f_r - q) / (f_r - f_r1), 0.0)
            lim = np.clip((r - alpha) / nn, 0.0, 1.0)
            out[f"{side}_{tag}"] = np.where(n > 0, lim, np.nan)
    return out


@dataclass
class WinRatePosterior:
    """Hierarchical beta-binomial posterior of unit win rates (see :func:`win_rate_posterior`)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    level: float
    pooled_rate: float
    alpha: float
    beta: float
    icc: float
    icc_low: float
    icc_high: float
    grid: pd.DataFrame = field(repr=False)

    def table(self) -> pd.DataFrame:
        """``shrunk_rate``, ``cred_low``, ``cred_high`` per unit, in input order."""
        return pd.DataFrame({"shrunk_rate": self.mean, "cred_low": self.low,
                             "cred_high": self.high})


def _bb_loglik(k, n, mu, rho, count):
    """Beta-binomial log-likelihood (without the binomial coefficient) summed over units.

    ``mu`` and ``rho`` broadcast against each other (the grid); ``k``, ``n`` are the distinct
    records, ``count`` how many units hold each.
    """
    from scipy.special import gammaln

    kappa = 1.0 / rho - 1.0
    a = (mu * kappa)[..., None]
    b = ((1.0 - mu) * kappa)[..., None]
    ll = gammaln(k + a) + gammaln(n - k + b) - gammaln(n + a + b)
    return (ll * count).sum(axis=-1) + count.sum() * (gammaln(a + b) - gammaln(a)
                                                      - gammaln(b))[..., 0]


def _hyper_grid(k, n, count, logit_mu, log_u):
    """Unnormalised log posterior on a (logit μ, log u) grid, u = √ICC uniform a priori."""
    lm, lu = np.meshgrid(logit_mu, log_u, indexing="ij")
    mu = 1.0 / (1.0 + np.exp(-lm))
    rho = np.exp(2 * lu)
    # flat prior on μ (Jacobian μ(1−μ) on the logit scale) and on u = √ρ (Jacobian u on log u):
    # u is the between-unit standard deviation in units of √(μ(1−μ)), the scale on which a
    # uniform prior is weakly informative for a hierarchical variance (Gelman 2006; BDA §5.3)
    lp = _bb_loglik(k, n, mu, rho, count) + np.log(mu * (1 - mu)) + lu
    return mu, rho, lp


def win_rate_posterior(
    successes: Iterable[float],
    trials: Iterable[float],
    *,
    level: float = 0.9,
    max_icc: float = 0.9,
) -> WinRatePosterior:
    """Win rates of several units (reps, stages) under a hierarchical beta-binomial model.

    Each unit's rate is drawn from a beta distribution with mean μ and intra-class correlation
    ρ = 1 ÷ (α + β + 1) (the share of the variance of a single deal's outcome that lies between
    units). Instead of plugging in point estimates of μ and ρ (empirical Bayes, which collapses
    the intervals when ρ estimates at zero in a small team), both are integrated out on a grid:
    μ with a flat prior, √ρ (the between-unit standard deviation relative to √(μ(1 − μ)))
    with a flat prior on [0, √max_icc]. A unit's posterior is then a mixture of betas
    ``Beta(k + α, n − k + β)`` weighted by the grid's posterior; its mean is the shrunk rate
    and its equal-tailed quantiles the credible interval. In simulation the 90 % intervals cover
    the true rates 0.85–0.95 of the time in teams of 8, 15 and 50 (``tests/test_performance.py``,
    ``benchmarks/calibration_reps.py``).

    Parameters
    ----------
    successes, trials : array-like
        Wins and closed deals per unit (units with no trials get the population's predictive
        interval).
    level : float
        Level of the equal-tailed credible interval.
    max_icc : float
        Upper end of the grid for ρ.

    Returns
    -------
    WinRatePosterior
        ``mean``, ``low``, ``high`` per unit (input order), ``pooled_rate`` (posterior mean of
        μ), ``alpha``/``beta`` (posterior mean μ times the posterior median of α + β, for
        display), ``icc`` with its interval, and the pruned ``grid`` of (mu, rho, weight).
    """
    from scipy.special import betainc, betaln

    k = np.asarray(list(successes), dtype=float)
    n = np.asarray(list(trials), dtype=float)
    if len(k) != len(n):
        raise ValueError("successes and trials must have the same length")
    if np.any(n < 0) or np.any(k < 0) or np.any(k > n):
        raise ValueError("need 0 ≤ successes ≤ trials for every unit")
    if not 0 < level < 1:
        raise ValueError("level must lie between 0 and 1")
    # units with the same record share their posterior: work on the distinct (k, n) pairs
    pairs, inverse, count = np.unique(np.column_stack([k, n]), axis=0, return_inverse=True,
                                      return_counts=True)
    inverse = np.ravel(inverse)
    k, n = pairs[:, 0], pairs[:, 1]
    fit = n > 0
    kf, nf, cf = k[fit], n[fit], count[fit].astype(float)
    lu_max = 0.5 * np.log(max_icc)
    # coarse grid over a wide range, then a fine grid over the region that holds the mass
    lm, lu = np.linspace(-9, 9, 121), np.linspace(np.log(1e-3), lu_max, 40)
    _, _, lp = _hyper_grid(kf, nf, cf, lm, lu)
    keep = lp > lp.max() - 25
    i, j = np.nonzero(keep)
    dm, du = lm[1] - lm[0], lu[1] - lu[0]
    lm = np.linspace(lm[i.min()] - dm, lm[i.max()] + dm, 32)
    lu = np.linspace(max(lu[j.min()] - du, np.log(1e-4)), min(lu[j.max()] + du, lu_max), 24)
    mu, rho, lp = _hyper_grid(kf, nf, cf, lm, lu)
    w = np.exp(lp - lp.max()).ravel()
    w /= w.sum()
    mu, rho = mu.ravel(), rho.ravel()
    # prune cells that together hold less than 1e-5 of the mass (a quantile moves by less than
    # that probability)
    order = np.argsort(w)[::-1]
    m = int(np.searchsorted(np.cumsum(w[order]), 1 - 1e-5)) + 1
    sel = order[:m]
    w, mu, rho = w[sel] / w[sel].sum(), mu[sel], rho[sel]
    kappa = 1.0 / rho - 1.0
    a, b = mu * kappa, (1 - mu) * kappa
    A = k[:, None] + a[None, :]
    B = (n - k)[:, None] + b[None, :]
    mean = (w * A / (A + B)).sum(axis=1)
    second = (w * A * (A + 1) / ((A + B) * (A + B + 1))).sum(axis=1)
    sd = np.sqrt(np.maximum(second - mean**2, 0))
    # safeguarded Newton steps on the mixture CDF, inside a bracket of mean ± 10 sd (a tail
    # quantile of the mixture lies there): a step that leaves the bracket is replaced by bisection
    lnorm = betaln(A, B)

    def quantile(q):
        lo = np.clip(mean - 10 * sd, 0, 1)
        hi = np.clip(mean + 10 * sd, 0, 1)
        x = np.clip(mean + stats.norm.ppf(q) * sd, lo + 1e-12, hi - 1e-12)
        for _ in range(60 if len(x) else 0):
            xc = x[:, None]
            f = (w * betainc(A, B, xc)).sum(axis=1) - q
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                pdf = (w * np.exp((A - 1) * np.log(xc) + (B - 1) * np.log1p(-xc) - lnorm)).sum(1)
                step = x - f / pdf
            lo, hi = np.where(f < 0, x, lo), np.where(f < 0, hi, x)
            new = np.where(np.isfinite(step) & (step > lo) & (step < hi), step, (lo + hi) / 2)
            done = np.max(np.abs(new - x)) < 1e-9
            x = new
            if done:
                break
        return x

    tail = (1 - level) / 2
    low, high = quantile(tail), quantile(1 - tail)

    def wq(x, q):
        o = np.argsort(x)
        return float(np.interp(q, np.cumsum(w[o]) - w[o] / 2, x[o]))

    pooled = float((w * mu).sum())
    kap = wq(kappa, 0.5)
    return WinRatePosterior(
        mean=mean[inverse], low=low[inverse], high=high[inverse], level=level, pooled_rate=pooled,
        alpha=pooled * kap, beta=(1 - pooled) * kap, icc=wq(rho, 0.5),
        icc_low=wq(rho, tail), icc_high=wq(rho, 1 - tail),
        grid=pd.DataFrame({"mu": mu, "rho": rho, "weight": w}),
    )


def two_proportion_test(
    successes1,
    trials1,
    successes2,
    trials2,
    *,
    alternative: Literal["two-sided", "smaller", "larger"] = "two-sided",
    min_n: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled two-proportion z-test, vectorised (statsmodels ``proportions_ztest`` semantics).

    Tests whether the rate of group 1 (``successes1 / trials1``) differs from (``"two-sided"``),
    is below (``"smaller"``) or above (``"larger"``) the rate of group 2. Used for a rep's stage
    conversion against peers (:func:`stage_tests`) and for segments against the rest in
    :mod:`salesnb.risk`.

    Parameters
    ----------
    successes1, trials1, successes2, trials2 : float or array-like
    alternative : {"two-sided", "smaller", "larger"}
    min_n : int
        Pairs where group 1 has fewer trials are not tested (NaN).

    Returns
    -------
    (z, p_value) : ndarrays
        NaN where a test is undefined (no trials in a group, or a pooled rate of 0 or 1).
    """
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (successes1, trials1, successes2,
                                                          trials2))
    k1, n1, k2, n2 = np.broadcast_arrays(k1, n1, k2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (k1 + k2) / (n1 + n2)
        se = np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        z = (k1 / n1 - k2 / n2) / se
    ok = (n1 >= max(min_n, 1)) & (n2 > 0) & (p > 0) & (p < 1)
    z = np.where(ok, z, np.nan)
    if alternative == "two-sided":
        pv = 2 * stats.norm.sf(np.abs(z))
    elif alternative == "smaller":
        pv = stats.norm.cdf(z)
    elif alternative == "larger":
        pv = stats.norm.sf(z)
    else:
        raise ValueError("alternative must be 'two-sided', 'smaller' or 'larger'")
    return z, np.where(ok, pv, np.nan)


def shrink_win_rates(
    df: pd.DataFrame,
    *,
    successes: str = "won",
    trials: str | None = None,
    failures: str | None = "lost",
    method: Literal["hierarchical", "mom", "ml"] = "hierarchical",
    level: float = 0.9,
    limits: Sequence[float] = (0.95, 0.998),
) -> pd.DataFrame:
    """Shrinkage of win rates toward the team's, with credible intervals and funnel-plot flags.

    Raw win rates of reps with few deals are noisy: a rep with 3 wins of 4 is not a better seller
    than one with 60 of 100. Each rep's rate is shrunk toward the pooled rate by a beta prior
    learnt from all reps. ``"hierarchical"`` (default, :func:`win_rate_posterior`) integrates
    over the prior's mean and the between-rep variance, so the intervals keep their coverage in
    small teams; ``"ml"`` and ``"mom"`` plug in a point estimate (:func:`beta_binomial_prior`,
    empirical Bayes: the posterior mean ``(won + alpha) / (closed + alpha + beta)``), whose
    intervals collapse when the between-rep variance estimates at zero. Reps are compared with the funnel-plot limits of
    the pooled rate at their number of deals, and only those outside the limits are flagged
    (decided by the exact binomial tail probability of the rep's record under the pooled rate,
    so that a perfect record on a handful of deals is not flagged on noise alone).

    Parameters
    ----------
    df : DataFrame
        One row per rep with win and loss (or trial) counts, e.g. :func:`funnel_metrics` output.
    successes : str
        Column of wins.
    trials, failures : str, optional
        Column of closed deals, or (when ``trials`` is None) of losses.
    method : {"hierarchical", "mom", "ml"}
        Full hierarchical posterior, or a plug-in prior fitted by maximum likelihood or moments.
    level : float
        Level of the posterior credible interval.
    limits : sequence of float
        Funnel-plot levels; the widest one decides ``outlier``.

    Returns
    -------
    DataFrame
        ``df`` plus ``closed``, ``raw_rate``, ``shrunk_rate``, ``cred_low``, ``cred_high``,
        ``prior_alpha``, ``prior_beta``, ``pooled_rate``, the funnel limits, ``funnel_flag``
        (``"within"``, ``"high (95 %)"``, ``"low (99.8 %)"``, ...) and ``outlier`` (outside the
        widest limits). Sorted by ``shrunk_rate`` descending.
    """
    out = df.copy()
    k = out[successes].astype(float).to_numpy()
    n = (out[trials] if trials is not None else out[successes] + out[failures]).astype(float)
    n = n.to_numpy()
    p0 = k.sum() / n.sum() if n.sum() else np.nan
    out["closed"] = n.astype(int)
    out["raw_rate"] = _div(k, n)
    if method == "hierarchical":
        post = win_rate_posterior(k, n, level=level)
        a, b = post.alpha, post.beta
        out["shrunk_rate"], out["cred_low"], out["cred_high"] = post.mean, post.low, post.high
    else:
        a, b = beta_binomial_prior(k, n, method=method)
        out["shrunk_rate"] = (k + a) / (n + a + b)
        out["cred_low"] = stats.beta.ppf((1 - level) / 2, k + a, n - k + b)
        out["cred_high"] = stats.beta.ppf(1 - (1 - level) / 2, k + a, n - k + b)
    out["prior_alpha"], out["prior_beta"], out["pooled_rate"] = a, b, p0
    lim = funnel_limits(n, p0=p0, levels=limits)
    flag = np.array(["within"] * len(out), dtype=object)
    outlier = np.zeros(len(out), dtype=bool)
    # exact one-sided tail probabilities under the pooled rate decide the flags: with few deals
    # the interpolated limits can sit inside the most extreme possible rate (3 of 3), a tail
    # probability cannot be fooled by that
    p_hi = stats.binom.sf(k - 1, n, p0)
    p_lo = stats.binom.cdf(k, n, p0)
    raw = out["raw_rate"].to_numpy()
    for lv in sorted(limits):  # widest last, so it wins
        tag = f"{lv * 100:g}".replace(".", "")
        out[f"lower_{tag}"] = lim[f"lower_{tag}"].to_numpy()
        out[f"upper_{tag}"] = lim[f"upper_{tag}"].to_numpy()
        tail = (1 - lv) / 2
        hi = (p_hi < tail) & (raw > p0)
        lo = (p_lo < tail) & (raw < p0)
        pct = f"{lv * 100:g} %"
        flag = np.where(hi, f"high ({pct})", np.where(lo, f"low ({pct})", flag))
        if lv == max(limits):
            outlier = hi | lo
    out["funnel_flag"] = flag
    out["outlier"] = outlier
    out["rest_lost_share"], out["losses_p"] = losses_check(k, n)
    out["losses_doubtful"] = out["losses_p"] < LOSSES_DOUBTFUL_P
    return out.sort_values("shrunk_rate", ascending=False, ignore_index=True)


#: a rep's lost deals are said to be perhaps unrecorded when a record at least as good as theirs
#: is less likely than this against the rest of the team, allowing for how much reps differ
#: (:func:`losses_check`): 1 in 200. At that level the check flagged 0.19–0.34 % of honest reps in
#: simulated teams of 8, 15 and 50 (``benchmarks/calibration_reps.py``)
LOSSES_DOUBTFUL_P = 0.005


def losses_check(won: Iterable[float], closed: Iterable[float]) -> tuple[np.ndarray, np.ndarray]:
    """How likely each rep's few (or no) lost deals are against the rest of the team.

    A real Salesforce export held a rep with 50 deals won of 50 closed, where the rest of the team
    had lost 64 % of theirs: the funnel plot rated the rep "high (99.8 %)", but a record like that
    says as much that the rep's lost deals were not recorded. A star is rated high too, so the test
    allows for how much reps truly differ: the rest of the team's win rates (every rep but this one)
    fit the hierarchical beta-binomial of :func:`win_rate_posterior`, and the rep's record is judged
    by its upper tail under that fit, P(won ≥ the rep's wins | closed deals), averaged over the
    grid of team means and between-rep spreads (a point estimate of the spread, maximum likelihood,
    collapses in small teams: at a tail of 0.001 it flagged 1.3 % of honest reps in teams of 8; the
    grid keeps the share flagged below :data:`LOSSES_DOUBTFUL_P`: ``benchmarks/calibration_reps.py``).
    The demo's planted star (55 % against 31 %, on 101 deals) has 0.008; the export's 50 of 50 has
    0.0016 (the rest are five reps, so how much reps differ is itself uncertain, and that uncertainty
    is in the tail). A record the plain
    binomial at the rest's lost share does not find implausible (tail ≥ :data:`LOSSES_DOUBTFUL_P`)
    is not tested further (its tail is NaN).

    Parameters
    ----------
    won, closed : array-like
        Wins and closed deals per rep.

    Returns
    -------
    (rest_lost_share, p) : tuple of ndarray
        The rest of the team's lost share (NaN when they closed nothing) and the tail probability
        (NaN where not tested: no closed deal, no one to compare with, a lost share not below the
        rest's, or a plain binomial tail above :data:`LOSSES_DOUBTFUL_P`).
    """
    k = np.asarray(list(won), dtype=float)
    n = np.asarray(list(closed), dtype=float)
    rest_n = n.sum() - n
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(rest_n > 0, 1 - (k.sum() - k) / np.where(rest_n > 0, rest_n, 1), np.nan)
    p = np.full(len(k), np.nan)
    for i in range(len(k)):
        if not (n[i] > 0 and rest_n[i] > 0) or not (n[i] - k[i]) / n[i] < q[i]:
            continue
        if stats.binom.sf(k[i] - 1, n[i], 1 - q[i]) >= LOSSES_DOUBTFUL_P:
            continue
        others = np.arange(len(k)) != i
        g = win_rate_posterior(k[others], n[others]).grid
        kappa = 1.0 / g["rho"].to_numpy() - 1.0
        mu = g["mu"].to_numpy()
        p[i] = float((g["weight"].to_numpy()
                      * stats.betabinom.sf(k[i] - 1, n[i], mu * kappa, (1 - mu) * kappa)).sum())
    return q, p


def losses_note(row: Mapping[str, Any]) -> Message | str:
    """The scorecard's words when a rep's lost deals may not be recorded (:func:`losses_check`),
    else ``""``. ``row`` is the rep's row of :func:`shrink_win_rates`."""
    if not bool(row.get("losses_doubtful", False)):
        return ""
    lost = int(row["closed"]) - int(row["won"])
    if lost == 0:
        return Message("None of the {n} closed deals is recorded lost, where the rest of the team lost {q} of "
                       "theirs: a record this clean is less likely than 1 in 200 even allowing for how much reps "
                       "differ. Lost deals may not be recorded for this rep: check the export before reading the "
                       "win rate as high.", n=int(row["closed"]), q=fmt.pct(row["rest_lost_share"]))
    return Message("Only {k} of the {n} closed deals are recorded lost ({share}), where the rest of the team lost "
                   "{q} of theirs: less likely than 1 in 200 even allowing for how much reps differ. Some lost "
                   "deals may not be recorded for this rep: check the export before reading the win rate as "
                   "high.", k=lost, n=int(row["closed"]), share=fmt.pct(lost / row["closed"]),
                   q=fmt.pct(row["rest_lost_share"]))


def unrecorded_losses_note(rates: pd.DataFrame | None) -> Message | str:
    """02's words under the win-rate tables: the reps whose lost deals may not be recorded
    (:func:`losses_check`), else ``""``."""
    if rates is None or "losses_doubtful" not in rates or not rates["losses_doubtful"].any():
        return ""
    d = rates[rates["losses_doubtful"]]
    who = d["name"].where(d["name"].notna(), d["rep_id"]) if "name" in d else d["rep_id"]
    recs = [Message("{who} ({k} lost of {n})", who=Verbatim(str(w)), k=int(c - won), n=int(c))
            for w, won, c in zip(who, d["won"], d["closed"], strict=True)]
    return Message("Lost deals may not be recorded for {reps}: against the rest of the team, so few lost deals are "
                   "less likely than 1 in 200 even allowing for how much reps differ. The funnel plot rates "
                   "them high; check the export before reading it so.", reps=Message.join(", ", recs))


def win_rate_note(row: Mapping[str, Any]) -> Message:
    """One rep's win rate in words for the scorecard, in the page's percent format (:func:`salesnb.fmt.pct`).

    ``row`` is the rep's row of :func:`shrink_win_rates` (``raw_rate``, ``closed``, ``shrunk_rate``,
    ``cred_low``, ``cred_high``, ``pooled_rate``, ``funnel_flag``). The scorecard had written
    "62%" under a table showing the same rate as "61.9 %".
    """
    said = Message("Win rate {raw} on {n} closed deals; shrunk estimate {shrunk} (90 % credible {lo}–{hi}); company "
                   "{company}; funnel plot: {flag}.", raw=fmt.pct(row["raw_rate"]), n=int(row["closed"]),
                   shrunk=fmt.pct(row["shrunk_rate"]), lo=fmt.pct(row["cred_low"]), hi=fmt.pct(row["cred_high"]),
                   company=fmt.pct(row["pooled_rate"]), flag=Message(str(row["funnel_flag"])))
    return Message.join(" ", [said, losses_note(row)])


def rep_header(me: pd.Series, *, rep: Any, month: str) -> pd.DataFrame:
    """The scorecard's first table: who the rep is (``rep``, ``name``, ``team``, ``region``,
    ``hired``, ``month``), one row.

    ``me`` is the rep's row of the reps table (empty when there is none). The name is left out when
    it is the rep's id (Maven's reps are known by name only: "Rep: Anna Snelling | Name: Anna
    Snelling"); a missing hire date reads "not recorded".
    """
    hired = me.get("hire_date")
    name = me.get("name")
    row = {"rep": rep, "name": name, "team": me.get("team"), "region": me.get("region"),
           "hired": pd.Timestamp(hired).date() if pd.notna(hired) else Message("not recorded"), "month": month}
    if rep is not None and pd.notna(name) and str(name) == str(rep):
        del row["name"]
    return pd.DataFrame([row])


# --------------------------------------------------------------------------- products
def rep_revenue_table(rep_months: pd.DataFrame, reps: pd.DataFrame | None, *, month: str,
                      fiscal_year_start: int = 1) -> pd.DataFrame:
    """Revenue per rep without targets: the month, quarter and year to date (the windows of
    :func:`attainment`), the last 12 months and each rep's share of them, and the month against
    the rep's own typical month.

    Parameters
    ----------
    rep_months : DataFrame
        ``period``, ``rep_id``, ``revenue`` (from
        :func:`salesnb.data.performance_queries.rep_months_for_tables`: the fiscal year and the 12
        months before the report month's end).
    reps : DataFrame, optional
        ``rep_id`` with ``name`` and ``team`` when known.
    month : str
        Report month ``"YYYY-MM"``.
    fiscal_year_start : int
        First calendar month of the fiscal year (QTD and YTD follow it).

    Returns
    -------
    DataFrame
        ``rep_id, name, team, revenue_month, revenue_qtd, revenue_ytd, revenue_12m, share_12m,
        vs_typical`` sorted by ``revenue_12m``: ``vs_typical`` is the month ÷ the median of the
        rep's other months with revenue among the last 12 (empty with fewer than 3 such months).
        Empty without reps.
    """
    cols = ["rep_id", "name", "team", "revenue_month", "revenue_qtd", "revenue_ytd", "revenue_12m", "share_12m",
            "vs_typical"]
    d = rep_months.dropna(subset=["rep_id"]) if rep_months is not None else None
    if d is None or d.empty:
        return pd.DataFrame(columns=cols)
    d = d.assign(period=_period_str(d["period"]).to_numpy(), rep_id=d["rep_id"].astype(str))
    p = pd.Period(month, freq="M")
    year = [str(q) for q in pd.period_range(p - 11, p, freq="M")]

    def total(months: list[str]) -> pd.Series:
        return d[d["period"].isin(months)].groupby("rep_id")["revenue"].sum()

    windows = {f"revenue_{w.lower()}": total(_window_months(month, w, fiscal_year_start=fiscal_year_start))
               for w in WINDOWS}
    out = pd.DataFrame({**windows, "revenue_12m": total(year)}).fillna(0.0)
    out = out.rename(columns={"revenue_mtd": "revenue_month"})
    twelve = out["revenue_12m"].sum()
    out["share_12m"] = out["revenue_12m"] / twelve if twelve > 0 else np.nan
    past = d[d["period"].isin(year[:-1]) & (d["revenue"] > 0)].groupby("rep_id")["revenue"]
    typical = past.median().where(past.count() >= 3)
    out["vs_typical"] = (out["revenue_month"] / typical.reindex(out.index)).where(lambda v: np.isfinite(v))
    out = out.rename_axis("rep_id").reset_index()
    info = reps.assign(rep_id=reps["rep_id"].astype(str)) if reps is not None else pd.DataFrame({"rep_id": []})
    for c in ("name", "team"):
        out[c] = out["rep_id"].map(info.set_index("rep_id")[c]) if c in info else None
    return out[cols].sort_values("revenue_12m", ascending=False, ignore_index=True)


def rep_revenue_row(summary: pd.DataFrame | None, *, rep_id) -> pd.DataFrame:
    """One rep's line of :func:`rep_revenue_table` with the rep's rank by 12-month revenue.

    What a scorecard shows when the rep has no target: the revenue of the month, quarter and
    year to date and of the last 12 months, the share of the team's 12 months, the rank among
    the reps who booked revenue then, and the month against the rep's typical month.

    Parameters
    ----------
    summary : DataFrame or None
        :func:`rep_revenue_table` (every rep).
    rep_id : str or int
        The rep.

    Returns
    -------
    DataFrame
        ``revenue_month, revenue_qtd, revenue_ytd, revenue_12m, share_12m, rank_12m, reps,
        vs_typical`` (one row; none when the rep booked nothing in the 12 months or there is no
        summary). ``rank_12m`` is 1 for the largest 12-month revenue; ``reps`` counts the reps
        with 12-month revenue.
    """
    cols = ["revenue_month", "revenue_qtd", "revenue_ytd", "revenue_12m", "share_12m", "rank_12m",
            "reps", "vs_typical"]
    if summary is None or summary.empty or rep_id is None or rep_id == "":
        return pd.DataFrame(columns=cols)
    s = summary.assign(rep_id=summary["rep_id"].astype(str))
    booked = s[s["revenue_12m"] > 0]
    rank = booked["revenue_12m"].rank(ascending=False, method="min")
    row = booked.assign(rank_12m=rank.astype(int), reps=len(booked))
    return row.loc[row["rep_id"] == str(rep_id), cols].reset_index(drop=True)


def no_attainment_note(rep_attainment: pd.DataFrame | None, *, rep_id, has_targets: bool,
                       has_rep: bool) -> str:
    """Why a scorecard shows no attainment for ``rep_id`` ("" when it does), naming the one cause.

    Parameters
    ----------
    rep_attainment : DataFrame or None
        The rep rows of :func:`attainment` (``key`` = rep), None when none could be computed.
    has_targets : bool
        The source has a targets table.
    has_rep : bool
        The orders carry ``rep_id``.
    """
    if rep_attainment is not None and (rep_attainment["key"].astype(str) == str(rep_id)).any():
        return ""
    if not has_rep:
        return Message("The orders carry no rep_id: attainment, payout and revenue per rep skipped.")
    if not has_targets:
        return Message("No targets table: attainment and payout skipped; the rep's revenue is shown "
                       "instead. Add a targets table (period, level, key, amount) to measure attainment.")
    return Message("The targets table has no target for this rep this month: attainment and payout "
                   "skipped; the rep's revenue is shown instead.")


def no_coaching_note(*, has_history: bool, min_n: int = 5) -> Message:
    """Why a scorecard names no coaching focus, naming the one cause (it said "no stage history,
    or too few resolved deals per stage" on both).

    Parameters
    ----------
    has_history : bool
        The source has an ``opportunity_history`` table (the stages each deal passed through).
    min_n : int
        The fewest resolved deals at a stage that :func:`stage_tests` tests.
    """
    if not has_history:
        return Message("No stage history (the data has no opportunity_history table): which stages "
                       "each deal passed through is unknown, so this rep cannot be compared with peers "
                       "stage by stage; coaching skipped.")
    return Message("Fewer than {n} resolved deals at every stage for this rep: too few to compare with "
                   "peers stage by stage; coaching skipped.", n=min_n)


#: the note under each section of 02 that needs the CRM's deals, when the source has none
NO_OPPORTUNITIES = Message("No opportunities table: this section needs the CRM's deals (opportunities).")


def no_action_note(products: pd.DataFrame) -> Any:
    """Why :func:`product_table` names no product to push or review (``""`` when it names some):
    how many products are first sales, too few to judge, or hold their share; a reason no product
    has is left out (never "0 sold too few to judge")."""
    acts = products["action"].value_counts() if "action" in products and len(products) else pd.Series(dtype=int)
    if acts.get("push", 0) or acts.get("review", 0):
        return ""
    if products.attrs.get("coverage_note"):  # said by action_notes under the table
        return Message("No product to push or review: the data has no year-earlier months to compare with.")
    # a maintained product either moved within chance (or not at all) or its margin kept it there
    chance = int(products.attrs.get("maintain_by_chance", 0))
    counts = {"first": int(acts.get("first sales", 0)), "few": int(acts.get(TOO_FEW, 0)), "chance": chance,
              "margin": int(acts.get("maintain", 0)) - chance}
    clauses = [Message(NO_ACTION_CLAUSES[k], k=v) for k, v in counts.items() if v]
    if not clauses:
        return Message("No product to push or review: no product sold in the window or in the same months a "
                       "year earlier.")
    return Message("No product to push or review: of {n} products, {clauses}.", n=len(products),
                   clauses=Message.join("; ", clauses))


#: the clauses of :func:`no_action_note`, one per reason a product got no push or review
NO_ACTION_CLAUSES = {
    "first": "{k} are first sales (none sold in the same months a year earlier)",
    "few": "{k} sold too few to judge",
    "chance": "{k} changed share no more than chance allows",
    "margin": "{k} are held at maintain by their margin (a gain in share at a margin below the median, or a fall "
              "at one at or above it)",
}


#: the action of every product when the data does not reach back to the comparison window
NOT_COMPARED = "not compared"

#: a comparison window that starts at most this many days before the data still counts as covered
COVER_SLACK_DAYS = 31


def comparison_gap_note(agg: pd.DataFrame, *, slack_days: int = COVER_SLACK_DAYS) -> Any:
    """``""`` when the data reaches back to the comparison window of
    :func:`salesnb.data.performance_queries.product_aggregates` (its ``attrs`` ``data_start``,
    ``prev_start``, ``prev_end``; a start within ``slack_days`` counts), else why no product can be
    compared with it.

    Without the months a year earlier a product that sold in the window reads as a first sale
    (Online Retail starts in December 2010: "2,084 of 2,863 products are first sales" for the
    autumn of 2011), and one that the data only partly covers has too little to compare.
    """
    first, start, end = (agg.attrs.get(k) for k in ("data_start", "prev_start", "prev_end"))
    if first is None or start is None or pd.isna(first):
        return ""
    first, start = pd.Timestamp(first), pd.Timestamp(start)
    if first <= start + pd.Timedelta(days=slack_days):
        return ""
    months = Verbatim(f"{start:%Y-%m} – {pd.Timestamp(end) - pd.Timedelta(days=1):%Y-%m}")
    date = Verbatim(f"{first:%Y-%m-%d}")
    if end is not None and first >= pd.Timestamp(end):
        return Message("Products are compared with the same months a year earlier ({months}); the data starts on "
                       "{date}, after them: no product is compared, and none is named to push or review.",
                       months=months, date=date)
    return Message("Products are compared with the same months a year earlier ({months}); the data starts on "
                   "{date}, inside them, so their sales are incomplete: no product is compared, and none is named to "
                   "push or review.", months=months, date=date)


def _not_compared(df: pd.DataFrame, *, revenue: str, note: Any) -> pd.DataFrame:
    """:func:`product_table` of a window the data has no year-earlier months for: the window's revenue
    and share, the comparisons empty, every action :data:`NOT_COMPARED`, ``note`` in ``attrs``."""
    rev = df[revenue].astype(float)
    df["share"] = _div(rev, rev.sum())
    for c in ("growth", "unit_growth", "share_prev", "share_change"):
        df[c] = np.nan
    if "cost" in df:
        df["margin"] = np.where(df["cost"].astype(float).notna(), 1 - _div(df["cost"].astype(float), rev), np.nan)
    else:
        df["margin"] = np.nan
    df["action"] = NOT_COMPARED
    df.attrs.update(note="", volume_note="", stopped_note="", chance_note="", maintain_by_chance=0,
                    coverage_note=note)
    return df


def products_view(table: pd.DataFrame, *, top_n: int | None = None) -> pd.DataFrame:
    """:func:`product_table` as 02 shows it: without ``margin`` when the orders carry no cost (a column
    of "–" under the note that says so).

    ``top_n``: the products to push and to review, at most ``top_n`` of each, without the previous
    window's units and share; ``None`` keeps every row and column (the category table).
    """
    view = table
    if top_n is not None:
        view = pd.concat([table[table["action"] == "push"].head(top_n), table[table["action"] == "review"].head(top_n)])
        view = view.drop(columns=[c for c in ("units_prev", "share_prev") if c in view])
    if "margin" in view and not table["margin"].notna().any():
        view = view.drop(columns=["margin"])
    if table.attrs.get("coverage_note"):  # nothing compared: no column of dashes for it
        view = view.drop(columns=[c for c in ("revenue_prev", "units_prev", "growth", "unit_growth", "share_prev",
                                              "share_change", "action") if c in view])
    return view.reset_index(drop=True)


def action_notes(table: pd.DataFrame) -> Any:
    """:func:`product_table`'s notes on the actions it names: too few sales (``volume_note``), nothing
    sold in the window (``stopped_note``: within chance, then beyond it), then a change in share within
    chance (``chance_note``); ``""`` when none."""
    return Message.join(" ", [table.attrs.get(k, "") for k in ("coverage_note", "volume_note", "stopped_note",
                                                                "chance_note")])


def product_windows(end: str | pd.Timestamp, *, months: int) -> dict[str, pd.Timestamp]:
    """The product window of 02: the ``months`` months before ``end`` (exclusive) and the same
    months a year earlier, as the keyword arguments of
    :func:`salesnb.data.performance_queries.product_aggregates`.

    Parameters
    ----------
    end : str or Timestamp
        The first day after the window (the report month's end).
    months : int
        Months in the window.

    Returns
    -------
    dict
        ``start``, ``end``, ``prev_start``, ``prev_end``.
    """
    end = pd.Timestamp(end)
    start = end - pd.DateOffset(months=months)
    return dict(start=start, end=end, prev_start=start - pd.DateOffset(years=1),
                prev_end=end - pd.DateOffset(years=1))


#: product_table names no push or review for a product that sold fewer units than this both in the
#: window and in the comparison window (BikeStores' 3 months: at most 7 units of any product, and
#: 4 bikes against 2 read "push"; a fall from 15 units to 1 is still reviewed)
MIN_UNITS = 10
#: without units, the share of revenue under which (in both windows) product_table names no action
MIN_SHARE = 0.001
#: the action of a product with too few sales for its change in share to mean anything
TOO_FEW = "too few sales to judge"
#: product_table pushes or reviews a product only when its change in revenue share is beyond chance
#: at this level (two-sided; |z| ≥ 1.96 for one product alone), when the orders' sums of squares are
#: known, after the page's multiple-comparison ``correction`` over the products tested
SHARE_ALPHA = 0.05


def share_change_z(df: pd.DataFrame, *, revenue: str = "revenue", previous: str = "revenue_prev",
                   sq: str = "amount_sq", sq_prev: str = "amount_sq_prev") -> pd.Series:
    """z of each row's change in revenue share between two windows (log share ratio ÷ its s.e.).

    Each window's revenue is a compound Poisson sum of orders, so var(r) ≈ Σa² (the sum over orders
    of the squared amount of the row's product in the order, ``sq``: an order's lines of one product
    move together and are added before squaring) and by the delta method
    var(log share) ≈ Σa²/r² + ΣA²/R² − 2Σa²/(rR), R and ΣA² the totals over all rows. NaN where a
    share is not positive (first sales, nothing sold, net returns): :func:`share_change_p` tests a row
    that sold nothing in one window on its number of orders.
    """
    out = pd.Series(np.nan, index=df.index)
    if sq not in df or sq_prev not in df:
        return out
    v = {}
    for r_col, q_col in ((revenue, sq), (previous, sq_prev)):
        r, q = df[r_col].astype(float), df[q_col].astype(float).fillna(0.0)
        tot_r, tot_q = r.sum(), q.sum()
        if not tot_r > 0:  # nothing sold in the window (Online Retail has no year before)
            return out
        r = r.where(r > 0)
        var = q / r ** 2 + tot_q / tot_r ** 2 - 2 * q / (r * tot_r)
        v[r_col] = (r / tot_r, var.clip(lower=0))
    (s1, v1), (s0, v0) = v[revenue], v[previous]
    se = np.sqrt(v1 + v0)
    return (np.log(s1 / s0) / se.where(se > 0)).astype(float)


def share_change_p(df: pd.DataFrame, *, revenue: str = "revenue", previous: str = "revenue_prev",
                   sq: str = "amount_sq", sq_prev: str = "amount_sq_prev", orders: str = "orders",
                   orders_prev: str = "orders_prev") -> pd.Series:
    """Two-sided p-value of each row's change in revenue share between two windows.

    - A share in both windows: the z of :func:`share_change_z` against Student's t with
      min(orders, orders_prev) − 1 degrees of freedom (the sums of squares are estimated from that
      many orders; with the normal's tails, some 7 % of unchanged shares were called at 5 % at ~30
      orders a product, about 5.5 % with t). Without the order counts, the normal's.
    - Orders in one window only (sold nothing now, or first sales): an exact conditional test on the
      counts. Under an unchanged share of the orders, a row's ``n`` orders now out of ``n + n0`` in
      the two windows are binomial with p = N ÷ (N + N0), N and N0 the orders of every row in each
      window (an order counted once per row it holds): 2 orders a year earlier and none now, when the
      company's orders grew by a third, is within chance (p ≈ 0.18); 12 and none is not (p ≈ 0.00004).
    - NaN (not tested): no share in either window, or no sums of squares and no order counts.

    Parameters
    ----------
    df : DataFrame
        One row per product (or category), as :func:`salesnb.data.performance_queries.product_aggregates`.
    revenue, previous, sq, sq_prev : str
        Revenue and the orders' sums of squared amounts, in the window and the comparison window.
    orders, orders_prev : str
        Orders holding the row's product in each window (optional columns).

    Returns
    -------
    Series of float on ``df``'s index.
    """
    z = share_change_z(df, revenue=revenue, previous=previous, sq=sq, sq_prev=sq_prev)
    if orders not in df or orders_prev not in df:
        return pd.Series(2 * stats.norm.sf(z.abs()), index=df.index).where(z.notna())
    n1, n0 = df[orders].fillna(0).astype(float), df[orders_prev].fillna(0).astype(float)
    dof = (np.minimum(n1, n0) - 1).clip(lower=1)
    p = pd.Series(2 * stats.t.sf(z.abs(), dof), index=df.index).where(z.notna())
    tot1, tot0 = n1.sum(), n0.sum()
    one = (n1 == 0) != (n0 == 0)
    if tot1 > 0 and tot0 > 0 and one.any():
        share = tot1 / (tot1 + tot0)
        p[one] = [stats.binomtest(int(k), int(k + k0), share).pvalue for k, k0 in zip(n1[one], n0[one], strict=True)]
    return p


def _corrected(p: pd.Series, *, correction: str | None, alpha: float) -> pd.Series:
    """``p <= alpha`` after ``correction`` over the rows with a p-value (NaN rows: False)."""
    out = pd.Series(False, index=p.index)
    ok = p.notna()
    if not ok.any():
        return out
    if correction is None:
        out[ok] = p[ok].to_numpy(dtype=float) <= alpha
    else:
        from statsmodels.stats.multitest import multipletests

        out[ok] = multipletests(p[ok].to_numpy(dtype=float), alpha=alpha, method=correction)[0]
    return out


def beyond_chance(z: pd.Series, *, correction: str | None = "fdr_bh",
                  alpha: float = SHARE_ALPHA) -> pd.Series:
    """Which changes in share (z of :func:`share_change_z`) are beyond chance: two-sided normal
    p-values, corrected for the number of changes tested like :func:`stage_tests`
    (:func:`product_table` corrects the p-values of :func:`share_change_p` the same way).

    Parameters
    ----------
    z : Series
        One z per row; NaN rows are not tested (and come back False).
    correction : str or None
        ``multipletests`` method over the rows tested: ``"fdr_bh"`` (Benjamini–Hochberg: of the
        changes called beyond chance, at most ``alpha`` are expected to be chance; when no share
        moved, a page names any at all with chance ``alpha``, nominally: about twice that at some 60
        orders a product with the normal's tails, where the z's far tails are heavier), ``"holm"``,
        ``"bonferroni"``; ``None`` tests each row alone (|z| ≥ 1.96 at 5 %: among many rows with
        unchanged shares about ``alpha`` of them are called).
    alpha : float
        Level of the test (false discovery rate, family-wise error or per-row level).

    Returns
    -------
    Series of bool, on ``z``'s index.
    """
    p = pd.Series(2 * stats.norm.sf(z.abs().to_numpy(dtype=float)), index=z.index).where(z.notna())
    return _corrected(p, correction=correction, alpha=alpha)


def product_table(
    agg: pd.DataFrame,
    *,
    key: str = "product_id",
    revenue: str = "revenue",
    previous: str = "revenue_prev",
    min_units: float = MIN_UNITS,
    min_share: float = MIN_SHARE,
    correction: str | None = "fdr_bh",
) -> pd.DataFrame:
    """Revenue, units, growth, margin and share change by product (or category) → push / review.

    Parameters
    ----------
    agg : DataFrame
        One row per ``key`` with ``revenue`` and ``revenue_prev`` (the comparison period) and,
        when known, ``units``, ``units_prev``, ``cost``, ``category``.
    key : str
        Identifier column.
    min_units : float
        A product that sold fewer units than this both in the window and in the comparison window
        gets :data:`TOO_FEW` instead of push, review or maintain.
    min_share : float
        Without ``units``/``units_prev``, the same for a product under this share of revenue in
        both windows.
    correction : str or None
        Multiple-comparison correction of the changes in share over the rows tested (every row
        with enough sales and a share a year earlier: first sales are not tested), as
        :func:`beyond_chance`; 02 passes its
        ``correction`` (that of the coaching tests). ``None``: each row at 5 % alone.

    Returns
    -------
    DataFrame
        ``key`` (and ``category``), ``revenue``, ``revenue_prev``, ``growth``, ``units``,
        ``unit_growth``, ``margin`` (1 − cost ÷ revenue), ``share``, ``share_prev``,
        ``share_change`` (pp) and ``action``:

        - ``push``: gaining share with a margin at or above the median (or margin unknown);
        - ``review``: losing share with a margin below the median (or margin unknown), or a
          negative margin;
        - ``first sales``: no revenue in the comparison period (its share can only grow);
        - ``too few sales to judge`` (:data:`TOO_FEW`): under ``min_units`` units (without units:
          under ``min_share`` of revenue) in both windows, unless its margin is negative (review)
          or its sales are first sales; and nothing sold in the window after so few orders a year
          earlier that losing them all is within chance (an exact test on the order counts
          ``orders``, ``orders_prev``; beyond chance it is ``review``);
        - ``maintain``: everything else, among it a push or review whose change in share is
          within chance (:func:`share_change_p`, corrected over the products tested), when the
          engine gave the orders' sums of squares (``amount_sq``, ``amount_sq_prev``);
        - ``not compared`` (:data:`NOT_COMPARED`), every row, when the data does not reach back to
          the comparison window (:func:`comparison_gap_note` on ``agg.attrs``): the comparisons are
          empty and ``attrs["coverage_note"]`` says why.

        ``attrs["note"]`` says when no margin is known (the actions then rest on share alone);
        ``attrs["volume_note"]`` how many got no action for too few units (``""`` when none);
        ``attrs["stopped_note"]`` how many sold nothing in the window, within chance and beyond it
        (naming the latter); ``attrs["chance_note"]`` how many a change within chance left at
        maintain.

        Sorted by revenue, descending.
    """
    df = agg.copy()
    uncovered = comparison_gap_note(agg)
    if uncovered:  # no year-earlier window in the data: nothing to compare, no action to name
        return _product_rows(_not_compared(df, revenue=revenue, note=uncovered), key=key, revenue=revenue,
                             previous=previous)
    rev, prev = df[revenue].astype(float), df[previous].astype(float).fillna(0.0)
    df["growth"] = _div(rev - prev, prev)
    if "units" in df and "units_prev" in df:
        df["unit_growth"] = _div(df["units"] - df["units_prev"], df["units_prev"])
    if "cost" in df:
        cost = df["cost"].astype(float)
        df["margin"] = np.where(cost.notna(), 1 - _div(cost, rev), np.nan)
    else:
        df["margin"] = np.nan
    df["share"] = _div(rev, rev.sum())
    df["share_prev"] = _div(prev, prev.sum())
    df["share_change"] = df["share"] - df["share_prev"]
    med = np.nanmedian(df["margin"]) if df["margin"].notna().any() else np.nan
    m = df["margin"]
    unknown = m.isna() | np.isnan(med)
    good = unknown | (m >= med)
    bad = unknown | (m < med)
    action = np.where(df["share_change"] > 0, np.where(good, "push", "maintain"),
                      np.where((df["share_change"] < 0) & bad, "review", "maintain"))
    # a handful of units (or, without units, a sliver of revenue) moves the share by chance
    units = "units" in df and "units_prev" in df
    if units:
        few = (df["units"].fillna(0) < min_units) & (df["units_prev"].fillna(0) < min_units)
    else:
        few = (df["share"] < min_share) & (np.nan_to_num(df["share_prev"]) < min_share)
    # no sales in the comparison period (a new model year, a launch): its share can only grow, and
    # its orders say nothing about a share it never had: not tested
    first = ((prev == 0) & (rev > 0)).to_numpy()
    # a change in share within what chance gives at this many sales is no reason to act; every
    # product is tested at once, so the page's correction is over all the products tested (those
    # that sold nothing in the window too, on their number of orders)
    p = share_change_p(df, revenue=revenue, previous=previous).where(~few & ~first)
    tested = p.notna().to_numpy()
    beyond = _corrected(p, correction=correction, alpha=SHARE_ALPHA).to_numpy()
    stopped = tested & (rev <= 0).to_numpy() & (prev > 0).to_numpy()
    if "orders" in df:
        stopped &= (df["orders"].fillna(0) == 0).to_numpy()
    chance = tested & ~beyond & ~stopped & np.isin(action, ["push", "review"])
    action = np.where(chance, "maintain", action)
    # nothing sold now after a few orders a year earlier: so few orders all go by chance
    action = np.where(stopped & ~beyond, TOO_FEW, action)
    action = np.where(stopped & beyond, "review", action)
    action = np.where(few, TOO_FEW, action)
    action = np.where(m < 0, "review", action)
    action = np.where(first, "first sales", action)
    df["action"] = action
    # maintained by chance, or not moved at all (the rest of the maintained: by their margin)
    df.attrs["maintain_by_chance"] = int(((action == "maintain")
                                          & (chance | (df["share_change"].fillna(0) == 0).to_numpy())).sum())
    df.attrs["note"] = "" if df["margin"].notna().any() else Message(
        "The orders carry no cost: the actions rest on the change in share alone, not on margin.")
    stop_chance, stop_beyond = stopped & (action == TOO_FEW), stopped & (action == "review")
    k, what = int((action == TOO_FEW).sum() - stop_chance.sum()), Message("categories" if key == "category" else "products")
    df.attrs["volume_note"] = "" if not k else Message(
        "{k} of {n} {what} got no push or review: fewer than {units} units both in the window and in the same "
        "months a year earlier are too few sales to judge.", k=k, n=len(df), what=what, units=f"{min_units:g}",
    ) if units else Message(
        "{k} of {n} {what} got no push or review: under {share} of revenue both in the window and in the same "
        "months a year earlier is too little to judge.", k=k, n=len(df), what=what, share=fmt.pct(min_share, decimals=1))
    n_prev = df["orders_prev"] if "orders_prev" in df else pd.Series(np.nan, index=df.index)
    names = df["name"].fillna(df[key]) if "name" in df and key in df else df.get(key, pd.Series(dtype=object))
    df.attrs["stopped_note"] = Message.join(" ", [
        Message("{k} of {n} {what} sold nothing in the window after at most {most} orders in the same months a "
                "year earlier: so few orders can all go by chance (an exact test on the number of orders, 95 %), "
                "too few sales to judge rather than review.",
                k=int(stop_chance.sum()), n=len(df), what=what, most=f"{n_prev[stop_chance].max():,.0f}")
        if stop_chance.any() else "",
        Message("{k} of {n} {what} sold nothing in the window after {least} or more orders in the same months a "
                "year earlier, more than chance takes away (an exact test on the number of orders, 95 %): review "
                "({names}).", k=int(stop_beyond.sum()), n=len(df), what=what,
                least=f"{n_prev[stop_beyond].min():,.0f}", names=listing(names[stop_beyond], limit=5))
        if stop_beyond.any() else ""])
    k_chance = int((chance & (action == "maintain")).sum())
    if not k_chance:
        df.attrs["chance_note"] = ""
    elif correction is None:
        df.attrs["chance_note"] = Message(
            "{k} of {n} {what} moved in share no more than chance allows at their number and size of sales "
            "(95 %): maintain, not push or review.", k=k_chance, n=len(df), what=what)
    else:
        df.attrs["chance_note"] = Message(
            "{k} of {n} {what} moved in share no more than chance allows at their number and size of sales "
            "(95 %, corrected for the {m} {what} tested: {method}): maintain, not push or review.",
            k=k_chance, n=len(df), what=what, m=int(tested.sum()), method=correction_words(correction))
    return _product_rows(df, key=key, revenue=revenue, previous=previous)


def _product_rows(df: pd.DataFrame, *, key: str, revenue: str, previous: str) -> pd.DataFrame:
    """:func:`product_table`'s columns, by revenue (then ``key``), with its ``attrs``."""
    cols = [c for c in (key, "category", "name", revenue, previous, "growth", "units",
                        "units_prev", "unit_growth", "margin", "share", "share_prev",
                        "share_change", "action") if c in df]
    cols = list(dict.fromkeys(cols))
    # ties by key: the order must not depend on the order the engine returned the rows in
    ties = [key] if key in cols else []
    return df[cols].sort_values([revenue, *ties], ascending=[False] + [True] * len(ties),
                                kind="stable", ignore_index=True)


# --------------------------------------------------------------------------- coaching
#: the multiple-comparison corrections of :func:`stage_tests` that 02 offers, in words
CORRECTION_WORDS: dict[str, str] = {
    "fdr_bh": "Benjamini–Hochberg, false discovery rate",
    "holm": "Holm, family-wise error rate",
    "bonferroni": "Bonferroni, family-wise error rate",
}


def correction_words(correction: str) -> str:
    """The ``correction`` of :func:`stage_tests` in words a page shows: ``"fdr_bh"`` →
    "Benjamini–Hochberg, false discovery rate" (a :class:`Message`, translated on the page);
    another ``multipletests`` method comes back as it is."""
    words = CORRECTION_WORDS.get(correction)
    return Message(words) if words else correction


def stage_tests(
    conversion: pd.DataFrame,
    *,
    rep: str = "rep_id",
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    min_n: int = 5,
) -> pd.DataFrame:
    """Test every rep's conversion at every stage against the rest of the team (peers).

    One-sided two-proportion z-tests (statsmodels ``proportions_ztest``, "rep converts less than
    peers"), corrected for the number of tests with ``multipletests``.

    Parameters
    ----------
    conversion : DataFrame
        :func:`stage_conversion` output grouped by ``rep`` (``advanced``, ``lost`` per stage).
    rep : str
        Rep column.
    correction : str
        ``multipletests`` method: ``"fdr_bh"`` (Benjamini–Hochberg, default), ``"holm"``,
        ``"bonferroni"`` ...
    alpha : float
        Family-wise / false-discovery level.
    min_n : int
        Stages where the rep has fewer resolved deals are not tested.

    Returns
    -------
    DataFrame
        ``rep``, ``stage``, ``n``, ``rep_rate``, ``peer_rate``, ``gap`` (pp), ``z``, ``p_value``,
        ``p_adjusted``, ``significant``; with a ``pipeline`` column in ``conversion`` (one funnel per
        pipeline) it follows ``rep``, and each stage is tested against peers in the same pipeline.
    """
    from statsmodels.stats.multitest import multipletests

    c = conversion.copy()
    c["n"] = c["advanced"] + c["lost"]
    # a stage is a pipeline's stage: peers are the other reps at the same stage of the same pipeline
    stage_key = ["pipeline", "stage"] if "pipeline" in c.columns else "stage"
    tot = c.groupby(stage_key, sort=False)[["advanced", "n"]].transform("sum")
    k_p = (tot["advanced"] - c["advanced"]).to_numpy(dtype=float)
    n_p = (tot["n"] - c["n"]).to_numpy(dtype=float)
    df = pd.DataFrame({rep: c[rep].to_numpy(),
                       **({"pipeline": c["pipeline"].to_numpy()} if "pipeline" in c.columns else {}),
                       "stage": c["stage"].to_numpy(),
                       "n": c["n"].astype(int).to_numpy(),
                       "rep_rate": _div(c["advanced"], c["n"]), "peer_rate": _div(k_p, n_p)})
    df["gap"] = df["rep_rate"] - df["peer_rate"]
    df["z"], df["p_value"] = two_proportion_test(c["advanced"], c["n"], k_p, n_p,
                                                 alternative="smaller", min_n=min_n)
    df["p_adjusted"] = np.nan
    df["significant"] = False
    ok = df["p_value"].notna()
    if ok.any():
        rej, padj, _, _ = multipletests(df.loc[ok, "p_value"], alpha=alpha, method=correction)
        df.loc[ok, "p_adjusted"] = padj
        df.loc[ok, "significant"] = rej
    return df


def coaching_list(
    conversion: pd.DataFrame,
    *,
    rep: str = "rep_id",
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    min_n: int = 5,
    focus: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Each rep's weakest funnel stage against peers, tested, with a suggested training focus.

    The weakest stage is the one with the most negative z statistic (largest shortfall relative to
    its uncertainty) among the tested stages; the focus is suggested only when the shortfall is
    significant after correction for multiple comparisons (all reps × stages).

    Parameters
    ----------
    conversion : DataFrame
        :func:`stage_conversion` grouped by rep.
    focus : mapping, optional
        Stage → training topic (default :data:`TRAINING_FOCUS`).
    Other parameters are passed to :func:`stage_tests`.

    Returns
    -------
    DataFrame
        One row per rep: ``rep``, ``weakest_stage``, ``n``, ``rep_rate``, ``peer_rate``, ``gap``,
        ``z``, ``p_adjusted``, ``significant``, ``focus``. Significant rows first, by z. With one
        funnel per pipeline, ``pipeline`` (of the weakest stage) follows ``rep``.
    """
    focus = dict(TRAINING_FOCUS if focus is None else focus)
    t = stage_tests(conversion, rep=rep, correction=correction, alpha=alpha, min_n=min_n)
    t = t.dropna(subset=["z"])
    pipe = ["pipeline"] if "pipeline" in t.columns else []
    if t.empty:
        return pd.DataFrame(columns=[rep, *pipe, "weakest_stage", "n", "rep_rate", "peer_rate", "gap",
                                     "z", "p_adjusted", "significant", "focus"])
    w = t.loc[t.groupby(rep)["z"].idxmin()].rename(columns={"stage": "weakest_stage"})
    w["focus"] = np.where(w["significant"], w["weakest_stage"].map(focus).fillna("stage skills"),
                          "no significant gap: keep developing")
    w = w.sort_values(["significant", "z"], ascending=[False, True], ignore_index=True)
    return w[[rep, *pipe, "weakest_stage", "n", "rep_rate", "peer_rate", "gap", "z", "p_adjusted",
              "significant", "focus"]]


#: funnel metrics whose missing value means "unknown" rather than "none": :func:`funnel_metrics`
#: leaves ``qualified`` empty for a rep with a lost deal nothing places (Maven's export). The reps
#: with a count are those without such a deal, no sample of the team: their median read "All reps'
#: median 8" on a scorecard whose own row said qualified deals cannot be counted.
UNKNOWN_WHEN_MISSING: frozenset[str] = frozenset({"qualified"})


def compare_to_peers(
    metrics: pd.DataFrame,
    *,
    rep_id: str,
    columns: Sequence[str],
    rep: str = "rep_id",
    group: str | None = "team",
) -> pd.DataFrame:
    """One rep's metrics beside the median of the team and of all reps (for scorecards).

    Returns
    -------
    DataFrame
        ``metric``, ``rep``, ``team_median`` (when ``group`` is given), ``all_median``,
        ``percentile`` (:func:`peer_percentile`, 0–100: for ``cycle_days`` a low percentile is a
        faster rep, see :data:`LOWER_IS_BETTER`; missing when the rep's own value is, when no other
        rep has one and when every rep has the same value). For a metric of
        :data:`UNKNOWN_WHEN_MISSING` that some rep lacks, the medians and the percentile are missing.
    """
    hit = (metrics[rep].astype(str) == str(rep_id)).to_numpy()
    if not hit.any():
        raise KeyError(f"rep {rep_id!r} not in metrics")
    me = metrics[hit].iloc[0]
    mine = np.flatnonzero(hit)[0]
    rows = []
    for c in columns:
        vals = metrics[c].astype(float)
        row = {"metric": c, "rep": float(me[c])}
        # a value the data leaves unknown for some reps (UNKNOWN_WHEN_MISSING): the others are no
        # sample of the team, so no median or rank is drawn from them
        unknown = c in UNKNOWN_WHEN_MISSING and bool(vals.isna().any())
        if group is not None and group in metrics:
            row["team_median"] = np.nan if unknown else float(
                metrics.loc[metrics[group] == me[group], c].median())
        row["all_median"] = np.nan if unknown else float(vals.median())
        row["percentile"] = np.nan if unknown else peer_percentile(
            float(me[c]), np.delete(vals.to_numpy(float), mine))
        rows.append(row)
    return pd.DataFrame(rows)


def peer_percentile(value: float, others: Any) -> float:
    """The mid-rank percentile of ``value`` among ``others`` (the other reps' values), 0–100.

    The share of the other reps with a lower value, a tie counting half: the best of a team is 100,
    the worst 0, a rep level with everyone else 50. Missing (NaN) when ``value`` is, when no other
    rep has a value, and when every rep has the same value: there is nothing to rank (Maven's
    scorecards read "Velocity per month $0 | $0 | $0 | 0.0 %", every rep at the bottom of a team
    where all had $0).

    Examples
    --------
    >>> peer_percentile(3.0, [1.0, 3.0, 5.0, 7.0])
    37.5
    >>> peer_percentile(0.0, [0.0, 0.0])
    nan
    """
    o = np.asarray(others, dtype=float)
    o = o[~np.isnan(o)]
    if np.isnan(value) or not len(o) or (o == value).all():
        return np.nan
    return float(((o < value).sum() + 0.5 * (o == value).sum()) / len(o) * 100)


#: how each funnel metric of :func:`compare_to_peers` reads on a page
PEER_FORMATS: dict[str, str] = {"win_rate": "pct", "avg_deal": "money", "won_amount": "money",
                                "velocity_per_month": "money", "velocity_per_day": "money",
                                "cycle_days": "days", "qualified": "count", "open_qualified": "count",
                                "created": "count", "won": "count", "lost": "count"}


#: funnel metrics where a lower value is the better one: their percentile (share of reps below) is
#: good when low, which the scorecard says on the row and in the caption
LOWER_IS_BETTER: dict[str, str] = {"cycle_days": "{metric} (lower is faster)"}


def peers_caption(peers: pd.DataFrame, *, months: int, month: str) -> Message:
    """The caption of the scorecard's peer table: which deals each count counts, what the percentile
    is, and which way is better.

    Maven's scorecards showed "Qualified 6" above "Win rate 100.0 % on 7 closed deals": qualified
    counts the deals created in the window, the win rate the deals closed in it (some created
    before). A cycle of 47 days at the 13th percentile read as a weak rep, when only 13 % close
    faster; a percentile of 0 % where every rep had $0 read as the bottom of the team (it is "–",
    :func:`peer_percentile`).
    """
    values = [c for c in ("rep", "team_median", "all_median") if c in peers]
    shown = peers[peers[values].notna().any(axis=1)] if values else peers  # as peers_view shows them
    metrics = set(shown["metric"])
    parts: list[Message] = []
    if "qualified" in metrics:
        parts.append(Message("qualified: the deals created in those months"))
    if "open_qualified" in metrics:
        parts.append(Message("qualified, open: the deals still open at the end of {month}", month=month))
    if metrics & {"win_rate", "avg_deal", "cycle_days"}:
        parts.append(Message("win rate, average deal and cycle days: the deals closed in those months, some "
                             "created before them"))
    parts.append(Message("percentile: share of the other reps below, a tie counting half"))
    if metrics & set(LOWER_IS_BETTER):
        parts.append(Message("higher is better, except for cycle days, where a low percentile means a faster rep"))
    if "percentile" in shown and "rep" in shown and (shown["rep"].notna() & shown["percentile"].isna()).any():
        parts.append(Message("– where every rep has the same value"))
    return Message("Rep against peers, {n} months to {month} ({details})", n=months, month=month,
                   details=Message.join("; ", parts))


def funnel_caption(*, months: int, month: str) -> Message:
    """The caption of 02's funnel table: the window, and which deals each count counts.

    Maven's CRM 02 read "Cara Losch | Created 51 | … | Won 47 | Lost 12", more deals closed than
    created: created and qualified count the deals created in the window, won and lost the deals
    closed in it, some of them created before.
    """
    return Message("Funnel by team, {n} months to {month} (created and qualified: the deals created in those "
                   "months; qualified, open: the deals still open at the end of {month}; won, lost and the "
                   "rates: the deals closed in those months, some created before them)", n=months, month=month)


def peers_view(peers: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """:func:`compare_to_peers` as a page shows it: each row in its metric's unit (a win rate as a
    percentage, a deal in money, a cycle in days, counts as whole numbers) and the percentile as
    a share of reps below ("0.55", "1,532.54" and "93.33" read as nothing in particular); a metric with
    no value for anyone is left out (its note says why). The
    metric is labelled in ``lang`` (default: the current language), saying which way is better where
    a lower value is (:data:`LOWER_IS_BETTER`)."""

    def one(metric: str, v: Any) -> str:  # fmt writes "–" for a missing value
        kind = PEER_FORMATS.get(metric, "number")
        return (fmt.pct(v) if kind == "pct" else fmt.money(v) if kind == "money"
                else fmt.number(v, decimals=0) if kind in ("days", "count") else fmt.number(v, decimals=2))

    values = [c for c in ("rep", "team_median", "all_median") if c in peers]
    # a metric nobody has a value of (qualified deals without a stage history) is a row of dashes
    peers = peers[peers[values].notna().any(axis=1)] if values else peers
    out = peers.copy().astype(object)
    for c in [c for c in ("rep", "team_median", "all_median") if c in out]:
        out[c] = [one(m, v) for m, v in zip(peers["metric"], peers[c], strict=True)]
    if "percentile" in out:
        out["percentile"] = [fmt.pct(v / 100) for v in peers["percentile"].astype(float)]
    out["metric"] = [tr(LOWER_IS_BETTER[m], lang, metric=col_label(m, lang)) if m in LOWER_IS_BETTER
                     else col_label(m, lang) for m in peers["metric"]]
    return out


# --------------------------------------------------------------------------- incentives
def commission_plan(
    *,
    base_rate: float,
    floor: float = 0.0,
    decelerator: float = 1.0,
    tiers: str | Sequence[tuple[float, float]] = (),
    cap: float | None = None,
) -> dict[str, Any]:
    """Build and validate a commission plan dict.

    Parameters
    ----------
    base_rate : float
        Commission rate on revenue between the floor and 100 % attainment (0.05 = 5 %).
    floor : float
        Attainment below which revenue is paid at ``base_rate × decelerator``.
    decelerator : float
        Multiplier of the base rate below the floor (0.5 = half rate).
    tiers : str or sequence of (threshold, multiplier)
        Accelerators: revenue above ``threshold × target`` is paid at ``base_rate × multiplier``
        up to the next threshold. Thresholds ≥ 1. As a string (for notebook parameters):
        ``"1.0:1.5, 1.2:2.0"``.
    cap : float, optional
        Attainment above which revenue earns nothing more (e.g. 2.0 = 200 %).

    Returns
    -------
    dict
        ``{"base_rate", "floor", "decelerator", "tiers": [[t, m], ...], "cap"}``.
    """
    if isinstance(tiers, str):
        parsed = []
        for part in tiers.replace(";", ",").split(","):
            part = part.strip()
            if part:
                t, m = part.split(":")
                parsed.append((float(t), float(m)))
        tiers = parsed
    tiers = sorted((float(t), float(m)) for t, m in tiers)
    if base_rate < 0:
        raise ValueError("base_rate must be ≥ 0")
    if not 0 <= floor <= 1:
        raise ValueError("floor must be between 0 and 1 (attainment fraction)")
    if decelerator < 0:
        raise ValueError("decelerator must be ≥ 0")
    if any(t < 1 for t, _ in tiers):
        raise ValueError("tier thresholds are attainment ≥ 1.0 (accelerators above 100 %)")
    if cap is not None and cap <= 0:
        cap = None
    if cap is not None and cap < max([1.0, *[t for t, _ in tiers]]):
        raise ValueError("cap must be at or above 100 % and every tier threshold")
    return {"base_rate": float(base_rate), "floor": float(floor),
            "decelerator": float(decelerator), "tiers": [[t, m] for t, m in tiers],
            "cap": None if cap is None else float(cap)}


def commission(actual, target, *, plan: Mapping[str, Any]) -> np.ndarray | float:
    """Commission earned on ``actual`` revenue against ``target`` under ``plan``.

    The plan is marginal, like income-tax bands (no cliff at any threshold), with attainment
    ``a = actual ÷ target``:

    - revenue up to ``floor × target`` earns ``base_rate × decelerator``;
    - revenue from the floor up to the first tier (100 % when no tier starts there) earns
      ``base_rate``;
    - revenue in tier *i* (``threshold_i × target`` up to the next threshold) earns
      ``base_rate × multiplier_i``;
    - revenue above ``cap × target`` earns nothing.

    Negative actuals (net returns) pay zero. A zero or missing target pays ``base_rate`` on all
    revenue (no attainment can be measured).

    Parameters
    ----------
    actual, target : float or array-like
    plan : mapping
        See :func:`commission_plan`.

    Returns
    -------
    float or ndarray
    """
    scalar = np.ndim(actual) == 0 and np.ndim(target) == 0
    x = np.atleast_1d(np.asarray(actual, dtype=float)).clip(min=0)
    tg = np.broadcast_to(np.atleast_1d(np.asarray(target, dtype=float)), x.shape)
    base = float(plan["base_rate"])
    floor = float(plan.get("floor", 0.0) or 0.0)
    dec = float(plan.get("decelerator", 1.0))
    tiers = sorted((float(t), float(m)) for t, m in plan.get("tiers", []) or [])
    cap = plan.get("cap")
    # band edges in attainment units and the rate multiplier of each band
    edges = [0.0, floor] + [t for t, _ in tiers] + [np.inf]
    mults = [dec, 1.0] + [m for _, m in tiers]
    if tiers and tiers[0][0] < floor:
        raise ValueError("tier thresholds must lie above the floor")
    a = np.divide(x, tg, out=np.full_like(x, np.nan), where=(tg > 0))
    if cap is not None:
        a = np.minimum(a, float(cap))
    pay = np.zeros_like(x)
    for lo, hi, m in zip(edges[:-1], edges[1:], mults, strict=True):
        band = np.clip(np.minimum(a, hi) - lo, 0, None)
        pay += np.nan_to_num(band) * tg * base * m
    no_target = ~(tg > 0)
    pay = np.where(no_target, x * base, pay)
    return float(pay[0]) if scalar else pay


def payouts(
    attain: pd.DataFrame,
    *,
    plan: Mapping[str, Any],
    level: str = "rep",
    names: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Payout per rep for the month (MTD) and the quarter to date (QTD).

    Parameters
    ----------
    attain : DataFrame
        :func:`attainment` output (must hold the MTD and QTD windows).
    plan : mapping
        :func:`commission_plan`.
    level : str
        Level to pay (``"rep"``).
    names : DataFrame, optional
        ``rep_id``, ``name``, ``team``, ``region`` to label the rows.

    Returns
    -------
    DataFrame
        ``rep_id`` (and labels), ``month_actual``, ``month_target``, ``month_attainment``,
        ``month_payout``, ``quarter_actual``, ``quarter_target``, ``quarter_attainment``,
        ``quarter_payout``, ``effective_rate`` (quarter payout ÷ quarter actual).
    """
    a = attain[attain["level"] == level]
    out = None
    for w, lab in (("MTD", "month"), ("QTD", "quarter")):
        x = a[a["window"] == w][["key", "actual", "target", "attainment"]].copy()
        x["payout"] = commission(x["actual"].to_numpy(), x["target"].to_numpy(), plan=plan)
        x = x.rename(columns={c: f"{lab}_{c}" for c in ("actual", "target", "attainment",
                                                         "payout")})
        out = x if out is None else out.merge(x, on="key", how="outer")
    out = out.rename(columns={"key": "rep_id"})
    out["effective_rate"] = _div(out["quarter_payout"], out["quarter_actual"])
    if names is not None:
        cols = [c for c in ("rep_id", "name", "team", "region") if c in names]
        lab = names[cols].assign(rep_id=names["rep_id"].astype(str))
        out = lab.merge(out, on="rep_id", how="right")
    return out.sort_values("quarter_payout", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- forecast
#: shown when the calibration has to use the category stored on each deal now
STORED_CATEGORY_NOTE = (
    "The forecast categories are the ones stored on each deal now: a CRM that updates the category "
    "when a deal closes (e.g. to Commit when it is won) makes them look better than they were. Add "
    "forecast_category to opportunity_history to measure the category each deal carried before it "
    "closed.")
#: shown when no closed deal carries a category of the forecast (each one the CRM's at the close)
CLOSED_CATEGORY_NOTE = (
    "No closed deal carries commit, best case or pipeline: each carries the category the CRM set at "
    "the close (closed, omitted), so what the forecast categories were worth cannot be measured. Add "
    "forecast_category to opportunity_history (Salesforce: OpportunityHistory) to measure the category "
    "each deal carried before it closed.")


def category_before_close(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    *,
    category: str = "forecast_category",
) -> pd.DataFrame:
    """The forecast category each deal carried before it closed, from its history.

    A CRM may rewrite the category when a deal closes (to Commit or Closed when won, Omitted when
    lost); calibrating on that stored category would measure the outcome, not the forecast. The
    category used is the last one recorded in ``history`` with ``entered_date`` strictly before
    the deal's ``close_date`` (for an open deal: the last one recorded).

    Parameters
    ----------
    deals : DataFrame
        ``opportunity_id``, ``close_date``, ``status`` and (optionally) ``category``.
    history : DataFrame or None
        ``opportunity_history`` (``opportunity_id``, ``entered_date`` and ``category``).
    category : str
        Column of the forecast category in both frames.

    Returns
    -------
    DataFrame
        ``deals`` with ``category`` replaced by the category before the close (missing where the
        history has none); ``attrs["category_source"]`` is ``"history"``, or ``"stored"`` when the
        history has no such column (``deals`` returned as they are; ``attrs["note"]`` says so) and
        ``attrs["without_history"]`` counts the deals the history gave no category for.
    """
    out = deals.copy()
    if history is None or category not in history.columns or not history[category].notna().any():
        out.attrs.update(category_source="stored", note=STORED_CATEGORY_NOTE, without_history=0)
        return out
    h = history[history[category].notna()][["opportunity_id", "entered_date", category]].copy()
    h["entered_date"] = pd.to_datetime(h["entered_date"])
    close = pd.to_datetime(out.set_index("opportunity_id")["close_date"])
    closed = out.set_index("opportunity_id")["status"].isin(["won", "lost"])
    h["_close"] = h["opportunity_id"].map(close.where(closed))
    h = h[h["_close"].isna() | (h["entered_date"] < h["_close"])]
    last = (h.sort_values(["opportunity_id", "entered_date"], kind="mergesort")
            .groupby("opportunity_id")[category].last())
    out[category] = out["opportunity_id"].map(last)
    out.attrs.update(category_source="history", note=None,
                     without_history=int(out[category].isna().sum()))
    return out


def forecast_calibration(
    snapshot: pd.DataFrame,
    *,
    category: str = "forecast_category",
    categories: Sequence[str] | None = ("commit", "best_case", "pipeline"),
    level: float = 0.95,
) -> pd.DataFrame:
    """Realised win rate by forecast category, with Wilson intervals.

    Parameters
    ----------
    snapshot : DataFrame
        Deals as they were categorised at some earlier date(s), with their final ``status``, e.g.
        stacked :func:`salesnb.data.extract.pipeline_snapshot` frames at past quarter starts joined
        to today's status, or the closed deals passed through :func:`category_before_close`
        (the category each carried before it closed, not the one stored now). Deals still open
        or without a category are left out.
    category : str
        Column of the forecast category.
    categories : sequence of str, optional
        Categories to report, in order (None: all present).
    level : float
        Confidence level of the Wilson interval.

    Returns
    -------
    DataFrame
        ``forecast_category``, ``deals``, ``won``, ``win_rate``, ``ci_low``, ``ci_high``,
        ``amount`` (total), ``won_amount``, ``value_win_rate`` (won amount ÷ amount).
        ``attrs``: ``category_source`` and ``note`` of :func:`category_before_close` when the
        snapshot came from it (``"snapshot"`` and None otherwise).
    """
    from statsmodels.stats.proportion import proportion_confint

    source = snapshot.attrs.get("category_source", "snapshot")
    note = snapshot.attrs.get("note")
    s = snapshot[snapshot["status"].isin(["won", "lost"]) & snapshot[category].notna()].copy()
    s["_won"] = s["status"] == "won"
    s["_wa"] = s["amount"].where(s["_won"], 0.0)
    g = s.groupby(category).agg(deals=("_won", "size"), won=("_won", "sum"),
                                amount=("amount", "sum"), won_amount=("_wa", "sum"))
    if categories is not None:
        g = g.reindex([c for c in categories if c in g.index])
    g = g.reset_index().rename(columns={category: "forecast_category"})
    g["win_rate"] = _div(g["won"], g["deals"])
    lo, hi = proportion_confint(g["won"].to_numpy(), g["deals"].to_numpy(),
                                alpha=1 - level, method="wilson")
    g["ci_low"], g["ci_high"] = lo, hi
    g["value_win_rate"] = _div(g["won_amount"], g["amount"])
    out = g[["forecast_category", "deals", "won", "win_rate", "ci_low", "ci_high", "amount",
             "won_amount", "value_win_rate"]]
    if out.empty and len(s) and source == "stored":  # every closed deal: the CRM's category at the close
        note = CLOSED_CATEGORY_NOTE
    out.attrs.update(category_source=source, note=note)
    return out


# --------------------------------------------------------------------------- training impact
@dataclass
class DiDResult:
    """A difference-in-differences estimate."""

    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    level: float
    n_obs: int
    n_treated: int
    n_control: int
    date: str
    outcome: str
    placebo: bool = False
    means: pd.DataFrame | None = field(default=None, repr=False)

    def covers(self, value: float) -> bool:
        """True when the confidence interval contains ``value``."""
        return bool(self.ci_low <= value <= self.ci_high)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("means")
        return d


class NotIdentified(ValueError):
    """The data cannot tell the effect: an estimate would be an arbitrary number (see :func:`did`)."""


def _did_design(d: pd.DataFrame, *, unit: str, time: str, treated: str, post: str,
                fixed_effects: bool = True) -> pd.DataFrame:
    """The regressors of :func:`did` (``_tp`` = treated × after, then the effects, a constant)."""
    import statsmodels.api as sm

    tp = d[treated].astype(float) * d[post].astype(float)
    if fixed_effects:
        X = pd.concat([
            tp.rename("_tp"),
            pd.get_dummies(d[unit].astype(str), prefix="u", drop_first=True, dtype=float),
            pd.get_dummies(d[time].astype(str), prefix="t", drop_first=True, dtype=float),
        ], axis=1)
    else:
        X = pd.DataFrame({"_t": d[treated].astype(float), "_p": d[post].astype(float),
                          "_tp": tp}, index=d.index)
    return sm.add_constant(X, has_constant="add")


def _absorbed(X: pd.DataFrame) -> bool:
    """Whether treated × after (``_tp``) is a combination of the other regressors (e.g. the treated
    units are observed after the date only in months nobody else is): least squares would return
    an arbitrary value for it, with a standard error of about zero."""
    return bool(np.linalg.matrix_rank(X.to_numpy())
                == np.linalg.matrix_rank(X.drop(columns="_tp").to_numpy()))


def did(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    post: str,
    weights: str | None = None,
    fixed_effects: bool = True,
    level: float = 0.95,
    date: str = "",
) -> DiDResult:
    """Difference-in-differences by least squares with unit-clustered standard errors.

    With ``fixed_effects`` the model is two-way fixed effects,
    ``outcome ~ treated:post + C(unit) + C(time)``; otherwise the classic 2 × 2
    ``outcome ~ treated + post + treated:post``. Standard errors are clustered by unit (deals of
    one rep are not independent) but never smaller than the heteroskedasticity-robust (HC1) ones:
    with few treated units the cluster-robust variance is biased down. Intervals use the t
    distribution with (clusters − 1) degrees of freedom.

    Parameters
    ----------
    data : DataFrame
        Long data: one row per observation (deal, or unit × period).
    outcome, unit, time, treated, post : str
        Column names; ``treated`` and ``post`` are 0/1 or booleans.
    weights : str, optional
        Column of weights (e.g. closed deals when the outcome is a unit-period win rate).

    Returns
    -------
    DiDResult

    Raises
    ------
    NotIdentified
        When a cell of treated/control × before/after has no observation, or when treated × after
        is a combination of the fixed effects: least squares would still return a number, with a
        standard error near zero (a precise-looking 0.0 % on a data set cut to three months).
    """
    import statsmodels.api as sm

    d = data.dropna(subset=[outcome]).copy()
    empty = [f"{'treated' if t else 'control'} {'after' if p else 'before'}"
             for t in (True, False) for p in (False, True)
             if not (d[treated].astype(bool).eq(t) & d[post].astype(bool).eq(p)).any()]
    if empty:
        raise NotIdentified(f"the effect is not identified: no observation {' and '.join(empty)}")
    X = _did_design(d, unit=unit, time=time, treated=treated, post=post,
                    fixed_effects=fixed_effects)
    if _absorbed(X):
        raise NotIdentified("the effect is not identified: treated × after is a combination of "
                            "the unit and time effects")
    y = d[outcome].astype(float)
    groups = pd.factorize(d[unit])[0]
    if weights is None:
        model = sm.OLS(y, X)
    else:
        model = sm.WLS(y, X, weights=d[weights].astype(float))
    res = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    eff, se = float(res.params["_tp"]), float(res.bse["_tp"])
    # with few treated clusters the cluster-robust variance is biased down (it can fall below
    # the plain sampling noise of the deals); never report less than the heteroskedasticity-
    # robust standard error
    se_hc = float(model.fit(cov_type="HC1").bse["_tp"])
    se = max(se, se_hc)
    n_groups = len(np.unique(groups))
    tq = stats.t.ppf(0.5 + level / 2, max(n_groups - 1, 1))
    lo, hi = eff - tq * se, eff + tq * se
    pval = float(2 * stats.t.sf(abs(eff / se), max(n_groups - 1, 1))) if se > 0 else np.nan
    means = (d.assign(group=np.where(d[treated].astype(bool), "treated", "control"),
                      period=np.where(d[post].astype(bool), "after", "before"))
             .groupby(["group", "period"])[outcome].mean().unstack("period"))
    means = means.reindex(columns=["before", "after"])
    means["change"] = means["after"] - means["before"]
    tr = d[d[treated].astype(bool)][unit].nunique()
    return DiDResult(effect=eff, se=se, ci_low=float(lo), ci_high=float(hi), p_value=pval,
                     level=level, n_obs=len(d), n_treated=int(tr),
                     n_control=int(d[unit].nunique() - tr), date=date, outcome=outcome,
                     means=means.reset_index())


def training_effect(
    opportunities: pd.DataFrame,
    training: pd.DataFrame,
    *,
    date=None,
    topic: str | None = None,
    window_months: int = 12,
    placebo_date=None,
    time: Literal["created", "closed"] = "created",
    level: float = 0.95,
    exclude_other_trained: bool = True,
) -> DiDResult:
    """Effect of a training on the win rate, by difference-in-differences of closed deals.

    The treated cohort is the reps trained on ``date`` (and ``topic``); the others are controls.
    Each closed deal (won = 1, lost = 0) dated within ``window_months`` before and after the
    training is an observation, with rep and month fixed effects and rep-clustered errors
    (:func:`did`): the estimate is the change in the cohort's win rate beyond the change of the
    other reps (a fraction: 0.05 = 5 percentage points).

    Parameters
    ----------
    opportunities : DataFrame
        ``rep_id``, ``status``, ``created_date``, ``close_date``.
    training : DataFrame
        ``rep_id``, ``date``, ``topic``.
    date : date-like, optional
        Training date; default the date with the most attendees (of ``topic``).
    topic : str, optional
        Restrict to one topic.
    window_months : int
        Months before and after the date.
    placebo_date : date-like, optional
        Run a placebo instead: pretend the same cohort was trained on this (earlier) date, using
        only deals dated before the real date. A sound design gives an interval covering 0.
    time : {"created", "closed"}
        Which date of a deal places it before or after the training. ``"created"`` (default):
        deals opened after the training are the ones worked with the new skills from the start;
        the month fixed effects absorb the higher win rate of recently created deals that have
        already closed (wins close faster than losses).
    exclude_other_trained : bool
        Drop from the controls the reps who took the same topic on another date inside the
        window (other topics are left alone).

    Returns
    -------
    DiDResult
    """
    o, cut = _training_frame(opportunities, training, date=date, topic=topic,
                             window_months=window_months, placebo_date=placebo_date, time=time,
                             exclude_other_trained=exclude_other_trained)
    res = did(o, outcome="won", unit="rep_id", time="month", treated="treated", post="post",
              level=level, date=str(cut.date()))
    res.placebo = placebo_date is not None
    return res


def _training_frame(opportunities, training, *, date=None, topic=None, window_months=12,
                    placebo_date=None, time="created",
                    exclude_other_trained=True) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The closed deals :func:`training_effect` compares (``won``, ``treated``, ``post``,
    ``month`` per deal) and the cut date; shared with :func:`training_feasibility`."""
    col = {"created": "created_date", "closed": "close_date"}[time]
    tr = _dates(training, "date")
    if topic:
        tr = tr[tr["topic"] == topic]
    if tr.empty:
        raise ValueError("no training sessions" + (f" for topic {topic!r}" if topic else ""))
    date = tr["date"].value_counts().idxmax() if date is None else pd.Timestamp(date)
    session = tr[tr["date"] == date]
    cohort = set(session["rep_id"].astype(str))
    if not cohort:
        raise ValueError(f"nobody was trained on {date.date()}")
    topics = set(session["topic"]) if "topic" in session else set()
    o = _dates(opportunities, "created_date", "close_date")
    o = o[o["status"].isin(["won", "lost"])].copy()
    o["rep_id"] = o["rep_id"].astype(str)
    w = pd.DateOffset(months=window_months)
    cut = date
    if placebo_date is not None:
        cut = pd.Timestamp(placebo_date)
        if cut >= date:
            raise ValueError("placebo_date must lie before the training date")
        o = o[o[col] < date]
    o = o[(o[col] >= cut - w) & (o[col] < cut + w)]
    if exclude_other_trained and topics:
        others = tr if topic else _dates(training, "date")
        others = others[others["topic"].isin(topics) & (others["date"] != date)
                        & (others["date"] >= cut - w) & (others["date"] < cut + w)]
        o = o[~o["rep_id"].isin(set(others["rep_id"].astype(str)) - cohort)]
    o["won"] = (o["status"] == "won").astype(float)
    o["treated"] = o["rep_id"].isin(cohort)
    o["post"] = o[col] >= cut
    o["month"] = o[col].dt.strftime("%Y-%m")
    return o, cut


def _conversion_cohort(o: pd.DataFrame, *, since) -> tuple[pd.DataFrame, int]:
    """The deals behind :func:`team_tables`' stage conversion: created since ``since`` (the window
    runs to the data's date), and the open deals without a created date, which are open then
    (Maven's CRM export holds 53 at Prospecting; a ``>=`` on a missing date had dropped them).
    Returns the deals and how many of them are undated."""
    created = pd.to_datetime(o["created_date"])
    undated = created.isna() & (o["status"] == "open")
    return o[(created >= since) | undated], int(undated.sum())


# --------------------------------------------------------------------------- computed once per run
#: the per-rep tables 02 writes once per run and every rep scorecard reads
REP_TABLES = ("rep_attainment", "rep_funnel", "rep_win_rates", "rep_stage_conversion",
              "company_stage_conversion", "rep_stage_tests", "rep_coaching", "rep_revenue",
              "rep_revenue_summary")

#: months of net revenue per rep behind the scorecards' trend chart (``rep_revenue``)
REP_TREND_MONTHS = 12


def team_tables(
    *,
    month: str,
    funnel_start,
    end,
    opportunities: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    rep_months: pd.DataFrame | None = None,
    reps: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    stages=OPEN_STAGES,
    shrinkage: Literal["hierarchical", "mom", "ml"] = "hierarchical",
    correction: str = "fdr_bh",
    lookback_months: int = 6,
    fiscal_year_start: int = 1,
    as_of=None,
) -> dict[str, pd.DataFrame | None]:
    """The team-wide analyses of a month, computed once (02) and read per rep (scorecards).

    Parameters
    ----------
    month : str
        Report month ``"YYYY-MM"``.
    funnel_start, end : date-like
        Window of closed deals behind win rates and the funnel (``[funnel_start, end)``); stage
        conversions use deals created from ``lookback_months`` before ``funnel_start``.
    opportunities : DataFrame, optional
        Opportunities with ``name`` and ``team`` joined in when known.
    history, rep_months, reps, targets : DataFrame, optional
    stages : StageOrder or sequence of str
    shrinkage, correction : str
        As in :func:`shrink_win_rates` and :func:`stage_tests`.
    fiscal_year_start : int
        First calendar month of the fiscal year: QTD and YTD attainment follow it.
    as_of : date-like, optional
        The data's as-of date: the funnel's pipeline leaves out the deals already won or lost by
        then (:func:`funnel_metrics`).

    Returns
    -------
    dict
        ``attainment`` (every level), ``rep_attainment`` (rep rows), ``rep_funnel``,
        ``rep_win_rates``, ``rep_stage_conversion``, ``company_stage_conversion``,
        ``rep_stage_tests``, ``rep_coaching``, ``rep_revenue`` (``period``, ``rep_id``,
        ``revenue`` of the :data:`REP_TREND_MONTHS` months before ``end``, from ``rep_months``) and
        ``rep_revenue_summary`` (:func:`rep_revenue_table`: every rep's month, QTD, YTD and 12
        months, which a scorecard shows when there is no target);
        None where the data cannot support it (no targets, no opportunities, no stage history,
        no closed deal, no rep on the orders).
    """
    out: dict[str, pd.DataFrame | None] = dict.fromkeys(("attainment", *REP_TABLES))
    if rep_months is not None and rep_months["rep_id"].notna().any():
        since = pd.Timestamp(end) - pd.DateOffset(months=REP_TREND_MONTHS)
        keep = rep_months["rep_id"].notna() & (pd.to_datetime(rep_months["period"]) >= since)
        out["rep_revenue"] = rep_months.loc[keep, ["period", "rep_id", "revenue"]] \
            .reset_index(drop=True)
    if rep_months is not None:
        out["rep_revenue_summary"] = rep_revenue_table(rep_months, reps, month=month,
                                                       fiscal_year_start=fiscal_year_start)
    if targets is not None and rep_months is not None:
        actuals = rollup_actuals(rep_months, reps if reps is not None and len(reps) else None)
        out["attainment"] = attainment(actuals, targets, month=month,
                                       fiscal_year_start=fiscal_year_start)
        out["rep_attainment"] = out["attainment"][out["attainment"]["level"] == "rep"] \
            .reset_index(drop=True)
    if opportunities is None:
        return out
    o = opportunities
    by = ["rep_id", *[c for c in ("name", "team") if c in o]]
    fm = funnel_metrics(o, history, by=by, start=funnel_start, end=end, stages=stages, as_of=as_of)
    out["rep_funnel"] = fm
    closed = fm[fm["won"] + fm["lost"] > 0]
    if len(closed):
        out["rep_win_rates"] = shrink_win_rates(closed, method=shrinkage)
    recent, undated = _conversion_cohort(o, since=pd.Timestamp(funnel_start)
                                         - pd.DateOffset(months=lookback_months))
    out["company_stage_conversion"] = stage_conversion(recent, history, stages=stages)
    if undated and len(out["company_stage_conversion"]):
        conv = out["company_stage_conversion"]
        conv.attrs["note"] = Message.join(" ", [conv.attrs.get("note", ""), Message(
            "{n} open deals without a created date are counted in the stage conversion: they are open at "
            "the data's date, where the window ends (when they were created is not known).",
            n=f"{undated:,}")])
    if history is not None:
        conv = stage_conversion(recent, history, by=["rep_id"], stages=stages)
        out["rep_stage_conversion"] = conv if len(conv) else None  # the company table says why
        if len(conv):
            out["rep_stage_tests"] = stage_tests(conv, correction=correction)
            out["rep_coaching"] = coaching_list(conv, correction=correction)
    return out


def training_feasibility(
    opportunities: pd.DataFrame,
    training: pd.DataFrame,
    *,
    topic: str | None = None,
    window_months: int = 12,
) -> str:
    """Why :func:`training_effect` cannot be estimated on this data ("" when it can).

    Needs a training session (of ``topic``), trained reps and at least two untrained reps with
    closed deals in the window, closed deals of the trained reps and of the others (reps trained
    on the topic on another date left out, as the estimate does) both before and after the
    training date, and an effect the rep and month effects do not absorb (:class:`NotIdentified`).
    """
    tr = _dates(training, "date")
    if topic:
        tr = tr[tr["topic"] == topic]
    if tr.empty:
        return (Message("no training session on {topic} in the data", topic=Verbatim(repr(topic)))
                if topic else Message("no training session in the data"))
    date = tr["date"].value_counts().idxmax()
    cohort = set(tr.loc[tr["date"] == date, "rep_id"].astype(str))
    o = _dates(opportunities, "created_date", "close_date")
    o = o[o["status"].isin(["won", "lost"])]
    w = pd.DateOffset(months=window_months)
    o = o[(o["created_date"] >= date - w) & (o["created_date"] < date + w)]
    reps = set(o["rep_id"].astype(str))
    controls = reps - cohort
    if len(controls) < 2:
        return Message("the training of {date} needs at least two untrained reps with closed deals "
                       "to compare with; this data has {n}", date=str(date.date()), n=len(controls))
    if not (reps & cohort):
        return Message("none of the reps trained on {date} closed a deal in the window",
                       date=str(date.date()))
    before, after = (o["created_date"] < date).any(), (o["created_date"] >= date).any()
    if not (before and after):
        return Message("the comparison needs closed deals created both before and after {date}; "
                       "this data has them only before" if before else
                       "the comparison needs closed deals created both before and after {date}; "
                       "this data has them only after", date=str(date.date()))
    # the deals the estimate compares (other reps trained on the topic left out of the controls):
    # each of trained / others × before / after must hold some, and the effect must not be a
    # combination of the rep and month effects (did() refuses both; the model is not fitted here)
    d, _ = _training_frame(opportunities, training, date=date, topic=topic,
                           window_months=window_months)
    for who in (True, False):
        rows = d["treated"] == who
        b, a = (rows & ~d["post"]).any(), (rows & d["post"]).any()
        if not (b and a):
            return Message(
                "the reps trained on {date} closed no deal created {when} it in the window"
                if who else
                "the untrained reps closed no deal created {when} {date} in the window",
                date=str(date.date()), when=Message("after") if b else Message("before"))
    if _absorbed(_did_design(d, unit="rep_id", time="month", treated="treated", post="post")):
        return Message("the data cannot tell the training's effect apart from the reps' and the "
                       "months' own effects")
    return ""


def training_effects(
    opportunities: pd.DataFrame,
    training: pd.DataFrame,
    *,
    topic: str | None = None,
    window_months: int = 12,
    placebo_months: int = 0,
) -> list[DiDResult]:
    """The training's effect (:func:`training_effect`) and, when asked and the data reaches back
    far enough, a placebo estimate ``placebo_months`` before it (which should be about zero).

    The placebo runs only when ``placebo_months > 0`` and the deals start at least three months
    before the placebo date, and is left out when the data cannot tell it (:class:`NotIdentified`).
    """
    did_ = training_effect(opportunities, training, topic=topic, window_months=window_months)
    results = [did_]
    placebo_date = pd.Timestamp(did_.date) - pd.DateOffset(months=placebo_months)
    created = pd.to_datetime(opportunities["created_date"])
    if placebo_months > 0 and created.min() <= placebo_date - pd.DateOffset(months=3):
        try:
            results.append(training_effect(opportunities, training, topic=topic,
                                           window_months=window_months, placebo_date=placebo_date))
        except NotIdentified:  # e.g. the cohort closed nothing before the placebo date: no placebo
            pass
    return results


def training_table(results: Sequence[DiDResult]) -> pd.DataFrame:
    """One row per estimate of :func:`training_effects` (``estimate``: training or placebo)."""
    return pd.DataFrame([{"estimate": "placebo" if r.placebo else "training", "date": r.date,
                          "effect": r.effect, "ci_low": r.ci_low, "ci_high": r.ci_high,
                          "p_value": r.p_value, "deals": r.n_obs, "trained_reps": r.n_treated,
                          "other_reps": r.n_control} for r in results])


def top_and_flagged(
    table: pd.DataFrame,
    *,
    n: int,
    flag: str = "funnel_flag",
    ok: str = "within",
) -> pd.DataFrame:
    """The first ``n`` rows of a ranked table, then every flagged row beyond them.

    A top-10 cut must not hide a rep the page flags (a rep low at 95 % ranks near the bottom).

    Parameters
    ----------
    table : DataFrame
        Rows in rank order (e.g. :func:`shrink_win_rates`, sorted by ``shrunk_rate``).
    n : int
        Rows shown whatever their flag.
    flag : str
        Column of the flag; rows whose flag is not ``ok`` (nor missing) count as flagged.
    ok : str
        The value of an unflagged row.

    Returns
    -------
    DataFrame
        ``rank`` (1 = first row of ``table``) and the columns of ``table``; ``attrs["beyond"]``
        is the number of flagged rows added after the first ``n``.
    """
    out = table.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    pos = np.arange(len(out))
    extra = (pos >= n) & out[flag].notna().to_numpy() & (out[flag] != ok).to_numpy()
    view = out[(pos < n) | extra].reset_index(drop=True)
    view.attrs["beyond"] = int(extra.sum())
    return view


def company_win_rate_note(funnel: Mapping[str, Any], *, months: int, month: str) -> Message:
    """The company win rate in words (the figure notebook 02 publishes as ``win_rate``), or why it
    is not published.

    Parameters
    ----------
    funnel : mapping
        One row of :func:`funnel_metrics` with ``by=()`` (``won``, ``lost``, ``win_rate``).
    months : int
        Length of the funnel window, in months.
    month : str
        The report month (``YYYY-MM``), the window's last month.

    Returns
    -------
    Message
        A sentence for ``sn.note``, translated on the page.
    """
    closed = int(funnel["won"] + funnel["lost"])
    if closed:
        said = Message("Company win rate: {rate} (won ÷ won + lost) of the {n} deals closed in the {months} "
                       "months to {month}.", rate=fmt.pct(funnel["win_rate"]), n=f"{closed:,}", months=months,
                       month=month)
        if int(funnel["lost"]):
            return said
        # no lost deal at all: an export of won deals only (or one whose lost deals were dropped)
        return Message.join(" ", [said, Message(
            "None of them is recorded lost: lost deals may not be in the data, and then this is no win rate.")])
    return Message("No deal was won or lost in the {months} months to {month}: the company win rate is not "
                   "published.", months=months, month=month)
