"""Parsing that never guesses: every rule of salesnb.data.importing.parsing on known values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from salesnb.data.importing.parsing import (
    ParseError,
    date_formats_fitting,
    describe_date_formats,
    detect_encoding,
    misread_columns,
    parse_dates,
    parse_numbers,
    read_csv_text,
    read_xlsx,
    strip_footer,
    to_text,
)

AS_OF = pd.Timestamp("2026-10-31")


def _d(*xs):
    return [pd.Timestamp(x) for x in xs]


def test_iso_and_iso_datetimes_read_without_a_format():
    got = parse_dates(pd.Series(["2024-03-01", "2024-03-01T10:22:33.000Z", "2024-03-02 08:00", ""]),
                      as_of=AS_OF)
    assert got[:3].tolist() == _d("2024-03-01", "2024-03-01 10:22:33", "2024-03-02 08:00")
    assert pd.isna(got[3])


def test_excel_serials_and_datetime_cells():
    got = parse_dates(pd.Series([45352, "45352", 45352.5, dt.datetime(2024, 3, 1, 9)]), as_of=AS_OF)
    assert got.tolist() == _d("2024-03-01", "2024-03-01", "2024-03-01 12:00", "2024-03-01 09:00")


def test_ambiguous_dates_are_an_error_naming_file_column_and_formats():
    with pytest.raises(ParseError) as e:
        parse_dates(pd.Series(["03/01/19", "04/01/19"]), file="Superstore.csv", column="Order Date")
    msg = str(e.value)
    assert "Superstore.csv" in msg and "'Order Date'" in msg and "'03/01/19'" in msg
    assert "ambiguous: 03/01/19 fits %m/%d/%y and %d/%m/%y, say which" in msg


def test_stated_format_reads_and_rejects_the_rest():
    got = parse_dates(pd.Series(["03/01/19", "31/12/22"]), fmt="%d/%m/%y", as_of=AS_OF)
    assert got.tolist() == _d("2019-01-03", "2022-12-31")
    with pytest.raises(ParseError, match="do not match the date format %m/%d/%Y.*'31/12/2022'"):
        parse_dates(pd.Series(["12/31/2022", "31/12/2022"]), fmt="%m/%d/%Y", column="Close Date")


@pytest.mark.parametrize("bad", ["0003-01-19", "1989-12-31", "2028-01-01"])
def test_years_out_of_range_are_errors(bad):
    with pytest.raises(ParseError, match="outside 1990.." + ("2027-10-31" if bad > "2000" else "")):
        parse_dates(pd.Series(["2024-01-01", bad]), as_of=AS_OF, column="d")


def test_two_digit_year_in_a_four_digit_format_is_an_error():
    # never the year 0019
    with pytest.raises(ParseError, match="do not match the date format %d/%m/%Y"):
        parse_dates(pd.Series(["03/01/19"]), fmt="%d/%m/%Y", as_of=AS_OF)


def test_date_formats_fitting():
    assert date_formats_fitting(["2024-01-05", "2024-12-31"]) == ["%Y-%m-%d"]
    assert date_formats_fitting(["12/31/2022", "01/05/2023"]) == ["%m/%d/%Y"]
    assert date_formats_fitting(["03/01/19"]) == ["%m/%d/%y", "%d/%m/%y"]
    assert date_formats_fitting([45352, 45000]) == ["excel"]
    assert date_formats_fitting(["2024年3月1日"]) == ["%Y年%m月%d日"]
    assert describe_date_formats(["%d/%m/%Y"], ["13/01/2024"]) == "%d/%m/%Y"
    assert "no known date format" in describe_date_formats([], ["soon"])


def test_dates_with_a_time_of_day_are_described_and_read():
    # Kaggle's sample sales data writes "2/24/2003 0:00"; copies of it "2/24/03 0:00"; German and US
    # spreadsheets add seconds or AM/PM: the draft names the whole format, never only its date part
    assert date_formats_fitting(["2/24/03 0:00", "12/17/04 13:05"]) == ["%m/%d/%y %H:%M"]
    assert date_formats_fitting(["2/24/2003 0:00"]) == ["%m/%d/%Y %H:%M"]
    assert date_formats_fitting(["15.01.2024 13:45:00"]) == ["%d.%m.%Y %H:%M:%S"]
    assert date_formats_fitting(["1/15/2024 1:45:10 PM"]) == ["%m/%d/%Y %I:%M:%S %p"]
    assert date_formats_fitting(["2/3/03 0:00"]) == ["%m/%d/%y %H:%M", "%d/%m/%y %H:%M"]  # still ambiguous
    got = parse_dates(pd.Series(["2/24/03 0:00", "12/17/04 13:05"]), fmt="%m/%d/%y %H:%M", as_of=AS_OF)
    assert got.tolist() == _d("2003-02-24", "2004-12-17 13:05")
    with pytest.raises(ParseError, match="%m/%d/%y %H:%M"):  # unstated: the message names the format
        parse_dates(pd.Series(["2/24/03 0:00"]), column="ORDERDATE", as_of=AS_OF)


@pytest.mark.parametrize(("text", "want"), [
    ("1,234.50", 1234.5), ("¥1,234.50", 1234.5), ("€ 99", 99.0), ("$1,000,000", 1e6),
    ("(1,234)", -1234.0), ("-12.5", -12.5), ("12.5-", -12.5), ("USD 7", 7.0), ("1 234", 1234.0),
    ("15%", 0.15), ("0.5", 0.5), ("-$3.10", -3.1), ("RMB 8,000", 8000.0), ("3000元", 3000.0),
])
def test_numbers(text, want):
    assert parse_numbers(pd.Series([text]))[0] == pytest.approx(want)


def test_numbers_keep_numeric_cells_and_empty():
    got = parse_numbers(pd.Series([3, 2.5, "", None, np.nan]))
    assert got[:2].tolist() == [3.0, 2.5] and got[2:].isna().all()


def test_decimal_comma_only_when_declared():
    got = parse_numbers(pd.Series(["1.234,50", "(2,5)", "€ 3,00"]), decimal=",")
    assert got.tolist() == pytest.approx([1234.5, -2.5, 3.0])
    with pytest.raises(ParseError, match="decimal comma"):
        parse_numbers(pd.Series(["1,5"]), column="Amount")
    for euro in ("14.251,64 €", "14.251,64 EUR", "(14.251,64) €", "12,5 %"):  # marks after the digits
        with pytest.raises(ParseError, match=r"decimal comma\? declare decimal"):
            parse_numbers(pd.Series([euro]), column="Betrag")
    with pytest.raises(ParseError, match="not numbers.*'abc'"):
        parse_numbers(pd.Series(["12", "abc"]), file="deals.csv", column="Amount")
    # a misplaced thousands group is no number
    with pytest.raises(ParseError):
        parse_numbers(pd.Series(["12,34,567"]))


def test_ids_always_text():
    got = to_text(pd.Series([536365, "C536379", 17850.0, np.nan, " x "], dtype=object))
    assert got.tolist() == ["536365", "C536379", "17850", None, "x"]


@pytest.mark.parametrize(("encoding", "bom", "want"), [
    ("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("gb18030", b"", "gb18030"),
])
def test_encodings_detected_and_reported(tmp_path, encoding, bom, want):
    text = "商机名称,商机金额,创建时间\n华东大客户采购项目,\"1,200.00\",2024-01-05\n" * 1 + \
        "".join(f"西南区域渠道合作{i},{i}00,2024-02-0{i % 9 + 1}\n" for i in range(30))
    f = tmp_path / "x.csv"
    f.write_bytes(bom + text.encode(encoding))
    df, info = read_csv_text(f)
    assert info.encoding == want and info.encoding_how
    assert list(df.columns) == ["商机名称", "商机金额", "创建时间"]
    assert df.iloc[0, 0] == "华东大客户采购项目" and df.iloc[0, 1] == "1,200.00"


def test_latin1_detected(tmp_path):
    f = tmp_path / "acc.csv"
    f.write_bytes("Name;City\nCafé Müller;Köln\nSão Paulo Ltda;Zürich\n".encode("latin-1"))
    df, info = read_csv_text(f)
    assert info.encoding == "cp1252" and info.delimiter == ";"
    assert df["Name"].tolist() == ["Café Müller", "São Paulo Ltda"]
    assert "semicolon" in info.describe()
    assert detect_encoding("Café".encode("latin-1"))[0] != "utf-8"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters(tmp_path, sep):
    f = tmp_path / "d.csv"
    f.write_text(sep.join(["id", "amount", "date"]) + "\n" + sep.join(["1", "2.5", "2024-01-01"])
                 + "\n" + sep.join(["2", "3", "2024-01-02"]) + "\n")
    df, info = read_csv_text(f)
    assert info.delimiter == sep and df.shape == (2, 3)


def test_csv_title_rows_and_ragged_rows(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("Opportunity report\nGenerated 2024-05-01\n\nId,Stage,Amount\n1,A,5\n2,B,6\n")
    df, info = read_csv_text(f)
    assert list(df.columns) == ["Id", "Stage", "Amount"] and info.header_row == 4
    f.write_text("Id,Amount\n1,5\n2,1,234\n")
    with pytest.raises(ParseError, match=r"rows 2 \(3 fields\)"):
        read_csv_text(f, delimiter=",")


def test_xlsx_title_rows_and_mixed_id_column(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Sales export"])
    ws.append(["exported 2011-12-10"])
    ws.append(["InvoiceNo", "InvoiceDate", "CustomerID", "UnitPrice"])
    ws.append([536365, dt.datetime(2010, 12, 1, 8, 26), 17850.0, 2.55])
    ws.append(["C536379", dt.datetime(2010, 12, 1, 9, 41), None, 27.5])
    f = tmp_path / "r.xlsx"
    wb.save(f)
    df, info = read_xlsx(f)
    assert info.header_row == 3 and "2 line(s) above the header skipped" in info.describe()
    assert to_text(df["InvoiceNo"]).tolist() == ["536365", "C536379"]
    assert to_text(df["CustomerID"]).tolist() == ["17850", None]
    assert parse_dates(df["InvoiceDate"], as_of=AS_OF).tolist() == _d("2010-12-01 08:26",
                                                                        "2010-12-01 09:41")


FOOTER = ['Grand Totals \\(\\d[\\d,]* records?\\)', "Confidential Information",
          {"pattern": "Generated By:", "then": 1}]


def test_footer_block_at_the_end_is_dropped_and_counted(tmp_path):
    p = tmp_path / "report.csv"
    p.write_text('Id,Amount\n1,5\n2,"1,000.00"\n\n"Grand Totals (2 records)","1,005.00"\n\n'
                 '"Confidential Information - Do Not Distribute"\n"Generated By:  Ann  11/2/2026"\n'
                 '"Acme, Inc."\n', encoding="utf-8")
    df, info = read_csv_text(p, footer=FOOTER)
    assert df["Id"].tolist() == ["1", "2"]
    assert info.footer == ["Grand Totals (2 records) 1,005.00",
                           "Confidential Information - Do Not Distribute",
                           "Generated By:  Ann  11/2/2026", "Acme, Inc."]
    # without the profile's patterns nothing is dropped: the footer lines are rows (and fail later)
    df, info = read_csv_text(p)
    assert len(df) == 6 and info.footer == []


def test_footer_never_swallows_a_data_row():
    rows = [["Id", "Amount"], ["1", "5"], ["Grand Totals (1 record)", ""], ["2", "7"],
            ["Generated By: Ann", ""], ["Acme"], ["stray"]]
    info = type("I", (), {"footer": []})()
    # "stray" matches nothing and is not the one line after "Generated By": everything stays
    assert strip_footer(rows, FOOTER, info) == rows and info.footer == []
    # a matching line above a data row is data's business, not the footer's: only the tail goes
    kept = strip_footer(rows[:6], FOOTER, info)
    assert kept == rows[:4] and info.footer == ["Generated By: Ann", "Acme"]
    with pytest.raises(ParseError, match="not a regular expression"):
        strip_footer(rows, ["(unclosed"], info)


def test_a_dos_file_is_read_as_cp850_and_says_why(tmp_path):
    """Kaggle's sample sales data is DOS Latin-1 (cp850): read as Windows cp1252, 'Cataluña' became
    'Catalu¤a' and 'Martín' 'Mart¡n' with no word said. The letters inside words decide: symbols in
    cp1252 that are letters in cp850. A Windows file keeps cp1252, curly apostrophes and all."""
    dos = "CITY,STATE,CONTACT\nBarcelona,Cataluña,Martín\nLuleå,Norrbotten,Berguvsvägen\nGraz,Steiermark,Größe\n"
    p = tmp_path / "dos.csv"
    p.write_bytes(dos.encode("cp850"))
    enc, how = detect_encoding(p.read_bytes())
    assert enc == "cp850" and "DOS Latin-1" in how and "in cp850" in how
    df, info = read_csv_text(p)
    assert df.STATE.tolist()[0] == "Cataluña" and df.CONTACT.tolist()[0] == "Martín"
    win = "NAME,NOTE\nMüller,don’t\nO’Brien,Señor\nCafé,Größe\n"
    enc, _ = detect_encoding(win.encode("cp1252"))
    assert enc == "cp1252"


def test_text_mis_decoded_before_a_utf8_export_is_found_with_its_code_page():
    """Northwind's UTF-8 files carry "Berguvsv„gen" for "Berguvsvägen": DOS text (cp850) read as
    Windows cp1252 before it was saved. A symbol between two letters that the same byte reads as a
    letter in a DOS code page is found (column, rows, an example and the example re-read); German
    quotes „so“ (a space before), apostrophes and ordinary accents are not."""
    df = pd.DataFrame({
        "Address": ["Berguvsv\u201egen 8", "Obere Str. 57", "K\u201dln", "Mart\u00a1n 3", "Berguvsv\u201egen 8"],
        "Note": ["sagt \u201eHallo\u201c bitte", "don\u2019t", "M\u00fcller", "O\u2019Brien", "well\u2013known"],
        "City": ["M\x81nchen", "Graz", "Lule\u00e5", "", "Gen\u00e8ve"],
    })
    found = {m.column: m for m in misread_columns(df, file="customers.csv")}
    assert set(found) == {"Address", "City"}
    a = found["Address"]
    assert (a.file, a.rows, a.total, a.example, a.reread) == (
        "customers.csv", 4, 5, "Berguvsv\u201egen 8", "Berguvsv\u00e4gen 8")
    assert a.pages == ("cp850", "cp437")
    c = found["City"]  # a byte cp1252 has no character for, read as latin-1: a control character
    assert (c.rows, c.example, c.reread) == (1, "M\x81nchen", "M\u00fcnchen")
    # a byte that is a letter in cp850 only (0xB6: Â; a box corner in cp437) names that page alone
    assert misread_columns(pd.DataFrame({"x": ["CH\u00b6TEAU"]}))[0].pages == ("cp850",)


def test_zoho_day_month_name_comma_year_is_a_known_date_format():
    """Zoho's "dd MMM, yyyy" (Zoho Analytics' copy of a CRM writes "15 Apr, 2021 00:02:00"): the
    draft proposed no format ("no known date format reads all values") and an import without one
    could not say which format to state."""
    assert date_formats_fitting(["15 Apr, 2021 00:02:00", "08 Aug, 2018 00:06:00"]) == ["%d %b, %Y %H:%M:%S"]
    assert date_formats_fitting(["16 Apr, 2021"]) == ["%d %b, %Y"]
    with pytest.raises(ParseError, match=r"of the known formats only %d %b, %Y %H:%M:%S reads them"):
        parse_dates(pd.Series(["15 Apr, 2021 00:02:00"]), file="Potentials.csv", column="Created Time")
