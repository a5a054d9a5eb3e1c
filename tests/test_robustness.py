"""The robustness matrix: the whole pack on every variant of the demo company (issue 12).

Each variant (``salesnb.data.variants``) is the small demo company changed the way a real company
differs from it: three months of history, no targets table, one rep, a month without orders...
The pack runs once per variant (a session cache), then per (variant, notebook):

- the notebook finishes (``manifest.json`` says ``ok``): a section the data cannot support must
  skip with a visible note, never fail;
- its page shows no raw Python (``salesnb.report.audit.find_python_reprs``);

and per run, one figure per fact (``salesnb.report.facts.check_facts``), also on the demo itself.

Variants in :data:`FAST` run in every test run; the others are marked ``slow``. Failures of
notebooks being fixed on other branches are marked ``xfail(strict=True)`` in :data:`KNOWN` with the
branch that fixes them, so they turn into failures (XPASS) once the fix is merged: then delete the
entry. ``benchmarks/robustness_matrix.py`` prints the same matrix with timings and section counts;
``SALESNB_MATRIX_DIR=<its --work folder>`` makes these tests check its runs instead of running again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from salesnb.data.variants import VARIANTS, make_variant, variant_params
from salesnb.report.audit import RunAudit, audit_run
from salesnb.report.facts import check_facts

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [
    "executive_summary"]
PAGES = [*NOTEBOOKS, "index", "leadership-pack"]
ALL = ("demo", *VARIANTS)

#: runs in every test run (about a minute each on two free cores); the other variants are ``slow``.
#: "demo" is the small demo company itself, for the one-figure-per-fact check.
FAST = ("demo", "months_12", "orders_only")

#: (check, variant, page) → the branch that fixes it; check is "runs", "clean", "skips" or "facts"
#: (page "" for facts); such entries become strict xfails. Empty since 2026-11-30: on the merged main
#: every variant runs clean (benchmarks/robustness_matrix.py, docs/robustness.md). A new known failure
#: goes here with the branch that fixes it, and leaves when that branch lands.
KNOWN: dict[tuple[str, str, str], str] = {}


def _marks(check: str, variant: str, page: str) -> list:
    marks = [] if variant in FAST else [pytest.mark.slow, pytest.mark.extended]
    branch = KNOWN.get((check, variant, page))
    if branch:
        marks.append(pytest.mark.xfail(strict=True, reason=f"fixed on branch {branch} (issue 12)"))
    return marks


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, demo_pack):
    """``matrix(name)`` → the audit of the pack run on variant ``name`` (run once per session).

    ``demo`` is the English run of the small demo that tests/test_i18n.py checks too
    (tests/conftest.py ``demo_pack``: 2026-10, the month ``auto`` gives on it, plus one scorecard)."""
    from salesnb.report.runner import run

    cache: dict[str, RunAudit] = {}
    base = tmp_path_factory.mktemp("robustness")
    done = os.environ.get("SALESNB_MATRIX_DIR")  # runs of benchmarks/robustness_matrix.py

    def get(name: str) -> RunAudit:
        if name not in cache and done:
            found = sorted(Path(done, "reports", name).glob("*/manifest.json"))
            if found:
                cache[name] = audit_run(found[-1].parent)
        if name not in cache and name == "demo":
            cache[name] = audit_run(demo_pack("en").path)
        if name not in cache:
            src = make_variant(name, base / "sources" / name)
            overrides = [f"source={src}"] + [f"{k}={v}" for k, v in variant_params(name).items()]
            lines: list[str] = []
            res = run("auto", overrides=overrides, jobs=2, out=base / "reports" / name,
                      progress=lines.append)
            assert res.path is not None and (res.path / "manifest.json").exists(), (
                name, res.exit_code, lines)
            cache[name] = audit_run(res.path)
        return cache[name]

    return get


@pytest.mark.parametrize("variant, notebook", [
    pytest.param(v, nb, marks=_marks("runs", v, nb), id=f"{v}-{nb}")
    for v in ALL for nb in NOTEBOOKS])
def test_notebook_runs_to_the_end(matrix, variant, notebook):
    audit = matrix(variant)
    assert audit.status.get(notebook) == "ok", (
        f"{notebook} on {variant}: {audit.status.get(notebook)} — {audit.errors.get(notebook)}")


@pytest.mark.parametrize("variant, page", [
    pytest.param(v, p, marks=_marks("clean", v, p), id=f"{v}-{p}")
    for v in ALL for p in PAGES])
def test_page_shows_no_raw_python(matrix, variant, page):
    audit = matrix(variant)
    if page in audit.status and audit.status[page] != "ok":
        pytest.skip(f"{page} failed on {variant} (test_notebook_runs_to_the_end reports it)")
    found = audit.reprs.get(f"{page}.html")
    assert found is not None, f"no page {page}.html on {variant}"
    assert not found, f"{page} on {variant}: " + "; ".join(map(str, found[:5]))


#: a variant without some data must say so on the pages that use it (a visible skip note)
EXPECTED_SKIPS = {
    "no_opportunities": ("02_performance_review", "05_risk_monitoring"),
    "orders_only": ("02_performance_review", "04_customer_segmentation"),
    "no_targets": ("02_performance_review",),
    "no_customers": ("04_customer_segmentation",),
}


@pytest.mark.parametrize("variant, page", [
    pytest.param(v, p, marks=_marks("skips", v, p), id=f"{v}-{p}")
    for v, pages in EXPECTED_SKIPS.items() for p in pages])
def test_missing_data_is_said_on_the_page(matrix, variant, page):
    audit = matrix(variant)
    if audit.status.get(page) != "ok":
        pytest.skip(f"{page} failed on {variant} (test_notebook_runs_to_the_end reports it)")
    assert audit.notes[f"{page}.html"]["skipped"] >= 1, (variant, page, audit.sections[f"{page}.html"])


@pytest.mark.parametrize("variant", [
    pytest.param(v, marks=_marks("facts", v, ""), id=v) for v in ALL])
def test_one_figure_per_fact(matrix, variant):
    """The summary, the register and the detail pages show each headline fact with one value."""
    audit = matrix(variant)
    problems = check_facts(audit.folder)
    assert not problems, f"{variant}:\n" + "\n".join(problems)


# ------------------------------------------------------------------ a fiscal year starting in April
def test_fiscal_windows_follow_fiscal_year_start():
    """QTD and YTD windows of attainment and the context: fiscal quarters and years (known answers)."""
    import pandas as pd

    from salesnb.context import Context
    from salesnb.performance import attainment

    months = [str(p) for p in pd.period_range("2025-01", "2026-12", freq="M")]
    act = pd.DataFrame({"period": months, "level": "company", "key": "all", "amount": 1.0})
    tgt = act.assign(amount=2.0)

    def windows(start):
        a = attainment(act, tgt, month="2026-10", fiscal_year_start=start).set_index("window")
        return {w: a.loc[w, "actual"] for w in ("MTD", "QTD", "YTD")}

    assert windows(1) == {"MTD": 1, "QTD": 1, "YTD": 10}   # Oct; Oct-Dec; Jan-Oct
    assert windows(4) == {"MTD": 1, "QTD": 1, "YTD": 7}    # Oct-Dec is fiscal Q3; Apr-Oct
    assert windows(2) == {"MTD": 1, "QTD": 3, "YTD": 9}    # Aug-Oct; Feb-Oct
    ctx = Context(ds=None, month="2026-02", out=Path("."), fiscal_year_start=4)
    assert (ctx.year_start, ctx.quarter_start) == (pd.Timestamp("2025-04-01"),
                                                   pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="fiscal_year_start must be a month 1-12"):
        attainment(act, tgt, month="2026-10", fiscal_year_start=13)


@pytest.mark.slow
def test_fiscal_april_variant_year_to_date_starts_in_april(tmp_path):
    """On the fiscal_april variant, 02's YTD (what the summary quotes) is April to the report month,
    and 01's fiscal YTD agrees with it."""
    import json

    from salesnb.data.extract import revenue
    from salesnb.data.sources import open_folder
    from salesnb.report.runner import EXIT_OK, run

    src = make_variant("fiscal_april", tmp_path / "src")
    params = variant_params("fiscal_april")
    assert params.get("fiscal_year_start") == 4
    lines: list[str] = []
    res = run("2026-10", overrides=[f"source={src}"] + [f"{k}={v}" for k, v in params.items()],
              jobs=1, out=tmp_path / "r", only=["02_performance_review"], progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    got = json.loads((res.path / "02_performance_review.results.json").read_text())["results"]
    rev = revenue(open_folder(src), freq="M").set_index("period")["revenue"]
    april_to_october = rev[(rev.index >= "2026-04-01") & (rev.index < "2026-11-01")].sum()
    january_to_october = rev[(rev.index >= "2026-01-01") & (rev.index < "2026-11-01")].sum()
    assert got["attainment"]["ytd"]["actual"] == pytest.approx(april_to_october, rel=1e-9)
    assert abs(april_to_october - january_to_october) > 1.0
