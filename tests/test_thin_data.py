"""Thin data (issue 12): the performance and CLV helpers the notebooks call compute or say why not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesnb import clv
from salesnb import performance as pf


def _opps(n=40, *, status=None, reps=("R1", "R2", "R3"), seed=0):
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    st = np.asarray(status if status is not None else rng.choice(["won", "lost", "open"], n))
    return pd.DataFrame({
        "opportunity_id": [f"o{i}" for i in range(n)], "rep_id": rng.choice(list(reps), n),
        "created_date": created, "close_date": created + pd.Timedelta(days=30),
        "stage": np.where(st == "won", "Closed Won", np.where(st == "lost", "Closed Lost",
                                                              "Proposal")),
        "status": st, "amount": 1000.0})


def test_cycle_length_sentence_never_prints_nan():
    o = _opps(status=["open"] * 40)
    c = pf.cycle_length(o, as_of="2026-01-01")
    assert c.events == 0 and "nan" not in c.sentence()
    c2 = pf.cycle_length(_opps(), as_of="2026-01-01")
    assert "nan" not in c2.sentence() and "inf" not in c2.sentence()


def test_training_feasibility_names_what_is_missing():
    training = pd.DataFrame({"rep_id": ["R1"], "date": ["2025-06-01"], "topic": ["closing"]})
    assert "two untrained reps" in pf.training_feasibility(_opps(reps=("R1",)), training)
    assert "two untrained reps" in pf.training_feasibility(_opps(status=["open"] * 40), training)
    assert pf.training_feasibility(_opps(n=400), training) == ""
    assert "no training session" in pf.training_feasibility(_opps(), training, topic="x")
    # the trained rep's deals all created before the training: nothing to compare after it
    o = _opps(n=400)
    late = (o["rep_id"] == "R1") & (pd.to_datetime(o["created_date"]) >= "2025-06-01")
    why = pf.training_feasibility(o[~late], training)
    assert str(why) == ("the reps trained on 2025-06-01 closed no deal created after it in the "
                        "window")


def test_team_tables_without_opportunities_or_targets():
    t = pf.team_tables(month="2025-10", funnel_start="2024-11-01", end="2025-11-01")
    assert set(t) == {"attainment", *pf.REP_TABLES} and all(v is None for v in t.values())
    t = pf.team_tables(month="2025-10", funnel_start="2024-11-01", end="2025-11-01",
                       opportunities=_opps(status=["open"] * 40))
    assert t["rep_funnel"] is not None and t["rep_win_rates"] is None
    assert t["rep_stage_tests"] is None  # no stage history


@pytest.mark.parametrize("n", [0, 5, 20])
def test_clv_models_on_few_customers_say_why(n):
    rng = np.random.default_rng(n)
    cust = pd.DataFrame({"frequency": rng.integers(0, 3, n).astype(float),
                         "recency": rng.uniform(0, 10, n), "T": np.full(n, 12.0),
                         "monetary": rng.uniform(10, 100, n)})
    cust["recency"] = np.where(cust.frequency > 0, cust.recency, 0.0)
    m = clv.fit_models(cust, calibration=None, holdout_weeks=26, min_customers=10)
    d = m.diagnosis
    assert d["notes"] and "holdout check not possible" in d["notes"][0]
    scored = clv.score_customers(m, cust)
    if not d["clv_ok"]:
        assert scored["clv"].isna().all() and (scored["clv_note"].str.len() > 0).all()
    text, kind = clv.explain(d)
    assert text and kind in {"info", "warning"} and "nan" not in text


def test_a_cycle_with_no_open_deal_says_it_counts_closed_deals_only():
    """A deals-only export whose open deals were dropped (Maven's, with drop_if_missing on the close
    date) leaves Kaplan–Meier nothing to censor: the sentence says the figure is closed deals only."""
    closed = pf.cycle_length(_opps(status=["won", "lost"] * 20), as_of="2026-01-01")
    assert closed.censored == 0 and closed.events == 40
    assert "closed deals only" in closed.sentence() and "0 open deals censored" in closed.sentence()
    with_open = pf.cycle_length(_opps(), as_of="2026-01-01")
    assert with_open.censored > 0 and "closed deals only" not in with_open.sentence()
    from salesnb.i18n import t

    assert "只反映已关闭的商机" in t(closed.sentence(), "zh-CN")
