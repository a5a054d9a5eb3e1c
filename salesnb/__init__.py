"""salesnb: a Jupyter notebook suite for sales performance management.

The flat public API (statsmodels' ``api.py`` style)::

    import salesnb as sn
    ctx = sn.setup(source="demo", month="2026-10")
    rev = sn.extract.revenue(ctx.ds, freq="M", by=("region",))
    sn.publish("revenue_month", float(rev.revenue.sum()))

Analytics modules (``sn.goals``, ``sn.performance``, ``sn.trends``, ``sn.segments``, ``sn.clv``,
``sn.risk``) and ``sn.periods`` (month labels and captions, e.g. ``sn.periods.months_shown_caption``)
are imported on first attribute access, so ``import salesnb`` stays fast.
"""

from __future__ import annotations

import importlib

from salesnb.context import (
    Context,
    finish,
    heading,
    note,
    publish,
    resolve_month,
    setup,
    show_table,
)
from salesnb.data import extract
from salesnb.data.errors import DataError, Problem
from salesnb.data.sources import Dataset, open_source
from salesnb.i18n import col_label, tr, verbatim

__version__ = "0.1.0"

_LAZY = {"goals", "performance", "trends", "segments", "clv", "risk", "viz", "fmt", "config", "periods"}

__all__ = [
    "Context",
    "DataError",
    "Dataset",
    "Problem",
    "col_label",
    "extract",
    "finish",
    "heading",
    "note",
    "open_source",
    "publish",
    "resolve_month",
    "setup",
    "show_table",
    "tr",
    "verbatim",
    "validate",
    *sorted(_LAZY),
]


def validate(dataset, **kwargs):
    """Check a dataset (or source spec) against the data contract; see salesnb.data.validate."""
    from salesnb.data.validate import validate as _validate

    return _validate(dataset, **kwargs)


def __getattr__(name: str):
    if name in _LAZY:
        mod = importlib.import_module(f"salesnb.{name}")
        globals()[name] = mod
        return mod
    raise AttributeError(f"module 'salesnb' has no attribute {name!r}")
