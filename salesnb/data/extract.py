"""Standard aggregates computed in the engine and returned as small pandas frames.

These functions never pull the order table into pandas: they build Ibis expressions, the engine
(DuckDB, PostgreSQL, ...) aggregates, and only the result crosses over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.operations as ops
import pandas as pd

from salesnb.constants import NOW_DAYS
from salesnb.data.contract import STAGES, TABLES
from salesnb.data.sources import Dataset
from salesnb.periods import is_now

#: tables small enough to pull into pandas whole (one row per deal, stage change, rep, target...)
SMALL_TABLES = ("opportunities", "opportunity_history", "forecast_category_history", "reps",
                "targets", "training", "products", "market")

_TRUNC = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y"}


#: the exact type money is summed in: 38 digits, 6 after the point (sums up to 10^32)
MONEY = "decimal(38, 6)"


def cents(expr):
    """A money sum, computed exactly and rounded to the cent in one defined way on every engine.

    A sum of floats depends on the order of addition (a parallel engine adds in a different order on
    every run), and engines round ties differently (DuckDB, Spark and PostgreSQL disagreed by a cent
    in a few hundred of 66,632 cells). So the values are cast to :data:`MONEY` (exact decimals)
    before they are added, the exact sum is rounded half away from zero to the cent (the decimal
    rounding of DuckDB, Spark and PostgreSQL alike) and returned as a float. ``expr`` is a ``sum``
    (with or without ``where``); any other expression is rounded the same way.
    """
    op = expr.op()
    if isinstance(op, ops.Sum) and op.arg.dtype.is_numeric():
        arg = op.arg.to_expr().cast(MONEY)
        where = None if op.where is None else op.where.to_expr()
        expr = arg.sum(where=where)
    else:
        expr = expr.cast(MONEY)
    return expr.round(2).cast("float64")


def as_date(x) -> object:
    """A date-like as a ``datetime.date`` for an engine filter (None stays None).

    The one converter of window bounds every query module uses (``start``/``end`` arguments).
    """
    return None if x is None else pd.Timestamp(x).date()


def _between(t, col: str, start, end):
    if start is not None:
        t = t.filter(t[col] >= as_date(start))
    if end is not None:
        t = t.filter(t[col] < as_date(end))
    return t


def small_table(ds: Dataset, name: str, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Pull one of the small CRM tables into pandas whole, dates as Timestamps.

    Parameters
    ----------
    ds : Dataset
    name : str
        One of :data:`SMALL_TABLES`; the order table is refused (aggregate it in the engine).
    columns : sequence of str, optional
        Columns to keep (those missing from the source are skipped).

    Returns
    -------
    DataFrame
        Empty (with the requested columns) when the source has no such table.
    """
    if name not in SMALL_TABLES:
        raise ValueError(f"{name!r} is not a small table; aggregate it in the engine instead")
    if not ds.has(name):
        return pd.DataFrame(columns=list(columns or []))
    t = ds.table(name)
    if columns is not None:
        t = t.select(*[c for c in columns if c in t.columns])
    df = t.execute()
    for c in TABLES[name].columns:
        if c.kind == "date" and c.name in df:
            df[c.name] = pd.to_datetime(df[c.name])
    return df


def closed_deals(ds: Dataset, *, start=None, end=None):
    """Won and lost opportunities closed in ``[start, end)``, as an Ibis expression (not executed)."""
    o = ds.table("opportunities")
    return _between(o.filter(o.status.isin(["won", "lost"])), "close_date", start, end)


#: what :func:`revenue` can sum or count per period (optional columns only when orders have them)
MEASURES: tuple[str, ...] = ("revenue", "lines", "orders", "customers", "quantity", "list_amount",
                             "cost", "revenue_sq")
_DEFAULT_MEASURES = ("revenue", "lines", "orders", "customers", "quantity", "list_amount", "cost")
_STEP = {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1),
         "Q": pd.DateOffset(months=3), "Y": pd.DateOffset(years=1)}


def _measure(t, name: str):
    if name == "revenue":
        return cents(t.amount.sum())
    if name == "lines":
        return t.count()
    if name == "orders":
        return t.order_id.nunique()
    if name == "customers":
        return t.customer_id.nunique()
    if name == "quantity":
        return t.quantity.sum()
    if name == "revenue_sq":
        return cents((t.amount * t.amount).sum())
    return cents(t[name].sum())  # list_amount, cost


def revenue(
    ds: Dataset,
    *,
    freq: str = "M",
    by: Sequence[str] = (),
    start=None,
    end=None,
    complete: bool = False,
    where: Mapping[str, object] | None = None,
    measures: Sequence[str] | None = None,
    dropna: bool = False,
) -> pd.DataFrame:
    """Revenue and volume per period and dimensions, aggregated in the engine.

    The one revenue-per-period query: the area modules' monthly/weekly/per-entity revenue
    functions are thin aliases of it. Periods follow :mod:`salesnb.periods` (the Timestamp of the
    period's first day).

    Parameters
    ----------
    ds : Dataset
        The source.
    freq : {"D", "W", "M", "Q", "Y"}
        Period length; weeks start on Monday.
    by : sequence of str
        Order columns to group by (e.g. ``("region", "category")``).
    start, end : date-like, optional
        Half-open window ``[start, end)`` on ``order_date``.
    complete : bool
        Keep only periods that lie wholly inside ``[start, end)`` (no partial first or last week,
        month...), so that a chart does not show a cut period as a drop. With ``start`` and ``end``
        given, every whole period between the data's first order and its as-of date is a row: one
        without orders has zero measures (per ``by`` group seen), so a chart shows an empty week as
        zero instead of joining its neighbours over it.
    where : mapping, optional
        Order column → value or list of values to keep (filtered in the engine), e.g.
        ``{"rep_id": ["R01", "R02"]}``.
    measures : sequence of str, optional
        What to compute, from :data:`MEASURES` (``revenue_sq``: the sum of squared line amounts,
        for a bootstrap variance). Default: ``revenue``, ``lines``, ``orders``, ``customers`` and,
        when the columns exist, ``quantity``, ``list_amount``, ``cost``. Distinct counts
        (``orders``, ``customers``) cost the engine most: ask only for what you use.
    dropna : bool
        Drop order lines whose ``by`` columns are missing (in the engine).

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the period start), the ``by`` columns, then the measures.
        Sorted by ``by`` then ``period``.
    """
    if freq not in _TRUNC:
        raise ValueError(f"freq must be one of {', '.join(_TRUNC)}, got {freq!r}")
    t = _between(ds.table("orders"), "order_date", start, end)
    by = list(by)
    missing = [c for c in [*by, *(where or {})] if c not in t.columns]
    if missing:
        raise KeyError(f"orders has no column(s) {missing} to group by or filter on")
    for col, val in (where or {}).items():
        vals = [val] if isinstance(val, str) or not isinstance(val, Iterable) else list(val)
        t = t.filter(t[col].isin(vals))
    if dropna:
        for col in by:
            t = t.filter(t[col].notnull())
    if measures is None:
        measures = [m for m in _DEFAULT_MEASURES
                    if m not in ("quantity", "list_amount", "cost") or m in t.columns]
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure(s) {unknown}; one of: {', '.join(MEASURES)}")
    period = t.order_date.truncate(_TRUNC[freq]) if freq != "D" else t.order_date
    aggs = {m: _measure(t, m) for m in measures}
    expr = t.group_by([period.name("period"), *by]).aggregate(**aggs)
    df = expr.execute()
    df["period"] = pd.to_datetime(df["period"])
    if complete:
        step = _STEP[freq]
        keep = pd.Series(True, index=df.index)
        if start is not None:
            keep &= df["period"] >= pd.Timestamp(start)
        if end is not None:
            keep &= (df["period"] + step) <= pd.Timestamp(end)
        df = df[keep]
        if start is not None and end is not None:
            first = ds.first_order_date
            if first is not None:
                # within the data: from its first order's period to its as-of date
                lo = max(pd.Timestamp(start), pd.Timestamp(first).to_period(_PERIOD[freq]).start_time)
                hi = min(pd.Timestamp(end), ds.as_of + pd.Timedelta(days=1))
                df = _fill_periods(df, freq, lo, hi, by)
    return df.sort_values([*by, "period"], ignore_index=True)


#: pandas period codes of the engine's truncation (weeks start on Monday)
_PERIOD = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}


def _fill_periods(df: pd.DataFrame, freq: str, start: pd.Timestamp, end: pd.Timestamp,
                  by: list[str]) -> pd.DataFrame:
    """``df`` with a row of zeros for every whole period of ``[start, end)`` it lacks (per ``by``
    group present)."""
    first = start.to_period(_PERIOD[freq]).start_time
    first = first if first >= start else first + _STEP[freq]
    grid = []
    while first + _STEP[freq] <= end:
        grid.append(first)
        first = first + _STEP[freq]
    if not grid:
        return df
    keys = df[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    full = keys.merge(pd.DataFrame({"period": grid}), how="cross")
    seen = full.merge(df[["period", *by]], on=["period", *by], how="left", indicator=True)
    empty = seen.loc[seen["_merge"] == "left_only", ["period", *by]]
    if empty.empty:
        return df
    zeros = empty.assign(**{c: pd.Series(0, index=empty.index).astype(df[c].dtype)
                            for c in df.columns.difference(["period", *by])})
    return pd.concat([df, zeros[list(df.columns)]], ignore_index=True)


def customer_summary(ds: Dataset, *, as_of=None) -> pd.DataFrame:
    """Per-customer purchase summary (RFM and BG/NBD inputs), computed in the engine.

    Parameters
    ----------
    ds : Dataset
    as_of : date-like, optional
        Only orders on or before this date count; defaults to ``ds.as_of``.

    Returns
    -------
    DataFrame
        One row per customer with a purchase day: ``customer_id``, ``first_date``, ``last_date``,
        ``n_days`` (distinct purchase days: days with positive net revenue, so a day of net
        returns is not a purchase), ``n_orders`` (on purchase days), ``revenue`` (total, net of
        every return), ``frequency`` (repeat purchase days,
        ``n_days - 1``), ``recency_days`` (last − first), ``T_days`` (as_of − first),
        ``monetary_value`` (mean revenue of the repeat purchase days; 0 without repeats),
        ``days_since_last`` (as_of − last).
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else ds.as_of
    t = ds.table("orders")
    t = t.filter(t.order_date <= as_of.date())
    daily = t.group_by(["customer_id", "order_date"]).aggregate(
        day_rev=cents(t.amount.sum()), day_orders=t.order_id.nunique()
    )
    # a purchase day is a day with positive net revenue: a day of net returns is not a purchase
    buy = daily.day_rev > 0
    w = ibis.window(group_by="customer_id")
    daily = daily.mutate(buy=buy, first_date=daily.order_date.min(where=buy).over(w))
    repeat_rev = ibis.cases((daily.buy & (daily.order_date > daily.first_date), daily.day_rev),
                            else_=0.0)
    s = daily.group_by("customer_id").aggregate(
        first_date=daily.order_date.min(where=daily.buy),
        last_date=daily.order_date.max(where=daily.buy),
        n_days=daily.count(where=daily.buy),
        n_orders=daily.day_orders.sum(where=daily.buy),
        revenue=cents(daily.day_rev.sum()),
        repeat_revenue=cents(repeat_rev.sum()),
    )
    s = s.filter(s.n_days > 0)
    return summary_columns(s.execute(), as_of=as_of)


def summary_columns(df: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.DataFrame:
    """The per-customer summary's derived columns from its engine aggregates (``first_date``,
    ``last_date``, ``n_days``, ``repeat_revenue`` ...): frequency, recency, age and average repeat
    spend at ``as_of``, sorted by customer (shared by :func:`customer_summary` and
    ``segments_queries.customer_summaries``)."""
    for c in ("first_date", "last_date"):
        df[c] = pd.to_datetime(df[c])
    df["frequency"] = df["n_days"] - 1
    df["recency_days"] = (df["last_date"] - df["first_date"]).dt.days
    df["T_days"] = (as_of - df["first_date"]).dt.days
    df["days_since_last"] = (as_of - df["last_date"]).dt.days
    freq = df["frequency"].where(df["frequency"] > 0)
    df["monetary_value"] = (df["repeat_revenue"] / freq).fillna(0.0)
    df = df.drop(columns="repeat_revenue")
    return df.sort_values("customer_id", ignore_index=True)


def pipeline_snapshot(ds: Dataset, *, at, past_days: int = NOW_DAYS) -> pd.DataFrame:
    """Opportunities that were open at date ``at``, with the stage they were in then.

    An opportunity is open at ``at`` when it was created on or before ``at`` and it is still open, or
    it closed after ``at``; when ``at`` lies within ``past_days`` of the data's as-of date, a close
    date after the as-of date does not count: it is a plan typed on a deal the data already records
    as won or lost (a Salesforce export of 2023-09-01 held deals Closed Lost with close dates typed
    for 2023-09-30: the report of August counted them open on August 31), while a deal that closed
    between ``at`` and the as-of date was open at ``at``.
    An open deal without a created date (the contract allows it) is open at
    the data's as-of date and later, with no ``age_days`` (nor ``days_in_stage`` without a stage
    history); before the as-of date, when it started is not known, so it is left out.

    Returns
    -------
    DataFrame
        The opportunity columns plus ``stage_at`` (stage on ``at``; the current stage when there is no
        history), ``stage_entered`` (date that stage was entered), ``days_in_stage`` and ``age_days``.
    """
    at = pd.Timestamp(at)
    o = ds.table("opportunities")
    created = o.created_date <= at.date()
    if at.normalize() >= ds.as_of.normalize():
        created = created | (o.created_date.isnull() & (o.status == "open"))
    o = o.filter(created)
    if is_now(at, ds.as_of, days=past_days):
        # "now": a close date after the data's date is a plan typed on a deal already closed; one
        # between ``at`` and the data's date is when it closed, so it was open at ``at``
        o = o.filter((o.status == "open") | ((o.close_date > at.date())
                                             & (o.close_date <= ds.as_of.normalize().date())))
    else:
        o = o.filter((o.status == "open") | (o.close_date > at.date()))
    if ds.has("opportunity_history"):
        h = ds.table("opportunity_history")
        h = h.filter(h.entered_date <= at.date())
        w = ibis.window(group_by="opportunity_id", order_by=ibis.desc("entered_date"))
        h = h.mutate(rn=ibis.row_number().over(w)).filter(lambda x: x.rn == 0)
        h = h.select(
            "opportunity_id", stage_at=h.stage, stage_entered=h.entered_date
        )
        o = o.left_join(h, "opportunity_id").drop("opportunity_id_right")
    df = o.execute()
    if "stage_at" not in df:
        df["stage_at"] = df["stage"]
        df["stage_entered"] = df["created_date"]
    df["stage_at"] = df["stage_at"].fillna(df["stage"])
    for c in ("created_date", "close_date", "stage_entered", "last_activity_date"):
        if c in df:
            df[c] = pd.to_datetime(df[c])
    df["stage_entered"] = df["stage_entered"].fillna(df["created_date"])
    df["days_in_stage"] = (at - df["stage_entered"]).dt.days
    df["age_days"] = (at - df["created_date"]).dt.days
    return df.sort_values("opportunity_id", ignore_index=True)


def funnel_counts(
    ds: Dataset,
    *,
    by: Sequence[str] = ("rep_id",),
    start=None,
    end=None,
    stages: StageOrder | Sequence[str] | None = None,
) -> pd.DataFrame:
    """How many opportunities reached each stage, per group, from the stage history.

    Parameters
    ----------
    by : sequence of str
        Opportunity columns to group by (``()`` for the whole company).
    start, end : date-like, optional
        Half-open window on ``created_date``; a window reaching past the data's as-of date also counts
        the open deals without a created date.
    stages : StageOrder or sequence of str, optional
        The source's stage order (default :func:`stage_order` of ``ds``); a plain list is taken as
        the open stages in order (names starting with "Closed" are dropped). The first stage counts
        every opportunity created.

    Returns
    -------
    DataFrame
        ``by`` columns, ``stage``, ``stage_order`` and ``reached`` (opportunities that entered the
        stage, or a later one), then one row for won and one for lost deals (by ``status``; named
        after the source's won/lost stage). Without a history table, the current stage and status
        are used. When the stage order is per pipeline (:attr:`StageOrder.pipelines`), the same per
        pipeline, a ``pipeline`` column first: each pipeline's deals counted against its own stages.
    """
    if stages is None:
        stages = stage_order(ds)
    o = ds.table("opportunities")
    inside = ibis.literal(True)
    if start is not None:
        inside = inside & (o.created_date >= as_date(start))
    if end is not None:
        inside = inside & (o.created_date < as_date(end))
    if end is None or pd.Timestamp(end) > ds.as_of.normalize():
        # an open deal without a created date (the contract allows it) is in the stage counts of a
        # window that reaches the data's date: it is open now, when it started is not known
        inside = inside | (o.created_date.isnull() & (o.status == "open"))
    o = o.filter(inside)
    if isinstance(stages, StageOrder) and stages.pipelines and ds.has("opportunities", "pipeline"):
        parts = [_funnel_counts(ds, o.filter(o.pipeline == p), by, so).assign(pipeline=p)
                 for p, so in stages.pipelines.items()]
        df = pd.concat(parts, ignore_index=True)
        return df[["pipeline", *[c for c in df.columns if c != "pipeline"]]]
    return _funnel_counts(ds, o, by, stages)


def _funnel_counts(ds: Dataset, o, by: Sequence[str], stages) -> pd.DataFrame:
    """:func:`funnel_counts` of the opportunities ``o`` (an Ibis table) against one stage order."""
    if isinstance(stages, StageOrder):
        open_stages, won_name, lost_name = list(stages.open), stages.won, stages.lost
    else:
        open_stages = [s for s in stages if not str(s).startswith("Closed")]
        won_name, lost_name = ["Closed Won"], ["Closed Lost"]
    won_name = " / ".join(won_name) or "Closed Won"
    lost_name = " / ".join(lost_name) or "Closed Lost"
    by = list(by)
    order = {s: i for i, s in enumerate(open_stages)}
    cases = [(s, i) for s, i in order.items()]
    if ds.has("opportunity_history"):
        h = ds.table("opportunity_history")
        h = h.join(o.select("opportunity_id", "status", *by), "opportunity_id")
        stage_idx = h.stage.cases(*cases, else_=-1) if cases else ibis.literal(-1)
        reached = h.group_by(["opportunity_id", *by]).aggregate(
            max_stage=stage_idx.max(),
            won=(h.status == "won").any(),
            lost=(h.status == "lost").any(),
        )
    else:
        stage_idx = o.stage.cases(*cases, else_=0) if cases else ibis.literal(0)
        reached = o.mutate(
            max_stage=stage_idx, won=o.status == "won", lost=o.status == "lost"
        ).select("opportunity_id", *by, "max_stage", "won", "lost")
    df = reached.execute()
    rows = []
    keys = df.groupby(by, dropna=False) if by else [((), df)]
    for key, g in keys:
        key = key if isinstance(key, tuple) else (key,)
        base = dict(zip(by, key, strict=True))
        for s, i in order.items():
            # the first stage counts every opportunity created
            n = len(g) if i == 0 else int((g.max_stage >= i).sum())
            rows.append({**base, "stage": s, "stage_order": i, "reached": n})
        rows.append({**base, "stage": won_name, "stage_order": len(order),
                     "reached": int(g.won.sum())})
        rows.append({**base, "stage": lost_name, "stage_order": len(order) + 1,
                     "reached": int(g.lost.sum())})
    return pd.DataFrame(rows, columns=[*by, "stage", "stage_order", "reached"])


@dataclass(frozen=True)
class StageOrder:
    """The source's own pipeline stages, in order.

    Attributes
    ----------
    open : list of str
        Stages of a deal still in play, first to last.
    won, lost : list of str
        Stage names a won (lost) deal ends in (e.g. ``["Closed Won"]``, ``["赢单"]``).
    source : str
        Where the order came from: ``"stages table"``, ``"history"`` (median position of each stage in
        the deals' stage histories), ``"contract"`` (the demo's standard names) or ``"frequency"``
        (no history: stages held by more open deals first — a guess the notebooks must state).
    pipelines : mapping of str to StageOrder
        When the deals are in two or more pipelines (``opportunities.pipeline``), each pipeline's
        own order; empty otherwise. ``open``, ``won`` and ``lost`` then list every pipeline's stages
        (each name once, pipeline after pipeline) for the checks that do not look at pipelines; the
        funnel (:func:`funnel_counts`, :func:`salesnb.performance.stage_conversion`...) reads
        ``pipelines``, so a name in two pipelines (Closed Won) is two stages.
    """

    open: list[str]
    won: list[str]
    lost: list[str]
    source: str
    pipelines: Mapping[str, StageOrder] = field(default_factory=dict, compare=False)

    @property
    def all(self) -> list[str]:
        return [*self.open, *self.won, *self.lost]


def stage_order(ds: Dataset) -> StageOrder:
    """The pipeline's stages in order, from the data (never from a fixed list).

    Order of precedence: a ``stages`` table (``stage``, ``stage_order``); the stage histories (each
    open stage's median rank within its deal's history, by ``entered_date``); the contract's standard
    stage names when the data uses exactly those; else open stages by how many open deals hold them.
    Won/lost stage names are the current stages of won/lost deals that no open deal holds.

    When ``opportunities.pipeline`` names two or more pipelines, the same is done for each pipeline's
    deals (their history, and the ``stages`` rows of that pipeline when the table has a ``pipeline``
    column, else the rows of the stages its deals are in): :attr:`StageOrder.pipelines`.
    """
    o = ds.table("opportunities")
    h = ds.table("opportunity_history") if ds.has("opportunity_history") else None
    st = ds.table("stages") if ds.has("stages", "stage", "stage_order") else None
    if ds.has("opportunities", "pipeline"):
        names = o.select("pipeline").distinct().execute()["pipeline"].dropna()
        names = sorted(str(p) for p in names)
        if len(names) > 1:
            per = {}
            for p in names:
                op = o.filter(o.pipeline == p)
                hp = None if h is None else h.semi_join(op.select("opportunity_id"), "opportunity_id")
                sp = st
                if st is not None and "pipeline" in st.columns:
                    sp = st.filter(st.pipeline == p)
                elif st is not None:  # one list for every pipeline: the stages this pipeline's deals are in
                    seen = op.select("stage")
                    if hp is not None:
                        seen = seen.union(hp.select("stage"))
                    sp = st.filter(st.stage.isin(list(seen.distinct().execute()["stage"].dropna())))
                per[p] = _stage_order(op, hp, sp)
            return StageOrder(
                open=list(dict.fromkeys(x for so in per.values() for x in so.open)),
                won=list(dict.fromkeys(x for so in per.values() for x in so.won)),
                lost=list(dict.fromkeys(x for so in per.values() for x in so.lost)),
                source=next(iter(per.values())).source if len({so.source for so in per.values()}) == 1
                else "frequency" if any(so.source == "frequency" for so in per.values()) else "history",
                pipelines=per)
        if len(names) == 1 and st is not None and "pipeline" in st.columns:
            st = st.filter(st.pipeline == names[0])  # one pipeline's deals: that pipeline's stages
    return _stage_order(o, h, st)


def _closing_stages(o, h, held: set) -> dict[str, set]:
    """The stages of the history ``h`` no deal of ``o`` is in now (``held``) that only deals of one
    closed status enter, each as its last step: that status's stages. 纷享销客 商机2.0 leaves a lost
    deal in the stage it was lost in (商机状态 says 输单) while its history enters 输单: read from the
    deals alone, 输单 was an open stage every lost deal "reached"."""
    w = ibis.window(group_by=h.opportunity_id, order_by=[h.entered_date.desc(), h.stage.desc()])
    ranked = h.mutate(step_back=ibis.row_number().over(w))  # 0: the deal's last entry
    j = ranked.join(o.select("opportunity_id", deal_status=o.status), "opportunity_id")
    agg = (j.group_by("stage")
           .aggregate(n=j.count(), last=ibis.ifelse(j.step_back == 0, 1, 0).sum(),
                      won=ibis.ifelse(j.deal_status == "won", 1, 0).sum(),
                      lost=ibis.ifelse(j.deal_status == "lost", 1, 0).sum())
           .execute())
    out: dict[str, set] = {"won": set(), "lost": set()}
    for r in agg.itertuples(index=False):
        if r.stage is not None and str(r.stage) not in held and r.n and r.last == r.n:
            for k in ("won", "lost"):
                if getattr(r, k) == r.n:
                    out[k].add(str(r.stage))
    return out


def _stage_order(o, h, st) -> StageOrder:
    """:func:`stage_order` of the opportunities ``o``, their history ``h`` and stages table ``st``
    (Ibis tables; ``h`` and ``st`` may be None)."""
    cur = (o.group_by(["stage", "status"]).aggregate(n=o.count()).execute())
    by_status = {s: set(cur.loc[cur.status == s, "stage"].dropna()) for s in ("open", "won", "lost")}
    counts = cur.groupby("stage")["n"].sum()
    won = sorted(by_status["won"] - by_status["open"])
    lost = sorted(by_status["lost"] - by_status["open"])
    if st is None and h is not None and {"opportunity_id", "stage", "entered_date"} <= set(h.columns):
        ends = _closing_stages(o, h, set(cur["stage"].dropna()))
        won, lost = sorted({*won, *ends["won"]}), sorted({*lost, *ends["lost"]})
    closed = set(won) | set(lost)
    if st is not None:
        st = st.select("stage", "stage_order", *(["status"] if "status" in st.columns else [])).execute()
        st = st.sort_values(["stage_order", "stage"], kind="stable")
        if "status" in st.columns:  # the table's status decides the stages it lists: 纷享销客 商机2.0 keeps a
            said = dict(zip(st["stage"].astype(str), st["status"], strict=True))  # lost deal in its last
            listed = {k: {s for s, v in said.items() if v == k and s not in by_status["open"]}  # open stage:
                      for k in ("won", "lost")}  # no deal is in 输单 now, and none may be in the last open one
            won = sorted({s for s in won if s not in said} | listed["won"])
            lost = sorted({s for s in lost if s not in said} | listed["lost"])
            closed = set(won) | set(lost)
        names = [s for s in st["stage"].astype(str) if s not in closed]
        return StageOrder(open=names, won=won, lost=lost, source="stages table")
    known = set(counts.index) | (set() if h is None else set(
        h.select("stage").distinct().execute()["stage"].dropna()))
    if known <= set(STAGES) and known:
        std_open = [s for s in STAGES if s in known and not s.startswith("Closed")]
        std_won = [s for s in won if s == "Closed Won"] or won
        std_lost = [s for s in lost if s == "Closed Lost"] or lost
        return StageOrder(open=std_open, won=std_won, lost=std_lost, source="contract")
    if h is not None and {"opportunity_id", "stage", "entered_date"} <= set(h.columns):
        w = ibis.window(group_by=h.opportunity_id, order_by=[h.entered_date, h.stage])
        n = ibis.window(group_by=h.opportunity_id)
        ranked = h.mutate(pos=(ibis.row_number().over(w)).cast("float64"),
                          cnt=h.count().over(n).cast("float64"))
        ranked = ranked.mutate(rel=ibis.ifelse(ranked.cnt > 1,
                                               ranked.pos / (ranked.cnt - 1), 0.0))
        med = (ranked.group_by("stage").aggregate(m=ranked.rel.median(), k=ranked.count())
               .execute())
        med = med[~med["stage"].isin(closed)].sort_values(["m", "k", "stage"],
                                                           ascending=[True, False, True])
        names = list(med["stage"].astype(str))
        names += sorted(s for s in by_status["open"] if s not in names)
        return StageOrder(open=names, won=won, lost=lost, source="history")
    opens = cur[cur.status == "open"].groupby("stage")["n"].sum().sort_values(ascending=False)
    return StageOrder(open=[str(s) for s in opens.index], won=won, lost=lost, source="frequency")
