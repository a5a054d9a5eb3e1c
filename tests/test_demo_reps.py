"""``salesnb demo --reps N``: more reps for the same order lines; the default demo unchanged."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from salesnb.data.demo import MAX_REPS, MIN_REPS, default_demo_dir, ensure_demo, generate


def test_reps_option_keeps_the_order_lines_and_the_planted_reps(tmp_path):
    base = generate(tmp_path / "base", scale=0.02)
    many = ensure_demo(scale=0.02, reps=120, path=tmp_path / "many")
    assert pq.read_metadata(many / "reps.parquet").num_rows == 120
    assert pq.read_metadata(base / "reps.parquet").num_rows == 60
    assert (pq.read_metadata(many / "orders.parquet").num_rows
            == pq.read_metadata(base / "orders.parquet").num_rows)
    gt, gt0 = (json.loads((p / "ground_truth.json").read_text()) for p in (many, base))
    assert gt["reps_option"] == 120 and "reps_option" not in gt0  # the default demo is unchanged
    assert gt["reps"]["strong_rep"] != gt["reps"]["weak_rep"] and len(gt["reps"]["leavers"]) == 8
    assert ensure_demo(scale=0.02, reps=120, path=many) == many  # current: not generated again
    assert default_demo_dir(1.0, 500).name == "demo-r500" and default_demo_dir(1.0).name == "demo"
    with pytest.raises(ValueError, match="reps must be between"):
        generate(tmp_path / "x", scale=0.02, reps=MIN_REPS - 1)
    with pytest.raises(ValueError, match="reps must be between"):
        generate(tmp_path / "x", scale=0.02, reps=MAX_REPS + 1)
