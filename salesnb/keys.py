"""Declared published keys: every figure a notebook may ``sn.publish``, in one place.

Each notebook's published keys (name, type, unit, meaning, and when it may be absent) are listed in
:data:`KEYS`. :func:`salesnb.publish` refuses a key that is not declared here, the executive summary
reads only declared keys (:data:`salesnb.summary.SOURCES` is checked against this list by a test), and
``docs/published-keys.md`` is generated from it (:func:`markdown`). Schedulers, the BI extracts and the
month-over-month comparison rely on the same list.

**Adding a key is one line** in :data:`KEYS`, next to the other keys of its notebook::

    K(TRENDS, "forecast_fallback", "str", "", "Model used when the chosen one failed", optional="no fallback")

``name`` may end in ``*`` for a family of keys named from the data (``yoy_by_*``). ``type`` is one of
:data:`TYPES`; ``unit`` says what a number measures (``currency``, ``ratio`` for 0–1 shares and
probabilities, ``count``, ``days`` ...); ``optional`` is empty for a key every run publishes, else the
condition under which it is absent (e.g. "no opportunities table").
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COMMON", "KEYS", "Key", "UndeclaredKeyError", "check", "declared", "find", "markdown",
           "notebooks"]

DATA, GOALS, PERF, TRENDS, SEG, RISK = ("00_data_overview", "01_goal_decomposition",
                                        "02_performance_review", "03_market_trends",
                                        "04_customer_segmentation", "05_risk_monitoring")
SUMMARY, SCORECARD = "executive_summary", "rep_scorecard"
#: value types: numbers, text, a list of values, a mapping, a table (list of records)
TYPES = ("float", "int", "bool", "str", "date", "list", "dict", "table")
ANY = "*"


@dataclass(frozen=True)
class Key:
    """One declared published key."""

    notebook: str
    name: str
    type: str
    unit: str
    meaning: str
    optional: str = ""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"key {self.notebook}:{self.name}: type {self.type!r} not in {TYPES}")

    def matches(self, notebook: str | None, name: str) -> bool:
        nb_ok = notebook is None or self.notebook in (ANY, notebook)
        return nb_ok and (fnmatch.fnmatchcase(name, self.name) if "*" in self.name
                          else name == self.name)


K = Key
NO_OPPS = "no opportunities table"
NO_TARGETS = "no targets table"
NO_REPS = "no reps table"

#: published by every notebook (through ``sn.setup``, ``ctx.save_table`` and ``sn.finish``)
COMMON: tuple[Key, ...] = (
    K(ANY, "month", "str", "YYYY-MM", "The report month"),
    K(ANY, "i18n_missing", "list", "", "Labels shown in English on a Chinese page (empty: all translated)",
      optional="the notebook ends without sn.finish() (the executive summary)"),
    K(ANY, "artifacts", "list", "file names", "Files the notebook wrote beside its page",
      optional="the notebook wrote no file"),
    K(ANY, "why_absent", "dict", "", "The page's own reason for each key it published empty: "
      "{lang, keys: {key: reason}}; the executive summary quotes it",
      optional="no key was published empty with a reason"),
)

KEYS: tuple[Key, ...] = COMMON + (
    # 00 data overview
    K(DATA, "rows", "dict", "count", "Rows per table of the source"),
    K(DATA, "as_of", "date", "", "Last date in the data"),
    K(DATA, "validation", "dict", "count", "Validation errors and warnings"),
    K(DATA, "incomplete_columns", "int", "count", "Columns with missing values"),
    K(DATA, "revenue_month", "float", "currency", "Revenue booked in the report month"),
    K(DATA, "orders_month", "int", "count", "Orders in the report month"),
    # 01 goal decomposition
    K(GOALS, "fiscal_year", "int", "year", "Fiscal year of the plan"),
    K(GOALS, "plan_as_of", "str", "YYYY-MM", "Month the plan was made"),
    K(GOALS, "annual_target", "float", "currency", "Annual company target (given)",
      optional="no target given: the automatic plan is published as annual_plan"),
    K(GOALS, "annual_plan", "float", "currency", "Automatic annual plan: last year's revenue x (1 + growth)",
      optional="a target was given (annual_target)"),
    K(GOALS, "base_revenue", "float", "currency", "Revenue of the base year"),
    K(GOALS, "implied_growth", "float", "ratio", "Growth the annual target implies"),
    K(GOALS, "p_hit", "float", "ratio", "P(hitting the annual target) when the plan was made"),
    K(GOALS, "smart_verdict", "str", "", "SMART check of the target, in one word"),
    K(GOALS, "smart", "table", "", "SMART criteria with status and reason"),
    K(GOALS, "seasonal_weights", "dict", "ratio", "Share of the year's target per month"),
    K(GOALS, "cny_effect", "float", "ratio", "Chinese-New-Year effect on revenue"),
    K(GOALS, "trend_growth", "float", "ratio", "Annual trend growth"),
    K(GOALS, "working_day_elasticity", "float", "ratio", "Revenue change per working day"),
    K(GOALS, "reconciled", "bool", "", "Unit targets add up to the company target", optional=NO_REPS),
    K(GOALS, "allocation_method", "str", "", "How the target was split over units"),
    K(GOALS, "region_targets", "dict", "currency", "Annual target per region", optional=NO_REPS),
    K(GOALS, "targets_monthly", "table", "currency", "Monthly targets per level and key"),
    K(GOALS, "targets_rows", "int", "count", "Rows of the targets file"),
    K(GOALS, "target_mtd", "float", "currency", "Plan of the report month",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "actual_mtd", "float", "currency", "Revenue of the report month",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "target_qtd", "float", "currency", "Plan of the quarter to date",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "actual_qtd", "float", "currency", "Revenue of the quarter to date",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "target_ytd", "float", "currency", "Plan of the year to date",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "ytd_actual", "float", "currency", "Revenue of the year to date",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "gap", "float", "currency", "Annual target minus revenue so far",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "p_hit_now", "float", "ratio", "P(hitting the annual target), as of the report month",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "p_hit_quarter", "float", "ratio", "P(hitting the quarter's plan)",
      optional="report month outside the plan's fiscal year"),
    K(GOALS, "reps_beyond_best", "list", "rep ids", "Reps whose required run rate exceeds their best",
      optional=NO_REPS),
    K(GOALS, "respread", "table", "currency", "Remaining target per rep: required, current, best run rate",
      optional=NO_REPS),
    K(GOALS, "target_kind", "str", "", "What the year is measured against: target (given) or plan (automatic)"),
    K(GOALS, "holiday_calendar", "str", "", "Country whose holidays and working days the plan uses ('none')"),
    K(GOALS, "forecast_fallback", "str", "", "Why the plan's forecast fell back to a simpler method (empty: it did not, or no plan rests on it)"),
    K(GOALS, "weights_method", "str", "", "How the monthly weights were estimated (seasonal, working days, flat)"),
    K(GOALS, "plan_mtd", "float", "currency", "Automatic plan of the report month (no target given)",
      optional="a target was given, or the report month is outside the plan's fiscal year"),
    K(GOALS, "plan_qtd", "float", "currency", "Automatic plan of the quarter to date (no target given)",
      optional="a target was given, or the report month is outside the plan's fiscal year"),
    K(GOALS, "plan_ytd", "float", "currency", "Automatic plan of the year to date (no target given)",
      optional="a target was given, or the report month is outside the plan's fiscal year"),
    # 02 performance review
    K(PERF, "commission_plan", "dict", "", "Commission plan: base rate, tiers, cap, floor"),
    K(PERF, "fiscal_year_start", "int", "month", "First calendar month of the fiscal year: QTD and YTD follow it"),
    K(PERF, "attainment", "dict", "currency", "Company actual, target, gap, attainment for mtd/qtd/ytd",
      optional=NO_TARGETS),
    K(PERF, "reps_below_target_qtd", "int", "count", "Reps below target in the quarter", optional=NO_TARGETS),
    K(PERF, "rep_revenue", "table", "currency", "Revenue per rep without targets: month, QTD, YTD, last 12 "
      "months, share, month against the rep's typical month", optional="a targets table (attainment is shown "
      "instead), or orders without rep_id"),
    K(PERF, "stage_conversion", "table", "ratio", "Conversion and median days per stage (per pipeline, with its "
      "column, when the deals are in several)", optional=NO_OPPS),
    K(PERF, "funnel_company", "dict", "", "Company funnel: created, won, lost, win rate, velocity",
      optional=NO_OPPS),
    K(PERF, "win_rate", "float", "ratio", "Company win rate (won ÷ closed)", optional=NO_OPPS),
    K(PERF, "cycle_length", "dict", "days", "Sales cycle length (Kaplan-Meier)", optional=NO_OPPS),
    K(PERF, "win_rate_prior", "dict", "ratio", "Beta prior of the rep win rates", optional=NO_OPPS),
    K(PERF, "win_rate_outliers", "table", "ratio", "Reps whose win rate is an outlier", optional=NO_OPPS),
    K(PERF, "categories", "table", "currency", "Revenue, growth, share and action per category",
      optional="no category column"),
    K(PERF, "products_push", "list", "product ids", "Products to push", optional="no product_id column"),
    K(PERF, "products_review", "list", "product ids", "Products to review", optional="no product_id column"),
    K(PERF, "coaching", "table", "", "Reps with a significant funnel weakness (the coaching list; the "
      "weakest stage's pipeline when the deals are in several)",
      optional="no opportunity histories"),
    K(PERF, "payouts", "table", "currency", "Commission per rep, month and quarter", optional=NO_TARGETS),
    K(PERF, "payout_total", "dict", "currency", "Total commission, month and quarter", optional=NO_TARGETS),
    K(PERF, "forecast_calibration", "table", "ratio", "Win rate per forecast category",
      optional="no forecast_category column"),
    K(PERF, "training_effect", "table", "", "Effect of training on outcomes", optional="no training table"),
    # 03 market trends
    K(TRENDS, "history_months", "int", "months", "Months of revenue history"),
    K(TRENDS, "growth", "dict", "ratio", "Company growth: month over month, year over year, rolling"),
    K(TRENDS, "trend_annual_growth", "float", "ratio", "Annual growth of the STL trend",
      optional="less than 24 months of history"),
    K(TRENDS, "seasonal_profile", "dict", "ratio", "Seasonal factor per calendar month",
      optional="less than 24 months of history"),
    K(TRENDS, "yoy_by_*", "dict", "ratio", "Rolling year-over-year growth per value of a dimension"),
    K(TRENDS, "forecast_model", "str", "", "Model chosen for the company forecast"),
    K(TRENDS, "forecast_backtest", "table", "", "Backtest of the candidate models"),
    K(TRENDS, "forecast", "table", "currency", "Monthly forecast per series with 80/95 % intervals"),
    K(TRENDS, "forecast_next_12m_total", "float", "currency", "Forecast of the next 12 months"),
    K(TRENDS, "discount_rate_by_category", "dict", "ratio", "Latest discount rate per category",
      optional="no discount column"),
    K(TRENDS, "price_volume_mix", "table", "currency", "Revenue change into price, volume and mix",
      optional="no units column"),
    K(TRENDS, "market_share", "dict", "ratio", "Market share per region", optional="no market table"),
    K(TRENDS, "market_share_total", "float", "ratio", "Company market share in the report month",
      optional="no market data for the report month"),
    K(TRENDS, "win_rate_by_quarter", "dict", "ratio", "Win rate per quarter", optional=NO_OPPS),
    K(TRENDS, "lost_share_change_by_*", "dict", "ratio", "Change of the lost-deal share per competitor/reason",
      optional="no competitor or lost_reason column"),
    K(TRENDS, "new_revenue_share_last_12m", "float", "ratio", "Revenue share of new customers, last 12 months"),
    K(TRENDS, "forecast_fallback", "str", "", "Why the company forecast fell back to a simpler method (empty: it did not)"),
    K(TRENDS, "forecast_next_12m", "dict", "currency", "Next 12 months' revenue: mean, sd and 80 % interval"),
    K(TRENDS, "forecast_quarter", "dict", "currency", "The quarter still running: booked plus the forecast of its "
      "remaining months, expected with its 80 % interval",
      optional="the company forecast fell back from its full method or its backtest ran one way"),
    K(TRENDS, "fiscal_year_start", "int", "month", "First calendar month of the fiscal year: the quarter of the quarter forecast"),
    # 04 customer segmentation
    K(SEG, "customers", "int", "count", "Customers scored"),
    K(SEG, "rfm_segments", "table", "", "Customers and revenue per RFM segment"),
    K(SEG, "rfm_slipping_share", "dict", "ratio", "Share of Champions/Loyal slipping"),
    K(SEG, "segment_findings", "dict", "", "Differences between customer attributes"),
    K(SEG, "clusters", "dict", "", "Behavioural clusters: k, silhouette, profiles",
      optional="fewer than 5 customers per cluster"),
    K(SEG, "holdout", "dict", "count", "CLV model holdout: predicted and actual purchases"),
    K(SEG, "bgnbd", "dict", "", "BG/NBD model parameters"),
    K(SEG, "gamma_gamma", "dict", "", "Gamma-Gamma model parameters"),
    K(SEG, "gamma_gamma_independence", "dict", "", "Frequency/value independence test"),
    K(SEG, "clv_total", "float", "currency", "Total expected customer lifetime value"),
    K(SEG, "clv_by_segment", "table", "currency", "CLV per RFM segment"),
    K(SEG, "cohort_retention_month_3", "float", "ratio", "Cohort retention after 3 months"),
    K(SEG, "nrr", "float", "ratio", "Net revenue retention, last 12 months",
      optional="history does not cover the 12 months before the last 12, or (almost) no customer bought twice"),
    K(SEG, "grr", "float", "ratio", "Gross revenue retention, last 12 months",
      optional="history does not cover the 12 months before the last 12, or (almost) no customer bought twice"),
    K(SEG, "retention", "dict", "ratio", "NRR and GRR, by cohort and segment",
      optional="history does not cover the 12 months before the last 12, or (almost) no customer bought twice"),
    K(SEG, "retention_by_*", "table", "ratio", "NRR and GRR per value of a customer attribute",
      optional="no firmographic columns"),
    K(SEG, "affinity_top_rules", "table", "ratio", "Top product-affinity rules", optional="no product column"),
    K(SEG, "nps_by_segment", "dict", "", "NPS per segment with a test", optional="no feedback with NPS"),
    K(SEG, "nps_over_time", "table", "", "NPS and CSAT per period", optional="no feedback table"),
    K(SEG, "nps_predicts_retention", "dict", "", "Whether NPS predicts retention", optional="no feedback with NPS"),
    K(SEG, "membership_rows", "int", "count", "Rows of the CRM membership export"),
    K(SEG, "clv_diagnosis", "dict", "", "Whether the BG/NBD and Gamma-Gamma fits can be trusted, and why not",
      optional="too few repeat customers to fit"),
    # 05 risk monitoring
    K(RISK, "register", "table", "", "Risk register: indicator, entity, value, threshold, RAG, owner",
      optional="no risk indicator could be measured on this data (each section of the page says why)"),
    K(RISK, "register_messages", "dict", "",
      "Register indicator names that carry parameters: English text → message id and parameters "
      "(so the summary shows them in its language)"),
    K(RISK, "alerts", "dict", "count", "Alerts per severity"),
    K(RISK, "alerts_file", "str", "file name", "The alerts file (stable alert ids)"),
    K(RISK, "summary", "dict", "", "Risk summary: alerts, P(miss), register counts, revenue at risk"),
    K(RISK, "revenue_at_risk", "float", "currency", "Revenue of customers at risk", optional="no customer at risk"),
    K(RISK, "customers_at_risk", "int", "count", "Customers at risk", optional="no customer at risk"),
    K(RISK, "customers_at_risk_high_value", "int", "count", "High-value customers at risk",
      optional="no customer data, or most high-value customers bought on fewer than 3 days"),
    K(RISK, "revenue_at_risk_high_value", "float", "currency", "Revenue of high-value customers at risk",
      optional="no customer data, or most high-value customers bought on fewer than 3 days"),
    K(RISK, "concentration", "table", "ratio", "Revenue concentration (HHI, top shares) per dimension"),
    K(RISK, "fiscal_year_start", "int", "month", "First calendar month of the fiscal year: the quarter of P(miss) and coverage"),
    K(RISK, "p_miss", "dict", "currency", "Quarter forecast from the pipeline: expected, p10/p50/p90, "
      "booked; P(miss), target and gap (None without the quarter's target, the reason under why_absent); "
      "quarter (its name), first_month and last_month (YYYY-MM); largest_deals: the fewest open deals "
      "holding half the expected pipeline wins (deals: opportunity_id, amount, p; share; open_deals)",
      optional="no opportunities table, or no won or lost deals to estimate win rates from"),
    K(RISK, "coverage", "table", "currency", "Pipeline coverage per team and quarter (with target)",
      optional="no opportunities table, no targets for the quarter, or no reps table"),
    K(RISK, "stalled_deals", "dict", "currency", "Stalled deals: count and amount", optional=NO_OPPS),
    K(RISK, "slipped_deals", "dict", "currency", "Slipped deals: count and amount", optional=NO_OPPS),
    K(RISK, "deals_without_recent_activity", "dict", "currency", "Deals without recent activity",
      optional=NO_OPPS),
    K(RISK, "false_alarm_rate", "dict", "ratio", "Simulated false-alarm rate of the control charts"),
    K(RISK, "anomalies", "table", "", "Weekly anomalies per region"),
    K(RISK, "discount_creep", "table", "ratio", "Categories whose discount creeps up",
      optional="no discount column"),
    K(RISK, "departed_reps", "dict", "ratio", "Revenue and pipeline share of departed reps", optional=NO_REPS),
    K(RISK, "single_rep_key_accounts", "int", "count", "Key accounts served by a single rep",
      optional=NO_REPS),
    K(RISK, "alert_changes", "dict", "count", "Alerts new, persisting, resolved against the previous good month"),
    # executive summary
    K(SUMMARY, "lang", "str", "", "Language of the page"),
    K(SUMMARY, "notebooks", "dict", "", "Status of each detail report"),
    K(SUMMARY, "tiles", "dict", "", "Headline tiles with their values and sources"),
    K(SUMMARY, "narrative", "list", "", "The narrative sentences"),
    K(SUMMARY, "missing", "table", "", "Figures not available and why"),
    K(SUMMARY, "top_risks", "table", "", "Top risks of the register"),
    K(SUMMARY, "month_over_month", "dict", "", "KPI deltas, alert and coaching changes, forecast accuracy"),
    # rep scorecard
    K(SCORECARD, "rep_id", "str", "", "The rep of the scorecard"),
    K(SCORECARD, "team_tables", "str", "", "Whether the team tables were read from the performance review or computed here"),
    K(SCORECARD, "attainment", "dict", "currency", "The rep's actual, target, gap, attainment, rank",
      optional=NO_TARGETS),
    K(SCORECARD, "payout", "dict", "currency", "The rep's commission", optional=NO_TARGETS),
    K(SCORECARD, "revenue", "table", "currency", "The rep's revenue when there is no target: month, QTD, YTD, "
      "12 months, share, rank, against the typical month", optional="the rep has a target (attainment instead)"),
    K(SCORECARD, "funnel_vs_peers", "table", "ratio", "The rep's funnel against peers", optional=NO_OPPS),
    K(SCORECARD, "win_rate", "dict", "ratio", "The rep's win rate, raw and shrunk", optional=NO_OPPS),
    K(SCORECARD, "coaching", "dict", "", "The rep's weakest stage and focus", optional=NO_OPPS),
)


class UndeclaredKeyError(KeyError):
    """``sn.publish`` of a key that :data:`KEYS` does not declare."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def notebooks() -> list[str]:
    """The notebooks that declare keys, in the order of :data:`KEYS`."""
    return list(dict.fromkeys(k.notebook for k in KEYS if k.notebook != ANY))


def find(notebook: str | None, name: str) -> Key | None:
    """The declaration of ``name`` for ``notebook`` (any notebook when ``None``), or ``None``."""
    for k in KEYS:
        if k.matches(notebook, name):
            return k
    return None


def declared(notebook: str, *, include_common: bool = True) -> list[Key]:
    """The keys ``notebook`` declares (with :data:`COMMON` unless ``include_common=False``)."""
    return [k for k in KEYS if k.notebook == notebook or (include_common and k.notebook == ANY)]


def check(name: str, *, notebook: str | None = None) -> Key:
    """The declaration of ``name``; :class:`UndeclaredKeyError` naming notebook and key if none."""
    k = find(notebook, name)
    if k is not None:
        return k
    where = f"notebook {notebook}" if notebook else "any notebook"
    others = sorted({x.notebook for x in KEYS if x.matches(None, name) and x.notebook != ANY})
    hint = f" (it is declared for {', '.join(others)})" if others else ""
    raise UndeclaredKeyError(
        f"sn.publish({name!r}): the key is not declared for {where}{hint}. Declare it with one line "
        f"in salesnb/keys.py: K({notebook or 'NOTEBOOK'!r}, {name!r}, type, unit, meaning)."
    )


def undeclared(notebook: str, names: Iterable[str]) -> list[str]:
    """The names among ``names`` that ``notebook`` does not declare."""
    return [n for n in names if find(notebook, n) is None]


_PUBLISH = re.compile(r"""\bpublish\(\s*(f?)(["'])([^"']+)\2""")


def scan_notebooks(folder: str | Path) -> list[tuple[str, str]]:
    """``(notebook, key)`` of every ``sn.publish("key", ...)`` in the notebooks of ``folder`` that is
    not declared (an f-string key such as ``f"yoy_by_{dim}"`` is checked as ``yoy_by_*``).

    ``python -m salesnb.keys --check notebooks/`` prints them: run it after merging notebooks.
    """
    import nbformat

    out = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for m in _PUBLISH.finditer(cell.source):
                name = re.sub(r"\{[^}]*\}", "*", m.group(3)) if m.group(1) else m.group(3)
                k = next((k for k in KEYS if k.notebook in (ANY, path.stem)
                          and (k.name == name or fnmatch.fnmatchcase(name, k.name))), None)
                if k is None and (path.stem, name) not in out:
                    out.append((path.stem, name))
    return out


def markdown() -> str:
    """The declared keys as Markdown tables, one per notebook (``docs/published-keys.md``)."""
    lines = []
    for nb in [ANY, *notebooks()]:
        title = "Every notebook" if nb == ANY else f"`{nb}`"
        lines += ["", f"## {title}", "", "| key | type | unit | meaning | absent when |",
                  "|---|---|---|---|---|"]
        for k in KEYS:
            if k.notebook == nb:
                lines.append(f"| `{k.name}` | {k.type} | {k.unit} | {k.meaning} | {k.optional} |")
    return "\n".join(lines).lstrip() + "\n"


HEADER = """# Published keys

What each notebook publishes with `sn.publish` (in `reports/<month>/<notebook>.results.json`), declared
in `salesnb/keys.py`. `sn.publish` refuses a key that is not declared there (the error names the
notebook and the key), the executive summary reads only declared keys, and a test runs the demo pack
and checks that every declared key is published (or absent for the stated reason). Schedulers, the BI
extracts (`docs/delivery.md`) and the month-over-month comparison rely on this list.

**Add a key** with one line in `KEYS` of `salesnb/keys.py`, next to its notebook's keys:

```python
K(TRENDS, "forecast_fallback", "str", "", "Model used when the chosen one failed", optional="no fallback")
```

then regenerate this page: `python -m salesnb.keys > docs/published-keys.md`. After merging or
editing notebooks, `python -m salesnb.keys --check notebooks/` lists every `sn.publish("...")` whose
key is not declared (a test runs the same check).

Types: float, int, bool, str, date (ISO), list, dict, table (a list of records). Units: `currency` is
the company's reporting currency, `ratio` a share or probability between 0 and 1 (shown as a percent).
A name ending in `*` is a family of keys named from the data (e.g. `yoy_by_region`).
"""


def document() -> str:
    """``docs/published-keys.md``: :data:`HEADER` and :func:`markdown`."""
    return HEADER + "\n" + markdown()


if __name__ == "__main__":  # python -m salesnb.keys > docs/published-keys.md
    if len(sys.argv) == 3 and sys.argv[1] == "--check":  # python -m salesnb.keys --check notebooks/
        missing = scan_notebooks(sys.argv[2])
        for nb, key in missing:
            print(f"undeclared: {nb}: {key!r} -> add K({nb!r}, {key!r}, type, unit, meaning) to salesnb/keys.py")
        sys.exit(1 if missing else 0)
    print(document(), end="")
