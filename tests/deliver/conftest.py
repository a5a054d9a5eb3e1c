"""A small demo pack with hostile names, run for two consecutive months (shared by the delivery tests).

The small demo company (scale 0.05) gets names that spreadsheets would run as formulas, a team whose
name is a formula (in reps and targets), and e-mail addresses for the reps (``@example.com``; one rep
has none). The pack runs for 2026-09 and 2026-10 (with three scorecards) into one reports folder.
``SALESNB_TEST_PACK=<folder with data/ and reports/>`` reuses an earlier run (while developing).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

HOSTILE_REP = '=HYPERLINK("http://evil.example","team")'
HOSTILE_REP2 = "+cmd|' /C calc'!A0"
HOSTILE_TEAM = "=NORTH()-1"
HOSTILE_CUSTOMERS = ("@SUM(1+1)*cmd|' /C calc'!A0", "\uff0d2+3", "\t=1+1", "-2+3")
HOSTILE_CUSTOMER_ID = "@C000001"  # reaches the CRM membership export
NO_EMAIL_REP = "R003"
SCORECARD_REPS = ("R001", "R002", NO_EMAIL_REP)


@dataclass
class Pack:
    source: Path
    reports: Path
    months: tuple[str, str]
    exit_codes: dict[str, int]
    lines: dict[str, list[str]]

    def month(self, m: str) -> Path:
        return self.reports / m


def hostile_source(dest: Path) -> Path:
    from salesnb.data.demo import ensure_demo

    small = ensure_demo(scale=0.05)
    shutil.copytree(small, dest)
    reps = pd.read_parquet(dest / "reps.parquet")
    reps.loc[0, "name"] = HOSTILE_REP
    reps.loc[1, "name"] = HOSTILE_REP2
    old_team = reps.loc[0, "team"]
    reps.loc[reps.team == old_team, "team"] = HOSTILE_TEAM
    reps["email"] = reps.rep_id.str.lower() + "@example.com"
    reps.loc[reps.rep_id == NO_EMAIL_REP, "email"] = None
    reps.to_parquet(dest / "reps.parquet", index=False)
    targets = pd.read_parquet(dest / "targets.parquet")
    targets.loc[(targets.level == "team") & (targets.key == old_team), "key"] = HOSTILE_TEAM
    targets.to_parquet(dest / "targets.parquet", index=False)
    customers = pd.read_parquet(dest / "customers.parquet")
    for i, name in enumerate(HOSTILE_CUSTOMERS):
        customers.loc[i, "name"] = name
    customers.to_parquet(dest / "customers.parquet", index=False)
    for p in sorted(dest.glob("*.parquet")):
        df = pd.read_parquet(p)
        if "customer_id" in df.columns and (df.customer_id == "C000001").any():
            df.loc[df.customer_id == "C000001", "customer_id"] = HOSTILE_CUSTOMER_ID
            df.to_parquet(p, index=False)
    return dest


@pytest.fixture(scope="session")
def hostile_pack(tmp_path_factory) -> Pack:
    from salesnb.report.runner import run

    months = ("2026-09", "2026-10")
    reuse = os.environ.get("SALESNB_TEST_PACK")  # a folder holding data/ and reports/ of an earlier run
    if reuse:
        base = Path(reuse)
        return Pack(base / "data", base / "reports", months, {m: 0 for m in months}, {m: [] for m in months})
    base = tmp_path_factory.mktemp("hostile_pack")
    src = hostile_source(base / "data")
    codes, lines = {}, {}
    for m in months:
        out: list[str] = []
        res = run(m, overrides=[f"source={src}"], jobs=2, out=base / "reports",
                  scorecards=list(SCORECARD_REPS) if m == months[-1] else False,
                  progress=out.append)
        codes[m], lines[m] = res.exit_code, out
    return Pack(src, base / "reports", months, codes, lines)
