"""Compute once (issue 18): 02 writes the team-wide per-rep tables, each rep scorecard reads its rows.

The figures a scorecard shows from the tables must equal what it used to compute itself (every
rep's attainment, funnel metrics, win-rate shrinkage, stage conversions and the Benjamini–Hochberg
stage tests over all reps and stages, then filtered to one rep).
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pandas as pd
import pytest

from salesnb import performance as pf
from salesnb.context import Context
from salesnb.data import performance_queries as q

MONTH = "2026-09"
FUNNEL_MONTHS = 12


@pytest.fixture(scope="module")
def demo_inputs():
    from salesnb.data.demo import ensure_demo
    from salesnb.data.sources import open_source

    ds = open_source(str(ensure_demo()))
    end = pd.Period(MONTH, freq="M").end_time.normalize() + pd.Timedelta(days=1)
    year_start = pd.Timestamp(f"{MONTH[:4]}-01-01")
    reps = q.small_table(ds, "reps")
    return SimpleNamespace(
        ds=ds, end=end, funnel_start=end - pd.DateOffset(months=FUNNEL_MONTHS), reps=reps,
        opps=q.small_table(ds, "opportunities").merge(reps[["rep_id", "name", "team"]],
                                                     on="rep_id", how="left"),
        hist=q.small_table(ds, "opportunity_history"), targets=q.small_table(ds, "targets"),
        rep_months=q.rep_months_for_tables(ds, year_start=year_start, end=end))


def _write(tmp_path, team):
    ctx = SimpleNamespace(out=tmp_path, artifacts=[])
    ctx.save_table = lambda df, name, formats: Context.save_table(ctx, df, name, formats=formats)
    return q.save_rep_tables(ctx, team, month=MONTH, funnel_months=FUNNEL_MONTHS)


def test_scorecard_figures_from_the_tables_equal_its_own_computation(demo_inputs, tmp_path):
    d = demo_inputs
    team = pf.team_tables(month=MONTH, funnel_start=d.funnel_start, end=d.end,
                          opportunities=d.opps, history=d.hist, rep_months=d.rep_months,
                          reps=d.reps, targets=d.targets)
    _write(tmp_path, team)
    (tmp_path / "reps").mkdir()
    got = q.load_rep_tables(tmp_path / "reps", month=MONTH, funnel_months=FUNNEL_MONTHS)
    assert got is not None and set(got) == set(pf.REP_TABLES)
    assert all(got[n] is not None for n in pf.REP_TABLES)

    # the scorecard's former computation, team-wide then filtered to one rep
    att = pf.attainment(pf.rollup_actuals(d.rep_months, d.reps, levels=("rep",)), d.targets,
                        month=MONTH, levels=("rep",))
    fm = pf.funnel_metrics(d.opps, d.hist, by=["rep_id", "team"], start=d.funnel_start, end=d.end)
    wr = pf.shrink_win_rates(fm[fm.won + fm.lost > 0]).set_index("rep_id")
    recent = d.opps[d.opps.created_date >= d.funnel_start - pd.DateOffset(months=6)]
    conv = pf.stage_conversion(recent, d.hist, by=["rep_id"])
    company = pf.stage_conversion(recent, d.hist)
    tests = pf.stage_tests(conv)
    coach = pf.coaching_list(conv)

    cols = ["window", "actual", "target", "gap", "attainment", "rank"]
    metrics = ["win_rate", "avg_deal", "cycle_days", "qualified", "velocity_per_month"]
    for rep in sorted(set(wr.index))[::7]:
        a_old = att[att.key == rep][cols].reset_index(drop=True)
        a_new = got["rep_attainment"].query("key == @rep")[cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(a_new, a_old, check_dtype=False)
        pd.testing.assert_frame_equal(
            pf.compare_to_peers(got["rep_funnel"], rep_id=rep, columns=metrics),
            pf.compare_to_peers(fm, rep_id=rep, columns=metrics))
        w_new = got["rep_win_rates"].set_index("rep_id").loc[rep]
        for c in ("raw_rate", "shrunk_rate", "cred_low", "cred_high", "closed", "funnel_flag"):
            assert w_new[c] == pytest.approx(wr.loc[rep, c]) if c != "funnel_flag" \
                else w_new[c] == wr.loc[rep, c]
        pd.testing.assert_frame_equal(
            got["rep_stage_tests"].query("rep_id == @rep").reset_index(drop=True),
            tests.query("rep_id == @rep").reset_index(drop=True), check_dtype=False)
        pd.testing.assert_frame_equal(
            got["rep_coaching"].query("rep_id == @rep").reset_index(drop=True),
            coach.query("rep_id == @rep").reset_index(drop=True), check_dtype=False)
        pd.testing.assert_frame_equal(
            got["rep_stage_conversion"].query("rep_id == @rep").reset_index(drop=True),
            conv.query("rep_id == @rep").reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(got["company_stage_conversion"], company, check_dtype=False)
    # the revenue trend: the team's reps over the last 12 months, as the scorecard's own query gave
    cols = ["period", "rep_id", "revenue"]
    for team_name, ids in d.reps.groupby("team")["rep_id"]:
        old = q.rep_month_revenue(d.ds, start=d.end - pd.DateOffset(months=12), end=d.end,
                                  rep_ids=list(ids))[cols]
        new = got["rep_revenue"][got["rep_revenue"].rep_id.isin(list(ids))]
        key = ["period", "rep_id"]
        pd.testing.assert_frame_equal(
            new.sort_values(key).reset_index(drop=True).astype({"period": "datetime64[ns]"}),
            old.sort_values(key).reset_index(drop=True).astype({"period": "datetime64[ns]"}),
            check_dtype=False)
        assert len(new) and new.period.nunique() == 12, team_name
    assert np.isfinite(got["rep_win_rates"]["cred_low"]).all()


def test_tables_of_another_month_or_window_are_not_read(tmp_path):
    team = dict.fromkeys(pf.REP_TABLES)
    team["rep_funnel"] = pd.DataFrame({"rep_id": ["R1"], "won": [1]})
    _write(tmp_path, team)
    assert q.load_rep_tables(tmp_path, month=MONTH, funnel_months=FUNNEL_MONTHS)["rep_win_rates"] \
        is None
    assert q.load_rep_tables(tmp_path, month="2026-08", funnel_months=FUNNEL_MONTHS) is None
    assert q.load_rep_tables(tmp_path, month=MONTH, funnel_months=6) is None
    assert q.load_rep_tables(tmp_path / "a" / "b", month=MONTH, funnel_months=12) is None


def test_scorecard_computes_team_tables_only_when_absent():
    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "rep_scorecard.ipynb", as_version=4)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "q.load_rep_tables(" in src
    for name in ("funnel_metrics", "stage_conversion", "stage_tests", "coaching_list",
                 "shrink_win_rates", "attainment", "team_tables"):
        calls = [n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Attribute) and n.func.attr == name]
        assert len(calls) <= 1, name
    guarded = [n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.If)
               and ast.unparse(n.test) == "team is None"]
    assert guarded and "pf.team_tables(" in ast.unparse(guarded[0])


def test_a_scorecard_never_reads_tables_computed_with_other_settings(demo_inputs, tmp_path):
    """02 records the correction, shrinkage and fiscal year its tables were computed with; a
    scorecard run with another setting computes its own instead of captioning 02's tables with
    a method they did not use."""
    d = demo_inputs
    team = pf.team_tables(month=MONTH, funnel_start=d.funnel_start, end=d.end, rep_months=d.rep_months,
                          reps=d.reps)
    ctx = SimpleNamespace(out=tmp_path, artifacts=[])
    ctx.save_table = lambda df, name, formats: Context.save_table(ctx, df, name, formats=formats)
    q.save_rep_tables(ctx, team, month=MONTH, funnel_months=FUNNEL_MONTHS, correction="fdr_bh",
                      shrinkage="hierarchical", fiscal_year_start=1)
    same = dict(month=MONTH, funnel_months=FUNNEL_MONTHS, correction="fdr_bh", shrinkage="hierarchical",
                fiscal_year_start=1)
    assert q.load_rep_tables(tmp_path, **same) is not None
    assert q.load_rep_tables(tmp_path, **{**same, "correction": "holm"}) is None
    assert q.load_rep_tables(tmp_path, **{**same, "fiscal_year_start": 4}) is None
    assert q.load_rep_tables(tmp_path, month=MONTH, funnel_months=FUNNEL_MONTHS) is not None
