"""Shared fixtures: seeded rng, figures closed after each test, the demo company, small known data."""

from __future__ import annotations

import os
from pathlib import Path

# one BLAS thread in this process and in the kernels nbval and the runner start (as the runner does)
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
