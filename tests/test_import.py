"""salesnb import: CRM exports round-trip to the demo's figures; mapping errors say what and where;
the suggester; custom stage lists; the two public real-world files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from salesnb.data.demo import ensure_demo
from salesnb.data.demo_export import CRMS, STAGE_NAMES, export_demo
from salesnb.data.extract import funnel_counts, revenue, small_table, stage_order
from salesnb.data.importing.importer import ImportError_, import_export, load_profile
from salesnb.data.importing.suggest import suggest
from salesnb.data.sources import open_folder
from salesnb.data.validate import validate
from tests.conftest import skip_unless_ci

ROOT = Path(__file__).resolve().parents[1]
SCALE = 0.01


def _realdata() -> Path | None:
    for p in (os.environ.get("SALESNB_REALDATA"), ROOT.parent / "shared" / "realdata",
              Path("/work/shared/realdata")):
        if p and Path(p).is_dir():
            return Path(p)
    return None


def figures(ds) -> dict:
    """The figures an import must keep: monthly revenue, win rate, cycle length, customers, and
    each deal's stage entries (stage position and date: a stage history that kept a change within
    a stage as its entry would make the stage look shorter)."""
    rev = revenue(ds, freq="M")
    o = small_table(ds, "opportunities")
    closed = o[o.status != "open"]
    won = o[o.status == "won"]
    h = small_table(ds, "opportunity_history")
    so = stage_order(ds)
    rank = {s: i for i, s in enumerate(so.open + so.won + so.lost)}
    entries = sorted(zip(h.opportunity_id.map(dict(zip(o.opportunity_id, o.created_date.astype(str)
                                                        + o.amount.astype(str), strict=True))),
                         h.stage.map(rank), h.entered_date.astype(str), strict=True))
    return {
        "entries": entries,
        "revenue": dict(zip(rev.period.dt.strftime("%Y-%m"), rev.revenue.round(2), strict=True)),
        "win_rate": round(float((closed.status == "won").mean()), 6),
        "cycle_days": float((won.close_date - won.created_date).dt.days.median()),
        "customers": int(ds.table("orders").customer_id.nunique().execute()),
        "deals": len(o), "open": int((o.status == "open").sum()),
    }


@pytest.fixture(scope="module")
def demo_figures():
    return figures(open_folder(ensure_demo(scale=SCALE)))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each CRM's export of the small demo, imported (made once per module)."""
    out = {}
    base = tmp_path_factory.mktemp("crm")
    for crm in CRMS:  # Salesforce's report export with its footer lines, as users download it
        export_demo(crm, base / f"{crm}-export", scale=SCALE, footer=crm == "salesforce")
        _, report = import_export(crm, base / f"{crm}-export", base / f"{crm}-source")
        out[crm] = (base / f"{crm}-source", report)
    return out


@pytest.mark.parametrize("crm", CRMS)
def test_crm_export_round_trips_to_the_demo_figures(crm, imported, demo_figures):
    folder, report = imported[crm]
    ds = open_folder(folder)
    assert not [str(p) for p in validate(ds) if p.severity == "error"]
    got = figures(ds)
    assert got == demo_figures
    # the CRM's own stage names, in the demo's order; status from the CRM's own flags or list
    so = stage_order(ds)
    names = STAGE_NAMES[crm]
    want = [names[s] for s in ("Prospecting", "Qualification", "Proposal", "Negotiation")]
    assert so.open == want  # stages of the profile no deal entered are left out
    assert so.won == [names["Closed Won"]] and so.lost == [names["Closed Lost"]]
    assert ds.reporting_currency == "USD"
    assert "rows" in str(report) and "mapped:" in str(report)
    if crm == "salesforce":  # the footer's five non-empty lines, named and counted
        assert "dropped 5 row(s): footer lines after the data ('Grand Totals (" in str(report)
    if crm == "salesforce":  # OpportunityHistory's rows that only push the close date, dropped
        assert "recording a change within a stage (amount, close date, category, ...) dropped" in str(report)
    if crm == "zoho":  # a quarter of the records were booked in CNY at their own Exchange Rate
        assert "in CNY" in str(report) and "converted to USD with each record's Exchange Rate" in (
            str(report))
        assert set(small_table(ds, "opportunities").currency) == {"USD"}


def test_salesforce_forecast_calibration_uses_the_history_not_the_closed_category(imported):
    """Salesforce rewrites a closed deal's ForecastCategoryName to Closed or Omitted; the category it
    carried before closing is in OpportunityHistory.ForecastCategory (API names: Forecast is Commit).
    The import maps it, so the calibration equals the demo's (whose stored category is the one
    before closing); without it every closed deal would be Closed or Omitted."""
    from salesnb import performance as pf
    from salesnb.data.performance_queries import category_history

    def calibration(ds):
        o = small_table(ds, "opportunities")
        cal = pf.forecast_calibration(pf.category_before_close(
            o[o.status != "open"], category_history(ds)))
        return cal[["forecast_category", "deals", "won"]].to_dict("records")

    ds = open_folder(imported["salesforce"][0])
    assert set(small_table(ds, "opportunity_history").forecast_category.dropna()) == {
        "pipeline", "best_case", "commit", "closed", "omitted"}
    assert category_history(ds).attrs["table"] == "forecast_category_history"
    want = calibration(open_folder(ensure_demo(scale=SCALE)))
    assert calibration(ds) == want and sum(r["deals"] for r in want) > 500


def test_category_history_falls_back_to_the_stage_history():
    """Without forecast_category_history (the demo, most CRMs) calibration reads the stage
    history's categories, the frame the caller already has when it gives one (not read again, and
    its attrs untouched)."""
    from salesnb.data.performance_queries import category_history

    ds = open_folder(ensure_demo(scale=SCALE))
    read = category_history(ds)
    assert read.attrs["table"] == "opportunity_history"
    given = small_table(ds, "opportunity_history")
    again = category_history(ds, history=given)
    assert again.attrs["table"] == "opportunity_history" and "table" not in given.attrs
    pd.testing.assert_frame_equal(again, read)


def test_salesforce_category_changed_within_a_stage_counts_for_calibration(imported, tmp_path):
    """A rep moves a deal from Pipeline to Commit without moving its stage, then wins it. The stage
    history keeps the category the stage was entered with (Pipeline); OpportunityHistory's own
    rows keep the change, the import writes them to forecast_category_history, and calibration
    counts the deal as Commit, the rep's last call before the close."""
    from salesnb import performance as pf
    from salesnb.data.performance_queries import category_history

    export = tmp_path / "export"
    shutil.copytree(imported["salesforce"][0].parent / "salesforce-export", export)
    f = next(export.glob("OpportunityHistory*.csv"))
    h = pd.read_csv(f, dtype=str, keep_default_na=False)
    before = open_folder(imported["salesforce"][0])
    o = small_table(before, "opportunities")
    cats = small_table(before, "opportunity_history").groupby("opportunity_id").forecast_category
    pipeline = cats.agg(lambda c: set(c.dropna()) == {"pipeline", "closed"})
    won = o[(o.status == "won") & o.opportunity_id.map(pipeline).fillna(False)]
    deal = won.sort_values("opportunity_id").iloc[0]
    rows = h[h.OpportunityId == deal.opportunity_id]
    last_open = rows[rows.StageName == rows.StageName.iloc[-2]].iloc[-1].copy()
    day = (pd.Timestamp(deal.close_date) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    last_open["CreatedDate"] = day + last_open["CreatedDate"][10:]
    last_open["ForecastCategory"] = "Forecast"
    h = pd.concat([h, last_open.to_frame().T]).sort_values(["OpportunityId", "CreatedDate"],
                                                           kind="stable")
    h.to_csv(f, index=False)
    _, report = import_export("salesforce", export, tmp_path / "source")
    ds = open_folder(tmp_path / "source")
    entries = small_table(ds, "opportunity_history")
    assert set(entries[entries.opportunity_id == deal.opportunity_id].forecast_category.dropna()
               ) <= {"pipeline", "closed"}  # the stage history does not see the change
    o = small_table(ds, "opportunities")
    one = o[o.opportunity_id == deal.opportunity_id]
    assert pf.category_before_close(one, category_history(ds)).forecast_category.iloc[0] == "commit"
    assert pf.category_before_close(one, entries).forecast_category.iloc[0] == "pipeline"


def test_stage_entries_keep_the_row_that_entered_each_stage():
    from salesnb.data.importing.importer import TableReport, stage_entries

    d = pd.to_datetime
    rows = pd.DataFrame({  # deal a: A, a change in A, B, A again, a change in A; deal b: file order
        "opportunity_id": ["a", "a", "a", "a", "a", "b", "b"],
        "stage": ["A", "A", "B", "A", "A", "X", "X"],
        "entered_date": d(["2024-01-01", "2024-01-05", "2024-01-10", "2024-02-01", "2024-02-09",
                           "2024-03-01", "2024-03-01"]),
        "forecast_category": ["pipeline", "best_case", "best_case", "commit", "closed", "p", "q"]})
    trep = TableReport("opportunity_history")
    got = stage_entries(rows.iloc[[4, 2, 0, 3, 1, 5, 6]], trep=trep)  # a's rows out of date order
    assert got[["opportunity_id", "stage", "entered_date", "forecast_category"]].values.tolist() == [
        ["a", "B", d("2024-01-10"), "best_case"], ["a", "A", d("2024-02-01"), "commit"],
        ["b", "X", d("2024-03-01"), "p"]]
    assert trep.converted[0].startswith("3 row(s) recording a change within a stage")
    assert trep.converted[1].startswith("1 earlier entr(y/ies) of a stage")
    with pytest.raises(ImportError_, match="stage_entries needs the columns .*not mapped: entered_date"):
        stage_entries(rows.drop(columns="entered_date"))


def test_stage_entries_is_for_the_stage_history_only(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("name: x\ntables:\n  orders:\n    distinct: stage_entries\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="distinct: stage_entries is for opportunity_history"):
        load_profile(str(bad))
    bad.write_text("name: x\ntables:\n  orders:\n    distinct: last\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="distinct: true, false or stage_entries, not 'last'"):
        load_profile(str(bad))


def _zoho_deals(tmp_path, rates, currencies=("USD", "CNY", "EUR")) -> Path:
    deals = pd.DataFrame({"Record Id": ["1", "2", "3"], "Deal Owner": ["A", "B", "A"],
                          "Created Time": ["01/01/2024 09:00"] * 3,
                          "Closing Date": ["01/02/2024", "02/02/2024", "03/02/2024"],
                          "Stage": ["Closed Won"] * 3, "Amount": ["100.00", "700.00", "90.00"],
                          "Currency": list(currencies), "Exchange Rate": rates})
    orders = pd.DataFrame({"SO Number": ["9"], "Order Date": ["05/01/2024"],
                           "Account Name.id": ["c"], "Total": ["3"]})
    _csv(tmp_path, "Deals.csv", deals)
    _csv(tmp_path, "Sales_Orders.csv", orders)
    return tmp_path


def test_zoho_amounts_convert_with_each_records_exchange_rate(tmp_path):
    export = _zoho_deals(tmp_path, ["1", "7", "0.9"])
    tables, rep = import_export("zoho", export)
    o = tables["opportunities"]
    # "1 USD = 7 CNY": 700 CNY is 100 USD; "1 USD = 0.9 EUR": 90 EUR is 100 USD
    assert o.amount.tolist() == [100.0, 100.0, 100.0] and set(o.currency) == {"USD"}
    assert "2 row(s) in CNY (1), EUR (1) converted to USD" in str(rep)
    # the other quote: the rate is USD per 1 unit of the record's currency
    fix = tmp_path / "fix.yaml"
    fix.write_text("tables:\n  opportunities:\n    exchange_rate: {column: Exchange Rate, "
                   "quote: home_per_record}\n")
    tables, _ = import_export("zoho", export, overrides=fix)
    assert tables["opportunities"].amount.tolist() == [100.0, 4900.0, 81.0]
    # exchange_rate: null keeps each record's currency (fx_rates then converts in the engine)
    fix.write_text("tables:\n  opportunities:\n    exchange_rate: null\n")
    tables, _ = import_export("zoho", export, overrides=fix)
    assert tables["opportunities"].currency.tolist() == ["USD", "CNY", "EUR"]


def test_zoho_exchange_rate_errors_name_file_column_and_rows(tmp_path):
    with pytest.raises(ImportError_, match=r"Deals.csv, column 'Exchange Rate': 1 opportunities "
                       r"record\(s\) in another currency than USD without a positive exchange "
                       r"rate \(data rows \[3\]"):
        import_export("zoho", _zoho_deals(tmp_path, ["1", "7", ""]))
    with pytest.raises(ImportError_, match="cannot tell the home currency.*set the profile's "
                                           "currency"):
        import_export("zoho", _zoho_deals(tmp_path, ["1.1", "7", "0.9"]))


def test_fxiaoke_export_is_chinese_gb18030(imported, tmp_path):
    export = Path(str(imported["fxiaoke"][0]).replace("-source", "-export"))
    raw = (export / "商机.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    head = raw.decode("gb18030").splitlines()[0]
    assert "销售阶段" in head and "商机金额" in head
    _, rep = imported["fxiaoke"]
    assert "gb18030" in str(rep).lower()


def test_salesforce_report_dates_are_month_first(imported):
    export = Path(str(imported["salesforce"][0]).replace("-source", "-export"))
    first = (export / "Orders with Products.csv").read_text().splitlines()[1]
    assert "01/01/2022" in first or "/2022" in first
    # the same file with the generic profile and no format: refused, never read as day-first
    prof = load_profile("generic")
    prof["tables"]["orders"]["file"] = "Orders with Products.csv"
    prof["tables"]["orders"]["columns"] = {"order_id": "Order Number", "customer_id": "Account ID",
                                           "order_date": "Order Start Date", "amount": "Total Price"}
    with pytest.raises(ImportError_, match="Order Start Date.*not ISO"):
        import_export(prof, export)


def test_salesforce_footer_line_that_matches_no_pattern_is_kept_and_fails(imported, tmp_path):
    export = Path(str(imported["salesforce"][0]).replace("-source", "-export"))
    shutil.copytree(export, tmp_path / "sf")
    with open(tmp_path / "sf" / "Orders with Products.csv", "a", encoding="utf-8") as f:
        f.write('"Exported from the EMEA sandbox"\n')  # a last line no pattern names
    tables, rep = import_export("salesforce", tmp_path / "sf", tmp_path / "src")
    assert "footer lines" not in str(rep)  # the block no longer ends the file: nothing is dropped
    o = tables["orders"]
    assert "Exported from the EMEA sandbox" in set(o.order_id)
    errors = [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]
    assert any("order_date" in e for e in errors), errors


# -------------------------------------------------------------------------------- clear errors
def _csv(tmp_path, name, df, **kw) -> Path:
    p = tmp_path / name
    df.to_csv(p, index=False, **kw)
    return p


def test_text_mis_decoded_before_the_export_is_a_check_line_and_a_draft_comment(tmp_path):
    """A UTF-8 file whose text was DOS (cp850) read as Windows cp1252 before it was saved
    (Northwind's "Berguvsv„gen", "Berglunds snabbk”p"): the import and the draft say which file and
    column, how many rows, an example and what it reads as in DOS; the values are imported as they
    are. German quotes „so“ with a space before are no such damage: nothing said."""
    df = pd.DataFrame({"Order ID": ["1", "2", "3"], "Order Date": ["2024-01-02", "2024-01-03", "2024-01-04"],
                       "Customer": ["Berglunds snabbk\u201dp", "Ernst Handel", "Berglunds snabbk\u201dp"],
                       "Amount": ["10", "20", "30"],
                       "Address": ["Berguvsv\u201egen 8", "Kirchgasse 6", "Berguvsv\u201egen 8"]})
    (tmp_path / "bad").mkdir()
    f = _csv(tmp_path / "bad", "orders.csv", df)
    tables, rep = import_export("generic", f)
    assert tables["orders"].customer_id.tolist()[0] == "Berglunds snabbk\u201dp"  # never changed
    checks = [ln for ln in str(rep).splitlines() if "CHECK:" in ln]
    assert len(checks) == 2, checks
    assert checks[0].strip() == (
        "CHECK: orders.csv, column 'Customer': 2 of 3 rows look mis-decoded before this export: DOS text "
        "read as Windows cp1252 (e.g. 'Berglunds snabbk\u201dp', which read as DOS code page 850 or 437 is "
        "'Berglunds snabbk\u00f6p'); imported as they are: correct the text where it was exported from "
        "(a letter cp1252 has no character for, like \u00fc, may be lost outright)")
    assert "column 'Address': 2 of 3 rows" in checks[1]
    text = suggest(f)
    assert "# CHECK: orders.csv, column 'Customer': 2 of 3 rows look mis-decoded" in text
    good = df.assign(Customer=["Caf\u00e9 \u201eZur Post\u201c", "O\u2019Brien", "M\u00fcller"],
                     Address=["Stra\u00dfe 1", "Gen\u00e8ve", "well\u2013known"])
    g = _csv(tmp_path, "orders.csv", good)
    _, rep = import_export("generic", g)
    assert "CHECK" not in str(rep) and "CHECK" not in suggest(g)


def test_unmappable_required_column_names_file_table_and_headers(tmp_path):
    f = _csv(tmp_path, "sales.csv", pd.DataFrame({"Invoice": ["1"], "Day": ["2024-01-02"],
                                                  "Client": ["a"], "Value": ["5"]}))
    with pytest.raises(ImportError_) as e:
        import_export("generic", f)
    msg = str(e.value)
    assert "sales.csv" in msg and "orders.order_id" in msg and "Invoice, Day, Client, Value" in msg


def test_cli_exits_non_zero_with_a_clear_message(tmp_path, capsys):
    from salesnb.cli import main

    f = _csv(tmp_path, "sales.csv", pd.DataFrame({"Order ID": ["1"], "Order Date": ["03/01/19"],
                                                  "Customer ID": ["a"], "Amount": ["5"]}))
    assert main(["import", "generic", str(f), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "ambiguous: 03/01/19 fits %m/%d/%y and %d/%m/%y, say which" in err
    assert not (tmp_path / "out").exists()
    fix = tmp_path / "fix.yaml"
    fix.write_text('tables:\n  orders:\n    columns:\n      order_date: {column: Order Date, '
                   'format: "%d/%m/%y"}\n')
    assert main(["import", "generic", str(f), "--out", str(tmp_path / "out"), "--map",
                 str(fix)]) == 0
    out = capsys.readouterr().out
    assert "order_date: dates %d/%m/%y" in out and "validation: 0 error(s)" in out
    o = pd.read_parquet(tmp_path / "out" / "orders.parquet")
    assert str(o.order_date[0]) == "2019-01-03"


def test_unknown_stage_and_unmapped_values_are_errors(tmp_path):
    deals = pd.DataFrame({"Record ID": ["1", "2"], "Deal owner": ["A", "B"],
                          "Create Date": ["2024-01-01", "2024-01-02"],
                          "Close Date": ["2024-02-01", "2024-03-01"],
                          "Deal Stage": ["Closed Won", "Verbal Yes"], "Amount": ["1", "2"]})
    orders = pd.DataFrame({"Record ID": ["9"], "Create Date": ["2024-01-05"],
                           "Associated Company IDs": ["c"], "Amount": ["3"]})
    _csv(tmp_path, "all-deals.csv", deals)
    _csv(tmp_path, "all-orders.csv", orders)
    with pytest.raises(ImportError_, match="'Verbal Yes' \\(1 row: data row 2\\)"):
        import_export("hubspot", tmp_path)


def test_hubspot_unknown_stage_error_names_the_rows_and_their_pipelines(tmp_path):
    """HubSpot's stage list describes its Sales Pipeline; a deal in a stage it does not name stopped
    the import with the stage alone ("'Renewal Due' are not in the profile's stages list ... add
    them"): not which file, column or rows, nor that the deals were another pipeline's (Renewals),
    whose deals a where filter can leave out. The error now names all of them and both remedies."""
    deals = pd.DataFrame({"Record ID": ["1", "2", "3", "4", "5"],
                          "Pipeline": ["Sales Pipeline", "Renewals", "Renewals", "Sales Pipeline", "Sales Pipeline"],
                          "Deal Stage": ["Closed Won", "Renewal Due", "Renewal Due", "Qualified To Buy", "Verbal Yes"],
                          "Deal owner": "A", "Create Date": "2024-01-01", "Close Date": "2024-02-01",
                          "Amount": ["1", "2", "3", "4", "5"]})
    _csv(tmp_path, "all-deals.csv", deals)
    _csv(tmp_path, "all-orders.csv", pd.DataFrame({"Record ID": ["9"], "Create Date": ["2024-01-05"],
                                                   "Associated Company IDs": ["c"], "Amount": ["3"]}))
    with pytest.raises(ImportError_) as err:
        import_export("hubspot", tmp_path)
    assert str(err.value) == (
        "all-deals.csv, column 'Deal Stage': 3 deals are in stages the profile's stages list does not name, "
        "so their status (open, won or lost) is unknown: 'Renewal Due' (2 rows: data rows 2, 3; pipeline "
        "Renewals), 'Verbal Yes' (1 row: data row 5; pipeline Sales Pipeline). Add each to the profile's "
        "stages list with its status, in its place in its pipeline's order (stages: - {stage: ..., status: "
        "open}); or leave out the deals of a pipeline the list does not describe (Renewals: none of its "
        "deals is in a listed stage): under tables.opportunities, where: [{column: Pipeline, not_in: "
        "[Renewals], reason: another pipeline}]; or give each pipeline its own list (stages: {Sales Pipeline: "
        "[...], Renewals: [...]}) and map its pipeline (columns: pipeline: Pipeline): each pipeline's funnel "
        "is then measured apart")
    # without a pipeline column: the stage, its rows and the stage list to complete
    _csv(tmp_path, "all-deals.csv", deals.drop(columns="Pipeline").iloc[[0, 4]])
    with pytest.raises(ImportError_) as err:
        import_export("hubspot", tmp_path)
    assert str(err.value) == (
        "all-deals.csv, column 'Deal Stage': 1 deal is in a stage the profile's stages list does not name, "
        "so its status (open, won or lost) is unknown: 'Verbal Yes' (1 row: data row 2). Add it to the "
        "profile's stages list with its status, in its place in the pipeline's order (stages: - "
        "{stage: ..., status: open})")
    # a pipeline the profile's where leaves out stops nothing
    (tmp_path / "m.yaml").write_text(
        "tables:\n  opportunities:\n    where: [{column: Pipeline, not_in: [Renewals], reason: another pipeline}]\n",
        encoding="utf-8")
    _csv(tmp_path, "all-deals.csv", deals.iloc[:4])
    tables, rep = import_export("hubspot", tmp_path, overrides=tmp_path / "m.yaml")
    assert tables["opportunities"].opportunity_id.tolist() == ["1", "4"]


def test_suggest_reads_chinese_headers_and_says_what_is_ambiguous(tmp_path):
    df = pd.DataFrame({"订单编号": ["A1", "A2"], "下单日期": ["03/01/24", "04/01/24"],
                       "客户名称": ["华东贸易", "西南商行"], "小计": ["¥1,200.00", "¥300.50"],
                       "备注": ["", "加急"]})
    f = _csv(tmp_path, "订单.csv", df, encoding="gb18030")
    text = suggest(f)
    assert "encoding: gb18030" in text
    assert "order_id: 订单编号" in text and "customer_id: 客户名称" in text and "amount: 小计" in text
    assert "ambiguous: 03/01/24 fits %m/%d/%y and %d/%m/%y, say which" in text
    assert "columns not placed: 备注" in text
    import yaml

    assert yaml.safe_load(text)["tables"]["orders"]["file"] == "订单.csv"


def test_suggest_proposes_dates_and_amounts_by_their_values_when_no_header_is_known(tmp_path):
    """A German export: no header is a known synonym. The one column whose every value is a date
    becomes the order date (with its format), the one whose values are numbers with a decimal
    comma the amount (with the mark), each marked as guessed; ids are not guessed, but every
    unplaced column says how many distinct values it has; the currency mark is named, not used."""
    rows = 40
    df = pd.DataFrame({"Auftragsnummer": [f"A{i:03d}" for i in range(rows)],
                       "Datum": [f"{1 + i % 28:02d}.{1 + i % 12:02d}.2024" for i in range(rows)],
                       "Kunde": [f"K{i % 7}" for i in range(rows)],
                       "Betrag": [f"{1000 + 37 * i:,.2f} €".replace(",", "X").replace(".", ",")
                                  .replace("X", ".") for i in range(rows)]})
    f = _csv(tmp_path, "auftraege.csv", df, encoding="cp1252")
    text = suggest(f)
    import yaml

    spec = yaml.safe_load(text)["tables"]["orders"]["columns"]
    assert spec["order_date"] == {"column": "Datum", "format": "%d.%m.%Y"}
    assert spec["amount"] == {"column": "Betrag", "decimal": ","}
    assert "guessed from its values: check it is the order date" in text
    assert "guessed from its values (a decimal comma): check it is the amount" in text
    assert "# order_id: ???" in text and "# customer_id: ???" in text
    assert "Auftragsnummer (40 distinct in 40 rows)" in text and "Kunde (7 distinct in 40 rows)" in text
    assert "the amounts carry '€': EUR? write it here" in text and yaml.safe_load(text)["currency"] == ""
    # filled in by a human, the draft imports
    filled = (text.replace("      # order_id: ???", "      order_id: Auftragsnummer  #")
              .replace("      # customer_id: ???", "      customer_id: Kunde  #")
              .replace('currency: ""', "currency: EUR"))
    (tmp_path / "draft.yaml").write_text(filled, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "draft.yaml"), f)
    assert tables["orders"].amount.iloc[1] == pytest.approx(1037.0) and len(tables["orders"]) == rows
    assert tables["orders"].currency.unique().tolist() == ["EUR"]


def test_suggest_derives_the_amount_from_quantity_and_unit_price(tmp_path):
    """Online Retail's shape: no amount column, a quantity and a unit price (which is never an
    amount by itself): the draft multiplies them, with a note to check."""
    df = pd.DataFrame({"InvoiceNo": ["1", "2"], "StockCode": ["a", "b"], "Quantity": ["3", "4"],
                       "InvoiceDate": ["2024-01-05", "2024-01-06"], "UnitPrice": ["2.5", "1.25"],
                       "CustomerID": ["c1", "c2"], "Steuer": ["0.4", "0.2"]})  # a number, not the amount
    text = suggest(_csv(tmp_path, "retail.csv", df))
    assert "amount: {derive: {multiply: [Quantity, UnitPrice]}}" in text
    assert "UnitPrice (2 distinct in 2 rows)" in text


def test_suggest_says_when_the_customer_id_is_one_per_order(tmp_path):
    """Olist's customer_id is one per order (the person is customer_unique_id in another file):
    imported as it is, nobody ever buys twice. The draft says so on the customer line, for a single
    orders file and for the orders file joined to dateless lines; customers who come back, or
    a handful of orders, get no note."""
    n = 120
    df = pd.DataFrame({"order_id": [f"o{i}" for i in range(n)], "customer_id": [f"k{i}" for i in range(n)],
                       "order_date": ["2024-01-05"] * n, "amount": ["10.5"] * n})
    note = "one id per order (120 distinct in 120 orders): if it names orders, not people"
    for d in "abcd":
        (tmp_path / d).mkdir()
    text = suggest(_csv(tmp_path / "a", "orders.csv", df))
    assert [ln for ln in text.splitlines() if ln.strip().startswith("customer_id:")][0].endswith(
        note + ", map the person's id (e.g. customer_unique_id), or nobody ever buys twice")
    again = df.assign(customer_id=[f"k{i % 40}" for i in range(n)])
    assert note.split(":")[0] not in suggest(_csv(tmp_path / "b", "orders.csv", again))
    assert "one id per order" not in suggest(_csv(tmp_path / "c", "orders.csv", df.head(20)))
    lines = pd.DataFrame({"order_id": df.order_id, "order_item_id": "1", "product_id": "p1", "price": "10.5"})
    folder = tmp_path / "d"
    _csv(folder, "order_items.csv", lines)
    _csv(folder, "orders.csv", df.drop(columns=["amount"]))
    draft = suggest(folder)
    assert "join: [{file: orders.csv, key: order_id}]" in draft and note in draft


def test_suggest_lists_the_candidates_instead_of_choosing_between_two(tmp_path):
    df = pd.DataFrame({"Nr": ["1", "2"], "Erstellt": ["2024-01-05", "2024-02-05"],
                       "Geliefert": ["2024-01-09", "2024-02-11"], "Kunde": ["a", "b"],
                       "Betrag": ["10.5", "20"], "Menge": ["3.5", "4"]})
    text = suggest(_csv(tmp_path, "export.csv", df))
    assert "# order_date: ???   # required: no header matched; dates in Erstellt, Geliefert: name the one" in text
    assert "# amount: ???   # required: no header matched; numbers in Nr, Betrag, Menge: name the one" in text


def test_rows_a_where_filter_drops_leave_every_other_row_its_own_values(tmp_path):
    """A ``where`` filter (Salesforce's IsDeleted, an order status) drops rows in the middle of the
    file: every kept row keeps its own date and amount. Parsed columns came back numbered from 0
    and were assigned to the filtered rows by label, so each row after the first one dropped got its
    neighbour's date and amount, and the last rows none."""
    df = pd.DataFrame({"Order No": ["1", "2", "3", "4", "5", "6"],
                       "Order Date": ["1/15/24 0:00", "2/16/24 0:00", "3/17/24 0:00", "4/18/24 0:00",
                                      "5/19/24 0:00", "6/20/24 13:30"],
                       "Customer": list("abcdef"), "Sales": ["10", "20", "30", "40", "50", "60"],
                       "Status": ["Shipped", "Cancelled", "Shipped", "Cancelled", "Shipped", "On Hold"]})
    f = _csv(tmp_path, "orders.csv", df)
    text = suggest(f)
    assert "order_date: {column: Order Date, format: '%m/%d/%y %H:%M'}" in text  # a time after the date
    assert "# Status has 3 values: Shipped 3, Cancelled 2, On Hold 1." in text
    assert "#   - {column: Status, not_in: [Cancelled], reason: not a sale}" in text
    prof = {"name": "t", "currency": "USD", "tables": {"orders": {
        "file": "orders.csv", "where": [{"column": "Status", "not_in": ["Cancelled"], "reason": "not a sale"}],
        "columns": {"order_id": "Order No", "order_date": {"column": "Order Date", "format": "%m/%d/%y %H:%M"},
                    "customer_id": "Customer", "amount": "Sales"}}}}
    tables, report = import_export(prof, f, tmp_path / "src")
    o = tables["orders"]
    assert o.order_id.tolist() == ["1", "3", "5", "6"]
    assert o.amount.tolist() == [10.0, 30.0, 50.0, 60.0]
    assert o.order_date.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-15", "2024-03-17", "2024-05-19",
                                                             "2024-06-20"]
    assert o.customer_id.tolist() == ["a", "c", "e", "f"]
    assert "dropped 2 row(s): not a sale" in str(report)
    assert not [p for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_cancelled_orders_imported_as_sales_are_said_in_the_draft_and_the_import(tmp_path):
    """Kaggle's sample sales data: 60 Cancelled lines (SALES 194,487.48). The draft named the values
    and commented a filter, but not what each status weighs; an import from the draft as written
    said only "not used: STATUS" and counted them as revenue without a word."""
    df = pd.DataFrame({"Order No": ["1", "2", "3", "4"], "Order Date": ["2024-01-15"] * 4,
                       "Customer": list("abcd"), "Sales": ["10", "20.5", "30", "40"],
                       "Status": ["Shipped", "Cancelled", "On Hold", "Cancelled"]})
    f = _csv(tmp_path, "orders.csv", df)
    text = suggest(f)
    assert "    # Sales by Status: Cancelled 60.50, Shipped 10.00, On Hold 30.00." in text
    assert ("    # Every row is imported as a sale, whatever its status: Cancelled says it is not one (uncomment "
            "the filter below); decide for On Hold: add to not_in each that is not a sale.") in text
    prof = {"name": "t", "currency": "USD", "tables": {"orders": {"file": "orders.csv", "columns": {
        "order_id": "Order No", "order_date": "Order Date", "customer_id": "Customer", "amount": "Sales"}}}}
    tables, report = import_export(prof, f, tmp_path / "src")
    assert len(tables["orders"]) == 4
    assert ("CHECK: Status is not used: 2 row(s) say Cancelled and are imported as sales; leave them out "
            "with where: [{column: Status, not_in: [Cancelled], reason: not a sale}]") in str(report)
    prof["tables"]["orders"]["where"] = [{"column": "Status", "not_in": ["Cancelled"], "reason": "not a sale"}]
    assert "CHECK" not in str(import_export(prof, f, tmp_path / "src2")[1])
    # the rows the filter left out are recorded for the data overview, which a leader reads
    from salesnb.data import facts

    kept_out = facts.import_filtered(open_folder(tmp_path / "src2"))
    assert kept_out.to_dict("records") == [{"table": "orders", "reason": "not a sale", "rows": 2}]
    assert facts.import_filtered(open_folder(tmp_path / "src")).empty


def _pipeline_export(folder: Path, n: int = 400, seed: int = 5) -> Path:
    """A CRM export of deals only, shaped like Maven Analytics' public "CRM Sales Opportunities":
    sales_pipeline.csv (opportunity_id, sales_agent, product, account, deal_stage, engage_date,
    close_date, close_value), accounts.csv, products.csv and sales_teams.csv. Won and Lost deals are
    complete; an Engaging deal has no close date nor value, a Prospecting one no engage date either."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    agents = [f"Agent {i}" for i in range(8)]
    pd.DataFrame({"sales_agent": agents, "manager": ["Ann Boss", "Bo Chief"] * 4,
                  "regional_office": ["East", "West"] * 4}).to_csv(folder / "sales_teams.csv", index=False)
    pd.DataFrame({"product": ["GTX Basic", "MG Special", "GTK 500"], "series": ["GTX", "MG", "GTK"],
                  "sales_price": [550, 55, 26768]}).to_csv(folder / "products.csv", index=False)
    pd.DataFrame({"account": [f"Acct {i}" for i in range(20)], "sector": ["retail", "medical"] * 10,
                  "year_established": 1990, "revenue": 100.5, "employees": 50,
                  "office_location": ["United States", "Kenya"] * 10}).to_csv(folder / "accounts.csv", index=False)
    rows = []
    for i in range(n):
        stage = rng.choice(["Won", "Lost", "Engaging", "Prospecting"], p=[.5, .3, .15, .05])
        engage = pd.Timestamp("2016-10-20") + pd.Timedelta(days=int(rng.integers(0, 400)))
        # as in Maven's file: engaged from 2016-10, closed from 2017-03 to the end of 2017
        close = min(max(engage + pd.Timedelta(days=int(rng.integers(1, 120))), pd.Timestamp("2017-03-01")),
                    pd.Timestamp("2017-12-31"))
        closed = stage in ("Won", "Lost")
        rows.append({"opportunity_id": f"OP{i:04d}", "sales_agent": agents[i % 8],
                     "product": ["GTX Basic", "MG Special", "GTK 500"][i % 3],
                     "account": f"Acct {i % 20}" if closed or i % 2 else "", "deal_stage": stage,
                     "engage_date": "" if stage == "Prospecting" else f"{engage:%Y-%m-%d}",
                     "close_date": f"{close:%Y-%m-%d}" if closed else "",
                     "close_value": str(int(rng.integers(50, 5000))) if stage == "Won" else "0" if closed else ""})
    pd.DataFrame(rows).to_csv(folder / "sales_pipeline.csv", index=False)
    return folder


def test_suggest_says_engage_date_stands_in_for_creation_and_what_each_remedy_costs(tmp_path):
    """Maven has no created date: the draft mapped created_date from engage_date without a word, and
    offered drop_if_missing or a default for the deals without one with no word on what either costs
    the reports. The created_date line now says engage_date stands in for creation and what that
    changes; the open deals' gaps are kept, each remedy with what it would remove or invent."""
    export = _pipeline_export(tmp_path / "export")
    text = suggest(export)
    raw = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    n_pro = int((raw.deal_stage == "Prospecting").sum())
    n_eng = int((raw.deal_stage == "Engaging").sum())
    line = _draft_line(text, "opportunities", "created_date")
    assert line.startswith("      created_date: engage_date   # engage_date is the date the deal was engaged, used "
                           "as a stand-in for its creation (the export has no created date): deal ages and cycle "
                           "lengths start at engagement")
    opp = text.split("  opportunities:")[1].split("    columns:")[0]
    assert (f"#   drop_if_missing: [created_date] leaves out {n_pro} of {len(raw)} rows: it removes {n_pro} open "
            f"deals (Prospecting {n_pro}) from the pipeline, its expected revenue and P(miss), and the stage "
            "counts (no deal left in Prospecting)") in opp
    assert (f"#   drop_if_missing: [close_date] or [amount] leaves out {n_pro + n_eng} of {len(raw)} rows: it "
            f"removes {n_pro + n_eng} open deals") in opp
    assert "#     a default created_date: deal ages, cycle lengths and the stalled-deal check count from the " \
        "invented date" in opp
    assert "#     a default amount: the pipeline's value (expected revenue, P(miss), coverage)" in opp
    # a created date proper is no stand-in
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for f in export.iterdir():
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        df.rename(columns={"engage_date": "created_date"}).to_csv(renamed / f.name, index=False)
    assert "stand-in" not in _draft_line(suggest(renamed), "opportunities", "created_date")
    # a won deal without a created date still fails the validation: the remedy says what it removes;
    # the open deals an open deal may leave it empty are kept (unless_open)
    raw.loc[raw.index[raw.deal_stage == "Won"][:2], "engage_date"] = ""
    raw.to_csv(export / "sales_pipeline.csv", index=False)
    opp = suggest(export).split("  opportunities:")[1].split("    columns:")[0]
    assert "    # drop_if_missing: {columns: [created_date], unless_open: true}\n" in opp
    assert (f"    #   unless_open keeps the {n_pro} open deals without created_date (an open deal may leave it "
            "empty): only won and lost deals are dropped") in opp
    assert (f"#   dropping them leaves out 2 of {len(raw)} rows: it removes 2 won or lost deals from the win "
            "rates, deal sizes and cycle lengths") in opp


def test_suggest_says_how_it_reads_dates_with_a_two_digit_year(tmp_path):
    """Kaggle's sample sales data writes ``2/24/03 0:00``: month first, a two-digit year. The draft
    chose ``%m/%d/%y %H:%M`` without a word; it now says how it read them (an example, the years
    that come out, and the value day/month cannot read), so a reader sees 2003, not 0003 or 2103."""
    df = pd.DataFrame({"ORDERNUMBER": ["1", "2", "3"], "ORDERDATE": ["1/6/03 0:00", "2/24/03 0:00", "5/31/05 0:00"],
                       "CUSTOMERNAME": ["a", "b", "c"], "SALES": ["10", "20", "30"]})
    text = suggest(_csv(tmp_path, "sales.csv", df))
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("order_date:"))
    assert line.endswith("order_date: {column: ORDERDATE, format: '%m/%d/%y %H:%M'}   # read as month/day/"
                         "two-digit year: 1/6/03 0:00 is 2003-01-06; 2003-01-06 to 2005-05-31; "
                         "day/month cannot read 2/24/03 0:00")
    iso = suggest(_csv(tmp_path, "iso.csv", df.assign(ORDERDATE=["2003-01-06", "2003-02-24", "2005-05-31"])))
    assert "order_date: ORDERDATE\n" in iso  # ISO dates need no format and no word


def test_suggest_says_how_it_reads_dates_it_found_by_their_values(tmp_path):
    """A date column no header names is proposed from its values; it said "guessed from its values"
    but not how it read them, while a named one says month/day/two-digit year with an example: the
    guessed one now says the same."""
    df = pd.DataFrame({"Nummer": ["1", "2", "3"], "Zeitpunkt": ["1/6/03 0:00", "2/24/03 0:00", "5/31/05 0:00"],
                       "CUSTOMERNAME": ["a", "b", "c"], "SALES": ["10", "20", "30"]})
    text = suggest(_csv(tmp_path, "sales.csv", df))
    assert _draft_line(text, "orders", "order_date") == (
        "      order_date: {column: Zeitpunkt, format: '%m/%d/%y %H:%M'}   # guessed from its values: check it "
        "is the order date; read as month/day/two-digit year: 1/6/03 0:00 is 2003-01-06; 2003-01-06 to "
        "2005-05-31; day/month cannot read 2/24/03 0:00")


def test_suggest_says_how_it_reads_the_dates_of_a_joined_orders_file(tmp_path):
    """Order lines whose date is in an orders file joined to them (Olist's shape): the joined date
    column said nothing of how its dates are read, nor that two formats fit; it now says as much as
    a date column of the lines' own file would."""
    (tmp_path / "x").mkdir()
    _csv(tmp_path / "x", "order_items.csv", pd.DataFrame({"order_id": ["1", "1", "2"], "product_id": ["p", "q", "p"],
                                                          "quantity": ["1", "2", "1"], "price": ["5", "6", "7"]}))
    orders = pd.DataFrame({"order_id": ["1", "2"], "order_date": ["1/6/03 0:00", "2/24/03 0:00"],
                           "customer_id": ["a", "b"]})
    _csv(tmp_path / "x", "orders.csv", orders)
    assert _draft_line(suggest(tmp_path / "x"), "orders", "order_date") == (
        "      order_date: {column: order_date, format: '%m/%d/%y %H:%M'}   # read as month/day/two-digit year: "
        "1/6/03 0:00 is 2003-01-06; 2003-01-06 to 2003-02-24; day/month cannot read 2/24/03 0:00")
    _csv(tmp_path / "x", "orders.csv", orders.assign(order_date=["03/01/24", "04/01/24"]))
    assert _draft_line(suggest(tmp_path / "x"), "orders", "order_date") == (
        "      order_date: order_date   # ambiguous: 03/01/24 fits %m/%d/%y and %d/%m/%y, say which")


def test_suggest_for_an_export_of_deals_only(tmp_path):
    """No orders file: the draft reads the won deals as the sales, places the accounts, products and
    teams files as lists, lists the stages with the status their names say, and names the empty
    required values of the open deals. Filled in as the draft says, it imports and validates, and
    what was dropped is kept for the pages to say."""
    export = _pipeline_export(tmp_path / "export")
    text = suggest(export)
    assert "# no orders file: each won deal is a sale on its close date" in text
    assert "where: [{column: deal_stage, in: [Won], reason: not a won deal}]" in text
    orders = text.split("  orders:")[1].split("  customers:")[0]
    for line in ("order_id: opportunity_id", "order_date: close_date", "customer_id: account",
                 "amount: close_value", "rep_id: sales_agent", "product_id: product"):
        assert line in orders
    assert "file: accounts.csv" in text.split("  customers:")[1].split("  products:")[0]
    assert "industry: sector" in text and "name: account   # the customer id doubles as the name" in text
    assert "category: series" in text and "list_price: sales_price" in text
    assert "team: manager   # each manager's reps as a team: check" in text
    assert "region: regional_office" in text
    assert "looks like orders too" not in text
    assert "  - {stage: Won, status: won}" in text and "  - {stage: Lost, status: lost}" in text
    assert "  - {stage: Engaging, status: open}" in text and "  - {stage: Prospecting, status: open}" in text
    assert "close_date: close_date   # empty in" in text and "(Engaging " in text
    # an open deal may lack its close date, amount and created date (the contract allows it): no
    # remedy the validation needs; the Prospecting deals' empty engage date is kept
    for col in ("close_date: close_date", "amount: close_value", "created_date: engage_date"):
        assert _draft_line(text, "opportunities", col.split(":")[0]).endswith(
            "open deals only, which may leave it empty (the pages say what they cannot check without it)")
    assert "fail the validation" not in text and "    # drop_if_missing:" not in text
    pipe = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    prospecting = pipe[pipe.deal_stage == "Prospecting"]
    # as drafted (a currency): written and valid, every open deal kept
    prof = tmp_path / "deals.yaml"
    prof.write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    kept, _ = import_export(str(prof), export, tmp_path / "as_drafted")
    assert not [str(p) for p in validate(open_folder(tmp_path / "as_drafted")) if p.severity == "error"]
    assert int(kept["opportunities"].created_date.isna().sum()) == len(prospecting)
    # a user who drops them anyway: the pages say what was dropped
    filled = (text.replace('currency: ""', "currency: USD")
              .replace("    file: sales_pipeline.csv\n    # open deals",
                       "    file: sales_pipeline.csv\n    drop_if_missing: [created_date]\n    # open deals"))
    prof.write_text(filled, encoding="utf-8")
    tables, report = import_export(str(prof), export, tmp_path / "src")
    ds = open_folder(tmp_path / "src")
    assert not [str(p) for p in validate(ds) if p.severity == "error"]
    # the dropped rows' line names every required value they lack, not only the first
    assert (f"dropped {len(prospecting)} row(s): no created_date (also without close_date, amount)"
            in str(report))
    o = tables["orders"]
    raw = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    won = raw[raw.deal_stage == "Won"]
    assert sorted(o.order_id) == sorted(won.opportunity_id)
    assert o.amount.sum() == pytest.approx(won.close_value.astype(float).sum())
    # the Engaging deals are kept, open, without a close date or amount
    opp = tables["opportunities"]
    engaging = opp[opp.stage == "Engaging"]
    assert len(engaging) == int((raw.deal_stage == "Engaging").sum()) and set(engaging.status) == {"open"}
    assert engaging.close_date.isna().all() and engaging.amount.isna().all()
    assert len(tables["customers"]) == 20 and len(tables["reps"]) == 8 and len(tables["products"]) == 3
    from salesnb.data import facts

    dropped = facts.import_dropped(ds)
    assert int(dropped[dropped.table == "opportunities"].rows.sum()) == len(prospecting)
    note = facts.dropped_note(ds, "opportunities")
    assert note.startswith(f"The import left out {len(prospecting):,} row(s) of opportunities with an empty ")
    # and what the kept open deals lack, which the pipeline checks cannot count
    assert (f"None of the {len(engaging)} open deals carries an expected close date: the slipped-deal check"
            in note) and f"None of the {len(engaging)} open deals carries an amount" in note
    assert facts.dropped_note(ds, "orders") == ""
    # the stage no kept deal is in is left out because the import dropped its deals, not because none entered it
    stages_note = next(n for n in report.notes if n.startswith("stages of the profile"))
    assert f"the {len(prospecting):,} deal(s) the import dropped may have been in them" in stages_note


def test_open_deals_without_a_created_date_count_in_the_pipeline_not_in_the_checks_by_age(tmp_path):
    """Maven's 53 Prospecting deals have no engage_date, the draft's created date: the import had to drop
    them or invent a date. Kept as the contract now allows, they are in the pipeline as of the data's
    date (without an age), their P(won within the quarter) is their stage's (not the oldest age band's),
    they are not in the snapshots the age rates learn from, and the pages' warning says so with the count."""
    from salesnb.data import facts
    from salesnb.data import risk_queries as rq
    from salesnb.i18n import t
    from salesnb.risk import pipeline as rp

    export = _pipeline_export(tmp_path / "export", n=300)
    prof = tmp_path / "deals.yaml"
    prof.write_text(suggest(export).replace('currency: ""', "currency: USD"), encoding="utf-8")
    import_export(str(prof), export, tmp_path / "src")
    ds = open_folder(tmp_path / "src")
    raw = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    n_pro, n_open = int((raw.deal_stage == "Prospecting").sum()), int((~raw.deal_stage.isin(["Won", "Lost"])).sum())
    deals = rq.open_deals(ds, at=ds.as_of)
    assert len(deals) == n_open and int(deals.age_days.isna().sum()) == n_pro
    assert set(deals.loc[deals.age_days.isna(), "stage"]) == {"Prospecting"}
    # before the data's date, when an undated deal started is not known: left out
    # the stage counts of a window reaching the data's date hold them; an earlier window's do not
    from salesnb.data import extract

    first = extract.funnel_counts(ds, by=(), start="2017-01-01", end="2018-01-01").reached.iloc[0]
    dated = extract.funnel_counts(ds, by=(), start="2017-01-01", end="2017-12-31").reached.iloc[0]
    created = pd.to_datetime(raw.engage_date, errors="coerce")
    assert first == int(created.between("2017-01-01", "2017-12-31").sum()) + n_pro
    assert dated == int(((created >= "2017-01-01") & (created < "2017-12-31")).sum())
    assert extract.funnel_counts(ds, by=()).reached.iloc[0] == len(raw)
    past = rq.open_deals(ds, at=ds.as_of - pd.Timedelta(days=60))
    assert len(past) and past.age_days.notna().all() and not (past.stage == "Prospecting").any()
    rates = pd.DataFrame({"stage": [np.nan, "Prospecting", "Prospecting", "Prospecting"],
                          "age_band": [-1, -1, 0, 5], "deals": 10, "wins": 1, "rate": [0.3, 0.2, 0.25, 0.01]})
    p = rp.win_within_probability(pd.DataFrame({"stage": ["Prospecting"] * 2, "age_days": [np.nan, 10.0]}), rates)
    assert list(p) == [0.2, 0.25]  # no age: the stage's rate, not the oldest band's 0.01
    note = facts.dropped_note(ds, "opportunities")
    want = (f"{n_pro} of the {n_open} open deals carry no created date, so no age: they count in the pipeline and "
            "the stage counts, but not in the checks by age (stalled deals, cycle lengths; P(won within the "
            "quarter) takes their stage's rate, not their age's).")
    assert want in note
    assert f"{n_open} 个未结商机中有 {n_pro} 个没有创建日期" in t(note, "zh-CN")
    assert "停滞商机、销售周期" in t(note, "zh-CN")


def test_a_profile_default_is_said_recorded_and_warned_of(tmp_path, capsys):
    """A ``default:`` fills empty cells with a value the export did not hold (Maven's open deals given
    a close date): it was applied silently, and the pages read the invented dates as data ("Slipped
    deals: none"). The import now prints a line (column, rows, value), records it in _import.json,
    and the data overview's table and every page reading the table warn of it, in both languages."""
    import json

    from salesnb import i18n
    from salesnb.cli import main
    from salesnb.data import facts

    export = _pipeline_export(tmp_path / "export", n=120)
    text = suggest(export).replace('currency: ""', "currency: USD").replace(
        "      created_date: engage_date", "      created_date: {column: engage_date, default: 2017-12-31}")
    prof = tmp_path / "p.yaml"
    prof.write_text(text, encoding="utf-8")
    assert main(["import", str(prof), str(export), "--out", str(tmp_path / "src")]) == 0
    n = int((pd.read_csv(export / "sales_pipeline.csv", dtype=str).deal_stage == "Prospecting").sum())
    assert f"    filled {n:,} empty created_date with 2017-12-31 (the profile's default): the pages read it as data" \
        in capsys.readouterr().out
    meta = json.loads((tmp_path / "src" / "_import.json").read_text(encoding="utf-8"))
    assert meta["filled_default"] == [{"table": "opportunities", "column": "created_date", "rows": n,
                                       "value": "2017-12-31"}]
    ds = open_folder(tmp_path / "src")
    assert facts.import_filled(ds).to_dict("records") == meta["filled_default"]
    note = facts.dropped_note(ds, "orders", "opportunities")
    assert note.startswith(f"The import filled {n} empty created_date of opportunities with 2017-12-31, the "
                           "profile's default (see the data overview): the figures read it as data. None of the ")
    assert i18n.t(note, "zh-CN").startswith(f"导入时把 opportunities 中 {n} 个空的 created_date 填为配置文件的默认值")
    assert i18n.t(facts.filled_note(ds), "zh-CN").startswith(f"导入时用配置文件的默认值填入了 {n} 个空值")
    # without a default, nothing is said
    assert facts.filled_note(open_folder(_write_minimal(tmp_path / "plain"))) == ""


def _write_minimal(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"order_id": ["1"], "order_date": ["2024-01-05"], "customer_id": ["c"],
                  "amount": [1.0]}).to_csv(folder / "orders.csv", index=False)
    return folder


def test_a_where_reason_the_draft_writes_is_shown_in_the_page_language(tmp_path):
    """The draft's reason "not a won deal" was printed in English on the Chinese data overview: a
    reason the draft or a built-in profile writes is a message, a user's own reason stays as written."""
    from salesnb import fmt, i18n
    from salesnb.data import facts

    folder = _write_minimal(tmp_path / "src")
    (folder / "_import.json").write_text(
        '{"dropped_filtered": [{"table": "orders", "rows": 3, "reason": "not a won deal"}, '
        '{"table": "orders", "rows": 2, "reason": "Testkunden"}]}', encoding="utf-8")
    kept_out = facts.import_filtered(open_folder(folder))
    assert list(kept_out.reason) == ["not a won deal", "Testkunden"]
    i18n.set_lang("zh-CN")
    try:
        html = fmt.table(kept_out, int_cols=["rows"], values=["reason"]).to_html()
    finally:
        i18n.set_lang("en")
    assert "非赢单商机" in html and "Testkunden" in html and "not a won deal" not in html


def test_an_export_folder_reads_its_own_data_files_only(tmp_path):
    """A README.txt beside the CSVs became the orders file, and a subfolder's files were candidates
    too (an old export kept inside): only the CSV/TSV/XLSX files of the folder itself are read."""
    from salesnb.data.importing.importer import _files

    export = _pipeline_export(tmp_path / "export", n=40)
    (export / "README.txt").write_text("Maven Analytics\nCRM Sales Opportunities\n", encoding="utf-8")
    (export / "old").mkdir()
    (export / "old" / "orders.csv").write_text("order_id,order_date,customer_id,amount\n1,2017-01-01,a,5\n",
                                               encoding="utf-8")
    assert sorted(f.name for f in _files(export)) == ["accounts.csv", "products.csv", "sales_pipeline.csv",
                                                      "sales_teams.csv"]
    text = suggest(export)
    assert "README" not in text and "old/" not in text
    assert "    file: sales_pipeline.csv" in text.split("  orders:")[1].split("\n  customers:")[0]


def test_a_data_dictionary_beside_the_data_is_not_drafted_as_a_table(tmp_path):
    """Maven's download ships data_dictionary.csv (Table, Field, Description): the draft took it for
    the orders file, so the won deals were no longer read as the sales. It is now named as a data
    dictionary and left out."""
    export = _pipeline_export(tmp_path / "export", n=40)
    pd.DataFrame({"Table": ["accounts", "sales_pipeline"], "Field": ["account", "close_value"],
                  "Description": ["Company name", "Revenue from the deal"]}).to_csv(
        export / "data_dictionary.csv", index=False)
    text = suggest(export)
    assert "# no orders file: each won deal is a sale on its close date" in text
    assert "file: data_dictionary.csv" not in text
    assert ("# data_dictionary.csv: a data dictionary (Table, Field, Description: what the other files' "
            "columns mean), not data: not mapped") in text
    # beside an orders file too (not offered as a lookup list to join)
    other = tmp_path / "orders_export"
    other.mkdir()
    _write_minimal(other)
    (other / "data_dictionary.csv").write_bytes((export / "data_dictionary.csv").read_bytes())
    assert "# data_dictionary.csv: a data dictionary (Table, Field, Description" in suggest(other)


def test_a_header_line_of_empty_names_is_a_clear_error(tmp_path):
    """A file without its header line (the first deal read as the header, its empty close date and
    value two columns without a name) crashed --suggest with "Buffer has wrong number of dimensions"."""
    from salesnb.cli import main

    f = tmp_path / "x" / "headerless.csv"
    f.parent.mkdir()
    f.write_text("B00UMAV4,Kami Bicknell,MG Advanced,Gogozoom,Engaging,2016-12-26,,\n"
                 "9N55D1AH,Niesha Huffines,MG Advanced,Treequote,Won,2016-12-26,2017-03-02,3841\n",
                 encoding="utf-8")
    from salesnb.data.importing.parsing import ParseError, read_any

    with pytest.raises(ParseError, match=r"headerless.csv: 2 columns of the header have no name \(columns 7, 8\)"):
        read_any(f)
    assert main(["import", "--suggest", str(f.parent)]) == 1


def test_a_table_exported_month_by_month_is_read_as_one(tmp_path):
    """Twelve monthly files with the same columns (``Sales_January_2019.csv`` …), each repeating its
    header inside the data where the exports were glued together: the draft reads them with one
    ``files:`` pattern, the import stacks them and drops the repeated header lines, counted; files
    whose columns differ stop it, naming both."""
    export = tmp_path / "export"
    export.mkdir()
    cols = ["Order ID", "Product", "Quantity Ordered", "Price Each", "Order Date", "Purchase Address"]
    n = 0
    for m, month in enumerate(["January", "February", "March"], 1):
        rows = []
        for i in range(10):
            rows.append([str(1000 + n), "Cable", "2", "11.95", f"{m:02d}/{i + 13}/19 10:{i:02d}", f"{i} Main St"])
            n += 1
            if i == 4:
                rows.append(cols)  # the header again, inside the data
        pd.DataFrame(rows, columns=cols).to_csv(export / f"Sales_{month}_2019.csv", index=False)
    (export / "notes.csv").write_text("note,author\nhello,me\n", encoding="utf-8")
    text = suggest(export)
    assert "    files: Sales_*_2019.csv   # 3 files with the same columns, read as one table" in text
    assert "order_date: {column: Order Date, format: '%m/%d/%y %H:%M'}" in text
    filled = text.replace('currency: ""', "currency: USD").replace(
        "      # customer_id: ???   # required: no header matched, name it", "      customer_id: Purchase Address")
    prof = tmp_path / "p.yaml"
    prof.write_text(filled, encoding="utf-8")
    tables, report = import_export(str(prof), export, tmp_path / "src")
    o = tables["orders"]
    assert len(o) == 30 and o.order_id.nunique() == 30
    assert o.amount.sum() == pytest.approx(30 * 2 * 11.95)
    assert "dropped 3 row(s): lines repeating the header" in str(report)
    assert "3 files (Sales_February_2019.csv … Sales_March_2019.csv)" in str(report)
    pd.DataFrame([["1", "x"]], columns=["Order ID", "Product"]).to_csv(export / "Sales_April_2019.csv", index=False)
    with pytest.raises(ImportError_, match="Sales_February_2019.csv: its columns differ from Sales_April_2019.csv"):
        import_export(str(prof), export, tmp_path / "src2")


def _drafted_from_lines(tmp_path, export, table: str, lines) -> dict:
    """The draft of ``export`` reads ``table`` from the order lines with ``lines`` among its
    columns, and imports as written (with a currency): the imported tables."""
    text = suggest(export)
    section = text.split(f"  {table}:")[1]
    assert "    from_table: orders\n    distinct: true" in section
    for line in lines:
        assert line in section
    prof = tmp_path / "p.yaml"
    prof.write_text(text.replace('currency: ""', "currency: EUR"), encoding="utf-8")
    return import_export(str(prof), export, tmp_path / "src")[0]


def test_suggest_reads_customers_from_order_lines_that_carry_their_attributes(tmp_path):
    """One file of order lines naming each customer's country and segment (Kaggle's sample sales,
    Superstore): the draft adds a customers table read from the lines, one row per customer, so the
    segmentation by attribute has something to segment; lines without such columns add none."""
    df = pd.DataFrame({"Order ID": ["1", "2", "3"], "Order Date": ["2024-01-05", "2024-02-05", "2024-03-05"],
                       "Customer ID": ["c1", "c2", "c1"], "Customer Name": ["Ann", "Bo", "Ann"],
                       "Sales": ["10", "20", "30"], "Country": ["France", "Japan", "France"],
                       "Segment": ["Corporate", "Consumer", "Corporate"]})
    f = _csv(tmp_path, "lines.csv", df)
    tables = _drafted_from_lines(tmp_path, f, "customers", ("customer_id: Customer ID", "name: Customer Name",
                                                             "region: Country", "customer_type: Segment"))
    c = tables["customers"].set_index("customer_id")
    assert c.loc["c1", "name"] == "Ann" and c.loc["c2", "region"] == "Japan" and len(c) == 2
    bare = _csv(tmp_path, "bare.csv", df.drop(columns=["Country", "Segment"]))
    assert "  customers:" not in suggest(bare)


def _olist_export(folder: Path) -> Path:
    """Olist's layout (Kaggle's Brazilian e-commerce data), small: lines, orders, customers, products."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"], "customer_id": ["k1", "k2", "k3", "k4"],
                  "order_status": ["delivered", "canceled", "delivered", "shipped"],
                  "order_purchase_timestamp": ["2017-10-02 10:56:33", "2017-11-05 08:00:00",
                                               "2018-01-15 12:00:00", "2018-02-01 09:30:00"],
                  "order_estimated_delivery_date": ["2017-10-18 00:00:00"] * 4,
                  }).to_csv(folder / "olist_orders_dataset.csv", index=False)
    pd.DataFrame({"order_id": ["o1", "o1", "o2", "o3", "o4"], "order_item_id": ["1", "2", "1", "1", "1"],
                  "product_id": ["p1", "p2", "p1", "p2", "p3"], "seller_id": ["s1"] * 5,
                  "shipping_limit_date": ["2017-10-06 11:07:15"] * 5,
                  "price": ["58.90", "10.00", "99.00", "20.50", "7.25"], "freight_value": ["13.29"] * 5,
                  }).to_csv(folder / "olist_order_items_dataset.csv", index=False)
    # k1 and k3 are the same person on two orders
    pd.DataFrame({"customer_id": ["k1", "k2", "k3", "k4"], "customer_unique_id": ["u1", "u2", "u1", "u4"],
                  "customer_zip_code_prefix": ["01409"] * 4, "customer_city": ["sao paulo"] * 4,
                  "customer_state": ["SP", "RJ", "SP", "MG"]}).to_csv(folder / "olist_customers_dataset.csv",
                                                                    index=False)
    pd.DataFrame({"product_id": ["p1", "p2", "p3"], "product_category_name": ["perfumaria", "", "esporte_lazer"],
                  "product_weight_g": ["225", "1000", "154"]}).to_csv(folder / "olist_products_dataset.csv",
                                                                      index=False)
    return folder


def test_olist_lines_join_their_orders_and_customers(tmp_path):
    """Olist keeps a line's price in one file and its order's date, status and customer in another,
    and the person behind a customer_id in a third: the example profile joins them by key. A canceled
    order is left out; the same person on two orders is one customer; a product without a category
    says so."""
    export = _olist_export(tmp_path / "olist")
    # the draft finds the lines' date in the orders file and joins it (the lines come first)
    draft = suggest(export)
    orders = draft.split("  orders:")[1].split("  customers:")[0]
    assert "file: olist_order_items_dataset.csv" in orders
    assert "join: [{file: olist_orders_dataset.csv, key: order_id}]" in orders
    assert "order_date: {column: order_purchase_timestamp" in orders and "amount: price" in orders
    assert "line_no: order_item_id" in orders and "shipping_limit_date, format" not in orders
    assert "#   - {column: order_status, not_in: [canceled], reason: not a sale}" in orders
    tables, report = import_export(str(ROOT / "examples" / "profiles" / "olist.yaml"), export, tmp_path / "src")
    o = tables["orders"].sort_values(["order_id", "line_no"])
    assert o.order_id.tolist() == ["o1", "o1", "o3", "o4"]
    assert o.amount.tolist() == [58.9, 10.0, 20.5, 7.25]
    assert o.customer_id.tolist() == ["u1", "u1", "u1", "u4"] and o.region.tolist() == ["SP", "SP", "SP", "MG"]
    assert o.order_date.dt.strftime("%Y-%m-%d").tolist() == ["2017-10-02", "2017-10-02", "2018-01-15", "2018-02-01"]
    assert o.category.tolist() == ["perfumaria", "(no category)", "(no category)", "esporte_lazer"]
    assert set(o.currency) == {"BRL"} and len(tables["customers"]) == 2
    text = str(report)
    assert "joined olist_orders_dataset.csv on order_id: 5 of 5 rows matched" in text
    assert "joined olist_customers_dataset.csv on customer_id: 5 of 5 rows matched" in text
    assert "dropped 1 row(s): canceled or unavailable orders" in text
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]
    # a joined file must hold one row per key
    c = pd.read_csv(export / "olist_customers_dataset.csv", dtype=str)
    pd.concat([c, c.iloc[[0]]]).to_csv(export / "olist_customers_dataset.csv", index=False)
    with pytest.raises(ImportError_, match=r"join olist_customers_dataset.csv on 'customer_id': 1 key value\(s\) "
                                           r"appear more than once \(e.g. 'k1'\)"):
        import_export(str(ROOT / "examples" / "profiles" / "olist.yaml"), export, tmp_path / "src2")


def test_hubspot_without_commerce_orders_reads_the_won_deals_as_sales(tmp_path):
    """Sales Hub without Commerce exports deals, companies and users, no orders: the profile's
    alternative reads each won deal as a sale on its close date, and says so."""
    export_demo("hubspot", tmp_path / "hs", scale=SCALE)
    (tmp_path / "hs" / "all-orders.csv").unlink()
    tables, report = import_export("hubspot", tmp_path / "hs", tmp_path / "src")
    deals = pd.read_csv(tmp_path / "hs" / "all-deals.csv", dtype=str)
    won = deals[deals["Deal Stage"] == "Closed Won"]
    o = tables["orders"]
    assert sorted(o.order_id) == sorted(won["Record ID"])
    assert o.amount.sum() == pytest.approx(won.Amount.str.replace(",", "").astype(float).sum())
    assert "read as the profile's alternative from all-deals.csv (each won deal is a sale" in str(report)
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntables:\n  orders:\n    file: a.csv\n    otherwise: b.csv\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="otherwise: a table's second way"):
        import_export(str(bad), tmp_path / "hs")


def _two_pipeline_deals(folder):
    """A HubSpot deals export (no orders) with deals in two pipelines, Sales Pipeline and Renewals."""
    folder.mkdir()
    _csv(folder, "all-deals.csv", pd.DataFrame({
        "Record ID": ["1", "2", "3", "4"], "Pipeline": ["Sales Pipeline", "Renewals", "Renewals", "Sales Pipeline"],
        "Deal Stage": ["Closed Won", "Renewal: Closed won", "Renewal Due", "Closed Lost"],
        "Amount": ["100", "40", "30", "20"], "Close Date": "2024-03-01 00:00", "Create Date": "2024-01-02 00:00",
        "Deal owner": "Ann", "Associated Company IDs": "c1"}))


def test_hubspot_deals_only_reads_the_won_deals_of_every_pipeline_as_sales(tmp_path):
    """Sales Hub without Commerce, deals in two pipelines: with the second pipeline's stages added to
    the profile (Renewal: Closed won is won), its won deals are won deals, but the sales read from the
    deals kept only the stage named Closed Won: the renewals' revenue was dropped as "not a won deal".
    The sales are now the deals in any stage the profile's list says is won (stage_status: won)."""
    _two_pipeline_deals(tmp_path / "hs")
    (tmp_path / "m.yaml").write_text(
        "stages:\n  - {stage: Appointment Scheduled, status: open}\n  - {stage: Renewal Due, status: open}\n"
        "  - {stage: Closed Won, status: won}\n  - {stage: 'Renewal: Closed won', status: won}\n"
        "  - {stage: Closed Lost, status: lost}\n", encoding="utf-8")
    tables, report = import_export("hubspot", tmp_path / "hs", overrides=tmp_path / "m.yaml")
    assert sorted(tables["orders"].order_id) == ["1", "2"] and tables["orders"].amount.sum() == 140
    assert "dropped 2 row(s): not a won deal" in str(report)


def test_a_where_filter_with_an_unknown_key_stops_the_import(tmp_path):
    """A where condition with a key the importer does not know (not_in misspelt notin) kept every
    row without a word: it now stops, naming the key and the known ones."""
    f = _csv(tmp_path, "sales.csv", pd.DataFrame({"Order ID": ["1", "2"], "Date": ["2024-01-02"] * 2,
                                                  "Customer": ["a", "b"], "Amount": ["5", "6"],
                                                  "Status": ["Shipped", "Cancelled"]}))
    prof = load_profile("generic")
    prof["tables"]["orders"]["where"] = [{"column": "Status", "notin": ["Cancelled"], "reason": "not a sale"}]
    with pytest.raises(ImportError_, match=r"sales.csv: where: unknown key\(s\) notin \(known: column, deal_status, in, "
                                           r"not_in, reason, stage_status; column is required\)"):
        import_export(prof, f)


# ----------------------------------------------------------------------- custom stage lists
@pytest.mark.parametrize("n_stages", [4, 9])
def test_funnel_on_a_custom_pipeline(tmp_path, n_stages):
    """A pipeline of the company's own stages: order from the profile, funnel counts known."""
    stages = [f"S{i} {name}" for i, name in enumerate(
        ["Lead", "Call", "Demo", "Trial", "Quote", "Legal", "Board", "PO", "Signed"][:n_stages])]
    rng = np.random.default_rng(n_stages)
    deals, hist = [], []
    reached = rng.integers(1, n_stages + 1, 200)           # stages each deal entered
    for i, k in enumerate(reached):
        d0 = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(i))
        status = "won" if k == n_stages and i % 2 == 0 else ("lost" if i % 3 == 0 else "open")
        for j in range(k):
            hist.append({"Deal": f"D{i}", "Stage": stages[j],
                         "Entered": (d0 + pd.Timedelta(days=5 * j)).strftime("%Y-%m-%d")})
        stage = {"won": "Won", "lost": "Lost"}.get(status, stages[k - 1])
        if status != "open":
            hist.append({"Deal": f"D{i}", "Stage": stage,
                         "Entered": (d0 + pd.Timedelta(days=5 * k)).strftime("%Y-%m-%d")})
        deals.append({"Deal": f"D{i}", "Owner": "R1", "Created": d0.strftime("%Y-%m-%d"),
                      "Close": (d0 + pd.Timedelta(days=5 * k)).strftime("%Y-%m-%d"),
                      "Stage": stage, "Amount": "1000"})
    _csv(tmp_path, "deals.csv", pd.DataFrame(deals))
    _csv(tmp_path, "history.csv", pd.DataFrame(hist))
    _csv(tmp_path, "orders.csv", pd.DataFrame({"Order": ["O1"], "Date": ["2024-01-05"],
                                               "Customer": ["C1"], "Amount": ["10"]}))
    prof = {"name": "own", "tables": {
        "orders": {"file": "orders.csv", "columns": {"order_id": "Order", "order_date": "Date",
                                                     "customer_id": "Customer",
                                                     "amount": "Amount"}},
        "opportunities": {"file": "deals.csv", "columns": {
            "opportunity_id": "Deal", "rep_id": "Owner", "created_date": "Created",
            "close_date": "Close", "stage": "Stage", "amount": "Amount"}},
        "opportunity_history": {"file": "history.csv", "columns": {
            "opportunity_id": "Deal", "stage": "Stage", "entered_date": "Entered"}}},
        # listed out of alphabetical order on purpose: the list's order is the pipeline's
        "stages": [*({"stage": s, "status": "open"} for s in stages),
                   {"stage": "Won", "status": "won"}, {"stage": "Lost", "status": "lost"}]}
    import_export(prof, tmp_path, tmp_path / "src")
    ds = open_folder(tmp_path / "src")
    so = stage_order(ds)
    assert so.source == "stages table" and so.open == stages
    assert so.won == ["Won"] and so.lost == ["Lost"]
    f = funnel_counts(ds, by=(), stages=so.open)
    got = f[f.stage.isin(stages)].set_index("stage")["reached"].reindex(stages)
    want = [int((reached >= j + 1).sum()) for j in range(n_stages)]
    assert got.tolist() == want


# ----------------------------------------------------------------------------- real data
REAL = [("superstore", "superstore", 10194, 804), ("online_retail", "online_retail", 29943, 3621)]


@pytest.fixture(scope="module")
def real_sources(tmp_path_factory):
    src = _realdata()
    if src is None:
        skip_unless_ci("../shared/realdata is missing")
    out = {}
    for name, folder, _, _ in REAL:
        work = tmp_path_factory.mktemp(name)
        shutil.copytree(src / folder, work / "export")      # /work/shared is read-only
        for f in (work / "export").iterdir():
            f.chmod(0o644)
        _, rep = import_export(str(ROOT / "examples" / "profiles" / f"{name}.yaml"),
                               work / "export", work / "source")
        out[name] = (work / "source", rep)
    return out


@pytest.mark.parametrize(("name", "folder", "lines", "customers"), REAL)
def test_real_exports_import_and_validate(real_sources, name, folder, lines, customers):
    path, rep = real_sources[name]
    ds = open_folder(path)
    assert not [str(p) for p in validate(ds) if p.severity == "error"]
    assert int(ds.table("orders").count().execute()) == lines
    assert int(ds.table("orders").customer_id.nunique().execute()) == customers
    if name == "superstore":
        # DD/MM/YY as stated: 2019-01-03 .. 2022-12-30, never the year 0003
        o = ds.table("orders")
        lo, hi = o.order_date.min().execute(), o.order_date.max().execute()
        assert (str(lo)[:10], str(hi)[:10]) == ("2019-01-03", "2022-12-30")
        assert ds.reporting_currency == "USD" and str(ds.as_of.date()) == "2022-12-30"
    else:
        assert ds.reporting_currency == "GBP"
        assert "dropped 10057 row(s): no customer_id" in str(rep)
        ids = ds.table("orders").order_id.execute()
        assert ids.str.startswith("C").any() and ids.str.fullmatch(r"\d{6}").any()


@pytest.mark.slow
@pytest.mark.parametrize("name", [r[0] for r in REAL])
def test_real_exports_data_overview(real_sources, name, tmp_path):
    from salesnb.report.runner import EXIT_OK, run

    lines: list[str] = []
    res = run("auto", overrides=[f"source={real_sources[name][0]}"], only=["00_data_overview"],
              jobs=1, out=tmp_path / "reports", progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    page = (res.path / "00_data_overview.html").read_text()
    assert ("$/USD" if name == "superstore" else "£/GBP") in page or res.notebooks[0].status == "ok"


def _whole_pack(source: Path, tmp_path: Path) -> tuple[object, list[str]]:
    from salesnb.report.runner import run

    lines: list[str] = []
    res = run("auto", overrides=[f"source={source}"], jobs=2, out=tmp_path / "reports",
              progress=lines.append)
    return res, lines


@pytest.mark.slow
@pytest.mark.extended
def test_superstore_whole_pack(real_sources, tmp_path):
    """Four years of a US retailer's order lines: every notebook runs to the end."""
    from salesnb.report.runner import EXIT_OK

    res, lines = _whole_pack(real_sources["superstore"][0], tmp_path)
    assert res.exit_code == EXIT_OK, lines
    assert len(res.notebooks) >= 7 and all(r.status == "ok" for r in res.notebooks), lines


@pytest.mark.slow
@pytest.mark.extended
def test_online_retail_whole_pack(real_sources, tmp_path):
    """13 months of history (a company that adopted its CRM last year): every notebook runs to the end."""
    from salesnb.report.runner import EXIT_OK

    res, lines = _whole_pack(real_sources["online_retail"][0], tmp_path)
    assert res.exit_code == EXIT_OK, lines
    assert all(r.status == "ok" for r in res.notebooks), lines


@pytest.mark.slow
def test_whole_pack_on_an_imported_crm_export(imported, tmp_path):
    from salesnb.report.runner import EXIT_OK, run

    lines: list[str] = []
    res = run("2026-10", overrides=[f"source={imported['fxiaoke'][0]}"], jobs=2,
              out=tmp_path / "reports", progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    assert len(res.notebooks) >= 7 and all(r.status == "ok" for r in res.notebooks), lines


@pytest.mark.slow
def test_whole_pack_on_an_export_of_deals_only(tmp_path):
    """Every deal won or lost (the open ones dropped at import, for want of a close date): every
    notebook runs to the end, and the pages say what they cannot measure instead of crashing (stage
    conversion), blaming a missing table (P(miss)) or publishing a retention over a base year the
    data does not cover; the goal decomposition no longer fails on a fiscal year with no month left
    to forecast (sales from 2017-03 to 2017-12, as in Maven's file)."""
    from salesnb.report.runner import EXIT_OK

    export = _pipeline_export(tmp_path / "export", n=600)
    # the user drops every open deal (the draft keeps them: see the next tests)
    text = suggest(export).replace('currency: ""', "currency: USD").replace(
        "    file: sales_pipeline.csv\n    # open deals",
        "    file: sales_pipeline.csv\n    drop_if_missing: [created_date, close_date, amount]\n    # open deals")
    (tmp_path / "deals.yaml").write_text(text, encoding="utf-8")
    import_export(str(tmp_path / "deals.yaml"), export, tmp_path / "src")
    res, lines = _whole_pack(tmp_path / "src", tmp_path)
    assert res.exit_code == EXIT_OK, lines
    assert len(res.notebooks) >= 7 and all(r.status == "ok" for r in res.notebooks), lines
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "reports" / "2017-12").glob("*.html")}
    assert "no open stage is known: stage-to-stage conversion has nothing to measure" in pages[
        "02_performance_review"]
    assert "there is no pipeline to weigh, so P(miss) is skipped" in pages["05_risk_monitoring"]
    assert "No won or lost deals before the as-of date" not in pages["05_risk_monitoring"]
    for nb in ("02_performance_review", "05_risk_monitoring"):
        assert "The import left out" in pages[nb] and "row(s) of opportunities with an empty" in pages[nb]
    assert "so nobody bought in the earlier year: NRR and GRR skipped" in pages["04_customer_segmentation"]
    # the fiscal year began before the first sale and ends with the data: nothing left to forecast,
    # and no plan (FY2016 is not in the data), so no word on when a target "is checked"
    assert "FY2016 is not in the data (it starts in 2017-03)" in pages["01_goal_decomposition"]
    assert "after FY2017 began" not in pages["01_goal_decomposition"]
    assert "Rows the import left out" in pages["00_data_overview"]


@pytest.mark.slow
def test_pages_on_a_deals_only_export_that_keeps_its_open_deals(tmp_path):
    """Maven's open deals have no close date nor amount; the import had to drop them all (or invent
    values), and the pages then said "there is no pipeline" and "Slipped deals: none". Kept open as
    the contract now allows, with the Prospecting deals' empty created date filled by a default:
    00 lists the filled values with a warning, 02 and 05 warn of them and of the open deals' gaps,
    05 says the slipped deals cannot be checked, 02's cycle censors the open deals."""
    from salesnb.report.runner import EXIT_OK, run

    export = _pipeline_export(tmp_path / "export", n=300)
    text = suggest(export).replace('currency: ""', "currency: USD").replace(
        "      created_date: engage_date", "      created_date: {column: engage_date, default: 2017-12-31}")
    (tmp_path / "deals.yaml").write_text(text, encoding="utf-8")
    import_export(str(tmp_path / "deals.yaml"), export, tmp_path / "src")
    raw = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    n_open = int((~raw.deal_stage.isin(["Won", "Lost"])).sum())
    n_filled = int((raw.engage_date == "").sum())
    lines: list[str] = []
    res = run("auto", overrides=[f"source={tmp_path / 'src'}"], jobs=2, out=tmp_path / "reports",
              only=["00_data_overview", "02_performance_review", "05_risk_monitoring"], progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "reports" / "2017-12").glob("*.html")}
    assert "Values the import filled in (the profile&#x27;s default)" in pages["00_data_overview"] or \
        "Values the import filled in (the profile's default)" in pages["00_data_overview"]
    for nb in ("02_performance_review", "05_risk_monitoring"):
        assert f"The import filled {n_filled} empty created_date of opportunities with 2017-12-31" in pages[nb]
        assert f"None of the {n_open} open deals carries an expected close date" in pages[nb]
    risk = pages["05_risk_monitoring"]
    assert "Slipped deals: cannot be checked: the open deals carry no close date." in risk
    assert "there is no pipeline to weigh" not in risk and "Slipped deals: none" not in risk
    assert f"{n_open} open deals censored" in pages["02_performance_review"]


def test_docs_list_every_builtin_profile_as_shipped():
    from salesnb.data.importing.importer import BUILTIN, PROFILE_KEYS, TABLE_KEYS, profile_markdown

    doc = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for name in BUILTIN:
        assert profile_markdown(load_profile(name)) in doc, (
            f"regenerate the {name} section of docs/import.md from profile_markdown()")
    for key in PROFILE_KEYS | TABLE_KEYS:
        assert f"{key}:" in doc, f"docs/import.md does not describe the profile field {key!r}"


def test_canonical_xlsx_with_a_mixed_id_column_opens_as_a_source(tmp_path):
    orders = pd.DataFrame({"order_id": [536365, "C536379", 536366],
                           "order_date": pd.to_datetime(["2010-12-01", "2010-12-01", "2010-12-02"]),
                           "customer_id": ["17850", "17850", "13047"], "amount": [15.3, -4.2, 22.0]})
    folder = tmp_path / "src"
    folder.mkdir()
    orders.to_excel(folder / "orders.xlsx", index=False)
    ds = open_folder(folder)
    assert not [p for p in validate(ds) if p.severity == "error"]
    assert sorted(ds.table("orders").order_id.execute()) == ["536365", "536366", "C536379"]


def test_demo_footer_is_for_the_salesforce_export_only(tmp_path, capsys):
    from salesnb.cli import main

    assert main(["demo", "--as", "zoho", "--footer", str(tmp_path / "z")]) == 2
    assert "--footer is for --as salesforce" in capsys.readouterr().err
    with pytest.raises(ValueError, match="only the salesforce export"):
        export_demo("hubspot", tmp_path / "h", scale=SCALE, footer=True)


def test_salesforce_close_dates_expected_then_come_from_the_opportunity_history(imported):
    """OpportunityHistory keeps every close date a deal had (CloseDate on each change row), so a past
    month's open deals carry the close date expected then and P(miss) is computed from them. They
    are the demo's own (its close_date_history, written into the export), and without that table
    (most CRMs' exports) they are unknown."""
    from salesnb.data import risk_queries as rq

    folder = imported["salesforce"][0]
    at = pd.Timestamp("2025-11-30")
    deals = rq.open_deals(open_folder(folder), at=at)
    assert deals.attrs["close_dates_known"] is True and len(deals) > 20
    h = pd.read_csv(folder.parent / "salesforce-export" / "OpportunityHistory.csv", encoding="latin-1")
    h["day"] = pd.to_datetime(h.CreatedDate).dt.tz_localize(None).dt.normalize()
    then = h[h.day <= at].sort_values("day", kind="stable").groupby("OpportunityId").CloseDate.last()
    got = deals.set_index("opportunity_id").close_date.dt.strftime("%Y-%m-%d")
    assert got.to_dict() == then.reindex(got.index).to_dict()
    final = small_table(open_folder(folder), "opportunities").set_index("opportunity_id").close_date
    assert (pd.to_datetime(got) != pd.to_datetime(final.reindex(got.index))).sum() > 5  # pushed since
    demo = rq.open_deals(open_folder(ensure_demo(scale=SCALE)), at=at)
    assert demo.attrs["close_dates_known"] is True
    number = lambda ids: pd.Index(ids).str.extract(r"(\d+)\D*$")[0].astype(int).to_numpy()  # noqa: E731
    assert dict(zip(number(got.index), got, strict=True)) == dict(zip(
        number(demo.opportunity_id), demo.close_date.dt.strftime("%Y-%m-%d"), strict=True))
    assert rq.open_deals(open_folder(imported["zoho"][0]), at=at).attrs["close_dates_known"] is False
    assert rq.risk_inputs(open_folder(folder), as_of=at).close_dates_known is True  # P(miss) uses them


def test_an_open_deal_without_a_close_date_leaves_the_close_dates_expected_then_known(small_tables, tmp_path):
    """With a close_date_history, a past month's open deals carry the close dates expected then. An
    open deal that never had a close date (the contract allows it) has no history row and an empty
    recorded date: that was read as "rows only after the month", and every deal's close date was
    blanked (P(miss) then refused the month)."""
    from salesnb.data import risk_queries as rq
    from tests.conftest import write_tables

    o = small_tables["opportunities"].copy()
    at = pd.Timestamp("2024-03-31")
    o = o.astype({"close_date": object})
    lacking = o.index[(o.status == "open") & (pd.to_datetime(o.created_date) <= at)][0]
    o.loc[lacking, "close_date"] = None
    small_tables["opportunities"] = o
    has = o.drop(index=lacking)
    small_tables["close_date_history"] = pd.DataFrame({
        "opportunity_id": has.opportunity_id, "changed_date": has.created_date, "close_date": has.close_date})
    ds = open_folder(write_tables(small_tables, tmp_path / "src"))
    assert not [p for p in validate(ds) if p.severity == "error"]
    deals = rq.open_deals(ds, at=at)
    assert deals.attrs["close_dates_known"] is True
    got = deals.set_index("opportunity_id").close_date
    assert pd.isna(got[o.opportunity_id[lacking]]) and got.drop(o.opportunity_id[lacking]).notna().all()


def _lines(tmp_path, discount, **extra) -> Path:
    df = pd.DataFrame({"OrderID": ["1", "1", "2", "3"], "ProductID": ["a", "b", "a", "c"],
                       "OrderDate": ["2024-01-05"] * 4, "UnitPrice": ["10", "20", "10", "4.5"],
                       "Quantity": ["2", "1", "5", "10"], "CustomerID": ["k1", "k1", "k2", "k3"],
                       "Discount": discount, **extra})
    return _csv(tmp_path, "order_details.csv", df)


def _import_lines(tmp_path, f, derive: str):
    (tmp_path / "p.yaml").write_text(
        "name: lines\nextends: generic\ncurrency: USD\ntables:\n  orders:\n    file: order_details.csv\n"
        "    columns:\n      order_id: OrderID\n      customer_id: CustomerID\n      product_id: ProductID\n"
        "      order_date: OrderDate\n      quantity: Quantity\n"
        f"      amount: {{derive: {derive}}}\n", encoding="utf-8")
    return import_export(str(tmp_path / "p.yaml"), f)


def test_a_line_discount_is_taken_off_the_amount_as_a_fraction_or_a_percent(tmp_path):
    """Northwind's and BikeStores' lines: revenue is unit price × quantity × (1 − discount). The
    discount is a fraction (0.05, or a text "5%") or, declared, a number of percent; an empty
    discount is none, and the import report says how many lines were discounted."""
    f = _lines(tmp_path, ["0.05", "0", "", "25%"])
    tables, report = _import_lines(tmp_path, f, "{multiply: [Quantity, UnitPrice], discount: Discount}")
    assert tables["orders"].amount.tolist() == pytest.approx([19.0, 20.0, 50.0, 33.75])
    assert "amount less Discount (fraction): 2 of 4 rows discounted, 5%–25%" in "\n".join(report.lines())
    f = _lines(tmp_path, ["5", "0", "", "25%"])
    tables, _ = _import_lines(tmp_path, f, "{multiply: [Quantity, UnitPrice], discount_percent: Discount}")
    assert tables["orders"].amount.tolist() == pytest.approx([19.0, 20.0, 50.0, 33.75])
    # the option may come first: YAML mappings have no order a user should have to know
    tables, _ = _import_lines(tmp_path, f, "{discount_percent: Discount, multiply: [Quantity, UnitPrice]}")
    assert tables["orders"].amount.tolist() == pytest.approx([19.0, 20.0, 50.0, 33.75])


def test_a_discount_outside_0_to_100_percent_stops_the_import_naming_rows(tmp_path):
    """Percents declared as fractions would make revenue negative: the import stops, names the
    file, column and rows, and says what to write; so does an unknown option beside a derive."""
    f = _lines(tmp_path, ["5", "0", "", "10"])
    with pytest.raises(ImportError_) as e:
        _import_lines(tmp_path, f, "{multiply: [Quantity, UnitPrice], discount: Discount}")
    msg = str(e.value)
    assert "order_details.csv, column 'Discount': 2 discount(s) outside 0–100 %" in msg
    assert "data rows 1, 4" in msg and "write discount_percent" in msg
    with pytest.raises(ImportError_, match="derive 'multiply' takes one of discount, discount_percent"):
        _import_lines(tmp_path, f, "{multiply: [Quantity, UnitPrice], rebate: Discount}")


def test_suggest_takes_a_line_discount_off_quantity_times_price(tmp_path):
    """The draft maps the discount (as fractions, or percents scaled by its values), multiplies
    quantity and unit price less the discount for the amount, and keeps the line at list price;
    0 and 1 only is ambiguous and said, not chosen. The draft imports as it stands."""
    import yaml

    text = suggest(_lines(tmp_path, ["0.05", "0", "0.1", "0.25"]))
    assert "discount: Discount   # a fraction of the list price (0.25 at most)" in text
    assert "amount: {derive: {multiply: [Quantity, UnitPrice], discount: Discount}}" in text
    assert "list_amount: {derive: {multiply: [Quantity, UnitPrice]}}" in text
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), tmp_path / "order_details.csv")
    o = tables["orders"]
    assert o.amount.tolist() == pytest.approx([19.0, 20.0, 45.0, 33.75])
    assert (o.amount == (o.list_amount * (1 - o.discount)).round(6)).all()
    text = suggest(_lines(tmp_path, ["5", "0", "10", "25"]))
    assert yaml.safe_load(text)["tables"]["orders"]["columns"]["discount"] == {"column": "Discount", "scale": 0.01}
    assert "amount: {derive: {multiply: [Quantity, UnitPrice], discount_percent: Discount}}" in text
    text = suggest(_lines(tmp_path, ["1", "0", "0", "1"]))
    assert "amount: {derive: {multiply: [Quantity, UnitPrice]}}" in text and "list_amount" not in text
    assert "only 0 and 1: fractions (1 = free) or percents?" in text


def test_suggest_reads_northwind_and_bikestores_shapes(tmp_path):
    """What the drafts got wrong on Northwind and BikeStores: the rep column (EmployeeID, staff_id)
    went unmapped, a people list's first and last names were not joined, a mostly empty Region
    was chosen over a filled Country, and lookup lists were called "orders too". The import
    report names a derive in words, not as a Python list."""
    import yaml

    n = 12
    pd.DataFrame({"OrderID": [str(10248 + i) for i in range(n)], "CustomerID": ["ALFKI", "VINET"] * 6,
                  "EmployeeID": ["5", "6", "4"] * 4, "OrderDate": [f"1996-07-{i + 4:02d}" for i in range(n)],
                  "Freight": ["32.38"] * n}).to_csv(tmp_path / "orders.csv", index=False)
    pd.DataFrame({"OrderID": [str(10248 + i) for i in range(n)], "ProductID": ["11"] * n, "UnitPrice": ["14"] * n,
                  "Quantity": ["12"] * n, "Discount": ["0", "0.15"] * 6}).to_csv(tmp_path / "order-details.csv", index=False)
    pd.DataFrame({"EmployeeID": ["4", "5", "6"], "LastName": ["Peacock", "Buchanan", "Suyama"],
                  "FirstName": ["Margaret", "Steven", "Michael"], "ReportsTo": ["2", "2", "5"]}
                 ).to_csv(tmp_path / "employees.csv", index=False)
    pd.DataFrame({"CustomerID": ["ALFKI", "VINET", "BONAP"], "CompanyName": ["Alfreds", "Vins", "Bon app'"],
                  "Region": ["", "", "BC"], "Country": ["Germany", "France", "France"]}
                 ).to_csv(tmp_path / "customers.csv", index=False)
    pd.DataFrame({"ShipperID": ["1", "2"], "CompanyName": ["Speedy Express", "United Package"]}
                 ).to_csv(tmp_path / "shippers.csv", index=False)
    text = suggest(tmp_path)
    spec = yaml.safe_load(text)["tables"]
    assert spec["orders"]["columns"]["rep_id"] == "EmployeeID"
    assert spec["reps"]["columns"]["rep_id"] == "EmployeeID"
    assert spec["reps"]["columns"]["name"] == {"derive": {"concat": ["FirstName", "LastName"]}}
    assert spec["reps"]["columns"]["manager_id"] == "ReportsTo"
    assert spec["customers"]["columns"]["region"] == "Country"
    assert "Region is empty in 67% of the rows: Country instead? check" in text
    assert "# shippers.csv: a lookup list (ShipperID, CompanyName), none of salesnb's tables" in text
    assert "looks like orders too" not in text
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, report = import_export(str(tmp_path / "d.yaml"), tmp_path)
    assert tables["reps"].set_index("rep_id").loc["5", "name"] == "Steven Buchanan"
    lines = "\n".join(report.lines())
    assert "multiply(Quantity, UnitPrice) less Discount" in lines and "['" not in lines


def test_a_file_with_unquoted_commas_names_every_bad_row_and_the_draft_skips_it(tmp_path):
    """Northwind's employees.csv has unquoted commas in its notes on four rows: the error named only
    the first, and --suggest stopped on it, writing no draft for the other files."""
    (tmp_path / "employees.csv").write_text(
        "EmployeeID,LastName,FirstName,Title,City,Notes\n1,Davolio,Nancy,Rep,Seattle,plain\n"
        "2,Fuller,Andrew,VP,Tacoma,joined 1992, promoted 1994\n3,Leverling,Janet,Rep,Kirkland,plain\n"
        "4,Peacock,Margaret,Rep,Redmond,BA, MA, PhD\n", encoding="utf-8")
    pd.DataFrame({"OrderID": ["1", "2"], "CustomerID": ["A", "B"], "OrderDate": ["2024-01-05", "2024-01-06"],
                  "Amount": ["10", "20"]}).to_csv(tmp_path / "orders.csv", index=False)
    from salesnb.data.importing.parsing import ParseError, read_any

    with pytest.raises(ParseError) as e:
        read_any(tmp_path / "employees.csv")
    assert "2 data row(s) have more fields than the header's 6" in str(e.value)
    assert "rows 2 (7 fields), 4 (8 fields)" in str(e.value)
    text = suggest(tmp_path)
    assert "# employees.csv: not read, so not in this draft: employees.csv: 2 data row(s)" in text
    assert "file: orders.csv" in text


def test_filters_that_remove_every_row_after_a_date_are_said(tmp_path):
    """BikeStores: keeping completed orders ends the data on 2018-03-31 though the file runs to
    2018-12-28 (every later order is pending, processing or rejected); the import said nothing and
    the pages read as if sales stopped. The report now says so on its own line."""
    dates = [f"2018-0{m}-15" for m in (1, 2, 3)] * 3 + ["2018-06-01", "2018-09-01", "2018-12-28"]
    status = ["4"] * 9 + ["1", "2", "3"]
    pd.DataFrame({"order_id": [str(i) for i in range(12)], "customer_id": "k", "order_date": dates,
                  "amount": "10", "order_status": status}).to_csv(tmp_path / "orders.csv", index=False)
    (tmp_path / "p.yaml").write_text(
        "name: bikes\nextends: generic\ncurrency: USD\ntables:\n  orders:\n    file: orders.csv\n"
        "    where: [{column: order_status, in: ['4'], reason: not completed}]\n"
        "    columns: {order_id: order_id, customer_id: customer_id, order_date: order_date, amount: amount}\n",
        encoding="utf-8")
    _, report = import_export(str(tmp_path / "p.yaml"), tmp_path / "orders.csv")
    text = "\n".join(report.lines())
    assert ("CHECK: the where filters leave orders ending on 2018-03-15, while orders.csv runs to 2018-12-28: "
            "all 3 row(s) after that date were filtered out") in text


def test_suggest_reads_reps_from_order_lines_when_no_reps_file_can_be_read(tmp_path):
    """Northwind's employees.csv cannot be read (unquoted commas): the draft left the reps out, and
    the pack had no one to plan or review. It now drafts the reps named on the order lines, with
    one team and region to check; the draft imports as written (with a currency)."""
    df = pd.DataFrame({"OrderID": ["1", "2", "3"], "OrderDate": ["2024-01-05", "2024-02-05", "2024-03-05"],
                       "CustomerID": ["c1", "c2", "c1"], "EmployeeID": ["5", "7", "5"],
                       "Sales": ["10", "20", "30"], "ShipCountry": ["France", "Japan", "France"]})
    export = tmp_path / "export"
    export.mkdir()
    _csv(export, "orders.csv", df)
    (export / "employees.csv").write_text('EmployeeID,Notes\n5,"fine"\n7,has, a comma\n', encoding="utf-8")
    tables = _drafted_from_lines(tmp_path, export, "reps", ("rep_id: EmployeeID", "name: EmployeeID",
                                                            "team: {value: All}", "region: {value: All}"))
    r = tables["reps"].set_index("rep_id")
    assert sorted(r.index) == ["5", "7"] and set(r.team) == {"All"} and set(r.region) == {"All"}
    assert "  reps:" not in suggest(_csv(tmp_path, "norep.csv", df.drop(columns=["EmployeeID"])))


def test_suggest_puts_the_open_stages_in_funnel_order(tmp_path):
    """Maven's deals list Engaging before Prospecting in the file: the draft listed the open stages in
    that order. Open stages are ordered by their names (prospecting before engaging; Chinese names too),
    else by how much of a stage's deals is filled in (an early stage has fewer dates and amounts);
    won and lost stages are read from their names in English and Chinese."""
    export = _pipeline_export(tmp_path / "export")
    pipe = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    first = pipe.index[pipe.deal_stage == "Engaging"][0]
    pipe = pd.concat([pipe.loc[[first]], pipe.drop(index=first)])  # an Engaging deal opens the file
    pipe.to_csv(export / "sales_pipeline.csv", index=False)
    text = suggest(export)
    stages = text.split("\nstages:\n")[1].splitlines()[:4]
    assert [s.split("   #")[0] for s in stages] == [
        "  - {stage: Prospecting, status: open}", "  - {stage: Engaging, status: open}",
        "  - {stage: Won, status: won}", "  - {stage: Lost, status: lost}"]
    # Chinese stage names, in file order 谈判审核, 赢单, 初步接洽, 输单, 方案报价, 需求确定
    names = ["谈判审核", "赢单", "初步接洽", "输单", "方案报价", "需求确定", "战败"]
    zh = pd.DataFrame({"商机编号": [f"O{i}" for i in range(14)], "客户名称": "甲公司",
                       "负责人": "张三", "销售阶段": names * 2, "创建日期": "2024-01-05",
                       "结单日期": "2024-03-01", "商机金额": "1000"})
    text = suggest(_csv(tmp_path, "商机.csv", zh))
    assert text.split("\nstages:\n")[1].splitlines()[:7] == [
        "  - {stage: 初步接洽, status: open}   # 2 deals", "  - {stage: 需求确定, status: open}   # 2 deals",
        "  - {stage: 方案报价, status: open}   # 2 deals", "  - {stage: 谈判审核, status: open}   # 2 deals",
        "  - {stage: 赢单, status: won}   # 2 deals", "  - {stage: 输单, status: lost}   # 2 deals",
        "  - {stage: 战败, status: lost}   # 2 deals"]
    # names that say nothing of the funnel: the stage whose deals lack more dates and amounts first
    own = pd.DataFrame({"Deal ID": [f"D{i}" for i in range(6)], "Account": "Acme", "Owner": "Ann",
                        "Stage": ["Blue", "Green", "Won", "Blue", "Green", "Lost"],
                        "Created Date": ["2024-01-02", "", "2024-01-02", "2024-01-03", "", "2024-01-03"],
                        "Close Date": ["", "", "2024-02-01", "", "", "2024-02-02"],
                        "Amount": ["", "", "10", "", "", "0"]})
    text = suggest(_csv(tmp_path, "deals.csv", own))
    block = text.split("\nstages:\n")[0].splitlines()[-2:] + text.split("\nstages:\n")[1].splitlines()[:2]
    assert "by how much of their deals is filled in" in " ".join(block[:2])
    assert [s.split("   #")[0] for s in block[2:]] == ["  - {stage: Green, status: open}",
                                                       "  - {stage: Blue, status: open}"]


def test_suggest_puts_zoho_s_initial_offer_after_needs_analysis(tmp_path):
    """Zoho's default pipeline (its sample org's deals, through Zoho Analytics: Potentials.csv): the
    draft put Initial Offer first, as its name holds "initial" (the word of Initial contact); an offer
    is a proposal's step, first among them (before Proposal/Price Quote); "initial" alone still
    opens the funnel."""
    names = ["Initial Offer", "Prospect", "Qualification", "Needs Analysis", "Proposal/Price Quote",
             "Negotiation/Review", "Closed Won", "Closed Lost"]
    deals = pd.DataFrame({"LEADID": [str(1000 + i) for i in range(16)], "Potential Name": "Hall, Arron",
                          "Potential Owner": "Tina Thomas", "Stage": names * 2,
                          "Created Time": "15 Apr, 2021 00:02:00", "Closing Date": "16 Apr, 2021 00:03:00",
                          "Amount": "$22,700.00"})
    stages = suggest(_csv(tmp_path, "Potentials.csv", deals)).split("\nstages:\n")[1].splitlines()[:6]
    assert [s.split("   #")[0] for s in stages] == [f"  - {{stage: {n}, status: open}}" for n in (
        "Prospect", "Qualification", "Needs Analysis", "Initial Offer", "Proposal/Price Quote",
        "Negotiation/Review")]
    deals["Stage"] = ["Qualified", "Initial", "Contract Sent", "Closed Won"] * 4
    stages = suggest(_csv(tmp_path, "Potentials.csv", deals)).split("\nstages:\n")[1].splitlines()[:3]
    assert [s.split("   #")[0] for s in stages] == [f"  - {{stage: {n}, status: open}}" for n in (
        "Initial", "Qualified", "Contract Sent")]


def _zoho_analytics_orders(folder: Path) -> Path:
    """Zoho's sample CRM data as Zoho Analytics exports it: Invoices (Invoice Number, Account Id, a
    Created Time on a 12-hour clock without AM/PM), Sales_Orders (no account; dates day first) and
    the two line-item files (a product, quantity and amounts, and no order nor date)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 24
    times = [f"{i + 1:02d} Apr, 2021 {1 + i % 12:02d}:{i:02d}:07" for i in range(n)]
    pd.DataFrame({"INVOICEID": [str(23000000 + i) for i in range(n)],
                  "Subject": "ZR-1539231-Barcelona Chair (Italian Black)",
                  "Invoice Number": [str(1593016 + i) for i in range(n)],
                  "Sales Order Id": [str(21000000 + i) for i in range(n)],
                  "Invoice Owner": ["Harold Pawlan", "Tina Thomas"] * (n // 2),
                  "Invoice Status": ["Created", "Delivered", "Approved", "Cancelled"] * (n // 4),
                  "Created Time": times, "Account Id": [str(400 + i % 5) for i in range(n)],
                  "Grand Total": "$21,042"}).to_csv(folder / "Invoices.csv", index=False)
    pd.DataFrame({"SALESORDERID": [str(21000000 + i) for i in range(n)],
                  "Sales Order Owner": "Jasmine Frank", "Status": "Approved",
                  "Grand Total": "7,982", "Created Time": [f"{30 - i % 12:02d}-06-2021 {1 + i % 12:02d}:09"
                                                          for i in range(n)]}).to_csv(
        folder / "Sales_Orders.csv", index=False)
    lines = pd.DataFrame({"INVENTORYRELID": [str(22000000 + i) for i in range(n)],
                          "Product Name": "A/C schrader valve", "List Price": "$270.96", "Quantity": "7",
                          "Total": "$1,896.72", "Discount": "$56.90", "Net Total": "$1,877.75",
                          "BOOKID": "24000009"})
    lines.to_csv(folder / "Invoice_Line_Items.csv", index=False)
    lines.to_csv(folder / "Sales_Order_Line_Items.csv", index=False)
    return folder


def test_suggest_reads_the_invoices_not_line_items_naming_no_order(tmp_path):
    """Zoho Analytics' copy of a Zoho CRM: its Invoice_Line_Items and Sales_Order_Line_Items name no
    invoice nor order and carry no date, yet the draft drafted them as the orders (all three required
    columns ???) and left Invoices.csv, which has an id, a date, an account and an amount, "not mapped".
    The orders are the invoices; the line items are named, and why they cannot be joined."""
    text = suggest(_zoho_analytics_orders(tmp_path / "export"))
    orders = yaml.safe_load(text)["tables"]["orders"]
    assert orders["file"] == "Invoices.csv"
    assert orders["columns"]["order_id"] == "Invoice Number"
    assert orders["columns"]["customer_id"] == "Account Id"
    assert "# Invoice_Line_Items.csv, Sales_Order_Line_Items.csv: looks like orders too; not mapped; its rows " \
           "name no order and carry no date, so they cannot be joined to Invoices.csv" in text


def test_suggest_leaves_out_a_discount_column_of_amounts_off(tmp_path):
    """Zoho's invoices carry Discount as money off ("$5,275.54"): the draft mapped it as the discount
    with a note that it was no share, and the completed draft's import failed its validation
    (discounts outside 0–1 on 51 of 52 rows). It is written commented out, with why."""
    export = _zoho_analytics_orders(tmp_path / "export")
    inv = pd.read_csv(export / "Invoices.csv", dtype=str)
    inv["Discount"] = ["$157.93", "$5,275.54", "$0.03"] * 8
    inv.to_csv(export / "Invoices.csv", index=False)
    text = suggest(export)
    assert "discount" not in yaml.safe_load(text)["tables"]["orders"]["columns"]
    assert "      # discount: Discount   # not a share of 0–100 % (an amount off?): not mapped" in text
    # the line items alone: "$56.90" off, below 100 yet money, was read as 56.9 % (scale: 0.01)
    for f in ("Invoices.csv", "Sales_Orders.csv", "Sales_Order_Line_Items.csv"):
        (export / f).unlink()
    orders = yaml.safe_load(suggest(export))["tables"]["orders"]
    assert "discount" not in orders["columns"] and orders["columns"]["quantity"] == "Quantity"


def test_suggest_says_a_12_hour_clock_without_am_pm_is_not_read(tmp_path):
    """Zoho Analytics writes its times on a 12-hour clock with no AM/PM ("03-07-2021 01:09", and
    "20 Apr, 2021 07:49:50"): the draft read them as %H silently. It says so: the hours run 1 to 12,
    only the date is read. The day-first order is decided from the data (30-06-2021), never guessed."""
    export = _zoho_analytics_orders(tmp_path / "export")
    line = next(x for x in suggest(export).splitlines() if "order_date:" in x)
    assert "%d %b, %Y %H:%M:%S" in line and "hours run 1 to 12 with no AM/PM" in line
    (export / "Invoices.csv").unlink()
    line = next(x for x in suggest(export).splitlines() if "order_date:" in x)
    assert "'%d-%m-%Y %H:%M'" in line and "month/day cannot read 30-06-2021" in line
    assert "hours run 1 to 12 with no AM/PM" in line and "only the date is read" in line
    import_export(yaml.safe_load(suggest(export).replace("# customer_id: ???", "customer_id: Status")
                                 .replace("   # required: no header matched, name it", "")),
                  export, tmp_path / "src")
    days = pd.to_datetime(pd.read_parquet(tmp_path / "src" / "orders.parquet")["order_date"])
    assert (days.dt.hour == 0).all() and set(days.dt.strftime("%m-%d")) == {f"06-{d}" for d in range(19, 31)}


def test_suggest_lists_the_stages_of_two_pipelines_one_list_per_pipeline(tmp_path):
    """HubSpot deals in two pipelines (Sales Pipeline; Renewals, with its own stage names): the draft
    listed every open stage in file order, the two pipelines interleaved (one name without a funnel
    word turned the name order off for all); then one list with each pipeline's stages after the
    other's, which the funnel read as one process. The draft now maps the pipeline column and gives
    each pipeline its own list (the larger first, each in its own order, with its own deals), names
    the pipelines and the filter that keeps one; won and lost stay read from the names."""
    stages = ["Renewal: Negotiation", "Qualified To Buy", "Closed Won", "Renewal Due", "Contract Sent",
              "Appointment Scheduled", "Renewal: Closed won", "Closed Lost", "Renewal: Closed lost",
              "Closed Lost", "Closed Won", "Qualified To Buy"]
    pipes = ["Renewals" if s.startswith("Renewal") else "Sales Pipeline" for s in stages]
    deals = pd.DataFrame({"Record ID": [str(i) for i in range(len(stages))], "Pipeline": pipes,
                          "Deal Stage": stages, "Amount": "100", "Close Date": "2024-03-01",
                          "Create Date": "2024-01-02", "Deal owner": "Ann"})
    text = suggest(_csv(tmp_path, "all-deals.csv", deals))
    head, block = text.split("\nstages:\n")
    assert head.splitlines()[-5:-1] == [
        "# the deals are in 2 pipelines (Pipeline: Sales Pipeline 8 deals, Renewals 4), each with stages of its "
        "own: one",
        "# list per pipeline below, so each pipeline's funnel is measured against its own stages (a name",
        "# two pipelines share stays two stages); to report one pipeline only, keep its deals: under",
        "# opportunities, where: [{column: Pipeline, in: [Sales Pipeline], reason: another pipeline}]"]
    assert "      pipeline: Pipeline   # each pipeline has its own stages and funnel" in head
    assert block.splitlines()[:11] == [
        "  Sales Pipeline:",
        "    - {stage: Appointment Scheduled, status: open}   # 1 deal",
        "    - {stage: Qualified To Buy, status: open}   # 2 deals",
        "    - {stage: Contract Sent, status: open}   # 1 deal",
        "    - {stage: Closed Won, status: won}   # 2 deals",
        "    - {stage: Closed Lost, status: lost}   # 2 deals",
        "  Renewals:",
        "    - {stage: 'Renewal: Negotiation', status: open}   # 1 deal",
        "    - {stage: Renewal Due, status: open}   # 1 deal",
        "    - {stage: 'Renewal: Closed won', status: won}   # 1 deal",
        "    - {stage: 'Renewal: Closed lost', status: lost}   # 1 deal"]
    assert head.splitlines()[-1] == ("# the open stages of Sales Pipeline are ordered by their names (prospecting "
                                     "before engaging, …); of Renewals, in the order they first appear in the file: check")
    # HubSpot's second pipeline keeps the names Closed Won and Closed Lost: each list has its own
    deals["Deal Stage"] = deals["Deal Stage"].replace({"Renewal: Closed won": "Closed Won"})
    block = suggest(_csv(tmp_path, "all-deals.csv", deals)).split("\nstages:\n")[1].splitlines()
    assert block[block.index("  Renewals:") + 3] == "    - {stage: Closed Won, status: won}   # 1 deal"
    assert block[4] == "    - {stage: Closed Won, status: won}   # 2 deals"
    # Salesforce's sales processes: the opportunity's record type (a report's RecordType.Name)
    text = suggest(_csv(tmp_path, "Opportunity.csv", deals.rename(columns={"Pipeline": "RecordType.Name"})))
    assert "# the deals are in 2 pipelines (RecordType.Name: Sales Pipeline 8 deals, Renewals 4)" in text
    assert "      pipeline: RecordType.Name   #" in text


def test_deals_of_one_pipeline_keep_only_their_own_stage_history(tmp_path):
    """The draft's filter keeping one pipeline (where: Pipeline in [Sales Pipeline]) dropped the other
    pipeline's deals, but the stage history read from the same file's date-entered columns kept
    theirs: every history row of a dropped deal pointed at no deal, and validation failed. A table
    read from the deals' file (from_table) keeps only the deals the deals table kept, said in the
    report."""
    deals = pd.DataFrame({"Record ID": ["1", "2", "3"], "Pipeline": ["Sales Pipeline", "Renewals", "Sales Pipeline"],
                          "Deal Stage": ["Closed Won", "Renewal: Closed won", "Qualified To Buy"],
                          "Amount": "100", "Close Date": "2024-03-01", "Create Date": "2024-01-02",
                          "Deal owner": "Ann", "Associated Company IDs": "c1",
                          'Date entered "Qualified To Buy (Sales Pipeline)"': ["2024-01-02", "", "2024-01-02"],
                          'Date entered "Closed Won (Sales Pipeline)"': ["2024-03-01", "", ""],
                          'Date entered "Renewal Due (Renewals)"': ["", "2024-01-02", ""],
                          'Date entered "Renewal: Closed won (Renewals)"': ["", "2024-03-01", ""]})
    f = _csv(tmp_path, "all-deals.csv", deals)
    import yaml

    prof = yaml.safe_load(suggest(f))
    prof["tables"]["opportunities"]["where"] = [{"column": "Pipeline", "in": ["Sales Pipeline"],
                                                 "reason": "another pipeline"}]
    prof["currency"] = "USD"
    tables, rep = import_export(prof, f, tmp_path / "src")
    assert tables["opportunities"].opportunity_id.tolist() == ["1", "3"]
    h = tables["opportunity_history"]
    assert sorted(zip(h.opportunity_id, h.stage, strict=True)) == [("1", "Closed Won"), ("1", "Qualified To Buy"),
                                                                  ("3", "Qualified To Buy")]
    assert "dropped 2 row(s): of deals the opportunities table left out (another pipeline)" in str(rep)
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_stages_a_profile_does_not_list_are_put_last_in_the_order_deals_entered_them(tmp_path):
    """A Salesforce org with a second sales process (Renewal: Prospecting … Renewal: Closed won): the
    statuses come from IsClosed/IsWon, and the stages the profile does not list were put last in
    alphabetical order (Renewal: Negotiation before Renewal: Prospecting). The open ones now follow
    the order the deals entered them in the stage history."""
    _csv(tmp_path, "orders.csv", pd.DataFrame({"Order ID": ["1"], "Date": ["2024-01-05"], "Customer": ["c"],
                                               "Amount": ["5"]}))
    _csv(tmp_path, "deals.csv", pd.DataFrame({
        "Id": ["d1", "d2", "d3"], "Stage": ["Renewal: Won", "Renewal: Negotiation", "Won"],
        "Status": ["won", "open", "won"], "Created": "2024-01-02", "Close": "2024-03-01", "Amount": "10"}))
    _csv(tmp_path, "history.csv", pd.DataFrame({
        "Deal": ["d1", "d1", "d1", "d2", "d2", "d3", "d3"],
        "Stage": ["Renewal: Prospecting", "Renewal: Negotiation", "Renewal: Won", "Renewal: Prospecting",
                  "Renewal: Negotiation", "Prospecting", "Won"],
        "When": ["2024-01-02", "2024-01-20", "2024-03-01", "2024-01-02", "2024-02-01", "2024-01-02", "2024-03-01"]}))
    prof = {"name": "t", "tables": {
        "orders": {"file": "orders.csv", "columns": {"order_id": "Order ID", "order_date": "Date",
                                                     "customer_id": "Customer", "amount": "Amount"}},
        "opportunities": {"file": "deals.csv", "columns": {
            "opportunity_id": "Id", "stage": "Stage", "status": "Status", "created_date": "Created",
            "close_date": "Close", "amount": "Amount"}},
        "opportunity_history": {"file": "history.csv", "columns": {
            "opportunity_id": "Deal", "stage": "Stage", "entered_date": "When"}}},
        "stages": [{"stage": "Prospecting", "status": "open"}, {"stage": "Won", "status": "won"},
                   {"stage": "Lost", "status": "lost"}]}
    tables, rep = import_export(prof, tmp_path)
    assert tables["stages"].stage.tolist() == ["Prospecting", "Won", "Renewal: Prospecting", "Renewal: Negotiation",
                                               "Renewal: Won"]
    assert ("stages not in the profile's list, put last (the open ones in the order the deals entered them): "
            "Renewal: Prospecting, Renewal: Negotiation, Renewal: Won") in str(rep)


def test_suggest_maps_key_values_that_differ_from_their_list_only_in_spelling(tmp_path):
    """Maven's deals name the product "GTXPro", products.csv "GTX Pro": 1,480 won deals lost their
    product. The draft finds deal values with no exact match in the list that match once case, spaces
    and punctuation are ignored, maps them (``map``, ``unmapped: keep``) with a note, and names the
    values that match nothing; imported as drafted, every mapped deal has its product."""
    export = _pipeline_export(tmp_path / "export")
    pd.DataFrame({"product": ["GTX Pro", "MG Special", "GTK 500"], "series": ["GTX", "MG", "GTK"],
                  "sales_price": [4821, 55, 26768]}).to_csv(export / "products.csv", index=False)
    pipe = pd.read_csv(export / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    pipe["product"] = pipe["product"].replace({"GTX Basic": "GTXPro", "MG Special": "mg-special"})
    pipe.loc[pipe.index[:3], "product"] = "Zeta 9"
    pipe.to_csv(export / "sales_pipeline.csv", index=False)
    n_gtx, n_mg = int((pipe["product"] == "GTXPro").sum()), int((pipe["product"] == "mg-special").sum())
    text = suggest(export)
    orders = text.split("  orders:")[1].split("  customers:")[0]
    line = next(x for x in orders.splitlines() if x.strip().startswith("product_id:"))
    assert line == (
        "      product_id: {column: product, map: {GTXPro: GTX Pro, mg-special: MG Special}, unmapped: keep}"
        f"   # GTXPro ({n_gtx:,} rows) is GTX Pro in products.csv, mg-special ({n_mg:,} rows) is MG Special, "
        "once case, spaces and punctuation are ignored: mapped, check; Zeta 9 (3 rows) matches no product")
    # the deals' category reads the same column: mapped alike
    assert ("      category: {column: product, map: {GTXPro: GTX Pro, mg-special: MG Special}, unmapped: keep}"
            "   # values mapped like orders.product_id") in text.split("  opportunities:")[1]
    prof = tmp_path / "deals.yaml"
    prof.write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(prof), export, tmp_path / "src")
    o = tables["orders"]
    assert set(o.product_id) - {"Zeta 9"} <= set(tables["products"].product_id)
    assert "GTX Pro" in set(o.product_id) and "MG Special" in set(o.product_id)
    assert "GTXPro" not in set(tables["opportunities"].category)
    # an export whose values match exactly gets no map
    assert "map:" not in suggest(_pipeline_export(tmp_path / "clean"))


def test_suggest_says_when_deals_name_customers_by_the_list_s_name_not_its_id(tmp_path):
    """纷享销客's export: the deals and orders name the customer (客户名称), 客户.csv keys it by 客户编号:
    no value matches. The draft says the values are the list's names and, the names being unique,
    joins 客户.csv on them to read the key (a name matching no customer stays, an orphan to report)."""
    export = tmp_path / "fx"
    export.mkdir()
    pd.DataFrame({"客户编号": ["C1", "C2", "C3"], "客户名称": ["甲公司", "乙公司", "丙公司"],
                  "行业": ["制造", "零售", "制造"]}).to_csv(export / "客户.csv", index=False)
    pd.DataFrame({"订单编号": [f"S{i}" for i in range(6)], "下单日期": "2024-01-05",
                  "客户名称": ["甲公司", "乙公司", "丙公司", "甲公司", "甲公司", "丁公司"],
                  "小计": "100"}).to_csv(export / "销售订单.csv", index=False)
    text = suggest(export)
    line = next(x for x in text.split("  orders:")[1].splitlines() if x.strip().startswith("customer_id:"))
    assert line == ("      customer_id: {derive: {coalesce: [客户编号, 客户名称]}}   # 5 of 6 rows name a customer "
                    "by 客户.csv's 客户名称, not its 客户编号: 客户.csv joined on 客户名称 to read its 客户编号 (its "
                    "names are unique; a name it does not hold is kept as it is); 丁公司 (1 row) matches no customer")
    assert "    join: [{file: 客户.csv, key: 客户名称}]" in text.split("  orders:")[1]
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: CNY"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["orders"].customer_id.tolist() == ["C1", "C2", "C3", "C1", "C1", "丁公司"]
    # names that repeat cannot say which customer: the draft says so and leaves the names
    pd.DataFrame({"客户编号": ["C1", "C2", "C3"], "客户名称": ["甲公司", "乙公司", "甲公司"],
                  "行业": ["制造", "零售", "制造"]}).to_csv(export / "客户.csv", index=False)
    text = suggest(export)
    orders = text.split("  orders:")[1]
    line = next(x for x in orders.splitlines() if x.strip().startswith("customer_id:"))
    assert line.startswith("      customer_id: 客户名称   # ") and "its names repeat: check" in line
    assert "join:" not in orders


def _fx_deals(export: Path) -> Path:
    """A small 纷享销客 export: 人员 (people, keyed by 员工编号, the deals name them by 姓名), 商机 (a
    closed deal's date in 结单日期, an open one's in 预计成交日期; 币种 in Chinese currency names)."""
    export.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"姓名": ["张伟", "李娜", "王芳"], "员工编号": ["R1", "R2", "R3"],
                  "主属部门": ["华东一部", "华北一部", "华东一部"], "所属区域": ["华东", "华北", "华东"],
                  "入职日期": ["2020/01/06", "2021/03/01", "2019/07/15"], "离职日期": ["", "", "2023/05/31"]}
                 ).to_csv(export / "人员.csv", index=False)
    pd.DataFrame({"商机编号": ["D1", "D2", "D3", "D4"], "客户名称": ["甲公司", "乙公司", "甲公司", "丙公司"],
                  "销售阶段": ["赢单", "输单", "初步接洽", "赢单"], "商机金额": ["1,000.00", "500", "800", "200"],
                  "预计成交日期": ["", "", "2024/06/30", ""], "结单日期": ["2024/02/01", "2024/03/05", "", "2024/04/10"],
                  "负责人": ["张伟", "李娜", "王芳", "王芳"], "币种": ["人民币", "美元", "人民币", "人民币"],
                  "创建时间": ["2024-01-02 09:00", "2024-01-03 10:00", "2024-02-04 11:00", "2024-01-05 12:00"]}
                 ).to_csv(export / "商机.csv", index=False)
    return export


def _draft_line(text: str, table: str, col: str) -> str:
    part = text.split(f"  {table}:\n")[1]
    return next(x for x in part.splitlines() if x.strip().startswith(f"{col}:"))


def _draft_maps(text: str, expected: dict[tuple[str, str], str]) -> None:
    """Each (table, column) of ``expected`` is read from the given header in the draft."""
    for (table, col), head in expected.items():
        assert _draft_line(text, table, col) == f"      {col}: {head}", (table, col)


def test_suggest_reads_a_closed_deal_s_close_date_from_its_own_column(tmp_path):
    """纷享销客 keeps a closed deal's date in 结单日期 and leaves its 预计成交日期 empty: the draft read only
    预计成交日期 (every closed deal without a close date, the import stopped). Both columns are there:
    the draft coalesces them, the closed date first, as the built-in profile does."""
    export = _fx_deals(tmp_path / "fx")
    text = suggest(export)
    line = _draft_line(text, "opportunities", "close_date")
    assert line.startswith("      close_date: {derive: {coalesce: [结单日期, 预计成交日期]}, format: '%Y/%m/%d'}   # ")
    assert not [x for x in text.splitlines() if "columns not placed" in x and "结单日期" in x]
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    o = tables["opportunities"].set_index("opportunity_id")
    assert o.close_date.astype(str).to_dict() == {"D1": "2024-02-01", "D2": "2024-03-05", "D3": "2024-06-30",
                                                  "D4": "2024-04-10"}


def test_suggest_maps_currency_names_to_iso_codes_and_names_the_ones_it_cannot(tmp_path):
    """币种 holds 人民币 and 美元: read as they are, the amounts' currency was "美元". The draft maps
    currency names to ISO codes with an explicit table (``map``); a value it cannot map is named in a
    comment and left out of the map (the import then stops on it), never guessed."""
    export = _fx_deals(tmp_path / "fx")
    text = suggest(export)
    assert _draft_line(text, "opportunities", "currency") == (
        "      currency: {column: 币种, map: {人民币: CNY, 美元: USD}}   # currency names read as ISO codes: check")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["opportunities"].currency.tolist() == ["CNY", "USD", "CNY", "CNY"]
    deals = pd.read_csv(export / "商机.csv", dtype=str, keep_default_na=False)
    deals["币种"] = ["US Dollar", "usd", "港元", "金币"]
    deals.to_csv(export / "商机.csv", index=False)
    line = _draft_line(suggest(export), "opportunities", "currency")
    assert line == ("      currency: {column: 币种, map: {US Dollar: USD, usd: USD, 港元: HKD}}   # currency "
                    "names read as ISO codes: check; 金币 (1 row) is no currency known: write its ISO code "
                    "in the map (the import stops on it)")
    # a bare "Dollar" may be any of several: named, not guessed
    deals["币种"] = ["Dollar", "EUR", "Dollar", "EUR"]
    deals.to_csv(export / "商机.csv", index=False)
    assert _draft_line(suggest(export), "opportunities", "currency").endswith(
        "currency: {column: 币种, map: {EUR: EUR}}   # Dollar (2 rows) is no currency known: write its ISO code "
        "in the map (the import stops on it)")


def test_a_currency_name_new_since_the_draft_stops_the_import_saying_the_line_to_add(tmp_path):
    """The draft maps the currency names it saw (人民币, 美元); a later export with 欧元 stops the import
    (a currency is never guessed). The error names the file, the column, the new name with its rows,
    and the exact map entry to add, in every table reading that column (the won deals are the orders
    too); it no longer offers "unmapped: keep", which would take 欧元 for a currency code."""
    export = _fx_deals(tmp_path / "fx")
    (tmp_path / "d.yaml").write_text(suggest(export), encoding="utf-8")
    deals = pd.read_csv(export / "商机.csv", dtype=str, keep_default_na=False)

    def error(currencies: list[str]) -> str:
        deals.assign(币种=currencies).to_csv(export / "商机.csv", index=False)
        with pytest.raises(ImportError_) as e:
            import_export(str(tmp_path / "d.yaml"), export)
        return str(e.value)

    assert error(["人民币", "欧元", "金币", "欧元"]) == (
        "商机.csv, column '币种': 欧元 (1 row: data row 4) has no entry in the profile's map for "
        "orders.currency, so the import stops (a currency is never guessed): add 欧元: EUR to that map, "
        "and to the map of tables.opportunities.columns.currency, which reads 币种 of this file too "
        "(tables.orders.columns.currency: {column: 币种, map: {人民币: CNY, 美元: USD, 欧元: EUR}})")
    assert error(["人民币", "欧元", "金币", "人民币"]) == (  # the won deals are fine: the deals stop
        "商机.csv, column '币种': 欧元 (1 row: data row 2), 金币 (1 row: data row 3) have no entry in the "
        "profile's map for opportunities.currency, so the import stops (a currency is never guessed): add "
        "欧元: EUR, 金币: ??? (its ISO code) to that map, and to the map of tables.orders.columns.currency, "
        "which reads 币种 of this file too (tables.opportunities.columns.currency: {column: 币种, map: "
        "{人民币: CNY, 美元: USD, 欧元: EUR, 金币: '???'}})")


def test_a_value_a_map_lacks_is_named_with_its_rows(tmp_path):
    f = _csv(tmp_path, "sales.csv", pd.DataFrame({"Order ID": ["1", "2", "3"], "Date": ["2024-01-02"] * 3,
                                                  "Customer": ["a", "b", "c"], "Amount": ["5", "6", "7"],
                                                  "Region": ["N", "Süd", "Süd"]}))
    (tmp_path / "m.yaml").write_text("tables: {orders: {columns: {region: {column: Region, map: {N: North}}}}}\n",
                                     encoding="utf-8")
    with pytest.raises(ImportError_) as e:
        import_export(load_profile("generic", overrides=tmp_path / "m.yaml"), f)
    assert str(e.value) == ("sales.csv, column 'Region': Süd (2 rows: data rows 2, 3) has no entry in the profile's "
                            "map for orders.region; add it to tables.orders.columns.region.map (or unmapped: keep, "
                            "to read values the map lacks as written)")


def test_suggest_reads_the_reps_from_the_people_file(tmp_path):
    """纷享销客's 人员.csv (姓名, 员工编号, 主属部门, 所属区域, 入职日期, 离职日期) was left as "a lookup list"
    and the reps were read from the order lines: the reps without orders were unknown on their deals
    (146 deals in the demo), with no team, region or dates. The draft reads the reps from the people
    file, and the deals (which name the rep by 姓名) through it."""
    export = _fx_deals(tmp_path / "fx")
    pd.DataFrame({"订单编号": ["S1", "S2"], "下单日期": ["2024/02/01", "2024/04/10"], "客户名称": ["甲公司", "丙公司"],
                  "负责人": ["张伟", "张伟"], "小计": ["1000", "200"], "币种": ["人民币", "人民币"]}
                 ).to_csv(export / "销售订单.csv", index=False)
    text = suggest(export)
    reps = text.split("  reps:\n")[1]
    assert reps.startswith("    file: 人员.csv\n")
    for col, entry in (("rep_id", "员工编号"), ("name", "姓名"), ("team", "主属部门"), ("region", "所属区域"),
                       ("hire_date", "{column: 入职日期, format: '%Y/%m/%d'}")):
        assert _draft_line(text, "reps", col).startswith(f"      {col}: {entry}")
    assert "人员.csv: a lookup list" not in text
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export, tmp_path / "src")
    assert tables["reps"].set_index("rep_id").team.to_dict() == {"R1": "华东一部", "R2": "华北一部", "R3": "华东一部"}
    assert tables["opportunities"].rep_id.tolist() == ["R1", "R2", "R3", "R3"]
    assert tables["orders"].rep_id.tolist() == ["R1", "R1"]
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if "rep_id" in str(p)]


def test_suggest_reads_the_stage_history_and_the_last_activity(tmp_path):
    """纷享销客's 商机阶段变更记录.csv (a row per stage change) was "opportunities too; not mapped" and
    商机.csv's 最后跟进时间 was not placed: the draft lost every deal's stage history and last activity.
    A file whose deal id repeats beside a stage and a date is the stage history (``distinct:
    stage_entries``: a stage keeps the row that entered it)."""
    export = _fx_deals(tmp_path / "fx")
    deals = pd.read_csv(export / "商机.csv", dtype=str, keep_default_na=False)
    deals["最后跟进时间"] = ["2024-02-01 10:00", "2024-03-05 10:00", "2024-05-01 10:00", "2024-04-10 10:00"]
    deals.to_csv(export / "商机.csv", index=False)
    pd.DataFrame({"商机编号": ["D1", "D1", "D1", "D2", "D2", "D3", "D4", "D4"],
                  "阶段": ["初步接洽", "初步接洽", "赢单", "初步接洽", "输单", "初步接洽", "初步接洽", "赢单"],
                  "变更时间": ["2024-01-02 09:00", "2024-01-09 09:00", "2024-02-01 09:00", "2024-01-03 10:00",
                           "2024-03-05 10:00", "2024-02-04 11:00", "2024-01-05 12:00", "2024-04-10 12:00"]}
                 ).to_csv(export / "商机阶段变更记录.csv", index=False)
    text = suggest(export)
    hist = text.split("  opportunity_history:\n")[1]
    assert hist.startswith("    file: 商机阶段变更记录.csv\n    distinct: stage_entries")
    assert _draft_line(text, "opportunity_history", "entered_date") == (
        "      entered_date: {column: 变更时间, format: '%Y-%m-%d %H:%M'}   # read as year/month/day: "
        "2024-01-02 09:00 is 2024-01-02; 2024-01-02 to 2024-04-10")
    assert _draft_line(text, "opportunities", "last_activity_date").startswith(
        "      last_activity_date: {column: 最后跟进时间")
    assert "not mapped" not in text
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    h = tables["opportunity_history"]
    assert len(h) == 7 and h[h.opportunity_id == "D1"].entered_date.astype(str).tolist() == ["2024-01-02", "2024-02-01"]
    assert tables["opportunities"].last_activity_date.notna().all()


def test_suggest_reads_the_lists_a_crm_names_by_file_keyed_by_their_record_id(tmp_path):
    """Salesforce's Account.csv and User.csv key their rows by ``Id``; HubSpot's all-companies.csv by
    ``Record ID`` beside its Company name, its all-users.csv by nobody (the deals name the owner), its
    all-orders.csv dates an order by ``Create Date``. The draft took Account.csv for the deals (Opportunity.csv
    then "not mapped"), read all-orders.csv as products and all-users.csv as orders. The file's name
    now says which list it is, keyed by its record id (else its name)."""
    sf = tmp_path / "sf"
    sf.mkdir()
    pd.DataFrame({"Id": ["001A", "001B"], "Name": ["Acme", "Globex"], "Industry": ["Tech", "Retail"],
                  "Sales_Region__c": ["East", "West"]}).to_csv(sf / "Account.csv", index=False)
    pd.DataFrame({"Id": ["005A", "005B"], "FirstName": ["Ann", "Bo"], "LastName": ["Lee", "Wu"],
                  "Department": ["East-1", "West-1"]}).to_csv(sf / "User.csv", index=False)
    pd.DataFrame({"Id": ["006A", "006B", "006C"], "AccountId": ["001A", "001B", "001A"],
                  "OwnerId": ["005A", "005B", "005A"], "StageName": ["Closed Won", "Prospecting", "Closed Lost"],
                  "Amount": ["100", "200", "300"], "CloseDate": ["2024-02-01", "2024-06-01", "2024-03-01"],
                  "CreatedDate": ["2024-01-01", "2024-01-02", "2024-01-03"], "Loss_Reason__c": ["", "", "Price"]}
                 ).to_csv(sf / "Opportunity.csv", index=False)
    text = suggest(sf)
    assert "  opportunities:\n    file: Opportunity.csv\n" in text and "not mapped" not in text
    _draft_maps(text, {("customers", "customer_id"): "Id", ("customers", "region"): "Sales_Region__c",
                       ("reps", "rep_id"): "Id", ("reps", "team"): "Department",
                       ("opportunities", "lost_reason"): "Loss_Reason__c"})
    (tmp_path / "sf.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "sf.yaml"), sf)
    assert tables["reps"].set_index("rep_id").name.to_dict() == {"005A": "Ann Lee", "005B": "Bo Wu"}
    assert tables["opportunities"].customer_id.tolist() == ["001A", "001B", "001A"]

    hs = tmp_path / "hs"
    hs.mkdir()
    pd.DataFrame({"Record ID": ["9001", "9002"], "Company name": ["Acme", "Globex"]}).to_csv(
        hs / "all-companies.csv", index=False)
    pd.DataFrame({"First Name": ["Ann", "Bo"], "Last Name": ["Lee", "Wu"], "Primary Team": ["E", "W"]}
                 ).to_csv(hs / "all-users.csv", index=False)
    pd.DataFrame({"Record ID": ["1", "1", "2"], "Create Date": ["2024-01-05 00:00"] * 3,
                  "Associated Company IDs": ["9001", "9001", "9002"], "Order owner": ["Ann Lee", "Ann Lee", "Bo Wu"],
                  "SKU": ["P1", "P2", "P1"], "Amount": ["10", "20", "30"]}).to_csv(hs / "all-orders.csv", index=False)
    text = suggest(hs)
    assert "  orders:\n    file: all-orders.csv\n" in text and "  products:" not in text
    _draft_maps(text, {("orders", "order_id"): "Record ID", ("orders", "customer_id"): "Associated Company IDs",
                       ("customers", "customer_id"): "Record ID", ("customers", "name"): "Company name"})
    assert _draft_line(text, "reps", "rep_id").startswith(
        "      rep_id: {derive: {concat: [First Name, Last Name]}}   # no id column")
    (tmp_path / "hs.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "hs.yaml"), hs)
    assert tables["orders"].rep_id.tolist() == ["Ann Lee", "Ann Lee", "Bo Wu"]
    assert set(tables["reps"].rep_id) == {"Ann Lee", "Bo Wu"} and set(tables["customers"].customer_id) == {"9001", "9002"}
    # a file named for a list whose key repeats is no list (Northwind's employee-territories.csv)
    (hs / "all-users.csv").unlink()
    pd.DataFrame({"EmployeeID": ["1", "1", "2"], "TerritoryID": ["T1", "T2", "T3"]}).to_csv(
        hs / "employee-territories.csv", index=False)
    assert "  reps:\n    from_table: orders\n" in suggest(hs)


def test_suggest_converts_amounts_with_each_record_s_exchange_rate(tmp_path):
    """Zoho's deals and sales orders carry a Currency (USD and CNY) and the Exchange Rate each was
    booked at: the draft left the rate unplaced, and the import stopped on amounts in two currencies
    (or, told a currency, summed yuan as dollars). The draft reads the rate: the home currency is the
    one whose records all carry 1; how the rate is quoted is read from the amounts (700 CNY at 7 is
    like the 100 USD ones divided, not multiplied)."""
    export = tmp_path / "z"
    export.mkdir()
    deals = pd.DataFrame({"Record Id": ["1", "2", "3", "4"], "Deal Owner": ["A", "B", "A", "B"],
                          "Created Time": ["13/01/2024 09:00"] * 4,
                          "Closing Date": ["13/02/2024", "14/02/2024", "15/02/2024", "16/02/2024"],
                          "Stage": ["Closed Won"] * 4, "Amount": ["100.00", "700.00", "120.00", "1,400.00"],
                          "Currency": ["USD", "CNY", "USD", "CNY"], "Exchange Rate": ["1", "7", "1", "7"]})
    _csv(export, "Deals.csv", deals)
    text = suggest(export)
    line = next(x for x in text.splitlines() if x.strip().startswith("exchange_rate:"))
    assert line.startswith("    exchange_rate: {column: Exchange Rate, quote: record_per_home}   # USD is the "
                           "home currency (its records all carry 1)")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["opportunities"].amount.tolist() == [100.0, 100.0, 120.0, 200.0]
    # the rate quoted the other way round (USD per yuan): read from the amounts as well
    deals["Exchange Rate"] = ["1", "0.142857", "1", "0.142857"]
    _csv(export, "Deals.csv", deals)
    assert "quote: home_per_record}" in suggest(export)


def test_suggest_reads_the_stage_history_from_hubspot_s_date_entered_columns(tmp_path):
    """HubSpot keeps a deal's stage history as one ``Date entered "Stage (Pipeline)"`` column per
    stage: the draft listed them as "columns not placed" and lost the history. It now reads them
    (``history_from``), as the built-in profile does."""
    export = tmp_path / "hs"
    export.mkdir()
    pd.DataFrame({"Record ID": ["1", "2"], "Deal Stage": ["Closed Won", "Appointment Scheduled"],
                  "Amount": ["100", "200"], "Close Date": ["2024-02-01 00:00", "2024-06-01 00:00"],
                  "Create Date": ["2024-01-02 00:00", "2024-01-03 00:00"], "Deal owner": ["Ann Lee", "Bo Wu"],
                  "Associated Company IDs": ["9001", "9002"],
                  'Date entered "Appointment Scheduled (Sales Pipeline)"': ["2024-01-02 00:00", "2024-01-03 00:00"],
                  'Date entered "Closed Won (Sales Pipeline)"': ["2024-02-01 00:00", ""]}
                 ).to_csv(export / "all-deals.csv", index=False)
    text = suggest(export)
    assert ("  opportunity_history:\n    from_table: opportunities\n    history_from: {id: Record ID, pattern: "
            "'Date entered \"(?P<stage>.+) \\((?P<pipeline>.+)\\)\"'}\n") in text
    assert not [x for x in text.splitlines() if "columns not placed" in x and "Date entered" in x]
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    h = tables["opportunity_history"]
    assert sorted(zip(h.opportunity_id, h.stage, strict=True)) == [("1", "Appointment Scheduled"), ("1", "Closed Won"),
                                                      ("2", "Appointment Scheduled")]


def _sf_export(export: Path) -> Path:
    """A small Salesforce export: User.csv (a ManagerId of 000000000000000AAA: nobody), Opportunity.csv
    with ForecastCategoryName labels, OpportunityHistory.csv with ForecastCategory API names."""
    export.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"Id": ["005A", "005B"], "FirstName": ["Ann", "Bo"], "LastName": ["Lee", "Wu"],
                  "ManagerId": ["000000000000000AAA", "005A"]}).to_csv(export / "User.csv", index=False)
    pd.DataFrame({"Id": ["006A", "006B", "006C"], "AccountId": ["001A", "001B", "001A"],
                  "OwnerId": ["005A", "005B", "005A"], "StageName": ["Closed Won", "Prospecting", "Closed Lost"],
                  "Amount": ["100", "200", "300"], "CloseDate": ["2024-02-01", "2024-06-01", "2024-03-01"],
                  "CreatedDate": ["2024-01-01", "2024-01-02", "2024-01-03"],
                  "ForecastCategoryName": ["Closed", "Best Case", "Omitted"]}).to_csv(export / "Opportunity.csv", index=False)
    pd.DataFrame({"OpportunityId": ["006A", "006A", "006B", "006C", "006C"],
                  "StageName": ["Prospecting", "Closed Won", "Prospecting", "Prospecting", "Closed Lost"],
                  "CreatedDate": ["2024-01-01", "2024-02-01", "2024-01-02", "2024-01-03", "2024-03-01"],
                  "ForecastCategory": ["Forecast", "Closed", "BestCase", "Pipeline", "Omitted"]}
                 ).to_csv(export / "OpportunityHistory.csv", index=False)
    return export


def test_suggest_maps_forecast_categories_and_reads_salesforce_s_empty_id_as_empty(tmp_path):
    """Salesforce's forecast categories are labels (Best Case) in Opportunity.csv and API names
    (BestCase, Forecast for Commit) in OpportunityHistory.csv: read as they are, every one was outside
    salesnb's categories. Its empty id 000000000000000AAA (a user without a manager) was read as a
    manager who does not exist. The draft maps the categories (``forecast_categories``; a value
    spelling none is named, not guessed) and reads the empty id as empty (``null_values``)."""
    export = _sf_export(tmp_path / "sf")
    text = suggest(export)
    block = text.split("forecast_categories:\n")[1].splitlines()
    assert block[:6] == ["  Closed: closed   # 2 rows", "  Best Case: best_case   # 1 row",
                         "  Omitted: omitted   # 2 rows", "  Forecast: commit   # 1 row; Salesforce's API name of Commit",
                         "  BestCase: best_case   # 1 row", "  Pipeline: pipeline   # 1 row"]
    assert "  null_values: [000000000000000AAA]   # Salesforce's empty id: a reference to nobody" in text
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["opportunities"].forecast_category.tolist() == ["closed", "best_case", "omitted"]
    assert tables["opportunity_history"].forecast_category.tolist() == [
        "commit", "closed", "best_case", "pipeline", "omitted"]
    assert tables["reps"].manager_id.isna().tolist() == [True, False]
    # a category that spells none of salesnb's is named, not guessed
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False)
    o.loc[1, "ForecastCategoryName"] = "Most Likely"
    o.to_csv(export / "Opportunity.csv", index=False)
    assert ("  # Most Likely: ???   # 1 row: no category of salesnb's; map it to the one your forecast counts it as"
            in suggest(export))


def test_suggest_reads_an_order_line_s_list_price_as_its_list_amount_or_unit_price(tmp_path):
    """Salesforce's Orders with Products carry the line's List Price beside its Total Price: the
    draft left it unplaced, so the discount pages had no list amounts. The values say what it is:
    at least the line's amount in lines of several units is the line at list price; below it, a unit
    price (quantity × price)."""
    export = tmp_path / "o"
    export.mkdir()
    qty = [2, 3, 1, 4] * 5
    lst = [100.0, 90.0, 20.0, 50.0] * 5
    lines = pd.DataFrame({"Order Number": [f"{i:03d}" for i in range(20)], "Order Start Date": "2024-01-05",
                          "Account ID": "001A", "Quantity": qty, "List Price": lst,
                          "Total Price": [x * 0.9 for x in lst]})
    lines.to_csv(export / "Orders with Products.csv", index=False)
    text = suggest(export)
    assert _draft_line(text, "orders", "list_amount").startswith("      list_amount: List Price   # the line at list price")
    lines["List Price"] = [x / q for x, q in zip(lst, qty, strict=True)]
    lines.to_csv(export / "Orders with Products.csv", index=False)
    text = suggest(export)
    assert _draft_line(text, "orders", "list_amount").startswith(
        "      list_amount: {derive: {multiply: [Quantity, List Price]}}   # Quantity × List Price, a unit price")
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["orders"].list_amount.round(2).tolist() == [round(x, 2) for x in lst]


def test_suggest_reads_the_close_date_and_category_histories_from_salesforce_s_history(tmp_path):
    """Salesforce's OpportunityHistory has a row per change of stage, close date or forecast
    category, with the values from then on: the draft read the stage entries only, so P(miss) and
    the forecast calibration lost every change of close date and category. The same rows now give
    close_date_history and forecast_category_history (the day's latest row each)."""
    export = _sf_export(tmp_path / "sf")
    h = pd.read_csv(export / "OpportunityHistory.csv", dtype=str, keep_default_na=False)
    h["CloseDate"] = ["2024-03-01", "2024-02-01", "2024-06-01", "2024-04-01", "2024-03-01"]
    h.to_csv(export / "OpportunityHistory.csv", index=False)
    text = suggest(export)
    assert ("  close_date_history:\n    file: OpportunityHistory.csv\n    distinct: true\n") in text
    assert _draft_line(text, "close_date_history", "close_date") == "      close_date: CloseDate"
    assert _draft_line(text, "forecast_category_history", "forecast_category") == "      forecast_category: ForecastCategory"
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    c = tables["close_date_history"]
    assert c[c.opportunity_id == "006A"].close_date.astype(str).tolist() == ["2024-03-01", "2024-02-01"]
    f = tables["forecast_category_history"]
    assert sorted(zip(f.opportunity_id, f.forecast_category, strict=True)) == [
        ("006A", "closed"), ("006A", "commit"), ("006B", "best_case"), ("006C", "omitted"), ("006C", "pipeline")]


def _resolved(tables: dict, t: str, c: str) -> pd.Series:
    """A column as people read it: a customer or rep id by its name (the draft may key a list by its
    code where the built-in profile keys it by name: 纷享销客's 客户编号, 员工编号)."""
    s = tables[t][c]
    lists = {"customer_id": "customers", "rep_id": "reps"}
    if c in lists and lists[c] in tables:
        d = tables[lists[c]]
        names = dict(zip(d[c].astype(str), d["name"].astype(str), strict=True))
        s = s.astype(str).map(lambda v: names.get(v, f"?{v}")).where(s.notna())
    return s


@pytest.mark.parametrize("crm", CRMS)
def test_suggest_draft_imports_each_crm_export_like_its_built_in_profile(crm, imported, tmp_path):
    """Each CRM's export of the demo, imported with the draft of ``--suggest`` as it is, holds what
    the built-in profile's import holds: the same tables, rows, empty cells and distinct values per
    column, the same currencies, stages and statuses, every deal's rep and customer by name (the
    stages' probabilities are not in any export: only the built-in profiles know them)."""
    src, _ = imported[crm]
    export = src.parent / f"{crm}-export"
    ref = {p.stem: pd.read_parquet(p) for p in src.glob("*.parquet")}
    (tmp_path / "d.yaml").write_text(suggest(export), encoding="utf-8")
    import_export(str(tmp_path / "d.yaml"), export, tmp_path / "src")
    got = {p.stem: pd.read_parquet(p) for p in (tmp_path / "src").glob("*.parquet")}
    assert set(got) >= set(ref)
    for t, r in ref.items():
        d = got[t]
        assert len(d) == len(r), t
        for c in r.columns:
            if t == "stages" and c == "probability":
                continue
            a, b = _resolved(ref, t, c), _resolved(got, t, c)
            assert (a.isna().sum(), a.nunique()) == (b.isna().sum(), b.nunique()), f"{t}.{c}"
            if c in ("currency", "stage", "status", "forecast_category", "rep_id", "customer_id", "name"):
                assert a.value_counts().to_dict() == b.value_counts().to_dict(), f"{t}.{c}"
            if c in ("amount", "close_date", "created_date", "order_date", "entered_date"):
                assert (a.min(), a.max()) == (b.min(), b.max()), f"{t}.{c}"


def test_suggest_drops_a_report_s_footer_lines(tmp_path):
    """Salesforce's report export ends with "Grand Totals (20 records)", a copyright and "Generated
    By: …" lines: the draft read them as five more order lines (10,170 lines for 10,165 in the demo).
    It now lists them as the table's ``footer_patterns`` (their numbers any number), which the
    import drops."""
    export = tmp_path / "o"
    export.mkdir()
    lines = pd.DataFrame({"Order Number": [f"{i:03d}" for i in range(20)], "Order Start Date": "2024-01-05",
                          "Account ID": "001A", "Total Price": "10.5"})
    text = lines.to_csv(index=False) + ('\n\n"Grand Totals (20 records)"\n"Copyright (c) 2000-2024 salesforce.com, '
                                        'inc. All rights reserved."\n"Generated By:  Ann Lee  1/6/2024 9:15 AM"\n')
    (export / "Orders with Products.csv").write_text(text, encoding="utf-8")
    draft = suggest(export)
    assert ("    footer_patterns:   # the 3 lines after the rows are a report's footer, not data: dropped "
            "(numbers may differ)\n      - Grand Totals \\(\\d+ records\\)\n") in draft
    (tmp_path / "d.yaml").write_text(draft.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert len(tables["orders"]) == 20


def test_salesforce_flags_that_disagree_with_the_stages_list_are_a_check_line(imported, tmp_path):
    """Salesforce's IsClosed/IsWon are the CRM's own open, won or lost, and the built-in profile reads
    each deal's status from them; its stages list gives each stage a status too, and where the two
    disagreed (a Closed Won deal that IsWon says is not won; a Negotiation/Review deal IsClosed and
    IsWon say is won) the import kept the flags without a word. A CHECK line now names each stage,
    the statuses and the rows; the flags' status stays."""
    src, _ = imported["salesforce"]
    export = tmp_path / "sf"
    shutil.copytree(src.parent / "salesforce-export", export)
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False, encoding="latin-1")
    won = o.index[o.StageName == "Closed Won"][:2]
    neg = o.index[o.StageName == "Negotiation/Review"][:1]
    o.loc[won, "IsWon"] = "false"
    o.loc[neg, ["IsClosed", "IsWon"]] = "true"
    o.to_csv(export / "Opportunity.csv", index=False, encoding="latin-1")
    tables, rep = import_export("salesforce", export)
    check = (f"    CHECK: IsClosed/IsWon (each deal's status, kept) disagree with the profile's stages list "
             f"for 3 deals: Negotiation/Review, listed as open, is won in 1 row: data row {neg[0] + 1}; "
             f"Closed Won, listed as won, is lost in 2 rows: data rows {won[0] + 1}, {won[1] + 1}; check the "
             "stages list, or these deals in the CRM")
    assert check in str(rep).splitlines()
    d = tables["opportunities"].set_index("opportunity_id").status
    assert d[o.Id[won]].tolist() == ["lost", "lost"] and d[o.Id[neg]].tolist() == ["won"]
    # the flags as the export writes them: no CHECK line
    _, rep = import_export("salesforce", src.parent / "salesforce-export")
    assert "IsClosed/IsWon" not in "\n".join(x for x in str(rep).splitlines() if "CHECK" in x)


def test_suggest_reads_each_deal_s_status_from_is_closed_and_is_won(tmp_path):
    """Salesforce's Opportunity.csv says whether each deal is closed and won (IsClosed, IsWon): the
    draft left both unplaced and read won or lost from the stage names, so a won stage named without
    "won" (Signed) was open, and the won deals read as sales were those of the stage named Closed
    Won. The draft now reads each deal's status from the flags, each stage's status from its deals'
    flags (a stage whose deals' flags differ says so), and the sales from IsWon."""
    export = _sf_export(tmp_path / "sf")
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False)
    o = pd.concat([o, pd.DataFrame({"Id": ["006D", "006E"], "AccountId": "001B", "OwnerId": "005B",
                                    "StageName": ["Signed", "Closed Won"], "Amount": ["400", "500"],
                                    "CloseDate": "2024-04-01", "CreatedDate": "2024-01-04",
                                    "ForecastCategoryName": ["Closed", "Omitted"]})], ignore_index=True)
    o["IsClosed"] = ["true", "false", "true", "true", "true"]
    o["IsWon"] = ["true", "false", "false", "true", "false"]
    o.to_csv(export / "Opportunity.csv", index=False)
    text = suggest(export)
    assert _draft_line(text, "opportunities", "status") == (
        "      status: {derive: {status_from_flags: {closed: IsClosed, won: IsWon}}}   # each deal's open, "
        "won or lost, as the CRM says it")
    assert "IsWon (" not in text and "IsClosed (" not in text  # not among the columns not placed
    head, block = text.split("\nstages:\n")
    assert head.splitlines()[-3:-1] == [
        "# the deal stages found, each with the status IsClosed/IsWon give its deals (the import reads each",
        "# deal's own): check them, and put the open stages in your pipeline's order (first stage first)"]
    assert block.splitlines()[:4] == [
        "  - {stage: Prospecting, status: open}   # 1 deal",
        "  - {stage: Closed Won, status: won}   # 2 deals; CHECK: IsClosed/IsWon say won for 1, lost for 1",
        "  - {stage: Signed, status: won}   # 1 deal",
        "  - {stage: Closed Lost, status: lost}   # 1 deal"]
    assert "    where: [{column: IsWon, in: ['true'], reason: not a won deal}]" in text
    (tmp_path / "d.yaml").write_text(text.replace('currency: ""', "currency: USD"), encoding="utf-8")
    tables, rep = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["opportunities"].status.tolist() == ["won", "open", "lost", "won", "lost"]
    assert sorted(tables["orders"].order_id) == ["006A", "006D"]
    assert ("CHECK: IsClosed/IsWon (each deal's status, kept) disagree with the profile's stages list for 1 deal: "
            "Closed Won, listed as won, is lost in 1 row: data row 5") in str(rep)


def test_hubspot_won_deals_of_a_stage_the_list_does_not_name_are_said_not_read_as_lost_sales(tmp_path):
    """Sales Hub without Commerce reads the won deals as its sales (where: stage_status: won). A deal
    in a stage the stages list does not name (Renewals, a pipeline the opportunities' where leaves
    out) was dropped as "not a won deal", though its status is unknown (Renewal: Closed won is a won
    deal): its revenue left the pages under a false reason. Such rows are now counted apart, and a
    CHECK line names each stage, its rows and pipeline."""
    _two_pipeline_deals(tmp_path / "hs")
    (tmp_path / "m.yaml").write_text(
        "tables:\n  opportunities:\n    where: [{column: Pipeline, not_in: [Renewals], reason: another pipeline}]\n",
        encoding="utf-8")
    tables, rep = import_export("hubspot", tmp_path / "hs", overrides=tmp_path / "m.yaml")
    assert tables["orders"].order_id.tolist() == ["1"]
    lines = str(rep).splitlines()
    orders = lines[lines.index(next(x for x in lines if x.startswith("  orders:"))):]
    assert "    dropped 1 row(s): not a won deal" in orders
    assert "    dropped 2 row(s): in a stage the profile's stages list does not name" in orders
    assert ("    CHECK: 2 rows of all-deals.csv are not read as orders: their Deal Stage is not in the profile's "
            "stages list, so whether they are won is unknown: 'Renewal: Closed won' (1 row: data row 2; pipeline "
            "Renewals), 'Renewal Due' (1 row: data row 3; pipeline Renewals); add each stage to the stages list "
            "with its status (another pipeline's won stage too)") in orders


def test_suggest_leaves_out_records_the_crm_marks_deleted(imported, tmp_path):
    """Salesforce keeps deleted records in a data export with IsDeleted true; the built-in profile
    leaves them out, the draft read them as live deals (helper C, eighteenth session). The draft now
    writes the same ``where`` for every file with an IsDeleted column."""
    import shutil

    src, _ = imported["salesforce"]
    export = tmp_path / "sf"
    shutil.copytree(src.parent / "salesforce-export", export)
    opp = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False)
    gone = opp.index[opp["IsClosed"].str.lower() == "true"][:3]
    opp.loc[gone, "IsDeleted"] = "true"
    opp.to_csv(export / "Opportunity.csv", index=False)
    draft = suggest(export)
    assert "where: [{column: IsDeleted, not_in: ['true'], reason: deleted records}]" in draft
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    import_export(str(tmp_path / "d.yaml"), export, tmp_path / "a")
    import_export("salesforce", export, tmp_path / "b")
    a, b = (pd.read_parquet(tmp_path / x / "opportunities.parquet") for x in "ab")
    assert len(a) == len(b) == len(opp) - 3
    assert not set(opp.loc[gone, "Id"]) & set(a.opportunity_id.astype(str))


def test_salesforce_pipelines_named_by_record_type_ids_are_said_at_import_and_on_the_pages(imported, tmp_path):
    """The profile reads the pipeline from RecordType.Name, else RecordTypeName, else RecordTypeId: an
    export with only RecordTypeId named every pipeline 0125g000000AbCdAAK on every page, without a word.
    The import now prints a CHECK line naming the column, the ids and how to get the names, records
    them in _import.json, and the pages that read the deals (ctx.left_out) say it, in both languages;
    with RecordType.Name in the export, none of it."""
    import json

    from salesnb.data import facts
    from salesnb.i18n import t

    src, _ = imported["salesforce"]
    export = tmp_path / "sf"
    shutil.copytree(src.parent / "salesforce-export", export)
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False, encoding="latin-1")
    ids = ["0125g000000AbCdAAK", "0125g000000XyZwAAA"]
    o["RecordTypeId"] = [ids[i % 2] if v.strip() else "" for i, v in enumerate(o.Id)]
    o.to_csv(export / "Opportunity.csv", index=False, encoding="latin-1")
    tables, rep = import_export("salesforce", export, tmp_path / "src")
    assert set(tables["opportunities"].pipeline) == set(ids)
    check = [x for x in str(rep).splitlines() if "CHECK: pipeline is read from RecordTypeId" in x]
    assert len(check) == 1 and f"the 2 pipeline(s) are named by record type ids ({ids[0]}, {ids[1]})" in check[0]
    assert "RecordType.Name" in check[0]
    meta = json.loads((tmp_path / "src" / "_import.json").read_text(encoding="utf-8"))
    assert meta["pipeline_ids"] == {"column": "RecordTypeId", "ids": ids}
    ds = open_folder(tmp_path / "src")
    note = facts.dropped_note(ds, "orders", "opportunities")
    assert (f"The 2 pipelines are named by their Salesforce record type ids ({ids[0]}, {ids[1]}): the export "
            "carries no record type names. Add RecordType.Name") in t(note, "en")
    assert f"以其 Salesforce 记录类型 ID 命名（{ids[0]}、{ids[1]}）" in t(note, "zh-CN")
    # the names in the export: read from RecordType.Name, nothing said
    o["RecordType.Name"] = o.RecordTypeId.map(dict(zip(ids, ["New Business", "Renewals"], strict=True))).fillna("")
    o.to_csv(export / "Opportunity.csv", index=False, encoding="latin-1")
    tables, rep = import_export("salesforce", export, tmp_path / "named")
    assert set(tables["opportunities"].pipeline) == {"New Business", "Renewals"}
    assert "record type ids" not in str(rep)
    assert "pipeline_ids" not in json.loads((tmp_path / "named" / "_import.json").read_text(encoding="utf-8"))
    assert "record type" not in t(facts.dropped_note(open_folder(tmp_path / "named"), "opportunities"), "en")


def test_salesforce_data_export_without_order_products_reads_the_won_opportunities_as_sales(tmp_path):
    """Salesforce's weekly Data Export holds Opportunity.csv and no order lines unless the org uses
    Orders (a real one, Winkel Media's: Opportunity, User, CurrencyType, no OrderItem): the built-in
    profile stopped with "no file for orders". Like HubSpot's without Commerce, each won opportunity
    (IsWon, written true or 1) is now a sale on its close date, and the report says so."""
    export_demo("salesforce", tmp_path / "sf", scale=SCALE)
    (tmp_path / "sf" / "Orders with Products.csv").unlink()
    o = pd.read_csv(tmp_path / "sf" / "Opportunity.csv", dtype=str, keep_default_na=False, encoding="latin-1")
    o["IsWon"] = o.IsWon.map({"true": "1", "false": "0"})  # the Data Export's own spelling
    o["IsClosed"] = o.IsClosed.map({"true": "1", "false": "0"})
    o.to_csv(tmp_path / "sf" / "Opportunity.csv", index=False, encoding="latin-1")
    tables, report = import_export("salesforce", tmp_path / "sf", tmp_path / "src")
    won = o[o.IsWon == "1"]
    assert len(won) and sorted(tables["orders"].order_id) == sorted(won.Id)
    assert tables["orders"].amount.sum() == pytest.approx(won.Amount.astype(float).sum())
    assert "read as the profile's alternative from Opportunity.csv (each won opportunity is a sale" in str(report)
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_suggest_drafts_salesforce_s_opportunity_csv_not_the_currency_list_before_it(tmp_path):
    """A Salesforce Data Export holds CurrencyType.csv (Id, IsoCode, ConversionRate, CreatedDate, ...)
    beside Opportunity.csv: its Id and CreatedDate made it the draft's opportunities, being first by
    name, and Opportunity.csv was "looks like opportunities too; not mapped; it shares Id with
    CurrencyType.csv: join it" (every Salesforce object's own id is Id). The won deals were then
    drafted as sales from CurrencyType.csv. The file whose stage and close date matched is the
    opportunities; the currency list is drafted as what it holds (the fx_rates table), with no join
    by Id."""
    export = _sf_export(tmp_path / "sf")
    pd.DataFrame({"Id": ["01LA", "01LB"], "IsoCode": ["MXN", "USD"], "ConversionRate": ["18.2", "1"],
                  "DecimalPlaces": "2", "IsActive": "1", "IsCorporate": ["0", "1"],
                  "CreatedDate": "2022-12-01 19:00:25"}).to_csv(export / "CurrencyType.csv", index=False)
    text = suggest(export)
    assert "  opportunities:\n    file: Opportunity.csv\n" in text
    # the currency list is the rates, drafted as fx_rates (not deals, nor orders)
    assert text.count("    file: CurrencyType.csv") == 1
    assert ("  fx_rates:   # the org's exchange rates (inactive currencies too: old deals are in them)\n"
            "    file: CurrencyType.csv\n") in text
    assert "join: [{file: Opportunity.csv, key: Id}]" not in text
    assert "join: [{file: CurrencyType.csv" not in text


def test_suggest_orders_the_open_stages_by_salesforce_s_stage_sort_order(tmp_path):
    """A real Salesforce org's own stages (Interes, Diseño Propuesta, Presentación Propuesta,
    Negociación, Firmas) hold none of the funnel's English words: the draft ordered them by how
    filled in their deals are (Negociación, Diseño Propuesta, Firmas, Interes, Presentación
    Propuesta), while Opportunity.csv's StageSortOrder (1 to 5) gives the org's own order. The draft
    now follows it, and says so."""
    export = _sf_export(tmp_path / "sf")
    order = {"Interes": 1, "Diseño Propuesta": 2, "Presentación Propuesta": 3, "Negociación": 4, "Firmas": 5,
             "Closed Won": 6, "Closed Lost": 7}
    stages = ["Negociación", "Closed Won", "Firmas", "Interes", "Diseño Propuesta", "Presentación Propuesta",
              "Negociación", "Closed Lost"]
    o = pd.DataFrame({"Id": [f"006{i}" for i in range(8)], "AccountId": "001A", "OwnerId": "005A",
                      "StageName": stages, "StageSortOrder": [str(order[s]) for s in stages],
                      "Amount": ["100", "200", "", "300", "400", "", "500", "600"],
                      "CloseDate": "2024-06-01", "CreatedDate": "2024-01-02",
                      "IsClosed": [str(s.startswith("Closed")).lower() for s in stages],
                      "IsWon": [str(s == "Closed Won").lower() for s in stages]})
    o.to_csv(export / "Opportunity.csv", index=False)
    (export / "OpportunityHistory.csv").unlink()
    text = suggest(export)
    block = text.split("\nstages:\n")[1].splitlines()[:5]
    assert [b.split("stage: ")[1].split(",")[0] for b in block] == [
        "Interes", "Diseño Propuesta", "Presentación Propuesta", "Negociación", "Firmas"]
    assert "# the open stages are in the order of the export's StageSortOrder: check" in text


def test_salesforce_stages_the_profile_does_not_list_follow_stage_sort_order_without_a_history(tmp_path):
    """A real org's own stages (Interes, Diseño Propuesta, Presentación Propuesta, Negociación,
    Firmas; no OpportunityHistory in the export) were put after the profile's list by name: Diseño
    Propuesta, Firmas, Interes, Negociación, Presentación Propuesta, and the funnel's "qualified"
    (the second open stage on) counted Interes, the first. Opportunity.csv's StageSortOrder gives
    the org's order: the import follows it and says so; without it, the note says the order is by
    name and how to give it."""
    export_demo("salesforce", tmp_path / "sf", scale=SCALE)
    (tmp_path / "sf" / "OpportunityHistory.csv").unlink()
    o = pd.read_csv(tmp_path / "sf" / "Opportunity.csv", dtype=str, keep_default_na=False, encoding="latin-1")
    names = {"Prospecting": ("Interes", 1), "Qualification": ("Diseño Propuesta", 2),
             "Proposal/Price Quote": ("Presentación Propuesta", 3), "Negotiation/Review": ("Negociación", 4)}
    o["StageSortOrder"] = o.StageName.map(lambda s: str(names[s][1]) if s in names else "9")
    o["StageName"] = o.StageName.map(lambda s: names[s][0] if s in names else s)
    o.to_csv(tmp_path / "sf" / "Opportunity.csv", index=False, encoding="latin-1")
    tables, report = import_export("salesforce", tmp_path / "sf")
    st = tables["stages"].sort_values("stage_order")
    assert st[st.status == "open"].stage.tolist() == ["Interes", "Diseño Propuesta", "Presentación Propuesta",
                                                      "Negociación"]
    assert ("stages not in the profile's list, put last (the open ones in the order of the export's "
            "StageSortOrder): Interes, Diseño Propuesta") in str(report)
    o.drop(columns="StageSortOrder").to_csv(tmp_path / "sf" / "Opportunity.csv", index=False, encoding="latin-1")
    _, report = import_export("salesforce", tmp_path / "sf")
    assert ("put last (the open ones by name: nothing in the export says their order; list them in the "
            "profile's stages, first stage first): Diseño Propuesta, Interes") in str(report)


def _sf_data_export(export: Path, **extra) -> Path:
    """A Salesforce weekly Data Export as Winkel Media's: 0/1 flags, every Id quoted, users of every
    UserType; ``extra`` adds or replaces Opportunity.csv columns."""
    export.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"Id": ["005A", "005B", "005C", "005D", "005E"],
                  "FirstName": ["Ann", "Bo", "", "Insights", "Cy"],
                  "LastName": ["Lee", "Wu", "Automated Process", "Integration", "Ng"],
                  "IsActive": ["1", "0", "1", "1", "1"],
                  "UserType": ["Standard", "Standard", "AutomatedProcess", "Standard", "LicenseManager"],
                  "LastModifiedDate": ["2023-01-01 10:00:00", "2023-05-31 09:00:00", "", "", ""]}
                 ).to_csv(export / "User.csv", index=False)
    opp = {"Id": ["006A", "006B", "006C", "006D"], "IsDeleted": ["0", "0", "0", "0"],
           "AccountId": ["001A", "001B", "001A", "001B"], "OwnerId": ["005A", "005B", "005A", "005B"],
           "StageName": ["Closed Won", "Closed Lost", "Closed Lost", "Prospecting"],
           "Amount": ["100", "200", "300", "400"],
           "CloseDate": ["2023-02-01", "2023-03-01", "2023-04-01", "2023-09-01"],
           "CreatedDate": ["2023-01-01 10:00:00", "2023-01-02 10:00:00", "2023-01-03 10:00:00",
                           "2023-01-04 10:00:00"],
           "IsClosed": ["1", "1", "1", "0"], "IsWon": ["1", "0", "0", "0"],
           "Loss_Reason__c": ["", "", "", ""], "LossReason__c": ["", "Price", "", ""]}
    pd.DataFrame({**opp, **extra}).to_csv(export / "Opportunity.csv", index=False)
    return export


def test_salesforce_lost_reason_is_the_first_candidate_that_holds_values(tmp_path):
    """Winkel Media's export has an empty Loss_Reason__c and a filled LossReason__c: the profile took
    the first candidate header found, so every lost reason read empty (0 % on the pages). The import
    now reads the first candidate that holds a value, and says the earlier one was empty; when every
    candidate is empty it keeps the first, as before."""
    export = _sf_data_export(tmp_path / "sf")
    tables, report = import_export("salesforce", export)
    assert tables["opportunities"].set_index("opportunity_id").lost_reason.to_dict() == {
        "006A": None, "006B": "Price", "006C": None, "006D": None}
    assert "lost_reason ← LossReason__c" in str(report)
    assert "lost_reason: Loss_Reason__c is empty in every row; read LossReason__c instead" in str(report)
    # every candidate empty: the first, as before, and nothing said
    _sf_data_export(export, LossReason__c=["", "", "", ""])
    tables, report = import_export("salesforce", export)
    assert "lost_reason ← Loss_Reason__c" in str(report) and "empty in every row" not in str(report)
    assert tables["opportunities"].lost_reason.isna().all()


def test_salesforce_users_are_the_owners_and_an_inactive_one_has_left(tmp_path):
    """Winkel Media's User.csv lists 45 users for 8 deal owners: the Automated Process user,
    license-manager and Chatter-only users, "Insights Integration"; each got a scorecard, and an
    inactive owner (IsActive 0) one too. The import keeps the users who own a deal or an order (and
    a non-Standard owner, named), counts the others by UserType, and reads IsActive 0 as having left
    (end_date: LastModifiedDate, else the last day the data sees the user work, said)."""
    from salesnb.roster import active_reps

    export = _sf_data_export(tmp_path / "sf")
    tables, report = import_export("salesforce", export)
    r = tables["reps"].set_index("rep_id")
    assert sorted(r.index) == ["005A", "005B"]
    assert ("dropped 3 row(s): users who own no order, deal or target and manage no one who does (system, "
            "integration and app users, users who never sold): UserType AutomatedProcess 1, LicenseManager 1, "
            "Standard 1") in str(report)
    assert not [ln for ln in str(report).splitlines() if ln.startswith("    not used:") and "UserType" in ln]
    assert str(r.end_date["005B"].date()) == "2023-05-31" and pd.isna(r.end_date["005A"])
    assert active_reps(tables["reps"], as_of="2023-06-30") == ["005A"]
    # no date of leaving in the export: the day before the data's last date, said
    u = pd.read_csv(export / "User.csv", dtype=str, keep_default_na=False)
    u.loc[1, "LastModifiedDate"] = ""
    u.loc[2, "FirstName"] = "x"
    u.to_csv(export / "User.csv", index=False)
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False)
    o.loc[0, "OwnerId"] = "005C"  # the Automated Process user owns a won deal
    o.to_csv(export / "Opportunity.csv", index=False)
    tables, report = import_export("salesforce", export)
    r = tables["reps"].set_index("rep_id")
    assert sorted(r.index) == ["005A", "005B", "005C"]
    # the last day the data sees 005B work: its deal created on 2023-01-04
    assert str(r.end_date["005B"].date()) == "2023-01-04"
    assert "end_date is the last day the data sees them work" in str(report) and "005B 2023-01-04" in str(report)
    assert active_reps(tables["reps"], as_of="2023-02-01") == ["005A", "005C"]
    assert "user 005C (UserType AutomatedProcess, not Standard) owns 2 row(s): kept as a rep" in str(report)


def test_suggest_deleted_flag_written_0_1_leaves_out_a_deleted_row_written_1(tmp_path):
    """Winkel Media's Data Export writes its flags 0/1 and no record is deleted: the draft wrote
    ``IsDeleted not_in ['true']``, which keeps a deleted record written 1. The draft now says yes in
    the file's own spelling, also when only the "no" (0, false, FALSE) is there."""
    from salesnb.data.importing.suggest import _yes_values

    export = _sf_data_export(tmp_path / "sf")
    draft = suggest(export)
    assert "where: [{column: IsDeleted, not_in: ['1'], reason: deleted records}]" in draft
    (tmp_path / "d.yaml").write_text(draft.replace('currency: ""', "currency: USD"), encoding="utf-8")
    _sf_data_export(export, IsDeleted=["0", "1", "0", "0"])  # a record deleted after the draft
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert "006B" not in set(tables["opportunities"].opportunity_id)
    assert _yes_values(pd.Series(["false", "true"])) == ["true"]
    assert _yes_values(pd.Series(["FALSE"])) == ["TRUE"] and _yes_values(pd.Series(["False"])) == ["True"]
    assert _yes_values(pd.Series(["", ""])) == ["true"]


def test_suggest_drafts_no_customers_from_the_deals_name_and_type(tmp_path):
    """Winkel Media's export has no Account.csv: the draft read customers from the won deals, its name
    from Name (the opportunity's name) and its customer_type from Type (New Business, Existing
    Business: the deal's). A deals file gives customers only headers that name the customer (Account,
    Company, Customer); the draft says why it drafted none."""
    export = _sf_data_export(tmp_path / "sf", Name=["Acme renewal", "Globex pilot", "Acme 2", "Globex 2"],
                             Type=["Existing Business", "New Business", "New Business", "New Business"])
    (export / "User.csv").unlink()
    draft = suggest(export)
    assert "  customers:" not in draft
    assert ("# no customers table from the deals: their Name, Type describe the deal (its own name, its type "
            "of business), not its customer") in draft
    _sf_data_export(export, Name=["Acme renewal", "Globex pilot", "Acme 2", "Globex 2"])
    (export / "User.csv").unlink()
    assert "their Name describes the deal" in suggest(export)


def _hubspot_view_export(folder: Path) -> Path:
    """A HubSpot deals export of a saved view's columns (a consultancy's, 2023): no company column,
    the team's own stages (``Closed: won``, ``Closed: abandoned``, ``On hold / future opportunity``),
    amounts empty on many deals (networking "wins" among them), times of day on the dates, the owner
    of a departed user written ``… (Deactivated User)``, CRLF line ends."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [("6877153472", "Southampton University - Digital Strategy", "Closed: abandoned", "2023-04-04 11:48",
             "Mark Stringer", "375000", "2023-03-13 11:47"),
            ("6740049875", "British Council - Think Customer", "Closed: abandoned", "2023-02-28 14:48",
             "Mark Stringer", "1000000", "2023-02-23 14:49"),
            ("6685279692", "WIT send email to people", "On hold / future opportunity", "2023-02-22 18:12",
             "Mark Stringer", "", "2023-02-14 12:24"),
            ("6882621886", "Catapult - Business Support Challenges bid", "Closed: lost", "2023-03-17 09:02",
             "Aspasia Dellaporta", "48000", "2023-03-14 09:28"),
            ("5519670774", "National Archives - Access Your Records", "Closed: lost", "2022-10-18 14:37",
             "lenny@marvell-consulting.com (Deactivated User)", "90000", "2022-09-20 13:13"),
            ("7010137314", "GLA Functional Audit", "Closed: won", "2023-03-31 11:10", "Ben Marvell", "26250",
             "2023-03-31 11:33"),
            ("5286394321", "StatsWales Discovery", "Closed: won", "2022-11-02 12:36", "Mark Stringer", "80000",
             "2022-08-16 12:26"),
            ("7009522661", "Home Office - ASPeL", "Awaiting outcome", "2023-03-31 10:54", "Aspasia Dellaporta",
             "168000", "2023-03-31 10:58"),
            ("7002076861", "Dover Harbour Board - Port Digitisation", "Opportunity identified",
             "2023-04-28 16:14", "Aspasia Dellaporta", "", "2023-03-30 16:14")]
    df = pd.DataFrame(rows, columns=["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner",
                                     "Amount", "Create Date"])
    df.insert(6, "Closed Lost Reason", "")
    df.insert(7, "Last Modified Date", df["Create Date"])
    p = folder / "hubspot-crm-exports-all-deals-2023-04-03.csv"
    df.to_csv(p, index=False, lineterminator="\r\n")
    return p


def _hubspot_view_overrides(path: Path) -> Path:
    """The choices a user makes for the consultancy's view: the team's stages (``Closed: abandoned``
    lost) and the deal's name as the customer of the won deals read as sales."""
    path.write_text("tables:\n  orders:\n    otherwise:\n      columns:\n        customer_id: Deal Name\n"
                    "stages:\n  - {stage: Opportunity identified, status: open}\n"
                    "  - {stage: Awaiting outcome, status: open}\n"
                    "  - {stage: On hold / future opportunity, status: open}\n"
                    "  - {stage: 'Closed: won', status: won}\n  - {stage: 'Closed: lost', status: lost}\n"
                    "  - {stage: 'Closed: abandoned', status: lost}\n", encoding="utf-8")
    return path


def test_a_hubspot_export_without_a_company_column_imports_its_deals_without_customers(tmp_path):
    """A HubSpot view exported without ``Associated Company IDs``: the profile maps the deals'
    customer as optional and the contract lets a deal's customer be empty, yet the import wrote no
    customer_id column and its own validation then failed ("opportunities.customer_id: required
    column is missing"). The deals now carry an empty customer_id, said on the mapped line."""
    export = _hubspot_view_export(tmp_path / "export")
    fix = _hubspot_view_overrides(tmp_path / "fix.yaml")
    tables, rep = import_export("hubspot", export, tmp_path / "src", overrides=fix)
    opp = tables["opportunities"]
    assert "customer_id" in opp.columns and opp["customer_id"].isna().all() and len(opp) == 9
    assert "customer_id ← (empty: no column in the export)" in str(rep)
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_the_draft_reads_a_closed_stage_that_is_not_won_as_lost_and_names_reps_by_their_owner(tmp_path):
    """The consultancy's HubSpot view: the draft called ``Closed: abandoned`` open (19 of 87 deals
    would have sat in the pipeline for ever, a 2022 bid among the slipped deals) and took ``Deal
    Name`` as the name of the reps read from the deals (``name`` behind the ``deal`` prefix: a rep
    named "GLA Functional Audit"). A stage called closed and not won ended without a sale: lost;
    the reps are named by the owner column."""
    text = suggest(_hubspot_view_export(tmp_path / "export"))
    stages = text.split("stages:")[-1]
    assert "{stage: 'Closed: abandoned', status: lost}" in stages
    assert "{stage: 'Closed: won', status: won}" in stages and "{stage: 'Closed: lost', status: lost}" in stages
    assert "{stage: On hold / future opportunity, status: open}" in stages
    reps = text.split("  reps:")[1].split("stages:")[0]
    assert "name: Deal owner" in reps and "name: Deal Name" not in reps
    from salesnb.data.importing.suggest import _LOST, _WON
    for won in ("Closed Won", "Closed: won", "closedwon", "赢单"):
        assert _WON.search(won) and not _LOST.search(won), won
    for lost in ("Closed: abandoned", "Cancelled", "No decision", "Closed - withdrawn", "Closed"):
        assert _LOST.search(lost), lost
    for open_ in ("Opportunity identified", "Awaiting outcome", "Contract Sent", "Qualified To Buy"):
        assert not _LOST.search(open_) and not _WON.search(open_), open_


def test_a_hubspot_export_without_users_reads_its_reps_from_the_deal_owners(tmp_path):
    """The consultancy exported its deals only: no users file, so no reps table and no scorecard
    ("scorecards: skipped"). The reps are now the owners the deals name, one row each, and the
    departed user HubSpot writes "… (Deactivated User)" has left (an end date, no scorecard)."""
    export = _hubspot_view_export(tmp_path / "export")
    fix = _hubspot_view_overrides(tmp_path / "fix.yaml")
    tables, rep = import_export("hubspot", export, tmp_path / "src", overrides=fix)
    reps = tables["reps"].set_index("rep_id")
    assert sorted(reps.index) == sorted(["Mark Stringer", "Aspasia Dellaporta", "Ben Marvell",
                                         "lenny@marvell-consulting.com (Deactivated User)"])
    assert (reps["name"] == reps.index).all()
    gone = reps["end_date"].dropna()
    assert list(gone.index) == ["lenny@marvell-consulting.com (Deactivated User)"]
    assert str(pd.Timestamp(gone.iloc[0]).date()) == "2022-09-20"  # the last day the data sees him work
    assert "reps: no file matching" in str(rep) and "each deal owner is a rep" in str(rep)
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_an_inactive_owner_whose_every_deal_is_dropped_leaves_on_his_last_deal_not_the_data_s_last_day(tmp_path):
    """The consultancy's view imported with the deals without an amount dropped (drop_if_missing):
    the departed user's one deal (created 2022-09-20) was dropped, the import no longer saw him work
    and gave him the data's last day (2023-03-30) as his end date: a scorecard for six months he was
    gone. His end date is now his dropped deal's date, and a CHECK line says why; an owner with no
    date at all gets the day before the data's last date on a CHECK line of its own."""
    export = _hubspot_view_export(tmp_path / "export")
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    df.loc[df["Deal owner"].str.contains("Deactivated"), "Amount"] = ""
    df.loc[len(df)] = {**df.iloc[0].to_dict(), "Record ID": "1", "Deal owner": "jo@x.com (Deactivated User)",
                       "Amount": "", "Create Date": "", "Close Date": "", "Last Modified Date": ""}
    df.to_csv(export, index=False, lineterminator="\r\n")
    fix = _hubspot_view_overrides(tmp_path / "fix.yaml")
    fix.write_text(fix.read_text(encoding="utf-8").replace(
        "customer_id: Deal Name\n", "customer_id: Deal Name\n  opportunities:\n    drop_if_missing: [amount]\n"),
        encoding="utf-8")
    tables, rep = import_export("hubspot", export, tmp_path / "src", overrides=fix)
    assert "lenny@marvell-consulting.com (Deactivated User)" not in set(tables["opportunities"]["rep_id"])
    ends = tables["reps"].set_index("rep_id")["end_date"]
    assert str(pd.Timestamp(ends["lenny@marvell-consulting.com (Deactivated User)"]).date()) == "2022-09-20"
    assert str(pd.Timestamp(ends["jo@x.com (Deactivated User)"]).date()) == "2023-03-30"
    text = str(rep)
    assert ("CHECK: 1 inactive user(s) whose every deal or order the import dropped: end_date is the last day those "
            "dropped rows see them work (the export does not say when they left): lenny@marvell-consulting.com "
            "(Deactivated User) 2022-09-20 (no amount); no scorecard after it") in text
    assert ("CHECK: 1 inactive user(s) with no dated deal, activity or order in the export: end_date is the day "
            "before the data’s last date (2023-03-30), for want of a date of their own: jo@x.com (Deactivated "
            "User); no scorecard after it") in text


def test_import_prints_its_report_in_the_project_s_language_and_writes_import_json_in_english(
        tmp_path, capsys, monkeypatch):
    """``salesnb import`` printed its report in English whatever the language: a Chinese team read
    "dropped 4 row(s): no close_date" and "CHECK: ..." beside pages in Chinese. It now prints in the
    language the run takes (``lang`` of params/defaults.yaml, or ``--lang``): the table lines, drops,
    CHECK lines, notes, rates and validation; names of files, tables and columns stay as they are;
    _import.json stays as it was (English)."""
    from salesnb.cli import main

    export = _hubspot_view_export(tmp_path / "export")
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    df.loc[df["Deal owner"].str.contains("Deactivated"), "Amount"] = ""
    df.to_csv(export, index=False, lineterminator="\r\n")
    fix = _hubspot_view_overrides(tmp_path / "fix.yaml")
    fix.write_text(fix.read_text(encoding="utf-8").replace(
        "customer_id: Deal Name\n", "customer_id: Deal Name\n  opportunities:\n    drop_if_missing: [amount]\n"),
        encoding="utf-8")
    home = tmp_path / "project"
    (home / "params").mkdir(parents=True)
    (home / "params" / "defaults.yaml").write_text('lang: "zh-CN"        # en or zh-CN\n', encoding="utf-8")
    monkeypatch.setenv("SALESNB_HOME", str(home))
    assert main(["import", "hubspot", str(export.parent), "--map", str(fix), "--out", str(tmp_path / "zh")]) == 0
    zh = capsys.readouterr().out
    assert "salesnb import：配置 hubspot，导出 " in zh
    assert ("  opportunities：6 行，来自 hubspot-crm-exports-all-deals-2023-04-03.csv（读取 9 行；编码 utf-8（可按 UTF-8 "
            "解码）、分隔符 逗号）") in zh
    assert "    去掉 3 行：缺少 amount" in zh and "end_date ← Deal owner（停用）" in zh
    assert ("    请核对：1 个停用用户的全部商机或订单都被导入去掉：end_date 取这些被去掉的行中最后一次看到其工作的日期（导出没有说明"
            "何时离职）：lenny@marvell-consulting.com (Deactivated User) 2022-09-20（缺少 amount）；此后不生成记分卡") in zh
    assert "  说明：opportunities.status 取自阶段列表中各阶段的状态" in zh
    assert "校验：0 个错误，" in zh and "运行方式：salesnb run -p source=" in zh
    for english in ("dropped", "CHECK:", "note:", "rows from", "validation:", "wrote "):
        assert english not in zh, english
    # --lang wins over the project's; English as before
    assert main(["import", "hubspot", str(export.parent), "--map", str(fix), "--out", str(tmp_path / "en"),
                 "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "    dropped 3 row(s): no amount" in en and "validation: 0 error(s)" in en
    assert "  note: opportunities.status from each stage's status in the stages list" in en
    meta_zh = json.loads((tmp_path / "zh" / "_import.json").read_text(encoding="utf-8"))
    meta_en = json.loads((tmp_path / "en" / "_import.json").read_text(encoding="utf-8"))
    assert meta_zh == meta_en and not i18n_has_cjk(json.dumps(meta_zh, ensure_ascii=False))


def i18n_has_cjk(text: str) -> bool:
    from salesnb.i18n import has_cjk

    return has_cjk(text)


def test_a_header_naming_a_column_twice_reads_the_first_and_says_where_the_copy_differs(tmp_path):
    """HubSpot's all-properties deals export (2023) names ``Associated Company`` and ``Associated
    Company IDs`` twice: the primary company's, then every associated one's (``5709268960;
    5709493184``). The import stopped ("the header names columns twice"), so the export HubSpot's
    profile is written for could not be read at all. The first copy is read (the primary company:
    one id per deal); where the other differs, a CHECK line names it, a row and the name to map it by."""
    head = ["Record ID", "Amount", "Close Date", "Create Date", "Deal Name", "Deal owner", "Deal Stage",
            "Is Deal Closed?", "Pipeline", "Associated Company", "Associated Note", "Associated Company",
            "Associated Company IDs", "Associated Note IDs", "Associated Company IDs"]
    rows = [["4791568071", "100000.0", "2022-06-23 12:31", "2022-06-07 16:25", "BEIS - Net Zero discovery",
             "Aspasia Dellaporta", "Closed: lost", "true", "Sales Pipeline", "Ipsos", "",
             "Department for Business, Energy and Industrial Strategy;Ipsos", "5709493184", "12825148110",
             "5709268960;5709493184"],
            ["7009522661", "168000.0", "2023-04-04 12:26", "2023-03-31 10:58", "Home Office - ASPeL",
             "Aspasia Dellaporta", "Closed: won", "true", "Sales Pipeline", "UK Home Office", "",
             "UK Home Office", "7003159016", "", "7003159016"],
            ["7002076861", "", "2023-04-28 16:14", "2023-03-30 16:14", "Dover Harbour Board",
             "Aspasia Dellaporta", "Opportunity identified", "false", "Sales Pipeline", "", "", "", "", "", ""]]
    folder = tmp_path / "export"
    folder.mkdir()
    import csv

    with open(folder / "hubspot-crm-exports-all-deals-2023-05-16.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(head)
        w.writerows(rows)
    fix = tmp_path / "fix.yaml"
    fix.write_text("stages:\n  - {stage: Opportunity identified, status: open}\n"
                   "  - {stage: 'Closed: won', status: won}\n  - {stage: 'Closed: lost', status: lost}\n",
                   encoding="utf-8")
    tables, rep = import_export("hubspot", folder, tmp_path / "src", overrides=fix)
    opp = tables["opportunities"].set_index("opportunity_id")
    assert opp.loc["4791568071", "customer_id"] == "5709493184"
    assert tables["orders"]["customer_id"].tolist() == ["7003159016"]
    text = str(rep)
    assert ("CHECK: Associated Company IDs is named twice in the header: the first column is read; the other "
            "(read as 'Associated Company IDs (2)') differs in 1 row(s), e.g. data row 1: '5709493184' and "
            "'5709268960;5709493184'") in text
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_a_zoho_export_without_users_reads_its_reps_from_the_deal_owners(tmp_path):
    """Zoho's Deals exported without Users.csv: the reps are the Deal Owners, one row each, so the
    scorecards have their reps (no reps table before: "scorecards: skipped")."""
    tables, rep = import_export("zoho", _zoho_deals(tmp_path, ["1", "7", "0.9"]))
    assert sorted(tables["reps"]["rep_id"]) == ["A", "B"] and (tables["reps"]["name"] == tables["reps"]["rep_id"]).all()
    assert "reps: no file matching ['Users*.csv']" in str(rep)


def _sf_currencies(export: Path, *, dated: list[dict] | None = None, **currencies) -> Path:
    """A multi-currency Salesforce Data Export as Winkel Media's (2023-09-01): Opportunity.csv with
    CurrencyIsoCode, CurrencyType.csv (ConversionRate: units per 1 USD, the corporate currency; PEN
    inactive) and DatedConversionRate.csv (header only, as theirs, unless ``dated`` rows are given)."""
    _sf_data_export(export, **{"CurrencyIsoCode": ["MXN", "USD", "PEN", "MXN"], **currencies})
    pd.DataFrame({"Id": ["01LA", "01LB", "01LC", "01LD"], "IsoCode": ["MXN", "USD", "PEN", "COP"],
                  "ConversionRate": ["18.2", "1", "3.85", "4500"], "DecimalPlaces": "2",
                  "IsActive": ["1", "1", "0", "1"], "IsCorporate": ["0", "1", "0", "0"],
                  "CreatedDate": "2022-12-01 19:00:25"}).to_csv(export / "CurrencyType.csv", index=False)
    cols = ["Id", "IsoCode", "StartDate", "NextStartDate", "ConversionRate", "CreatedDate"]
    pd.DataFrame(dated or [], columns=cols).to_csv(export / "DatedConversionRate.csv", index=False)
    return export


def test_salesforce_multi_currency_export_imports_with_the_org_s_own_rates(tmp_path):
    """Winkel Media's Data Export holds deals in MXN, COP, USD and PEN: the import wrote them, and
    the run stopped for want of an fx_rates table that the user had to write by hand from
    CurrencyType.csv. The built-in profile now reads CurrencyType.csv into fx_rates (rate = 1 ÷
    ConversionRate, for every month; an inactive currency too: old deals are in it), into the
    corporate currency (IsCorporate), which becomes the reporting currency; the report and
    _import.json say where the rates came from."""
    export = _sf_currencies(tmp_path / "sf")
    tables, report = import_export("salesforce", export, tmp_path / "src")
    fx = tables["fx_rates"].set_index("currency")
    assert set(fx.period) == {"*"}
    assert fx.rate.to_dict() == pytest.approx({"MXN": 1 / 18.2, "USD": 1.0, "PEN": 1 / 3.85, "COP": 1 / 4500})
    assert report.currency == "USD"
    text = str(report)
    assert ("rates: fx_rates from CurrencyType.csv (4 rows), DatedConversionRate.csv (no rows): 4 rates for every "
            "month, 4 currencies (COP, MXN, PEN, USD) into USD (the corporate currency); one rate for every month "
            "without a monthly one: COP, MXN, PEN, USD") in text
    assert ("  fx_rates: 4 currencies at one rate for every month from CurrencyType.csv, no rows in "
            "DatedConversionRate.csv (4 read; ") in text
    meta = json.loads((tmp_path / "src" / "_import.json").read_text(encoding="utf-8"))
    assert meta["reporting_currency"] == "USD"
    assert meta["fx_rates"]["base_currency"] == "USD" and meta["fx_rates"]["currencies"] == ["COP", "MXN", "PEN", "USD"]
    ds = open_folder(tmp_path / "src")
    assert not [str(p) for p in validate(ds) if p.severity == "error" and p.column == "currency"]
    won = ds.table("orders").execute().set_index("order_id")
    assert won.loc["006A", "amount"] == pytest.approx(100 / 18.2)  # the won MXN deal, in USD
    deals = ds.table("opportunities").execute().set_index("opportunity_id")
    assert deals.loc["006C", "amount"] == pytest.approx(300 / 3.85)  # PEN: an inactive currency


def test_salesforce_dated_rates_give_each_month_its_day_weighted_rate_and_win_over_the_static_one(tmp_path):
    """Advanced currency management adds DatedConversionRate.csv: a rate per date range (the first
    starts on 0001-01-01, the last ends on 9999-12-31). Salesforce converts a closed deal at the rate
    in force on its CloseDate; salesnb converts by month, so a month's rate is the mean of the rates
    in force in it, weighted by their days (the same when the ranges start on the 1st). Months the
    dated rates cover take them; the static rate of CurrencyType.csv stays for the others."""
    dated = [{"Id": "04wA", "IsoCode": "MXN", "StartDate": "0001-01-01", "NextStartDate": "2023-02-15",
              "ConversionRate": "20", "CreatedDate": "2023-01-01"},
             {"Id": "04wB", "IsoCode": "MXN", "StartDate": "2023-02-15", "NextStartDate": "9999-12-31",
              "ConversionRate": "18", "CreatedDate": "2023-02-15"}]
    export = _sf_currencies(tmp_path / "sf", dated=dated)
    tables, report = import_export("salesforce", export, tmp_path / "src")
    fx = tables["fx_rates"]
    mxn = fx[fx.currency == "MXN"].set_index("period").rate
    assert mxn["2023-01"] == pytest.approx(1 / 20)
    assert mxn["2023-02"] == pytest.approx((14 / 20 + 14 / 18) / 28)  # 14 days at each rate
    assert mxn["2023-03"] == pytest.approx(1 / 18) and mxn["2023-09"] == pytest.approx(1 / 18)
    assert mxn["*"] == pytest.approx(1 / 18.2)  # the static rate, for months no dated rate covers
    assert set(fx[fx.currency == "PEN"].period) == {"*"}
    assert "2 date range(s) (StartDate … NextStartDate) read as 10 month row(s) from 2023-01 to 2023-09" in str(report)
    assert "monthly rates 2023-01 to 2023-09" in str(report)
    # the table's line says what its rows are: the 4 currencies' rates for every month and MXN's 9
    # monthly ones, each from its file; it read "13 rows from CurrencyType.csv", which has 4
    text = str(report)
    assert ("  fx_rates: 4 currencies at one rate for every month from CurrencyType.csv, 9 monthly rates from "
            "DatedConversionRate.csv (6 read; ") in text
    assert "rows from CurrencyType.csv" not in text
    assert ": 4 rates for every month, 9 monthly rates, 4 currencies (COP, MXN, PEN, USD) into USD" in text
    ds = open_folder(tmp_path / "src")
    won = ds.table("orders").execute().set_index("order_id")
    assert won.loc["006A", "amount"] == pytest.approx(100 * (14 / 20 + 14 / 18) / 28)  # closed 2023-02-01


def test_salesforce_currency_without_a_rate_still_stops_with_the_currencies_months_and_rows(tmp_path):
    """A currency the org's rates do not list (a deal in EUR) is no more converted than before: the
    validation error names the currency, its months and its rows."""
    export = _sf_currencies(tmp_path / "sf", CurrencyIsoCode=["MXN", "EUR", "PEN", "MXN"])
    import_export("salesforce", export, tmp_path / "src")
    errors = [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]
    errors = [e for e in errors if "fx_rates" in e]  # (the small export's users lack team and region)
    assert len(errors) == 1
    assert "no exchange rate to USD in fx_rates for these currencies and months (EUR: 2023-03)" in errors[0]
    assert "opportunity_id = 006B, currency = EUR" in errors[0]


def test_salesforce_user_s_own_fx_rates_file_wins_over_the_org_s_rates(tmp_path):
    """Rates the user puts beside the export (fx_rates.csv: currency, period, rate) are read instead
    of Salesforce's: a CHECK line says that CurrencyType.csv is there and not read."""
    export = _sf_currencies(tmp_path / "sf")
    pd.DataFrame({"currency": ["MXN", "PEN", "USD"], "period": ["*", "*", "*"],
                  "rate": ["0.05", "0.25", "1"]}).to_csv(export / "fx_rates.csv", index=False)
    tables, report = import_export("salesforce", export)
    assert tables["fx_rates"].set_index("currency").rate.to_dict() == {"MXN": 0.05, "PEN": 0.25, "USD": 1.0}
    assert ("CHECK: fx_rates.csv is read as fx_rates; CurrencyType.csv, DatedConversionRate.csv are there too "
            "and not read") in str(report)


def test_salesforce_rates_are_worked_out_into_another_reporting_currency(tmp_path):
    """A profile (or --map) that sets reporting_currency: MXN gets rates into MXN worked out through
    the corporate currency: rate(X → MXN) = rate(X → USD) ÷ rate(MXN → USD)."""
    export = _sf_currencies(tmp_path / "sf")
    (tmp_path / "map.yaml").write_text("reporting_currency: MXN\n", encoding="utf-8")
    tables, report = import_export("salesforce", export, tmp_path / "src", overrides=tmp_path / "map.yaml")
    fx = tables["fx_rates"].set_index("currency").rate
    assert fx["USD"] == pytest.approx(18.2) and fx["MXN"] == pytest.approx(1.0)
    assert fx["PEN"] == pytest.approx(18.2 / 3.85)
    assert report.currency == "MXN"
    assert "into MXN (via USD, the rates' own currency)" in str(report)
    deals = open_folder(tmp_path / "src").table("opportunities").execute().set_index("opportunity_id")
    assert deals.loc["006B", "amount"] == pytest.approx(200 * 18.2)


def test_suggest_drafts_fx_rates_from_salesforce_s_currency_lists_and_the_draft_imports(tmp_path):
    """The draft named CurrencyType.csv and DatedConversionRate.csv in a comment and left the user to
    write the rates by hand. It now drafts the fx_rates table (1 ÷ ConversionRate; the dated rates by
    month beside the static ones), and the draft imports with the rates read."""
    export = _sf_currencies(tmp_path / "sf")
    text = suggest(export)
    assert "  fx_rates:" in text and "    file: CurrencyType.csv\n" in text
    assert '    base_currency: {column: IsCorporate, in: ["true", "1"]}   # USD, the corporate currency' in text
    assert "      rate: {derive: {reciprocal: ConversionRate}}" in text
    assert "      - file: DatedConversionRate.csv   # no rows" in text
    assert "        per_month: {start: StartDate, end: NextStartDate}" in text
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, report = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["fx_rates"].set_index("currency").rate["MXN"] == pytest.approx(1 / 18.2)
    assert report.currency == "USD"


def test_suggest_never_takes_a_deal_s_name_as_a_rep_s_name(tmp_path):
    """A Salesforce export without User.csv: the draft read the reps from the won deals and mapped
    reps.name to Opportunity's Name, so every rep was named after one of their deals. A bare Name on
    deals or order lines names the record; the rep's id is the name, and the draft says so."""
    export = _sf_data_export(tmp_path / "sf", Name=["Acme renewal", "Big deal", "Pilot", "Upsell"])
    (export / "User.csv").unlink()
    text = suggest(export)
    block = text.split("  reps:\n")[1].split("\n  ")[0:8]
    assert "      name: Name" not in text
    assert any(line.startswith("    name: OwnerId   # no user list: the rep id doubles as the name (Name "
                               "names the deal, not a person)") for line in block)


def test_pages_say_which_rates_converted_the_amounts(tmp_path):
    """The data overview said "3 other currencies converted with fx_rates" and nothing of where the
    rates came from: an import that read them from the org's CurrencyType.csv now says so on the
    page, with the months they cover and the currency they convert into, in English and Chinese."""
    from salesnb.data import facts
    from salesnb.i18n import t

    dated = [{"Id": "04wA", "IsoCode": "MXN", "StartDate": "2023-01-01", "NextStartDate": "2023-03-01",
              "ConversionRate": "20", "CreatedDate": "2023-01-01"}]
    export = _sf_currencies(tmp_path / "sf", dated=dated)
    import_export("salesforce", export, tmp_path / "src")
    ds = open_folder(tmp_path / "src")
    assert t(facts.currency_note(ds), "en").endswith(
        "converted with fx_rates: MXN, PEN. Rates read at import from CurrencyType.csv (4 rows), "
        "DatedConversionRate.csv (1 row): monthly rates 2023-01 to 2023-02, and one rate for every other "
        "month; into USD, the corporate currency.")
    assert t(facts.currency_note(ds), "zh-CN").endswith(
        "。汇率于导入时读自 CurrencyType.csv（4 行）、DatedConversionRate.csv（1 行）：2023-01 至 2023-02 的逐月汇率，"
        "其余月份各用一个固定汇率；换算为公司本位币 USD。")
    # a run in another reporting currency than the rates': the note does not claim them, and the
    # validation stops the run (rates into USD read as rates into MXN would convert 1 USD to 1 MXN)
    ds.configure(reporting_currency="MXN")
    assert "Rates read at import" not in t(facts.currency_note(ds), "en")
    errors = [str(p) for p in validate(ds) if p.severity == "error" and p.table == "fx_rates"]
    assert len(errors) == 1 and ("the rates in fx_rates convert into USD (as the import read them), not into "
                                 "MXN, the run's reporting currency; import again with reporting_currency: MXN") in errors[0]


def test_a_rep_scorecard_says_what_its_own_open_deals_lack_not_the_companys(small_tables, tmp_path):
    """Maven's 30 rep scorecards each opened with "None of the 2,089 open deals carries an expected close
    date" and "... an amount" (about coverage and P(miss), which no scorecard shows) and "500 of the 2,089
    open deals carry no created date": the company's deals on every rep's page. A scorecard now counts
    its rep's open deals and says only what its funnel feels; the company pages keep the whole note."""
    from salesnb.data import facts
    from salesnb.i18n import t
    from tests.conftest import write_tables

    op = small_tables["opportunities"].copy()
    open_ = op.index[op.status == "open"]
    rep = op.loc[open_[0], "rep_id"]
    mine = op.index[(op.status == "open") & (op.rep_id == rep)]
    others = op.index[(op.status == "open") & (op.rep_id != rep)]
    assert len(others) >= 2
    op["created_date"] = op["created_date"].astype(object)
    op.loc[list(mine[:1]) + list(others[:2]), "created_date"] = None
    op.loc[open_, "amount"] = None
    small_tables["opportunities"] = op
    ds = open_folder(write_tables(small_tables, tmp_path / "src"))
    company = facts.dropped_note(ds, "orders", "opportunities")
    assert f"None of the {len(open_)} open deals carries an amount" in company
    assert f"3 of the {len(open_)} open deals carry no created date" in company
    note = facts.dropped_note(ds, "orders", "opportunities", rep_id=rep)
    assert note == (f"1 of this rep's {len(mine)} open deals carry no created date: the funnel's created and "
                    "qualified counts leave them out (when they were created is not known).")
    assert t(note, "zh-CN").startswith(f"该销售代表的 {len(mine)} 个未结商机中有 1 个没有创建日期")
    undated = set(op.loc[op.created_date.isna(), "rep_id"])
    other = next(r for r in small_tables["reps"].rep_id if r not in undated)
    assert facts.dropped_note(ds, "opportunities", rep_id=other) == ""  # nothing the scorecard feels


def _hubspot_flagged_export(folder: Path, *, won_flag: bool = False) -> Path:
    """A HubSpot "all properties" deals export (the consultancy's, 2023-05-16): ``Is Deal Closed?`` and
    ``Deal probability`` beside the stage, and ``Is Closed Won`` in a portal whose export has it. The
    team's custom stage ``Closed: abandoned`` is open to HubSpot (not closed, probability 0.1); open
    deals carry no amount yet, and a won networking deal has none either."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [("7388694511", "Opportunity identified", "false", "0.07", "", "2023-05-31 14:27", "2023-05-09 14:27"),
            ("7387465960", "Closed: abandoned", "false", "0.1", "", "2023-05-31 12:50", "2023-05-02 12:50"),
            ("7256319201", "Closed: abandoned", "false", "0.1", "130000", "2023-05-05 11:01", "2023-04-26 12:36"),
            ("7009522661", "Closed: won", "true", "1.0", "168000", "2023-04-04 12:26", "2023-03-31 10:58"),
            ("6882621886", "Closed: lost", "true", "0.0", "48000", "2023-03-17 09:02", "2023-03-14 09:28"),
            ("6685279692", "Closed: won", "true", "1.0", "", "2023-03-22 18:12", "2023-02-14 12:24")]
    df = pd.DataFrame(rows, columns=["Record ID", "Deal Stage", "Is Deal Closed?", "Deal probability", "Amount",
                                     "Close Date", "Create Date"])
    df.insert(1, "Deal Name", [f"deal {i}" for i in range(len(df))])
    df.insert(2, "Deal owner", ["Aspasia Dellaporta", "Mark Stringer"] * 3)
    df["Pipeline"] = "Sales Pipeline"
    df["Associated Company IDs"] = ["5709493184", "7003159016"] * 3
    if won_flag:
        df["Is Closed Won"] = ["false", "false", "false", "true", "false", "false"]
    p = folder / "hubspot-crm-exports-all-deals-2023-05-16.csv"
    df.to_csv(p, index=False, lineterminator="\r\n")
    return p


_HS_STAGES = ("stages:\n  - {stage: Opportunity identified, status: open}\n"
              "  - {stage: 'Closed: won', status: won}\n  - {stage: 'Closed: lost', status: lost}\n")


def test_hubspot_reads_each_deal_s_status_from_is_deal_closed_and_says_a_stage_named_lost_it_calls_open(tmp_path):
    """HubSpot's full export says which deals are closed (``Is Deal Closed?``), and, in some portals,
    which are won (``Is Closed Won``); the profile read neither, so a custom stage ``Closed: abandoned``
    that HubSpot counts open was read by the stages list (or the draft's reading of its name) as lost,
    without a word. The profile now reads the flags when the export has them: the won flag as for
    Salesforce; with the closed flag alone, a closed deal is won when its stage is. A stage whose name
    says lost while the flags say open is a CHECK line naming the stage, both readings and the rows."""
    export = _hubspot_flagged_export(tmp_path / "a")
    fix = tmp_path / "fix.yaml"
    fix.write_text("tables:\n  orders:\n    otherwise:\n      drop_if_missing: [amount]\n"
                   "  opportunities:\n    drop_if_missing: []\n" + _HS_STAGES,  # every deal kept, to read its status
                   encoding="utf-8")
    tables, rep = import_export("hubspot", export.parent, overrides=fix)
    opp = tables["opportunities"].set_index("opportunity_id")
    assert opp.status.to_dict() == {"7388694511": "open", "7387465960": "open", "7256319201": "open",
                                    "7009522661": "won", "6882621886": "lost", "6685279692": "won"}
    text = str(rep)
    assert "status ← status_from_flags(closed: Is Deal Closed?, won: (none), stage: Deal Stage)" in text
    assert ("status: Is Deal Closed? says which deals are closed; no won flag (Is Closed Won, hs_is_closed_won not "
            "in the export), so a closed deal is won when its Deal Stage is won by the stages list or by its name, "
            "else lost: 2 won, 1 lost, 3 open") in text
    assert ("    CHECK: Deal Stage 'Closed: abandoned' reads as lost by its name, but Is Deal Closed? says open for "
            "2 rows: data rows 2, 3: read as open (the CRM's own status); if these deals are lost, close the stage "
            "in the CRM's pipeline settings, or check these deals") in text.splitlines()
    # listed as lost in the stages list: the list's CHECK line says it instead, once
    fix.write_text(fix.read_text(encoding="utf-8") + "  - {stage: 'Closed: abandoned', status: lost}\n",
                   encoding="utf-8")
    _, rep = import_export("hubspot", export.parent, overrides=fix)
    checks = [x for x in str(rep).splitlines() if "CHECK" in x and "abandoned" in x]
    assert checks == ["    CHECK: Is Deal Closed? (each deal's status, kept) disagree with the profile's stages list "
                      "for 2 deals: Closed: abandoned, listed as lost, is open in 2 rows: data rows 2, 3; check the "
                      "stages list, or these deals in the CRM"]
    # a portal whose export has Is Closed Won: each deal's status from both flags, as for Salesforce
    export = _hubspot_flagged_export(tmp_path / "b", won_flag=True)
    tables, rep = import_export("hubspot", export.parent, overrides=fix)
    assert tables["opportunities"].set_index("opportunity_id").status["6685279692"] == "lost"
    assert "status ← status_from_flags(closed: Is Deal Closed?, won: Is Closed Won)" in str(rep)
    # an export without the flags (a saved view's columns): the stages list, as before
    fix.write_text("tables:\n  orders:\n    otherwise:\n      columns:\n        customer_id: Deal Name\n"
                   + _HS_STAGES + "  - {stage: Awaiting outcome, status: open}\n"
                   "  - {stage: On hold / future opportunity, status: open}\n"
                   "  - {stage: 'Closed: abandoned', status: lost}\n", encoding="utf-8")
    tables, rep = import_export("hubspot", _hubspot_view_export(tmp_path / "c").parent, overrides=fix)
    assert "status ←" not in str(rep) and "opportunities.status from each stage's status" in str(rep)


def test_drop_if_missing_unless_open_drops_the_closed_deals_without_the_value_and_keeps_the_open_ones(tmp_path):
    """In the consultancy's export only a closed deal needs an amount (a won deal is a sale, a closed
    one's amount enters the average deal size) while many open deals have none yet, as the contract
    allows. ``drop_if_missing: [amount]`` dropped the open deals too, and the one other way, a
    default of 0, put invented zeros in the deal sizes. ``{columns: [amount], unless_open: true}``
    drops the won and lost deals without an amount only, counted and said like other drops, and the
    pages say it (en, zh)."""
    import json

    from salesnb.data import facts
    from salesnb.i18n import t

    export = _hubspot_flagged_export(tmp_path / "a")
    fix = tmp_path / "fix.yaml"
    fix.write_text("tables:\n  orders:\n    otherwise:\n      drop_if_missing: [amount]\n"
                   "  opportunities:\n    drop_if_missing: [close_date, {columns: [amount], unless_open: true}]\n"
                   + _HS_STAGES, encoding="utf-8")
    tables, rep = import_export("hubspot", export.parent, tmp_path / "src", overrides=fix)
    opp = tables["opportunities"]
    assert sorted(opp.opportunity_id) == ["6882621886", "7009522661", "7256319201", "7387465960", "7388694511"]
    assert opp[opp.status == "open"].amount.isna().sum() == 2
    assert "    dropped 1 row(s): no amount (closed deals only: open deals without it are kept)" in str(rep).splitlines()
    meta = json.loads((tmp_path / "src" / "_import.json").read_text(encoding="utf-8"))
    assert {"table": "opportunities", "rows": 1, "column": "amount", "only": "closed"} in meta["dropped_empty"]
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]
    note = facts.dropped_note(open_folder(tmp_path / "src"), "opportunities")
    assert t(note, "en").startswith("The import left out 1 closed deal(s) of opportunities with an empty amount "
                                    "(see the data overview; the open deals without it are kept)")
    assert t(note, "zh-CN").startswith("导入时略去了 opportunities 中 1 个已结束的商机（amount 为空")
    # the stages list decides the status when the export has no flags
    view = _hubspot_view_export(tmp_path / "v")
    fix.write_text("tables:\n  orders:\n    otherwise:\n      drop_if_missing: [amount]\n      columns:\n"
                   "        customer_id: Deal Name\n  opportunities:\n    drop_if_missing: {columns: [amount], "
                   "unless_open: true}\n" + _HS_STAGES + "  - {stage: Awaiting outcome, status: open}\n"
                   "  - {stage: On hold / future opportunity, status: open}\n"
                   "  - {stage: 'Closed: abandoned', status: lost}\n", encoding="utf-8")
    tables, rep = import_export("hubspot", view.parent, overrides=fix)
    assert len(tables["opportunities"]) == 9 and "no amount" not in str(rep)  # the two without one are open
    # a wrong entry, or unless_open on a table without open deals, stops the import saying so
    fix.write_text("tables:\n  opportunities:\n    drop_if_missing: {columns: [amount], unless: open}\n"
                   + _HS_STAGES, encoding="utf-8")
    with pytest.raises(ImportError_, match=r"tables.opportunities.drop_if_missing: an entry is a column, or "
                                           r"\{columns: \[...\], unless_open: true\}"):
        import_export("hubspot", export.parent, overrides=fix)
    fix.write_text("tables:\n  orders:\n    otherwise:\n      drop_if_missing: {columns: [amount], unless_open: true}\n"
                   + _HS_STAGES, encoding="utf-8")
    with pytest.raises(ImportError_, match="tables.orders.drop_if_missing: unless_open is for opportunities"):
        import_export("hubspot", export.parent, overrides=fix)


def test_suggest_reads_hubspot_s_is_deal_closed_and_offers_to_drop_only_the_closed_deals_without_an_amount(tmp_path):
    """The draft read HubSpot's stages by their names (``Closed: abandoned`` lost, though HubSpot counts
    it open) and left ``Is Deal Closed?`` unplaced; for the deals without an amount it offered to drop
    them all, the open ones too. It now reads each deal's status from the closed flag (a closed deal by
    its stage's name), says on the stage's line where the name and the flag disagree, and offers
    ``{columns: [amount], unless_open: true}`` where won or lost deals and open ones lack an amount."""
    export = _hubspot_flagged_export(tmp_path / "a")
    text = suggest(export)
    assert _draft_line(text, "opportunities", "status").startswith(
        "      status: {derive: {status_from_flags: {closed: 'Is Deal Closed?', stage: Deal Stage}}}   # each deal's "
        "open or closed as the CRM says it (Is Deal Closed?)")
    assert ("  - {stage: 'Closed: abandoned', status: open}   # 2 deals; CHECK: its name reads lost, but Is Deal "
            "Closed? says open for 2 rows: data rows 2, 3: the import reads the CRM's open") in text.splitlines()
    assert "    # drop_if_missing: {columns: [amount], unless_open: true}" in text.splitlines()
    assert ("    #   unless_open keeps the 2 open deals without amount (an open deal may leave it empty): only won and "
            "lost deals are dropped") in text.splitlines()
    assert ("    #   dropping them leaves out 1 of 6 rows: it removes 1 won or lost deals from the win rates, deal "
            "sizes and cycle lengths") in text.splitlines()
    draft = text.replace("    # drop_if_missing: {columns: [amount], unless_open: true}",
                         "    drop_if_missing: {columns: [amount], unless_open: true}")
    draft = draft.replace('currency: ""', "currency: GBP")
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    tables, rep = import_export(str(tmp_path / "d.yaml"), export, tmp_path / "src")
    assert tables["opportunities"].status.tolist() == ["open", "open", "open", "won", "lost"]
    assert not [str(p) for p in validate(open_folder(tmp_path / "src"))
                if p.severity == "error" and "opportunities" in str(p)]


def _zoho_potentials(tmp_path) -> Path:
    """A Zoho export of the Potentials era (before 2019 Deals were Potentials; Zoho Analytics' copy of
    a CRM still names them so: rahulanilnair/Analysis-of-ZOHO-CRM-Analytics-using-SQL): Potentials.csv
    alone, its owner in Potential Owner, no Sales Orders, Invoices or Users."""
    deals = pd.DataFrame({"Record Id": ["p1", "p2", "p3", "p4"],
                          "Potential Name": ["Lewis, James", "Kirk, Rebecca", "Moore, Kevin", "Bush, John"],
                          "Potential Owner": ["Roger Terrence", "Rozario Diego", "David Love", "Roger Terrence"],
                          "Account Name.id": ["a1", "a2", "a1", "a3"],
                          "Created Time": ["15/03/2021 00:02", "15/03/2021 00:02", "13/03/2021 00:02", "06/03/2021 00:02"],
                          "Closing Date": ["16/04/2021", "16/04/2021", "15/04/2021", "10/04/2021"],
                          "Stage": ["Needs Analysis", "Closed Won", "Closed Lost", "Closed Won"],
                          "Amount": ["$22,700.00", "$29,700.00", "$22,400.00", "$16,700.00"]})
    tmp_path.mkdir(parents=True, exist_ok=True)
    _csv(tmp_path, "Potentials.csv", deals)
    return tmp_path


def test_a_zoho_potentials_export_alone_reads_its_owners_and_its_won_deals_as_sales(tmp_path):
    """The zoho profile read a Deals export only beside Sales Orders or Invoices ("no file for
    orders") and named the owner Deal Owner only: a Potentials export (Potential Owner) alone now
    imports, its won deals the sales, its owners the reps."""
    tables, rep = import_export("zoho", _zoho_potentials(tmp_path))
    o = tables["orders"]
    assert o.order_id.tolist() == ["p2", "p4"] and o.amount.tolist() == [29700.0, 16700.0]
    assert o.rep_id.tolist() == ["Rozario Diego", "Roger Terrence"] and o.customer_id.tolist() == ["a2", "a3"]
    assert str(o.order_date.iloc[0].date()) == "2021-04-16"
    assert tables["opportunities"].rep_id.tolist() == ["Roger Terrence", "Rozario Diego", "David Love",
                                                       "Roger Terrence"]
    assert sorted(tables["reps"].rep_id) == ["David Love", "Roger Terrence", "Rozario Diego"]
    assert "each won deal is a sale on its close date" in str(rep) and "dropped 2 row(s): not a won deal" in str(rep)


def test_suggest_reads_a_zoho_potentials_export_and_its_users_list(tmp_path):
    """The draft for a Zoho Potentials export (as copied through Zoho Analytics) and its Users.csv
    (USER_ID, an empty First Name, the whole name in Last Name, Email) left the owner, both dates and
    the users unread: Potential Owner is the rep, "15 Apr, 2021 00:02:00" is read with its format,
    and the users list is the reps (their names as the deals name them; one team and region for
    everyone, as no column gives them) instead of "none of its headers is a column salesnb knows"."""
    export = tmp_path / "zoho"
    export.mkdir()
    pd.DataFrame({"Potential Name": ["Lewis, James", "Kirk, Rebecca", "Moore, Kevin"],
                  "Potential Owner": ["Roger Terrence", "Rozario Diego", "Roger Terrence"],
                  "Created Time": ["15 Apr, 2021 00:02:00", "15 Apr, 2021 00:02:00", "13 Apr, 2021 00:02:00"],
                  "Closing Date": ["16 Apr, 2021 00:03:00", "16 Apr, 2021 00:03:00", "15 Apr, 2021 00:03:00"],
                  "Amount": ["$22,700.00", "$29,700.00", "$22,400.00"],
                  "Stage": ["Needs Analysis", "Closed Won", "Closed Lost"],
                  "LEADID": ["1832", "1941", "1786"]}).to_csv(export / "Potentials.csv", index=False)
    pd.DataFrame({"USER_ID": ["1001", "1008"], "First Name": ["", ""],
                  "Last Name": ["Rozario Diego", "Roger Terrence"],
                  "Email": ["rozario@finepick.com", "roger@finepick.com"]}).to_csv(export / "Users.csv", index=False)
    text = suggest(export)
    opp = text.split("  opportunities:")[1].split("\n  reps:")[0]
    assert "rep_id: Potential Owner" in opp
    assert "created_date: {column: Created Time, format: '%d %b, %Y %H:%M:%S'}" in opp
    reps = text.split("\n  reps:")[1]
    assert "file: Users.csv" in reps and "rep_id: {derive: {concat: [First Name, Last Name]}}" in reps
    assert "team: {value: All}" in reps and "region: {value: All}" in reps
    assert "is a column salesnb knows" not in text
    prof = yaml.safe_load(text)
    prof["currency"] = "USD"
    prof["tables"]["opportunities"]["columns"].update(opportunity_id="LEADID", customer_id="Potential Name")
    prof["tables"]["orders"]["columns"].update(order_id="LEADID", customer_id="Potential Name")
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "p.yaml"), export)
    assert set(tables["opportunities"].rep_id) <= set(tables["reps"].rep_id) == {"Rozario Diego", "Roger Terrence"}


def test_amounts_with_a_currency_mark_and_no_currency_stated_are_a_check_line(tmp_path):
    """Zoho's amounts read "$22,700.00": the import dropped the '$' silently and the data overview
    said "The data does not say its currency"; the import now asks for the currency the mark means."""
    export = _zoho_potentials(tmp_path / "export")
    _, rep = import_export("zoho", export)
    assert ("CHECK: Amount carries '$' (USD or CAD or AUD or HKD or SGD or NZD) but neither the profile nor "
            "a currency column says the currency") in str(rep)
    assert str(rep).count("Amount carries '$'") == 2  # orders (the won deals) and opportunities
    fix = tmp_path / "fix.yaml"
    fix.write_text("currency: USD\n", encoding="utf-8")
    _, rep = import_export("zoho", export, overrides=fix)
    assert "carries '$'" not in str(rep) and rep.currency == "USD"


def test_a_table_mapped_to_its_alternatives_file_is_not_told_that_file_is_there_too(tmp_path):
    """--map naming the Deals file as the orders of a profile whose orders' alternative is that file
    (zoho, hubspot): "Potentials.csv is read as orders; Potentials.csv is there too and not read"."""
    export = _zoho_potentials(tmp_path / "export")
    fix = tmp_path / "fix.yaml"
    fix.write_text("currency: USD\ntables:\n  orders:\n    file: Potentials.csv\n"
                   "    where: {column: Stage, in: [Closed Won], reason: not a won deal}\n"
                   "    columns: {order_id: Record Id, order_date: {column: Closing Date, format: '%d/%m/%Y'},"
                   " customer_id: Account Name.id, amount: Amount}\n", encoding="utf-8")
    tables, rep = import_export("zoho", export, overrides=fix)
    assert len(tables["orders"]) == 2 and "there too" not in str(rep) and "your file wins" not in str(rep)


def test_the_orders_file_beside_the_deals_does_not_say_the_deals_are_not_read(tmp_path):
    """Zoho's Invoices read as the orders beside its Potentials: the CHECK line said "Potentials.csv is
    there too and not read", while the deals were read (as the opportunities) and only not as the
    sales; it says "not read as orders"."""
    export = _zoho_potentials(tmp_path / "export")
    _csv(export, "Invoices.csv", pd.DataFrame({
        "Invoice Number": ["1593016", "1977945"], "Invoice Date": ["20/04/2021", "18/04/2021"],
        "Account Name.id": ["a1", "a2"], "Grand Total": ["21042", "25350"]}))
    fix = tmp_path / "fix.yaml"
    fix.write_text("currency: USD\n", encoding="utf-8")
    tables, rep = import_export("zoho", export, overrides=fix)
    assert len(tables["orders"]) == 2 and len(tables["opportunities"]) == 4
    assert "CHECK: Invoices.csv is read as orders; Potentials.csv is there too and not read as orders" in str(rep)


def test_an_orders_file_that_cannot_be_mapped_names_the_other_file_the_profile_lists(tmp_path):
    """Zoho Analytics' Sales_Orders.csv (SALESORDERID, no account) is the zoho profile's first orders
    file; its error named only that file, while Invoices.csv beside it, also in the profile's list,
    has the invoice number and account: the error names it and the --map that reads it."""
    export = _zoho_analytics_orders(tmp_path / "export")
    with pytest.raises(ImportError_) as err:
        import_export("zoho", export)
    assert "Sales_Orders.csv: cannot map the required column orders.order_id" in str(err.value)
    assert ("Invoices.csv matches the profile's files for orders too, tried after Sales_Orders.csv: to read it "
            "instead, --map with tables: {orders: {file: Invoices.csv}}") in str(err.value)


def test_the_sweep_takes_a_profile_file_given_by_its_path():
    """``--data zoho=/tmp/raw:/tmp/zoho.yaml`` read the whole as a folder ("does not exist") with the
    draft profile: a profile file named by a path with a '/' was taken for part of the folder's path."""
    from benchmarks.realdata_sweep import parse_data

    ds = parse_data("zoho=/tmp/raw:/tmp/s/zoho.yaml")
    assert (str(ds.path), ds.profile) == ("/tmp/raw", "/tmp/s/zoho.yaml")
    assert parse_data("x=/tmp/a:b/c").profile == "suggest" and parse_data("sf=/tmp/sf:salesforce").profile == "salesforce"


def test_salesforce_dates_a_deal_closed_with_a_close_date_typed_ahead_by_its_last_stage_change(tmp_path):
    """A real Salesforce export (2023-09-01) held 11 deals Closed Lost whose CloseDate the reps had
    typed after the export (up to 2023-12-15): the pages could only say they closed by then, when
    not known. Salesforce stamps LastStageChangeDate itself (for a closed deal, the day it entered
    its closed stage; all 11 between 2023-07-14 and 2023-08-30): the profile's ``after_export``
    reads a closed deal's date after the export's date from it, says so on a CHECK line, and leaves
    the open deals' expected close dates and the closed deals dated before the export alone."""
    export = _sf_export(tmp_path / "sf")
    o = pd.read_csv(export / "Opportunity.csv", dtype=str, keep_default_na=False)
    o = pd.concat([o, pd.DataFrame({"Id": ["006D", "006E", "006F"], "AccountId": "001B", "OwnerId": "005B",
                                    "StageName": ["Closed Lost", "Closed Won", "Closed Lost"],
                                    "Amount": ["400", "500", "600"],
                                    "CloseDate": ["2024-12-15", "2024-10-01", "2024-11-30"],
                                    "CreatedDate": "2024-01-04", "ForecastCategoryName": "Omitted"})],
                  ignore_index=True)
    o["IsClosed"] = ["true", "false", "true", "true", "true", "true"]
    o["IsWon"] = ["true", "false", "false", "false", "true", "false"]
    o["IsDeleted"] = "false"
    o["LastStageChangeDate"] = ["2024-02-01 10:00:00", "2024-01-02 09:00:00", "2024-02-20 17:00:00",
                                "2024-07-14 21:24:33", "2024-08-20 08:00:00", ""]
    o.to_csv(export / "Opportunity.csv", index=False)
    tables, rep = import_export("salesforce", export, as_of="2024-09-01")
    opp = tables["opportunities"].set_index("opportunity_id")
    assert pd.to_datetime(opp["close_date"]).dt.strftime("%Y-%m-%d").to_dict() == {
        "006A": "2024-02-01",  # closed before the export: its CloseDate stands
        "006B": "2024-06-01",  # open: an expected close date, before or after the export
        "006C": "2024-03-01",
        "006D": "2024-07-14", "006E": "2024-08-20",  # re-dated
        "006F": "2024-11-30"}  # no stage change recorded: kept, and said
    orders = tables["orders"].set_index("order_id")
    assert pd.to_datetime(orders.loc["006E", "order_date"]).strftime("%Y-%m-%d") == "2024-08-20"
    text = str(rep)
    assert ("CHECK: close_date: 2 closed row(s) (1 won, 1 lost) carried a CloseDate after the export's date "
            "(2024-09-01), a date typed ahead; read from LastStageChangeDate instead (2024-07-14 to 2024-08-20), "
            "the day the CRM recorded; 1 more keep theirs (LastStageChangeDate empty or after it too)") in text
    assert "close_date ← CloseDate (a closed row's date after the export: LastStageChangeDate)" in text
    # without an as-of date, the export's date is the latest stamp: the same deals
    tables, _ = import_export("salesforce", export)
    assert pd.to_datetime(tables["opportunities"].set_index("opportunity_id").loc["006D", "close_date"]) \
        == pd.Timestamp("2024-07-14")
    # an export without the column (older orgs): CloseDate as before, nothing said
    o.drop(columns="LastStageChangeDate").to_csv(export / "Opportunity.csv", index=False)
    tables, rep = import_export("salesforce", export, as_of="2024-09-01")
    assert pd.to_datetime(tables["opportunities"].set_index("opportunity_id").loc["006D", "close_date"]) \
        == pd.Timestamp("2024-12-15")
    assert "LastStageChangeDate" not in str(rep)


def test_hubspot_sales_from_won_deals_follow_the_deals_status_from_the_flags(tmp_path):
    """The consultancy's "all properties" export with the built-in profile: its own stages (``Closed:
    won``, ``Closed: abandoned``) and HubSpot's ``Is Deal Closed?`` (and, in some portals, ``Is Closed
    Won``). The deals' status followed the flags, but the sales read from the won deals still followed
    the profile's stages list, which names none of the team's stages: 0 sales, and validation failed.
    The sales now follow the deals' own status (``where: deal_status: won``), with the flags as the
    deals table reads them, and the stages list only where the export has no flags."""
    for won_flag in (False, True):
        export = _hubspot_flagged_export(tmp_path / f"e{won_flag}", won_flag=won_flag)
        tables, rep = import_export("hubspot", export.parent, tmp_path / f"src{won_flag}")
        opp = tables["opportunities"].set_index("opportunity_id")
        assert sorted(opp.index[opp.status == "won"]) == ["7009522661"]  # the other won one has no amount
        assert sorted(opp.index[opp.status == "open"]) == ["7256319201", "7387465960", "7388694511"]
        o = tables["orders"]
        assert sorted(o.order_id) == ["7009522661"] and o.amount.sum() == 168000  # the won deal with an amount
        lines = str(rep).splitlines()
        orders = lines[lines.index(next(x for x in lines if x.startswith("  orders:"))):]
        orders = orders[:orders.index(next(x for x in orders if x.startswith("  opportunities:")))]
        assert f"    dropped {5 if won_flag else 4} row(s): not a won deal" in orders
        assert not any("stages list does not name" in x for x in orders)
        # the closed deal without an amount is no sale, nor a deal of the win rates and deal sizes
        assert "    dropped 1 row(s): no amount (closed deals only: open deals without it are kept)" in lines
        assert not [str(p) for p in validate(open_folder(tmp_path / f"src{won_flag}")) if p.severity == "error"]
    # an export without the flags (a saved view's columns): the stages list, as before
    _two_pipeline_deals(tmp_path / "hs")
    (tmp_path / "m.yaml").write_text(
        "stages:\n  - {stage: Renewal Due, status: open}\n  - {stage: Closed Won, status: won}\n"
        "  - {stage: 'Renewal: Closed won', status: won}\n  - {stage: Closed Lost, status: lost}\n", encoding="utf-8")
    tables, rep = import_export("hubspot", tmp_path / "hs", overrides=tmp_path / "m.yaml")
    assert sorted(tables["orders"].order_id) == ["1", "2"] and "dropped 2 row(s): not a won deal" in str(rep)


def test_suggest_offers_to_drop_a_won_deal_without_an_amount_from_the_sales_too(tmp_path):
    """The draft offered to drop the won and lost deals without an amount from the deals table
    (``{columns: [amount], unless_open: true}``), but not from the sales it reads from the won deals:
    a won deal without an amount stayed a sale without an amount, and validation failed on it. The
    sales table now says how many won deals lack an amount and offers ``drop_if_missing: [amount]``
    with what it costs, counted among the won deals only; both drops taken, the draft imports clean."""
    export = _hubspot_flagged_export(tmp_path / "a")
    text = suggest(export)
    orders = text.split("  orders:\n")[1].split("  opportunities:\n")[0]
    assert _draft_line(text, "orders", "amount") == (
        "      amount: Amount   # empty in 1 of the 2 won deals read as sales: validation fails on them")
    assert "    # drop_if_missing: [amount]" in orders.splitlines()
    assert ("    #   dropping them leaves out 1 of the 2 won deals read as sales: their revenue is unknown, and "
            "the deals table drops them too when it drops the won deals without amount") in orders.splitlines()
    assert "pipeline's value" not in orders  # a default amount costs the sales, not the pipeline
    draft = text.replace("    # drop_if_missing: [amount]", "    drop_if_missing: [amount]")
    draft = draft.replace("    # drop_if_missing: {columns: [amount], unless_open: true}",
                          "    drop_if_missing: {columns: [amount], unless_open: true}")
    (tmp_path / "d.yaml").write_text(draft.replace('currency: ""', "currency: GBP"), encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export, tmp_path / "src")
    assert tables["orders"].order_id.tolist() == ["7009522661"]
    assert not [str(p) for p in validate(open_folder(tmp_path / "src")) if p.severity == "error"]


def test_the_won_deals_read_as_sales_are_not_said_to_end_early_for_the_open_deals_expected_dates(tmp_path):
    """The consultancy's export: its one won deal closed 2023-04-04, and its open deals are expected to
    close up to 2023-05-31. Once the sales were read from the won deals, the import said "the where
    filters leave orders ending on 2023-04-04 … all 3 rows after that date were filtered out; the
    reports will end there": those rows are open deals' expected close dates, no sale the filter
    removed. The tail is now measured on the closed deals only; a won deal's sales ending before the
    last lost deal is still said."""
    export = _hubspot_flagged_export(tmp_path / "a")
    _, rep = import_export("hubspot", export.parent)
    assert "the where filters leave orders ending" not in str(rep)
    # a lost deal closed two months after the last won one: the sales do end early
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    df.loc[df["Record ID"] == "6882621886", "Close Date"] = "2023-06-30 09:02"
    df.to_csv(export, index=False)
    _, rep = import_export("hubspot", export.parent)
    assert ("the where filters leave orders ending on 2023-04-04, while hubspot-crm-exports-all-deals-2023-05-16.csv "
            "runs to 2023-06-30 (its closed deals): all 1 row(s) after that date were filtered out") in str(rep)


def test_hubspot_s_deal_probability_orders_and_fills_the_stages_the_list_does_not_name(tmp_path):
    """The consultancy's stages are not in the built-in list: the import put the open ones last by
    name (Closed: abandoned before Opportunity identified) and left the stages table's probability
    empty, though every deal carries HubSpot's ``Deal probability``, its stage's win probability
    (Opportunity identified 0.07, Closed: abandoned 0.1). The open stages the list does not name are
    now ordered by it, lowest first, and the stages table carries it (the contract's
    ``stages.probability``), said in the report."""
    export = _hubspot_flagged_export(tmp_path / "a")
    tables, rep = import_export("hubspot", export.parent)
    st = tables["stages"]
    assert st.stage.tolist() == ["Opportunity identified", "Closed: abandoned", "Closed: won", "Closed: lost"]
    assert st.probability.tolist() == [0.07, 0.1, 1.0, 0.0]
    assert ("  note: stages not in the profile's list, put last (the open ones in the order of the export's Deal "
            "probability, each stage's win probability, lowest first; their probability from it too): Opportunity "
            "identified, Closed: abandoned, Closed: won, Closed: lost") in str(rep).splitlines()


def test_where_deal_status_reads_a_mapped_status_column_as_the_deals_table_does(tmp_path):
    """``where: deal_status`` is no HubSpot rule: the rows kept are those whose status, as
    ``tables.opportunities.columns.status`` reads it, is the one asked for; here a plain status column
    with its own words (a map), which no stages list describes."""
    f = _csv(tmp_path, "deals.csv", pd.DataFrame({
        "Id": ["1", "2", "3"], "Stage": ["Signed", "Dead", "Talking"], "State": ["Gewonnen", "Verloren", "Offen"],
        "Closed": ["2024-03-01"] * 3, "Created": ["2024-01-02"] * 3, "Owner": "ann", "Client": "c1",
        "Value": ["100", "20", "30"]}))
    status = {"column": "State", "map": {"Gewonnen": "won", "Verloren": "lost", "Offen": "open"}}
    prof = {"name": "x", "tables": {
        "orders": {"file": "deals.csv", "where": {"column": "Stage", "deal_status": "won", "reason": "not won"},
                   "columns": {"order_id": "Id", "order_date": "Closed", "customer_id": "Client", "amount": "Value"}},
        "opportunities": {"file": "deals.csv", "columns": {
            "opportunity_id": "Id", "customer_id": "Client", "rep_id": "Owner", "created_date": "Created",
            "close_date": "Closed", "stage": "Stage", "status": status, "amount": "Value"}}}}
    tables, rep = import_export(prof, f)
    assert tables["orders"].order_id.tolist() == ["1"] and "dropped 2 row(s): not won" in str(rep)
    assert "where deal_status won: each deal's status as opportunities reads it (State)" in str(rep)


def _fx_download(demo_export: Path, out: Path, *, v2: bool = False) -> Path:
    """The demo's 纷享销客 export as Fxiaoke's list-page 导出 writes it (public scripts that read real
    downloads show the shape): ``<对象>对象导出结果_<YYYYMMDD>.xlsx`` per object, required fields' headers
    marked ``（必填）``, and beside them the detail objects' downloads (客户地址, 订单产品). With ``v2``
    the deals are 商机2.0's: the outcome in 商机状态 (进行中, 赢单, 输单), a lost deal's 销售阶段 left at
    the stage it was lost in."""
    out.mkdir(parents=True)

    def rd(name: str) -> pd.DataFrame:
        return pd.read_csv(demo_export / name, encoding="gb18030", dtype=str, keep_default_na=False)

    def save(df: pd.DataFrame, obj: str, required: list[str]) -> None:
        df.rename(columns={c: f"{c}（必填）" for c in required}).to_excel(
            out / f"{obj}对象导出结果_20261130.xlsx", index=False)

    deals, history = rd("商机.csv"), rd("商机阶段变更记录.csv")
    if v2:
        deals["商机状态"] = deals["销售阶段"].map({"赢单": "赢单", "输单": "输单"}).fillna("进行中")
        reached = history[~history["阶段"].isin(["赢单", "输单"])].groupby("商机编号")["阶段"].last()
        lost = deals["销售阶段"] == "输单"
        deals.loc[lost, "销售阶段"] = deals.loc[lost, "商机编号"].map(reached)
    save(deals, "商机2.0" if v2 else "商机", ["商机名称", "客户名称", "负责人", "销售阶段"])
    save(history, "商机阶段变更记录", [])
    customers, orders = rd("客户.csv"), rd("销售订单.csv")
    save(customers, "客户", ["客户名称"])
    save(customers[["客户名称"]].head(3).assign(详细地址="上海"), "客户地址", ["客户名称"])
    save(rd("人员.csv"), "人员", ["姓名"])
    save(orders.rename(columns={"订单编号": "销售订单编号", "小计": "销售订单金额"}), "销售订单",
         ["客户名称", "负责人"])
    save(orders[["订单编号", "产品编号"]].head(3).rename(columns={"订单编号": "销售订单编号"}), "订单产品",
         ["销售订单编号"])
    return out


@pytest.mark.parametrize("v2", [False, True], ids=["商机", "商机2.0"])
def test_fxiaoke_profile_reads_a_download_as_fxiaoke_names_and_heads_it(v2, imported, demo_figures, tmp_path):
    """The built-in profile knew 商机.csv with bare headers only: Fxiaoke's own download
    (商机对象导出结果_20261130.xlsx, 客户名称（必填）) stopped on the first required header, 客户对象导出结果
    and 客户地址对象导出结果 both matched 客户*, 销售订单金额 was no amount, and a 商机2.0 deal lost in
    方案报价 counted open (its 商机状态 unread). Read as Fxiaoke writes it, it keeps the demo's figures."""
    demo = Path(str(imported["fxiaoke"][0]).replace("-source", "-export"))
    export = _fx_download(demo, tmp_path / "fx", v2=v2)
    tables, rep = import_export("fxiaoke", export, tmp_path / "src")
    assert figures(open_folder(tmp_path / "src")) == demo_figures
    text = str(rep)
    assert "客户对象导出结果_20261130.xlsx" in text and "销售订单对象导出结果_20261130.xlsx" in text
    assert "customer_id ← 客户名称（必填）" in text
    if v2:  # the lost deals' stages are open ones: their status is 商机状态's
        assert "status ← 商机状态" in text
        lost = tables["opportunities"].query("status == 'lost'")
        assert len(lost) and not lost.stage.isin(["输单"]).any()


def test_suggest_drafts_a_table_from_the_file_that_maps_most_of_it(tmp_path):
    """Two files look like customers: 纷享销客's 客户地址对象导出结果 (name and address) sorts before its
    客户对象导出结果 (name, industry, region, created). The draft read the first by name (three
    addresses as the customers, every deal's customer unknown); it reads the one that maps most, and
    names the other."""
    export = tmp_path / "fx"
    export.mkdir()
    pd.DataFrame({"客户名称（必填）": ["甲公司", "乙公司"], "详细地址": ["上海", "北京"]}).to_excel(
        export / "客户地址对象导出结果_20261130.xlsx", index=False)
    pd.DataFrame({"客户名称（必填）": ["甲公司", "乙公司", "丙公司"], "行业": ["制造", "零售", "制造"],
                  "所属区域": ["华东", "华北", "华东"], "创建时间": ["2024-01-02", "2024-02-03", "2024-03-04"]}
                 ).to_excel(export / "客户对象导出结果_20261130.xlsx", index=False)
    text = suggest(export)
    assert "    file: 客户对象导出结果_20261130.xlsx" in text.split("  customers:")[1].splitlines()[1]
    assert "# 客户地址对象导出结果_20261130.xlsx: looks like customers too; not mapped" in text


def test_suggest_maps_a_deal_status_column_s_words_to_open_won_lost(tmp_path):
    """商机2.0's 商机状态 says 进行中, 赢单, 输单, 无效: the draft mapped the column as it is and the
    import stopped (status values other than open, won, lost in every row). The draft maps each value
    to what its words say, and names the one whose words say none (left out: the import stops on it)."""
    export = _fx_deals(tmp_path / "fx")
    deals = pd.read_csv(export / "商机.csv", dtype=str, keep_default_na=False)
    deals["商机状态"] = ["赢单", "输单", "进行中", "无效"]
    deals["销售阶段"] = ["谈判审核", "方案报价", "初步接洽", "需求确定"]
    deals.to_csv(export / "商机.csv", index=False)
    text = suggest(export)
    assert _draft_line(text, "opportunities", "status") == (
        "      status: {column: 商机状态, map: {无效: lost, 赢单: won, 输单: lost, 进行中: open}}   # each deal's "
        "open, won or lost as its words say: check")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    tables, _ = import_export(str(tmp_path / "d.yaml"), export)
    assert tables["opportunities"].status.tolist() == ["won", "lost", "open", "lost"]
    deals["商机状态"] = ["赢单", "输单", "进行中", "暂停"]
    deals.to_csv(export / "商机.csv", index=False)
    assert _draft_line(suggest(export), "opportunities", "status") == (
        "      status: {column: 商机状态, map: {赢单: won, 输单: lost, 进行中: open}}   # each deal's open, won "
        "or lost as its words say: check; 暂停 (1 row): open, won or lost? add it to the map (the import "
        "stops on it)")
