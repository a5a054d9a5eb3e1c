"""Tests of salesnb.segments and salesnb.data.segments_queries on data with known answers."""

from __future__ import annotations

import json

import ibis
import numpy as np
import pandas as pd
import pytest

from salesnb import segments as seg
from salesnb.data import segments_queries as q

# ------------------------------------------------------------------------------------ hand baskets
# B1: A B | B2: A B C | B3: A C | B4: B | B5: A B   -> N = 5, n_A = 4, n_B = 4, n_C = 2,
# n_AB = 3, n_AC = 2, n_BC = 1
BASKETS = {"B1": "AB", "B2": "ABC", "B3": "AC", "B4": "B", "B5": "AB"}
HAND_LIFT = {("A", "B"): 3 * 5 / (4 * 4), ("A", "C"): 2 * 5 / (4 * 2), ("B", "C"): 1 * 5 / (4 * 2)}
HAND_CONF = {
    ("A", "B"): 3 / 4,
    ("B", "A"): 3 / 4,
    ("A", "C"): 2 / 4,
    ("C", "A"): 2 / 2,
    ("B", "C"): 1 / 4,
    ("C", "B"): 1 / 2,
}


def _basket_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [(b, i) for b, items in BASKETS.items() for i in items], columns=["basket", "item"]
    )


def _basket_orders() -> pd.DataFrame:
    rows = []
    for k, (b, items) in enumerate(BASKETS.items()):
        for j, i in enumerate(items):
            rows.append(
                {
                    "order_id": b,
                    "line_no": j + 1,
                    "customer_id": f"C{k}",
                    "order_date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=k),
                    "amount": 10.0,
                    "category": i,
                }
            )
    # a return line must not count as buying the item
    rows.append(
        {
            "order_id": "B4",
            "line_no": 9,
            "customer_id": "C3",
            "order_date": pd.Timestamp("2024-01-04"),
            "amount": -5.0,
            "category": "C",
        }
    )
    df = pd.DataFrame(rows)
    df["order_date"] = df["order_date"].dt.date
    return df


def _check_rules(rules: pd.DataFrame) -> None:
    assert len(rules) == 6
    for _, r in rules.iterrows():
        pair = tuple(sorted((r.antecedent, r.consequent)))
        assert r.lift == pytest.approx(HAND_LIFT[pair])
        assert r.confidence == pytest.approx(HAND_CONF[(r.antecedent, r.consequent)])


def test_affinity_lift_equals_hand_computation():
    pairs, items, n = seg.affinity_from_baskets(_basket_frame())
    assert n == 5
    _check_rules(seg.affinity_rules(pairs, items, n_baskets=n))


def test_affinity_in_the_engine_equals_hand_computation():
    orders = ibis.memtable(_basket_orders())
    co = q.cooccurrence(orders, level="category", basket="order_id")
    assert co.n_baskets == 5
    assert dict(zip(co.items.item, co.items.n, strict=True)) == {"A": 4, "B": 4, "C": 2}
    _check_rules(seg.affinity_rules(co.pairs, co.items, n_baskets=co.n_baskets))


def test_next_best_product():
    pairs, items, n = seg.affinity_from_baskets(_basket_frame())
    rules = seg.affinity_rules(pairs, items, n_baskets=n)
    owned = pd.DataFrame(
        {"customer_id": ["x", "y", "z", "z", "z"], "item": ["A", "B", "A", "B", "C"]}
    )
    nbp = seg.next_best_product(owned, rules, popularity=items).set_index("customer_id")
    # x owns A: A -> C has lift 1.25 (A -> B 0.94 is below 1)
    assert nbp.loc["x", "next_best_product"] == "C"
    assert nbp.loc["x", "basis"] == "affinity"
    assert nbp.loc["x", "lift"] == pytest.approx(1.25)
    # y owns B: no rule with lift > 1, falls back to the most popular item not owned
    assert nbp.loc["y", "next_best_product"] == "A"
    assert nbp.loc["y", "basis"] == "popular"
    # z owns everything
    assert "z" not in nbp.index


# ------------------------------------------------------------------------------------------- RFM
def test_quintile_scores():
    s = seg.quintile_scores(np.arange(1, 11))
    assert list(s) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert list(seg.quintile_scores(np.arange(1, 11), higher_is_better=False)) == list(s[::-1])
    assert len(set(seg.quintile_scores([3, 3, 3, 3]))) == 1  # ties share a score


def test_rfm_on_hand_data():
    # ten customers: i-th has i orders, 100*i revenue and bought (10 - i) * 30 days ago,
    # except "lapsed-big" who spent most but long ago, and "new-small" who just bought once
    df = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(1, 9)] + ["lapsed-big", "new-small"],
            "days_since_last": [(10 - i) * 30 for i in range(1, 9)] + [400, 1],
            "n_orders": list(range(1, 9)) + [20, 1],
            "revenue": [100.0 * i for i in range(1, 9)] + [5000.0, 20.0],
        }
    )
    sc = seg.rfm_scores(df).set_index("customer_id")
    assert sc.loc["c8", ["r_score", "f_score", "m_score"]].tolist() == [5, 5, 5]
    assert sc.loc["c8", "rfm_segment"] == "Champions"
    assert sc.loc["c1", "rfm_segment"] == "Lost"  # R1, FM1
    assert sc.loc["lapsed-big", "rfm_segment"] == "Can't lose"  # R1, FM5
    assert sc.loc["new-small", "rfm_segment"] == "New"  # R5, FM1
    assert sc.loc["c3", "rfm_segment"] == "Hibernating"  # R2, FM2
    assert set(seg.SEGMENT_GRID.values()) == set(seg.SEGMENTS)
    summ = seg.rfm_segment_summary(sc.reset_index())
    assert list(summ.segment) == list(seg.SEGMENTS)
    assert summ.customers.sum() == 10
    assert summ.revenue_share.sum() == pytest.approx(1.0)
    assert summ.set_index("segment").loc["Can't lose", "revenue_share"] == pytest.approx(
        5000 / df.revenue.sum()
    )


def test_rfm_one_time_buyers_are_never_loyal():
    """Customers with one order are New, Hibernating or Lost by recency alone, however much they
    spent: on BikeStores everyone bought once, frequency ties at F=3 and the big spenders were
    named Champions and Loyal."""
    n = 10
    df = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(n)],
        "days_since_last": [10 * (i + 1) for i in range(n)],  # c0 most recent
        "n_orders": [1] * n,
        "revenue": [1000.0 * (n - i) if i % 2 == 0 else 1000.0 * i for i in range(n)],
    })
    sc = seg.rfm_scores(df).set_index("customer_id")
    assert (sc.f_score == 3).all()  # ties share the middle score
    assert sc.loc["c0", ["r_score", "m_score"]].tolist() == [5, 5]  # most recent, spent most
    assert sc.loc["c0", "rfm_segment"] == "New"
    assert not sc.rfm_segment.isin(["Champions", "Loyal", "Potential loyalists", "At risk",
                                     "Can't lose"]).any()
    expected = {r: seg.SEGMENT_GRID[(r, 1)] for r in range(1, 6)}
    assert (sc.rfm_segment.astype(str) == sc.r_score.map(expected)).all()
    assert set(sc.loc[sc.r_score == 1, "rfm_segment"]) == {"Lost"}
    assert set(sc.loc[sc.r_score.isin([2, 3]), "rfm_segment"]) == {"Hibernating"}
    # a repeat buyer beside them keeps the grid
    df2 = pd.concat([df, pd.DataFrame({"customer_id": ["rep"], "days_since_last": [5],
                                       "n_orders": [6], "revenue": [20000.0]})])
    assert seg.rfm_scores(df2).set_index("customer_id").loc["rep", "rfm_segment"] == "Champions"


def _rhythm_frame() -> pd.DataFrame:
    """Ten frequent buyers (a purchase day every 5 days over a year, bought 1-5 days ago) and
    "slow": a regular who buys every 30 days, bought 20 days ago, fewer orders and less revenue,
    so the bottom recency quintile with a low FM (Maven's "Lost" customers bought 8-32 days ago)."""
    rows = [{"customer_id": f"f{i}", "days_since_last": 1 + i // 2, "n_orders": 73 + i,
             "frequency": 72 + i, "recency_days": 360, "revenue": 10_000.0 + 100 * i} for i in range(10)]
    rows.append({"customer_id": "slow", "days_since_last": 20, "n_orders": 13, "frequency": 12,
                 "recency_days": 360, "revenue": 3_000.0})
    return pd.DataFrame(rows)


def test_rfm_a_customer_within_her_own_rhythm_is_not_called_absent():
    df = _rhythm_frame()
    # the old rule (recency quintile only, no rhythm columns) calls "slow" Lost
    old = seg.rfm_scores(df.drop(columns=["frequency", "recency_days"])).set_index("customer_id")
    assert old.loc["slow", ["r_score", "fm_score"]].tolist() == [1, 1]
    assert old.loc["slow", "rfm_segment"] == "Lost"
    sc = seg.rfm_scores(df).set_index("customer_id")
    assert sc.loc["slow", "usual_gap_days"] == pytest.approx(30.0)  # 360 days / 12 gaps
    assert sc.loc["slow", "r_score"] == 1  # the score stays relative ...
    assert sc.loc["slow", "rfm_segment"] == "Potential loyalists"  # ... the name does not claim absence
    assert bool(sc.loc["slow", "on_schedule"])
    assert not sc.rfm_segment.isin(list(seg.ABSENT_SEGMENTS)).any()
    assert set(seg.ABSENT_SEGMENTS) == {"At risk", "Can't lose", "Hibernating", "Lost"}
    # a big spender on schedule is Loyal, not Can't lose
    df.loc[df.customer_id == "slow", ["revenue", "n_orders"]] = [1e6, 100]
    assert seg.rfm_scores(df).set_index("customer_id").loc["slow", "rfm_segment"] == "Loyal"
    # f8 and f9 bought 5 days ago, one usual gap: the old rule named them absent too
    assert old.loc[["f8", "f9"], "rfm_segment"].isin(list(seg.ABSENT_SEGMENTS)).all()
    assert sc.on_schedule.sum() == 3
    assert str(seg.rhythm_note(sc)).startswith("3 customers would be At risk")
    assert str(seg.rhythm_note(sc.loc[["slow"]])).startswith("1 customer would be At risk")
    assert str(seg.rhythm_note(old)) == ""


def test_rfm_a_customer_silent_for_many_gaps_is_still_lost():
    df = _rhythm_frame()
    # "slow" now buys every 5 days like the rest but has been silent for 60 days: 12 gaps
    df.loc[df.customer_id == "slow", ["days_since_last", "frequency", "recency_days"]] = [60, 12, 60]
    sc = seg.rfm_scores(df).set_index("customer_id")
    assert sc.loc["slow", "usual_gap_days"] == pytest.approx(5.0)
    assert not bool(sc.loc["slow", "on_schedule"])
    assert sc.loc["slow", "rfm_segment"] == "Lost"
    # just past the limit is overdue, just within it is not
    lim = seg.LAPSE_GAPS * 5
    df.loc[df.customer_id == "slow", "days_since_last"] = lim + 1
    assert seg.rfm_scores(df).set_index("customer_id").loc["slow", "rfm_segment"] == "Lost"
    df.loc[df.customer_id == "slow", "days_since_last"] = lim
    assert seg.rfm_scores(df).set_index("customer_id").loc["slow", "rfm_segment"] != "Lost"


def test_rfm_one_time_buyers_are_read_against_the_companys_rhythm():
    # repeat buyers' usual gaps 10, 20, 30, 40 days: the company's typical gap is their median, 25
    rep = pd.DataFrame({"customer_id": [f"r{i}" for i in range(1, 5)], "days_since_last": [1, 2, 3, 4],
                        "n_orders": [11, 11, 11, 11], "frequency": [10] * 4,
                        "recency_days": [100, 200, 300, 400], "revenue": [5000.0] * 4})
    once = pd.DataFrame({"customer_id": ["o-recent", "o-old"], "days_since_last": [40, 400],
                         "n_orders": [1, 1], "frequency": [0, 0], "recency_days": [0, 0],
                         "revenue": [100.0, 100.0]})
    sc = seg.rfm_scores(pd.concat([rep, once], ignore_index=True)).set_index("customer_id")
    assert sc.loc["o-recent", "usual_gap_days"] == pytest.approx(25.0)
    assert sc.loc["o-recent", "r_score"] <= 2
    # 40 days <= 2 x 25: not lapsed, but her only purchase is older than the R 4-5 band's: not New either
    assert sc.loc["o-recent", "rfm_segment"] == "Potential loyalists"
    assert sc.loc["o-old", "rfm_segment"] == "Lost"  # 400 days: 16 typical gaps
    assert str(seg.rhythm_note(sc)).endswith(
        "1 of them bought only once, longer ago than the most recent customers: named Potential loyalists, not New.")
    # nobody bought on two days (BikeStores: a customer id per order): no rhythm is known, the page says so
    alone = seg.rfm_scores(once).set_index("customer_id")
    assert alone.usual_gap_days.isna().all() and not alone.on_schedule.any()
    assert alone.loc["o-old", "rfm_segment"] in seg.ABSENT_SEGMENTS
    assert str(seg.rhythm_note(alone)).startswith("Nobody bought on two different days")


def test_rfm_new_names_only_a_customer_whose_first_purchase_is_recent():
    """A one-time buyer at R 1-3 who bought within twice the company's typical gap is not lapsed, but
    her only purchase is older than the R 4-5 customers' last ones: "New" claimed a recent first
    purchase she does not have. She is Potential loyalists, and the page says how many were moved."""
    rep = pd.DataFrame({"customer_id": [f"r{i}" for i in range(8)], "days_since_last": [1, 2, 3, 4, 5, 6, 7, 8],
                        "T_days": 400, "n_orders": 21, "frequency": 20, "recency_days": 400,
                        "revenue": 5000.0})  # usual gap 20 days each: the typical gap is 20
    once = pd.DataFrame({"customer_id": ["o-new", "o-30", "o-39", "o-41"], "days_since_last": [2, 30, 39, 41],
                         "T_days": [2, 30, 39, 41], "n_orders": 1, "frequency": 0, "recency_days": 0,
                         "revenue": 100.0})
    sc = seg.rfm_scores(pd.concat([rep, once], ignore_index=True)).set_index("customer_id")
    assert sc.loc["o-new", "r_score"] >= 4 and sc.loc["o-new", "rfm_segment"] == "New"
    assert (sc.loc[["o-30", "o-39", "o-41"], "r_score"] <= 3).all()
    assert sc.loc[["o-30", "o-39"], "rfm_segment"].tolist() == ["Potential loyalists"] * 2
    assert sc.loc["o-41", "rfm_segment"] == "Lost"  # 41 days > 2 x 20: lapsed
    assert sc.on_schedule.sum() == 3 and sc.loc["r7", "on_schedule"]  # r7 (8 days) is on schedule too
    assert not (sc.loc[sc.rfm_segment == "New", "T_days"] > sc.loc[sc.r_score >= 4, "days_since_last"].max()).any()
    assert str(seg.rhythm_note(sc)) == (
        "3 customers would be At risk, Can't lose, Hibernating or Lost by recency rank alone, but bought within 2 "
        "times their usual gap between purchases: they are named by their frequency and spend instead. 2 of them "
        "bought only once, longer ago than the most recent customers: named Potential loyalists, not New.")
    from salesnb.i18n import t

    assert t(seg.rhythm_note(sc), "zh-CN").endswith("其中 2 位只购买过一次，且早于最近购买的那批客户：归为潜在忠诚客户，而非新客户。")


def test_rfm_a_recent_repeat_buyer_who_first_bought_long_ago_is_not_new():
    """Maven's CRM deals (2017-12): the four customers named New had 28-34 deals each since early
    2017 and were only low on frequency and spend against the others. New names a customer whose
    first purchase is as recent as the R 4-5 customers' last ones (a single purchase always is); a
    recent repeat buyer low on FM who first bought earlier is Potential loyalists."""
    old = [{"customer_id": f"o{i}", "days_since_last": 4 + i, "T_days": 400, "n_orders": 50 + i,
            "frequency": 49 + i, "recency_days": 396 - i, "revenue": 50_000.0 + 1_000 * i} for i in range(12)]
    low = [  # R 5-4, FM 1: the three lowest on orders and revenue
        {"customer_id": "repeat", "days_since_last": 0, "T_days": 300, "n_orders": 28, "frequency": 27,
         "recency_days": 300, "revenue": 5_000.0},
        {"customer_id": "fresh", "days_since_last": 1, "T_days": 5, "n_orders": 2, "frequency": 1,
         "recency_days": 4, "revenue": 300.0},
        {"customer_id": "one", "days_since_last": 2, "T_days": 2, "n_orders": 1, "frequency": 0,
         "recency_days": 0, "revenue": 100.0},
    ]
    df = pd.DataFrame(old + low)
    sc = seg.rfm_scores(df).set_index("customer_id")
    assert (sc.loc[["repeat", "fresh", "one"], "r_score"] >= 4).all()
    assert (sc.loc[["repeat", "fresh", "one"], "fm_score"] == 1).all()
    # the R 4-5 customers last bought at most 6 days ago: "fresh" first bought 5 days ago
    assert sc.loc[sc.r_score >= 4, "days_since_last"].max() == 6
    assert sc.loc["repeat", "rfm_segment"] == "Potential loyalists"
    assert sc.loc["fresh", "rfm_segment"] == "New"
    assert sc.loc["one", "rfm_segment"] == "New"
    # "fresh" first bought one day before the band's edge: no longer new
    df.loc[df.customer_id == "fresh", "T_days"] = 7
    assert seg.rfm_scores(df).set_index("customer_id").loc["fresh", "rfm_segment"] == "Potential loyalists"
    # without the first purchase's age only a single purchase is New
    bare = seg.rfm_scores(df.drop(columns=["T_days"])).set_index("customer_id")
    assert bare.loc[["repeat", "fresh"], "rfm_segment"].tolist() == ["Potential loyalists"] * 2
    assert bare.loc["one", "rfm_segment"] == "New"


def test_rfm_transitions():
    prev = pd.DataFrame(
        {"customer_id": ["a", "b", "c"], "rfm_segment": ["Champions", "Champions", "New"]}
    )
    cur = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "rfm_segment": ["Champions", "At risk", "Loyal", "New"],
        }
    )
    m = seg.rfm_transitions(prev, cur)
    assert m.loc["Champions", "Champions"] == 0.5 and m.loc["Champions", "At risk"] == 0.5
    assert m.loc["New", "Loyal"] == 1.0
    assert m.loc["(new customer)", "New"] == 1.0
    np.testing.assert_allclose(m.sum(axis=1), 1.0)


# -------------------------------------------------------------------------- segments with tests
def test_segment_tests_claim_only_supported_differences():
    rng = np.random.default_rng(0)
    n = 600
    d = pd.DataFrame(
        {
            "industry": rng.choice(["Retail", "Tech", "Health"], n),
            "gender": rng.choice(["F", "M"], n),
        }
    )
    # revenue depends on industry (Tech x3), not on gender; retention depends on nothing
    d["revenue"] = rng.lognormal(7, 0.5, n) * np.where(d.industry == "Tech", 3.0, 1.0)
    d["prev_revenue"] = d["revenue"] * rng.uniform(0.8, 1.2, n)
    d["retained"] = rng.random(n) < 0.7
    t_ind = seg.segment_tests(d, by="industry")
    t_gen = seg.segment_tests(d, by="gender")
    rev = t_ind.set_index("metric").loc["revenue per customer"]
    assert rev.significant and rev.test == "Kruskal-Wallis"
    assert not t_gen.set_index("metric").loc["revenue per customer", "significant"]
    s_ind = seg.segment_stats(d, by="industry")
    assert s_ind.iloc[0]["industry"] == "Tech"
    words = seg.describe_differences(s_ind, t_ind, by="industry")
    assert any("highest for Tech" in w for w in words)
    words_g = seg.describe_differences(seg.segment_stats(d, by="gender"), t_gen, by="gender")
    assert all(w.startswith("No evidence") for w in words_g)


# ---------------------------------------------------------------------------------------- clusters
def test_kmeans_finds_planted_clusters():
    rng = np.random.default_rng(1)
    groups = [(5, 20, 5000, "Hardware"), (200, 2, 150, "Services"), (30, 6, 800, "Software")]
    rows = []
    for g, (rec, freq, mon, cat) in enumerate(groups):
        for i in range(150):
            rows.append(
                {
                    "customer_id": f"g{g}-{i}",
                    "days_since_last": rec * rng.lognormal(0, 0.1),
                    "n_orders": max(1, round(freq * rng.lognormal(0, 0.1))),
                    "revenue": mon * rng.lognormal(0, 0.1),
                    "T_days": 400.0,
                    "cat": cat,
                }
            )
    summ = pd.DataFrame(rows)
    mix = pd.crosstab(summ.customer_id, summ.cat).astype(float).reset_index()
    mix.columns.name = None
    f = seg.cluster_features(summ, mix)
    res = seg.kmeans_clusters(f, summ, k_range=range(2, 7))
    assert res.k == 3
    assert len(res.silhouette) == 5
    prof = res.profiles
    assert prof.customers.tolist() == [150, 150, 150]
    top = prof.iloc[0]  # cluster 1 = highest spend
    assert top.main_category == "Hardware"
    assert "Recent" in top.description and "high-spend" in top.description
    assert "Lapsed" in prof.iloc[2].description
    # each planted group is one cluster
    grp = summ.set_index("customer_id").cat
    assert pd.crosstab(res.labels, grp.reindex(res.labels.index)).gt(0).sum(axis=1).eq(1).all()


# ------------------------------------------------------------------------------- cohorts, NRR/GRR
def test_cohorts_in_the_engine_and_retention():
    rows = [
        ("a", "2024-01-05", 100.0),
        ("a", "2024-02-03", 50.0),
        ("a", "2024-03-01", 70.0),
        ("b", "2024-01-20", 200.0),
        ("b", "2024-03-15", 20.0),
        ("c", "2024-02-11", 10.0),
        ("c", "2024-02-12", 10.0),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    df["order_date"] = pd.to_datetime(df.order_date).dt.date
    df["order_id"] = [f"o{i}" for i in range(len(df))]
    act = q.cohort_activity(ibis.memtable(df), end="2024-04-01")
    ret = seg.cohort_retention(act)
    jan = ret[ret.cohort == "2024-01-01"].set_index("age")
    assert jan.cohort_size.iloc[0] == 2
    assert jan.retention.tolist() == [1.0, 0.5, 1.0]
    assert jan.revenue_index.tolist() == pytest.approx([1.0, 50 / 300, 90 / 300])
    feb = ret[ret.cohort == "2024-02-01"]
    assert feb.customers.tolist() == [1] and feb.revenue.tolist() == [20.0]
    m = seg.cohort_matrix(ret)
    assert m.loc["2024-01", 2] == 1.0


def test_revenue_retention_hand():
    base = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue": [100.0, 100, 100, 0],
            "seg": ["x", "x", "y", "y"],
        }
    )
    cur = pd.DataFrame({"customer_id": ["a", "b", "e"], "revenue": [150.0, 60, 999]})
    tot = seg.revenue_retention(base, cur).iloc[0]
    assert tot.nrr == pytest.approx(210 / 300)  # a expands, b contracts, c churns; e is new
    assert tot.grr == pytest.approx(160 / 300)
    assert (tot.expansion, tot.contraction, tot.churned) == (50, 40, 100)
    by = seg.revenue_retention(base, cur, by="seg").set_index("seg")
    assert by.loc["x", "nrr"] == pytest.approx(1.05) and by.loc["x", "grr"] == pytest.approx(0.8)
    assert by.loc["y", "nrr"] == 0.0


# --------------------------------------------------------------------------------------------- NPS
def test_nps_and_retention_link():
    assert seg.nps_score([10, 9, 8, 7, 6, 0, np.nan]) == pytest.approx(100 * (2 / 6 - 2 / 6))
    assert seg.nps_score([10, 10, 3]) == pytest.approx(100 / 3)
    rng = np.random.default_rng(2)
    n = 800
    fb = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 180, n), unit="D"),
            "nps": rng.integers(0, 11, n).astype(float),
            "csat": rng.integers(1, 6, n).astype(float),
            "segment": rng.choice(["A", "B"], n),
        }
    )
    p = 1 / (1 + np.exp(-(-2 + 0.4 * fb.nps)))
    out = pd.DataFrame({"customer_id": fb.customer_id, "retained": rng.random(n) < p})
    res = seg.nps_predicts_retention(fb, out)
    assert res["significant"] and res["odds_ratio_per_point"] > 1.2
    assert res["conclusion"].startswith("Yes")
    bc = res["by_category"].set_index("category")
    assert bc.loc["promoter", "retention"] > bc.loc["detractor", "retention"]
    none = seg.nps_predicts_retention(fb, out.assign(retained=rng.random(n) < 0.5))
    assert none["conclusion"].startswith("No evidence") or none["significant"] is False
    s = seg.nps_summary(fb, by="segment", freq="M")
    assert {"segment", "period", "responses", "nps", "csat"} <= set(s.columns)
    assert s.responses.sum() == n
    t = seg.nps_test(fb, by="segment")
    assert 0 <= t["p_value"] <= 1


# ---------------------------------------------------------------------------- engine summaries
def test_engine_summaries_on_hand_orders():
    df = _basket_orders()
    df["category"] = df["category"].astype(str)
    t = ibis.memtable(df)
    mix = q.category_mix(t).set_index("customer_id")
    assert mix.loc["C1"].to_dict() == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert mix.loc["C3"].to_dict() == pytest.approx({"A": 0.0, "B": 1.0, "C": 0.0})
    items = q.customer_items(t, customers=["C1", "C3"])
    assert items.groupby("customer_id").item.apply(list).to_dict() == {
        "C1": ["A", "B", "C"],
        "C3": ["B"],
    }
    rev = q.customer_revenue(t).set_index("customer_id")
    assert rev.loc["C3", "revenue"] == 5.0
    days = q.purchase_days(t, start="2024-01-02").set_index("customer_id")
    assert "C0" not in days.index and days.loc["C1", "purchase_days"] == 1


# --------------------------------------------------------------------------- demo: churn wave
def test_churn_wave_customers_look_lapsed():
    demo = pytest.importorskip("salesnb.data.demo")
    import salesnb as sn
    from salesnb import clv
    from salesnb.data import extract

    path = demo.ensure_demo()
    truth = json.loads((path / "ground_truth.json").read_text())
    wave = truth.get("churn_wave")
    assert wave and wave.get("customers"), "the demo must plant a churn wave with customer ids"
    ds = sn.open_source("demo")
    summ = extract.customer_summary(ds)
    inp = q.bgnbd_summary(summ, unit="W")
    fit = clv.fit_bgnbd(inp.frequency, inp.recency, inp["T"])
    inp["p_alive"] = fit.p_alive(inp.frequency, inp.recency, inp["T"])
    scored = seg.rfm_scores(summ)
    inp["rfm_segment"] = scored["rfm_segment"].astype(str).to_numpy()
    ids = {str(c) for c in wave["customers"]}
    churned = inp[inp.customer_id.isin(ids)]
    others = inp[~inp.customer_id.isin(ids)]
    assert len(churned) > 0
    lapsed = {"At risk", "Can't lose", "Hibernating", "Lost"}
    assert churned.rfm_segment.isin(lapsed).mean() >= 0.8
    # BG/NBD is cautious about one silence (rare dropout in this population), so "low" is relative:
    # the wave's median P(alive) lies far below everyone else's
    rep_c = churned[churned.frequency > 0].p_alive
    rep_o = others[others.frequency > 0].p_alive
    assert rep_c.median() < rep_o.median() - 0.15
    assert rep_c.mean() < rep_o.mean() - 0.15
    assert (rep_c < 0.5).mean() > 2 * (rep_o < 0.5).mean()


def test_churn_wave_segment_has_the_lowest_nrr():
    demo = pytest.importorskip("salesnb.data.demo")
    import salesnb as sn

    path = demo.ensure_demo()
    truth = json.loads((path / "ground_truth.json").read_text())
    wave = truth.get("churn_wave") or {}
    industry = (wave.get("segment") or {}).get("industry")
    assert industry, "the demo must plant its churn wave in one industry"
    ds = sn.open_source("demo")
    end = pd.Timestamp(truth["as_of"]) + pd.Timedelta(days=1)
    cur = q.customer_revenue(ds, start=end - pd.DateOffset(years=1), end=end)
    prev = q.customer_revenue(
        ds, start=end - pd.DateOffset(years=2), end=end - pd.DateOffset(years=1)
    )
    attrs = ds.table("customers").select("customer_id", "industry").execute()
    base = prev.merge(attrs, on="customer_id", how="left").dropna(subset=["industry"])
    nrr = seg.revenue_retention(base, cur, by="industry").set_index("industry")
    assert nrr["nrr"].idxmin() == industry
    assert nrr.loc[industry, "nrr"] < nrr["nrr"].drop(industry).min() - 0.1


@pytest.mark.postgres
def test_segment_queries_run_on_postgres(pg_url):
    """The same Ibis expressions give the same answers on PostgreSQL as on DuckDB."""
    con = ibis.connect(pg_url.replace("postgresql://", "postgres://"))
    df = _basket_orders()
    con.create_table("seg_orders", df, overwrite=True)
    pg = con.table("seg_orders")
    duck = ibis.memtable(df)
    co_pg = q.cooccurrence(pg, level="category", basket="order_id")
    _check_rules(seg.affinity_rules(co_pg.pairs, co_pg.items, n_baskets=co_pg.n_baskets))
    for fn, kw in (
        (q.cohort_activity, {}),
        (q.category_mix, {}),
        (q.customer_revenue, {}),
        (q.purchase_days, {"start": "2024-01-02"}),
        (q.customer_items, {"customers": ["C1", "C3"]}),
    ):
        a = fn(pg, **kw)
        a = a.sort_values(list(a.columns[:2]), ignore_index=True)
        b = fn(duck, **kw).sort_values(list(a.columns[:2]), ignore_index=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_like=True)
    dates = ["2024-01-03", "2024-01-31"]
    for a, b in zip(q.customer_summaries(pg, as_of=dates), q.customer_summaries(duck, as_of=dates),
                    strict=True):
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_customer_summary_net_return_days_are_not_purchases(tmp_path):
    # issue 13: a day of net returns counted as a purchase day (88 demo customers' last
    # "purchase" was a return)
    from salesnb.data import extract
    from tests.simulate import hand_orders

    ds = hand_orders(tmp_path, order_date=["2024-01-05", "2024-02-10", "2024-03-01", "2024-03-01",
                                           "2024-04-20", "2024-01-10", "2024-02-01"],
                     customer_id=["c1", "c1", "c1", "c1", "c1", "c2", "c2"],
                     amount=[100.0, 50.0, 30.0, -40.0, -20.0, 80.0, -80.0])
    s = extract.customer_summary(ds, as_of="2024-06-30").set_index("customer_id")
    c1 = s.loc["c1"]
    # purchase days: Jan 5 and Feb 10 (Mar 1 nets −10, Apr 20 is a return)
    assert c1["n_days"] == 2 and c1["frequency"] == 1
    assert c1["last_date"] == pd.Timestamp("2024-02-10")
    assert c1["recency_days"] == 36 and c1["days_since_last"] == (pd.Timestamp("2024-06-30")
                                                                  - pd.Timestamp("2024-02-10")).days
    assert c1["revenue"] == pytest.approx(120.0)  # net of every return
    assert c1["monetary_value"] == pytest.approx(50.0)
    assert s.loc["c2", "n_days"] == 1 and s.loc["c2", "last_date"] == pd.Timestamp("2024-01-10")


def test_next_best_product_without_any_rule():
    # issue 12: twenty customers and no co-bought pair left no candidate, and 04 failed
    owned = pd.DataFrame({"customer_id": ["c1", "c2"], "category": ["A", "B"]})
    rules = pd.DataFrame(columns=["antecedent", "consequent", "lift", "confidence"])
    pop = pd.DataFrame({"item": ["A", "B"], "n": [2, 1]})
    nbp = seg.next_best_product(owned, rules, popularity=pop, item="category")
    assert dict(zip(nbp.customer_id, nbp.next_best_product, strict=True)) == {"c1": "B", "c2": "A"}
    assert set(nbp.basis) == {"popular"}


def _nbp_reference(owned, rules, popularity):
    """The definition, customer by customer: best rule (lift, then confidence, then rule order)
    from an owned antecedent to a consequent not owned; else the most popular item not owned."""
    pop = popularity.sort_values("n", ascending=False)["item"].tolist()
    r = rules[rules.lift > 1.0].sort_values(["lift", "confidence"], ascending=False, kind="stable")
    out = {}
    for c, items in owned.groupby("customer_id")["item"]:
        have = set(items)
        hit = r[r.antecedent.isin(have) & ~r.consequent.isin(have)]
        if len(hit):
            out[c] = (hit.consequent.iloc[0], "affinity")
        else:
            choice = next((i for i in pop if i not in have), None)
            if choice is not None:
                out[c] = (choice, "popular")
    return out


@pytest.mark.parametrize("slice_rows", [7, 200_000])
def test_next_best_product_in_slices_matches_the_definition(monkeypatch, slice_rows):
    rng = np.random.default_rng(5)
    items = list("ABCDEFG")
    owned = pd.DataFrame({"customer_id": [f"c{i:03d}" for i in rng.integers(0, 120, 400)],
                          "item": rng.choice(items, 400)})
    owned = pd.concat([owned, pd.DataFrame({"customer_id": ["z1", "z2"], "item": ["A", "G"]})])
    lifts = rng.permutation(np.linspace(0.8, 3.0, 20))  # distinct: one best rule per customer
    pairs = [(a, b) for a in items for b in items if a != b][:20]
    rules = pd.DataFrame({"antecedent": [a for a, _ in pairs], "consequent": [b for _, b in pairs],
                          "lift": lifts, "confidence": 0.5, "support": 0.1, "n_both": 3})
    rules = rules[~rules.antecedent.isin(["G"])]  # z2 owns only G: no rule, the popular fill
    popularity = pd.DataFrame({"item": items, "n": [50, 40, 30, 20, 10, 5, 1]})
    monkeypatch.setattr(seg, "NBP_SLICE_ROWS", slice_rows)
    nbp = seg.next_best_product(owned, rules, popularity=popularity)
    got = {r.customer_id: (r.next_best_product, r.basis) for r in nbp.itertuples()}
    assert got == _nbp_reference(owned, rules, popularity)
    assert got["z2"] == ("A", "popular") and nbp.customer_id.is_unique


# ------------------------------------------------------------- summaries at several dates at once
def _summary_orders() -> pd.DataFrame:
    """Multi-line orders, two orders on one day, a day of net returns and a return-only customer."""
    return pd.DataFrame({
        "order_id": ["o1", "o1", "o2", "o3", "o4", "o4", "o5", "o6", "o7", "o8", "o9"],
        "order_date": ["2024-01-05", "2024-01-05", "2024-02-10", "2024-02-10", "2024-03-01",
                       "2024-03-01", "2024-04-20", "2024-01-10", "2024-02-01", "2024-05-02",
                       "2024-03-03"],
        "customer_id": ["c1", "c1", "c1", "c1", "c1", "c1", "c1", "c2", "c2", "c2", "c3"],
        "amount": [60.0, 40.0, 50.0, 25.5, 30.0, -40.0, -20.0, 80.0, -80.0, 19.99, -5.0],
    })


def test_customer_summaries_equal_customer_summary_at_each_date(tmp_path):
    from salesnb.data import extract
    from salesnb.data.sources import open_source

    folder = tmp_path / "src"
    folder.mkdir()
    _summary_orders().to_csv(folder / "orders.csv", index=False)
    ds = open_source(str(folder))
    dates = ["2024-06-30", "2024-02-10", "2024-03-15", "2024-01-31"]  # not in order
    got = q.customer_summaries(ds, as_of=dates)
    assert len(got) == len(dates)
    for a, g in zip(dates, got, strict=True):
        pd.testing.assert_frame_equal(g, extract.customer_summary(ds, as_of=a), check_exact=True)
    # by hand, at Feb 10: c1 bought on Jan 5 (100) and Feb 10 (two orders, 75.50); c2 on Jan 10
    # only (the Feb 1 return nets that day to -80: no purchase, and her revenue to 0); c3 never
    # bought (a return only)
    feb = got[1].set_index("customer_id")
    assert list(feb.index) == ["c1", "c2"]
    assert feb.loc["c1", ["n_days", "n_orders", "frequency", "recency_days"]].tolist() == [2, 3, 1, 36]
    assert feb.loc["c1", "revenue"] == 175.5 and feb.loc["c1", "monetary_value"] == 75.5
    assert feb.loc["c2", "n_days"] == 1 and feb.loc["c2", "revenue"] == 0.0
    # at the end of June c2 has bought again (May 2)
    june = got[0].set_index("customer_id")
    assert june.loc["c2", "n_days"] == 2 and june.loc["c2", "revenue"] == pytest.approx(19.99)
    assert june.loc["c2", "monetary_value"] == 19.99
    assert q.customer_summaries(ds, as_of=[]) == []
    before = q.customer_summaries(ds, as_of=["2023-12-31"])[0]
    assert before.empty and list(before.columns) == list(got[0].columns)


def test_customer_summaries_equal_customer_summary_on_the_demo(demo_ds):
    from salesnb.data import extract

    end = demo_ds.as_of.normalize()
    dates = [end, end - pd.DateOffset(months=1), end - pd.Timedelta(weeks=26),
             end - pd.DateOffset(years=1)]
    for a, g in zip(dates, q.customer_summaries(demo_ds, as_of=dates), strict=True):
        pd.testing.assert_frame_equal(g, extract.customer_summary(demo_ds, as_of=a), check_exact=True)


def test_cohort_activity_equals_its_definition(demo_ds):
    """Distinct buyers and revenue (to the cent) per first-purchase month and month, as in pandas."""
    from decimal import Decimal

    end = pd.Timestamp("2025-01-01")
    got = q.cohort_activity(demo_ds, end=end)
    t = demo_ds.table("orders")
    # a sample of customers keeps the pandas side small; their cohorts are whole in the engine
    sample = t.select("customer_id").distinct().order_by("customer_id").limit(300).execute()
    ids = list(sample.customer_id)
    o = t.filter(t.customer_id.isin(ids) & (t.order_date < end.date())).select(
        "customer_id", "order_date", "amount").execute()
    o["period"] = pd.to_datetime(o.order_date).dt.to_period("M").dt.start_time
    o["cohort"] = o.groupby("customer_id").period.transform("min")
    o["dec"] = [Decimal(repr(a)).quantize(Decimal("0.000001")) for a in o.amount]
    exp = o.groupby(["cohort", "period"]).agg(customers=("customer_id", "nunique"),
                                              revenue=("dec", "sum")).reset_index()
    exp["revenue"] = [float(r.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
                      for r in exp.revenue]
    sub = q.cohort_activity(t.filter(t.customer_id.isin(ids)), end=end)
    pd.testing.assert_frame_equal(sub[exp.columns].reset_index(drop=True),
                                  exp.astype({"cohort": sub.cohort.dtype, "period": sub.period.dtype}),
                                  check_exact=True)
    # every customer counts once, in one cohort, in her first month
    first = got[got.cohort == got.period]
    assert first.customers.sum() == int(t.filter(t.order_date < end.date()).customer_id.nunique()
                                        .execute())


def test_retention_base_note_refuses_a_base_year_the_data_only_partly_covers():
    base, year = pd.Timestamp("2016-01-01"), pd.Timestamp("2017-01-01")
    assert seg.retention_base_note(pd.Timestamp("2015-06-03"), base_start=base, year_start=year) == ""
    assert seg.retention_base_note(pd.Timestamp("2016-01-20"), base_start=base, year_start=year) == ""  # a few days in
    part = seg.retention_base_note(pd.Timestamp("2016-10-23"), base_start=base, year_start=year)
    assert "starts on 2016-10-23, inside the earlier year" in part and "NRR and GRR skipped" in part
    none = seg.retention_base_note(pd.Timestamp("2017-03-01"), base_start=base, year_start=year)
    assert "so nobody bought in the earlier year" in none
    assert "nobody bought" in seg.retention_base_note(pd.NaT, base_start=base, year_start=year)


def test_one_purchase_customers_are_said_and_retention_refused():
    """A customer id per order (guest checkouts, Olist's customer_id) leaves nobody who bought twice:
    04 published NRR 0 % and GRR 0 % and described one-purchase clusters as "regular,
    long-standing". The note names it (and refuses retention); a business with few repeat buyers
    (3 %, as Olist's persons) is not refused; k-means gets neither frequency nor tenure."""
    rng = np.random.default_rng(3)
    n = 400
    last = pd.Timestamp("2026-10-31") - pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    summary = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "n_days": 1, "n_orders": 1,
                            "revenue": rng.gamma(2.0, 500.0, n), "first_date": last, "last_date": last,
                            "days_since_last": (pd.Timestamp("2026-10-31") - last).days.to_numpy(),
                            "T_days": (pd.Timestamp("2026-10-31") - last).days.to_numpy()})
    note = seg.one_purchase_note(summary)
    # nobody at all: "Only 0 of 1,445 customers … (0.0%)" read oddly on BikeStores
    assert note.startswith("None of the 400 customers bought on more than one day: either almost nobody")
    one = summary.assign(n_days=np.where(np.arange(n) < 1, 2, 1))
    assert seg.one_purchase_note(one).startswith("Only 1 of 400 customers bought on more than one day (0.3 %)")  # 0.25 % rounds away from zero
    assert "customer_unique_id" in note and "NRR and GRR are skipped" in note
    from salesnb.i18n import t

    assert "客户编号标识的是订单" in t(note, "zh-CN")
    some = summary.assign(n_days=np.where(np.arange(n) < 12, 2, 1))  # 3 % bought twice
    assert seg.one_purchase_note(some) == ""
    assert seg.one_purchase_note(summary.head(150)) == ""  # too few customers to say
    features = seg.cluster_features(summary)
    assert "log_frequency" not in features and "tenure_years" not in features
    clusters = seg.kmeans_clusters(features, summary, k_range=range(2, 4))
    assert all("one-purchase" in str(d) for d in clusters.profiles["description"])
    assert not any(w in str(d) for d in clusters.profiles["description"]
                   for w in ("regular", "long-standing", "frequent", "occasional"))
    # customers who did come back keep both features
    assert {"log_frequency", "tenure_years"} <= set(seg.cluster_features(
        summary.assign(n_orders=np.where(np.arange(n) < 50, 3, 1))).columns)


def test_growth_and_retention_by_segment_need_the_earlier_year():
    """Northwind's 22 months: 04 said the USA grew 143 % against 12 months that held 10 months of
    data (and refused NRR for exactly that reason). Without the earlier year, growth and
    retention by segment are left out and the note says why; with it, they stay."""
    cur = pd.DataFrame({"customer_id": [f"c{i}" for i in range(40)], "revenue": np.arange(1, 41) * 100.0})
    prev = cur.assign(revenue=cur.revenue / 2).iloc[:30]
    attrs = pd.DataFrame({"customer_id": cur.customer_id, "region": ["USA", "Germany"] * 20})
    w = seg.customer_windows(cur, prev, attrs)
    kw = dict(base_start=pd.Timestamp("1996-05-01"), year_start=pd.Timestamp("1997-05-01"))
    note = seg.comparison_note(pd.Timestamp("1996-07-04"), **kw)
    assert "which this data does not cover (it starts on 1996-07-04)" in note
    assert seg.comparison_note(pd.Timestamp("1996-05-02"), **kw) == ""
    full = seg.segment_breakdown(w, ["region"])
    short = seg.segment_breakdown(w, ["region"], compare=False)
    assert "growth" in full.stats["region"] and "growth" not in short.stats["region"]
    assert "retention" not in short.stats["region"] and "retention" not in set(short.tests.get("metric", []))


def test_a_cluster_is_not_called_new_when_its_customers_first_bought_over_a_year_ago():
    """Northwind (22 months): a cluster whose median first order was 16 months old was described
    as "new customers" because its tenure was the lowest of the clusters. "New" now also needs a
    median tenure under a year; the same shape with young customers is still "new"."""
    rng = np.random.default_rng(3)

    def summary(young_days):
        rows = []
        for g, (rec, freq, tenure) in enumerate(((10, 12, 660), (30, 6, 640), (20, 2, young_days))):
            for i in range(60):
                rows.append({"customer_id": f"g{g}-{i}", "days_since_last": rec * rng.lognormal(0, 0.1),
                             "n_orders": max(1, round(freq * rng.lognormal(0, 0.1))),
                             "revenue": 1000 * freq * rng.lognormal(0, 0.1),
                             "T_days": tenure * rng.lognormal(0, 0.02)})
        return pd.DataFrame(rows)

    def words(summ):
        res = seg.kmeans_clusters(seg.cluster_features(summ), summ, k_range=range(3, 4))
        return " | ".join(map(str, res.profiles.description))

    assert " new customers" not in words(summary(480)) and "established" in words(summary(480))
    assert " new customers" in words(summary(120))


def test_a_cluster_silent_for_over_a_year_is_lapsed_whatever_the_others_do():
    """BikeStores: every customer bought once, long ago; a cluster with a median of 437 days since
    the last order was "Fairly recent" because the others were older still."""
    rng = np.random.default_rng(5)
    rows = [{"customer_id": f"g{g}-{i}", "days_since_last": rec * rng.lognormal(0, 0.05), "n_orders": n,
             "revenue": 500 * n * rng.lognormal(0, 0.1), "T_days": rec + 30}
            for g, (rec, n) in enumerate(((437, 1), (700, 2), (900, 3))) for i in range(50)]
    summ = pd.DataFrame(rows)
    res = seg.kmeans_clusters(seg.cluster_features(summ), summ, k_range=range(3, 4))
    assert all(str(d).startswith("Lapsed") for d in res.profiles.description), list(res.profiles.description)


def test_an_attribute_no_test_can_compare_says_so():
    """Maven's accounts: 14 of 15 regions hold one customer, so no test ran and 04 printed
    "Region: " with nothing after it."""
    rng = np.random.default_rng(0)
    w = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "revenue": rng.gamma(2, 100, 20),
                      "prev_revenue": rng.gamma(2, 100, 20),
                      "region": ["A"] * 6 + [f"r{i}" for i in range(14)]})
    w["retained"] = pd.Series(w["revenue"] > 0, dtype="boolean")
    b = seg.segment_breakdown(w, ["region"])
    assert b.tests.empty or not len(b.tests[b.tests.attribute == "region"])
    assert str(b.findings["region"][0]).startswith("Not tested, as fewer than two region groups")


def test_an_untested_attribute_reads_as_one_sentence_after_its_label():
    """04 joins each attribute's label and findings as "{label}: {text}": Maven's page read
    "Region: Not tested: fewer than two region groups …" (two colons; "区域：未检验：…" in Chinese)."""
    from salesnb.i18n import col_label, t

    w = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "revenue": 100.0, "prev_revenue": 100.0,
                      "region": ["A"] * 6 + [f"r{i}" for i in range(14)]})
    w["retained"] = pd.Series(w["revenue"] > 0, dtype="boolean")
    line = seg.segment_breakdown(w, ["region"]).findings["region"][0]
    for lang, colon in (("en", ":"), ("zh-CN", "："), ):
        page = t("{label}: {text}", lang, label=col_label("region", lang), text=t(line, lang))
        assert page.count(colon) == 1, page
    assert t("{label}: {text}", "en", label=col_label("region", "en"), text=t(line, "en")).startswith(
        "Region: Not tested, as fewer than two region groups have ")


def test_top_customers_names_only_what_its_columns_hold():
    """Maven's CRM deals: the CLV models failed and the orders have no category, yet 04 titled the
    table "Top 15 customers by repeat spend and what to offer next" over three columns of "–" (CLV,
    P(alive), next best product). It ranks by the mean value of a repeat purchase ("monetary"), and
    says "what to offer next" only when there is an offer."""
    scored = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "rfm_segment": ["Loyal", "New", "Lost", "Loyal"],
                           "monetary": [50.0, 0.0, 80.0, 20.0], "clv": np.nan, "p_alive": np.nan})
    empty = pd.DataFrame(columns=["customer_id", "next_best_product"])
    top = seg.top_customers(scored, empty, clv_ok=False, n=2)
    assert top["customer_id"].tolist() == ["c", "a"]
    # the value it ranks by is shown (Superstore, Online Retail: a "Top 15 by average repeat purchase
    # value" table listed ids and segments without the value)
    assert list(top.columns) == ["customer_id", "rfm_segment", "monetary"]
    assert top["monetary"].tolist() == [80.0, 50.0]
    assert str(top.attrs["caption"]) == "Top 2 customers by average repeat purchase value"
    offers = pd.DataFrame({"customer_id": ["a", "c"], "next_best_product": ["Bikes", "Helmets"],
                           "because": ["Locks", "Bikes"], "lift": [1.4, 2.0]})
    ok = scored.assign(clv=[300.0, 0.0, 100.0, 200.0], p_alive=[0.9, 0.5, 0.2, 0.8])
    top = seg.top_customers(ok, offers, clv_ok=True, n=3)
    assert top["customer_id"].tolist() == ["a", "d", "c"]
    assert list(top.columns) == ["customer_id", "rfm_segment", "clv", "p_alive", "next_best_product", "because",
                                 "lift"]
    assert str(top.attrs["caption"]) == "Top 3 customers by CLV and what to offer next"
    assert str(seg.top_customers(scored, offers, clv_ok=False, n=2).attrs["caption"]) == (
        "Top 2 customers by average repeat purchase value and what to offer next")
    assert str(seg.top_customers(ok, empty, clv_ok=True, n=2).attrs["caption"]) == "Top 2 customers by CLV"


def test_a_dash_in_the_offer_columns_is_explained():
    """Northwind's 04: 11 of the top 15 customers showed "–" as next best product, reason and lift,
    without a word. A customer who has bought every category has nothing left to offer; a popular
    pick has no rule behind it. The note under the table says which."""
    table = pd.DataFrame({"customer_id": ["a", "b", "c"], "next_best_product": ["Bikes", None, "Locks"],
                          "because": ["Helmets", None, None], "lift": [1.4, np.nan, np.nan]})
    note = seg.offer_dash_note(table, level="category")
    assert note == ("– as next best product: the customer has already bought every category sold in the last "
                    "12 months. No reason or lift: no affinity points to the offer, so it is the most "
                    "popular category the customer lacks.")
    assert seg.offer_dash_note(table.iloc[:1], level="category") == ""
    assert seg.offer_dash_note(table.drop(columns=["because", "lift"]).iloc[:2], level="category") == (
        "– as next best product: the customer has already bought every category sold in the last 12 months.")
    assert seg.offer_dash_note(pd.DataFrame({"customer_id": ["a"]}), level="category") == ""


def test_tests_view_speaks_the_page_language():
    """Superstore: 04's "Tests behind the findings" showed the column name customer_type and the
    metrics "revenue per customer", "retention" and "chi-square" as they are, in English on the
    Chinese page too. The attribute reads as its column label, the metric and test as words."""
    tests = pd.DataFrame({"attribute": ["customer_type", "customer_type"],
                          "metric": ["revenue per customer", "retention"],
                          "test": ["Kruskal-Wallis", "chi-square"], "statistic": [11.0, 0.01],
                          "p_value": [0.0009, 0.9], "groups": [2, 2], "n": [781, 650],
                          "significant": [True, False]})
    en = seg.tests_view(tests, lang="en")
    assert en["attribute"].tolist() == ["Customer type", "Customer type"]
    assert en["metric"].tolist() == ["Revenue per customer", "Retention"]
    assert en["test"].tolist() == ["Kruskal-Wallis", "chi-square"]
    zh = seg.tests_view(tests, lang="zh-CN")
    assert zh["attribute"].tolist() == ["客户类型", "客户类型"]
    assert zh["metric"].tolist() == ["每客户收入", "留存率"]
    assert zh["test"].tolist() == ["Kruskal-Wallis 检验", "卡方检验"]
    assert zh["p_value"].tolist() == [0.0009, 0.9] and tests["attribute"].iloc[0] == "customer_type"


def test_membership_table_keeps_every_column_for_the_crm_and_shows_only_those_that_hold_something():
    """Every real export (Maven, BikeStores, Northwind, Sample Sales Data, Superstore, Online Retail)
    showed 04's membership table with CLV and P(alive) (and on three, Next best product) as columns of
    "–": the lifetime-value models were withheld there. The export keeps its fixed columns for the
    CRM; the page shows the columns that hold something, ranked by CLV only when there is one."""
    scored = pd.DataFrame({"customer_id": ["a", "b", "c"], "rfm_segment": ["Champions", "At risk", "New"],
                           "clv": [np.nan] * 3, "p_alive": [np.nan] * 3, "clv_note": ["withheld"] * 3})
    labels = pd.Series([0, 1, 0], index=["a", "b", "c"])
    offers = pd.DataFrame({"customer_id": ["a"], "next_best_product": [None]})
    members = seg.membership_table(scored, labels, offers)
    assert list(members.columns) == ["customer_id", "rfm_segment", "cluster", "clv", "p_alive", "clv_note",
                                     "next_best_product"]
    assert members["cluster"].tolist() == [0, 1, 0] and len(members) == 3
    view = seg.membership_view(members, n=2)
    assert list(view.columns) == ["customer_id", "rfm_segment", "cluster"]
    assert view["customer_id"].tolist() == ["a", "b"]
    assert str(view.attrs["caption"]) == "Membership table (first 2 of 3 rows)"
    ok = members.assign(clv=[10.0, 30.0, 20.0], p_alive=[0.5, 0.9, 0.7],
                        next_best_product=["x", None, "y"])
    view = seg.membership_view(ok, n=2)
    assert view["customer_id"].tolist() == ["b", "c"]  # by CLV
    assert list(view.columns) == ["customer_id", "rfm_segment", "cluster", "clv", "p_alive", "next_best_product"]


def test_the_top_customers_table_has_its_own_heading():
    """Maven's CRM 04: with affinity skipped ("Orders have no category column"), "Top 15 customers by
    average repeat purchase value" stood under "6. Product affinity and next-best-product", which it
    is not about. The table has its own section, numbered in the page's list, in both languages."""
    import re
    from pathlib import Path

    import nbformat

    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "04_customer_segmentation.ipynb", as_version=4)
    heading = None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell
        if cell.cell_type == "code" and "seg.top_customers(" in cell.source:
            break
    assert heading.source.splitlines()[0] == "## 7. Top customers"
    assert heading.metadata["salesnb"]["zh-CN"].splitlines()[0] == "## 7. 重点客户"
    titles = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert [int(re.match(r"## (\d+)\.", t).group(1)) for t in titles] == list(range(1, 10))
    intro = nb.cells[0]
    for text in (intro.source, intro.metadata["salesnb"]["zh-CN"]):
        assert [int(n) for n in re.findall(r"^(\d+)\. ", text, flags=re.M)] == list(range(1, 10))


def test_findings_of_an_attribute_read_as_one_text_in_chinese_without_a_space_after_the_stop():
    """Superstore's Chinese 04 read "…B2B 最高，B2C 最低。 没有证据表明…": the notebook joined the translated
    findings with " ". They are one message, joined as the page's language joins sentences."""
    import json
    from pathlib import Path

    from salesnb.i18n import t

    stats = pd.DataFrame({"customer_type": ["B2B", "B2C"], "revenue_per_customer": [9.0, 3.0]})
    tests = pd.DataFrame({"metric": ["revenue per customer", "retention"], "test": ["Kruskal-Wallis", "chi-square"],
                          "p_value": [0.0009, 0.9]})
    lines = seg.describe_differences(stats, tests, by="customer_type")
    zh = t(seg.findings_text(lines), "zh-CN")
    assert "。 " not in zh and zh.count("。") == 2, zh
    assert str(seg.findings_text(lines)).count(". ") == 1  # English keeps its space
    nb = Path(__file__).resolve().parents[1] / "notebooks" / "04_customer_segmentation.ipynb"
    code = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
    assert '" ".join(sn.tr(' not in code and "seg.findings_text(lines)" in code


def test_cluster_words_follow_the_ranking_and_do_not_contradict_themselves():
    """Maven's CRM accounts: "Cluster 1 spends most" above "Fairly recent, frequent, mid-spend,
    established customers" (the large cluster sits near the mean its own customers make: +0.46 sd)
    and "Lapsed, occasional, low-spend, new customers" (new and lapsed at once). Once the clusters
    differ, the top cluster of a feature gets its top word and the bottom one its bottom word; a
    cluster that started late and stopped early is "short-lived"."""
    from salesnb.i18n import t

    rng = np.random.default_rng(4)
    rows = [{"customer_id": f"g{g}-{i}", "days_since_last": rec * rng.lognormal(0, 0.1),
             "n_orders": max(1, round(freq * rng.lognormal(0, 0.1))), "revenue": mon * rng.lognormal(0, 0.1),
             "T_days": tenure * rng.lognormal(0, 0.05)}
            for g, (n, rec, freq, mon, tenure) in enumerate(((90, 10, 5, 12000, 280), (20, 80, 2, 3000, 120)))
            for i in range(n)]
    summ = pd.DataFrame(rows)
    res = seg.kmeans_clusters(seg.cluster_features(summ), summ, k_range=range(2, 3))
    assert 0 < res.centers.loc[1, "log_monetary"] < 0.5  # the case: cluster 1 within half an sd of the mean
    top, low = (str(d) for d in res.profiles.description)
    assert top == "Recent, frequent, high-spend, long-standing customers", top
    assert low == "Lapsed, occasional, low-spend, short-lived customers", low
    assert t(res.profiles.description[1], "zh-CN") == "久未购买、偶尔、低消费的短期客户"
    # the words of one feature follow the order of the centres, and clusters alike keep one word
    z = pd.Series([0.3, -0.1, -0.2, 1.2], index=[1, 2, 3, 4])
    words = ("high-spend", "mid-spend", "low-spend")
    assert seg._ranked_levels(z, words).tolist() == ["mid-spend", "mid-spend", "low-spend", "high-spend"]
    assert seg._ranked_levels(pd.Series([0.3, -0.3], index=[1, 2]), words).tolist() == ["mid-spend"] * 2


def test_four_customers_are_not_split_into_three_clusters():
    """A consultancy's HubSpot deals read as sales: four won deals, each its own customer. 04 showed
    "3 customer clusters" (one of 1, one of 2, one of 1 customer), each with a description, from a
    silhouette over four points. A cluster needs a few customers: k-means is asked for at most one
    cluster per 5 customers, and with fewer than 10 the section says why it is skipped."""
    from salesnb.i18n import t

    summ = pd.DataFrame({"customer_id": ["Catapult UCD framework", "GLA Functional Audit", "GLA OPS - discovery",
                                         "StatsWales Discovery"],
                         "days_since_last": [24.0, 0.0, 241.0, 149.0], "n_orders": [1, 1, 1, 1],
                         "revenue": [1_000_000.0, 26_250.0, 49_000.0, 80_000.0],
                         "T_days": [24.0, 0.0, 241.0, 149.0]})
    res = seg.kmeans_clusters(seg.cluster_features(summ), summ, k_range=range(2, 9))
    assert res.k == 0 and res.profiles.empty and res.labels.isna().all()
    assert str(res.note) == ("Customer clusters need at least 5 customers per cluster (10 for 2 clusters); "
                             "this data has 4: clusters skipped.")
    assert t(res.note, "zh-CN") == "客户聚类每类至少需要 5 个客户（2 类需 10 个）；此数据只有 4 个：跳过聚类。"
    rng = np.random.default_rng(1)
    twelve = pd.DataFrame({"customer_id": [f"c{i}" for i in range(12)],
                           "days_since_last": rng.uniform(1, 300, 12), "n_orders": rng.integers(1, 5, 12),
                           "revenue": rng.uniform(100, 10_000, 12), "T_days": rng.uniform(300, 600, 12)})
    res = seg.kmeans_clusters(seg.cluster_features(twelve), twelve, k_range=range(2, 9))
    assert res.k == 2 and list(res.silhouette["k"]) == [2]
