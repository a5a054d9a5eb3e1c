"""Plain-words notes on a source's as-of date, currency and what its import left out."""

from __future__ import annotations

import pandas as pd

from salesnb.data.sources import Dataset
from salesnb.i18n import Message, Verbatim, listing

_HOW = {"parameter": "Data as of {date}: the date set for this run.",
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
        return ("The data does not say its currency: amounts are shown without a symbol. Set the "
                "run's reporting currency (the reporting_currency parameter) or add a currency "
                "column to the data.")
    label = fmt.currency_label() if fmt.CURRENCY_CODE == target else target
    others = [c for c in cur if c != target]
    if others:
        said = Message("Amounts are in {currency} (the reporting currency); {n} other currencies "
                       "converted with fx_rates: {codes}.", currency=label, n=len(others),
                       codes=", ".join(others))
        how = rates_note(ds)
        return Message.join(" ", [said, how]) if how else said
    return Message("Amounts are in {currency} (the reporting currency).", currency=label)


def rates_note(ds: Dataset) -> str:
    """Where the import read the exchange rates from (``_import.json``'s ``fx_rates``): ``"Rates
    read at import from CurrencyType.csv (5 rows), DatedConversionRate.csv (no rows): one rate for
    every month; into USD, the corporate currency."``; ``""`` when the source does not say."""
    fx = (ds.meta or {}).get("fx_rates")
    if not isinstance(fx, dict) or not fx.get("files") or fx.get("reporting_currency") != ds.reporting_currency:
        return ""
    months = fx.get("months") or []
    if months and fx.get("every_month"):
        span = Message("monthly rates {first} to {last}, and one rate for every other month",
                       first=Verbatim(months[0]), last=Verbatim(months[-1]))
    elif months:
        span = Message("monthly rates {first} to {last}", first=Verbatim(months[0]), last=Verbatim(months[-1]))
    else:
        span = Message("one rate for every month")
    base = fx.get("base_currency") or ""
    into = (Message("into {currency}, the corporate currency", currency=Verbatim(base))
            if base == fx["reporting_currency"] else
            Message("into {currency}, worked out through {base}", currency=Verbatim(fx["reporting_currency"]),
                    base=Verbatim(base)) if base else "")
    srcs = [x for x in fx.get("sources") or [] if isinstance(x, dict) and "file" in x]
    files = (Message.join(", ", [Message("{file} ({n} rows)" if (x.get("rows") or 0) > 1 else
                                         "{file} (1 row)" if x.get("rows") == 1 else "{file} (no rows)",
                                         file=Verbatim(x["file"]), n=x.get("rows") or 0) for x in srcs])
             if srcs else Verbatim(", ".join(fx["files"])))
    if into:
        return Message("Rates read at import from {files}: {span}; {into}.", files=files, span=span, into=into)
    return Message("Rates read at import from {files}: {span}.", files=files, span=span)


#: the column of :func:`currency_table` counting each table's rows
CURRENCY_COUNTS = {"orders": "order_lines", "opportunities": "deals"}


def currency_table(ds: Dataset) -> pd.DataFrame:
    """Rows per currency, one column per table with a currency (``currency``, then ``order_lines``
    and/or ``deals``), most rows first. A single count of orders and deals together ("MXN 277
    rows") read as 277 of either."""
    per = ds.currencies_by_table()
    codes = sorted({c for cur in per.values() for c in cur})
    df = pd.DataFrame({"currency": codes})
    for table, col in CURRENCY_COUNTS.items():
        if table in per:
            df[col] = [per[table].get(c, 0) for c in codes]
    counts = [c for c in CURRENCY_COUNTS.values() if c in df]
    order = df[counts].sum(axis=1).sort_values(ascending=False, kind="stable").index
    return df.loc[order].reset_index(drop=True)


def import_dropped(ds: Dataset) -> pd.DataFrame:
    """Rows ``salesnb import`` dropped for an empty required value (the profile's
    ``drop_if_missing``), from the source's ``_import.json``: ``table``, ``column``, ``rows``.
    Empty for a source that was not imported or lost nothing."""
    return _dropped_empty(ds)[["table", "column", "rows"]]


def _dropped_empty(ds: Dataset) -> pd.DataFrame:
    """:func:`import_dropped` with ``only``: ``"closed"`` where only the closed deals were dropped
    (``drop_if_missing`` with ``unless_open``), else empty."""
    rows = [r for r in (ds.meta or {}).get("dropped_empty", [])
            if isinstance(r, dict) and {"table", "rows", "column"} <= set(r)]
    df = pd.DataFrame(rows, columns=["table", "column", "rows", "only"])
    return df.assign(only=df["only"].astype(object).where(df["only"].notna(), ""))


#: the reasons ``salesnb import --suggest`` and the built-in profiles write for their ``where``
#: filters: labels of the code, shown in the page's language; a reason a user wrote is shown as
#: written
DRAFT_REASONS = ("not a won deal", "not a sale", "deleted records", "deleted accounts",
                 "deleted opportunities", "another pipeline")


def _reason(text) -> str:
    text = str(text)
    return Message(text) if text in DRAFT_REASONS else Verbatim(text)


def import_filtered(ds: Dataset) -> pd.DataFrame:
    """Rows the profile's ``where`` filters left out at import (Kaggle's Cancelled order lines),
    from the source's ``_import.json``: ``table``, ``reason``, ``rows``. Empty for a source that was
    not imported or filtered nothing. A reason of :data:`DRAFT_REASONS` is a message (translated
    when shown with ``values=["reason"]``), any other one is data (:class:`Verbatim`)."""
    rows = [{**r, "reason": _reason(r["reason"])} for r in (ds.meta or {}).get("dropped_filtered", [])
            if isinstance(r, dict) and {"table", "rows", "reason"} <= set(r)]
    return pd.DataFrame(rows, columns=["table", "reason", "rows"])


def import_filled(ds: Dataset) -> pd.DataFrame:
    """Empty values ``salesnb import`` filled with the profile's ``default`` (invented values the
    pages read as data), from the source's ``_import.json``: ``table``, ``column``, ``rows``,
    ``value``. Empty for a source that was not imported or filled nothing."""
    rows = [r for r in (ds.meta or {}).get("filled_default", [])
            if isinstance(r, dict) and {"table", "column", "rows", "value"} <= set(r)]
    return pd.DataFrame(rows, columns=["table", "column", "rows", "value"]).astype({"value": str})


def filled_note(ds: Dataset) -> str:
    """``""``, or a warning that the import filled empty values with the profile's defaults."""
    f = import_filled(ds)
    if f.empty:
        return ""
    return Message("The import filled {n} empty value(s) with the profile's default (see the table): the "
                   "reports read them as data, so the figures that use those columns (dates, ages, amounts) "
                   "rest partly on invented values.", n=f"{int(f.rows.sum()):,}")


def open_gaps(ds: Dataset, *, rep_id: str | None = None) -> dict[str, int]:
    """How many open deals carry no expected close date, no amount and no created date (the contract
    allows each on an open deal): ``{"open": n, "close_date": k, "amount": m, "created_date": c}``;
    empty without opportunities. ``rep_id``: that rep's open deals only."""
    if not ds.has("opportunities", "status"):
        return {}
    t = ds.table("opportunities")
    o = t.filter(t.status == "open")
    if rep_id is not None:
        if "rep_id" not in o.columns:
            return {}
        o = o.filter(o.rep_id.cast("string") == str(rep_id))
    aggs = {"open": o.count()}
    for c in ("close_date", "amount", "created_date"):
        if c in o.columns:
            aggs[c] = o[c].isnull().ifelse(1, 0).sum()
    r = o.aggregate(**aggs).execute().iloc[0]
    return {k: 0 if pd.isna(v) else int(v) for k, v in r.items()}


def _open_gaps_notes(ds: Dataset) -> list[str]:
    gaps = open_gaps(ds)
    out = []
    n, total = gaps.get("close_date", 0), gaps.get("open", 0)
    if n:
        out.append(Message("None of the {total} open deals carries an expected close date: the slipped-deal "
                           "check and the pipeline due in the quarter (coverage) cannot count them.",
                           total=f"{total:,}") if n == total else
                   Message("{n} of the {total} open deals carry no expected close date: the slipped-deal "
                           "check and the pipeline due in the quarter (coverage) leave them out.",
                           n=f"{n:,}", total=f"{total:,}"))
    n = gaps.get("amount", 0)
    if n:
        out.append(Message("None of the {total} open deals carries an amount: where the pipeline's value is "
                           "used (coverage, P(miss)), they count as 0.", total=f"{total:,}") if n == total else
                   Message("{n} of the {total} open deals carry no amount: where the pipeline's value is "
                           "used (coverage, P(miss)), they count as 0.", n=f"{n:,}", total=f"{total:,}"))
    n = gaps.get("created_date", 0)
    if n:  # no created date, no age: the pipeline and stage counts keep them, the checks by age do not
        # with a stage history, the days in a stage come from it, not from the created date
        checks = (Message("cycle lengths") if ds.has("opportunity_history") else
                  Message("stalled deals, cycle lengths"))
        out.append(Message("None of the {total} open deals carries a created date, so none has an age: they "
                           "count in the pipeline and the stage counts, but not in the checks by age "
                           "({checks}; P(won within the quarter) takes their stage's rate, not their "
                           "age's).", total=f"{total:,}", checks=checks) if n == total else
                   Message("{n} of the {total} open deals carry no created date, so no age: they count in the "
                           "pipeline and the stage counts, but not in the checks by age ({checks}; P(won "
                           "within the quarter) takes their stage's rate, not their age's).",
                           n=f"{n:,}", total=f"{total:,}", checks=checks))
    return out


def _rep_gaps_notes(ds: Dataset, rep_id: str) -> list[str]:
    """A rep scorecard's part of :func:`_open_gaps_notes`: only what its figures use. The open deals'
    close dates and amounts feed the company's coverage and P(miss), which a scorecard does not show;
    their created dates place a deal in the funnel's created and qualified counts (Maven's 30
    scorecards each opened with "None of the 2,089 open deals carries an expected close date", the
    company's deals)."""
    gaps = open_gaps(ds, rep_id=rep_id)
    n, total = gaps.get("created_date", 0), gaps.get("open", 0)
    if not n:
        return []
    return [Message("{n} of this rep's {total} open deals carry no created date: the funnel's created and "
                    "qualified counts leave them out (when they were created is not known).",
                    n=f"{n:,}", total=f"{total:,}")]


def dropped_note(ds: Dataset, *tables: str, rep_id: str | None = None) -> str:
    """``""``, or a note per table of ``tables`` that its figures leave out the rows the import
    dropped for an empty required value (e.g. the open deals of a CRM export without created
    dates), and read the values it filled with a profile's ``default`` as data; for
    ``opportunities``, also how many open deals carry no close date, amount or created date
    (:func:`open_gaps`). ``rep_id`` (a rep scorecard): the open deals counted are that rep's, and
    only the gaps its figures feel are said (:func:`_rep_gaps_notes`)."""
    d = _dropped_empty(ds)
    f = import_filled(ds)
    parts = []
    for table in tables:
        t = d[(d.table == table) & (d.only == "closed")]
        if len(t):  # drop_if_missing with unless_open: the open deals without it were kept
            parts.append(Message(
                "The import left out {n} closed deal(s) of {table} with an empty {columns} (see the data "
                "overview; the open deals without it are kept): the figures from {table} do not count them.",
                n=f"{int(t.rows.sum()):,}", table=Verbatim(table),
                columns=Verbatim(" / ".join(dict.fromkeys(t.column)))))
        t = d[(d.table == table) & (d.only != "closed")]
        if len(t):
            parts.append(Message(
                "The import left out {n} row(s) of {table} with an empty {columns} (see the data "
                "overview): the figures from {table} do not count them.", n=f"{int(t.rows.sum()):,}",
                table=Verbatim(table), columns=Verbatim(" / ".join(dict.fromkeys(t.column)))))
        for r in f[f.table == table].itertuples():
            parts.append(Message(
                "The import filled {n} empty {column} of {table} with {value}, the profile's default "
                "(see the data overview): the figures read it as data.", n=f"{int(r.rows):,}",
                column=Verbatim(r.column), table=Verbatim(table), value=Verbatim(r.value)))
        if table == "opportunities":
            parts += _open_gaps_notes(ds) if rep_id is None else _rep_gaps_notes(ds, rep_id)
            parts += [n for n in [pipeline_ids_note(ds)] if n]
    return Message.join(" ", parts) if parts else ""


def pipeline_ids_note(ds: Dataset) -> str:
    """``""``, or a warning that the pipelines are named by Salesforce record type ids (the import
    read RecordTypeId, the export having no RecordType.Name: ``pipeline_ids`` in the source's
    ``_import.json``) and how to get their names. Said when there are two or more pipelines, whose
    names the pages show."""
    info = (ds.meta or {}).get("pipeline_ids")
    ids = [str(x) for x in info.get("ids", [])] if isinstance(info, dict) else []
    if len(ids) < 2:
        return ""
    return Message("The {n} pipelines are named by their Salesforce record type ids ({ids}): the export carries "
                   "no record type names. Add RecordType.Name to the opportunities' export and import it again "
                   "to see them named.", n=len(ids), ids=listing(ids, limit=3))
