"""Read what the month's notebooks published: ``<notebook>.results.json`` and ``manifest.json``.

The executive summary runs last in ``salesnb run`` and reads the figures of the other notebooks from
the run folder, so every number agrees with its detail page. This module does the file reading;
:mod:`salesnb.summary` turns the loaded dictionaries into tiles and a narrative (no I/O there).

A notebook's status for the summary:

- ``"ok"``: its ``results.json`` exists and is of the report month;
- ``"failed"``: the manifest says so, or its executed ``.ipynb`` is in the folder without a
  ``results.json`` (the runner writes results only for notebooks that ran through);
- ``"stale"``: a ``results.json`` of another month (a folder reused by hand);
- ``"missing"``: nothing of it in the folder (not run, or run with ``--only`` without it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_DETAIL = re.compile(r"^\d\d_[\w-]+$")
#: the detail notebooks of the pack (used when the notebooks folder cannot be listed)
DEFAULT_NOTEBOOKS: tuple[str, ...] = (
    "00_data_overview", "01_goal_decomposition", "02_performance_review", "03_market_trends",
    "04_customer_segmentation", "05_risk_monitoring",
)


@dataclass
class RunResults:
    """The figures and statuses of one run folder, as read by :func:`load_results`."""

    folder: Path
    month: str
    status: dict[str, str] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    has_manifest: bool = False

    @property
    def notebooks(self) -> list[str]:
        return list(self.status)

    @property
    def any_ok(self) -> bool:
        return any(s == "ok" for s in self.status.values())


def expected_notebooks(notebooks_dir: str | Path | None = None) -> list[str]:
    """The detail notebooks of the pack: the standard six and any other ``NN_name`` notebook."""
    if notebooks_dir is None:
        from salesnb.context import project_root

        notebooks_dir = project_root() / "notebooks"
    d = Path(notebooks_dir)
    names = {p.stem for p in d.glob("*.ipynb") if _DETAIL.match(p.stem)} if d.is_dir() else set()
    return sorted(names | set(DEFAULT_NOTEBOOKS))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_results(folder: str | Path, *, month: str,
                 notebooks: Iterable[str] | None = None) -> RunResults:
    """Read the results and statuses of the detail notebooks in a run folder.

    Parameters
    ----------
    folder : path
        The run folder (the summary's ``output_dir``); it need not exist.
    month : str
        The report month; results of another month count as ``"stale"``.
    notebooks : iterable of str, optional
        The detail notebooks expected; default :func:`expected_notebooks`. Others found in the
        folder (``NN_*.results.json``) are added.
    """
    folder = Path(folder)
    names = list(notebooks) if notebooks is not None else expected_notebooks()
    if folder.is_dir():
        for p in sorted(folder.glob("*.results.json")):
            stem = p.name[: -len(".results.json")]
            if _DETAIL.match(stem) and stem not in names:
                names.append(stem)
    out = RunResults(folder=folder, month=month)
    manifest = _read_json(folder / "manifest.json")
    listed: dict[str, dict[str, Any]] = {}
    if isinstance(manifest, dict) and manifest.get("month") == month:
        out.has_manifest = True
        out.as_of = manifest.get("as_of")
        listed = {nb.get("name"): nb for nb in manifest.get("notebooks", []) if isinstance(nb, dict)}
    for name in names:
        entry = listed.get(name, {})
        if entry.get("title"):
            out.titles[name] = str(entry["title"])
        doc = _read_json(folder / f"{name}.results.json")
        if entry and entry.get("status") != "ok":
            out.status[name] = "failed"
            out.errors[name] = str(entry.get("error", ""))
        elif isinstance(doc, dict) and isinstance(doc.get("results"), dict):
            if doc.get("month") not in (None, month):
                out.status[name] = "stale"
                out.errors[name] = f"results of {doc.get('month')}"
            else:
                out.status[name] = "ok"
                out.results[name] = doc["results"]
        elif (folder / f"{name}.ipynb").exists():
            out.status[name] = "failed"
            out.errors[name] = "executed notebook without results (the run of this report failed)"
        else:
            out.status[name] = "missing"
    if out.as_of is None:
        overview = out.results.get("00_data_overview", {})
        if overview.get("as_of"):
            out.as_of = str(overview["as_of"])
    return out
