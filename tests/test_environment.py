"""pyproject.toml and environment.yml describe the same environment; the engine stack works."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$")


def _norm(req: str) -> tuple[str, str]:
    m = _REQ.match(req)
    assert m, req
    name = m.group(1).lower().replace("_", "-")
    spec = m.group(3).replace(" ", "")
    return name, spec


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pip_side = dict(_norm(r) for r in py["project"]["dependencies"])
    pip_side.update(_norm(r) for r in py["project"]["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # the pip: section installs the project itself
            assert dep == {"pip": ["-e ."]}
            continue
        name, spec = _norm(dep.replace("=", "==", 1) if re.match(r"^[\w-]+=[^=<>]", dep) else dep)
        if name in ("python", "pip"):
            continue
        conda_side[name] = spec
    assert conda_side == pip_side


def test_python_version_agrees():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    assert py["project"]["requires-python"].startswith(">=3.11")


def test_ibis_and_sqlglot_work_together():
    """ibis-framework 12 breaks with some sqlglot releases (a parser error on CREATE): catch that."""
    import ibis
    import pandas as pd

    con = ibis.duckdb.connect()
    t = con.create_table("t", pd.DataFrame({"a": [1, 2, 3], "g": ["x", "y", "x"]}))
    out = t.group_by("g").aggregate(s=t.a.sum()).order_by("g").execute()
    assert out.s.tolist() == [4, 2]
