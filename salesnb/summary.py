"""The executive summary: headline tiles, top risks and a short narrative from published figures.

Pure functions over what the month's detail notebooks published (``sn.publish`` →
``<notebook>.results.json``, loaded by :func:`salesnb.report.results.load_results`): nothing here
reads files or recomputes a figure, so every number on the summary is the number on its detail page,
and each one carries the notebook and key it came from.

Where a notebook failed, did not run, or does not publish a key, the figure is *not available* and the
reason is kept (``Figure.why``) and listed — the summary never guesses.

Typical use in the notebook::

    run = load_results(ctx.out, month=ctx.month)
    s = summary.build(run.results, run.status, month=ctx.month, lang=lang)
    display(HTML(summary.tiles_html(s.tiles, lang=lang)))
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from salesnb import fmt
from salesnb.constants import RAG_COLOURS, RAG_ORDER, leading
from salesnb.i18n import Message, join_sentences, known, normalise, page_title, t, verbatim
from salesnb.periods import fiscal_quarter, quarter_label

__all__ = [
    "SOURCES",
    "Figure",
    "Sentence",
    "Summary",
    "Tile",
    "attainment_frame",
    "build",
    "figures_json",
    "intro",
    "lookup",
    "missing_html",
    "month_label",
    "narrative",
    "narrative_html",
    "pages_html",
    "rag_colour",
    "risks_html",
    "source_keys",
    "tiles",
    "tiles_html",
    "top_risks",
]

# ------------------------------------------------------------------------------------ sources
PERF, GOALS, TRENDS, SEG, RISK, DATA = ("02_performance_review", "01_goal_decomposition",
                                        "03_market_trends", "04_customer_segmentation",
                                        "05_risk_monitoring", "00_data_overview")

#: figure → candidate (notebook, key path) in order of preference; a path's dots walk nested dicts.
#: Every path starts with a key declared in :mod:`salesnb.keys` (a test checks it), so a renamed key
#: fails the tests instead of silently turning a tile grey.
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "revenue_mtd": ((PERF, "attainment.mtd.actual"), (GOALS, "actual_mtd"), (DATA, "revenue_month")),
    "target_mtd": ((PERF, "attainment.mtd.target"), (GOALS, "target_mtd")),
    "attain_mtd": ((PERF, "attainment.mtd.attainment"),),
    "revenue_qtd": ((PERF, "attainment.qtd.actual"), (GOALS, "actual_qtd")),
    "target_qtd": ((PERF, "attainment.qtd.target"), (GOALS, "target_qtd")),
    "attain_qtd": ((PERF, "attainment.qtd.attainment"),),
    "revenue_ytd": ((PERF, "attainment.ytd.actual"), (GOALS, "ytd_actual")),
    "target_ytd": ((PERF, "attainment.ytd.target"), (GOALS, "target_ytd")),
    "attain_ytd": ((PERF, "attainment.ytd.attainment"),),
    "yoy_growth": ((TRENDS, "growth.yoy"),),
    # the pipeline's Monte Carlo, else (no pipeline) the revenue trend's forecast of the quarter
    "forecast_mean": ((RISK, "p_miss.expected"), (TRENDS, "forecast_quarter.expected")),
    "forecast_lo": ((RISK, "p_miss.p10"), (TRENDS, "forecast_quarter.lo80")),
    "forecast_hi": ((RISK, "p_miss.p90"), (TRENDS, "forecast_quarter.hi80")),
    "p_miss": ((RISK, "p_miss.p_miss"), (RISK, "summary.p_miss")),
    "quarter_target": ((RISK, "p_miss.target"),),
    # the fewest open deals holding half the pipeline's expected wins, and the median quarter
    "forecast_p50": ((RISK, "p_miss.p50"),),
    "forecast_lead": ((RISK, "p_miss.largest_deals"),),
    "p_hit": ((GOALS, "p_hit_quarter"),),
    "p_hit_year": ((GOALS, "p_hit_now"), (GOALS, "p_hit")),
    # a given target, else the automatic plan (last year x growth), never called a target
    "annual_target": ((GOALS, "annual_target"), (GOALS, "annual_plan")),
    "coverage": ((RISK, "coverage"),),
    "win_rate": ((PERF, "win_rate"), (PERF, "funnel_company.win_rate")),
    "nrr": ((SEG, "nrr"), (SEG, "retention.nrr")),
    # the high-value customers at risk: the risk page's headline and its register row (issue 12)
    "at_risk_n": ((RISK, "customers_at_risk_high_value"),),
    "at_risk_value": ((RISK, "revenue_at_risk_high_value"),),
    "register": ((RISK, "register"),),
}


def source_keys() -> list[tuple[str, str]]:
    """Every (notebook, top-level key) the summary reads (each must be declared in salesnb.keys)."""
    return sorted({(nb, path.split(".")[0]) for c in SOURCES.values() for nb, path in c})


#: thresholds for tile colours (green at or above the first, amber at or above the second, else red)
RAG_RULES: dict[str, tuple[float, float]] = {
    "attainment": (1.0, 0.9),
    "p_hit": (0.7, 0.4),
    "coverage": (3.0, 2.0),
    "nrr": (1.0, 0.9),
}


def rag_colour(rag: str) -> str:
    """The hex colour of a RAG status (:data:`salesnb.constants.RAG_COLOURS`, as on every chart)."""
    return RAG_COLOURS.get(rag, RAG_COLOURS["grey"])


def _rag(value: float | None, rule: str) -> str:
    if value is None:
        return "grey"
    green, amber = RAG_RULES[rule]
    return "green" if value >= green else "amber" if value >= amber else "red"


# ------------------------------------------------------------------------------------ lookup
@dataclass(frozen=True)
class Figure:
    """One published figure, or why it is not available."""

    value: Any = None
    notebook: str | None = None
    key: str | None = None
    why: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def source(self) -> str:
        return f"{self.notebook}:{self.key}" if self.ok else ""


def _walk(d: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, Mapping) or part not in d:
            return None
        d = d[part]
    return d


def _as_number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return None if math.isnan(float(v)) or math.isinf(float(v)) else float(v)
    if isinstance(v, Mapping):  # {"value": …} or a company-level entry
        for k in ("value", "company", "total", "current"):
            if k in v:
                return _as_number(v[k])
    return None


def _said(status: Mapping[str, str], notebook: str, key: str, lang: str,
          results: Mapping[str, Mapping[str, Any]] | None) -> str | None:
    """The report's own reason (in ``lang``, without its final stop) for publishing ``key`` empty,
    when it ran and said one (``why_absent``); else None."""
    if status.get(notebook) != "ok":
        return None
    said = (results or {}).get(notebook, {}).get("why_absent")
    if isinstance(said, Mapping) and said.get("lang") == lang and \
            isinstance((said.get("keys") or {}).get(key.split(".")[0]), str):
        return embedded(said["keys"][key.split(".")[0]].rstrip(".。"), lang)
    return None


#: capitalised words that stay capitalised inside a sentence (names, not sentence starts)
_PROPER = frozenset(
    "January February March April May June July August September October November December Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday Western English Chinese Excel Salesforce "
    "Zoho Spark Theta Pareto Poisson Gamma Bayesian Herfindahl".split())


def embedded(reason: str, lang: str) -> str:
    """A page's reason, written as a sentence of its own ("No targets in the data: …"), as it reads
    quoted inside another sentence: its first word lower-cased in English when it is an ordinary
    capitalised word ("… (no targets in the data: …)"). Acronyms and notation ("HHI", "P(miss)",
    "EWMA", "XmR"), names (months, :data:`_PROPER`) and Chinese stay as they are."""
    if normalise(lang) != "en":
        return reason
    m = re.match(r"([A-Z][a-z]+)(?=[\s,.:;]|$)", reason)
    if m is None or m.group(1) in _PROPER:
        return reason
    return reason[:1].lower() + reason[1:]


def _why(status: Mapping[str, str], notebook: str, key: str, lang: str,
         results: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    page = page_title(notebook, lang)
    s = status.get(notebook, "missing")
    if s == "ok":  # the report ran: its own reason (in this language), else the key's condition
        from salesnb import keys

        said = _said(status, notebook, key, lang, results)
        if said is not None:
            return t("why.key_because", lang, page=page, key=key, reason=verbatim(said))
        k = keys.find(notebook, key.split(".")[0])
        if k is not None and k.optional:
            return t("why.key_because", lang, page=page, key=key, reason=t(k.optional, lang))
        return t("why.key", lang, page=page, key=key)
    return t(f"why.{s}" if s in ("failed", "stale") else "why.missing", lang, page=page)


def lookup(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], figure: str, *,
           lang: str = "en", number: bool = True,
           convert: Callable[[Any], tuple[Any, str] | None] | None = None) -> Figure:
    """The first published candidate of ``figure`` (see :data:`SOURCES`), or why there is none.

    Parameters
    ----------
    results : mapping
        Notebook → its published results (only notebooks that ran through).
    status : mapping
        Notebook → ``ok`` / ``failed`` / ``missing`` / ``stale``.
    figure : str
        A key of :data:`SOURCES`.
    number : bool
        Accept only finite numbers (else any JSON value that is not empty).
    convert : callable, optional
        ``raw -> (value, how)`` for a published table that needs an aggregate (``how`` describes it
        and is appended to the key), or ``None`` when it cannot be used.
    """
    candidates = SOURCES[figure]
    for nb, key in candidates:
        if status.get(nb) != "ok":
            continue
        raw = _walk(results.get(nb, {}), key)
        how = ""
        if convert is not None and isinstance(raw, list):
            got = convert(raw)
            raw, how = got if got is not None else (None, "")
        v = _as_number(raw) if number else (raw if raw not in (None, [], {}, "") else None)
        if v is not None:
            return Figure(v, nb, f"{key} {how}".strip())
    nb, key = candidates[0]
    why = _why(status, nb, key, lang, results)
    for nb2, key2 in candidates[1:]:  # a later source that said why it has none says it too
        if _said(status, nb2, key2, lang, results) is not None:
            why = f"{why}{t('; ', lang)}{_why(status, nb2, key2, lang, results)}"
    return Figure(None, nb, key, why)


def forecast_routes_why(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], *,
                        lang: str = "en") -> tuple[str | None, str | None]:
    """Why there is no pipeline forecast of the quarter (05's own reason) and why the revenue trend's
    forecast, which stands in for it, is withheld (03's), each None when its page said none.

    The summary says them in one sentence ("there is no pipeline forecast (…), and the revenue
    trend's forecast that stands in for it is withheld because …"): Online Retail's read the two
    pages' reasons side by side, as if they contradicted each other.
    """
    (pipe_nb, pipe_key), (trend_nb, trend_key) = SOURCES["forecast_mean"]
    return (_said(status, pipe_nb, pipe_key, lang, results),
            _said(status, trend_nb, trend_key, lang, results))


def fiscal_year_start_of(results: Mapping[str, Mapping[str, Any]]) -> int:
    """The fiscal year's first month the run's quarters follow (05's, else 02's; 1 when neither
    published it: calendar quarters, as results of older runs were)."""
    for nb in (RISK, PERF):
        v = (results.get(nb) or {}).get("fiscal_year_start")
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 12:
            return v
    return 1


def coverage_total(rows: Sequence[Mapping[str, Any]], *, month: str,
                   fiscal_year_start: int = 1) -> tuple[float, str] | None:
    """Company coverage from a per-team coverage table: Σ pipeline ÷ Σ remaining, this quarter.

    ``rows`` have ``period`` (the quarter's name, ``"2026Q4"`` or ``"FY2026 Q3"``), ``pipeline`` and
    ``remaining`` (target still to book); the quarter is the fiscal quarter of ``month``. Returns
    ``(coverage, description)`` or ``None`` when the quarter has no remaining target.
    """
    quarter = quarter_label(fiscal_quarter(pd.Period(month, freq="M"), fiscal_year_start), fiscal_year_start)
    use = [r for r in rows if isinstance(r, Mapping) and str(r.get("period")) == quarter
           and _as_number(r.get("pipeline")) is not None and _as_number(r.get("remaining")) is not None]
    remaining = sum(_as_number(r["remaining"]) for r in use)
    if not use or remaining <= 0:
        return None
    return sum(_as_number(r["pipeline"]) for r in use) / remaining, f"[{quarter}: Σ pipeline ÷ Σ remaining]"


# ------------------------------------------------------------------------------------- tiles
@dataclass(frozen=True)
class Tile:
    """A headline tile: label, main value, a line of context, RAG and its source."""

    key: str
    label: str
    text: str
    sub: str = ""
    rag: str = "grey"
    figures: tuple[Figure, ...] = ()
    #: what each figure is, where it is not the tile's own (the label): "Target, month" is what is
    #: missing from a revenue tile without a target, not "Revenue, month" printed above it
    names: tuple[str, ...] = ()

    def name(self, i: int) -> str:
        """The name of ``figures[i]`` in the table of figures not available."""
        return (self.names[i] if i < len(self.names) else "") or self.label

    @property
    def ok(self) -> bool:
        return bool(self.figures) and self.figures[0].ok

    @property
    def notebook(self) -> str | None:
        return self.figures[0].notebook if self.figures else None

    @property
    def href(self) -> str | None:
        return f"{self.notebook}.html" if self.ok and self.notebook else None


def _money(v: float | None) -> str:
    """Amounts in full (``$1,234,567``), so they match the detail pages digit for digit."""
    return fmt.money(v) if v is not None else "–"


def _pct(v: float | None, decimals: int = 1) -> str:
    return fmt.pct(v, decimals=decimals) if v is not None else "–"


def _ratio(v: float | None) -> str:
    return f"{v:.2f}×" if v is not None else "–"


def _attainment(results, status, window: str, lang: str) -> tuple[Tile, float | None]:
    actual = lookup(results, status, f"revenue_{window}", lang=lang)
    target = lookup(results, status, f"target_{window}", lang=lang)
    att = lookup(results, status, f"attain_{window}", lang=lang)
    ratio = att.value if att.ok else (actual.value / target.value
                                      if actual.ok and target.ok and target.value else None)
    figs = (actual, target) + ((att,) if att.ok else ())
    label = t(f"tile.revenue_{window}", lang)
    names = ("", t(f"fig.target_{window}", lang))
    if not actual.ok:
        return Tile(f"revenue_{window}", label, t("na", lang), actual.why, "grey", figs, names), None
    sub = (t("sub.of_target", lang, pct=_pct(ratio), target=_money(target.value)) if ratio is not None
           else t("sub.no_target", lang))
    return Tile(f"revenue_{window}", label, _money(actual.value), sub, _rag(ratio, "attainment"),
                figs, names), ratio


def tiles(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], *, month: str,
          lang: str = "en") -> list[Tile]:
    """The headline tiles, in reading order.

    Revenue against target (month, quarter and year to date), the quarter forecast with its 80 %
    interval and P(hit), pipeline coverage, win rate, net revenue retention and customers at risk.
    A tile whose figure is missing says "not available" with the reason as its context line.
    """
    lang = normalise(lang)
    out = [_attainment(results, status, w, lang)[0] for w in ("mtd", "qtd", "ytd")]

    mean = lookup(results, status, "forecast_mean", lang=lang)
    lo = lookup(results, status, "forecast_lo", lang=lang)
    hi = lookup(results, status, "forecast_hi", lang=lang)
    p_hit = _p_hit(results, status, lang, notebook=mean.notebook if mean.ok else None)
    if mean.ok:
        if lo.ok and hi.ok:
            sub = (t("sub.interval", lang, lo=_money(lo.value), hi=_money(hi.value),
                     p=_pct(p_hit.value, 0)) if p_hit.ok
                   else t("sub.interval_only", lang, lo=_money(lo.value), hi=_money(hi.value)))
        else:
            sub = t("sub.p_hit", lang, p=_pct(p_hit.value, 0)) if p_hit.ok else ""
        # the trend's forecast prices no target: no P(hit) to miss
        figs = (mean, lo, hi) + (() if mean.notebook == TRENDS and not p_hit.ok else (p_hit,))
        out.append(Tile("forecast_q", t("tile.forecast_q", lang), _money(mean.value), sub,
                        _rag(p_hit.value, "p_hit"), figs,
                        ("", t("fig.forecast_lo", lang), t("fig.forecast_hi", lang), t("fig.p_hit", lang))))
    else:
        pipe, trend = forecast_routes_why(results, status, lang=lang)
        if pipe and trend:  # one phrase: which forecast is missing, and why its stand-in is too
            mean = Figure(None, mean.notebook, mean.key, t("sub.forecast_na_routes", lang, pipeline=verbatim(pipe),
                                                          trend=verbatim(trend)))
        out.append(Tile("forecast_q", t("tile.forecast_q", lang), t("na", lang), mean.why, "grey",
                        (mean,)))

    cov = lookup(results, status, "coverage", lang=lang,
                 convert=lambda rows: coverage_total(rows, month=month,
                                                     fiscal_year_start=fiscal_year_start_of(results)))
    out.append(Tile("coverage", t("tile.coverage", lang),
                    _ratio(cov.value) if cov.ok else t("na", lang),
                    t("sub.coverage", lang) if cov.ok else cov.why, _rag(cov.value, "coverage"),
                    (cov,)))
    win = lookup(results, status, "win_rate", lang=lang)
    out.append(Tile("win_rate", t("tile.win_rate", lang),
                    _pct(win.value) if win.ok else t("na", lang),
                    t("sub.win_rate", lang) if win.ok else win.why, "grey", (win,)))
    nrr = lookup(results, status, "nrr", lang=lang)
    out.append(Tile("nrr", t("tile.nrr", lang), _pct(nrr.value) if nrr.ok else t("na", lang),
                    t("sub.nrr", lang) if nrr.ok else nrr.why, _rag(nrr.value, "nrr"), (nrr,)))
    n = lookup(results, status, "at_risk_n", lang=lang)
    val = lookup(results, status, "at_risk_value", lang=lang)
    if n.ok:
        sub = (t("sub.at_risk", lang, value=_money(val.value)) if val.ok
               else t("sub.at_risk_none", lang))
        out.append(Tile("at_risk", t("tile.at_risk", lang), fmt.number(n.value), sub, "grey",
                        (n, val), ("", t("fig.at_risk_value", lang))))
    elif val.ok:  # the count is not published: the revenue at risk stands alone
        out.append(Tile("at_risk", t("tile.at_risk", lang), _money(val.value),
                        t("sub.at_risk_value", lang), "grey", (val, n), ("", t("fig.at_risk_n", lang))))
    else:
        out.append(Tile("at_risk", t("tile.at_risk", lang), t("na", lang), n.why, "grey", (n,)))
    return out


def _p_hit(results, status, lang: str, *, notebook: str | None = None) -> Figure:
    """P(hitting the quarter target), from ``notebook`` only when given.

    A probability shown beside a forecast must come from the notebook that made the forecast: two
    notebooks may price different targets (goal decomposition prices its own new plan, risk
    monitoring the targets table), and mixing them would contradict the detail pages.
    """
    p = lookup(results, status, "p_hit", lang=lang)
    if p.ok and (notebook is None or p.notebook == notebook):
        return p
    miss = lookup(results, status, "p_miss", lang=lang)
    if miss.ok and (notebook is None or miss.notebook == notebook):
        return Figure(1.0 - miss.value, miss.notebook, f"1 - {miss.key}")
    if notebook is not None and miss.notebook == notebook and _said(status, notebook, miss.key, lang, results):
        # the forecast's page said why it has no P(miss) (no target): its reason, not another page's
        return Figure(None, notebook, miss.key, why=miss.why)
    if notebook is not None and (p.ok or miss.ok):
        return Figure(None, notebook, "p_hit", why=t("na.other_source", lang))
    return p


# ------------------------------------------------------------------------------------- risks
_RISK_COLS = ("indicator", "entity", "value", "threshold", "rag", "owner", "action")
_HEADS = {"indicator": "col.risk", "entity": "col.entity", "value": "col.value",
          "threshold": "col.threshold", "rag": "col.rag", "owner": "col.owner", "action": "col.action"}


def _fmt_unit(v: Any, unit: str) -> str:
    x = _as_number(v)
    if x is None:
        return "–" if v is None else str(v)
    if unit == "money":
        return fmt.money(x)
    if unit == "pct":
        return fmt.pct(x)
    if unit == "pp":  # a rise of a rate (the discount rise), as the risk page shows it: "7.4 pp"
        return fmt.points(x, signed=False)
    if unit == "ratio":
        return _ratio(x)
    if unit == "days":
        return f"{fmt.number(x)} d"
    if unit in ("hhi", "count"):
        return fmt.number(x)
    return fmt.number(x, decimals=2)  # as the risk page shows unit-less values


def top_risks(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], *, n: int = 5,
              lang: str = "en") -> tuple[pd.DataFrame, Figure]:
    """The ``n`` most severe red/amber rows of the risk register, values formatted by unit.

    Returns the rows (columns ``indicator, entity, value, threshold, rag, owner, action``; all text)
    and the register :class:`Figure` (not ``ok`` when the register is not available).
    """
    from salesnb.risk.alerts import entity_words

    reg = lookup(results, status, "register", lang=lang, number=False)
    if not reg.ok or not isinstance(reg.value, list):
        return pd.DataFrame(columns=list(_RISK_COLS)), (
            reg if not reg.ok else Figure(None, reg.notebook, reg.key,
                                          _why({reg.notebook: "ok"}, reg.notebook, reg.key, lang)))
    rows = []
    messages = results.get(str(reg.notebook), {}).get("register_messages") or {}
    for i, r in enumerate(x for x in reg.value if isinstance(x, Mapping)):
        unit = str(r.get("unit") or "")
        name = str(r.get("indicator") or r.get("metric") or "")
        m = messages.get(name) if isinstance(messages, Mapping) else None
        rows.append({
            # a name with parameters is rebuilt as its message (translated template first)
            "indicator": Message(m["msgid"], **m.get("params", {})) if isinstance(m, Mapping) else name,
            # "segment:employment" as the risk page shows it ("segment: employment" / "细分：employment")
            "entity": entity_words(str(r.get("entity") or "")),
            "value": _fmt_unit(r.get("value"), unit),
            "threshold": _fmt_unit(r.get("threshold"), unit),
            "rag": str(r.get("rag") or "grey"),
            "owner": str(r.get("owner") or ""),
            "action": str(r.get("action") or ""),
            "_order": (RAG_ORDER.get(str(r.get("rag")), 3), i),
        })
    df = pd.DataFrame(rows, columns=[*_RISK_COLS, "_order"])
    df = df[df["rag"].isin(["red", "amber"])].sort_values("_order").head(n)
    return df[list(_RISK_COLS)].reset_index(drop=True), reg


def _rag_counts(reg: Figure) -> dict[str, int]:
    counts = {"red": 0, "amber": 0, "green": 0}
    if reg.ok and isinstance(reg.value, list):
        for r in reg.value:
            if isinstance(r, Mapping) and r.get("rag") in counts:
                counts[r["rag"]] += 1
    return counts


# --------------------------------------------------------------------------------- narrative
@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative and the detail pages its numbers come from."""

    text: str
    sources: tuple[str, ...] = ()


def month_label(month: str, lang: str = "en") -> str:
    """``"2026-10"`` → ``"October 2026"`` / ``"2026年10月"``."""
    p = pd.Period(month, freq="M")
    return f"{p.year}年{p.month}月" if normalise(lang) == "zh-CN" else p.strftime("%B %Y")


def intro(month: str, as_of: str, lang: str = "en") -> str:
    """The summary's opening: what month it reports and the data's as-of date, two sentences joined
    as the language joins them (a space in English, none after Chinese 。)."""
    lang = normalise(lang)
    return join_sentences([t("intro", lang, month=month_label(month, lang)), t("as_of", lang, date=as_of)], lang)


def _srcs(*figs: Figure) -> tuple[str, ...]:
    out: list[str] = []
    for f in figs:
        if f.ok and f.notebook and f.notebook not in out:
            out.append(f.notebook)
    return tuple(out)


def narrative(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], *, month: str,
              lang: str = "en", beside_tiles: bool = False) -> list[Sentence]:
    """Five to eight sentences built from the published figures: what happened, why, what to watch.

    Every number in a sentence comes from a published figure whose notebook is in
    ``Sentence.sources``. When no detail report ran, one sentence says so (and nothing is guessed).
    ``beside_tiles``: the narrative is shown below the tiles (:func:`build`), so a missing quarter
    forecast refers to the reason under its tile instead of saying it again (a Salesforce export's
    summary said the ~80-word reason three times on one page).
    """
    lang = normalise(lang)
    ml = month_label(month, lang)
    if not any(s == "ok" for s in status.values()):
        return [Sentence(t("narr.none_run", lang, month=month))]
    out: list[Sentence] = []
    optional: set[int] = set()  # sentences dropped first when there are more than eight
    watch: list[str] = []

    # 1. what happened: the month against target
    tile_m, ratio_m = _attainment(results, status, "mtd", lang)
    actual, target = tile_m.figures[0], tile_m.figures[1]
    if actual.ok and ratio_m is not None:
        out.append(Sentence(t("narr.revenue_target", lang, month=ml, actual=_money(actual.value),
                              pct=_pct(ratio_m), target=_money(target.value)), _srcs(*tile_m.figures)))
        if ratio_m < RAG_RULES["attainment"][1]:
            watch.append(t("watch.revenue", lang))
    elif actual.ok:
        out.append(Sentence(t("narr.revenue", lang, month=ml, actual=_money(actual.value)),
                            _srcs(actual)))
    else:
        out.append(Sentence(t("narr.revenue_na", lang, month=ml, why=actual.why)))

    # 2. quarter and year to date
    tq, rq = _attainment(results, status, "qtd", lang)
    ty, ry = _attainment(results, status, "ytd", lang)
    if tq.ok and ty.ok:
        optional.add(len(out))
        key = "narr.qtd_ytd" if rq is not None and ry is not None else "narr.qtd_ytd_plain"
        out.append(Sentence(t(key, lang, qtd=_money(tq.figures[0].value), qtd_pct=_pct(rq),
                              ytd=_money(ty.figures[0].value), ytd_pct=_pct(ry)),
                            _srcs(*tq.figures, *ty.figures)))

    # 3. why: growth against last year
    g = lookup(results, status, "yoy_growth", lang=lang)
    if g.ok:
        optional.add(len(out))
        out.append(Sentence(t("narr.growth", lang, growth=fmt.pct(g.value, signed=True)), _srcs(g)))

    # 4. the quarter forecast
    mean = lookup(results, status, "forecast_mean", lang=lang)
    lo = lookup(results, status, "forecast_lo", lang=lang)
    hi = lookup(results, status, "forecast_hi", lang=lang)
    p = _p_hit(results, status, lang, notebook=mean.notebook if mean.ok else None)
    if mean.ok and lo.ok and hi.ok:
        qt = lookup(results, status, "quarter_target", lang=lang)
        if qt.ok and qt.notebook != mean.notebook:
            qt = Figure(None, mean.notebook, "quarter_target", why=t("na.other_source", lang))
        pipe, trend = forecast_routes_why(results, status, lang=lang)
        # the pipeline's forecast without a target: the page's reason why there is no probability
        nop = _said(status, p.notebook, p.key, lang, results) if not p.ok and p.notebook == mean.notebook else None
        key = ("narr.forecast_target" if p.ok and qt.ok else "narr.forecast" if p.ok
               else ("narr.forecast_trend_because" if pipe else "narr.forecast_trend")
               if mean.notebook == TRENDS else "narr.forecast_nop_because" if nop else "narr.forecast_nop")
        out.append(Sentence(t(key, lang, mean=_money(mean.value), lo=_money(lo.value),
                              hi=_money(hi.value), p=_pct(p.value, 0), target=_money(qt.value),
                              why=verbatim(nop or pipe or "")),
                            _srcs(mean, lo, hi, p, qt)))
        lead = lookup(results, status, "forecast_lead", lang=lang, number=False)
        p50 = lookup(results, status, "forecast_p50", lang=lang)
        if mean.notebook == RISK and lead.ok and leading(lead.value) and p50.ok:
            # an expected total that stands or falls with one deal or a few: say so, and the likelier quarter
            top, k = lead.value["deals"][0], len(lead.value["deals"])
            out.append(Sentence(t("narr.forecast_one_deal" if k == 1 else "narr.forecast_few_deals", lang,
                                  share=_pct(lead.value["share"], 0), n=k, total=lead.value["open_deals"],
                                  deal=verbatim(str(top["opportunity_id"])), amount=_money(top["amount"]),
                                  p=_pct(top["p"], 0), p50=_money(p50.value)),
                                _srcs(lead, p50)))
        if p.ok and p.value < 0.5:
            watch.append(t("watch.forecast", lang))
    else:
        pipe, trend = forecast_routes_why(results, status, lang=lang)
        out.append(Sentence(t("narr.forecast_na_above", lang, figure=t("tile.forecast_q", lang))
                            if beside_tiles else
                            t("narr.forecast_na_routes", lang, pipeline=verbatim(pipe), trend=verbatim(trend))
                            if pipe and trend else t("narr.forecast_na", lang, why=mean.why)))
    py = lookup(results, status, "p_hit_year", lang=lang)
    if py.ok:
        target = lookup(results, status, "annual_target", lang=lang)
        optional.add(len(out))
        key = "narr.p_hit_plan" if target.key == "annual_plan" else "narr.p_hit_year"
        out.append(Sentence(t(key, lang, p=_pct(py.value, 0), target=_money(target.value)),
                            _srcs(py, target)))

    # 5. pipeline and win rate
    cov = lookup(results, status, "coverage", lang=lang,
                 convert=lambda rows: coverage_total(rows, month=month,
                                                     fiscal_year_start=fiscal_year_start_of(results)))
    win = lookup(results, status, "win_rate", lang=lang)
    if cov.ok and win.ok:
        out.append(Sentence(t("narr.pipeline", lang, coverage=_ratio(cov.value),
                              win_rate=_pct(win.value)), _srcs(cov, win)))
    elif cov.ok:
        out.append(Sentence(t("narr.pipeline_cov", lang, coverage=_ratio(cov.value)), _srcs(cov)))
    elif win.ok:
        out.append(Sentence(t("narr.pipeline_win", lang, win_rate=_pct(win.value)), _srcs(win)))
    elif win.why != cov.why:  # each its own reason: 05's "no targets" is not why 02 has no win rate
        out.append(Sentence(t("narr.pipeline_na_each", lang, coverage=verbatim(cov.why),
                              win_rate=verbatim(win.why))))
    else:
        out.append(Sentence(t("narr.pipeline_na", lang, why=cov.why)))
    if cov.ok and cov.value < RAG_RULES["coverage"][1]:
        watch.append(t("watch.coverage", lang))

    # 6. customers
    nrr = lookup(results, status, "nrr", lang=lang)
    n = lookup(results, status, "at_risk_n", lang=lang)
    val = lookup(results, status, "at_risk_value", lang=lang)
    if nrr.ok and not n.ok and val.ok:
        out.append(Sentence(t("narr.customers_value", lang, nrr=_pct(nrr.value),
                              value=_money(val.value)), _srcs(nrr, val)))
    elif val.ok and not n.ok:
        out.append(Sentence(t("narr.customers_value_only", lang, value=_money(val.value)), _srcs(val)))
    elif nrr.ok and n.ok:  # nobody at risk is said as none ("0 high-value customers are at risk")
        out.append(Sentence(t("narr.customers" if n.value else "narr.customers_none", lang,
                              nrr=_pct(nrr.value), n=fmt.number(n.value)), _srcs(nrr, n)))
    elif nrr.ok:
        out.append(Sentence(t("narr.customers_nrr", lang, nrr=_pct(nrr.value)), _srcs(nrr)))
    elif n.ok:
        out.append(Sentence(t("narr.customers_risk" if n.value else "narr.customers_risk_none", lang,
                              n=fmt.number(n.value)), _srcs(n)))
    else:
        out.append(Sentence(t("narr.customers_na", lang, why=nrr.why)))
    if nrr.ok and nrr.value < RAG_RULES["nrr"][0]:
        watch.append(t("watch.nrr", lang))

    # 7. risks
    risks, reg = top_risks(results, status, n=1, lang=lang)
    if reg.ok:
        c = _rag_counts(reg)
        if len(risks):
            r = risks.iloc[0]
            from salesnb.risk.alerts import names_entity

            top = t("narr.risk_top_named" if names_entity(r["indicator"], r["entity"]) else "narr.risk_top",
                    lang, indicator=embedded(known(r["indicator"], lang), lang), entity=known(r["entity"], lang),
                    value=r["value"])
            out.append(Sentence(t("narr.risks", lang, red=c["red"], amber=c["amber"], top=top),
                                _srcs(reg)))
            if c["red"]:
                watch.append(t("watch.risks", lang))
        else:
            out.append(Sentence(t("narr.risks_clear", lang), _srcs(reg)))
    else:
        out.append(Sentence(t("narr.risks_na", lang, why=reg.why)))

    # 8. what did not run, and what to watch
    gone = [page_title(nb, lang) + f" ({t('status.' + s, lang)})" for nb, s in status.items()
            if s != "ok"]
    if gone:
        out.append(Sentence(t("narr.failed", lang, pages=t("and", lang).join(gone))))
    out.append(Sentence(t("narr.watch", lang, what=t("and", lang).join(watch) if watch
                          else t("watch.none", lang))))
    while len(out) > 8 and optional:
        drop = max(optional)
        optional.discard(drop)
        out.pop(drop)
    return out


# ------------------------------------------------------------------------------------- build
@dataclass
class Summary:
    """Everything the summary page shows."""

    month: str
    lang: str
    tiles: list[Tile]
    risks: pd.DataFrame
    register: Figure
    sentences: list[Sentence]
    status: dict[str, str]
    missing: list[dict[str, str]] = field(default_factory=list)


def build(results: Mapping[str, Mapping[str, Any]], status: Mapping[str, str], *, month: str,
          lang: str = "en", n_risks: int = 5) -> Summary:
    """Tiles, top risks, narrative and the list of missing figures, in one object."""
    lang = normalise(lang)
    ts = tiles(results, status, month=month, lang=lang)
    risks, reg = top_risks(results, status, n=n_risks, lang=lang)
    missing = []
    seen = set()
    for tile in ts:
        for i, f in enumerate(tile.figures):
            if not f.ok and (f.notebook, f.key) not in seen:
                seen.add((f.notebook, f.key))
                # a reason the tile already shows in full is said once: the table refers to it
                shown = i == 0 and f.why and tile.sub == f.why
                missing.append({"figure": tile.name(i), "notebook": f.notebook or "",
                                "key": f.key or "",
                                "why": t("why.above", lang, figure=tile.label) if shown else f.why})
    if not reg.ok:
        missing.append({"figure": t("h.risks", lang), "notebook": reg.notebook or "",
                        "key": reg.key or "", "why": reg.why})
    return Summary(month, lang, ts, risks, reg,
                   narrative(results, status, month=month, lang=lang, beside_tiles=True),
                   dict(status), missing)


def figures_json(s: Summary) -> dict[str, Any]:
    """The summary's own figures for ``sn.publish``: each tile's values with their sources."""
    out: dict[str, Any] = {}
    for tile in s.tiles:
        out[tile.key] = {
            "text": tile.text, "rag": tile.rag,
            "figures": [{"value": f.value, "source": f.source} if f.ok
                        else {"value": None, "missing": f"{f.notebook}:{f.key}", "why": f.why}
                        for f in tile.figures],
        }
    return out


# ---------------------------------------------------------------------------------- HTML bits
_e = html.escape
_FONT = ("font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC',"
         "sans-serif")


def _left(table: str) -> str:
    """Left-align text cells (JupyterLab's CSS right-aligns every cell of rendered HTML)."""
    return table.replace("<th>", '<th style="text-align:left">').replace(
        "<td>", '<td style="text-align:left">')


def _link(href: str | None, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def tiles_html(tiles: Sequence[Tile], *, lang: str = "en") -> str:
    """The tiles as a grid of cards; every text is escaped, RAG as a coloured left border."""
    cards = []
    for tile in tiles:
        colour = rag_colour(tile.rag)
        rag_word = t(f"rag.{tile.rag}", lang)
        source = t("{label}: {text}", lang, label=t("source", lang),
                   text=page_title(tile.notebook, lang)) if tile.notebook else ""
        src = (f'<div style="font-size:11px;margin-top:6px">{_link(tile.href, source)}</div>'
               if tile.ok and tile.notebook else "")
        cards.append(
            f'<div class="sn-tile sn-rag-{_e(tile.rag)}" style="border:1px solid #dde3ea;'
            f'border-left:6px solid {colour};border-radius:4px;padding:10px 12px;background:#fff;'
            f'break-inside:avoid" title="{_e(rag_word)}">'
            f'<div style="font-size:12px;color:#4a5561">{_e(tile.label)}</div>'
            f'<div style="font-size:22px;font-weight:700;color:#1d2630;margin:2px 0">{_e(tile.text)}</div>'
            f'<div style="font-size:12px;color:#4a5561">{_e(tile.sub)}</div>{src}</div>'
        )
    return (f'<div class="sn-tiles" style="display:grid;grid-template-columns:repeat(auto-fill,'
            f'minmax(210px,1fr));gap:10px;margin:10px 0;{_FONT}">{"".join(cards)}</div>')


def narrative_html(sentences: Sequence[Sentence], *, lang: str = "en") -> str:
    """The narrative as one paragraph per sentence, each with links to its detail pages."""
    items = []
    for s in sentences:
        links = " ".join(
            f'<a class="sn-src" href="{_e(nb)}.html" style="font-size:11px">[{_e(page_title(nb, lang))}]</a>'
            for nb in s.sources)
        items.append(f"<li>{_e(s.text)} {links}</li>")
    return f'<ul class="sn-narrative" style="line-height:1.55;{_FONT}">{"".join(items)}</ul>'


def risks_html(risks: pd.DataFrame, register: Figure, *, lang: str = "en") -> str:
    """The top-risks table with a RAG colour dot; every cell escaped."""
    if not register.ok:
        return f'<p class="sn-na" style="{_FONT}">{_e(t("narr.risks_na", lang, why=register.why))}</p>'
    if risks.empty:
        return f'<p style="{_FONT}">{_e(t("narr.risks_clear", lang))}</p>'
    cols = [c for c in _RISK_COLS if c not in ("owner", "action") or risks[c].astype(bool).any()]
    right = {"value", "threshold"}
    th = "".join(f"<th>{_e(t(_HEADS[c], lang))}</th>" for c in cols)
    rows = []
    for r in risks.to_dict(orient="records"):
        cells = []
        for c in cols:
            if c == "rag":
                dot = (f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                       f'background:{rag_colour(r["rag"])};margin-right:5px"></span>')
                cells.append(f"<td>{dot}{_e(t('rag.' + r['rag'], lang))}</td>")
            else:
                style = ' style="text-align:right"' if c in right else ""
                text = known(r[c], lang) if c in ("indicator", "entity", "owner", "action") else r[c]
                cells.append(f"<td{style}>{_e(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    link = _link(f"{register.notebook}.html", page_title(str(register.notebook), lang))
    return (_left(f'<table class="sn-table sn-risks" style="{_FONT}"><thead><tr>{th}</tr></thead>'
                  f'<tbody>{"".join(rows)}</tbody></table>')
            + f'<p style="font-size:11px;{_FONT}">'
            f'{t("{label}: {text}", lang, label=_e(t("source", lang)), text=link)}</p>')


def pages_html(status: Mapping[str, str], *, lang: str = "en",
               errors: Mapping[str, str] | None = None) -> str:
    """Links to the detail pages with each one's status (no link for a report that did not run)."""
    errors = errors or {}
    th = f"<th>{_e(t('col.report', lang))}</th><th>{_e(t('col.status', lang))}</th>"
    rows = []
    for nb, s in status.items():
        href = f"{nb}.html" if s in ("ok", "failed") else None
        colour = rag_colour({"ok": "green", "failed": "red"}.get(s, "grey"))
        err = (f'<div style="font-size:11px;color:#66707a">{_e(errors[nb])}</div>'
               if s != "ok" and errors.get(nb) else "")
        rows.append(f"<tr><td>{_link(href, page_title(nb, lang))}</td>"
                    f'<td style="text-align:left;color:{colour};font-weight:600">{_e(t("status." + s, lang))}{err}</td></tr>')
    return _left(f'<table class="sn-table sn-pages" style="{_FONT}"><thead><tr>{th}</tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table>')


def missing_html(missing: Sequence[Mapping[str, str]], *, lang: str = "en") -> str:
    """Which figures are not available, from which detail page and key, and why."""
    if not missing:
        return ""
    th = "".join(f"<th>{_e(t(h, lang))}</th>" for h in ("col.figure", "col.notebook", "col.key",
                                                          "col.reason"))
    rows = "".join(
        f"<tr><td>{_e(m['figure'])}</td><td>{_e(page_title(m['notebook'], lang))}</td>"
        f"<td><code>{_e(m['key'])}</code></td><td>{_e(m['why'])}</td></tr>" for m in missing)
    return _left(f'<table class="sn-table sn-missing" style="{_FONT}"><thead><tr>{th}</tr></thead>'
                 f"<tbody>{rows}</tbody></table>")


def attainment_frame(tiles_: list, *, lang: str = "en") -> pd.DataFrame:
    """Actual and target per window (MTD, QTD, YTD) from the first three tiles, for a bar chart.

    Returns an empty frame when no window has both figures.
    """
    from salesnb.i18n import t

    rows = []
    for tile in tiles_[:3]:
        actual, target = tile.figures[0], tile.figures[1]
        if actual.ok and target.ok:
            window = t("window." + tile.key.split("_")[-1], lang)
            rows += [{"window": window, "kind": t("label.actual", lang), "amount": actual.value},
                     {"window": window, "kind": t("label.target", lang), "amount": target.value}]
    return pd.DataFrame(rows, columns=["window", "kind", "amount"])
