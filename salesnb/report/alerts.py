"""The file side of the alerts contract (docs/alerts.md): ``<notebook>.alerts.json``.

Alerts are built by :mod:`salesnb.risk`; this module only writes and reads the file (the report
layer's I/O), so the data layer never imports the analytics.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["ALERTS_SUFFIX", "read_alerts", "write_alerts"]

#: file name suffix of the alerts file: ``<notebook>.alerts.json``
ALERTS_SUFFIX = ".alerts.json"


def write_alerts(
    alerts: Sequence[Mapping[str, Any]],
    out_dir: str | Path,
    *,
    notebook: str = "05_risk_monitoring",
) -> Path:
    """Write ``<out_dir>/<notebook>.alerts.json`` (validated, sorted; see docs/alerts.md).

    Returns
    -------
    Path
        The file written (atomically: a temporary file renamed into place).
    """
    from salesnb.risk import alerts_to_json

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{notebook}{ALERTS_SUFFIX}"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(alerts_to_json(alerts), encoding="utf-8")
    tmp.replace(path)
    return path


def read_alerts(path: str | Path) -> list[dict[str, Any]]:
    """Read an alerts file (a JSON list of alert objects); a missing file reads as no alerts."""
    p = Path(path)
    if not p.exists():
        return []
    data = json.loads(p.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{p}: an alerts file holds a JSON list, got {type(data).__name__}")
    return data
