"""Thin notebooks: every notebook keeps the code budget (issue 14, point 4).

The rule, for every code cell of every notebook in ``notebooks/``:

- at most :data:`MAX_LINES` code lines (lines that are neither blank nor comments); the cell tagged
  ``parameters`` is exempt (it holds only ``name: type = value  # help`` literals, checked by
  ``test_notebooks.py``);
- no ``try``, no ``def``/``class``, no ``for``/``while`` statements: computation lives in the package;
- a comprehension may build a short list over labels (column names, a dict keyed by attribute or
  dimension), never over the rows or groups of a frame (``.groupby``, ``.iterrows``,
  ``.itertuples``...);
- no hand-drawn charts: no matplotlib/seaborn drawing calls (``ax.plot``, ``sns.heatmap``,
  ``ax.errorbar``...); charts come from :mod:`salesnb.viz`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: code lines allowed in one cell (the parameters cell is exempt)
MAX_LINES = 12
#: methods whose result is the rows or groups of a frame: never iterated in a notebook
ROW_ITERATORS = {"groupby", "iterrows", "itertuples", "iteritems", "resample", "rolling"}
#: drawing calls that belong in salesnb.viz
DRAWING = {"plot", "scatter", "errorbar", "annotate", "axvline", "axhline", "axvspan", "fill_between",
           "heatmap", "lineplot", "barplot", "scatterplot", "subplots", "imshow", "hist", "text",
           "bar", "barh"}
#: names a notebook may call a drawing-named function on (salesnb.viz is the one place that draws)
VIZ_NAMES = {"viz", "sn"}


def code_lines(source: str) -> int:
    """Lines that are neither blank nor comments."""
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def violations(source: str, *, parameters: bool = False) -> list[str]:
    """What breaks the budget in one code cell (empty when the cell keeps it)."""
    found = []
    n = code_lines(source)
    if not parameters and n > MAX_LINES:
        found.append(f"{n} code lines (at most {MAX_LINES})")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            found.append(f"line {node.lineno}: try")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(f"line {node.lineno}: def/class {node.name}")
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            found.append(f"line {node.lineno}: {type(node).__name__.lower()} loop")
        elif isinstance(node, ast.comprehension):
            for sub in ast.walk(node.iter):
                if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                        and sub.func.attr in ROW_ITERATORS):
                    found.append(f"line {node.iter.lineno}: comprehension over .{sub.func.attr}()")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in DRAWING):
            owner = node.func.value
            root = owner
            while isinstance(root, ast.Attribute):
                root = root.value
            if not (isinstance(root, ast.Name) and root.id in VIZ_NAMES):
                found.append(f"line {node.lineno}: draws with .{node.func.attr}() (use salesnb.viz)")
    return found


def test_the_budget_catches_what_it_forbids():
    bad = "\n".join([
        "try:", "    x = 1", "except ValueError:", "    pass",
        "for r in df.itertuples():", "    print(r)",
        "d = {k: g for k, g in df.groupby('region')}",
        "ax.plot([1, 2], [3, 4])", "sns.heatmap(m)",
        "x = 2", "y = 3", "z = 4", "w = 5",
    ])
    found = " | ".join(violations(bad))
    for word in ("13 code lines", "try", "for loop", "comprehension over .groupby()",
                 "draws with .plot()", "draws with .heatmap()"):
        assert word in found, (word, found)
    ok = "cols = [c for c in ('region', 'team') if c in df]\nax = sn.viz.bar(df, x='a', y='b')\n"
    assert violations(ok) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_keeps_the_code_budget(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        params = "parameters" in c.metadata.get("tags", [])
        problems += [f"cell {i}: {v}" for v in violations(c.source, parameters=params)]
    assert not problems, "move computation into salesnb/ and charts into salesnb.viz:\n" + \
        "\n".join(problems)
