"""sn.setup's process settings: one BLAS thread unless the user chose a number."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from salesnb.context import BLAS_THREADS_ENV

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, os, sys
import numpy  # loaded before setup, as in a notebook that imports numpy first
import salesnb as sn
sn.setup(source=sys.argv[1], theme=False)
import scipy.linalg  # loaded after setup: reads the environment
from threadpoolctl import threadpool_info
blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
print(json.dumps({"env": os.environ.get("OPENBLAS_NUM_THREADS"), "blas": blas}))
"""


def _probe(folder: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS_ENV}
    r = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True,
                       env={**clean, "PYTHONPATH": str(ROOT), **env}, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_setup_leaves_one_blas_thread_in_a_jupyter_like_process(small_folder):
    got = _probe(small_folder)
    assert got["env"] == "1"
    assert got["blas"] and all(n == 1 for n in got["blas"]), got


@pytest.mark.parametrize("n", ["2"])
def test_setup_keeps_the_users_own_blas_setting(small_folder, n):
    got = _probe(small_folder, OPENBLAS_NUM_THREADS=n)
    assert got["env"] == n


def test_show_table_shows_a_note_instead_of_an_empty_table(monkeypatch):
    """A table of headers alone ("Reps who left" on BikeStores) tells a reader nothing: with
    ``empty=`` the note is shown instead; a table with rows is shown as before."""
    import pandas as pd

    from salesnb import context

    said, shown = [], []
    monkeypatch.setattr(context, "note", lambda text, **kw: said.append(text))
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    context.show_table(pd.DataFrame({"rep_id": []}), empty="No rep has left.")
    assert said == ["No rep has left."] and not shown
    context.show_table(pd.DataFrame({"rep_id": ["r1"]}), empty="No rep has left.")
    assert len(shown) == 1 and said == ["No rep has left."]
