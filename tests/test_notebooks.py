"""Every notebook is a clean template: a parseable parameters cell, no outputs, no logic."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from salesnb.config import notebook_parameters

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
COMMON = {"month", "source", "output_dir", "lang"}


def test_there_are_notebooks():
    assert any(p.name == "00_data_overview.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_a_clean_template(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        "committed with outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), \
        "starts with a Markdown title"
    # literals only, each `name: type = value  # help`, all understood by papermill
    src = tagged[0].source
    assigned = []
    for node in ast.parse(src).body:
        assert isinstance(node, ast.AnnAssign), f"parameters cell: not `name: type = value`: {ast.unparse(node)}"
        ast.literal_eval(node.value)
        assigned.append(node.target.id)
    params = notebook_parameters(path)
    assert list(params) == assigned, "papermill could not parse every parameter line"
    assert all(p.help for p in params.values()), "every parameter has a help comment"
    assert COMMON <= set(params), f"missing common parameters {COMMON - set(params)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_analytics_logic_in_notebooks(path):
    """Functions and classes belong in salesnb/, not in a notebook."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        tree = ast.parse(c.source)
        defs = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defs, f"define {defs} in salesnb/, not in the notebook"
