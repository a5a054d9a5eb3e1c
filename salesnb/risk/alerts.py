"""The risk register and alerts: RAG status, indicators, stable alert ids, JSON."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from salesnb.constants import RAG_ORDER
from salesnb.i18n import Message, Verbatim
from salesnb.risk._common import (
    ALERT_FIELDS,
    CATEGORIES,
    DEFAULT_ACTIONS,
    DEFAULT_OWNERS,
    SEVERITIES,
    _iso,
    _jsonable,
)


def rag_status(value: float, *, amber: float, red: float, higher_is_worse: bool = True) -> str:
    """RAG status of a value against amber and red thresholds ("grey" when the value is missing)."""
    if value is None or not np.isfinite(value):
        return "grey"
    if higher_is_worse:
        return "red" if value >= red else "amber" if value >= amber else "green"
    return "red" if value <= red else "amber" if value <= amber else "green"


def indicator(
    category: str,
    metric: str,
    value: float,
    *,
    amber: float,
    red: float,
    entity: str = "company",
    higher_is_worse: bool = True,
    trend: str = "",
    first_seen: Any = None,
    unit: str = "",
    description: str = "",
) -> dict[str, Any]:
    """One risk indicator for :func:`risk_register` (a plain dict).

    Parameters
    ----------
    category : str
        Risk type, one of :data:`CATEGORIES`.
    metric : str
        Short machine name (``hhi_customers``).
    value : float
        Current value.
    amber, red : float
        Thresholds; with ``higher_is_worse=False`` values at or below them are amber/red.
    entity : str
        What it is measured on (``company``, ``region:North``...).
    trend : str
        ``rising`` / ``falling`` / ``flat`` or free text.
    first_seen : date-like, optional
        When the current breach started.
    unit : str
        ``money``, ``pct``, ``hhi``, ``ratio``, ``count`` or ``days`` (for display).
    description : str
        Human label of the indicator.
    """
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}, got {category!r}")
    return {
        "category": category, "metric": metric, "entity": entity,
        "indicator": description or metric, "value": float(value) if value is not None else None,
        "amber": float(amber), "red": float(red), "higher_is_worse": bool(higher_is_worse),
        "trend": trend, "first_seen": first_seen, "unit": unit,
        "rag": rag_status(value, amber=amber, red=red, higher_is_worse=higher_is_worse),
    }


def risk_register(
    indicators: Sequence[Mapping[str, Any]] | pd.DataFrame,
    *,
    owners: Mapping[str, str] | None = None,
    actions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The risk register: indicator, value, threshold, trend, RAG, action and owner, by severity.

    Parameters
    ----------
    indicators : sequence of dict or DataFrame
        Rows built with :func:`indicator`.
    owners : mapping, optional
        Risk type (category) → owner; default :data:`DEFAULT_OWNERS`.
    actions : mapping, optional
        Risk type (or ``type:entity``) → suggested action, over :data:`DEFAULT_ACTIONS`; the run's
        own action for a type replaces the defaults' per-entity ones. Green rows get "Monitor".

    Returns
    -------
    DataFrame
        ``category``, ``indicator``, ``entity``, ``metric``, ``value``, ``threshold`` (the red
        threshold when red, else the amber one), ``amber``, ``red``, ``trend``, ``rag``,
        ``severity`` (critical / warning / info), ``action``, ``owner``, ``first_seen``, ``unit``;
        red first, then amber, green; within a status, the furthest beyond its threshold first.
    """
    owners = {**DEFAULT_OWNERS, **(owners or {})}
    own = dict(actions or {})
    df = pd.DataFrame(list(indicators) if not isinstance(indicators, pd.DataFrame) else indicators)
    cols = ["category", "indicator", "entity", "metric", "value", "threshold", "amber", "red",
            "trend", "rag", "severity", "action", "owner", "first_seen", "unit"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    sign = np.where(df["higher_is_worse"], 1.0, -1.0)
    df["threshold"] = np.where(df["rag"] == "red", df["red"], df["amber"])
    scale = np.abs(df["threshold"].astype(float)).replace(0, 1.0)
    df["_excess"] = sign * (df["value"].astype(float) - df["threshold"]) / scale
    df["severity"] = df["rag"].map({"red": "critical", "amber": "warning"}).fillna("info")
    df["action"] = np.where(df["rag"].isin(["red", "amber"]),
                            [_action(c, e, own) for c, e in zip(df["category"], df["entity"],
                                                                 strict=True)], "Monitor")
    df["owner"] = df["category"].map(owners).fillna("Unassigned")
    df["first_seen"] = df["first_seen"].map(_iso) if "first_seen" in df else None
    df = df.assign(_r=df["rag"].map(RAG_ORDER)).sort_values(
        ["_r", "_excess"], ascending=[True, False], na_position="last")
    return df[cols].reset_index(drop=True)


def _action(category: str, entity: Any, own: Mapping[str, str]) -> str:
    """The action for a register row: the run's ``type:entity``, then its ``type``, then the
    defaults' ``type:entity``, then their ``type``; "Review" when none."""
    for table in (own, DEFAULT_ACTIONS):
        for key in (f"{category}:{entity}", category):
            if key in table:
                return table[key]
    return "Review"


def alert_id(category: str, metric: str, entity: str) -> str:
    """Stable alert id ``category.metric.entity`` (lower case, ``[a-z0-9_-]`` and ``:``).

    The same condition on the same entity gets the same id month after month, so a scheduler can
    de-duplicate pages and track an alert's history.
    """
    def slug(x: str) -> str:
        return re.sub(r"[^a-z0-9_:\-]+", "-", str(x).strip().lower()).strip("-") or "na"
    return ".".join(slug(p) for p in (category, metric, entity))


def make_alert(
    *,
    severity: str,
    category: str,
    metric: str,
    entity: str,
    value: Any,
    threshold: Any,
    first_seen: Any,
    message: str,
) -> dict[str, Any]:
    """One alert (a JSON-able dict with the fields of :data:`ALERT_FIELDS`)."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}, got {category!r}")
    return {
        "id": alert_id(category, metric, entity),
        "severity": severity,
        "category": category,
        "metric": metric,
        "entity": str(entity),
        "value": _jsonable(value),
        "threshold": _jsonable(threshold),
        "first_seen": _iso(first_seen),
        "message": str(message),
    }


def alerts_from_register(register: pd.DataFrame, *, as_of: Any = None) -> list[dict[str, Any]]:
    """Alerts for the register's red (critical) and amber (warning) rows.

    ``first_seen`` is the row's ``first_seen`` or, when unknown, ``as_of``.
    """
    out = []
    for r in register.itertuples(index=False):
        if r.rag not in ("red", "amber"):
            continue
        word = "above" if r.value is not None and r.value >= r.threshold else "below"
        if names_entity(r.indicator, r.entity):  # "HHI of customers", not "… (customers)" again
            message = Message("{indicator} is {value}, above the {rag} threshold {threshold}"
                              if word == "above" else
                              "{indicator} is {value}, below the {rag} threshold {threshold}",
                              indicator=r.indicator, value=_fmt(r.value, r.unit),
                              rag="red" if r.rag == "red" else "amber",
                              threshold=_fmt(r.threshold, r.unit))
        else:
            message = Message("{indicator} ({entity}) is {value}, above the {rag} threshold {threshold}"
                              if word == "above" else
                              "{indicator} ({entity}) is {value}, below the {rag} threshold {threshold}",
                              indicator=r.indicator, entity=r.entity, value=_fmt(r.value, r.unit),
                              rag="red" if r.rag == "red" else "amber",
                              threshold=_fmt(r.threshold, r.unit))
        out.append(make_alert(
            severity="critical" if r.rag == "red" else "warning",
            category=r.category, metric=r.metric, entity=r.entity, value=r.value,
            threshold=r.threshold, first_seen=r.first_seen or as_of, message=message))
    return out


def names_entity(indicator: Any, entity: Any) -> bool:
    """Whether ``indicator``'s (English) text already names ``entity`` as a word: "HHI of regions
    (normalised for their number)" for ``regions``. Saying the entity again in parentheses read
    "HHI of regions (normalised for their number) (regions)" on Online Retail's pages."""
    if not isinstance(entity, str) or not entity.strip() or not isinstance(indicator, str):
        return False
    return re.search(rf"(?<!\w){re.escape(entity.strip())}(?!\w)", indicator, re.IGNORECASE) is not None


def _fmt(v: Any, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if unit == "pct":
        return f"{v * 100:.1f} %"
    if unit == "pp":
        return f"{v * 100:.1f} pp"
    if unit == "money":
        return f"{v:,.0f}"
    if unit in ("hhi", "count", "days"):
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def sort_alerts(alerts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """De-duplicate by id (keeping the most severe) and sort: critical first, then category, id."""
    best: dict[str, dict[str, Any]] = {}
    for a in alerts:
        cur = best.get(a["id"])
        if cur is None or SEVERITIES.index(a["severity"]) > SEVERITIES.index(cur["severity"]):
            best[a["id"]] = dict(a)
    return sorted(best.values(), key=lambda a: (-SEVERITIES.index(a["severity"]),
                                                CATEGORIES.index(a["category"]), a["id"]))


def validate_alerts(alerts: Sequence[Mapping[str, Any]]) -> None:
    """Raise ValueError when an alert misses a field, has an unknown severity/category, or ids repeat."""
    seen = set()
    for i, a in enumerate(alerts):
        missing = [f for f in ALERT_FIELDS if f not in a]
        if missing:
            raise ValueError(f"alert {i} misses field(s) {missing}")
        if a["severity"] not in SEVERITIES:
            raise ValueError(f"alert {a['id']}: unknown severity {a['severity']!r}")
        if a["category"] not in CATEGORIES:
            raise ValueError(f"alert {a['id']}: unknown category {a['category']!r}")
        if a["id"] in seen:
            raise ValueError(f"duplicate alert id {a['id']!r}")
        seen.add(a["id"])


def alerts_to_json(alerts: Sequence[Mapping[str, Any]]) -> str:
    """Serialise alerts (validated, sorted) as the JSON text of ``<notebook>.alerts.json``."""
    items = sort_alerts(alerts)
    validate_alerts(items)
    clean = [{f: _jsonable(a[f]) for f in ALERT_FIELDS} for a in items]
    return json.dumps(clean, indent=2, ensure_ascii=False) + "\n"


def should_fail(alerts: Iterable[Mapping[str, Any]], level: str = "critical") -> bool:
    """True when any alert is at least as severe as ``level`` (the rule behind ``--fail-on``)."""
    if level not in SEVERITIES:
        raise ValueError(f"level must be one of {SEVERITIES}, got {level!r}")
    k = SEVERITIES.index(level)
    return any(SEVERITIES.index(a["severity"]) >= k for a in alerts)



# --------------------------------------------------------------------------------------------
# the typed objects a check returns
# --------------------------------------------------------------------------------------------

@dataclass
class Indicator:
    """One row of the risk register (see :func:`indicator` for the fields).

    ``alert=False`` keeps the row out of the alerts (its findings are alerted per entity);
    ``cap="warning"`` turns a red row into a warning alert, not a critical one, whose message says
    so (the row stays red in the register: an exposure that has not cost revenue yet); ``max_rag="amber"``
    shows a red value as amber in the register too (e.g. an immaterial anomaly), ``"green"`` as green
    (e.g. a discount rise that is not significant).
    """

    category: str
    metric: str
    value: float | None
    amber: float
    red: float
    entity: str = "company"
    higher_is_worse: bool = True
    trend: str = ""
    first_seen: Any = None
    unit: str = ""
    description: str = ""
    alert: bool = True
    cap: str | None = None
    max_rag: str | None = None

    def row(self) -> dict[str, Any]:
        """The register row (as :func:`indicator` builds it)."""
        row = indicator(self.category, self.metric, self.value, amber=self.amber, red=self.red,
                         entity=self.entity, higher_is_worse=self.higher_is_worse,
                         trend=self.trend, first_seen=self.first_seen, unit=self.unit,
                         description=self.description)
        order = ("green", "amber", "red")
        if self.max_rag in order and row["rag"] in order and \
                order.index(row["rag"]) > order.index(self.max_rag):
            row["rag"] = self.max_rag
        return row


@dataclass(frozen=True)
class Alert:
    """One alert; :meth:`to_dict` gives the JSON object of ``<notebook>.alerts.json``."""

    id: str
    severity: str
    category: str
    metric: str
    entity: str
    value: Any
    threshold: Any
    first_seen: str | None
    message: str

    @classmethod
    def new(cls, *, severity: str, category: str, metric: str, entity: str, value: Any,
            threshold: Any, first_seen: Any, message: str) -> Alert:
        """Validated alert with its stable id (:func:`alert_id`)."""
        return cls(**make_alert(severity=severity, category=category, metric=metric,
                                entity=entity, value=value, threshold=threshold,
                                first_seen=first_seen, message=message))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    """What one check returns: register rows, entity alerts, tables for the report, notes."""

    indicators: list[Indicator] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def register_alerts(indicators: Sequence[Indicator], register: pd.DataFrame, *,
                    as_of: Any) -> list[dict[str, Any]]:
    """Alerts of the register's red/amber rows, honouring each indicator's ``alert`` and ``cap``."""
    spec = {(i.category, i.metric, i.entity): i for i in indicators}
    out = []
    hot = register[register["rag"].isin(["red", "amber"])]
    for a, r in zip(alerts_from_register(register, as_of=as_of), hot.itertuples(index=False),
                    strict=True):
        ind = spec.get((r.category, r.metric, r.entity))
        if ind is not None and not ind.alert:
            continue
        if ind is not None and ind.cap == "warning" and a["severity"] == "critical":
            # the register shows the row red: the alert says why it is a warning (one rule for
            # every capped indicator: an exposure, not revenue lost yet)
            a = {**a, "severity": "warning", "message": str(Message(
                "{alert} (red in the register; a warning, not critical: an exposure that has not "
                "cost revenue yet)", alert=a["message"]))}
        out.append(a)
    return out


def _unit_text(v: Any, unit: str) -> str:
    from salesnb import fmt

    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if unit == "pct":
        return fmt.pct(v)
    if unit == "pp":  # a change of a share or rate (a discount rise): percentage points
        return fmt.points(v, signed=False)
    if unit == "money":
        return fmt.money(v, compact=True)
    if unit == "ratio":
        return f"{v:,.2f}×"
    if unit == "days":
        return f"{v:,.0f} days"
    return fmt.number(v)


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The register for a page: ``value`` and ``threshold`` as text in their unit (%, ×, days, money).

    Shares read ``23.4%``, coverage ``1.25×``, HHI ``1,834``: never a raw fraction. The risk type
    is ``risk_category`` (headed "Category" / "风险类型"): ``category`` heads a product category.
    """
    out = register.rename(columns={"category": "risk_category"})
    for col in ("value", "threshold"):
        out[col] = [_unit_text(v, u) for v, u in zip(out[col], out["unit"], strict=True)]
    out["first_seen"] = out["first_seen"].fillna("")
    if "entity" in out:
        out["entity"] = pd.Series([entity_words(e) for e in out["entity"]], index=out.index, dtype=object)
    return out


def entity_words(entity: Any) -> Any:
    """An entity of the register as a page shows it in any language: ``"customers"`` is a word to
    translate, ``"customer:ACME"`` its kind translated and its name kept (``Message``)."""
    text = "" if entity is None else str(entity)
    if ":" not in text:
        return Message(text) if text else text
    kind, name = text.split(":", 1)
    return Message("{kind}: {name}", kind=Message(kind.replace("_", " ")), name=Verbatim(name))


def register_messages(register: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The register's indicator names that carry parameters, as ``{English text: {"msgid", "params"}}``.

    A page that reads the published register back (the executive summary) gets finished English text;
    with this map it shows those names in its own language by translating the template, never by
    matching the sentence. Names without parameters are catalogue entries already.
    """
    from salesnb.i18n import message_of
    from salesnb.jsonable import to_jsonable

    out: dict[str, dict[str, Any]] = {}
    for text in (register["indicator"] if "indicator" in register else []):
        m = message_of(text)
        if m is not None and m.params:
            out[str(m)] = {"msgid": m.msgid, "params": to_jsonable({k: str(v) for k, v in m.params.items()})}
    return out

