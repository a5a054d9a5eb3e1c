"""Shared constants: one home for each rule several layers use.

Pure values only (no imports from the rest of the package), so every layer — data, analytics,
presentation, report, delivery — may import them.
"""

from __future__ import annotations

#: alert severities, least to most severe (``--fail-on`` and the month-on-month diff use this order)
SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")

#: severity → rank (higher is more severe)
SEVERITY_ORDER: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

#: one RAG palette across every page (charts, tiles, the summary's tables)
RAG_COLOURS: dict[str, str] = {"red": "#c0392b", "amber": "#e6a100", "green": "#2e8b57",
                               "grey": "#8c8c8c"}

#: RAG status → sort rank (red first, grey — no value — last)
RAG_ORDER: dict[str, int] = {"red": 0, "amber": 1, "green": 2, "grey": 3}

#: significant digits of every float written as JSON (results.json, alerts, artefacts): keeps every
#: cent of amounts below 10 billion and drops the last-bit noise of summation order, so reruns are
#: byte-identical (:func:`salesnb.jsonable.to_jsonable`)
JSON_DIGITS: int = 12

#: days before the data's as-of date that still count as "now" (the report of the last complete
#: month is evaluated at its end, a day before an export dated the 1st): a deal the export records
#: as won or lost with a close date after the export's date is not open then (the date is a plan
#: typed on a deal already closed), one that closed between then and the export's date was; earlier,
#: the close dates decide (:func:`salesnb.data.extract.pipeline_snapshot`,
#: :func:`salesnb.performance.funnel_metrics`, :func:`salesnb.data.risk_queries.open_deals`)
NOW_DAYS: int = 31

#: the most open deals that may hold half the pipeline's expected wins, and the least share of the
#: open deals they may be, for 05's forecast table and the summary to say that the expected quarter
#: stands or falls with them (a 28M referral beside thirty bids; not 3 of 6 even deals)
LEADING_DEALS = 3
LEADING_DEALS_SHARE_OF_OPEN = 1 / 3


def leading(largest) -> bool:
    """Whether ``p_miss``'s ``largest_deals`` are few enough to be said (see :data:`LEADING_DEALS`)."""
    if not largest or not largest.get("deals"):
        return False
    k = len(largest["deals"])
    return k <= LEADING_DEALS and k <= LEADING_DEALS_SHARE_OF_OPEN * largest.get("open_deals", 0)
