"""Risk checks on the robustness matrix (issue 12): each section computes or skips with a specific note."""

from __future__ import annotations

import pandas as pd
import pytest

from salesnb import risk
from salesnb.data import open_source
from salesnb.data import risk_queries as rq
from salesnb.data.variants import make_variant

CASES = {
    "months_3": ("Too little weekly history for control charts.",),
    "orders_only": ("No opportunities table: pipeline risk skipped.",
                    "No reps table or orders.rep_id: rep exposure skipped."),
    "one_region": ("regional control charts compare each region with the others",
                   "regions concentration is total by construction"),
    "all_open": ("No won or lost deals before the as-of date",),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_risk_computes_or_says_why_on_variant(name, tmp_path):
    ds = open_source(str(make_variant(name, tmp_path / name)))
    as_of = (ds.as_of + pd.Timedelta(days=1)).to_period("M").start_time - pd.Timedelta(days=1)
    rep = risk.monitor(rq.risk_inputs(ds, as_of=as_of), n_boot=20, n_sims=1000)
    text = " ".join(rep.notes)
    for expected in CASES[name]:
        assert expected in text, (name, rep.notes)
    # every register row has a value in its unit; no section is silently empty without a note
    assert rep.register["rag"].isin(["red", "amber", "green", "grey"]).all()
    assert bool(rep.miss) == (name in ("months_3", "one_region")), (name, rep.miss)
    if name == "one_region":
        assert "regions" not in rep.concentration and not rep.charts
    json_ok = risk.alerts_to_json(rep.alerts)
    assert json_ok.startswith("[")
