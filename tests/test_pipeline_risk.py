"""05's stalled deals and P(won within the quarter | stage, age) when the deals are in several
pipelines: each pipeline's stage is judged by its own deals, with the stage over every pipeline as the
fallback when a pipeline has too few deals, said on the page. The simulated export plants pipelines
whose shared stage (Negotiation) lasts and converts very differently: pooled, both read wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesnb import risk
from salesnb.data import risk_queries as rq
from salesnb.data.sources import open_folder

AS_OF = pd.Timestamp("2025-06-30")

#: pipeline -> (open stages with the days a deal stays in each, P(won) after the last one, deals).
#: New Business negotiates for months and rarely wins; Renewals close their Negotiation within two
#: weeks, nearly always won; Partners has too few deals for limits and rates of its own.
PLAN = {"New Business": ([("Discovery", 10, 30), ("Negotiation", 60, 120)], 0.3, 300),
        "Renewals": ([("Renewal Due", 10, 30), ("Negotiation", 5, 15)], 0.9, 300),
        "Partners": ([("Discovery", 10, 30), ("Negotiation", 20, 40)], 0.5, 8)}


def _deals(rng: np.random.Generator):
    """Opportunities and their stage history, planted as :data:`PLAN` says, plus open deals stuck in
    Negotiation: four Renewals deals 40-60 days (stalled for Renewals, short for New Business) and
    a Partners deal 45 days in (Partners has too few deals: judged by every pipeline's Negotiation)."""
    opps, hist = [], []
    for pipe, (stages, p_won, n) in PLAN.items():
        for i in range(n):
            oid = f"{pipe[:2].upper()}{i:04d}"
            d = AS_OF - pd.Timedelta(days=int(rng.integers(5, 720)))
            created, status, stage = d, "open", None
            for name, lo, hi in stages:
                hist.append((oid, name, d))
                stage, d = name, d + pd.Timedelta(days=int(rng.integers(lo, hi + 1)))
                if d > AS_OF:
                    break
            else:
                status = "won" if rng.random() < p_won else "lost"
                stage = "Closed Won" if status == "won" else "Closed Lost"
                hist.append((oid, stage, d))
            close = d if status != "open" else AS_OF + pd.Timedelta(days=int(rng.integers(10, 80)))
            opps.append((oid, pipe, created, close, stage, status, float(rng.integers(1_000, 50_000)), f"R{i % 5}"))
    stuck = [(f"RN-STUCK-{k}", "Renewals", 40 + 6 * k) for k in range(4)] + [("PA-STUCK", "Partners", 45)]
    for oid, pipe, days in stuck:
        entered = AS_OF - pd.Timedelta(days=days)
        first = PLAN[pipe][0][0][0]
        hist += [(oid, first, entered - pd.Timedelta(days=20)), (oid, "Negotiation", entered)]
        opps.append((oid, pipe, entered - pd.Timedelta(days=20), AS_OF + pd.Timedelta(days=30), "Negotiation",
                     "open", 10_000.0, "R0"))
    o = pd.DataFrame(opps, columns=["opportunity_id", "pipeline", "created_date", "close_date", "stage", "status",
                                    "amount", "rep_id"])
    h = pd.DataFrame(hist, columns=["opportunity_id", "stage", "entered_date"])
    return o, h


def write_export(folder: Path, *, pipeline: bool = True, seed: int = 11) -> Path:
    """The simulated export as contract tables (Parquet): orders (the won deals), opportunities with
    their ``pipeline`` (dropped with ``pipeline=False``), their history and each pipeline's stages."""
    o, h = _deals(np.random.default_rng(seed))
    o["customer_id"] = "C" + (o.index % 40).astype(str)
    folder.mkdir(parents=True, exist_ok=True)
    won = o[o.status == "won"]
    pd.DataFrame({"order_id": "O" + won.opportunity_id, "order_date": won.close_date,
                  "customer_id": won.customer_id, "amount": won.amount}).to_parquet(folder / "orders.parquet")
    st = [(p, s, i, "open") for p, (stages, _, _) in PLAN.items() for i, (s, _, _) in enumerate(stages)]
    st += [(p, s, 9 + k, status) for p in PLAN for k, (s, status) in
           enumerate([("Closed Won", "won"), ("Closed Lost", "lost")])]
    st = pd.DataFrame(st, columns=["pipeline", "stage", "stage_order", "status"])
    if not pipeline:
        o = o.drop(columns="pipeline")
        st = st[st.pipeline == "New Business"].drop(columns="pipeline")
    o.to_parquet(folder / "opportunities.parquet")
    h.to_parquet(folder / "opportunity_history.parquet")
    st.to_parquet(folder / "stages.parquet")
    return folder


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """(opportunities, history, Dataset) of the simulated two-pipeline export (three pipelines: the
    third too small for figures of its own)."""
    folder = write_export(tmp_path_factory.mktemp("pipeline_risk") / "src")
    return (pd.read_parquet(folder / "opportunities.parquet"), pd.read_parquet(folder / "opportunity_history.parquet"),
            open_folder(folder))


def _limits_by_hand(opps: pd.DataFrame, hist: pd.DataFrame, *, q: float = 0.9, min_deals: int = 10) -> pd.Series:
    """Each (pipeline, stage)'s 90th percentile of days in it, from the history directly: its own
    deals' with 10 or more that left it, else the stage's over every pipeline."""
    h = hist.sort_values(["opportunity_id", "entered_date"]).copy()
    h["left"] = h.groupby("opportunity_id")["entered_date"].shift(-1)
    h = h[h.left.notna() & ~h.stage.isin(["Closed Won", "Closed Lost"]) & (h.left <= AS_OF)]
    h["days"] = (h.left - h.entered_date).dt.days
    h = h.merge(opps[["opportunity_id", "pipeline"]], on="opportunity_id")
    pooled = h.groupby("stage")["days"].quantile(q)
    g = h.groupby(["pipeline", "stage"])["days"]
    own = g.quantile(q)
    fallback = pd.Series(pooled.reindex(own.index.get_level_values("stage")).to_numpy(), index=own.index)
    return own.where(g.size() >= min_deals, fallback)


def test_a_deal_is_stalled_against_its_own_pipeline_s_time_in_its_stage(planted):
    """Pooled over pipelines, Negotiation's 90th percentile (about 100 days, set by New Business' long
    negotiations) let Renewals deals sit 40-60 days in a stage Renewals leave within 15, and flagged New
    Business deals that were well within New Business' usual time. Each pipeline's stage now has its own
    limit (equal to the 90th percentile of that pipeline's deals that left the stage, computed here from
    the history), and the planted Renewals deals are stalled; Partners, with 8 deals, gets the
    limit of Negotiation over every pipeline, and the page says so."""
    opps, hist, ds = planted
    ri = rq.risk_inputs(ds, as_of=AS_OF)
    sd = ri.frame("stage_durations")
    assert "pipeline" in sd.columns
    thr = risk.stage_duration_thresholds(sd, q=0.9)
    want = _limits_by_hand(opps, hist)
    got = thr.reindex(want.index)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy())
    assert thr[("Renewals", "Negotiation")] < 20 < 90 < thr[("New Business", "Negotiation")]
    assert set(thr.attrs["pooled"]) == {("Partners", "Discovery"), ("Partners", "Negotiation")}
    res = risk.PipelineCheck()(ri)
    stalled = res.tables["stalled"]
    open_ = ri.frame("open_deals")
    limit = open_.apply(lambda r: want.get((r.pipeline, r.stage), np.nan), axis=1)
    expected = set(open_.loc[open_.days_in_stage > limit, "opportunity_id"])
    assert set(stalled.opportunity_id) == expected
    assert {f"RN-STUCK-{k}" for k in range(4)} <= expected and "PA-STUCK" not in expected
    # pooled, the planted Renewals deals pass and New Business deals within their own time do not
    pooled = risk.stalled_deals(open_, risk.stage_duration_thresholds(sd.drop(columns="pipeline")), as_of=AS_OF)
    assert not {f"RN-STUCK-{k}" for k in range(4)} & set(pooled.opportunity_id)
    assert set(pooled.opportunity_id) - expected  # New Business deals within New Business' own time
    note = str(res.notes)
    assert "a deal is stalled when it has been in its stage longer than 90 % of its own pipeline's deals" in note
    assert ("Where fewer than 10 deals of a pipeline have left a stage, the limit is that of the stage's deals in "
            "every pipeline: Negotiation (Partners)") in note
    alerts = [a for a in res.alerts if a.metric == "stalled_deal" and "RN-STUCK-0" in a.entity]
    assert alerts and "in Negotiation (Renewals) for 40 days" in str(alerts[0].message)
    view = risk.deal_view(stalled, "stalled")
    assert "pipeline_name" in view["df"].columns


def test_p_won_within_the_quarter_is_each_pipeline_s_and_an_open_deal_gets_its_own(planted):
    """P(won within the quarter | stage, age) pooled Negotiation over pipelines: New Business' months-long
    negotiations, which rarely end in a win, outnumber Renewals' two-week ones, so a Renewals deal in
    Negotiation (won within the quarter about 9 times in 10) was given about New Business' rate. The rates
    are now per pipeline, each equal to that pipeline's snapshots alone; Partners (8 deals) gets the pooled
    rates, and P(miss)'s note says both."""
    opps, hist, ds = planted
    ri = rq.risk_inputs(ds, as_of=AS_OF)
    snaps = ri.frame("deal_snapshots")
    assert "pipeline" in snaps.columns
    rates = risk.win_within_rates(snaps)
    assert rates.attrs["pooled"] == ["Partners"]
    assert set(rates.pipeline.dropna()) == {"New Business", "Renewals"}
    for p in ("New Business", "Renewals"):
        alone = risk.win_within_rates(snaps[snaps.pipeline == p].drop(columns="pipeline"))
        pd.testing.assert_frame_equal(rates[rates.pipeline == p].drop(columns="pipeline").reset_index(drop=True),
                                      alone, check_dtype=False)
    pd.testing.assert_frame_equal(rates[rates.pipeline.isna()].drop(columns="pipeline").reset_index(drop=True),
                                  risk.win_within_rates(snaps.drop(columns="pipeline")), check_dtype=False)
    deals = pd.DataFrame({"pipeline": ["Renewals", "New Business", "Partners"], "stage": ["Negotiation"] * 3,
                          "age_days": [60, 60, 60]})
    p = risk.win_within_probability(deals, rates)
    assert p[0] > 0.75 and p[1] < 0.4  # the planted rates: about 0.9 and under 0.3
    pooled = risk.win_within_probability(deals.drop(columns="pipeline"), risk.win_within_rates(
        snaps.drop(columns="pipeline")))
    assert pooled[0] < 0.5 and p[2] == pooled[2]  # pooled, Renewals read as New Business; Partners pooled
    res = risk.PipelineCheck()(ri)
    note = str(res.notes)
    assert ("The deals are in 3 pipelines (New Business, Partners, Renewals): P(won within the quarter) is learned "
            "from each pipeline's own deals") in note
    assert "Partners: fewer than 30 deals open in earlier months" in note


def test_without_a_pipeline_column_the_risk_frames_are_one_list(tmp_path):
    """The same export without ``opportunities.pipeline``: no pipeline column in the stage durations
    or the snapshots, one threshold per stage and one set of rates, as before."""
    ds = open_folder(write_export(tmp_path / "none", pipeline=False))
    ri = rq.risk_inputs(ds, as_of=AS_OF)
    assert "pipeline" not in ri.frame("stage_durations") and "pipeline" not in ri.frame("deal_snapshots")
    assert risk.stage_duration_thresholds(ri.frame("stage_durations")).index.nlevels == 1
    assert "pipeline" not in risk.win_within_rates(ri.frame("deal_snapshots"))
    res = risk.PipelineCheck()(ri)
    assert "pipelines" not in str(res.notes) and not res.tables["stalled"].attrs.get("pipelines")
