"""End to end: the runner on small data into a temporary folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import psutil
import pytest

from salesnb.report.kernels import KERNEL_TRANSPORT
from salesnb.report.runner import EXIT_DATA, EXIT_FAILED, EXIT_OK, EXIT_PARAMS, run

ROOT = Path(__file__).resolve().parents[1]
SENTINEL = "# SENTINEL-7f3a: code must not reach the leader's page"


def _nbdir(tmp_path: Path, *, fail: bool) -> Path:
    d = tmp_path / "notebooks"
    d.mkdir(parents=True)
    nb = nbformat.read(ROOT / "notebooks" / "00_data_overview.ipynb", as_version=4)
    for c in nb.cells:
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []):
            c.source = SENTINEL + "\n" + c.source
            break
    nbformat.write(nb, d / "00_data_overview.ipynb")
    if fail:
        f = nbformat.v4.new_notebook()
        f.cells = [
            nbformat.v4.new_markdown_cell("# Always fails"),
            nbformat.v4.new_code_cell('month: str = ""  # month\nsource: str = "demo"  # source\n'
                                      'output_dir: str = ""  # out\nlang: str = "en"  # lang',
                                      metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell('raise ValueError("planted failure for the test")'),
        ]
        nbformat.write(f, d / "01_always_fails.ipynb")
    return d


def _params(tmp_path: Path, source: Path) -> Path:
    p = tmp_path / "params"
    p.mkdir(exist_ok=True)
    (p / "defaults.yaml").write_text(f'source: "{source}"\n')
    return p


def _run(tmp_path, nbdir, params, **kw):
    lines = []
    res = run("auto", notebooks_dir=nbdir, params_dir=params, out=tmp_path / "reports",
              progress=lines.append, **kw)
    return res, lines


@pytest.mark.slow
def test_failed_notebook_others_publish_and_good_report_survives(tmp_path, small_folder):
    params = _params(tmp_path, small_folder)
    good_dir = _nbdir(tmp_path / "good", fail=False)
    res, lines = _run(tmp_path, good_dir, params)
    assert res.exit_code == EXIT_OK, lines
    folder = res.path
    assert folder == tmp_path / "reports" / res.month
    page = (folder / "00_data_overview.html").read_text()
    assert "SENTINEL-7f3a" not in page  # no code on the leader's page
    assert "Data overview" in page and "<script" not in page.lower()
    assert "http://" not in page.replace("http://www.w3.org", "")
    results = json.loads((folder / "00_data_overview.results.json").read_text())
    assert results["results"]["rows"]["orders"] == 600
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["data_fingerprint"]
    assert manifest["packages"]["papermill"] and manifest["notebooks"][0]["seconds"] > 0
    assert (folder / "index.html").exists()
    first_bytes = (folder / "00_data_overview.results.json").read_bytes()
    assert any("00_data_overview" in line and "ok" in line for line in lines)

    # a rerun with a failing notebook: the other one still runs, exit non-zero, good report kept
    bad_dir = _nbdir(tmp_path / "bad", fail=True)
    res2, lines2 = _run(tmp_path, bad_dir, params)
    assert res2.exit_code == EXIT_FAILED
    assert res2.path == tmp_path / "reports" / f"{res.month}-failed"
    assert json.loads((folder / "manifest.json").read_text())["status"] == "ok"
    assert (folder / "00_data_overview.results.json").read_bytes() == first_bytes
    failed = res2.path
    assert (failed / "00_data_overview.html").exists()
    assert (failed / "00_data_overview.results.json").read_bytes() == first_bytes  # byte-identical
    err = (failed / "01_always_fails.html").read_text()
    assert "ValueError" in err and "planted failure for the test" in err and "cell [4]" in err
    assert "raise ValueError" in err  # the failing cell's source is shown
    assert (failed / "01_always_fails.ipynb").exists()  # the executed copy with the error
    idx = (failed / "index.html").read_text()
    assert "failed" in idx and "01_always_fails" in idx
    assert any("FAILED" in line and "01_always_fails" in line for line in lines2)

    # without a good earlier report, a failed run publishes in place
    shutil.rmtree(folder)
    res3, _ = _run(tmp_path, bad_dir, params)
    assert res3.exit_code == EXIT_FAILED and res3.path == folder


def test_unknown_parameter_stops_before_any_kernel(tmp_path, small_folder):
    res, lines = _run(tmp_path, _nbdir(tmp_path, fail=False), _params(tmp_path, small_folder),
                      overrides=["histroy_months=3"])
    assert res.exit_code == EXIT_PARAMS
    assert "histroy_months" in res.message and "history_months" in res.message
    assert not (tmp_path / "reports").exists()


def test_bad_month_is_rejected(tmp_path, small_folder):
    res = run("2026-13", notebooks_dir=_nbdir(tmp_path, fail=False),
              params_dir=_params(tmp_path, small_folder), out=tmp_path / "r2", progress=lambda m: None)
    assert res.exit_code == EXIT_PARAMS and "YYYY-MM" in res.message
    assert not (tmp_path / "r2").exists()


def test_data_errors_stop_the_run(tmp_path, small_tables):
    from tests.conftest import write_tables

    small_tables["opportunities"].loc[3, "status"] = "maybe"
    src = write_tables(small_tables, tmp_path / "src")
    res, lines = _run(tmp_path, _nbdir(tmp_path, fail=False), _params(tmp_path, src))
    assert res.exit_code == EXIT_DATA
    assert any("opportunities.status" in line for line in lines)
    assert not list((tmp_path / "reports").glob("*/index.html"))


def test_secret_in_source_url_is_refused_and_never_written(tmp_path):
    from salesnb.data.errors import DataError
    from salesnb.data.sources import open_source, redact

    assert redact("postgresql://bob:hunter2@db/sales") == "postgresql://bob:***@db/sales"
    with pytest.raises(DataError) as err:
        open_source("postgresql://bob:hunter2@127.0.0.1:1/sales")
    assert "hunter2" not in str(err.value)


def test_fail_on_reads_alert_files(tmp_path):
    from salesnb.report.runner import EXIT_ALERTS, _alert_exit

    (tmp_path / "05_risk_monitoring.alerts.json").write_text(json.dumps([
        {"id": "a", "severity": "warning", "message": "amber thing"},
    ]))
    said = []
    assert _alert_exit(tmp_path, "critical", said.append) == EXIT_OK
    assert _alert_exit(tmp_path, "warning", said.append) == EXIT_ALERTS
    assert any("amber thing" in s for s in said)
    (tmp_path / "05_risk_monitoring.alerts.json").write_text(json.dumps({"alerts": [
        {"id": "b", "severity": "critical", "message": "red thing"}]}))
    assert _alert_exit(tmp_path, "critical", said.append) == EXIT_ALERTS


@pytest.mark.slow
def test_scorecards_for_named_reps(tmp_path, demo_path, ground_truth):
    strong = ground_truth["reps"]["strong_rep"]
    leaver = ground_truth["reps"]["leavers"][0]
    lines = []
    res = run("2026-10", only=["data_overview"], scorecards=[strong, leaver],
              out=tmp_path / "reports", progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    page = (res.path / "reps" / f"{strong}.html").read_text()
    assert strong in page and "<script" not in page.lower()
    assert not (res.path / "reps" / f"{leaver}.html").exists()  # left before the month: no page
    index = (res.path / "index.html").read_text()
    assert f"reps/{strong}.html" in index


def test_published_folder_is_readable_and_lists_every_artefact(tmp_path, small_folder):
    import stat

    params = _params(tmp_path, small_folder)
    nbdir = _nbdir(tmp_path, fail=False)
    res, lines = _run(tmp_path, nbdir, params)
    assert res.exit_code == EXIT_OK, lines
    mode = stat.S_IMODE(res.path.stat().st_mode)
    assert mode & 0o055 == 0o055 & ~_umask()  # group/others may read and enter, as umask allows


def _umask() -> int:
    import os

    m = os.umask(0)
    os.umask(m)
    return m


@pytest.mark.slow
@pytest.mark.postgres
def test_whole_pack_on_postgresql_agrees_with_duckdb(tmp_path, pg_url, demo_pack):
    """The same notebooks on a warehouse: the pack runs on PostgreSQL and its figures match DuckDB's
    (the shared English run of the same small demo, same month and parameters)."""
    import ibis

    from salesnb.data.demo import ensure_demo
    from salesnb.data.sources import open_folder

    demo = ensure_demo(scale=0.05)
    admin = ibis.connect(pg_url.replace("postgresql://", "postgres://"))
    admin.raw_sql("DROP DATABASE IF EXISTS salesnb_pack")
    admin.raw_sql("CREATE DATABASE salesnb_pack")
    url = pg_url.rsplit("/", 1)[0] + "/salesnb_pack"
    con = ibis.connect(url.replace("postgresql://", "postgres://"))
    local = open_folder(demo)
    for name in local.tables:
        con.create_table(name, local.raw[name].to_pyarrow())
    only = ["00_data_overview", "02_performance_review", "05_risk_monitoring"]
    runs = {"duckdb": {r.name: r.results for r in demo_pack("en").notebooks if r.name in only}}
    assert sorted(runs["duckdb"]) == only
    lines = []
    res = run("2026-10", overrides=[f"source={url}"], only=only, jobs=2, out=tmp_path / "postgres",
              progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    runs["postgres"] = {r.name: r.results for r in res.notebooks}
    d, p = runs["duckdb"], runs["postgres"]
    assert p["00_data_overview"]["rows"] == d["00_data_overview"]["rows"]
    assert p["00_data_overview"]["revenue_month"] == pytest.approx(
        d["00_data_overview"]["revenue_month"], rel=1e-9)
    for w in ("mtd", "qtd", "ytd"):
        assert p["02_performance_review"]["attainment"][w]["actual"] == pytest.approx(
            d["02_performance_review"]["attainment"][w]["actual"], rel=1e-9)
    assert p["02_performance_review"]["win_rate"] == pytest.approx(
        d["02_performance_review"]["win_rate"], rel=1e-9)
    assert p["05_risk_monitoring"]["summary"]["alerts"] == d["05_risk_monitoring"]["summary"]["alerts"]


@pytest.mark.slow
def test_rerun_gives_byte_identical_results_for_every_notebook(tmp_path, demo_pack):
    """A second run of the shared demo pack (same data, parameters, scorecard and two kernels)
    publishes byte-identical results.json files. The small demo's orders file has 58 row groups,
    so DuckDB aggregates them on both threads, in an order that differs between runs: the figures
    must not depend on it (the run of the full demo tested the same thing at four times the cost)."""
    import pandas as pd
    import pyarrow.parquet as pq

    from salesnb.data.demo import ensure_demo

    first = demo_pack("en")
    demo = ensure_demo(scale=0.05)
    assert pq.ParquetFile(demo / "orders.parquet").metadata.num_row_groups >= 8
    reps = pd.read_parquet(demo / "reps.parquet")
    rep = str(reps.loc[reps["end_date"].isna(), "rep_id"].iloc[0])  # as demo_pack
    lines = []
    res = run("2026-10", overrides=["lang=en", f"source={demo}"], scorecards=[rep], jobs=2,
              out=tmp_path / "run2", progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    names = sorted(str(p.relative_to(first.path)) for p in first.path.rglob("*.results.json"))
    assert len(names) >= 8 and any(n.startswith("reps") for n in names), names
    for name in names:
        assert (first.path / name).read_bytes() == (res.path / name).read_bytes(), name


def _elements(body: str) -> list:
    """A page as BeautifulSoup reads it: every element's name, attributes and own text, in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, features="html.parser")
    return [(el.name, sorted((k, v if isinstance(v, str) else " ".join(v)) for k, v in el.attrs.items()),
             [str(s).strip() for s in el.find_all(string=True, recursive=False) if str(s).strip()])
            for el in soup.find_all(True)]


def _texts(body: str) -> str:
    """The text between a page's tags, as written (entities not resolved)."""
    import re

    return "".join(re.findall(r">([^<>]*)<", body))


def test_pages_equal_nbconvert_s_without_its_parse(demo_pack):
    """salesnb exports a page without nbconvert's BeautifulSoup pass (70 % of a scorecard's export):
    every page of the demo pack, English and Chinese, has the same elements, attributes (each
    output's tabindex, each image's alt) and text as nbconvert's own export of it."""
    import re

    from nbconvert import HTMLExporter

    from salesnb.report import html as report_html

    ex = report_html.exporter()
    seen = 0
    for lang in ("en", "zh-CN"):
        for path in sorted(demo_pack(lang).path.rglob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            res = {"sn_title": path.stem, "sn_back": "back", "metadata": {"name": path.stem}}
            ours, _ = ex.from_notebook_node(nbformat.from_dict(nb), resources=dict(res))
            theirs, _ = HTMLExporter.from_notebook_node(ex, nbformat.from_dict(nb), resources=dict(res))
            assert ours != theirs and _elements(ours) == _elements(theirs), path.name
            assert 'tabindex="0"' in ours, path.name
            assert not re.search(r"&(?!lt;|gt;|amp;)[#A-Za-z0-9]+;", _texts(ours)), path.name  # text as it reads
            seen += 1
    assert seen >= 16, seen
    bare = '<div class="jp-RenderedImage jp-OutputArea-output ">\n<img src="data:image/png;base64,AAAA"\n>'
    assert report_html.accessible('<h2 title="&quot;a&quot;">the rep&#x27;s &quot;b&quot; &amp; &lt;c&gt; '
                                  '&#25968;&#x636E;&#182;</h2>') == (
        '<h2 title="&quot;a&quot;">the rep\'s "b" &amp; &lt;c&gt; 数据¶</h2>')
    assert report_html.accessible(bare) == (
        '<div class="jp-RenderedImage jp-OutputArea-output " tabindex="0">\n'
        f'<img alt="{report_html.NO_ALT}" src="data:image/png;base64,AAAA"\n>')


# ---------------------------------------------------------------- nothing lost (issues 15 and 19)

def _tiny_nbdir(tmp_path: Path, names=("00_alpha", "01_beta"), *, body: str = "") -> Path:
    """Notebooks that start a kernel, publish one figure and write one artefact: seconds each."""
    d = tmp_path / "tiny"
    d.mkdir(parents=True, exist_ok=True)
    for name in names:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# {name}"),
            nbformat.v4.new_code_cell('month: str = ""  # month\nsource: str = "demo"  # source\n'
                                      'output_dir: str = ""  # out\nlang: str = "en"  # lang',
                                      metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(
                "import pathlib, time\n" + body +
                f"pathlib.Path(output_dir, '{name}.note.txt').write_text(str(time.time_ns()))\n"
                f"print('{name} done')"),
        ]
        nbformat.write(nb, d / f"{name}.ipynb")
    return d


def _card_notebook(nbdir: Path, code: str) -> Path:
    """A tiny ``rep_scorecard.ipynb`` in ``nbdir``: the runner's parameters, then ``code``."""
    card = nbformat.v4.new_notebook()
    card.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    card.cells = [nbformat.v4.new_markdown_cell("# Scorecard"),
                  nbformat.v4.new_code_cell('month: str = ""  # m\nsource: str = "demo"  # s\n'
                                            'output_dir: str = ""  # o\nrep_id: str = ""  # rep',
                                            metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_code_cell(code)]
    nbformat.write(card, nbdir / "rep_scorecard.ipynb")
    return nbdir / "rep_scorecard.ipynb"


def _md5s(folder: Path) -> dict[str, str]:
    import hashlib

    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_partial_run_merges_into_the_month_and_keeps_what_it_did_not_rerun(tmp_path, small_folder):
    params, nbdir = _params(tmp_path, small_folder), _tiny_nbdir(tmp_path)
    res, lines = _run(tmp_path, nbdir, params)
    assert res.exit_code == EXIT_OK, lines
    before = _md5s(res.path)
    assert "00_alpha.note.txt" in before and "01_beta.note.txt" in before
    res2, lines2 = _run(tmp_path, nbdir, params, only=["01_beta"])
    assert res2.exit_code == EXIT_OK and res2.path == res.path, lines2
    after = _md5s(res.path)
    for f in ("00_alpha.ipynb", "00_alpha.html", "00_alpha.results.json", "00_alpha.note.txt"):
        assert after[f] == before[f]  # kept, byte for byte
    assert after["01_beta.note.txt"] != before["01_beta.note.txt"]  # rerun
    manifest = json.loads((res.path / "manifest.json").read_text())
    assert [nb["name"] for nb in manifest["notebooks"]] == ["00_alpha", "01_beta"]
    assert manifest["only"] == ["01_beta"] and manifest["status"] == "ok"
    index = (res.path / "index.html").read_text()
    assert "00_alpha.html" in index and "01_beta.html" in index
    assert "00_alpha" in (res.path / "leadership-pack.html").read_text()
    assert any("kept from the published" in line and "00_alpha" in line for line in lines2)


def test_a_folder_that_is_not_a_salesnb_report_is_never_replaced(tmp_path, small_folder):
    out = tmp_path / "reports"
    foreign = out / "2024-06"
    foreign.mkdir(parents=True)
    (foreign / "orders.csv").write_text("precious\n")
    res = run("2024-06", notebooks_dir=_tiny_nbdir(tmp_path), params_dir=_params(tmp_path, small_folder),
              out=out, progress=lambda m: None)
    assert res.exit_code == EXIT_PARAMS and "not a salesnb report" in res.message
    assert (foreign / "orders.csv").read_text() == "precious\n"
    assert [p.name for p in out.iterdir() if p.name != "latest"] == ["2024-06"]  # no build folder, no lock left


@pytest.mark.parametrize("where", ["inside", "above", "same"])
def test_out_inside_or_above_the_source_is_refused(tmp_path, small_tables, where):
    from tests.conftest import write_tables

    src = write_tables(small_tables, tmp_path / "data" / "src")
    out = {"inside": src / "reports", "above": tmp_path / "data", "same": src}[where]
    res = run("auto", notebooks_dir=_tiny_nbdir(tmp_path), params_dir=_params(tmp_path, src),
              out=out, progress=lambda m: None)
    assert res.exit_code == EXIT_PARAMS and "source folder" in res.message
    assert sorted(p.name for p in src.iterdir()) == sorted(f"{t}.csv" for t in small_tables)


def test_out_pointing_at_a_file_is_a_parameter_error(tmp_path, small_folder):
    f = tmp_path / "reports.txt"
    f.write_text("x")
    res = run("auto", notebooks_dir=_tiny_nbdir(tmp_path), params_dir=_params(tmp_path, small_folder),
              out=f, progress=lambda m: None)
    assert res.exit_code == EXIT_PARAMS and "is a file" in res.message and f.read_text() == "x"


def test_stale_build_folders_are_cleaned_and_a_running_month_is_locked(tmp_path, small_folder):
    from salesnb.report.runner import EXIT_BUSY, MonthLock

    params, nbdir = _params(tmp_path, small_folder), _tiny_nbdir(tmp_path, names=("00_alpha",))
    out = tmp_path / "reports"
    res, _ = _run(tmp_path, nbdir, params)
    m = res.month
    (out / f".build-{m}-dead1" / "sub").mkdir(parents=True)
    (out / f".old-{m}-123-456").mkdir()
    (out / f".old-{m}-123-456" / "x.html").write_text("x")
    (out / f".old-{m}-123-456").chmod(0o500)  # a read-only leftover
    (out / ".build-1999-01-other").mkdir()  # another month's: not ours to clean
    lock = MonthLock(out, m)
    lock.acquire()
    try:
        busy, lines = _run(tmp_path, nbdir, params)
    finally:
        lock.release()
    assert busy.exit_code == EXIT_BUSY
    assert f"another run of {m} is in progress (pid {__import__('os').getpid()})" in busy.message
    assert (out / f".build-{m}-dead1").exists()  # the lock holder's folders are left alone
    res2, lines2 = _run(tmp_path, nbdir, params)
    assert res2.exit_code == EXIT_OK, lines2
    assert sorted(p.name for p in out.iterdir() if p.name != "latest") == [".build-1999-01-other", m]


def test_a_dead_runs_lock_is_taken_over(tmp_path):
    import subprocess
    import sys

    from salesnb.report.runner import MonthLock

    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "from pathlib import Path; from salesnb.report.runner import MonthLock;"
            "MonthLock(Path(sys.argv[2]), '2026-10').acquire()")  # exits holding it: no release
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path)], check=True)
    assert (tmp_path / ".lock-2026-10").exists()
    lock = MonthLock(tmp_path, "2026-10")
    lock.acquire()  # the dead holder's lock is free
    lock.release()
    assert not (tmp_path / ".lock-2026-10").exists()


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_promptly_and_the_good_report_survives(tmp_path, small_folder, sig):
    import signal
    import subprocess
    import sys
    import time

    params = _params(tmp_path, small_folder)
    res, _ = _run(tmp_path, _tiny_nbdir(tmp_path / "a", names=("00_alpha",)), params)
    good = _md5s(res.path)
    slow = _tiny_nbdir(tmp_path / "b", names=("00_alpha", "01_beta"), body="time.sleep(600)\n")
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    runner = (f"import sys; sys.path.insert(0, {str(ROOT)!r});"
              "from salesnb.report.runner import run;"
              f"r = run('auto', notebooks_dir={str(slow)!r}, params_dir={str(params)!r},"
              f" out={str(tmp_path / 'reports')!r}, jobs=2, progress=lambda m: print(m, flush=True));"
              "sys.exit(r.exit_code)")
    p = subprocess.Popen([sys.executable, "-c", runner], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 300
    while not list((tmp_path / "reports").glob(".build-*/01_beta.ipynb")) and \
            time.monotonic() < deadline:  # papermill writes the notebook as it starts
        time.sleep(0.5)
    import psutil

    kernels = []
    while len(kernels) < 2 and time.monotonic() < deadline:
        assert p.poll() is None, p.communicate()[0]
        kernels = psutil.Process(p.pid).children(recursive=True)
        time.sleep(0.5)
    time.sleep(3)  # the kernels are busy in the notebooks' cells
    t0 = time.monotonic()
    p.send_signal(getattr(signal, sig))
    out, _ = p.communicate(timeout=120)
    stopped_in = time.monotonic() - t0
    assert p.returncode == {"SIGINT": 130, "SIGTERM": 143}[sig], out
    assert stopped_in < 60, out  # the notebooks would sleep ten minutes
    assert "interrupted" in out and "nothing published" in out
    assert not any(k.is_running() and k.status() != psutil.STATUS_ZOMBIE for k in kernels)
    assert _md5s(res.path) == good
    assert sorted(p.name for p in (tmp_path / "reports").iterdir() if p.name != "latest") == [res.month]


# ---------------------------------------------------------------- path confinement, credentials

def test_safe_name_keeps_plain_ids_and_confines_the_rest(tmp_path):
    from salesnb.report.runner import confined, safe_name

    assert safe_name("R012") == "R012" and safe_name("销售-7") == "销售-7"
    for hostile in ("../escaped", "../../x/notebooks/03_market_trends", "/etc/passwd", "..", ".",
                    "a/../../b", "C:\\x\\y", "x\x00y", "." * 300, "R1 R2", "x" * 500):
        name = safe_name(hostile)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 90 and confined(tmp_path, f"{name}.ipynb").parent == tmp_path.resolve()
    assert safe_name("a/b") != safe_name("a_b")  # a changed id never takes another's file
    with pytest.raises(ValueError):
        confined(tmp_path, "../x.ipynb")


def test_scorecard_names_are_confined_and_a_failed_scorecard_fails_the_run(tmp_path, small_tables):
    from tests.conftest import write_tables

    hostile = "../../escape/notebooks/03_market_trends"
    for name in ("orders", "reps", "opportunities"):
        small_tables[name]["rep_id"] = small_tables[name]["rep_id"].replace("R4", hostile)
    src = write_tables(small_tables, tmp_path / "src")
    nbdir = _tiny_nbdir(tmp_path, names=("00_alpha",))
    _card_notebook(nbdir, 'assert rep_id != "R2", "planted scorecard failure"')
    res, lines = _run(tmp_path, nbdir, _params(tmp_path, src), scorecards=True)
    assert res.exit_code == EXIT_FAILED, lines
    assert any("scorecards failed: R2" in line for line in lines)
    folder = tmp_path / "reports" / f"{res.month}"
    cards = sorted(p.name for p in (folder / "reps").iterdir())
    assert "R1.html" in cards and "R2.html" in cards  # R2: its error page
    assert any(c.startswith("escape_notebooks_03_market_trends-") for c in cards)
    assert not list(tmp_path.rglob("escape")) and not (tmp_path / "reports" / "escape").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert {c["rep_id"]: c["status"] for c in manifest["scorecards"]} == {
        "R1": "ok", "R2": "failed", hostile: "ok"}
    assert hostile in (folder / "index.html").read_text()  # shown as the id, escaped, not a path


def test_reps_without_activity_get_no_scorecard_and_the_index_says_why(tmp_path, small_tables):
    """A rep on the roster with no order and no deal in the 12 months to the report month (a
    store manager) got a scorecard of empty headings; now none, and the index and the manifest
    name the rep and the reason."""
    import pandas as pd

    from tests.conftest import write_tables

    small_tables["reps"] = pd.concat([small_tables["reps"], pd.DataFrame(
        {"rep_id": ["R5"], "name": ["Eve"], "team": ["S-1"], "region": ["South"],
         "hire_date": pd.to_datetime(["2020-01-01"]), "end_date": pd.to_datetime([None])})])
    src = write_tables(small_tables, tmp_path / "src")
    nbdir = _tiny_nbdir(tmp_path, names=("00_alpha",))
    _card_notebook(nbdir, "print(rep_id)")
    res, lines = _run(tmp_path, nbdir, _params(tmp_path, src), scorecards=True)
    assert res.exit_code == EXIT_OK, lines
    manifest = json.loads((res.path / "manifest.json").read_text())
    assert {c["rep_id"] for c in manifest["scorecards"]} == {"R1", "R2", "R4"}
    assert not (res.path / "reps" / "R5.html").exists()
    skipped = manifest["scorecards_skipped"]
    assert [s["rep_id"] for s in skipped] == ["R5"] and "no order and no deal" in skipped[0]["reason"]
    index = (res.path / "index.html").read_text()
    assert "Eve (R5)" in index and "no order and no deal" in index
    assert any("no scorecard" in line and "R5" in line for line in lines)


def test_credentials_in_any_parameter_are_refused_before_any_kernel(tmp_path, small_folder):
    nbdir, params = _nbdir(tmp_path, fail=False), _params(tmp_path, small_folder)
    for override, hint in (("source=postgresql://u:hunter2@127.0.0.1:1/db", "PGPASSWORD"),
                           ("source=postgresql://u@h/db?password=hunter2", "PGPASSWORD"),
                           ("source=sc://h:15002/;token=hunter2", "SPARK_CONNECT_TOKEN"),
                           ("history_months=postgresql://u:hunter2@h/db", "PGPASSWORD")):
        res, lines = _run(tmp_path, nbdir, params, overrides=[override])
        assert res.exit_code == EXIT_PARAMS, lines
        assert override.split("=")[0] in res.message and hint in res.message
        assert "hunter2" not in res.message + "".join(lines)
        assert not (tmp_path / "reports").exists()


def test_credentials_reaching_an_output_are_redacted(tmp_path, small_folder):
    nbdir = _tiny_nbdir(tmp_path, names=("00_alpha",),
                        body="print('connecting to postgresql://bob:hunter2@db/sales?token=abc')\n")
    res, lines = _run(tmp_path, nbdir, _params(tmp_path, small_folder))
    assert res.exit_code == EXIT_OK, lines
    for p in res.path.rglob("*"):
        if p.is_file():
            text = p.read_text(encoding="utf-8", errors="replace")
            assert "hunter2" not in text and "token=abc" not in text, p.name
    assert "postgresql://bob:***@db/sales?token=***" in (res.path / "00_alpha.ipynb").read_text()


def test_month_outside_the_data_and_empty_orders_stop_before_any_kernel(tmp_path, small_tables):
    from tests.conftest import write_tables

    src = write_tables(small_tables, tmp_path / "src")
    nbdir, params = _tiny_nbdir(tmp_path), _params(tmp_path, src)
    res = run("1999-01", notebooks_dir=nbdir, params_dir=params, out=tmp_path / "reports",
              progress=lambda m: None)
    assert res.exit_code == EXIT_PARAMS and "the data covers 2023-01..2024-11" in res.message
    small_tables["orders"] = small_tables["orders"].iloc[:0]
    write_tables(small_tables, src)
    res, lines = _run(tmp_path, nbdir, params)
    assert res.exit_code == EXIT_DATA and "no rows" in res.message and "orders" in res.message, lines
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


@pytest.mark.slow
def test_a_relative_source_names_the_same_folder_in_the_notebooks(tmp_path, small_folder,
                                                                   monkeypatch):
    """``salesnb run -p source=exports/small`` from the folder holding ``exports``: the runner
    validates it in its own working folder, the kernels work in the notebooks' folder; before the
    fix every notebook failed with 'source folder exports/small does not exist'."""
    (tmp_path / "exports").mkdir()
    shutil.move(small_folder, tmp_path / "exports" / "small")
    nbdir = _nbdir(tmp_path / "nb", fail=False)
    monkeypatch.chdir(tmp_path)
    res, lines = _run(tmp_path, nbdir, None, overrides=["source=exports/small"])
    assert res.exit_code == EXIT_OK, lines
    manifest = json.loads((Path(res.path) / "manifest.json").read_text())
    assert manifest["source"] == str(tmp_path / "exports" / "small")


def test_absolute_spec_makes_folders_and_duckdb_files_absolute_and_leaves_the_rest(tmp_path,
                                                                                    monkeypatch):
    from salesnb.data.sources import _duckdb_path, absolute_spec

    monkeypatch.chdir(tmp_path)
    assert absolute_spec("exports/x") == str(tmp_path / "exports" / "x")
    assert absolute_spec(tmp_path / "y") == str(tmp_path / "y")
    url = absolute_spec("duckdb:///sales.db")
    assert _duckdb_path(url) == str(tmp_path / "sales.db")
    assert absolute_spec(url) == url
    for same in ("demo", "demo:0.05", "postgresql://me@db:5432/sales", "sc://spark:15002",
                 "duckdb://:memory:"):
        assert absolute_spec(same) == same


@pytest.mark.slow
@pytest.mark.parametrize("fresh", [False, True])
def test_relative_out_with_two_jobs_keeps_the_working_folder(tmp_path, small_folder, monkeypatch,
                                                              fresh):
    """``salesnb run --out reports --jobs 2``: papermill's ``cwd=`` changed the working folder of
    the whole runner (os.chdir) while the other job thread ran; the run crashed writing its first
    page into a relative build folder that now named another place."""
    nbdir = _nbdir(tmp_path / "nb", fail=False)
    second = nbformat.read(nbdir / "00_data_overview.ipynb", as_version=4)
    nbformat.write(second, nbdir / "01_data_overview_again.ipynb")
    where = nbformat.v4.new_notebook()  # the kernel still works in the notebooks' folder
    where.cells = [
        nbformat.v4.new_code_cell('month: str = ""  # month\nsource: str = "demo"  # source\n'
                                  'output_dir: str = ""  # out\nlang: str = "en"  # lang',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(f"import os\nassert os.getcwd() == {str(nbdir)!r}, os.getcwd()"),
        # fresh kernels too talk over Unix sockets (no TCP port to lose before binding it)
        nbformat.v4.new_code_cell("from ipykernel.kernelapp import IPKernelApp\n"
                                  f"assert IPKernelApp.instance().transport == {KERNEL_TRANSPORT!r}"),
    ]
    where.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    nbformat.write(where, nbdir / "02_where.ipynb")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    lines: list[str] = []
    res = run("auto", notebooks_dir=nbdir, params_dir=_params(tmp_path, small_folder),
              out="reports", jobs=2, fresh_kernels=fresh, progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    assert Path.cwd() == work
    assert not psutil.Process().children(recursive=True)  # every kernel, fresh or warm, stopped
    assert Path(res.path).parent == work / "reports"
    assert {p.name for p in Path(res.path).glob("*.html")} >= {"00_data_overview.html",
                                                               "01_data_overview_again.html"}


def test_scorecard_links_show_the_id_only_when_it_differs_from_the_name(tmp_path):
    """Reps keyed by their name (Maven's CRM export) read "Carl Lin", not "Carl Lin (Carl Lin)"."""
    from salesnb.report.runner import NotebookResult, _CardPlan, _scorecard_entries

    plan = _CardPlan(nb=tmp_path / "rep.ipynb", ids=["Carl Lin", "R2"],
                     files={"Carl Lin": "rep_carl", "R2": "rep_r2"},
                     names={"Carl Lin": "Carl Lin", "R2": "Ann Lee", "Bo Wu": "Bo Wu", "R9": "Di Ma"},
                     dest=tmp_path, idle=["Bo Wu", "R9"], idle_months=12, month="2024-06")
    section, _ = _scorecard_entries(plan, [NotebookResult("rep_carl", status="ok"),
                                           NotebookResult("rep_r2", status="ok")])
    assert [label for label, _ in section["links"]] == ["Carl Lin", "Ann Lee (R2)"]
    assert "Bo Wu, Di Ma (R9)" in section["note"]
    assert "Bo Wu (Bo Wu)" not in section["note"]


def test_the_index_lists_the_reps_without_a_scorecard_with_the_chinese_list_separator(tmp_path):
    """A real Salesforce export's User.csv holds 37 users with no deal (integration and app users
    beside people): the Chinese index named them "Automated Process (…), Salesforce Administrator
    (…), …", an English comma in a Chinese sentence. Listed data take 、 in Chinese."""
    from salesnb.report.runner import _CardPlan, _scorecard_entries

    plan = _CardPlan(nb=tmp_path / "card.ipynb", ids=[], files={}, names={"U1": "Automated Process", "U2": "Ann"},
                     dest=tmp_path, idle=["U1", "U2"], idle_months=12, month="2023-08")
    section, _ = _scorecard_entries(plan, [], lang="zh-CN")
    assert "Automated Process (U1)、Ann (U2)" in section["note"]
    section, _ = _scorecard_entries(plan, [], lang="en")
    assert "Automated Process (U1), Ann (U2)" in section["note"]
