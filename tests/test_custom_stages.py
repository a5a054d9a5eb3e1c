"""Custom pipeline stages (issue 11): the funnel, stage conversion and coaching use the source's own
stages, in the source's order, whatever their names and number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesnb import performance as pf
from salesnb.data import extract
from salesnb.data.sources import open_source

FOUR = ["Engaging", "Interes/Diseño Propuesta", "Negociación", "Firma"]
NINE = ["线索", "初步接洽", "需求确认", "方案设计", "演示", "报价", "商务谈判", "合同审批", "签约准备"]
ADVANCE = 0.8  # chance of moving from one stage to the next
WIN_AT_LAST = 0.5


def _pipeline(stages, *, n=1500, seed=0, won="赢单", lost="输单"):
    """Deals that move stage by stage with a known chance; the closed ones end won or lost."""
    rng = np.random.default_rng(seed)
    opps, hist = [], []
    for i in range(n):
        oid = f"o{i}"
        created = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
        day, k = created, 0
        hist.append((oid, stages[0], day))
        status = "open"
        while True:
            if k == len(stages) - 1:
                status = "won" if rng.random() < WIN_AT_LAST else "lost"
                break
            if rng.random() < 0.05:  # still sitting in this stage
                break
            if rng.random() >= ADVANCE:
                status = "lost"
                break
            k += 1
            day = day + pd.Timedelta(days=int(rng.integers(3, 20)))
            hist.append((oid, stages[k], day))
        close = day + pd.Timedelta(days=5)
        if status != "open":
            hist.append((oid, won if status == "won" else lost, close))
        opps.append({"opportunity_id": oid, "rep_id": f"R{i % 6}", "created_date": created,
                     "close_date": close, "status": status, "amount": 1000.0,
                     "stage": {"won": won, "lost": lost}.get(status, stages[k])})
    h = pd.DataFrame(hist, columns=["opportunity_id", "stage", "entered_date"])
    return pd.DataFrame(opps), h


def _folder(tmp_path, opps, hist):
    folder = tmp_path / "src"
    folder.mkdir()
    orders = pd.DataFrame({"order_id": ["x1"], "order_date": ["2024-06-01"],
                           "customer_id": ["c1"], "amount": [10.0]})
    orders.to_csv(folder / "orders.csv", index=False)
    opps.to_csv(folder / "opportunities.csv", index=False)
    if hist is not None:
        hist.to_csv(folder / "opportunity_history.csv", index=False)
    return open_source(str(folder))


@pytest.mark.parametrize("stages", [FOUR, NINE], ids=["4 stages", "9 stages"])
def test_funnel_on_the_source_stages(tmp_path, stages):
    opps, hist = _pipeline(stages)
    ds = _folder(tmp_path, opps, hist)
    order = extract.stage_order(ds)
    assert order.open == stages and order.won == ["赢单"] and order.lost == ["输单"]
    assert order.source == "history"
    f = extract.funnel_counts(ds, by=(), stages=order)
    assert list(f["stage"]) == [*stages, "赢单", "输单"]
    reached = [hist[hist.stage.isin(stages[i:])].opportunity_id.nunique()
               for i in range(len(stages))]
    assert list(f["reached"][: len(stages)]) == reached
    assert f["reached"].iloc[-2] == (opps.status == "won").sum()
    assert f["reached"].iloc[-1] == (opps.status == "lost").sum()
    # the default is the source's order too
    pd.testing.assert_frame_equal(extract.funnel_counts(ds, by=()), f)

    conv = pf.stage_conversion(opps, hist, stages=order)
    assert list(conv["stage"]) == stages and conv["next_stage"].iloc[-1] == "赢单"
    # the planted chance of advancing, and of winning at the last stage
    assert conv["conversion"].iloc[:-1].between(ADVANCE - 0.06, ADVANCE + 0.06).all()
    assert conv["conversion"].iloc[-1] == pytest.approx(WIN_AT_LAST, abs=0.08)
    fm = pf.funnel_metrics(opps, hist, by=(), stages=order).iloc[0]
    assert fm["won"] == (opps.status == "won").sum()
    assert fm["qualified"] == hist[hist.stage.isin(stages[1:])].opportunity_id.nunique()

    coach = pf.coaching_list(pf.stage_conversion(opps, hist, by=["rep_id"], stages=order))
    assert set(coach["weakest_stage"]) <= set(stages)


def test_stage_order_without_history_says_it_guessed(tmp_path):
    opps, _ = _pipeline(FOUR, n=300)
    ds = _folder(tmp_path, opps, None)
    order = extract.stage_order(ds)
    assert order.source == "frequency"
    assert set(order.open) <= set(FOUR)
    f = extract.funnel_counts(ds, by=(), stages=order)
    assert f["reached"].iloc[0] == len(opps)


def test_a_lost_stage_no_deal_is_in_stays_lost_when_the_stages_table_says_so(tmp_path):
    """纷享销客 商机2.0 keeps a lost deal in the stage it was lost in (商机状态 says 输单): no deal's
    current stage is 输单, only its history enters it. The won and lost stages were read from the deals
    alone, so 输单 became the last open stage (every lost deal "reached" it in the funnel) though the
    stages table says it is lost."""
    opps, hist = _pipeline(NINE[:4], n=300)
    last_open = hist[~hist.stage.isin(["赢单", "输单"])].groupby("opportunity_id").stage.last()
    lost = opps.status == "lost"
    opps.loc[lost, "stage"] = opps.loc[lost, "opportunity_id"].map(last_open)
    _folder(tmp_path, opps, hist)
    pd.DataFrame({"stage": [*NINE[:4], "赢单", "输单"], "stage_order": range(1, 7),
                  "status": ["open"] * 4 + ["won", "lost"]}).to_csv(tmp_path / "src" / "stages.csv", index=False)
    order = extract.stage_order(open_source(str(tmp_path / "src")))
    assert (order.open, order.won, order.lost) == (NINE[:4], ["赢单"], ["输单"])


def test_a_stage_only_lost_deals_enter_last_is_lost_without_a_stages_table(tmp_path):
    """The same 商机2.0 deals without a stages table (a draft that maps 商机状态 lists no stages): the
    history order made 输单, which no deal is in now, the last open stage. A stage only deals of one
    closed status enter, each as its last step, is that status's."""
    opps, hist = _pipeline(NINE[:4], n=300)
    last_open = hist[~hist.stage.isin(["赢单", "输单"])].groupby("opportunity_id").stage.last()
    lost = opps.status == "lost"
    opps.loc[lost, "stage"] = opps.loc[lost, "opportunity_id"].map(last_open)
    order = extract.stage_order(_folder(tmp_path, opps, hist))
    assert (order.source, order.won) == ("history", ["赢单"])
    assert "输单" in order.lost and "输单" not in order.open and order.open[:3] == NINE[:3]
