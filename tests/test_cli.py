"""The command line: params listing, demo, and papermill called directly with the defaults file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "salesnb.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, **kw)


def test_params_lists_help():
    r = _cli("params", "00_data_overview")
    assert r.returncode == 0, r.stderr
    assert "history_months" in r.stdout and "int" in r.stdout
    assert "report month YYYY-MM" in r.stdout


def test_params_unknown_notebook():
    r = _cli("params", "nope")
    assert r.returncode == 2 and "no notebook" in r.stderr


def test_run_rejects_bad_month_before_kernels(tmp_path):
    r = _cli("run", "--month", "2026-13", "--out", str(tmp_path))
    assert r.returncode == 3 and "YYYY-MM" in r.stdout
    assert not any(tmp_path.iterdir())


def test_demo_small_scale(tmp_path):
    r = _cli("demo", "--scale", "0.02", "--out", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d" / "orders.parquet").exists()
    assert json.loads((tmp_path / "d" / "ground_truth.json").read_text())["scale"] == 0.02


@pytest.mark.slow
def test_papermill_directly_with_defaults_file(tmp_path, demo_path):
    """A scheduler calling papermill itself (Airflow's PapermillOperator) gets a working notebook."""
    out = tmp_path / "out.ipynb"
    r = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), "notebooks/00_data_overview.ipynb", str(out),
         "-f", "params/defaults.yaml", "-p", "output_dir", str(tmp_path), "--cwd", "notebooks"],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    nb = json.loads(out.read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in nb["cells"])


def test_the_runner_does_not_compile_jsonschemas_iri_grammar():
    """jsonschema (under nbformat) would import the optional ``rfc3987_syntax``, which compiles a
    Lark grammar as it is imported (about 1.5 s of CPU at every run's start, before the warm
    kernels are even started). The command and the runner keep it out; notebooks still read and
    validate."""
    code = ("import sys, salesnb.cli, salesnb.report.runner, nbformat; "
            "nbformat.validate(nbformat.v4.new_notebook()); "
            "print('lark' in sys.modules, 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"], out.stderr
