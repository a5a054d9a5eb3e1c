"""Risk on the source's own stages (issue 11): stalled thresholds and win rates follow stage_order."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from salesnb import risk
from salesnb.data import open_source
from salesnb.data import risk_queries as rq

NAMES = {"Prospecting": "初步接洽", "Qualification": "需求确认", "Proposal": "方案报价",
         "Negotiation": "谈判审核", "Closed Won": "赢单", "Closed Lost": "输单"}


@pytest.fixture(scope="module")
def renamed(demo_path, tmp_path_factory):
    src = tmp_path_factory.mktemp("stages") / "demo"
    shutil.copytree(demo_path, src)
    for name in ("opportunities", "opportunity_history"):
        df = pd.read_parquet(src / f"{name}.parquet")
        df["stage"] = df["stage"].map(NAMES).fillna(df["stage"])
        df.to_parquet(src / f"{name}.parquet", index=False)
    return open_source(str(demo_path)), open_source(str(src))


def test_stage_durations_and_win_rates_use_the_sources_stages(renamed):
    std, own = renamed
    end = pd.Timestamp("2026-10-01")
    a = risk.stage_duration_thresholds(rq.stage_durations(std, end=end))
    b = risk.stage_duration_thresholds(rq.stage_durations(own, end=end))
    assert set(b.index) == {NAMES[s] for s in a.index}  # closed stages excluded by their own names
    assert b.rename(index={v: k for k, v in NAMES.items()}).sort_index().tolist() == \
        a.sort_index().tolist()
    stages = ["初步接洽", "需求确认", "方案报价", "谈判审核"]
    wa = risk.stage_win_rates(rq.stage_outcomes(std, end=end))
    wb = risk.stage_win_rates(rq.stage_outcomes(own, end=end), stages=stages)
    assert wb["stage"].tolist() == stages
    assert wb["win_rate"].tolist() == pytest.approx(
        wa.set_index("stage").loc[[k for k in NAMES if NAMES[k] in stages], "win_rate"].tolist())
