"""Deals of two or more pipelines in one export (HubSpot's Sales Pipeline beside Renewals), each with its
own stages: the import keeps them all, and the funnel is measured per pipeline, as if each pipeline
had been imported alone; a stage name two pipelines share stays two stages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import salesnb.performance as pf
from salesnb.data import extract
from salesnb.data.importing.importer import ImportError_, import_export
from salesnb.data.sources import open_folder
from salesnb.data.validate import validate
from tests.conftest import skip_unless_ci

#: each pipeline's open stages; Negotiation is in both, as are Closed Won and Closed Lost
OPEN = {"New Business": ["Appointment Scheduled", "Qualified To Buy", "Negotiation", "Contract Sent"],
        "Renewals": ["Renewal Due", "Negotiation"]}

PER_PIPELINE = """currency: USD
stages:
  New Business:
    - {stage: Appointment Scheduled, status: open}
    - {stage: Qualified To Buy, status: open}
    - {stage: Negotiation, status: open}
    - {stage: Contract Sent, status: open}
    - {stage: Closed Won, status: won}
    - {stage: Closed Lost, status: lost}
  Renewals:
    - {stage: Renewal Due, status: open}
    - {stage: Negotiation, status: open}
    - {stage: Closed Won, status: won}
    - {stage: Closed Lost, status: lost}
"""


def two_pipeline_export(folder: Path, n: int = 360, seed: int = 7, end: str = "2025-06-30") -> Path:
    """A HubSpot export (all-deals, all-companies, all-users) of deals in two pipelines, with the
    ``Date entered "Stage (Pipeline)"`` columns HubSpot writes for every stage of every pipeline.
    Renewals convert better at Negotiation than New Business does, so a funnel that merges the two
    Negotiation stages reads neither."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    end_ts = pd.Timestamp(end)
    cols = [f'Date entered "{s} ({p})"' for p, opens in OPEN.items() for s in [*opens, "Closed Won", "Closed Lost"]]
    rows = []
    for i in range(n):
        pipe = "Renewals" if i % 3 == 0 else "New Business"
        opens = OPEN[pipe]
        created = end_ts - pd.Timedelta(days=int(rng.integers(20, 540)))
        row = {"Record ID": str(5000 + i), "Pipeline": pipe, "Deal owner": f"Rep {i % 6}",
               "Create Date": f"{created:%Y-%m-%d}", "Amount": str(int(rng.integers(500, 20000))),
               "Associated Company IDs": f"C{i % 30}", **dict.fromkeys(cols, "")}
        d, reached, fate = created, 0, "open"
        p_go = 0.85 if pipe == "Renewals" else 0.7
        while True:
            row[f'Date entered "{opens[reached]} ({pipe})"'] = f"{d:%Y-%m-%d}"
            d = d + pd.Timedelta(days=int(rng.integers(3, 25)))
            if d >= end_ts:
                break
            if rng.random() > p_go:
                fate = "lost"
                break
            if reached + 1 == len(opens):
                fate = "won"
                break
            reached += 1
        stage = {"won": "Closed Won", "lost": "Closed Lost"}.get(fate, opens[reached])
        if fate != "open":
            row[f'Date entered "{stage} ({pipe})"'] = f"{d:%Y-%m-%d}"
        row["Deal Stage"] = stage
        row["Close Date"] = f"{min(d, end_ts):%Y-%m-%d}" if fate != "open" else f"{d + pd.Timedelta(days=30):%Y-%m-%d}"
        rows.append(row)
    pd.DataFrame(rows).to_csv(folder / "all-deals.csv", index=False)
    pd.DataFrame({"Record ID": [f"C{i}" for i in range(30)], "Company name": [f"Company {i}" for i in range(30)],
                  "Country/Region": ["US", "DE", "CN"] * 10}).to_csv(folder / "all-companies.csv", index=False)
    pd.DataFrame({"First Name": ["Rep"] * 6, "Last Name": [str(i) for i in range(6)],
                  "Primary Team": ["East", "West"] * 3, "Region": ["East", "West"] * 3}).to_csv(
        folder / "all-users.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return two_pipeline_export(tmp_path_factory.mktemp("pipelines") / "export")


@pytest.fixture(scope="module")
def both(export, tmp_path_factory):
    """The export imported whole with one stages list per pipeline: (tables, Dataset)."""
    folder = tmp_path_factory.mktemp("both")
    (folder / "m.yaml").write_text(PER_PIPELINE, encoding="utf-8")
    tables, _ = import_export("hubspot", export, folder / "src", overrides=folder / "m.yaml")
    return tables, open_folder(folder / "src")


def _alone(export: Path, folder: Path, pipeline: str):
    """The export imported keeping one pipeline's deals (a where filter) and its stages only: the
    figures each pipeline's funnel must equal."""
    stages = "\n".join(f"  - {{stage: {s}, status: open}}" for s in OPEN[pipeline])
    (folder / f"{pipeline}.yaml").write_text(
        f"currency: USD\ntables:\n  opportunities:\n    where: [{{column: Pipeline, in: [{pipeline}], reason: "
        f"another pipeline}}]\nstages:\n{stages}\n  - {{stage: Closed Won, status: won}}\n"
        "  - {stage: Closed Lost, status: lost}\n", encoding="utf-8")
    tables, _ = import_export("hubspot", export, folder / pipeline, overrides=folder / f"{pipeline}.yaml")
    return tables, open_folder(folder / pipeline)


def test_a_two_pipeline_export_imports_whole_and_each_funnel_is_that_pipeline_alone(export, both, tmp_path):
    """Two pipelines with their own stages had to be cut to one (a where filter) or listed in one order,
    which read a Renewals deal as past every New Business stage. With one stages list per pipeline the
    import keeps every deal, validates, and stage conversion, funnel counts (in the engine), the funnel
    metrics and the stage tests of each pipeline equal those of that pipeline imported alone."""
    tables, ds = both
    raw = pd.read_csv(export / "all-deals.csv", dtype=str)
    assert len(tables["opportunities"]) == len(raw)
    assert not [str(p) for p in validate(ds) if p.severity == "error"]
    so = extract.stage_order(ds)
    assert {p: s.open for p, s in so.pipelines.items()} == OPEN
    opps, hist = tables["opportunities"], tables["opportunity_history"]
    conv = pf.stage_conversion(opps, hist, stages=so)
    by_rep = pf.stage_conversion(opps, hist, by=["rep_id"], stages=so)
    counts = extract.funnel_counts(ds, by=(), stages=so)
    for pipeline in OPEN:
        t1, ds1 = _alone(export, tmp_path, pipeline)
        so1 = extract.stage_order(ds1)
        assert so1.open == OPEN[pipeline] and not so1.pipelines
        mine = conv[conv.pipeline == pipeline].drop(columns="pipeline").reset_index(drop=True)
        alone = pf.stage_conversion(t1["opportunities"], t1["opportunity_history"], stages=so1)
        pd.testing.assert_frame_equal(mine, alone)
        f = counts[counts.pipeline == pipeline].drop(columns="pipeline").reset_index(drop=True)
        pd.testing.assert_frame_equal(f, extract.funnel_counts(ds1, by=(), stages=so1))
        rep = by_rep[by_rep.pipeline == pipeline].drop(columns="pipeline").reset_index(drop=True)
        rep_alone = pf.stage_conversion(t1["opportunities"], t1["opportunity_history"], by=["rep_id"], stages=so1)
        pd.testing.assert_frame_equal(rep, rep_alone)
        tests = pf.stage_tests(by_rep)
        tests = tests[tests.pipeline == pipeline]
        alone_tests = pf.stage_tests(rep_alone)
        assert tests["peer_rate"].round(12).tolist() == alone_tests["peer_rate"].round(12).tolist()
        fm = pf.funnel_metrics(opps.assign(pipe=opps.pipeline), hist, by=["pipe"], stages=so).set_index("pipe")
        fm1 = pf.funnel_metrics(t1["opportunities"], t1["opportunity_history"], by=(), stages=so1).iloc[0]
        for c in ("created", "qualified", "open_qualified", "won", "lost", "win_rate"):
            assert fm.loc[pipeline, c] == pytest.approx(fm1[c]), c


def test_a_stage_name_two_pipelines_share_stays_two_stages(both):
    """Negotiation is the third stage of New Business and the second of Renewals, and both pipelines end
    in Closed Won: one list merged them (Renewals' strong Negotiation lifted New Business' figure, and
    its deals counted as past New Business' Qualified To Buy). Each is now its own row, with its own
    deals, next stage and conversion."""
    tables, ds = both
    so = extract.stage_order(ds)
    opps, hist = tables["opportunities"], tables["opportunity_history"]
    conv = pf.stage_conversion(opps, hist, stages=so).set_index(["pipeline", "stage"])
    nb, rn = conv.loc[("New Business", "Negotiation")], conv.loc[("Renewals", "Negotiation")]
    assert (nb.next_stage, rn.next_stage) == ("Contract Sent", "Closed Won")
    in_rn = set(opps.loc[opps.pipeline == "Renewals", "opportunity_id"])
    entered_rn = hist[(hist.stage == "Negotiation") & hist.opportunity_id.isin(in_rn)].opportunity_id.nunique()
    won_rn = int(((opps.pipeline == "Renewals") & (opps.status == "won")).sum())
    assert rn.entered >= entered_rn and nb.entered + rn.entered >= hist[hist.stage == "Negotiation"].opportunity_id.nunique()
    assert rn.conversion > nb.conversion  # the planted difference, kept apart
    counts = extract.funnel_counts(ds, by=(), stages=so)
    won = counts[counts.stage == "Closed Won"].set_index("pipeline")["reached"]
    assert won["Renewals"] == won_rn and won.sum() == int((opps.status == "won").sum())
    # the stage tests compare a rep with peers at the same stage of the same pipeline
    tests = pf.stage_tests(pf.stage_conversion(opps, hist, by=["rep_id"], stages=so))
    assert set(tests.groupby(["pipeline", "stage"]).size().index) >= {("New Business", "Negotiation"),
                                                                     ("Renewals", "Negotiation")}
    assert "pipeline" in pf.coaching_list(pf.stage_conversion(opps, hist, by=["rep_id"], stages=so)).columns


def test_without_a_pipeline_column_or_with_one_pipeline_nothing_changes(both, tmp_path):
    """The stage order, funnel and stage tests of deals with no pipeline column, or one pipeline only,
    are those of one list, as before: no ``pipeline`` column in any output."""
    tables, ds = both
    opps, hist = tables["opportunities"], tables["opportunity_history"]
    one = opps[opps.pipeline == "New Business"]
    hist1 = hist[hist.opportunity_id.isin(one.opportunity_id)]
    so = extract.stage_order(ds).pipelines["New Business"]
    a = pf.stage_conversion(one, hist1, by=["rep_id"], stages=so)
    b = pf.stage_conversion(one.drop(columns="pipeline"), hist1, by=["rep_id"], stages=so)
    pd.testing.assert_frame_equal(a, b)
    assert "pipeline" not in a and "pipeline" not in pf.stage_tests(a)
    # an export without the column: one order, no pipelines, counts without a pipeline column
    folder = tmp_path / "none"
    folder.mkdir()
    for name, t in tables.items():
        t = t[t.opportunity_id.isin(one.opportunity_id)] if "opportunity_id" in t else t
        t = t[t.pipeline == "New Business"] if name == "stages" else t
        t.drop(columns="pipeline", errors="ignore").to_parquet(folder / f"{name}.parquet")
    ds0 = open_folder(folder)
    so0 = extract.stage_order(ds0)
    assert not so0.pipelines and so0.open == so.open
    f0 = extract.funnel_counts(ds0, by=(), stages=so0)
    assert "pipeline" not in f0
    pd.testing.assert_frame_equal(f0, extract.funnel_counts(ds0, by=(), stages=so))


def test_a_stage_missing_from_its_pipeline_s_list_stops_the_import_naming_rows_and_pipeline(export, tmp_path):
    """With one list per pipeline, a deal whose stage its own pipeline's list does not name (Negotiation
    in Renewals' list only, though New Business has deals in it) stops the import, naming the stage,
    the rows, the pipeline and the list to complete; a pipeline without a list is named as such."""
    (tmp_path / "m.yaml").write_text(PER_PIPELINE.replace(
        "    - {stage: Qualified To Buy, status: open}\n    - {stage: Negotiation, status: open}\n",
        "    - {stage: Qualified To Buy, status: open}\n"), encoding="utf-8")
    raw = pd.read_csv(export / "all-deals.csv", dtype=str)
    bad = raw.index[(raw.Pipeline == "New Business") & (raw["Deal Stage"] == "Negotiation")]
    assert len(bad) > 1
    with pytest.raises(ImportError_) as err:
        import_export("hubspot", export, overrides=tmp_path / "m.yaml")
    text = str(err.value)
    assert text.startswith(f"all-deals.csv, column 'Deal Stage': {len(bad):,} deals are in stages the profile's "
                           f"list of their pipeline does not name")
    assert f"pipeline New Business: 'Negotiation' ({len(bad):,} rows: data rows {bad[0] + 1}, " in text
    assert "the profile lists New Business, Renewals" in text
    (tmp_path / "m.yaml").write_text(PER_PIPELINE.split("  Renewals:")[0], encoding="utf-8")
    with pytest.raises(ImportError_, match=r"pipeline Renewals \(no list in the profile\): 'Closed Won'"):
        import_export("hubspot", export, overrides=tmp_path / "m.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_performance_review_risk_page_and_a_scorecard_run_on_two_pipelines(lang, both, tmp_path):
    """02, 05 and a rep scorecard on the two-pipeline export, in English and Chinese: every page runs,
    shows no Python repr and no untranslated message, says the funnel is measured per pipeline and
    heads the pipeline's column as a pipeline (商机金额, the open amount, in Chinese before)."""
    import json

    from salesnb.report import audit
    from salesnb.report.runner import EXIT_OK, run

    tables, ds = both
    lines: list[str] = []
    res = run("2025-06", overrides=[f"source={ds.spec}", f"lang={lang}"],
              only=["02_performance_review", "05_risk_monitoring"], scorecards=["Rep 1"], jobs=2,
              out=tmp_path / "reports", progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    pages = {p.stem: p.read_text(encoding="utf-8")
             for p in [*res.path.glob("*.html"), *(res.path / "reps").glob("*.html")]}
    assert {"02_performance_review", "05_risk_monitoring"} <= set(pages) and any("Rep" in n for n in pages), pages.keys()
    for name, html in pages.items():
        assert audit.find_python_reprs(html) == [], name
    for f in [*res.path.glob("*.results.json"), *(res.path / "reps").glob("*.results.json")]:
        assert json.loads(f.read_text(encoding="utf-8"))["results"].get("i18n_missing", []) == [], f.name
    said = "each with its own stages" if lang == "en" else "各有自己的阶段"
    header = ">Pipeline<" if lang == "en" else ">销售流程<"
    perf = pages["02_performance_review"]
    assert said in perf and header in perf
    card = next(v for k, v in pages.items() if "Rep" in k)
    assert said in card and header in card
    risk_page = pages["05_risk_monitoring"]
    assert header in risk_page and ("each stage's win rate is that of its own pipeline's deals" if lang == "en"
                                    else "每个阶段的赢单率只来自其所属销售流程的商机") in risk_page


def test_stage_win_rates_are_each_pipeline_s_and_an_open_deal_gets_its_own_pipeline_s_rate(both):
    """05's calibrated stage win rates pooled Negotiation over both pipelines (224 deals, 68 %) and gave
    that rate to an open deal of either: each pipeline's stage now has its own row, shrunk toward its own
    pipeline's win rate, equal to the rate of that pipeline imported alone, and P(miss) maps a deal to
    the rate of its own pipeline's stage."""
    from salesnb import risk
    from salesnb.data import risk_queries as rq

    tables, ds = both
    ri = rq.risk_inputs(ds, as_of="2025-06-30")
    wr = risk.stage_win_rates(ri.frame("stage_outcomes"), stages=ri.stage_pipelines)
    assert wr[["pipeline", "stage"]].values.tolist() == [[p, s] for p, opens in OPEN.items() for s in opens]
    out = ri.frame("stage_outcomes")
    for p in OPEN:
        mine = out[out.pipeline == p].drop(columns="pipeline")
        alone = risk.stage_win_rates(mine, stages=OPEN[p])
        pd.testing.assert_frame_equal(wr[wr.pipeline == p].drop(columns="pipeline").reset_index(drop=True), alone)
    deals = pd.DataFrame({"pipeline": ["Renewals", "New Business"], "stage": ["Negotiation", "Negotiation"]})
    got = risk.stage_rates(deals, wr).tolist()
    rates = wr.set_index(["pipeline", "stage"])["win_rate"]
    assert got == [rates[("Renewals", "Negotiation")], rates[("New Business", "Negotiation")]] and got[0] != got[1]


def test_a_stage_name_may_repeat_across_pipelines_but_not_within_one(both, tmp_path):
    """The stages table was keyed by ``stage``: Closed Won in two pipelines read as a duplicate. With
    a ``pipeline`` column the key is pipeline + stage; without it, still the stage alone."""
    tables, ds = both
    assert not [p for p in validate(ds) if p.table == "stages"]
    folder = tmp_path / "dup"
    folder.mkdir()
    for name, t in tables.items():
        t.to_parquet(folder / f"{name}.parquet")
    st = tables["stages"]
    pd.concat([st, st.iloc[[0]]]).to_parquet(folder / "stages.parquet")
    dup = [p for p in validate(open_folder(folder)) if p.table == "stages" and p.kind == "duplicate_id"]
    assert len(dup) == 1 and dup[0].column == "pipeline, stage"
    st.drop(columns="pipeline").to_parquet(folder / "stages.parquet")
    dup = [p for p in validate(open_folder(folder)) if p.table == "stages" and p.kind == "duplicate_id"]
    assert len(dup) == 1 and dup[0].column == "stage"


def _pipeline_queries(ds):
    """The engine queries that read the pipelines, as frames to compare across engines."""
    from salesnb import risk
    from salesnb.data import risk_queries as rq

    so = extract.stage_order(ds)
    ri = rq.risk_inputs(ds, as_of="2025-06-30")
    return {"order": pd.DataFrame([(p, i, s) for p, x in so.pipelines.items() for i, s in enumerate(x.all)],
                                  columns=["pipeline", "i", "stage"]),
            "funnel": extract.funnel_counts(ds, by=("rep_id",), stages=so),
            "outcomes": rq.stage_outcomes(ds).sort_values(["opportunity_id", "stage"], ignore_index=True),
            "win_rates": risk.stage_win_rates(ri.frame("stage_outcomes").sort_values(
                ["opportunity_id", "stage"], ignore_index=True), stages=ri.stage_pipelines),
            # 05's stalled deals and P(won within the quarter), per pipeline (tests/test_pipeline_risk.py)
            "durations": ri.frame("stage_durations").sort_values(["opportunity_id", "entered_date"],
                                                                 ignore_index=True),
            "thresholds": risk.stage_duration_thresholds(ri.frame("stage_durations")).reset_index(),
            "snapshots": ri.frame("deal_snapshots").sort_values(["ref_date", "opportunity_id"], ignore_index=True),
            "win_within": risk.win_within_rates(ri.frame("deal_snapshots").sort_values(
                ["ref_date", "opportunity_id"], ignore_index=True))}


@pytest.mark.postgres
def test_the_pipeline_queries_are_the_same_on_postgresql(both, pg_url):
    """Stage order, funnel counts, stage outcomes, stage durations and deal snapshots per pipeline (and
    the stalled-deal limits and P(won within the quarter) rates 05 computes from them), in PostgreSQL as
    in DuckDB (in a database of their own: the other PostgreSQL tests share the default one)."""
    import psycopg

    from salesnb.data.sources import open_source
    from tests.pg import load_frames

    tables, ds = both
    with psycopg.connect(pg_url.replace("postgresql://", "postgres://"), autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS salesnb_pipelines")
        c.execute("CREATE DATABASE salesnb_pipelines")
    url = pg_url.rsplit("/", 1)[0] + "/salesnb_pipelines"
    load_frames(url, tables)
    pg = open_source(url)
    assert pg.backend == "postgres"
    want, got = _pipeline_queries(ds), _pipeline_queries(pg)
    for k in want:
        pd.testing.assert_frame_equal(got[k].reset_index(drop=True), want[k].reset_index(drop=True),
                                      check_dtype=False, obj=k)


@pytest.mark.spark
@pytest.mark.slow
def test_the_pipeline_queries_are_the_same_on_spark(both, tmp_path):
    """The same on Spark (Spark Connect, the tables loaded with ``salesnb load``)."""
    try:
        import pyspark.sql.connect.session  # noqa: F401
    except ImportError as exc:
        skip_unless_ci(f"pyspark with Spark Connect is not installed ({exc})")
    from salesnb.data.load import load
    from salesnb.data.sources import open_source
    from tests.spark import QUICK_JVM, SMALL_DATA_CONF, SparkConnect

    tables, ds = both
    try:
        server = SparkConnect(java_options=QUICK_JVM, conf=SMALL_DATA_CONF).start()
    except RuntimeError as exc:
        skip_unless_ci(str(exc))
    try:
        load(str(ds.spec), server.url)
        want, got = _pipeline_queries(ds), _pipeline_queries(open_source(server.url))
    finally:
        server.stop()
    for k in want:
        pd.testing.assert_frame_equal(got[k].reset_index(drop=True), want[k].reset_index(drop=True),
                                      check_dtype=False, obj=k)


def test_the_suggested_draft_of_a_two_pipeline_export_imports_each_pipeline_with_its_stages(export, tmp_path):
    """``--suggest`` on the export maps the pipeline column and drafts one stages list per pipeline;
    imported as drafted (no where), every deal is kept and each pipeline's stage order is its own
    (Renewals' open stages, seen only in the stage history, put last in the order its deals entered
    them, as for one list)."""
    import yaml

    from salesnb.data.importing.suggest import suggest

    text = suggest(export)
    prof = yaml.safe_load(text)
    assert prof["tables"]["opportunities"]["columns"]["pipeline"] == "Pipeline"
    assert list(prof["stages"]) == ["New Business", "Renewals"]
    prof["currency"] = "USD"
    tables, report = import_export(prof, export, tmp_path / "src")
    ds = open_folder(tmp_path / "src")
    assert not [str(p) for p in validate(ds) if p.severity == "error"]
    assert len(tables["opportunities"]) == len(pd.read_csv(export / "all-deals.csv", dtype=str))
    assert {p: s.open for p, s in extract.stage_order(ds).pipelines.items()} == OPEN
    assert "stages of pipeline Renewals not in the profile's list, put last" in str(report)
