"""Currency conversion in the engine, the currency display, the as-of date and the automatic month."""

from __future__ import annotations

import pandas as pd
import pytest

from salesnb import fmt
from salesnb.context import month_is_complete, resolve_month
from salesnb.data.currency import currency_problems
from salesnb.data.errors import DataError
from salesnb.data.extract import revenue, stage_order
from salesnb.data.sources import open_folder
from salesnb.data.validate import validate
from tests.conftest import write_tables


def _orders(rows):
    return pd.DataFrame(rows, columns=["order_id", "order_date", "customer_id", "amount", "currency"])


TWO_CURRENCIES = [
    ("O1", "2024-01-10", "C1", 100.0, "CNY"),
    ("O2", "2024-01-20", "C1", 10.0, "USD"),
    ("O3", "2024-02-05", "C2", 20.0, "usd "),
    ("O4", "2024-02-06", "C2", 50.0, "EUR"),
    ("O5", "2024-02-07", "C2", 5.0, ""),
]
RATES = pd.DataFrame({"currency": ["USD", "USD", "EUR"], "period": ["2024-01", "2024-02", "*"],
                      "rate": [7.0, 7.5, 8.0]})


@pytest.fixture
def fx_folder(tmp_path):
    return write_tables({"orders": _orders(TWO_CURRENCIES), "fx_rates": RATES}, tmp_path / "fx")


def test_amounts_converted_in_the_engine(fx_folder):
    ds = open_folder(fx_folder).configure(reporting_currency="CNY")
    o = ds.table("orders").execute().sort_values("order_id")
    # USD at the month's rate, EUR at the * rate, CNY and no currency unchanged
    assert o["amount"].tolist() == pytest.approx([100.0, 70.0, 150.0, 400.0, 5.0])
    assert set(o["currency"]) == {"CNY"}
    assert o["source_currency"].fillna("").str.strip().str.upper().tolist() == [
        "CNY", "USD", "USD", "EUR", ""]
    rev = revenue(ds, freq="M")
    assert rev["revenue"].tolist() == pytest.approx([170.0, 555.0])
    assert currency_problems(ds) == []
    assert not [p for p in validate(ds) if p.severity == "error"]


def test_mixed_currencies_without_reporting_currency_is_an_error(fx_folder):
    ds = open_folder(fx_folder)
    assert ds.reporting_currency == ""
    (p,) = [p for p in validate(ds) if p.kind == "mixed_currency"]
    assert p.severity == "error" and p.table == "orders"
    assert "CNY (1 rows)" in p.message and "EUR (1 rows)" in p.message and "USD (2 rows)" in p.message
    assert "reporting_currency" in p.message


def test_missing_rate_names_currency_month_and_rows(tmp_path):
    rates = RATES[RATES.period != "*"]
    folder = write_tables({"orders": _orders(TWO_CURRENCIES), "fx_rates": rates}, tmp_path / "x")
    ds = open_folder(folder).configure(reporting_currency="CNY")
    (p,) = [p for p in validate(ds) if p.kind == "missing_fx_rate"]
    assert p.count == 1 and "EUR: 2024-02" in p.message
    assert p.examples == ("row 4 (order_id = O4, currency = EUR)",)
    # the unconvertible amount is never summed as if it were CNY
    o = ds.table("orders").execute().set_index("order_id")
    assert pd.isna(o.loc["O4", "amount"])


def test_an_open_deal_without_close_date_or_amount_needs_no_rate_of_an_unknown_month(tmp_path):
    """An open deal may lack its close date and amount (the contract allows it): one without an
    amount needs no rate, and one with an amount but no close date is converted at the rate of the
    month it was created (the close date's month picked the rate, so it was unconvertible and an
    error naming month "None")."""
    opps = pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3"], "customer_id": ["C1", "C1", "C2"], "rep_id": ["R1"] * 3,
        "created_date": ["2024-01-05", "2024-01-06", "2024-02-01"],
        "close_date": ["2024-02-10", None, None], "stage": ["Won", "Open", "Open"],
        "status": ["won", "open", "open"], "amount": [10.0, None, 20.0], "currency": ["USD"] * 3})
    folder = write_tables({"orders": _orders(TWO_CURRENCIES), "fx_rates": RATES, "opportunities": opps,
                           "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["a", "b"]}),
                           "reps": pd.DataFrame({"rep_id": ["R1"], "name": ["r"], "team": ["t"],
                                                 "region": ["x"]})}, tmp_path / "o")
    ds = open_folder(folder).configure(reporting_currency="CNY")
    assert currency_problems(ds) == []
    assert not [p for p in validate(ds) if p.severity == "error"]
    o = ds.table("opportunities").execute().set_index("opportunity_id")
    assert o.loc["D1", "amount"] == pytest.approx(75.0) and o.loc["D3", "amount"] == pytest.approx(150.0)
    assert pd.isna(o.loc["D2", "amount"])


def test_single_currency_is_the_reporting_currency(tmp_path):
    rows = [r for r in TWO_CURRENCIES if r[4].strip().upper() == "USD"]
    ds = open_folder(write_tables({"orders": _orders(rows)}, tmp_path / "usd"))
    assert ds.reporting_currency == "USD" and currency_problems(ds) == []
    # asking for another currency without a rate is an error, not a silent 1:1
    ds.configure(reporting_currency="EUR")
    (p,) = currency_problems(ds)
    assert p.kind == "missing_fx_rate" and p.count == 2


def test_reporting_currency_must_be_a_code(fx_folder):
    with pytest.raises(DataError, match="ISO 4217"):
        open_folder(fx_folder).configure(reporting_currency="yuan")


def test_opportunity_amounts_converted(tmp_path, small_tables):
    opps = small_tables["opportunities"].copy()
    opps["currency"] = ["EUR" if i % 2 else "CNY" for i in range(len(opps))]
    small_tables["opportunities"] = opps
    small_tables["fx_rates"] = pd.DataFrame({"currency": ["EUR"], "period": ["*"], "rate": [8.0]})
    ds = open_folder(write_tables(small_tables, tmp_path / "s")).configure(reporting_currency="CNY")
    got = ds.table("opportunities").execute().set_index("opportunity_id")["amount"]
    want = opps.set_index("opportunity_id")["amount"] * [8.0 if i % 2 else 1.0 for i in range(len(opps))]
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)


@pytest.mark.parametrize(("code", "amount", "label"), [
    ("CNY", "¥1,235", "¥/CNY"), ("USD", "$1,235", "$/USD"), ("EUR", "€1,235", "€/EUR"),
    ("GBP", "£1,235", "£/GBP"), ("CHF", "CHF 1,235", "CHF"), ("", "1,235", ""),
])
def test_currency_display(code, amount, label):
    old = fmt.CURRENCY_CODE, fmt.CURRENCY_SYMBOL
    try:
        fmt.set_currency(code)
        assert fmt.money(1234.6) == amount and fmt.currency_label() == label
    finally:
        fmt.CURRENCY_CODE, fmt.CURRENCY_SYMBOL = old


def test_money_axis_shows_the_currency_in_both_languages():
    from salesnb import viz

    old = fmt.CURRENCY_CODE, fmt.CURRENCY_SYMBOL
    try:
        fmt.set_currency("EUR")
        ax = viz.line(pd.DataFrame({"m": ["2024-01", "2024-02"], "v": [1.0, 2.0]}), x="m", y="v",
                      title="t", xlabel="Month", ylabel="Revenue", money=True)
        assert ax.get_ylabel() == "Revenue (€/EUR)"
        ax2 = viz.new_ax()
        ax2.set_ylabel("净收入")
        viz.money_axis(ax2)
        assert ax2.get_ylabel() == "净收入（€/EUR）"
    finally:
        fmt.CURRENCY_CODE, fmt.CURRENCY_SYMBOL = old


# ------------------------------------------------------------------ as-of and the automatic month
def test_as_of_is_the_latest_date_in_any_table(small_tables, tmp_path):
    last_order = small_tables["orders"]["order_date"].max()
    opps = small_tables["opportunities"].copy()
    later = last_order + pd.Timedelta(days=9)
    opps.loc[0, ["created_date", "close_date", "status", "stage"]] = [later, later + pd.Timedelta(
        days=400), "open", "Prospecting"]  # an open deal's expected close is not data
    small_tables["opportunities"] = opps
    ds = open_folder(write_tables(small_tables, tmp_path / "s"))
    assert ds.as_of == later.normalize()
    # the CRM record created after the last order is no future date
    assert not [p for p in validate(ds) if p.kind == "date_after_as_of"]


def test_as_of_parameter_and_export_date(small_tables, tmp_path):
    folder = write_tables(small_tables, tmp_path / "s")
    ds = open_folder(folder).configure(as_of="2024-03-15")
    assert ds.as_of == pd.Timestamp("2024-03-15")
    assert resolve_month(ds, "auto") == "2024-02"
    # dated rows after it are future dates
    assert [p for p in validate(ds) if p.kind == "date_after_as_of"]
    (folder / "_import.json").write_text('{"as_of": "2024-06-30", "profile": "generic"}')
    ds = open_folder(folder)
    assert ds.as_of == pd.Timestamp("2024-06-30") and resolve_month(ds, "") == "2024-06"
    with pytest.raises(DataError, match="YYYY-MM-DD"):
        ds.configure(as_of="03/01/19")


def test_as_of_and_currency_notes_speak_plain_words(small_tables, tmp_path):
    """00 said "Data as of 2024-03-15: the as_of parameter." and "Set reporting_currency": a
    reader is told what the setting is, the name only follows for whoever sets up the run."""
    from salesnb.data.facts import as_of_note, currency_note

    ds = open_folder(write_tables(small_tables, tmp_path / "s")).configure(as_of="2024-03-15")
    assert as_of_note(ds) == "Data as of 2024-03-15: the date set for this run."
    assert currency_note(ds) == ("The data does not say its currency: amounts are shown without a symbol. Set the "
                                 "run's reporting currency (the reporting_currency parameter) or add a currency "
                                 "column to the data.")


@pytest.mark.parametrize(("as_of", "complete", "country", "want"), [
    ("2026-10-31", "last_day", None, True),
    ("2026-10-30", "last_day", None, False),          # Friday; the 31st is a Saturday
    ("2026-10-30", "last_working_day", None, True),
    ("2026-10-29", "last_working_day", None, False),
    ("2026-12-24", "last_working_day", "GB", False),  # 25th and 28th (Boxing Day observed) off, 31st works
    ("2026-12-31", "last_working_day", "GB", True),
    ("2025-12-31", "last_working_day", None, True),
])
def test_month_is_complete(as_of, complete, country, want):
    assert month_is_complete(as_of, complete=complete, country=country) is want


def test_auto_month_with_working_days(tmp_path):
    rows = [("O1", "2026-09-01", "C1", 1.0, "CNY"), ("O2", "2026-10-30", "C1", 1.0, "CNY")]
    ds = open_folder(write_tables({"orders": _orders(rows)}, tmp_path / "w"))
    assert resolve_month(ds, "auto") == "2026-09"
    assert resolve_month(ds, "auto", complete="last_working_day") == "2026-10"
    with pytest.raises(ValueError, match="last_working_day"):
        resolve_month(ds, "auto", complete="weekday")


def test_stages_table_is_read_from_a_folder(small_tables, tmp_path):
    small_tables["stages"] = pd.DataFrame({
        "stage": ["Negotiation", "Prospecting", "Proposal", "Qualification", "Closed Won",
                  "Closed Lost"],
        "stage_order": [4, 1, 3, 2, 5, 6], "status": ["open"] * 4 + ["won", "lost"]})
    ds = open_folder(write_tables(small_tables, tmp_path / "s"))
    assert ds.has("stages")
    so = stage_order(ds)
    assert so.source == "stages table"
    assert so.open == ["Prospecting", "Qualification", "Proposal", "Negotiation"]
    bad = small_tables["stages"].assign(status=["open"] * 4 + ["won", "closed"])
    ds = open_folder(write_tables({**small_tables, "stages": bad}, tmp_path / "b"))
    assert [p for p in validate(ds) if p.kind == "invalid_value" and p.table == "stages"]


def test_a_closed_deal_s_close_date_after_every_other_date_does_not_move_the_as_of(small_tables, tmp_path):
    """A real Salesforce Data Export (Winkel Media's, taken on 2023-09-01: its last deal created then,
    its last won deal closed on 2023-08-31) holds monthly deals set up ahead and later marked lost with
    their planned close date left (2023-12-15): the data's as-of became 2023-12-15, the pack reported
    November 2023 with "$0 revenue" for three months the export never saw, and the data overview's
    tables ended on 2023-09-01 under "as of 2023-12-15". A closed deal's close date is what the rep
    typed: it counts only up to the latest date the data saw otherwise (orders, deals created, stage
    changes, activities), as an open deal's expected close date does not count at all."""
    last_order = small_tables["orders"]["order_date"].max()
    opps = small_tables["opportunities"].copy()
    created = last_order + pd.Timedelta(days=1)
    opps.loc[0, ["created_date", "close_date", "status", "stage"]] = [
        created, created + pd.Timedelta(days=105), "lost", "Closed Lost"]
    small_tables["opportunities"] = opps
    ds = open_folder(write_tables(small_tables, tmp_path / "s"))
    assert ds.as_of == created.normalize()
    # a close date within the data's dates still counts (the last deal won on the last day)
    opps.loc[0, ["created_date", "close_date"]] = [last_order - pd.Timedelta(days=30), last_order]
    ds = open_folder(write_tables(small_tables, tmp_path / "t"))
    assert ds.as_of == max(last_order, small_tables["opportunities"].created_date.max()).normalize()


def test_mixed_currencies_error_says_which_tables_its_rows_are_in(tmp_path):
    """A real Salesforce export read with the won deals as orders: "orders.currency: amounts in 4
    currencies: COP (129 rows), MXN (277 rows), PEN (130 rows), USD (139 rows) [675 rows]" while
    the orders held 163 rows: the counts were of orders and opportunities together. The message
    now names the tables its rows are in."""
    orders = _orders(TWO_CURRENCIES)
    opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "customer_id": "C1", "rep_id": "R1",
                         "created_date": pd.to_datetime(["2024-01-02"] * 2),
                         "close_date": pd.to_datetime(["2024-01-10"] * 2), "stage": "Won", "status": "won",
                         "amount": [100.0, 10.0], "currency": ["CNY", "USD"]})
    ds = open_folder(write_tables({"orders": orders, "opportunities": opps}, tmp_path / "s"))
    (p,) = [p for p in validate(ds) if p.kind == "mixed_currency"]
    assert p.message.startswith("amounts of orders, opportunities in 3 currencies: orders: CNY (1 rows), "
                                "EUR (1 rows), USD (2 rows); opportunities: CNY (1 rows), USD (1 rows)")
    assert p.count == 6  # 4 orders with a currency, 2 deals
    ds = open_folder(write_tables({"orders": orders}, tmp_path / "t"))
    (p,) = [p for p in validate(ds) if p.kind == "mixed_currency"]
    assert p.message.startswith("amounts of orders in 3 currencies: orders: CNY (1 rows)")


def test_mixed_currencies_finding_counts_order_rows_and_deal_rows_apart(tmp_path):
    """The real Salesforce export without its rates: the finding's Rows was 675, orders (163 won
    deals) and opportunities (512) added up, in the CLI's "[675 rows]" and in page 00's Rows column.
    They are counted apart now, "4 order rows, 2 deal rows", in English and Chinese, and kept so in
    the validation the runner writes for page 00."""
    from salesnb import fmt, i18n
    from salesnb.data.errors import Problem
    from salesnb.data.profile import problems_frame

    opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "customer_id": "C1", "rep_id": "R1",
                         "created_date": pd.to_datetime(["2024-01-02"] * 2),
                         "close_date": pd.to_datetime(["2024-01-10"] * 2), "stage": "Won", "status": "won",
                         "amount": [100.0, 10.0], "currency": ["CNY", "USD"]})
    ds = open_folder(write_tables({"orders": _orders(TWO_CURRENCIES), "opportunities": opps}, tmp_path / "s"))
    (p,) = [p for p in validate(ds) if p.kind == "mixed_currency"]
    assert p.counts == (("orders", 4), ("opportunities", 2))
    assert str(p).endswith("[4 order rows, 2 deal rows]") and "[6 rows]" not in str(p)
    saved = p.as_dict()  # the runner's validation, read by page 00 (in the page's language)
    frame = problems_frame([Problem.from_dict(saved)])
    assert frame["rows"].tolist() == ["4 order rows, 2 deal rows"]
    try:
        i18n.set_lang("zh-CN")
        again = Problem.from_dict(saved)
        assert again.counts == p.counts
        html = fmt.table(problems_frame([again]), int_cols=["rows"],
                         values=["severity", "rows", "message", "examples"]).to_html()
        assert "4 行订单、2 行商机" in html
        assert "orders：CNY（1 行）" in i18n.t(again.message)
    finally:
        i18n.set_lang("en")
    html = fmt.table(frame, int_cols=["rows"], values=["severity", "rows", "message", "examples"]).to_html()
    assert "4 order rows, 2 deal rows" in html


def test_currency_table_counts_each_table_apart(tmp_path):
    """A Salesforce export's 00 read "MXN 277 rows": orders and deals counted together, unsaid.
    The table has one count per table (order lines, deals), most rows first; ds.currencies() still
    adds them up."""
    from salesnb.data import facts

    opps = pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3"], "customer_id": ["C1", "C1", "C2"], "rep_id": ["R1"] * 3,
        "created_date": ["2024-01-05", "2024-01-06", "2024-02-01"],
        "close_date": ["2024-02-10", None, None], "stage": ["Won", "Open", "Open"],
        "status": ["won", "open", "open"], "amount": [10.0, None, 20.0],
        "currency": ["USD", "EUR", "USD"]})
    folder = write_tables({"orders": _orders(TWO_CURRENCIES), "fx_rates": RATES, "opportunities": opps,
                           "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["a", "b"]}),
                           "reps": pd.DataFrame({"rep_id": ["R1"], "name": ["r"], "team": ["t"],
                                                 "region": ["x"]})}, tmp_path / "o")
    ds = open_folder(folder).configure(reporting_currency="CNY")
    t = facts.currency_table(ds)
    assert list(t.columns) == ["currency", "order_lines", "deals"]
    assert t.values.tolist() == [["USD", 2, 2], ["EUR", 1, 1], ["CNY", 1, 0]]
    assert ds.currencies() == {"CNY": 1, "EUR": 2, "USD": 4}
    only_orders = open_folder(write_tables({"orders": _orders(TWO_CURRENCIES), "fx_rates": RATES},
                                           tmp_path / "x")).configure(reporting_currency="CNY")
    assert list(facts.currency_table(only_orders).columns) == ["currency", "order_lines"]


def test_the_currency_table_s_headers_read_in_chinese():
    """Page 00's currency table headed its first column "Currency" on a Chinese page (no
    ``column.currency`` entry: the catalogue test cannot see a header built from a column name)."""
    from salesnb.i18n import col_label

    assert [col_label(c, "zh-CN") for c in ("currency", "order_lines", "deals")] == ["币种", "订单行数", "商机数"]
