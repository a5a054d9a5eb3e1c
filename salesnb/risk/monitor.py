"""The monitor: every registered check on one evaluation date, then the register and the alerts.

Adding a check (a new alert type) is one class and one line in :data:`CHECKS`: a dataclass whose
fields are its thresholds (defaults from :data:`salesnb.risk.thresholds.DEFAULTS`), with a ``name``
and a ``__call__(inputs: RiskInputs) -> CheckResult``. See docs/alerts.md, "Adding an alert type".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

import pandas as pd

from salesnb.data.risk_queries import RiskInputs
from salesnb.i18n import Message
from salesnb.risk._common import SEVERITIES, _jsonable, _ts
from salesnb.risk.alerts import CheckResult, Indicator, register_alerts, risk_register, sort_alerts
from salesnb.risk.anomalies import RegionalAnomalyCheck, WinRateCheck, false_alarm_rate
from salesnb.risk.concentration import ConcentrationCheck
from salesnb.risk.customers import CustomerCheck, customers_at_risk
from salesnb.risk.operational import DiscountCreepCheck, RepExposureCheck
from salesnb.risk.pipeline import PipelineCheck

__all__ = ["CHECKS", "Check", "RiskReport", "default_checks", "monitor"]


class Check(Protocol):
    """What :func:`monitor` calls: thresholds as fields, typed inputs in, typed results out."""

    name: str

    def __call__(self, inputs: RiskInputs) -> CheckResult: ...


#: the registered checks, in the order of the notebook's sections
CHECKS: list[type] = [
    CustomerCheck,
    ConcentrationCheck,
    PipelineCheck,
    RegionalAnomalyCheck,
    WinRateCheck,
    DiscountCreepCheck,
    RepExposureCheck,
]

# the older keyword names of monitor(): (amber, red) pairs → the checks' fields
_PAIRS = {
    "hhi_thresholds": ("hhi_amber", "hhi_red"),
    "top5_thresholds": ("top5_amber", "top5_red"),
    "at_risk_share_thresholds": ("at_risk_amber", "at_risk_red"),
    "churn_excess_thresholds": ("churn_excess_amber", "churn_excess_red"),
    "p_miss_thresholds": ("p_miss_amber", "p_miss_red"),
    "coverage_thresholds": ("coverage_amber", "coverage_red"),
    "stalled_share_thresholds": ("stalled_amber", "stalled_red"),
    "creep_thresholds": ("creep_amber", "creep_red"),
    "departed_share_thresholds": ("departed_amber", "departed_red"),
}


def default_checks(checks: Sequence[type] | None = None, **options: Any) -> list[Check]:
    """One instance of every registered check, each option set on the checks that have the field.

    Parameters
    ----------
    checks : sequence of classes, optional
        Default :data:`CHECKS`.
    **options
        Threshold and setting names (``hhi_red=3000``, ``watch_reps=("R012",)``, ``seed=1``...);
        an option no check has is an error. ``(amber, red)`` pairs under the older names
        (``hhi_thresholds=(1500, 2500)``) are accepted too.

    Returns
    -------
    list
        The configured checks.
    """
    opts = dict(options)
    for old, (a, r) in _PAIRS.items():
        if old in opts:
            opts[a], opts[r] = opts.pop(old)
    if "rules" in opts:
        opts["rules"] = tuple(opts["rules"])
    if "watch_reps" in opts:
        opts["watch_reps"] = tuple(opts["watch_reps"])
    classes = list(CHECKS if checks is None else checks)
    known = {f.name for c in classes for f in fields(c)}
    unknown = sorted(set(opts) - known)
    if unknown:
        raise TypeError(f"unknown risk option(s) {unknown}; known: {sorted(known)}")
    return [c(**{k: v for k, v in opts.items() if k in {f.name for f in fields(c)}})
            for c in classes]


@dataclass
class RiskReport:
    """Results of :func:`monitor`: the checks' tables, the register, the alerts and the notes."""

    as_of: pd.Timestamp
    month: str
    tables: dict[str, Any]
    indicators: list[Indicator]
    register: pd.DataFrame
    alerts: list[dict[str, Any]]
    false_alarm: dict[str, float]
    notes: list[str] = field(default_factory=list)
    section_notes: dict[str, list[str]] = field(default_factory=dict)

    def notes_of(self, *checks: str) -> str:
        """The notes of the named checks (``"pipeline"``, ``"customers"``...) as one text; "" if none."""
        return Message.join(" ", [n for c in checks for n in self.section_notes.get(c, [])])

    def why_missing(self, figure: str) -> str | None:
        """Why the pipeline's ``figure`` (``"p_miss"``, ``"coverage"``) is not published, in one
        sentence (its ``why``, quoted by the executive summary): the reason it was skipped, not the
        notes on how it would have been computed; the pipeline's notes when no check said. None
        when the quarter's forecast carries the figure (``p_miss`` made): nothing is missing."""
        if (self.tables.get("miss") or {}).get(figure) is not None:
            return None
        said = (self.tables.get("pipeline_why") or {}).get(figure)
        return said if said else self.notes_of("pipeline")

    def __getattr__(self, name: str) -> Any:
        # one attribute per table: report.customers, report.miss, report.charts...
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"RiskReport has no table {name!r}; tables: {sorted(tables)}")

    def summary(self) -> dict[str, Any]:
        """Key figures (JSON-able) for results.json."""
        sev = {s: sum(a["severity"] == s for a in self.alerts) for s in SEVERITIES}
        cust = self.tables.get("customers", pd.DataFrame())
        miss = self.tables.get("miss") or {}
        return _jsonable({
            "as_of": self.as_of, "month": self.month, "alerts": sev,
            "register_red": int((self.register["rag"] == "red").sum()),
            "register_amber": int((self.register["rag"] == "amber").sum()),
            "p_miss": miss.get("p_miss"),
            # the one definition of customers at risk: high-value customers at risk (docs/alerts.md)
            "customers_at_risk_high_value": customers_at_risk(cust)["high_value"],
            "revenue_at_risk_high_value": customers_at_risk(cust)["high_value_revenue"],
            "false_alarm_rate": self.false_alarm,
        })


def monitor(
    inputs: RiskInputs | Mapping[str, pd.DataFrame],
    *,
    as_of: Any = None,
    checks: Sequence[Check] | None = None,
    owners: Mapping[str, str] | None = None,
    p_alive: pd.DataFrame | None = None,
    run_rate: tuple[float, float] | None = None,
    **options: Any,
) -> RiskReport:
    """Run every check on the inputs of :func:`salesnb.data.risk_queries.risk_inputs`.

    Parameters
    ----------
    inputs : RiskInputs or mapping of DataFrame
        The evidence; a mapping is converted with :meth:`RiskInputs.from_mapping`.
    as_of : date-like, optional
        Evaluation date (default: ``inputs.as_of``).
    checks : sequence of checks, optional
        Configured checks (default: :func:`default_checks` ``(**options)``).
    owners : mapping, optional
        Risk type → owner for the register.
    p_alive, run_rate : optional
        Set on the inputs (see :class:`RiskInputs`).
    **options
        Thresholds and settings for :func:`default_checks` (only without ``checks``).

    Returns
    -------
    RiskReport
    """
    if not isinstance(inputs, RiskInputs):
        if as_of is None:
            raise TypeError("monitor() needs as_of when inputs is a mapping")
        inputs = RiskInputs.from_mapping(inputs, as_of=as_of)
    extra = {k: v for k, v in (("as_of", None if as_of is None else _ts(as_of).normalize()),
                               ("p_alive", p_alive), ("run_rate", run_rate)) if v is not None}
    if extra:
        inputs = RiskInputs(**{**{f.name: getattr(inputs, f.name) for f in fields(inputs)},
                               **extra})
    if checks is None:
        checks = default_checks(**options)
    elif options:
        raise TypeError(f"options {sorted(options)} given with configured checks")
    tables: dict[str, Any] = {}
    indicators: list[Indicator] = []
    alerts: list[dict[str, Any]] = []
    notes: list[str] = []
    section_notes: dict[str, list[str]] = {}
    for check in checks:
        res = check(inputs)
        tables.update(res.tables)
        indicators += res.indicators
        alerts += [a.to_dict() for a in res.alerts]
        notes += res.notes
        section_notes.setdefault(check.name, []).extend(res.notes)
    register = risk_register([i.row() for i in indicators], owners=owners)
    alerts = sort_alerts(register_alerts(indicators, register, as_of=inputs.as_of) + alerts)
    anomaly = next((c for c in checks if isinstance(c, RegionalAnomalyCheck)), None)
    rules = anomaly.rules if anomaly else (1, 2, 3, 4)
    fa = {"xmr": false_alarm_rate("xmr", rules=rules),
          "ewma": false_alarm_rate("ewma", L=anomaly.ewma_L if anomaly else 3.0)}
    return RiskReport(as_of=inputs.as_of, month=str(inputs.as_of.to_period("M")), tables=tables,
                      indicators=indicators, register=register, alerts=alerts, false_alarm=fa,
                      notes=notes, section_notes=section_notes)
