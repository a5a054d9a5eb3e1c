"""One figure per fact: which notebook owns each headline fact, and a check that a run agrees.

A leader reads the same fact on the executive summary, the risk register and a detail page; if two
pages show two numbers under one name, neither is believed. Each fact below has **one owner** (the
notebook that computes and shows it, under the key it publishes); every other page reads the owner's
published value. :func:`check_facts` checks a published run:

1. notebooks that publish the same fact under another key agree with the owner;
2. the executive summary's tile for the fact carries the owner's value (same notebook, same key);
3. the owner's page shows the value (in any format: ``$681.03k`` shows 681,027.06);
4. the risk register agrees with its own tables (a discount-creep row is red or amber only when a
   category's discount creeps significantly; the P(miss) row is the quarter's P(miss)).

docs/robustness.md lists the owners and definitions; tests/test_robustness.py runs the check on the
demo company and on every variant of the robustness matrix.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salesnb.report.audit import visible_text

DATA, GOALS, PERF, TRENDS, SEG, RISK, SUMMARY = (
    "00_data_overview", "01_goal_decomposition", "02_performance_review", "03_market_trends",
    "04_customer_segmentation", "05_risk_monitoring", "executive_summary")


@dataclass(frozen=True)
class Fact:
    """A headline fact: its owner notebook and key, and who else publishes or shows it."""

    name: str
    owner: str
    key: str
    unit: str  # money, ratio, count
    definition: str
    #: other (notebook, key) that publish the same fact and must agree with the owner
    also: tuple[tuple[str, str], ...] = ()
    #: the executive-summary tile that shows it
    tile: str | None = None
    #: how the summary derives its figure from the owner's ("1 - x" for P(hit) from P(miss))
    complement: bool = False


FACTS: tuple[Fact, ...] = (
    Fact("revenue_mtd", PERF, "attainment.mtd.actual", "money",
         "Net revenue (returns netted) of orders dated in the report month",
         also=((DATA, "revenue_month"), (GOALS, "actual_mtd")), tile="revenue_mtd"),
    Fact("revenue_qtd", PERF, "attainment.qtd.actual", "money",
         "Net revenue from the first day of the report month's fiscal quarter (calendar quarter "
         "unless fiscal_year_start says otherwise) to its end",
         also=((GOALS, "actual_qtd"),), tile="revenue_qtd"),
    Fact("revenue_ytd", PERF, "attainment.ytd.actual", "money",
         "Net revenue from the first day of the report month's fiscal year (1 January unless "
         "fiscal_year_start says otherwise) to its end",
         also=((GOALS, "ytd_actual"),), tile="revenue_ytd"),
    Fact("customers_at_risk", RISK, "customers_at_risk_high_value", "count",
         "High-value customers (top revenue) overdue against their own buying rhythm "
         "(days since last purchase > overdue_margin x their median interval) or whose "
         "P(alive) dropped, as of the report month's end", tile="at_risk"),
    Fact("revenue_at_risk", RISK, "revenue_at_risk_high_value", "money",
         "Trailing-12-month revenue of those customers; the register's 'Revenue share of "
         "high-value customers at risk' is this amount over the company's 12-month revenue",
         tile="at_risk"),
    Fact("win_rate", PERF, "win_rate", "ratio",
         "Won / (won + lost) of the deals closed in the funnel_months months to the report "
         "month's end, company-wide", also=((PERF, "funnel_company.win_rate"),), tile="win_rate"),
    Fact("p_miss_official", RISK, "p_miss.p_miss", "ratio",
         "P(missing the targets table's company target of the current quarter): booked revenue "
         "+ simulated pipeline wins + run-rate; the summary shows P(hit) = 1 - P(miss)",
         tile="forecast_q", complement=True),
)


# ------------------------------------------------------------------------------- helpers
def walk(d: Any, path: str) -> Any:
    """``walk(results, "attainment.mtd.actual")``: follow dots through nested dicts (else None)."""
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v) if math.isfinite(v) else None


_NUMBER = re.compile(
    r"(?<![\w.])-?[$€£¥]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(k|M|B|%|×)?(?![\w])")


def shown_numbers(text: str) -> list[tuple[float, float, str]]:
    """Numbers shown in a text as ``(value, half a unit of the last digit shown, suffix)``.

    ``"$681.03k"`` → (681030, 5, "k"); ``"31.6 %"`` → (0.316, 0.0005, "%"); ``"1,234"`` →
    (1234, 0.5, "").
    """
    out = []
    for m in _NUMBER.finditer(text):
        whole, dec, suffix = m.group(1).replace(",", ""), m.group(2) or "", m.group(3) or ""
        v = float(f"{whole}.{dec}" if dec else whole)
        half = 0.5 * 10 ** -len(dec)
        scale = {"k": 1e3, "M": 1e6, "B": 1e9, "%": 0.01}.get(suffix, 1.0)
        sign = -1.0 if m.group(0).startswith("-") else 1.0
        out.append((sign * v * scale, half * scale, suffix))
    return out


def shows(text: str, value: float, *, unit: str = "") -> bool:
    """Whether ``text`` shows ``value`` at the precision it was printed with.

    A ratio counts only when shown as a percentage; money only with three significant digits or
    more (``$1.2M`` is not evidence for 1,222,585).
    """
    for v, half, suffix in shown_numbers(text):
        if unit == "ratio" and suffix != "%":
            continue
        if unit == "money" and v != 0 and half > 0.005 * abs(v):
            continue
        if abs(v - value) <= half + 1e-9 * max(1.0, abs(value)):
            return True
    return False


def _show(v: float) -> str:
    return f"{v:,.2f}" if abs(v) >= 1000 else f"{v:.6g}"


def _results(folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for f in sorted(folder.glob("*.results.json")):
        out[f.name[: -len(".results.json")]] = json.loads(f.read_text()).get("results", {})
    return out


def _status(folder: Path) -> dict[str, str]:
    m = json.loads((folder / "manifest.json").read_text())
    return {nb["name"]: nb.get("status", "?") for nb in m.get("notebooks", [])}


def _tile_figures(summary: dict[str, Any], tile: str) -> list[dict[str, Any]]:
    t = (summary.get("tiles") or {}).get(tile) or {}
    return [f for f in t.get("figures", []) if isinstance(f, dict)]


# --------------------------------------------------------------------------------- check
def check_facts(folder: str | Path) -> list[str]:
    """Disagreements between the pages of a published run, one plain sentence each (empty: none).

    Facts whose owner did not run, or did not publish the fact (the data did not support it),
    are not checked: their absence is the robustness matrix's business.
    """
    folder = Path(folder)
    results, status = _results(folder), _status(folder)
    pages: dict[str, str] = {}

    def page(nb: str) -> str:
        if nb not in pages:
            p = folder / f"{nb}.html"
            pages[nb] = " ".join(visible_text(p.read_text()).split()) if p.exists() else ""
        return pages[nb]

    problems: list[str] = []
    for f in FACTS:
        if status.get(f.owner) != "ok":
            continue
        v = _num(walk(results.get(f.owner, {}), f.key))
        if v is None:
            continue
        for nb, key in f.also:
            w = _num(walk(results.get(nb, {}), key)) if status.get(nb) == "ok" else None
            if w is not None and abs(w - v) > 0.005 + 1e-9 * abs(v):
                problems.append(f"{f.name}: {nb} publishes {key} = {_show(w)}, its owner "
                                f"{f.owner} {f.key} = {_show(v)}")
        if not shows(page(f.owner), v, unit=f.unit):
            problems.append(f"{f.name}: {f.owner} publishes {f.key} = {_show(v)} but its page does "
                            "not show it")
        if f.tile and status.get(SUMMARY) == "ok":
            figs = _tile_figures(results.get(SUMMARY, {}), f.tile)
            want = f"{f.owner}:{'1 - ' if f.complement else ''}{f.key}"
            mine = [x for x in figs if str(x.get("source", "")).split(" [")[0] == want]
            if not mine:
                got = ", ".join(str(x.get("source")) for x in figs) or "nothing"
                problems.append(f"{f.name}: the summary tile {f.tile!r} reads {got}, not the "
                                f"owner's {want}")
            else:
                s = _num(mine[0].get("value"))
                expect = 1.0 - v if f.complement else v
                if s is None or abs(s - expect) > 1e-9 * max(1.0, abs(expect)):
                    problems.append(f"{f.name}: the summary shows {s}, the owner {expect}")
    problems += _register_checks(results, status)
    return problems


def _register_checks(results: dict[str, dict[str, Any]], status: dict[str, str]) -> list[str]:
    if status.get(RISK) != "ok":
        return []
    r = results.get(RISK, {})
    reg = [x for x in (r.get("register") or []) if isinstance(x, dict)]
    out = []
    creep = [x for x in (r.get("discount_creep") or []) if isinstance(x, dict)]
    for row in reg:
        ind = str(row.get("indicator", "")).lower()
        if "discount" in ind and creep:
            creeping = [c.get("category") for c in creep if c.get("creep")]
            if row.get("rag") in ("red", "amber") and not creeping:
                out.append(f"discount_creep: the register marks {row.get('entity')} "
                           f"{row.get('rag')} while its own table says no category creeps")
            if row.get("rag") == "green" and creeping:
                out.append(f"discount_creep: the register is green while {', '.join(map(str, creeping))}"
                           " creeps")
        if "probability of missing" in ind:
            pm = _num(walk(r, "p_miss.p_miss"))
            val = _num(row.get("value"))
            if pm is not None and val is not None and abs(pm - val) > 1e-9:
                out.append(f"p_miss_official: the register shows {val}, the page {pm}")
    return out
