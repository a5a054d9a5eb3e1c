"""Plain-words notes on a source's as-of date and currency (shown by the data overview)."""

from __future__ import annotations

import pandas as pd

from salesnb.data.sources import Dataset
from salesnb.i18n import Message

_HOW = {"parameter": "Data as of {date}: the as_of parameter.",
        "export": "Data as of {date}: the date of the export.",
        "data": "Data as of {date}: the latest date in any table."}


def as_of_note(ds: Dataset) -> str:
    """``"Data as of 2026-10-31: the latest date in any table."`` (or the parameter, the export)."""
    return Message(_HOW[ds.as_of_source], date=str(ds.as_of.date()))


def currency_note(ds: Dataset) -> str:
    """Which currency the figures are in, and whether amounts were converted."""
    from salesnb import fmt

    cur = ds.currencies()
    target = ds.reporting_currency
    if not target:
        return ("The data does not say its currency: amounts are shown without a symbol. Set "
                "reporting_currency or add a currency column.")
    label = fmt.currency_label() if fmt.CURRENCY_CODE == target else target
    others = [c for c in cur if c != target]
    if others:
        return Message("Amounts are in {currency} (the reporting currency); {n} other currencies "
                       "converted with fx_rates: {codes}.", currency=label, n=len(others),
                       codes=", ".join(others))
    return Message("Amounts are in {currency} (the reporting currency).", currency=label)


def currency_table(ds: Dataset) -> pd.DataFrame:
    """Rows per currency of orders and opportunities (``currency``, ``rows``), largest first."""
    cur = ds.currencies()
    return (pd.DataFrame({"currency": list(cur), "rows": list(cur.values())})
            .sort_values(["rows", "currency"], ascending=[False, True], ignore_index=True))
