"""Shared fixtures: seeded rng, figures closed after each test, the demo company, small known data."""

from __future__ import annotations

import os
from pathlib import Path

# one BLAS thread in this process and in the kernels nbval and the runner start (as the runner does);
# salesnb.context.BLAS_THREADS_ENV spelled out: importing salesnb here would load NumPy first
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402

# Agg in this process only: MPLBACKEND would leak into the kernels the runner tests start and
# leave their pages without charts
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def demo_path() -> Path:
    """The default demo company (generated once; `make test` generates it before pytest)."""
    from salesnb.data.demo import ensure_demo

    return ensure_demo()


@pytest.fixture(scope="session")
def demo_ds(demo_path):
    from salesnb.data.sources import open_folder

    return open_folder(demo_path)


@pytest.fixture(scope="session")
def ground_truth(demo_path) -> dict:
    from salesnb.data.demo import load_ground_truth

    return load_ground_truth(demo_path)


def make_small_tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    """A small, fully valid dataset with every table, for extract/validation tests."""
    r = np.random.default_rng(seed)
    n = 600
    reps = pd.DataFrame({
        "rep_id": ["R1", "R2", "R3", "R4"], "name": ["Ann", "Bo", "Cy", "Di"],
        "team": ["N-1", "N-1", "S-1", "S-1"], "region": ["North", "North", "South", "South"],
        "hire_date": pd.to_datetime(["2020-01-01", "2021-05-01", "2019-03-01", "2023-02-01"]),
        "end_date": pd.to_datetime([None, None, "2024-06-30", None]),
    })
    customers = pd.DataFrame({
        "customer_id": [f"C{i:03d}" for i in range(40)],
        "name": [f"Customer {i}" for i in range(40)],
        "region": np.where(np.arange(40) % 2 == 0, "North", "South"),
        "industry": r.choice(["Retail", "Tech", "Health"], 40),
    })
    dates = pd.Timestamp("2023-01-01") + pd.to_timedelta(r.integers(0, 700, n), "D")
    cust = r.choice(customers.customer_id, n)
    amount = r.gamma(2.0, 150.0, n).round(2)
    orders = pd.DataFrame({
        "order_id": [f"O{i // 2:05d}" for i in range(n)], "line_no": [i % 2 + 1 for i in range(n)],
        "order_date": dates, "customer_id": cust, "amount": amount,
        "rep_id": r.choice(reps.rep_id, n), "category": r.choice(["A", "B", "C"], n),
        "region": r.choice(["North", "South"], n), "channel": r.choice(["Direct", "Online"], n),
        "quantity": r.integers(1, 5, n).astype(float), "cost": (amount * 0.6).round(2),
    })
    # order lines of one order share date and customer
    first = orders.groupby("order_id").transform("first")
    orders["order_date"], orders["customer_id"] = first["order_date"], first["customer_id"]
    stages = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
    opp_rows, hist = [], []
    for i in range(60):
        created = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(r.integers(0, 600)))
        depth = int(r.integers(1, 5))
        outcome = r.choice(["won", "lost", "open"], p=[0.35, 0.4, 0.25])
        d = created
        for s in stages[:depth]:
            hist.append({"opportunity_id": f"P{i:03d}", "stage": s, "entered_date": d})
            d = d + pd.Timedelta(days=int(r.integers(3, 30)))
        if outcome != "open":
            hist.append({"opportunity_id": f"P{i:03d}",
                         "stage": "Closed Won" if outcome == "won" else "Closed Lost",
                         "entered_date": d})
        opp_rows.append({
            "opportunity_id": f"P{i:03d}", "customer_id": r.choice(customers.customer_id),
            "rep_id": r.choice(reps.rep_id), "created_date": created, "close_date": d,
            "stage": {"won": "Closed Won", "lost": "Closed Lost"}.get(outcome, stages[depth - 1]),
            "status": outcome, "amount": float(r.integers(1, 50) * 1000),
        })
    return {
        "orders": orders, "customers": customers, "reps": reps,
        "opportunities": pd.DataFrame(opp_rows), "opportunity_history": pd.DataFrame(hist),
    }


@pytest.fixture
def small_tables() -> dict[str, pd.DataFrame]:
    return make_small_tables()


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, *, fmt: str = "csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        if fmt == "csv":
            df.to_csv(folder / f"{name}.csv", index=False)
        else:
            df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.fixture
def small_folder(tmp_path, small_tables) -> Path:
    return write_tables(small_tables, tmp_path / "small")


def skip_unless_ci(reason: str) -> None:
    """Skip on a developer machine without a system package; in CI (which installs it) fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must install it (.ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_url():
    """URL of a PostgreSQL server started for this session (skipped only if not installed)."""
    from tests.pg import PgServer

    try:
        server = PgServer().start()
    except RuntimeError as exc:
        skip_unless_ci(str(exc))
    yield server.url
    server.stop()


# ------------------------------------------------------------------ shared runs of the small demo
@pytest.fixture(scope="session")
def demo_pack(tmp_path_factory):
    """``demo_pack(lang)`` → the whole pack (00–05, the summary and one rep scorecard) of 2026-10 on
    the small demo (scale 0.05) in ``lang``, run once per session and shared, read-only, by the tests
    that check that run (tests/test_i18n.py, tests/test_robustness.py's ``demo`` variant). A test
    that would change the folder must copy it first."""
    from salesnb.data.demo import ensure_demo
    from salesnb.report.runner import run

    cache: dict[str, object] = {}
    base = tmp_path_factory.mktemp("demo-pack")

    def get(lang: str):
        if lang not in cache:
            demo = ensure_demo(scale=0.05)
            reps = pd.read_parquet(demo / "reps.parquet")
            rep = str(reps.loc[reps["end_date"].isna(), "rep_id"].iloc[0])
            lines: list[str] = []
            res = run("2026-10", overrides=[f"lang={lang}", f"source={demo}"], scorecards=[rep],
                      jobs=2, out=base / lang, progress=lines.append)
            assert res.path is not None and (res.path / "manifest.json").exists(), (
                lang, res.exit_code, lines)
            cache[lang] = res
        return cache[lang]

    return get


# ------------------------------------------------------------------ pytest-xdist: what runs where
#: Work that must share a worker (one session fixture, one server) or run in order (the cells of a
#: notebook under nbval; the notebooks write into one reports/interactive/<month> folder, and the
#: summary reads what the others wrote). Every other test is grouped with its file.
#: The scheduler in the controller sees node ids only, so the groups are given by node id prefix;
#: each worker checks that every test using a fixture in SHARED_FIXTURES is in its group.
#: (the PostgreSQL tests share a worker with the demo pack: the pack test compares with its run)
SHARED_FIXTURES = {"demo_pack": "demo-pack", "pg_url": "demo-pack"}
GROUP_PREFIXES = {
    "tests/test_robustness.py::test_notebook_runs_to_the_end": "demo-pack",
    "tests/test_robustness.py::test_page_shows_no_raw_python": "demo-pack",
    "tests/test_robustness.py::test_missing_data_is_said_on_the_page": "demo-pack",
    "tests/test_robustness.py::test_one_figure_per_fact": "demo-pack",
    "tests/test_i18n.py::test_every_notebook_in_both_languages": "demo-pack",
    "tests/test_i18n.py::test_data_overview_in_chinese": "demo-pack",
    "tests/test_i18n.py::test_model_words_on_chinese_pages_are_chinese": "demo-pack",
    "tests/test_runner.py::test_rerun_gives_byte_identical_results": "demo-pack",
    "tests/test_runner.py::test_pages_equal_nbconvert_s_without_its_parse": "demo-pack",
    "tests/test_extract.py::test_extract_equals_pandas_postgres": "demo-pack",
    "tests/test_extract.py::test_deals_closed_by_the_export_are_not_open_at_its_date_postgres": "demo-pack",
    "tests/test_validate.py::test_a_findings_rows_are_the_same_on_postgresql": "demo-pack",
    "tests/test_segments.py::test_segment_queries_run_on_postgres": "demo-pack",
    "tests/test_performance.py::test_product_aggregates_are_the_same_on_postgresql": "demo-pack",
    "tests/test_pipelines.py::test_the_pipeline_queries_are_the_same_on_postgresql": "demo-pack",
    "tests/test_runner.py::test_whole_pack_on_postgresql_agrees_with_duckdb": "demo-pack",
    "tests/test_bi.py::test_extracts_written_during_the_run": "demo-pack",
    # one Spark Connect server at a time: a second JVM starting beside it can take the port just
    # chosen for the first one's gRPC (its driver and block manager bind random ports)
    "tests/test_pipelines.py::test_the_pipeline_queries_are_the_same_on_spark": "tests/test_spark.py",
}

#: files whose tests are each a unit of their own (cheap session fixtures, many tests of a few
#: seconds): they run last and fill whichever worker is free, so both finish together
SPREAD = ("tests/robustness/test_corpus.py::",)

#: the longest groups first (seconds in an idle serial run), so that neither worker is left with a
#: long group at the end; unlisted groups keep collection order after these
HEAVY = {
    "demo-pack": 420, "tests/test_runner.py": 145,
    "tests/test_spark.py": 196, "tests/test_i18n.py": 60, "nbval": 100,
    "tests/test_import.py": 90, "tests/test_trends.py": 90, "tests/robustness/test_faults.py": 70,
    "tests/test_kernels.py": 50, "tests/test_browser.py": 45,
}


def group_of(nodeid: str) -> str:
    """The xdist work unit of a test: see GROUP_PREFIXES, SPREAD; else its file."""
    nodeid = nodeid.split("@", 1)[0]
    path = nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        return "nbval"
    for prefix, group in GROUP_PREFIXES.items():
        if nodeid.startswith(prefix):
            return group
    if nodeid.startswith(SPREAD):
        return nodeid
    return path


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (pyproject's addopts), with the groups of :func:`group_of`."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return Groups(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """In an xdist worker: check the groups and put the heavy ones first (a stable sort, so the
    order within a group is kept; the controller hands out groups in this order)."""
    if not hasattr(config, "workerinput"):
        return
    for item in items:
        for fixture, group in SHARED_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()) and group_of(item.nodeid) != group:
                raise pytest.UsageError(f"{item.nodeid} uses {fixture}: add it to GROUP_PREFIXES "
                                        f"(tests/conftest.py) as {group!r}")
    items.sort(key=lambda it: (group_of(it.nodeid) == it.nodeid,
                               -HEAVY.get(group_of(it.nodeid), 0)))
