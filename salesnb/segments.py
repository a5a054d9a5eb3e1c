"""Customer segmentation: RFM, firmographic/demographic segments, clusters, cohorts, affinity, NPS.

Pure functions over tidy pandas frames (the per-customer aggregates come from the engine through
:mod:`salesnb.data.segments_queries`): data first, options keyword-only, no I/O, no printing.

Where a function compares groups it also returns the test behind the comparison, and
:func:`describe_differences` only words a difference as a difference when its test supports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from salesnb import fmt
from salesnb.fmt import p_value
from salesnb.i18n import Message, Verbatim

__all__ = [
    "SEGMENTS",
    "SEGMENT_GRID",
    "ABSENT_SEGMENTS",
    "LAPSE_GAPS",
    "quintile_scores",
    "usual_gap_days",
    "rhythm_note",
    "rfm_scores",
    "rfm_segment_summary",
    "rfm_transitions",
    "customer_windows",
    "segment_stats",
    "segment_tests",
    "tests_view",
    "describe_differences",
    "findings_text",
    "cluster_features",
    "ClusterResult",
    "kmeans_clusters",
    "cohort_retention",
    "cohort_matrix",
    "revenue_retention",
    "affinity_from_baskets",
    "affinity_rules",
    "next_best_product",
    "top_customers",
    "offer_dash_note",
    "nps_score",
    "nps_category",
    "nps_summary",
    "nps_test",
    "nps_predicts_retention",
]

# ----------------------------------------------------------------------------------------------- RFM
#: Named RFM segments, best first.
SEGMENTS: tuple[str, ...] = (
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New",
    "At risk",
    "Can't lose",
    "Hibernating",
    "Lost",
)

#: Segment of every (R score, FM score) cell; FM is the rounded mean of the F and M scores.
#: Rows: R = 5 (bought most recently) … 1; columns FM = 1 … 5.
SEGMENT_GRID: dict[tuple[int, int], str] = {}
for _fm in range(1, 6):
    for _r in range(1, 6):
        if _r >= 4:
            _s = (
                "New"
                if _fm == 1
                else "Potential loyalists"
                if _fm <= 3
                else ("Champions" if (_r == 5 or _fm == 5) else "Loyal")
            )
        elif _r == 3:
            _s = "Hibernating" if _fm == 1 else "Potential loyalists" if _fm <= 3 else "Loyal"
        else:  # R 1-2: lapsed
            if _fm == 5:
                _s = "Can't lose"
            elif _fm >= 3:
                _s = "At risk"
            else:
                _s = "Hibernating" if _r == 2 else "Lost"
        SEGMENT_GRID[(_r, _fm)] = _s


#: Segments whose names say the customer has stopped or is stopping buying.
ABSENT_SEGMENTS: tuple[str, ...] = ("At risk", "Can't lose", "Hibernating", "Lost")

#: A customer may be named in :data:`ABSENT_SEGMENTS` only when her time since the last purchase is
#: longer than this many of her usual gaps between purchases (:func:`usual_gap_days`). The recency
#: score ranks customers against each other; this keeps the name true for the customer herself. Two
#: gaps: a customer who keeps buying at a steady random rate is silent for longer than twice her
#: average gap only about one time in seven (e^-2), for longer than one gap more than one time in three.
LAPSE_GAPS = 2


def usual_gap_days(summary: pd.DataFrame, *, span: str = "recency_days",
                   repeats: str = "frequency") -> pd.Series:
    """Each customer's usual gap between purchases, in days.

    Parameters
    ----------
    summary : DataFrame
        One row per customer with ``span`` (days from the first to the last purchase day) and
        ``repeats`` (purchase days after the first), as :func:`salesnb.data.extract.customer_summary`
        gives them.

    Returns
    -------
    Series of float
        A repeat buyer's average gap between her purchase days (``span / repeats``); a one-time buyer
        takes the company's typical gap, the median of the repeat buyers' gaps (NaN when nobody
        bought twice).
    """
    n = summary[repeats].astype(float)
    own = summary[span].astype(float) / n.where(n > 0)
    typical = own.median() if own.notna().any() else np.nan
    return own.fillna(typical)


def quintile_scores(values, *, higher_is_better: bool = True, q: int = 5) -> np.ndarray:
    """Scores 1..q by quantile of ``values``; ties share a score (average rank).

    Parameters
    ----------
    values : array-like
    higher_is_better : bool
        When False (e.g. days since the last purchase) the smallest values get the top score.
    q : int
        Number of quantile groups.

    Returns
    -------
    ndarray of int
    """
    s = pd.Series(np.asarray(values, dtype=float))
    if not higher_is_better:
        s = -s
    pct = s.rank(method="average", pct=True)
    return np.clip(np.ceil(pct * q), 1, q).astype(int).to_numpy()


def rfm_scores(
    summary: pd.DataFrame,
    *,
    recency: str = "days_since_last",
    frequency: str = "n_orders",
    monetary: str = "revenue",
    span: str = "recency_days",
    repeats: str = "frequency",
    tenure: str = "T_days",
    q: int = 5,
) -> pd.DataFrame:
    """Recency, frequency and monetary quintile scores and the named segment per customer.

    Parameters
    ----------
    summary : DataFrame
        One row per customer (e.g. :func:`salesnb.extract.customer_summary`).
    recency : str
        Column with the time since the last purchase (smaller is better).
    frequency : str
        Column with the number of purchases (orders).
    monetary : str
        Column with the customer's revenue.
    span, repeats : str
        Columns of :func:`usual_gap_days` (days from the first to the last purchase day, purchase
        days after the first). When ``summary`` lacks them the names follow the grid alone.
    tenure : str
        Column with the time since the first purchase. Without it only a single purchase can be New.
    q : int
        Number of score levels (5 = quintiles).

    Returns
    -------
    DataFrame
        ``summary`` plus ``r_score``, ``f_score``, ``m_score`` (1 worst … 5 best), ``fm_score``
        (rounded mean of F and M), ``rfm_segment`` (ordered categorical, see :data:`SEGMENTS`
        and :data:`SEGMENT_GRID`) and, with the rhythm columns, ``usual_gap_days``,
        ``on_schedule`` (the grid named her absent but her silence is within her rhythm) and
        ``once_not_new`` (such a customer who bought once, named Potential loyalists).

    Notes
    -----
    A customer with at most one purchase (``frequency`` <= 1) takes the segment of the FM 1
    column whatever they spent: New (R 4–5), Hibernating (R 2–3) or Lost (R 1), never Champions,
    Loyal, Potential loyalists, At risk or Can't lose. When (almost) everyone bought once, the
    frequency scores all tie at 3 and a big single purchase would otherwise read as loyalty
    (BikeStores: 373 one-time buyers named Champions or Loyal).

    The recency score ranks customers against each other, so where everybody buys often the last
    fifth is called Lost though it bought days ago (Maven's CRM deals: "Lost" customers had bought
    8–32 days before, about their usual gap). A customer whose days since the last purchase are at
    most :data:`LAPSE_GAPS` times her usual gap (:func:`usual_gap_days`; a one-time buyer: the
    company's typical gap) is never named in :data:`ABSENT_SEGMENTS`: where the grid would, she is
    Potential loyalists (FM 1–3) or Loyal (FM 4–5); a one-time buyer is Potential loyalists
    (``once_not_new``), since her only purchase is older than the R 4–5 band's and New would claim a
    recent first purchase.

    A customer is New only when her first purchase is no older than the last purchases of the R 4–5
    customers (``tenure``, or a one-time buyer's ``recency``, at most their largest ``recency``); a
    repeat buyer in the grid's New cell (R 4–5, FM 1) who first bought earlier is Potential loyalists
    (Maven's CRM deals: the four "New" customers had 28–34 deals each since early 2017).
    """
    if q != 5:
        raise ValueError("the named segments are defined on quintile scores (q=5)")
    out = summary.copy()
    out["r_score"] = quintile_scores(out[recency], higher_is_better=False)
    out["f_score"] = quintile_scores(out[frequency])
    out["m_score"] = quintile_scores(out[monetary])
    out["fm_score"] = np.floor((out["f_score"] + out["m_score"]) / 2 + 0.5).astype(int)
    # one purchase says nothing about loyalty: a one-time buyer is read in the FM 1 column
    once = (out[frequency].astype(float) <= 1).to_numpy()
    seg = [SEGMENT_GRID[(r, 1 if o else fm)]
           for r, fm, o in zip(out["r_score"], out["fm_score"], once, strict=True)]
    # New must be true for the customer: her first purchase is as recent as the R 4-5 band's last
    # ones (a one-time buyer's first purchase is her last; without ``tenure`` a repeat buyer is not New)
    edge = out.loc[out["r_score"] >= 4, recency].astype(float).max()
    first_age = out[tenure].astype(float) if tenure in out else pd.Series(np.nan, index=out.index)
    first_age = first_age.where(~once, out[recency].astype(float))
    fresh = (first_age <= edge).to_numpy()
    seg = ["Potential loyalists" if s == "New" and not f else s for s, f in zip(seg, fresh, strict=True)]
    if span in out and repeats in out:
        # a name that claims absence must be true for the customer, not only against the others
        out["usual_gap_days"] = usual_gap_days(out, span=span, repeats=repeats)
        within = (out[recency].astype(float) <= LAPSE_GAPS * out["usual_gap_days"]).to_numpy()
        absent = np.isin(seg, ABSENT_SEGMENTS)
        out["on_schedule"] = within & absent
        # a one-time buyer there is not lapsed, but her purchase is older than the R 4-5 band's: not New
        out["once_not_new"] = out["on_schedule"] & once & ~fresh
        seg = [("New" if o and f else "Loyal" if fm >= 4 and not o else "Potential loyalists") if k else s
               for s, k, fm, o, f in zip(seg, out["on_schedule"], out["fm_score"], once, fresh, strict=True)]
    out["rfm_segment"] = pd.Categorical(seg, categories=list(SEGMENTS), ordered=True)
    return out


def rhythm_note(scored: pd.DataFrame) -> Message | str:
    """The page's sentence on the customers :func:`rfm_scores` kept out of the absent segments.

    Returns
    -------
    Message or str
        How many customers the recency score alone would have named At risk, Can't lose, Hibernating
        or Lost though they bought within :data:`LAPSE_GAPS` of their usual gaps; that no usual gap is
        known when nobody bought on two days; "" otherwise.
    """
    if "usual_gap_days" in scored and len(scored) and scored["usual_gap_days"].isna().all():
        return Message("Nobody bought on two different days, so no usual gap between purchases is known: the "
                       "names follow the recency rank alone.")
    n = int(scored["on_schedule"].sum()) if "on_schedule" in scored else 0
    if not n:
        return ""
    if n == 1:
        text = Message("1 customer would be At risk, Can't lose, Hibernating or Lost by recency rank alone, but "
                       "bought within {k} times her usual gap between purchases: she is named by her frequency "
                       "and spend instead.", k=LAPSE_GAPS)
    else:
        text = Message("{n} customers would be At risk, Can't lose, Hibernating or Lost by recency rank alone, but "
                       "bought within {k} times their usual gap between purchases: they are named by their "
                       "frequency and spend instead.", n=f"{n:,}", k=LAPSE_GAPS)
    moved = int(scored["once_not_new"].sum()) if "once_not_new" in scored else 0
    if not moved:
        return text
    return Message("{text} {m} of them bought only once, longer ago than the most recent customers: named "
                   "Potential loyalists, not New.", text=text, m=f"{moved:,}")


def rfm_segment_summary(
    scored: pd.DataFrame, *, segment: str = "rfm_segment", revenue: str = "revenue"
) -> pd.DataFrame:
    """Customers, revenue and their shares per RFM segment (every segment listed, best first).

    Returns
    -------
    DataFrame
        ``segment``, ``customers``, ``customer_share``, ``revenue``, ``revenue_share``,
        ``revenue_per_customer``.
    """
    g = scored.groupby(scored[segment].astype(str), observed=True)
    df = pd.DataFrame({"customers": g.size(), "revenue": g[revenue].sum()})
    df = df.reindex(list(SEGMENTS), fill_value=0)
    df.index.name = "segment"
    df = df.reset_index()
    n, rev = df["customers"].sum(), df["revenue"].sum()
    df["customer_share"] = df["customers"] / n if n else np.nan
    df["revenue_share"] = df["revenue"] / rev if rev else np.nan
    df["revenue_per_customer"] = df["revenue"] / df["customers"].replace(0, np.nan)
    return df[
        [
            "segment",
            "customers",
            "customer_share",
            "revenue",
            "revenue_share",
            "revenue_per_customer",
        ]
    ]


def rfm_transitions(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    *,
    key: str = "customer_id",
    segment: str = "rfm_segment",
    normalize: bool = True,
) -> pd.DataFrame:
    """Transition matrix of RFM segments between two snapshots (e.g. last month vs this month).

    Parameters
    ----------
    previous, current : DataFrame
        Scored customers (:func:`rfm_scores`) at the two dates.
    normalize : bool
        True: each row sums to 1 (share of the previous segment that moved to each current
        segment); False: customer counts.

    Returns
    -------
    DataFrame
        Rows: previous segment plus ``"(new customer)"``; columns: current segment.
    """
    p = previous[[key, segment]].rename(columns={segment: "previous"})
    c = current[[key, segment]].rename(columns={segment: "current"})
    m = c.merge(p, on=key, how="left")
    m["previous"] = m["previous"].astype(object).where(m["previous"].notna(), "(new customer)")
    m["current"] = m["current"].astype(str)
    rows = [*SEGMENTS, "(new customer)"]
    tab = pd.crosstab(m["previous"].astype(str), m["current"]).reindex(
        index=rows, columns=list(SEGMENTS), fill_value=0
    )
    tab = tab.loc[tab.sum(axis=1) > 0]
    if normalize:
        tab = tab.div(tab.sum(axis=1), axis=0)
    tab.index.name = "previous segment"
    tab.columns.name = "current segment"
    return tab


# ----------------------------------------------------------------------- firmographic / demographic
def customer_windows(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    attributes: pd.DataFrame | None = None,
    *,
    key: str = "customer_id",
) -> pd.DataFrame:
    """One row per customer active in either of two equal windows, ready for :func:`segment_stats`.

    Parameters
    ----------
    current, previous : DataFrame
        Per-customer ``revenue`` (and optionally ``margin``) in the current and the previous window
        (e.g. :func:`salesnb.data.segments_queries.customer_revenue` over the last 12 months and the
        12 before).
    attributes : DataFrame, optional
        Customer attributes (the customers table) joined on ``key``.

    Returns
    -------
    DataFrame
        ``key``, ``revenue``, ``prev_revenue``, ``margin`` (when given), ``retained`` (True / False for
        customers who bought in the previous window, missing otherwise) and the attributes.
    """
    cur = current.set_index(key)
    prev = previous.set_index(key)
    d = pd.DataFrame(index=cur.index.union(prev.index))
    d.index.name = key
    d["revenue"] = cur["revenue"].reindex(d.index).fillna(0.0)
    d["prev_revenue"] = prev["revenue"].reindex(d.index).fillna(0.0)
    if "margin" in cur:
        d["margin"] = cur["margin"].reindex(d.index).fillna(0.0)
    bought_before = d["prev_revenue"] > 0
    d["retained"] = pd.Series(d["revenue"] > 0, dtype="boolean").where(bought_before, pd.NA)
    d = d.reset_index()
    if attributes is not None:
        d = d.merge(attributes, on=key, how="left")
    return d


def segment_stats(
    customers: pd.DataFrame,
    *,
    by: str,
    revenue: str = "revenue",
    prev_revenue: str | None = "prev_revenue",
    margin: str | None = None,
    retained: str | None = "retained",
) -> pd.DataFrame:
    """Revenue, growth, margin and retention per segment of a customer attribute.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with the attribute ``by`` and the measures.
    by : str
        Attribute to segment by (region, industry, size_band, age_band, gender, income_band, ...).
        Customers without a value are left out (e.g. consumers have no industry).
    revenue : str
        Revenue in the current window.
    prev_revenue : str, optional
        Revenue in the previous window of the same length (for growth).
    margin : str, optional
        Gross margin (revenue − cost) in the current window.
    retained : str, optional
        Boolean: the customer bought in the previous window and again in the current one (missing
        for customers who did not buy in the previous window).

    Returns
    -------
    DataFrame
        ``by``, ``customers``, ``revenue``, ``revenue_share``, ``revenue_per_customer`` and, when the
        inputs exist, ``growth`` (current / previous − 1), ``margin_pct``, ``retention``.
    """
    d = customers.dropna(subset=[by])
    g = d.groupby(by, sort=True)
    out = pd.DataFrame({"customers": g.size(), "revenue": g[revenue].sum()})
    out["revenue_share"] = out["revenue"] / out["revenue"].sum()
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    if prev_revenue and prev_revenue in d:
        prev = g[prev_revenue].sum()
        out["growth"] = out["revenue"] / prev.replace(0, np.nan) - 1
    if margin and margin in d:
        out["margin_pct"] = g[margin].sum() / out["revenue"].replace(0, np.nan)
    if retained and retained in d:
        out["retention"] = g[retained].apply(lambda s: s.dropna().astype(float).mean())
    return out.reset_index().sort_values("revenue", ascending=False, ignore_index=True)


#: :func:`segment_tests` leaves out groups with fewer customers than this
MIN_GROUP = 5


def segment_tests(
    customers: pd.DataFrame,
    *,
    by: str,
    revenue: str = "revenue",
    margin: str | None = None,
    retained: str | None = "retained",
    alpha: float = 0.05,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Tests of whether revenue per customer, margin and retention differ between segments.

    - revenue per customer: Kruskal-Wallis (revenue is skewed, so ranks rather than means);
    - margin %: Kruskal-Wallis on the per-customer margin rate (customers with revenue > 0);
    - retention: chi-square test of independence on retained / not retained.

    Groups with fewer than ``min_group`` customers are left out of the test.

    Returns
    -------
    DataFrame
        ``attribute``, ``metric``, ``test``, ``statistic``, ``p_value``, ``groups``, ``n``,
        ``significant`` (p < alpha).
    """
    d = customers.dropna(subset=[by])
    rows = []

    def _kw(metric: str, series: pd.Series):
        groups = [s.dropna().to_numpy() for _, s in series.groupby(d[by])]
        groups = [g for g in groups if g.size >= min_group]
        if len(groups) < 2 or np.ptp(np.concatenate(groups)) == 0:
            return
        res = stats.kruskal(*groups)
        rows.append(
            (
                metric,
                "Kruskal-Wallis",
                res.statistic,
                res.pvalue,
                len(groups),
                int(sum(g.size for g in groups)),
            )
        )

    _kw("revenue per customer", d[revenue])
    if margin and margin in d:
        rate = (d[margin] / d[revenue]).where(d[revenue] > 0)
        _kw("margin %", rate)
    if retained and retained in d:
        r = d.dropna(subset=[retained])
        tab = pd.crosstab(r[by], r[retained].astype(bool))
        tab = tab.loc[tab.sum(axis=1) >= min_group]
        if tab.shape[0] >= 2 and tab.shape[1] == 2:
            chi = stats.chi2_contingency(tab.to_numpy())
            rows.append(
                (
                    "retention",
                    "chi-square",
                    chi.statistic,
                    chi.pvalue,
                    tab.shape[0],
                    int(tab.to_numpy().sum()),
                )
            )
    out = pd.DataFrame(rows, columns=["metric", "test", "statistic", "p_value", "groups", "n"])
    out.insert(0, "attribute", by)
    out["significant"] = out["p_value"] < alpha
    return out


def tests_view(tests: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """:func:`segment_tests` as 04 shows it: the attribute as its column label ("Customer type",
    not ``customer_type``), the metric and the test in words of the page's language.

    Parameters
    ----------
    tests : DataFrame
        :func:`segment_tests` output (``attribute``, ``metric``, ``test``, …).
    lang : str, optional
        The page's language; default the current one (:func:`salesnb.i18n.set_lang`).

    Returns
    -------
    DataFrame
        A copy with ``attribute``, ``metric`` and ``test`` as text for the page.
    """
    from salesnb.i18n import col_label, t

    out = tests.copy()
    if len(out):
        out["attribute"] = out["attribute"].map(lambda a: col_label(a, lang))
        out["metric"] = out["metric"].map(lambda m: str(t(str(m)[:1].upper() + str(m)[1:], lang)))
        out["test"] = out["test"].map(lambda x: str(t(str(x), lang)))
    return out


def describe_differences(
    stats_table: pd.DataFrame, tests: pd.DataFrame, *, by: str, alpha: float = 0.05
) -> list[str]:
    """Plain-words findings, claiming a difference only where its test is significant.

    Parameters
    ----------
    stats_table : DataFrame
        Output of :func:`segment_stats` for ``by``.
    tests : DataFrame
        Output of :func:`segment_tests` for ``by``.

    Returns
    -------
    list of str
    """
    column = {
        "revenue per customer": "revenue_per_customer",
        "margin %": "margin_pct",
        "retention": "retention",
    }
    out = []
    label = by.replace("_", " ")
    for _, t in tests.iterrows():
        col = column.get(t["metric"])
        if t["p_value"] < alpha and col in stats_table:
            s = stats_table.dropna(subset=[col]).sort_values(col)
            lo, hi = s.iloc[0], s.iloc[-1]
            out.append(Message(
                "{metric} differs by {attr} ({test}, {p}): highest for {hi}, lowest for {lo}.",
                metric=t["metric"].capitalize(), attr=label, test=t["test"], p=p_value(t["p_value"]),
                hi=Verbatim(hi[by]), lo=Verbatim(lo[by])))
        else:
            out.append(Message(
                "No evidence that {metric} differs by {attr} ({test}, {p}); treat gaps between "
                "{attr2} groups as noise.", metric=t["metric"], attr=label, test=t["test"],
                p=p_value(t["p_value"]), attr2=label))
    return out


def findings_text(lines) -> Message:
    """The findings of one attribute (:func:`describe_differences`) as one text for a note: its
    sentences joined as the page's language joins them (no space after a Chinese 。)."""
    return Message.join(" ", list(lines))


# ---------------------------------------------------------------------------------------- clusters
def cluster_features(
    summary: pd.DataFrame,
    mix: pd.DataFrame | None = None,
    *,
    key: str = "customer_id",
    recency: str = "days_since_last",
    frequency: str = "n_orders",
    monetary: str = "revenue",
    tenure: str = "T_days",
) -> pd.DataFrame:
    """Clustering features per customer: log-RFM, tenure and category mix.

    Parameters
    ----------
    summary : DataFrame
        One row per customer.
    mix : DataFrame, optional
        Category revenue shares, one row per customer (``key`` plus one column per category).

    Returns
    -------
    DataFrame
        Indexed by ``key``: ``log_recency``, ``log_frequency``, ``log_monetary`` (log1p; negative
        revenue counts as 0), ``tenure_years`` and ``mix: <category>`` columns (shares, 0 when none).
    """
    f = pd.DataFrame(index=summary[key].to_numpy())
    f.index.name = key
    f["log_recency"] = np.log1p(summary[recency].clip(lower=0).to_numpy(dtype=float))
    f["log_frequency"] = np.log1p(summary[frequency].clip(lower=0).to_numpy(dtype=float))
    f["log_monetary"] = np.log1p(summary[monetary].clip(lower=0).to_numpy(dtype=float))
    f["tenure_years"] = summary[tenure].to_numpy(dtype=float) / 365.25
    if f["log_frequency"].nunique() <= 1:
        # nobody bought more often than anybody else (e.g. one order per customer id): the column
        # says nothing, and tenure is then recency again; neither may describe a cluster
        f = f.drop(columns=["log_frequency", "tenure_years"])
    if mix is not None and len(mix):
        m = mix.set_index(key)
        m.columns = [f"mix: {c}" for c in m.columns]
        f = f.join(m, how="left")
        mix_cols = list(m.columns)
        f[mix_cols] = f[mix_cols].fillna(0.0)
    return f


@dataclass
class ClusterResult:
    """K-means clustering of customers.

    Attributes
    ----------
    labels : Series
        Cluster number (1 = highest revenue) per customer, indexed like the features.
    k : int
        Number of clusters chosen.
    silhouette : DataFrame
        ``k`` and mean ``silhouette`` for every k tried.
    centers : DataFrame
        Cluster centres in standardised units (one row per cluster).
    profiles : DataFrame
        A table a sales leader can read: size, medians, main category and a description.
    note : str
        Why there are no clusters (too few customers), else ``""``.
    """

    labels: pd.Series
    k: int
    silhouette: pd.DataFrame
    centers: pd.DataFrame
    profiles: pd.DataFrame
    note: str = ""


def _level(z: float, words: tuple[str, str, str]) -> str:
    return words[0] if z > 0.5 else words[2] if z < -0.5 else words[1]


def _ranked_levels(z: pd.Series, words: tuple[str, str, str]) -> pd.Series:
    """Each cluster's word for one feature from its centre ``z`` (:func:`_level`, ±0.5 sd), with the
    extremes named as such once the clusters differ at all: when they do not all get the same word,
    the cluster with the highest centre gets the top word and the one with the lowest the bottom
    word. Maven's CRM accounts: two clusters at +0.4 and −0.9 sd of spend read "Cluster 1 spends
    most" above "mid-spend" (the large cluster sits near the mean, which its own customers make)."""
    out = pd.Series([_level(float(v), words) for v in z], index=z.index, dtype=object)
    if out.nunique() > 1:
        out[z.idxmax()], out[z.idxmin()] = words[0], words[2]
    return out


#: the fewest customers per cluster k-means is asked for (k is at most customers ÷ this)
MIN_PER_CLUSTER = 5


def kmeans_clusters(
    features: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    *,
    k_range: Iterable[int] = range(2, 9),
    key: str = "customer_id",
    recency: str = "days_since_last",
    frequency: str = "n_orders",
    monetary: str = "revenue",
    mix_weight: float = 2.0,
    sample_size: int = 5000,
    random_state: int = 0,
) -> ClusterResult:
    """K-means on standardised features with k chosen by the mean silhouette.

    Parameters
    ----------
    features : DataFrame
        Output of :func:`cluster_features` (numeric, indexed by customer).
    summary : DataFrame, optional
        Per-customer summary used for the readable medians of the profile table.
    k_range : iterable of int
        Candidate numbers of clusters.
    mix_weight : float
        The ``mix: ...`` columns together weigh as much as this many single features (each is
        scaled by ``sqrt(mix_weight / n_mix)`` after standardising), so that many categories do not
        drown recency, frequency, spend and tenure.
    sample_size : int
        k is chosen on a random sample of this many customers (k-means and silhouette on the
        sample); the chosen k is then fitted on all customers.
    random_state : int

    Returns
    -------
    ClusterResult
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    X = features.to_numpy(dtype=float)
    k_range = list(k_range)
    # a cluster of one or two customers is no group: k-means and the silhouette need a few in each
    ks = [k for k in k_range if 2 <= k and k * MIN_PER_CLUSTER <= len(X)]
    if not ks:  # anonymous sales under one customer id, or a handful of customers (4 won deals)
        kmin = max(2, min(k_range, default=2))
        return ClusterResult(
            labels=pd.Series(pd.NA, index=features.index, dtype="Int64", name="cluster"), k=0,
            silhouette=pd.DataFrame(columns=["k", "silhouette"]), centers=pd.DataFrame(),
            profiles=pd.DataFrame(), note=Message(
                "Customer clusters need at least {per} customers per cluster ({k} for {kmin} clusters); "
                "this data has {n}: clusters skipped.", per=MIN_PER_CLUSTER, k=kmin * MIN_PER_CLUSTER,
                kmin=kmin, n=len(X)))
    sd = X.std(axis=0)
    keep = sd > 0
    Z = StandardScaler().fit_transform(X[:, keep])
    cols = features.columns[keep]
    is_mix = np.array([c.startswith("mix: ") for c in cols])
    if is_mix.any():
        Z[:, is_mix] *= np.sqrt(mix_weight / is_mix.sum())
    rng = np.random.default_rng(random_state)
    idx = rng.choice(len(Z), size=min(sample_size, len(Z)), replace=False)
    # one thread: OpenMP k-means slows down by an order of magnitude on a busy machine
    with threadpool_limits(1):
        # k is chosen on a sample (fit and silhouette), the chosen k is then fitted on everyone
        Zs = Z[idx]
        scores = []
        for k in ks:
            lab = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit_predict(Zs)
            s = silhouette_score(Zs, lab) if len(np.unique(lab)) > 1 else np.nan
            scores.append((k, float(s)))
        sil = pd.DataFrame(scores, columns=["k", "silhouette"])
        best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
        km = KMeans(n_clusters=best_k, n_init=4, random_state=random_state).fit(Z)
    raw = pd.Series(km.labels_, index=features.index)
    # number clusters by revenue (log_monetary centre), 1 = highest
    centers = pd.DataFrame(km.cluster_centers_, columns=cols)
    order_col = "log_monetary" if "log_monetary" in centers else centers.columns[0]
    order = centers[order_col].sort_values(ascending=False).index
    relabel = {old: new for new, old in enumerate(order, start=1)}
    labels = raw.map(relabel).rename("cluster")
    centers = centers.loc[order].set_axis(range(1, best_k + 1))
    centers.index.name = "cluster"
    profiles = _profiles(
        features,
        labels,
        centers,
        summary,
        key=key,
        recency=recency,
        frequency=frequency,
        monetary=monetary,
    )
    return ClusterResult(
        labels=labels, k=best_k, silhouette=sil, centers=centers, profiles=profiles
    )


def _profiles(features, labels, centers, summary, *, key, recency, frequency, monetary):
    rows = []
    mix_cols = [c for c in features.columns if c.startswith("mix: ")]
    s = summary.set_index(key).reindex(features.index) if summary is not None else None
    total_rev = float(s[monetary].sum()) if s is not None else np.nan
    overall_mix = features[mix_cols].mean() if mix_cols else None
    zero = pd.Series(0.0, index=centers.index)
    level = {  # each feature's words over the clusters, the extremes named as such (_ranked_levels)
        "recency": _ranked_levels(-centers.get("log_recency", zero), ("recent", "fairly recent", "lapsed")),
        "frequency": _ranked_levels(centers.get("log_frequency", zero), ("frequent", "regular", "occasional")),
        "spend": _ranked_levels(centers.get("log_monetary", zero), ("high-spend", "mid-spend", "low-spend")),
        "tenure": _ranked_levels(centers.get("tenure_years", zero), ("long-standing", "established", "new")),
    }
    for c in centers.index:
        z = centers.loc[c]
        members = labels.index[labels == c]
        recency_word = level["recency"][c]
        # relative words need an absolute floor too: a cluster silent for over a year has lapsed
        # (BikeStores: "fairly recent" for a median of 437 days since the last order)
        if "log_recency" in features and recency_word != "lapsed" and float(
                np.expm1(features.loc[members, "log_recency"].median())) >= 365:
            recency_word = "lapsed"
        words = [
            recency_word,
            (level["frequency"][c] if "log_frequency" in z
             else "one-purchase" if s is not None and s[frequency].max() <= 1 else "same-frequency"),
            level["spend"][c],
        ]
        if "tenure_years" in z:
            tenure = level["tenure"][c]
            # "new" is relative to the others: not for customers who first bought over a year ago
            # (Northwind's 22 months: a cluster whose median first order was 16 months old)
            if tenure == "new" and float(features.loc[members, "tenure_years"].median()) >= 1.0:
                tenure = "established"
            # first bought later than the others and stopped earlier: "Lapsed, …, new customers"
            # contradicted itself (Maven's CRM accounts); they bought over a short span
            if tenure == "new" and recency_word == "lapsed":
                tenure = "short-lived"
            words.append(tenure)
        desc = (Message("{recency}, {frequency}, {spend}, {tenure} customers", recency=words[0].capitalize(),
                        frequency=words[1], spend=words[2], tenure=words[3]) if len(words) == 4 else
                Message("{recency}, {frequency}, {spend} customers", recency=words[0].capitalize(),
                        frequency=words[1], spend=words[2]))
        row = {"cluster": c, "customers": len(members), "share": len(members) / len(labels)}
        if mix_cols:
            mix_mean = features.loc[members, mix_cols].mean()
            top = mix_mean.idxmax()
            row["main_category"] = top.removeprefix("mix: ")
            row["main_category_share"] = float(mix_mean.max())
            lean = (mix_mean - overall_mix).idxmax()
            row["distinctive_category"] = lean.removeprefix("mix: ")
            if mix_mean.max() > 0.5:
                desc = Message("{description}; {basket}", description=desc, basket=Message(
                    "mostly {category} ({share} of spend)", category=Verbatim(row["main_category"]),
                    share=fmt.pct(mix_mean.max(), decimals=0)))
            elif mix_mean[lean] - overall_mix[lean] > 0.05:
                desc = Message("{description}; {basket}", description=desc, basket=Message(
                    "more {category} than average ({share} of spend vs {average})",
                    category=Verbatim(row["distinctive_category"]), share=fmt.pct(mix_mean[lean], decimals=0),
                    average=fmt.pct(overall_mix[lean], decimals=0)))
            elif mix_mean.max() > 0:
                desc = Message("{description}; {basket}", description=desc, basket=Message(
                    "mixed baskets, led by {category}", category=Verbatim(row["main_category"])))
        if s is not None:
            sub = s.loc[members]
            row["median_days_since_last"] = float(sub[recency].median())
            row["median_orders"] = float(sub[frequency].median())
            row["median_revenue"] = float(sub[monetary].median())
            row["revenue_share"] = float(sub[monetary].sum()) / total_rev if total_rev else np.nan
        row["description"] = desc
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------- cohorts
def cohort_retention(
    activity: pd.DataFrame,
    *,
    cohort: str = "cohort",
    period: str = "period",
    customers: str = "customers",
    revenue: str = "revenue",
) -> pd.DataFrame:
    """Customer and revenue retention of first-purchase cohorts by months since the first purchase.

    Parameters
    ----------
    activity : DataFrame
        One row per cohort and period: the month of the first purchase (``cohort``), the calendar
        month (``period``), active customers and revenue (from
        :func:`salesnb.data.segments_queries.cohort_activity`).

    Returns
    -------
    DataFrame
        ``cohort``, ``age`` (whole months since the cohort month), ``cohort_size``, ``customers``,
        ``retention`` (active share of the cohort), ``revenue``, ``revenue_index`` (revenue relative to
        the cohort's first month).
    """
    d = activity.copy()
    c = pd.PeriodIndex(pd.to_datetime(d[cohort]), freq="M")
    p = pd.PeriodIndex(pd.to_datetime(d[period]), freq="M")
    d["age"] = (p.year - c.year) * 12 + (p.month - c.month)
    d = d[d["age"] >= 0]
    first = d[d["age"] == 0].set_index(cohort)
    d["cohort_size"] = d[cohort].map(first[customers])
    d["retention"] = d[customers] / d["cohort_size"]
    d["revenue_index"] = d[revenue] / d[cohort].map(first[revenue]).replace(0, np.nan)
    d[cohort] = pd.to_datetime(d[cohort])
    cols = [cohort, "age", "cohort_size", customers, "retention", revenue, "revenue_index"]
    return d[cols].sort_values([cohort, "age"], ignore_index=True)


def cohort_matrix(
    retention: pd.DataFrame, *, value: str = "retention", max_age: int | None = 12
) -> pd.DataFrame:
    """Pivot :func:`cohort_retention` to cohorts (rows, labelled YYYY-MM) × months since first purchase."""
    d = retention if max_age is None else retention[retention["age"] <= max_age]
    m = d.pivot_table(index="cohort", columns="age", values=value, aggfunc="sum")
    m.index = pd.to_datetime(m.index).strftime("%Y-%m")
    return m


def revenue_retention(
    base: pd.DataFrame,
    current: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    key: str = "customer_id",
    revenue: str = "revenue",
) -> pd.DataFrame:
    """Net and gross revenue retention of the customers who bought in a base window.

    ``NRR = current revenue of base customers / base revenue`` (expansion counts, new customers do
    not); ``GRR = sum(min(current, base)) / base revenue`` (only churn and contraction count).

    Parameters
    ----------
    base : DataFrame
        Revenue per customer in the base window (e.g. the 12 months before), with the grouping
        columns ``by``; customers with revenue <= 0 are left out.
    current : DataFrame
        Revenue per customer in the current window of the same length.
    by : str or sequence, optional
        Grouping columns of ``base`` (cohort, segment, region, ...); None for the total.

    Returns
    -------
    DataFrame
        ``by`` columns, ``customers``, ``retained_customers``, ``base_revenue``, ``current_revenue``,
        ``expansion``, ``contraction``, ``churned``, ``nrr``, ``grr``.
    """
    b = base[base[revenue] > 0]
    cur = current.groupby(key)[revenue].sum().rename("current_revenue")
    d = b.rename(columns={revenue: "base_revenue"}).join(cur, on=key)
    d["current_revenue"] = d["current_revenue"].fillna(0.0).clip(lower=0)
    d["kept"] = np.minimum(d["current_revenue"], d["base_revenue"])
    d["expansion"] = (d["current_revenue"] - d["base_revenue"]).clip(lower=0)
    d["churned"] = np.where(d["current_revenue"] <= 0, d["base_revenue"], 0.0)
    d["contraction"] = np.where(d["current_revenue"] > 0, d["base_revenue"] - d["kept"], 0.0)
    d["retained"] = d["current_revenue"] > 0
    by_cols = [] if by is None else [by] if isinstance(by, str) else list(by)
    agg = dict(
        customers=(key, "size"),
        retained_customers=("retained", "sum"),
        base_revenue=("base_revenue", "sum"),
        current_revenue=("current_revenue", "sum"),
        kept=("kept", "sum"),
        expansion=("expansion", "sum"),
        contraction=("contraction", "sum"),
        churned=("churned", "sum"),
    )
    out = (
        d.groupby(by_cols, observed=True).agg(**agg).reset_index()
        if by_cols
        else (d.assign(_all="all").groupby("_all").agg(**agg).reset_index(drop=True))
    )
    out["nrr"] = out["current_revenue"] / out["base_revenue"]
    out["grr"] = out["kept"] / out["base_revenue"]
    return out.drop(columns="kept")


# ---------------------------------------------------------------------------------------- affinity
def affinity_from_baskets(
    baskets: pd.DataFrame, *, basket: str = "basket", item: str = "item"
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Item and pair counts from a small basket table (pandas; the engine version is
    :func:`salesnb.data.segments_queries.cooccurrence`).

    Returns
    -------
    pairs : DataFrame
        ``item_a``, ``item_b`` (``item_a < item_b``), ``n_both``: baskets holding both.
    items : DataFrame
        ``item``, ``n``: baskets holding the item.
    n_baskets : int
    """
    d = baskets[[basket, item]].dropna().drop_duplicates()
    items = d.groupby(item).size().rename("n").reset_index().rename(columns={item: "item"})
    m = d.merge(d, on=basket, suffixes=("_a", "_b"))
    m = m[m[f"{item}_a"] < m[f"{item}_b"]]
    pairs = (
        m.groupby([f"{item}_a", f"{item}_b"])
        .size()
        .rename("n_both")
        .reset_index()
        .rename(columns={f"{item}_a": "item_a", f"{item}_b": "item_b"})
    )
    return pairs, items, int(d[basket].nunique())


def affinity_rules(
    pairs: pd.DataFrame,
    items: pd.DataFrame,
    *,
    n_baskets: int,
    min_support: float = 0.0,
) -> pd.DataFrame:
    """Association rules between items: support, confidence and lift in both directions.

    ``support = n_ab / N``, ``confidence(a → b) = n_ab / n_a``, ``lift = n_ab N / (n_a n_b)`` (above 1:
    bought together more often than if independent).

    Parameters
    ----------
    pairs : DataFrame
        ``item_a``, ``item_b``, ``n_both`` (each unordered pair once).
    items : DataFrame
        ``item``, ``n``.
    n_baskets : int
        Number of baskets (orders or customers).
    min_support : float
        Drop pairs bought together in fewer than this share of baskets.

    Returns
    -------
    DataFrame
        ``antecedent``, ``consequent``, ``n_both``, ``support``, ``confidence``, ``lift``, sorted by
        lift.
    """
    n = items.set_index("item")["n"]
    p = pairs.rename(columns={"item_a": "antecedent", "item_b": "consequent"})
    both = pd.concat(
        [p, p.rename(columns={"antecedent": "consequent", "consequent": "antecedent"})],
        ignore_index=True,
    )
    both["support"] = both["n_both"] / n_baskets
    both = both[both["support"] >= min_support]
    na = both["antecedent"].map(n).astype(float)
    nb = both["consequent"].map(n).astype(float)
    both["confidence"] = both["n_both"] / na
    both["lift"] = both["n_both"] * n_baskets / (na * nb)
    cols = ["antecedent", "consequent", "n_both", "support", "confidence", "lift"]
    return both[cols].sort_values(["lift", "confidence"], ascending=False, ignore_index=True)


#: customer-item rows per slice in :func:`next_best_product` (each slice × the rules in memory)
NBP_SLICE_ROWS = 200_000


def _best_rule(o: pd.DataFrame, r: pd.DataFrame, *, key: str, item: str) -> pd.DataFrame:
    """Per customer of ``o``, the rule of ``r`` with the highest lift (then confidence) whose
    antecedent they own and whose consequent they do not, in key order."""
    cand = o.merge(r, left_on=item, right_on="antecedent")
    already = o.rename(columns={item: "consequent"})
    cand = cand.merge(already, on=[key, "consequent"], how="left", indicator="_owned")
    cand = cand[(cand["_owned"] == "left_only").to_numpy()]
    cand = cand.sort_values([key, "lift", "confidence"], ascending=[True, False, False])
    best = cand.drop_duplicates(key)[[key, "consequent", "antecedent", "lift", "confidence"]]
    return best.rename(columns={"consequent": "next_best_product", "antecedent": "because"})


def next_best_product(
    owned: pd.DataFrame,
    rules: pd.DataFrame,
    *,
    customers: Sequence | None = None,
    key: str = "customer_id",
    item: str = "item",
    min_lift: float = 1.0,
    popularity: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """For each customer, the item not yet bought with the highest lift from an item already bought.

    Parameters
    ----------
    owned : DataFrame
        ``key`` and ``item``: what each customer has bought.
    rules : DataFrame
        Output of :func:`affinity_rules`.
    customers : sequence, optional
        Restrict to these customers (e.g. the top customers by CLV).
    min_lift : float
        Rules with lift at or below this are ignored.
    popularity : DataFrame, optional
        ``item``, ``n``; when given, customers without a qualifying rule get the most popular item
        they do not own (``basis = "popular"``).

    Returns
    -------
    DataFrame
        ``key``, ``next_best_product``, ``because`` (the owned item behind the rule), ``lift``,
        ``confidence``, ``basis`` (``"affinity"`` or ``"popular"``).
    """
    o = owned[[key, item]].drop_duplicates()
    if customers is not None:
        o = o[o[key].isin(set(customers))]
    # vectorised (a customer × rule candidate per row: millions at 10M order lines, where a Python
    # loop over them took 31 s and 1.2 GB), in slices of customers (key order) to bound memory;
    # only the rule columns the choice needs
    r = rules.loc[rules["lift"] > min_lift, ["antecedent", "consequent", "lift", "confidence"]]
    codes = pd.factorize(o[key], sort=True)[0]
    edges = np.linspace(0, codes.max(initial=-1) + 1, len(o) // NBP_SLICE_ROWS + 2).astype(int)
    parts = [_best_rule(o[(codes >= lo) & (codes < hi)], r, key=key, item=item)
             for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    best = pd.concat(parts)  # at least one slice, maybe empty
    best["basis"] = "affinity"
    all_customers = pd.Index(o[key].unique() if customers is None else list(customers))
    missing = all_customers.difference(best[key])
    if popularity is not None and len(missing):
        pop = list(dict.fromkeys(popularity.sort_values("n", ascending=False)["item"].tolist()))
        owned_pairs = pd.MultiIndex.from_frame(o[[key, item]])
        choice = pd.Series(None, index=missing, dtype=object)
        left = missing
        for it in pop:  # most popular first: most customers take the first item they lack
            if not len(left):
                break
            has = pd.MultiIndex.from_arrays([left, np.full(len(left), it, dtype=object)]).isin(owned_pairs)
            choice[left[~has]] = it
            left = left[has]
        choice = choice.dropna()
        if len(choice):
            fill = pd.DataFrame({key: choice.index, "next_best_product": choice.to_numpy(), "because": None,
                                 "lift": np.nan, "confidence": np.nan, "basis": "popular"})
            best = pd.concat([best, fill], ignore_index=True)
    return best.reset_index(drop=True)


# ---------------------------------------------------------------------------------- top customers
def top_customers(scored: pd.DataFrame, offers: pd.DataFrame, *, clv_ok: bool, n: int = 15,
                  key: str = "customer_id") -> pd.DataFrame:
    """The ``n`` customers worth most and what to offer them, for 04's table.

    Parameters
    ----------
    scored : DataFrame
        One row per customer with ``rfm_segment``, ``monetary`` (mean value of a repeat purchase),
        ``clv`` and ``p_alive`` (:func:`salesnb.clv.score_customers`).
    offers : DataFrame
        :func:`next_best_product` (``next_best_product``, ``because``, ``lift``); empty when there
        is none.
    clv_ok : bool
        Whether the CLV can be published: rank by it, else by ``monetary``.

    Returns
    -------
    DataFrame
        ``key``, ``rfm_segment``, the ranking value (``clv``, or ``monetary`` when the CLV is
        withheld), ``p_alive``, ``next_best_product``, ``because``, ``lift``, without the columns
        that hold nothing (CLV withheld, no offer: Maven's CRM deals
        showed three columns of "–"), customers with a positive ranking value only;
        ``attrs["caption"]`` names the ranking, and "what to offer next" only with an offer.
    """
    by = "clv" if clv_ok else "monetary"
    top = (scored[scored[by] > 0].merge(offers, on=key, how="left")
           .sort_values(by, ascending=False).head(n))
    # the value it ranks by is shown: CLV, or without it the mean repeat purchase ("monetary")
    cols = [c for c in (key, "rfm_segment", "clv" if clv_ok else "monetary", "p_alive", "next_best_product",
                        "because", "lift") if c in top]
    top = top[[c for c in cols if c in (key, "rfm_segment", by) or top[c].notna().any()]].reset_index(drop=True)
    offer = "next_best_product" in top
    top.attrs["caption"] = Message(
        ("Top {n} customers by CLV and what to offer next" if offer else "Top {n} customers by CLV") if clv_ok else
        ("Top {n} customers by average repeat purchase value and what to offer next" if offer else
         "Top {n} customers by average repeat purchase value"), n=n)
    return top


def offer_dash_note(table: pd.DataFrame, *, level: str) -> Message | str:
    """What a dash in the offer columns of :func:`top_customers` or :func:`membership_view` means
    ("" when there is none): an empty ``next_best_product`` is a customer who has bought every
    ``level`` sold in the last 12 months (nothing left to offer); an offer without ``because`` is
    the most popular item the customer lacks (:func:`next_best_product`, ``basis="popular"``).
    Northwind's 04 showed 11 of 15 dashes without a word.

    Parameters
    ----------
    table : DataFrame
        The table as shown (``next_best_product``, optionally ``because``).
    level : str
        What is offered (the affinity level, e.g. ``"category"``).
    """
    if "next_best_product" not in table:
        return ""
    offer = table["next_best_product"].notna()
    parts = []
    if (~offer).any():
        parts.append(Message("– as next best product: the customer has already bought every {level} sold in "
                             "the last 12 months.", level=Verbatim(level)))
    if "because" in table and (offer & table["because"].isna()).any():
        parts.append(Message("No reason or lift: no affinity points to the offer, so it is the most popular "
                             "{level} the customer lacks.", level=Verbatim(level)))
    return Message.join(" ", parts) if parts else ""


#: the columns of the CRM membership export (04), in order
MEMBERSHIP_COLUMNS = ("customer_id", "rfm_segment", "cluster", "clv", "p_alive", "clv_note", "next_best_product")


def membership_table(scored: pd.DataFrame, labels: pd.Series, offers: pd.DataFrame, *,
                     key: str = "customer_id", lang: str = "en") -> pd.DataFrame:
    """One row per customer for re-import into the CRM: the fixed :data:`MEMBERSHIP_COLUMNS`.

    Parameters
    ----------
    scored : DataFrame
        ``key``, ``rfm_segment``, ``clv``, ``p_alive``, ``clv_note`` (empty values where the
        lifetime-value models are withheld).
    labels : Series
        Cluster label by ``key`` (:attr:`ClusterResult.labels`).
    offers : DataFrame
        ``key`` and ``next_best_product`` (:func:`next_best_product`).
    lang : str
        The run's language: ``clv_note``, a note for the salesperson who reads the export in the CRM,
        is written in it (the other columns are codes and figures the CRM maps as they are).

    Returns
    -------
    DataFrame
        Every column of :data:`MEMBERSHIP_COLUMNS`, also those that hold nothing: the export's
        schema does not change with the data.
    """
    from salesnb.i18n import t

    members = (scored[[key, "rfm_segment", "clv", "p_alive", "clv_note"]]
               .merge(labels.rename("cluster").rename_axis(key).reset_index(), on=key, how="left")
               .merge(offers[[key, "next_best_product"]], on=key, how="left"))
    members["rfm_segment"] = members["rfm_segment"].astype(str)
    members["clv_note"] = [str(t(v, lang)) if isinstance(v, str) else v for v in members["clv_note"]]
    return members[[key, *MEMBERSHIP_COLUMNS[1:]]]


def membership_view(members: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The first ``n`` rows of :func:`membership_table` for the page.

    Ranked by CLV when there is one (else in the table's order), without ``clv_note`` and without
    the columns that hold nothing: where the lifetime-value models are withheld, CLV and P(alive)
    were columns of "–" on every real export. ``attrs["caption"]`` says how many rows of how many.
    """
    view = members.sort_values("clv", ascending=False, kind="stable") if members["clv"].notna().any() else members
    view = view.drop(columns=["clv_note"]).head(n)
    keep = [c for c in view.columns if c in ("customer_id", "rfm_segment") or view[c].notna().any()]
    view = view[keep].reset_index(drop=True)
    view.attrs["caption"] = Message("Membership table (first {n} of {total} rows)", n=min(n, len(members)),
                                   total=f"{len(members):,}")
    return view

# ------------------------------------------------------------------------------------- NPS / CSAT
def nps_category(scores) -> np.ndarray:
    """``"promoter"`` (9-10), ``"passive"`` (7-8) or ``"detractor"`` (0-6); missing stays missing."""
    s = np.asarray(scores, dtype=float)
    out = np.where(s >= 9, "promoter", np.where(s >= 7, "passive", "detractor")).astype(object)
    out[np.isnan(s)] = None
    return out


def nps_score(scores) -> float:
    """Net promoter score: % promoters − % detractors (−100 … 100) of the non-missing answers."""
    s = np.asarray(scores, dtype=float)
    s = s[~np.isnan(s)]
    if s.size == 0:
        return float("nan")
    return float(100.0 * (np.mean(s >= 9) - np.mean(s <= 6)))


def nps_summary(
    feedback: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    date: str = "date",
    nps: str = "nps",
    csat: str = "csat",
) -> pd.DataFrame:
    """NPS and CSAT per segment and/or period.

    Parameters
    ----------
    feedback : DataFrame
        Survey answers (``date``, ``nps`` 0-10 and/or ``csat`` 1-5) with the grouping columns.
    by : str or sequence, optional
        Segment columns.
    freq : str, optional
        Period length for a time series (``"M"``, ``"Q"``); adds ``period`` (period start).

    Returns
    -------
    DataFrame
        Groups, ``responses``, ``nps``, ``promoters``, ``detractors`` (shares) and ``csat`` (mean) when
        the columns exist.
    """
    d = feedback.copy()
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    if freq:
        d["period"] = pd.to_datetime(d[date]).dt.to_period(freq).dt.start_time
        keys = [*keys, "period"]
    if not keys:
        d["_all"] = "all"
        keys = ["_all"]
    has_nps = nps in d and d[nps].notna().any()
    has_csat = csat in d and d[csat].notna().any()

    def agg(g: pd.DataFrame) -> pd.Series:
        out = {"responses": len(g)}
        if has_nps:
            s = g[nps].dropna()
            out["nps"] = nps_score(s)
            out["promoters"] = float((s >= 9).mean()) if len(s) else np.nan
            out["detractors"] = float((s <= 6).mean()) if len(s) else np.nan
        if has_csat:
            out["csat"] = float(g[csat].mean())
        return pd.Series(out)

    res = d.groupby(keys, observed=True)[d.columns.tolist()].apply(agg).reset_index()
    return res.drop(columns="_all", errors="ignore")


def nps_test(feedback: pd.DataFrame, *, by: str, nps: str = "nps", alpha: float = 0.05) -> dict:
    """Chi-square test of whether the promoter / passive / detractor mix differs between segments.

    Returns
    -------
    dict
        ``attribute``, ``statistic``, ``p_value``, ``dof``, ``n``, ``significant``.
    """
    d = feedback.dropna(subset=[by, nps])
    tab = pd.crosstab(d[by], nps_category(d[nps]))
    tab = tab.loc[tab.sum(axis=1) > 0]
    if tab.shape[0] < 2 or tab.shape[1] < 2:
        return {
            "attribute": by,
            "statistic": np.nan,
            "p_value": np.nan,
            "dof": 0,
            "n": int(len(d)),
            "significant": False,
        }
    chi = stats.chi2_contingency(tab.to_numpy())
    return {
        "attribute": by,
        "statistic": float(chi.statistic),
        "p_value": float(chi.pvalue),
        "dof": int(chi.dof),
        "n": int(tab.to_numpy().sum()),
        "significant": bool(chi.pvalue < alpha),
    }


def nps_predicts_retention(
    scores: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    key: str = "customer_id",
    nps: str = "nps",
    retained: str = "retained",
    alpha: float = 0.05,
) -> dict:
    """Does a customer's NPS answer predict whether the customer still buys later?

    Logistic regression of ``retained`` (bought in the window after the survey) on the customer's
    latest NPS score before the window.

    Parameters
    ----------
    scores : DataFrame
        ``key`` and ``nps`` (one row per customer: the latest answer before the outcome window).
    outcomes : DataFrame
        ``key`` and boolean ``retained``.

    Returns
    -------
    dict
        ``n``, ``odds_ratio_per_point`` (change in the odds of retention per NPS point),
        ``ci_low``, ``ci_high``, ``p_value``, ``significant``, ``by_category`` (DataFrame: retention
        rate of promoters, passives and detractors) and ``conclusion`` (a sentence).
    """
    import statsmodels.api as sm

    d = scores[[key, nps]].dropna().merge(outcomes[[key, retained]], on=key)
    d = d.dropna(subset=[retained])
    y = d[retained].astype(float).to_numpy()
    cat = pd.Series(nps_category(d[nps]), index=d.index)
    by_cat = (
        d.assign(category=cat)
        .groupby("category")[retained]
        .agg(customers="size", retention=lambda s: s.astype(float).mean())
        .reindex(["promoter", "passive", "detractor"])
        .reset_index()
    )
    res = {
        "n": int(len(d)),
        "odds_ratio_per_point": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "p_value": np.nan,
        "significant": False,
        "by_category": by_cat,
    }
    if len(d) < 20 or y.min() == y.max():
        res["conclusion"] = Message("Too few surveyed customers (or no variation in retention) to test.")
        return res
    X = sm.add_constant(d[nps].astype(float).to_numpy())
    try:
        fit = sm.Logit(y, X).fit(disp=0)
    except Exception as exc:  # noqa: BLE001 - perfect separation and the like
        res["conclusion"] = Message("The logistic regression could not be fitted ({error}).",
                                    error=Verbatim(type(exc).__name__))
        return res
    b, se, p = float(fit.params[1]), float(fit.bse[1]), float(fit.pvalues[1])
    res.update(
        odds_ratio_per_point=float(np.exp(b)),
        ci_low=float(np.exp(b - 1.96 * se)),
        ci_high=float(np.exp(b + 1.96 * se)),
        p_value=p,
        significant=bool(p < alpha),
    )
    if p < alpha:
        direction = "higher" if b > 0 else "lower"
        res["conclusion"] = Message(
            "Yes: each NPS point goes with {pct} higher odds of buying again (p = {p}, n = {n})."
            if direction == "higher" else
            "Yes: each NPS point goes with {pct} lower odds of buying again (p = {p}, n = {n}).",
            pct=fmt.pct(abs(np.exp(b) - 1), decimals=0), p=f"{p:.2g}", n=len(d))
    else:
        res["conclusion"] = Message(
            "No evidence that NPS predicts later retention here (p = {p}, n = {n}).", p=f"{p:.2g}",
            n=len(d))
    return res


@dataclass
class SegmentBreakdown:
    """Segment statistics, tests and plain-language findings for several customer attributes."""

    stats: dict[str, pd.DataFrame]
    tests: pd.DataFrame
    findings: dict[str, list[str]]


def segment_breakdown(
    windows: pd.DataFrame, attributes: Sequence[str], *, margin: str | None = None,
    compare: bool = True,
) -> SegmentBreakdown:
    """:func:`segment_stats`, :func:`segment_tests` and :func:`describe_differences` for each
    attribute (e.g. ``region``, ``industry``) of :func:`customer_windows` output.

    ``compare=False`` leaves out what compares the last 12 months with the 12 before (growth and
    retention) when the data does not cover the earlier year (:func:`retention_base_note`): on
    Northwind's 22 months the USA "grew 143 %" against 10 months."""
    stats_, tests, findings = {}, [], {}
    for attr in attributes:
        s = segment_stats(windows, by=attr, margin=margin)
        t = segment_tests(windows, by=attr, margin=margin)
        if not compare:
            s = s.drop(columns=[c for c in ("growth", "retention") if c in s])
            t = t[t["metric"] != "retention"] if len(t) and "metric" in t else t
        stats_[attr], findings[attr] = s, describe_differences(s, t, by=attr)
        if not findings[attr]:  # no test could run: say why instead of a label with nothing after it
            findings[attr] = [Message(
                "Not tested, as fewer than two {attr} groups have {k} customers or more (groups with fewer "
                "are left out of the tests).", attr=str(attr).replace("_", " "), k=MIN_GROUP)]
        tests.append(t)
    return SegmentBreakdown(stats=stats_, tests=pd.concat(tests, ignore_index=True) if tests
                            else pd.DataFrame(), findings=findings)


def retention_base(
    prev_revenue: pd.DataFrame,
    summary: pd.DataFrame,
    rfm: pd.DataFrame,
    attributes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The base year of :func:`revenue_retention`: each customer's revenue then, with its cohort
    year (of ``first_date`` in ``summary``), its RFM segment then (``rfm``) and its attributes."""
    base = prev_revenue.merge(summary[["customer_id", "first_date"]], on="customer_id", how="left")
    base["cohort_year"] = base.first_date.dt.year.astype("Int64").astype(str)
    base = base.merge(rfm[["customer_id", "rfm_segment"]], on="customer_id", how="left")
    return base.merge(attributes, on="customer_id", how="left") if attributes is not None else base


def one_purchase_note(summary: pd.DataFrame, *, days: str = "n_days", min_customers: int = 200,
                      max_share: float = 0.005) -> str:
    """``""`` unless (almost) no customer bought on more than one day, else what that means.

    An export whose customer id names orders rather than people (guest checkouts; Olist's
    ``customer_id``, one per order) has no repeat buyer: every customer "churns", so NRR and GRR
    read 0 %, and frequency, cohorts and the purchase model describe nothing. Fires when at least
    ``min_customers`` customers hold fewer than ``max_share`` repeat buyers (a real business with
    few repeat buyers, e.g. 3 % of Olist's persons, is not refused).
    """
    n = int(len(summary))
    if n < min_customers or days not in summary:
        return ""
    repeat = int((summary[days] > 1).sum())
    if repeat >= max_share * n:
        return ""
    who = (Message("None of the {n} customers bought on more than one day", n=f"{n:,}") if not repeat else
           Message("Only {k} of {n} customers bought on more than one day ({share})", k=f"{repeat:,}", n=f"{n:,}",
                   share=fmt.pct(repeat / n, decimals=1)))
    return Message("{who}: either almost nobody buys twice, or the customer id names orders rather than people "
                   "(guest checkouts, or an export's per-order customer id such as Olist's customer_id: import the "
                   "person's id, e.g. customer_unique_id). Repeat purchases, retention and lifetime value cannot "
                   "be measured: NRR and GRR are skipped, and RFM frequency and the cohorts below say nothing.",
                   who=who)


def retention_base_note(first_date, *, base_start, year_start, slack_days: int = 31) -> str:
    """``""`` when the data covers the base year of :func:`revenue_retention` (the 12 months before
    the last 12), else why NRR and GRR are skipped.

    A source whose history starts inside the base year holds only part of that year's revenue:
    the customers' base is too small and NRR comes out far above 100 % (an export of one CRM's
    deals starting in October gave 1,715 %). ``first_date`` is the data's first purchase; a start
    within ``slack_days`` of ``base_start`` counts as covering it.
    """
    first = pd.Timestamp(first_date) if first_date is not None and pd.notna(first_date) else None
    if first is not None and first <= pd.Timestamp(base_start) + pd.Timedelta(days=slack_days):
        return ""
    date = Verbatim(f"{first:%Y-%m-%d}") if first is not None else Verbatim("–")
    if first is None or first >= pd.Timestamp(year_start):
        return Message("Revenue retention compares the last 12 months with the 12 before; this data starts on "
                       "{date}, so nobody bought in the earlier year: NRR and GRR skipped.", date=date)
    return Message("Revenue retention compares the last 12 months with the 12 before; this data starts on "
                   "{date}, inside the earlier year, so that year's revenue is incomplete and NRR would overstate "
                   "retention: NRR and GRR skipped.", date=date)


def comparison_note(first_date, *, base_start, year_start) -> str:
    """``""`` when the data covers the 12 months before the last 12, else the note that growth and
    retention by segment (which compare the two) are left out (same test as
    :func:`retention_base_note`)."""
    if not retention_base_note(first_date, base_start=base_start, year_start=year_start):
        return ""
    first = pd.Timestamp(first_date) if first_date is not None and pd.notna(first_date) else None
    return Message("Growth and retention by segment compare the last 12 months with the 12 before, which this "
                   "data does not cover (it starts on {date}): they are left out.",
                   date=Verbatim(f"{first:%Y-%m-%d}") if first is not None else Verbatim("–"))


def retention_long(by_attribute: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """NRR and GRR per segment of several attributes (``{attr: revenue_retention(..., by=attr)}``)
    as one long frame for a faceted chart: ``attr``, ``segment``, ``measure`` (NRR/GRR), ``value``."""
    parts = [r.rename(columns={a: "segment", "nrr": "NRR", "grr": "GRR"}).melt(
        id_vars="segment", value_vars=["NRR", "GRR"], var_name="measure").assign(attr=a)
        for a, r in by_attribute.items()]
    cols = ["attr", "segment", "measure", "value"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
