"""The robustness corpus, generated: bad inputs, hostile names, hostile parameters.

Each :class:`Case` changes a copy of a small demo company (CSV files, read and written as text so
every value stays verbatim), runs one ``salesnb`` command, and says what must come out: the exit code
and the words the message must hold (file, column, rows). The harness in ``test_corpus.py`` also
checks, for every case, that nothing was lost (the md5 listing of a good published report before and
after) and nothing leaked (a planted secret, also in ``PGPASSWORD``, in no file written and in no
captured output).

``owner`` names the branch whose fix a case waits for; such a case is ``xfail(strict=True)``, so it
fails loudly (XPASS) once the fix is merged and the mark must go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

#: planted in parameters, URLs and the environment; must never appear in any output
SECRET = "s3cr3t-PLANTED-4242"
MONTH = "2026-10"

Tables = dict[str, pd.DataFrame]


@dataclass
class Case:
    """One corpus case."""

    id: str
    bullet: str  # the finding (issue 15/19 bullet) or the behaviour that already holds
    command: str  # "validate" or "run"
    exit: int | tuple[int, ...]
    says: tuple[str, ...] = ()  # words the output must contain (file, column, rows)
    mutate: Callable[[Tables], None] | None = None  # change the tables (text)
    raw: Callable[[object], None] | None = None  # change the files themselves (folder: Path)
    args: tuple[str, ...] = ()  # extra arguments ({src}, {out}, {tmp}, {secret} filled in)
    only: str = "00_data_overview"  # the notebook a run case names (it declares the parameters)
    owner: str = ""  # "spark" or "deliver": fixed on that branch (xfail strict until merged)
    slow: bool = False
    check: Callable[[dict], None] | None = None  # extra assertions on the outcome
    marks: list = field(default_factory=list)


def _set(table: str, col: str, row: int, value: str) -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        t[table].loc[row, col] = value
    return f


def _drop(table: str, col: str) -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        t[table] = t[table].drop(columns=[col])
    return f


def _rename(table: str, old: str, new: str) -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        t[table] = t[table].rename(columns={old: new})
    return f


def _name_customer(value: str, n: int = 3, skip: int = 0) -> Callable[[Tables], None]:
    """Give the ``n`` largest customers (after the ``skip`` largest) a hostile name (so it reaches
    tables and charts)."""
    def f(t: Tables) -> None:
        top = (t["orders"].assign(a=pd.to_numeric(t["orders"]["amount"]))
               .groupby("customer_id")["a"].sum().nlargest(skip + n).index[skip:])
        c = t["customers"]
        for i, cid in enumerate(top):
            c.loc[c["customer_id"] == cid, "name"] = value if i == 0 else f"{value} {i}"
    return f


def _name_region(value: str, old: str = "West") -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        for name in ("orders", "reps", "customers", "market"):
            t[name]["region"] = t[name]["region"].replace(old, value)
        m = (t["targets"]["level"] == "region") & (t["targets"]["key"] == old)
        t["targets"].loc[m, "key"] = value
    return f


def _all(*mutations: Callable[[Tables], None]) -> Callable[[Tables], None]:
    """Several mutations in one case (one notebook run checks them all)."""
    def f(t: Tables) -> None:
        for m in mutations:
            m(t)
    return f


def _rep_id(old: str, new: str) -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        for name in ("orders", "reps", "opportunities", "training"):
            t[name]["rep_id"] = t[name]["rep_id"].replace(old, new)
        t["reps"]["manager_id"] = t["reps"]["manager_id"].replace(old, new)
        m = (t["targets"]["level"] == "rep") & (t["targets"]["key"] == old)
        t["targets"].loc[m, "key"] = new
    return f


def _order_lines_disagree(col: str, value: str) -> Callable[[Tables], None]:
    def f(t: Tables) -> None:
        o = t["orders"]
        multi = o.index[o.duplicated("order_id", keep="first")][0]  # a second line of an order
        o.loc[multi, col] = value
    return f


def _shift_rep_targets(t: Tables) -> None:
    """Rep targets ten years before the data: valid periods, valid reps, no rep-month matches."""
    tg = t["targets"]
    rep = tg["level"] == "rep"
    tg.loc[rep, "period"] = tg.loc[rep, "period"].map(lambda p: f"{int(p[:4]) - 10}{p[4:]}")


def _write_bytes(name: str, data: bytes) -> Callable[[object], None]:
    def f(folder) -> None:
        (folder / name).write_bytes(data)
    return f


def _latin1(folder) -> None:
    p = folder / "customers.csv"
    text = p.read_text(encoding="utf-8").replace("Horizon Pharma Ltd", "Société Générale Ltd", 1)
    p.write_bytes(text.encode("latin-1"))


def _header_only(folder) -> None:
    p = folder / "orders.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _semicolons(folder) -> None:
    p = folder / "reps.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def _remove(name: str) -> Callable[[object], None]:
    def f(folder) -> None:
        (folder / name).unlink()
    return f


def _bom(folder) -> None:
    p = folder / "reps.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def _no_live_formulas(ctx: dict) -> None:
    """Every CSV/XLSX the run published holds the hostile names as text, never as a formula."""
    import csv
    import re

    import openpyxl

    folder = ctx["out"] / MONTH
    xlsx, csvs = sorted(folder.rglob("*.xlsx")), sorted(folder.rglob("*.csv"))
    assert xlsx or csvs, "the run wrote no spreadsheet"
    for x in xlsx:
        for ws in openpyxl.load_workbook(x).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", f"{x.name}!{c.coordinate}: formula {c.value!r}"
    for f in csvs:
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for v in row:
                    assert not (v[:1] in ("=", "+", "@", "\t", "\r", "＝")
                                or re.match(r"-[^\d.]", v)), f"{f.name}: live formula {v!r}"


V, R = "validate", "run"
S = "{secret}"

# fmt: off
CASES: list[Case] = [
    # ---------------------------------------------------------------- data: holds today
    Case("missing-column", "missing column", V, 1, ("orders", "amount"), _drop("orders", "amount")),
    Case("renamed-column", "renamed column", V, 1, ("orders", "amount"), _rename("orders", "amount", "amt")),
    Case("renamed-order-date", "renamed column (order_date)", V, 1, ("orders.csv", "order_date"),
         _rename("orders", "order_date", "orderdate"), owner="spark"),
    Case("missing-customers-column", "missing column", V, 1, ("customers", "customer_id"),
         _drop("customers", "customer_id")),
    Case("bad-date", "bad dates", V, 1, ("orders.csv", "order_date", "row 5"),
         _set("orders", "order_date", 4, "31/02/2026")),
    Case("bad-date-text", "bad dates", V, 1, ("orders.csv", "order_date"),
         _set("orders", "order_date", 10, "yesterday")),
    Case("future-date", "bad dates", V, 1, ("orders.csv", "order_date"),
         _set("orders", "order_date", 12, "2099-01-01")),
    Case("bad-hire-date", "bad dates", V, 1, ("reps.csv", "hire_date"),
         _set("reps", "hire_date", 2, "2020-13-45")),
    Case("thousands-separator", "thousands separators", V, 1, ("orders.csv", "amount", "row 4"),
         _set("orders", "amount", 3, "1,234.50")),
    Case("currency-symbol", "currency symbols", V, 1, ("orders.csv", "amount"),
         _set("orders", "amount", 3, "$120.00")),
    Case("euro-symbol", "currency symbols", V, 1, ("orders.csv", "amount"),
         _set("orders", "amount", 8, "120,00 €")),
    Case("text-amount", "bad numbers", V, 1, ("opportunities.csv", "amount"),
         _set("opportunities", "amount", 5, "ten thousand")),
    Case("duplicate-customer", "duplicate ids", V, 1, ("customers.csv", "customer_id"),
         _set("customers", "customer_id", 5, "C000001")),
    Case("duplicate-rep", "duplicate ids", V, 1, ("reps.csv", "rep_id"), _set("reps", "rep_id", 3, "R001")),
    Case("duplicate-order-line", "duplicate ids", V, 1, ("orders.csv", "order_id", "line_no"),
         lambda t: t.__setitem__("orders", pd.concat([t["orders"], t["orders"].iloc[[7]]]))),
    Case("unknown-customer", "unknown references", V, 1, ("orders.csv", "customer_id", "row 10"),
         _set("orders", "customer_id", 9, "C999999")),
    Case("unknown-rep", "unknown references", V, 1, ("orders.csv", "rep_id", "row 10"),
         _set("orders", "rep_id", 9, "R999")),
    Case("unknown-opportunity", "unknown references", V, 1, ("opportunity_history.csv", "opportunity_id"),
         _set("opportunity_history", "opportunity_id", 3, "OP999999")),
    Case("bad-status", "wrong enumerations", V, 1, ("opportunities.csv", "status", "row 4"),
         _set("opportunities", "status", 3, "maybe")),
    Case("bad-forecast-category", "wrong enumerations", V, 1, ("opportunities.csv", "forecast_category"),
         _set("opportunities", "forecast_category", 3, "surely")),
    Case("latin1-encoding", "bad encodings", V, (1, 2), ("customers.csv", "UTF-8"), raw=_latin1),
    Case("binary-garbage-csv", "corrupt files", V, (1, 2), ("orders.csv",),
         raw=_write_bytes("orders.csv", bytes(range(256)) * 40)),
    Case("corrupt-parquet", "corrupt files", V, (1, 2), ("orders.parquet",),
         raw=lambda f: (f / "orders.csv").rename(f / "orders.parquet")),
    Case("corrupt-xlsx", "corrupt files", V, (1, 2), ("reps.xlsx",),
         raw=lambda f: ((f / "reps.csv").unlink(), (f / "reps.xlsx").write_bytes(b"PK\x03\x04 broken"))),
    Case("semicolon-csv", "holds: a ;-separated file is read", V, 0, ("0 error(s)",), raw=_semicolons),
    Case("no-orders-file", "missing table", V, 2, ("orders",), raw=_remove("orders.csv")),
    Case("empty-orders-file", "empty orders", V, 2, ("orders",), raw=_write_bytes("orders.csv", b"")),
    Case("header-only-orders", "empty orders", V, (1, 2), ("orders",), raw=_header_only),
    Case("bom-csv", "holds: a BOM is read", V, 0, ("0 error(s)",), raw=_bom),
    # ---------------------------------------------------------------- data: hostile but legal names
    Case("xss-name-validates", "XSS names", V, 0, ("0 error(s)",),
         _name_customer('<script>alert(1)</script><img src=x onerror=alert(2)>')),
    Case("dollar-name-validates", "names with $...$", V, 0, ("0 error(s)",), _name_customer("$5 Store $x$")),
    Case("long-name-validates", "10,000-character names", V, 0, ("0 error(s)",),
         _name_customer("Long" * 2500)),
    Case("control-char-name-validates", "control characters", V, 0, ("0 error(s)",),
         _name_customer("Bell\x07Tab\tNul\x01Co")),
    Case("formula-name-validates", "formula injection", V, 0, ("0 error(s)",),
         _name_customer('=HYPERLINK("http://evil.example","team")')),
    # ---------------------------------------------------------------- data: fixed on branch spark
    Case("year-0202", "dates like 0202-05-01", V, 1, ("orders.csv", "order_date", "0202"),
         _set("orders", "order_date", 6, "0202-05-01"), owner="spark"),
    Case("dot-thousands", "amounts like 1.234,50 (holds: not a number)", V, 1, ("orders.csv", "amount", "row 7"),
         _set("orders", "amount", 6, "1.234,50")),
    Case("nan-amount", "NaN amounts", V, 1, ("orders.csv", "amount"), _set("orders", "amount", 6, "NaN"),
         owner="spark"),
    Case("inf-amount", "inf amounts", V, 1, ("orders.csv", "amount"), _set("orders", "amount", 6, "inf"),
         owner="spark"),
    Case("underscore-amount", "1_000 amounts", V, 1, ("orders.csv", "amount"),
         _set("orders", "amount", 6, "1_000"), owner="spark"),
    Case("absurd-amount", "absurd amounts", V, 1, ("orders.csv", "amount"),
         _set("orders", "amount", 6, "1e15"), owner="spark"),
    # a warning: real exports hold a few such orders (Superstore: 2), each line keeps its customer
    Case("order-customers-disagree", "an order's lines name different customers", V, 0,
         ("orders.csv", "customer_id"), _order_lines_disagree("customer_id", "C000002"), owner="spark"),
    # flagged as a warning: some systems book an order's lines on their shipping days
    Case("order-dates-disagree", "an order's lines name different dates", V, 0,
         ("orders.csv", "order_date"), _order_lines_disagree("order_date", "2023-03-03"), owner="spark"),
    Case("target-period-slash", "target period 2026/10", V, 1, ("targets.csv", "period"),
         lambda t: t["targets"].__setitem__("period", t["targets"]["period"].str.replace("-", "/")),
         owner="spark"),
    Case("targets-unknown-rep", "targets naming unknown reps (holds)", V, 1, ("targets.csv",),
         lambda t: t["targets"].__setitem__("key", t["targets"]["key"].where(
             t["targets"]["level"] != "rep", "NOBODY"))),
    Case("targets-match-nothing", "targets matching no rep-month", V, 1, ("targets.csv", "period"),
         _shift_rep_targets, owner="spark"),
    # a header without rows is a validation error (exit 1); a 0-byte file cannot be read (exit 2)
    Case("empty-orders-validate-message", "empty orders (validate)", V, 1, ("orders.csv", "no rows"),
         raw=_header_only, owner="spark"),
    # ---------------------------------------------------------------- parameters: before any kernel
    Case("unknown-parameter", "parameters", R, 3, ("histroy_months", "history_months"),
         args=("-p", "histroy_months=3")),
    Case("code-injection-int", "parameter code injection", R, 3, ("top_n", "whole number"),
         args=("-p", 'top_n=__import__("os").system("touch {tmp}/pwned")'), only="04_customer_segmentation"),
    Case("code-injection-choice", "parameter code injection", R, 3, ("lang", "one of"),
         args=("-p", "lang=en'; import os; os.system('touch {tmp}/pwned') #")),
    Case("code-injection-month", "parameter code injection", R, 3, ("YYYY-MM",),
         args=("--month", "2026-10'; import os #")),
    Case("only-traversal", "path confinement", R, 3, ("--only", "no notebook"),
         args=("--only", "../../etc/passwd")),
    Case("k-max-below-k-min", "k_max < k_min", R, 3, ("k_min", "k_max"), args=("-p", "k_max=1"), only="04_customer_segmentation"),
    Case("huge-integer", "huge integer parameter", R, 3, ("top_n", "out of range"),
         args=("-p", "top_n=" + "9" * 40), only="04_customer_segmentation"),
    Case("negative-integer", "absurd integers", R, 3, ("horizon", "out of range"), args=("-p", "horizon=-4"), only="03_market_trends"),
    Case("nan-float", "absurd numbers", R, 3, ("growth", "finite"), args=("-p", "growth=.nan"), only="01_goal_decomposition"),
    Case("amber-above-red", "cross-parameter constraints", R, 3, ("hhi_amber", "hhi_red"),
         args=("-p", "hhi_red=1000"), only="05_risk_monitoring"),
    Case("month-1999", "month far outside the data", R, 3, ("1999-01", "the data covers 2022-01..2026-10"),
         args=("--month", "1999-01")),
    Case("month-2099", "month far outside the data", R, 3, ("the data covers 2022-01..2026-10",),
         args=("--month", "2099-01")),
    Case("month-13", "bad month", R, 3, ("YYYY-MM",), args=("--month", "2026-13")),
    Case("jobs-zero", "absurd integers", R, 3, ("--jobs",), args=("--jobs", "0")),
    Case("out-is-file", "--out pointing at a file", R, 3, ("is a file",), args=("--out", "{tmp}/afile")),
    Case("out-inside-source", "--out inside the source", R, 3, ("inside the source folder",),
         args=("--out", "{src}/reports")),
    Case("out-above-source", "--out above the source", R, 3, ("holds the source folder",),
         args=("--out", "{tmp}")),
    Case("source-named-month-in-out", "publishing deletes whatever sits at <out>/<month>", R, 3,
         ("holds the source folder",), args=("--source-in-out",)),
    Case("foreign-month-folder", "publish only over salesnb's own folder", R, 3,
         ("not a salesnb report",), args=("--foreign-month",)),
    # ---------------------------------------------------------------- credentials
    Case("secret-in-param-url", "credentials in a parameter value", R, 3, ("watch_reps", "PGPASSWORD"),
         args=("-p", f"watch_reps=postgresql://u:{S}@h/db"), only="05_risk_monitoring"),
    Case("secret-in-source-userinfo", "credentials in a URL", R, 3, ("source", "PGPASSWORD"),
         args=("-p", f"source=postgresql://u:{S}@127.0.0.1:1/db")),
    Case("secret-in-source-query", "credentials in a URL's query", R, 3, ("source", "PGPASSWORD"),
         args=("-p", f"source=postgresql://u@127.0.0.1:1/db?sslmode=disable&password={S}")),
    Case("secret-spark-token", "Spark Connect tokens", R, 3, ("source", "SPARK_CONNECT_TOKEN"),
         args=("-p", f"source=sc://127.0.0.1:1/;token={S}")),
    Case("secret-in-params-file", "credentials in a parameter file", R, 3, ("source", "PGPASSWORD"),
         args=("--params", "{tmp}/secret.yaml")),
    Case("secret-key-name", "secrets are never parameters", R, 3, ("password", "environment"),
         args=("-p", f"db_password={S}")),
    Case("secret-in-owner", "credentials in any parameter", R, 3, ("owner_customer",),
         args=("-p", f"owner_customer=https://crm.example/x?api_key={S}"), only="05_risk_monitoring"),
    Case("secret-in-scorecards", "credentials in rep ids", R, 3, ("--scorecards",),
         args=("--scorecards", f"x?token={S}")),
    Case("validate-secret-url", "credentials in a URL (validate)", V, 2, ("PGPASSWORD",),
         args=(f"postgresql://u:{S}@127.0.0.1:1/db",)),
    Case("validate-missing-folder", "missing source", V, 2, ("does-not-exist",),
         args=("{tmp}/does-not-exist",)),
    # ---------------------------------------------------------------- run on hostile data (kernels)
    Case("empty-orders-run", "empty orders (run)", R, 2, ("orders", "no rows"), raw=_header_only),
    Case("data-error-stops-run", "data errors stop the run", R, 2, ("opportunities.csv", "status"),
         _set("opportunities", "status", 3, "maybe")),
    # hostile names: one notebook run per notebook checks several (each run costs ~20 s of kernel)
    Case("hostile-names-04", "names with $...$, XSS and 10,000 characters (04); formula injection: "
         "a customer name in 04's exports", R, 0, ("ok",),
         _all(_name_customer("$5 Store $x$ <script>alert(1)</script>" + "L" * 10_000),
              _name_customer("+cmd|' /C calc'!A0", skip=3)),
         only="04_customer_segmentation", slow=True, check=_no_live_formulas),
    Case("hostile-regions-01", "names with $...$ (01); formula injection in targets.xlsx; control "
         "characters in the XLSX export (targets.xlsx): three regions", R, 0, ("ok",),
         _all(_name_region("$West$"), _name_region("=WEST()", old="East"),
              _name_region("West\x07\x1b[31m", old="North")),
         only="01_goal_decomposition", slow=True, check=_no_live_formulas, owner="deliver"),
    Case("param-injection-str", "parameter code injection (string)", R, 0, ("ok",),
         args=("-p", "watch_reps=R001\"); open(\"{tmp}/pwned\", \"w\") #"),
         only="05_risk_monitoring", slow=True),
    Case("rep-id-traversal", "a rep id can overwrite any file", R, 0, ("ok",),
         _rep_id("R001", "../../x/notebooks/03_market_trends"),
         args=("--scorecards", "../../x/notebooks/03_market_trends"), only="00_data_overview", slow=True),
]
# fmt: on
