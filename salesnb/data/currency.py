"""Checks of the currencies of a source: mixed currencies need a reporting currency and rates.

Amounts are converted in the engine by :meth:`salesnb.data.sources.Dataset.table`; these checks make
sure that no amount is summed in the wrong currency: a currency without a rate to the reporting
currency is an error naming the currencies, periods and rows.
"""

from __future__ import annotations

import ibis

from salesnb.data.errors import Problem, row_example, values
from salesnb.data.sources import MONEY_COLUMNS, Dataset, rate_date
from salesnb.i18n import Message, Verbatim, listing

N_EXAMPLES = 5


def currency_problems(ds: Dataset) -> list[Problem]:
    """Errors for amounts that cannot be shown in the reporting currency.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    list of Problem
        ``mixed_currency`` when the data holds several currencies and no ``reporting_currency`` is
        set; ``missing_fx_rate`` per table for rows whose currency has no rate in ``fx_rates`` for
        their month (nor a ``*`` rate); ``fx_rates_other_currency`` when the import recorded its
        rates as converting into another currency than the run's reporting currency.
    """
    cur = ds.currencies()
    if not cur:
        return []
    target = ds.reporting_currency
    if not target:
        tables = [n for n in MONEY_COLUMNS if ds.has(n, "currency")]
        # the rows of each table apart: an order row and a deal row are not the same thing counted
        per = {n: c for n, c in ds.currencies_by_table().items() if c}
        listed = Message.join("; ", [Message("{table}: {currencies}", table=Verbatim(name), currencies=Message.join(
            ", ", [Message("{currency} ({n} rows)", currency=Verbatim(c), n=n) for c, n in by.items()]))
            for name, by in per.items()])
        return [Problem(
            "error", tables[0], "currency", "mixed_currency",
            Message("amounts of {tables} in {n} currencies: {listed}; set the reporting_currency parameter "
                    "(e.g. reporting_currency: CNY) and give an fx_rates table (currency, period, rate) "
                    "so that they can be added up", tables=listing(tables), n=len(cur), listed=listed),
            count=sum(cur.values()), counts=tuple((name, sum(by.values())) for name, by in per.items()),
            source=ds.origin.get(tables[0], ds.spec))]
    if set(cur) <= {target}:
        return []
    fx = (ds.meta or {}).get("fx_rates")
    into = str(fx.get("reporting_currency") or "") if isinstance(fx, dict) else ""
    if into and into != target and ds.has("fx_rates"):
        # the import's rates convert into its reporting currency: read as rates into another, every
        # amount would be off by that currency's rate, without an error
        tables = [n for n in MONEY_COLUMNS if ds.has(n, "currency")]
        return [Problem(
            "error", "fx_rates", "rate", "fx_rates_other_currency",
            Message("the rates in fx_rates convert into {into} (as the import read them), not into {target}, "
                    "the run's reporting currency; import again with reporting_currency: {target} (a --map "
                    "file), or run with reporting_currency {into}", into=Verbatim(into), target=Verbatim(target)),
            count=sum(cur.values()), source=ds.origin.get(tables[0], ds.spec) if tables else ds.spec)]
    problems = []
    for name in MONEY_COLUMNS:
        if not ds.has(name, "currency"):
            continue
        t = ds.with_rates(name)
        t = t.mutate(_row=ibis.row_number() + 1)
        money = [t[c].notnull() for c in MONEY_COLUMNS[name] if c in t.columns]
        bad = t.filter(t._rate.isnull() & ibis.or_(*money)) if money else t.filter(t._rate.isnull())
        n = int(bad.count().execute())
        if not n:
            continue
        key = "order_id" if name == "orders" else "opportunity_id"
        b = bad.mutate(_c=bad.currency.cast("string").strip().upper(),
                       _p=rate_date(bad, name).strftime("%Y-%m"))
        by = b.group_by(["_c", "_p"]).aggregate(n=b.count()).order_by(["_c", "_p"]).execute()
        what = "; ".join(
            f"{c}: {', '.join(g['_p'].astype(str).tolist()[:6])}"
            f"{' …' if len(g) > 6 else ''}" for c, g in by.groupby("_c"))
        ex = (bad.order_by("_row").select(row="_row", key=key, cur="currency")
              .limit(N_EXAMPLES).execute())
        problems.append(Problem(
            "error", name, "currency", "missing_fx_rate",
            Message("no exchange rate to {target} in fx_rates for these currencies and months ({what}); "
                    "add rows (currency, period YYYY-MM or *, rate) to fx_rates", target=Verbatim(target),
                    what=Verbatim(what)), count=n,
            examples=tuple(row_example(r.row, values([(key, r.key), ("currency", r.cur)], ids=[key, "currency"]))
                           for r in ex.itertuples(index=False)),
            source=ds.origin.get(name, ds.spec)))
    return problems
