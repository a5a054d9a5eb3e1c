"""``salesnb import --suggest``: a draft generic profile from an export's headers and contents.

Each column is matched to a contract column by its header (English and Chinese synonyms, case, spaces
and punctuation ignored), then checked against its contents: a date column states the format that
reads every value (or says plainly that two formats fit), a number column must read as numbers.
Columns it could not place are listed. The draft is YAML for a human to check and edit; it is never
used without being read.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from salesnb.data.contract import FORECAST_CATEGORIES, TABLES
from salesnb.data.importing.importer import (
    _LOST,
    _WON,
    NOT_A_SALE,
    PIPELINE_HEADERS,
    STAGE_ORDER_HEADERS,
    STATUS_HEADER,
    TRUE_FLAGS,
    _data_rows,
    _files,
    _norm,
    name_status,
    status_from_closed,
    status_from_flags,
)
from salesnb.data.importing.parsing import (
    ParseError,
    currency_mark,
    date_formats_fitting,
    describe_date_formats,
    parse_numbers,
    read_any,
)

#: header synonyms per (table, column), English and Chinese, in order of preference
SYNONYMS: dict[tuple[str, str], list[str]] = {
    ("orders", "order_id"): ["order id", "order number", "order no", "invoice no", "invoiceno",
                             "invoice number", "invoice id", "sales order id", "so number",
                             "订单编号", "订单号", "销售订单编号", "单据编号", "发票号"],
    ("orders", "order_date"): ["order date", "invoice date", "invoicedate", "date", "booked date",
                               "order purchase timestamp", "purchase date", "order time", "order timestamp",
                               "effective date", "order start date", "下单日期", "订单日期", "成交日期", "销售日期", "日期"],
    ("orders", "customer_id"): ["customer id", "customerid", "customer", "account id", "account name id",
                                "associated company ids", "associated company id", "company id", "account",
                                "customer name", "account name", "客户编号", "客户id", "客户名称", "客户"],
    ("orders", "amount"): ["amount", "sales", "revenue", "net amount", "total", "total price",
                           "line total", "grand total", "sales amount", "订单金额", "金额", "销售额",
                           "小计", "总金额", "价税合计", "销售订单金额"],
    ("orders", "rep_id"): ["rep", "sales rep", "salesperson", "sales person", "sales agent",
                           "salesman", "seller", "account manager", "owner", "order owner", "rep id",
                           "sales rep id", "salesperson id", "employee id", "staff id", "order owner id",
                           "owner id", "sales order owner", "invoice owner", "负责人", "销售员", "业务员", "销售代表"],
    ("orders", "product_id"): ["product id", "stockcode", "stock code", "sku", "product code",
                               "item code", "product", "产品编号", "产品编码", "产品名称", "物料编码"],
    ("orders", "category"): ["category", "product category", "category name", "product line", "product family",
                             "product type", "family", "产品类别", "产品分类", "产品线", "类别", "品类"],
    ("orders", "region"): ["region", "sales region", "country", "territory", "区域", "大区",
                           "所属区域", "地区", "国家"],
    ("orders", "channel"): ["channel", "sales channel", "渠道", "销售渠道"],
    ("orders", "quantity"): ["quantity", "qty", "quantity ordered", "qty ordered", "units",
                             "units sold", "数量", "销售数量"],
    ("orders", "line_no"): ["line no", "line number", "order line number", "line", "line item", "item id",
                            "行号", "序号"],
    ("orders", "discount"): ["discount", "discount rate", "discount %", "discount percent", "折扣",
                             "折扣率"],
    ("orders", "cost"): ["cost", "cogs", "成本"],
    ("orders", "currency"): ["currency", "currency code", "currencyisocode", "total price currency",
                             "amount currency", "币种", "货币"],
    ("opportunities", "opportunity_id"): ["opportunity id", "deal id", "potential id", "record id", "id",
                                          "商机编号", "商机id"],
    ("opportunities", "customer_id"): ["account id", "account name id", "associated company ids",
                                       "associated company id", "company id", "account name", "account",
                                       "company", "associated company", "customer", "客户名称", "客户"],
    ("opportunities", "rep_id"): ["owner", "deal owner", "opportunity owner", "potential owner", "owner id",
                                  "sales agent", "sales rep", "salesperson", "负责人", "销售代表"],
    ("opportunities", "created_date"): ["created date", "create date", "created time", "createddate",
                                        "created", "open date", "opened date", "engage date",
                                        "创建时间", "创建日期"],
    ("opportunities", "close_date"): ["close date", "closing date", "closedate", "expected close",
                                      "预计成交日期", "结单日期", "成交日期"],
    ("opportunities", "stage"): ["stage", "deal stage", "stage name", "stagename", "销售阶段", "阶段",
                                 "商机阶段"],
    ("opportunities", "status"): ["status", "商机状态", "状态"],
    ("opportunities", "amount"): ["amount", "deal amount", "opportunity amount", "deal value",
                                  "close value", "value", "商机金额", "金额"],
    ("opportunities", "lost_reason"): ["lost reason", "closed lost reason", "reason for loss", "loss reason",
                                       "输单原因", "丢单原因"],
    ("opportunities", "last_activity_date"): ["last activity date", "last activity", "last activity time",
                                              "最后跟进时间", "最近跟进时间", "最后活动时间"],
    ("opportunity_history", "opportunity_id"): ["opportunity id", "deal id", "deal name id", "deal record id",
                                                "商机编号", "商机id"],
    ("opportunity_history", "stage"): ["stage", "stage name", "to stage", "new stage", "阶段", "销售阶段",
                                       "变更后阶段", "商机阶段"],
    ("opportunity_history", "entered_date"): ["entered date", "changed date", "change date", "modified time",
                                              "created date", "date", "变更时间", "进入时间", "修改时间"],
    ("opportunity_history", "forecast_category"): ["forecast category", "forecast category name", "预测类别"],
    ("opportunities", "forecast_category"): ["forecast category", "forecastcategoryname",
                                             "预测类别"],
    ("opportunities", "currency"): ["currency", "currencyisocode", "币种"],
    ("opportunities", "category"): ["product", "product name", "product category", "product family", "产品", "产品名称"],
    ("customers", "customer_id"): ["customer id", "customerid", "account id", "account", "account name",
                                   "company", "company name", "customer", "customer name", "客户编号",
                                   "客户名称", "客户"],
    ("customers", "name"): ["customer name", "account name", "company name", "name", "客户名称", "名称"],
    ("customers", "region"): ["region", "country", "country/region", "office location", "location",
                              "state", "province", "billing country", "sales region", "区域", "所属区域", "大区", "地区", "国家", "省份"],
    ("customers", "industry"): ["industry", "sector", "行业"],
    ("customers", "customer_type"): ["segment", "customer type", "type", "客户类型"],
    ("customers", "signup_date"): ["signup date", "created date", "create date", "created time", "创建时间"],
    ("products", "product_id"): ["product id", "product code", "sku", "stockcode", "stock code",
                                 "item code", "product", "产品编号", "产品编码"],
    ("products", "name"): ["product name", "name", "description", "item name", "产品名称", "名称"],
    ("products", "category"): ["category", "product category", "category name", "product line", "series", "family",
                               "product family", "产品类别", "产品线", "类别"],
    ("products", "list_price"): ["list price", "sales price", "price", "unit price", "msrp", "单价",
                                 "标准价格"],
    ("products", "unit_cost"): ["unit cost", "cost", "成本"],
    ("reps", "rep_id"): ["rep id", "sales agent", "sales rep", "rep", "salesperson", "sales person",
                         "owner", "user", "employee", "employee id", "staff id", "salesperson id",
                         "销售代表", "销售员", "负责人", "员工", "员工编号", "员工id", "工号"],
    ("reps", "name"): ["name", "full name", "rep name", "姓名", "员工姓名"],
    ("reps", "team"): ["team", "sales team", "primary team", "manager", "store id", "store", "branch",
                       "department", "role", "团队", "部门", "主属部门", "所属部门", "门店"],
    ("reps", "region"): ["region", "regional office", "office", "territory", "division", "区域", "大区", "所属区域"],
    ("reps", "hire_date"): ["hire date", "start date", "入职日期"],
    ("reps", "end_date"): ["end date", "leave date", "termination date", "离职日期"],
    ("reps", "manager_id"): ["manager id", "reports to", "supervisor", "上级"],
}

_ISO_CODES = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD"}
#: the draft's currency line, when nothing in the export names the currency
_NO_CURRENCY = "currency: \"\"   # ISO code of the amounts (e.g. CNY, USD) when no column says it"
_PRICE = {"unitprice", "price", "priceeach", "单价", "salesprice", "listprice"}

#: the columns that make a file look like one table: the two transaction tables first, then the
#: lists (their key and at least one more of their columns)
SIGNATURE = {"opportunities": ("stage", "close_date"), "orders": ("order_date", "amount"),
             "customers": ("customer_id",), "products": ("product_id",), "reps": ("rep_id",)}
#: words of an open stage's name, in funnel order (Salesforce's, HubSpot's, Zoho's and 纷享销客's
#: default pipelines read in their order): a stage takes the rank of the first that its name holds
_FUNNEL = [re.compile(p, re.I) for p in (
    r"\blead|prospect|\bnew\b|线索|潜在", r"appointment|contact|engag|接洽|联系|拜访",
    r"qualif|资格|意向", r"\bneeds?\b|discover|需求", r"value|presentation|\bdemo|演示|价值",
    r"decision|决策", r"perception", r"proposal|quot|offer|报价|方案",
    r"negotiat|review|contract|commit|谈判|审核|合同")]
#: a word that says "the first of": alone, the first stage (Initial contact, 初步); beside another
#: word, the start of that word's step (Zoho's Initial Offer is an offer, before Proposal/Price Quote)
_INITIAL = re.compile(r"initial|初步", re.I)


#: words of a file's name that say which table it holds (a CRM names its exports by object:
#: Salesforce's Account.csv and User.csv, HubSpot's all-orders.csv, Zoho's Users.csv)
_FILE_HINTS = (("orders", r"order|invoice|订单"), ("opportunities", r"opportunit|deal|potential|商机"),
               ("customers", r"account|compan|customer|client|客户"), ("products", r"product|产品"),
               ("reps", r"user|employee|staff|owner|人员|员工"))
#: headers of a record's own id in a CRM export (Salesforce's Id, HubSpot's Record ID)
_GENERIC_ID = {"id", "recordid", "记录id"}
#: an order's creation date: its date when the file's name says it holds orders (HubSpot)
_CREATED = {"createdate", "createddate", "createdtime", "创建时间", "创建日期"}


def _hinted(name: str) -> str | None:
    """The table a file's name says it holds, or None."""
    return next((t for t, p in _FILE_HINTS if re.search(p, name, re.I)), None)


def _hinted_list(headers: list[str], table: str, mapped: dict[str, str], df=None) -> dict[str, str] | None:
    """The columns of a file whose name says it is the list ``table`` (customers, products, reps),
    keyed by its generic id (``Id``, ``Record ID``) where the key matched is the list's name
    (HubSpot's Company name beside its Record ID: the deals refer to the id), else by its name (Zoho's
    Users: Full Name, which the deals name); None when it has neither (nor first and last names), or
    when its key repeats in ``df`` (Northwind's employee-territories.csv: a row per employee and
    territory, no list of employees)."""
    m = dict(mapped)
    key = SIGNATURE[table][0]
    gid = next((h for h in headers if _norm(h) in _GENERIC_ID and h not in m.values()), None)
    names = {_norm(x) for x in SYNONYMS.get((table, "name"), [])} | {"companyname", "accountname", "fullname"}
    if gid and (key not in m or _norm(m[key]) in names):
        if key in m and "name" not in m:
            m["name"] = m[key]
        m[key] = gid
    elif key not in m and "name" in m:
        m[key] = m["name"]
    if key in m and df is not None and df[m[key]].astype(str).str.strip().duplicated().any():
        return None
    return m if key in m or _name_parts(headers) else None


def _classify(headers: list[str], name: str = "", df=None) -> tuple[str, dict[str, str]]:
    """The table a file looks like, and its columns matched by header: a transaction table when its
    signature matches; else the list its file's ``name`` says (:func:`_hinted_list`); else the list
    (customers, products, reps) matching its key and most columns; else orders (the required table,
    with what is missing marked)."""
    scores = {t: _match(headers, t) for t in SIGNATURE}
    hint = _hinted(name)
    if hint == "orders":  # HubSpot's all-orders.csv: Record ID, Create Date
        free = [h for h in headers if h not in scores["orders"].values()]
        gid = next((h for h in free if _norm(h) in _GENERIC_ID), None)
        created = next((h for h in free if _norm(h) in _CREATED), None)
        if "order_id" not in scores["orders"] and gid:
            scores["orders"]["order_id"] = gid
        if "order_date" not in scores["orders"] and created:
            scores["orders"]["order_date"] = created
    for t in ("opportunities", "orders"):
        if all(c in scores[t] for c in SIGNATURE[t]):
            return t, scores[t]
    if hint in ("customers", "products", "reps") and (found := _hinted_list(headers, hint, scores[hint], df)) is not None:
        return hint, found
    # a dated record with an id or a customer is a transaction (its amount may be a product)
    if "order_date" in scores["orders"] and {"order_id", "customer_id"} & set(scores["orders"]):
        return "orders", scores["orders"]
    # order lines whose date is in another file (Olist): an order id with a line, quantity or price
    if "order_id" in scores["orders"] and ({"line_no", "quantity", "amount"} & set(scores["orders"])
                                            or any(_norm(h) in _PRICE for h in headers)):
        return "orders", scores["orders"]
    lists = [t for t in ("customers", "products", "reps")
             if SIGNATURE[t][0] in scores[t] and len(scores[t]) >= 2]
    if lists:
        best = max(lists, key=lambda t: len(scores[t]))
        return best, scores[best]
    best = max(("orders", "opportunities"), key=lambda t: len(scores[t]))
    return best, scores[best]


def _history(df) -> tuple[str, dict[str, str]] | None:
    """``("opportunity_history", columns)`` when the file is a log of stage changes: a deal id that
    repeats, a stage and a date (Salesforce's OpportunityHistory, Zoho's Stage_History, 纷享销客's
    商机阶段变更记录); None otherwise (a deals file names each deal once)."""
    mapped = _match([str(c) for c in df.columns], "opportunity_history")
    if not {"opportunity_id", "stage", "entered_date"} <= set(mapped):
        return None
    ids = df[mapped["opportunity_id"]].astype(str).str.strip()
    return ("opportunity_history", mapped) if ids[ids != ""].duplicated().any() else None


#: a deals file's column of the date each deal entered a stage (HubSpot's ``Date entered "Closed Won
#: (Sales Pipeline)"``): the stage history as one column per stage
_ENTERED = (r'Date entered "(?P<stage>.+) \((?P<pipeline>.+)\)"', r'Date entered "(?P<stage>.+)"')


def _history_from_columns(opp: dict) -> dict | None:
    """The stage history read from the deals' date-entered columns (one per stage), as the
    draft's ``opportunity_history`` table (``from_table``, ``history_from``); None when the deals
    have none or no id column. The columns are taken off the deals' unplaced list."""
    key = opp["columns"].get("opportunity_id")
    if not isinstance(key, str):
        return None
    for pat in _ENTERED:
        cols = [h for h in opp["_unplaced"] if re.fullmatch(pat, h)]
        if len(cols) >= 2:
            opp["_unplaced"] = [h for h in opp["_unplaced"] if h not in cols]
            return {"file": None, "from_table": "opportunities", "header_row": 1, "columns": {}, "_notes": {},
                    "_unplaced": [], "_missing": [], "_amount": None,
                    "history_from": {"id": key, "pattern": pat},
                    "_lead": [f"the deals' {len(cols)} date-entered columns, one per stage: a row per deal "
                              "and stage it entered"]}
    return None


def _change_logs(hist: dict) -> dict[str, dict]:
    """The close-date and forecast-category histories read from the rows of a stage-history file
    that carries them (Salesforce's OpportunityHistory: a row per change of stage, close date or
    category, with the values from then on): ``close_date_history`` and
    ``forecast_category_history``, the day's latest row each (``distinct``). Empty when the file has
    neither."""
    df, cols = hist["_df"], hist["columns"]
    key, when = cols.get("opportunity_id"), cols.get("entered_date")
    if not isinstance(key, str) or when is None:
        return {}
    out = {}
    close = _match(hist["_unplaced"], "opportunities").get("close_date")
    base = {"file": hist["file"], "header_row": hist["header_row"], "_unplaced": [], "_missing": [], "_df": df,
            "_amount": None, "distinct": True, "_files": hist.get("_files", 1)}
    if close:
        fits = date_formats_fitting(_sample(df, close))
        out["close_date_history"] = {**base, "columns": {"opportunity_id": key, "changed_date": when,
                                                         "close_date": _date_entry(close, fits)},
                                     "_notes": {}, "_lead": ["the same rows: the close date expected from each "
                                                             "change on (the day's latest row)"]}
        hist["_unplaced"] = [h for h in hist["_unplaced"] if h != close]
    cat = _head(cols.get("forecast_category"))
    if cat:
        spec = {**base, "columns": {"opportunity_id": key, "changed_date": when, "forecast_category": cat},
                "_notes": {}, "_lead": ["the same rows: the forecast category from each change on (the day's "
                                        "latest row)"]}
        if _blank(df, cat).any():
            spec["drop_if_missing"] = ["forecast_category"]
            spec["_lead"].append(f"{int(_blank(df, cat).sum()):,} rows set no category: left out")
        out["forecast_category_history"] = spec
    return out


def _y(v) -> str:
    """A value as one line of YAML flow style."""
    text = yaml.safe_dump(v, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


#: words an export puts before its column names (customer_state, order_purchase_timestamp)
_PREFIXES = ("customer", "order", "product", "deal", "opportunity", "account", "item", "sales")


def _match(headers: list[str], table: str) -> dict[str, str]:
    """Contract column → header, by synonyms (a header is used once, the best-ranked first); a header
    without its table-name prefix (``customer_state`` → ``state``) is tried after the full ones."""
    norm = {_norm(h): h for h in headers}
    bare: dict[str, str] = {}
    for h in headers:
        n = _norm(h)
        for p in _PREFIXES:
            if n.startswith(p) and len(n) > len(p) + 2:
                bare.setdefault(n[len(p):], h)
        if str(h).endswith("__c"):  # a Salesforce custom field: Loss_Reason__c
            bare.setdefault(n[:-1], h)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for lookup in (norm, bare):
        for (t, col), syns in SYNONYMS.items():
            if t != table or col in out:
                continue
            for s in syns:
                h = lookup.get(_norm(s))
                if h is not None and h not in taken:
                    out[col] = h
                    taken.add(h)
                    break
    return out


def _currency_hint(values) -> str:
    """What the currency marks in ``values`` say, for the draft's ``currency:`` comment ("" when
    none or several): the ISO code itself, or the codes a shared mark (``$``, ``¥``) may mean."""
    if (found := currency_mark(values)) is None:
        return ""
    mark, codes = found
    if len(codes) == 1:
        return f"the amounts carry {mark!r}: {codes[0]}? write it here"
    return f"the amounts carry {mark!r}: {' or '.join(codes)}? say which"


def _sample(df, h: str):
    return df[h][df[h].astype(str).str.strip() != ""].head(500)


def _by_values(df, headers: list[str], kind: str) -> list[tuple[str, object, str]]:
    """Unplaced ``headers`` whose values read as ``kind`` ("date" or a number): (header, profile
    entry, note) each. Only what every sampled value supports: a date column needs a known format
    reading all of them (Excel serial numbers are left out: any whole number reads as one), a
    number column all values as numbers, with a decimal point or, if not, a decimal comma."""
    out = []
    for h in headers:
        sample = _sample(df, h)
        if sample.empty:
            continue
        if kind == "date":
            fits = [f for f in date_formats_fitting(sample) if f != "excel"]
            if fits:
                out.append((h, _date_entry(h, fits),
                            describe_date_formats(fits, sample) if len(fits) > 1 else ""))
            continue
        if _norm(h) in _PRICE:
            continue
        for mark in (".", ","):
            try:
                parse_numbers(sample, decimal=mark)
            except ParseError:
                continue
            out.append((h, h if mark == "." else {"column": h, "decimal": ","},
                        "" if mark == "." else "a decimal comma"))
            break
    return out


#: status values that say an order is a sale (the draft asks about the others)
_A_SALE = re.compile(r"ship|deliver|complet|paid|invoic|fulfil|已发货|已完成|已付款|已签收", re.I)


def _status_amounts(df, h: str, amount: str | None, values) -> str:
    """The amount of each status, as a comment line (Kaggle's 60 Cancelled lines weigh 194,487.48),
    or ``""`` when the amount column is unknown or does not read as numbers."""
    if not amount or amount not in df.columns:
        return ""
    try:
        sums = parse_numbers(df[amount]).groupby(df[h].astype(str).str.strip()).sum()
    except ParseError:
        return ""
    return f"    # {amount} by {h}: " + ", ".join(f"{v or '(empty)'} {sums.get(v, 0):,.2f}" for v in values) + "."


def _status_decision(bad: list[str], values) -> str:
    """What the import does with each status, and what the reader decides: every row is a sale
    unless filtered; a status whose name says it is none is named, the undecided ones listed."""
    ask = [v for v in values if v not in bad and not _A_SALE.search(v)]
    says = (f" {', '.join(bad)} {'says it is not one' if len(bad) == 1 else 'say they are not sales'} "
            "(uncomment the filter below);") if bad else ""
    decide = (f" decide for {', '.join(v or '(empty)' for v in ask)}: add to not_in each that is not a sale."
              if ask else " the others read as sales." if bad else " each reads as a sale.")
    return "    # Every row is imported as a sale, whatever its status:" + says + decide


def _status_note(df, unplaced: list[str], *, amount: str | None = None) -> list[str]:
    """Commented lines for an unplaced order-status column: its values and counts (and amounts), and
    the ``where`` filter that would keep only sales. Every row is imported as a sale unless the
    profile says otherwise, so a cancelled order would count as revenue: the draft says so, it never
    filters."""
    out = []
    for h in unplaced:
        if not STATUS_HEADER.search(_norm(h)):
            continue
        counts = df[h].astype(str).str.strip().value_counts()
        if not 1 < len(counts) <= 20:
            continue
        shown = ", ".join(f"{v or '(empty)'} {n:,}" for v, n in counts.items())
        bad = [v for v in counts.index if NOT_A_SALE.search(v)]
        out += [f"    # {h} has {len(counts)} values: {shown}.",
                *[ln for ln in [_status_amounts(df, h, amount, counts.index)] if ln],
                _status_decision(bad, counts.index),
                "    # where:",
                f"    #   - {{column: {_y(h)}, not_in: {_y(bad or ['VALUE'])}, reason: not a sale}}"]
    return out


def _blank(df, header: str):
    """The cells of ``header`` that are empty (blank text) as the import reads them."""
    return df[header].astype(str).str.strip() == ""


def _heads(entry) -> list[str]:
    """The export headers a draft column reads: its header, or the columns it coalesces."""
    if isinstance(entry, dict) and isinstance(entry.get("derive"), dict) and "coalesce" in entry["derive"]:
        return [str(h) for h in entry["derive"]["coalesce"]]
    head = _head(entry)
    return [head] if head else []


#: what a required column's note says when its empty cells fail the validation (collected by the
#: draft for its ``drop_if_missing`` offer)
_FAILS = "validation fails on them"
#: what a required column's note says when only open deals leave it empty (the contract allows it)
_OPEN_ONLY = "open deals only, which may leave it empty (the pages say what they cannot check without it)"

#: what a ``default`` in a column costs the reports: the pages read the invented value as data
_DEFAULT_COST = {
    "created_date": "deal ages, cycle lengths and the stalled-deal check count from the invented date",
    "close_date": "the slipped-deal check and the pipeline due in the quarter (coverage) read it as the "
                  "expected close",
    "amount": "the pipeline's value (expected revenue, P(miss), coverage) counts the invented amount",
}
#: what a ``default`` costs the sales read from the won deals
_SALES_DEFAULT_COST = {"amount": "revenue, attainment and the order sizes count the invented amount as sold"}


def _stand_in_note(header: str) -> str | None:
    """The note on a created date read from a later date (Maven's engage_date): what it stands in for,
    and what that changes. None for a created date proper."""
    if "engage" not in _norm(header):
        return None
    return (f"{header} is the date the deal was engaged, used as a stand-in for its creation (the export has "
            "no created date): deal ages and cycle lengths start at engagement, so they read shorter than "
            "from creation")


def _open_rows(df, cols: dict, mapped: dict[str, str]) -> pd.Series:
    """Which deals are open, as the draft will read them: by their closed and won flags (Salesforce's
    IsClosed, IsWon), else by a status column, else by their stage's name (won or lost, the rest open)."""
    derive = cols.get("status", {}).get("derive", {}) if isinstance(cols.get("status"), dict) else {}
    flags = derive.get("status_from_flags") if isinstance(derive, dict) else None
    if flags and flags.get("closed") in df and flags.get("won") in df:
        return (status_from_flags(df[flags["closed"]], df[flags["won"]]) == "open").reset_index(drop=True)
    if flags and flags.get("closed") in df and flags.get("stage") in df:  # a closed flag, no won flag
        return (status_from_closed(df[flags["closed"]], df[flags["stage"]]) == "open").reset_index(drop=True)
    if mapped.get("status") in df:
        return df[mapped["status"]].astype(str).str.strip().str.lower().eq("open").reset_index(drop=True)
    stage = mapped.get("stage")
    if stage not in df:
        return pd.Series(False, index=range(len(df)))
    st = df[stage].astype(str).str.strip()
    return (~st.map(lambda v: bool(_WON.search(v) or _LOST.search(v)))).reset_index(drop=True)


def _blank_notes(df, table: str, cols: dict, mapped: dict[str, str], notes: dict[str, str]) -> None:
    """A note on each required column with empty cells: how many, for deals in which stages (a CRM
    leaves an open deal's amount or close date empty), and whether validation fails on them. An open
    deal may leave its close date, amount and created date empty (the contract's
    ``open_may_be_empty``): those cells are said to be allowed, and the remedies are offered with
    their cost (:func:`_open_gaps_lines`), not as a fix the validation needs. A column coalescing several
    headers is empty where all of them are."""
    stage = mapped.get("stage") if table == "opportunities" else None
    opened = _open_rows(df, cols, mapped) if table == "opportunities" else None
    for col in TABLES[table].required_columns:
        heads = [h for h in _heads(cols.get(col)) if h in df]
        if not heads or TABLES[table].column(col).nullable:
            continue
        blank = _blank(df, heads[0])
        for h in heads[1:]:
            blank &= _blank(df, h)
        if not blank.any():
            continue
        where = ""
        if stage:
            by = df.loc[blank, stage].astype(str).str.strip().value_counts()
            where = " (" + ", ".join(f"{v} {n:,}" for v, n in by.items()) + ")"
        text = f"empty in {int(blank.sum()):,} of {len(df):,} rows{where}"
        if opened is not None and TABLES[table].column(col).open_may_be_empty:
            closed = blank.to_numpy() & ~opened.to_numpy()
            if not closed.any():
                text += f": {_OPEN_ONLY}"
            else:
                text += f"; {int(closed.sum()):,} of them won or lost deals: {_FAILS}"
        else:
            text += f": {_FAILS}"
        notes[col] = f"{notes[col]}; {text}" if col in notes else text


#: headers of the date a deal was closed (won or lost) beside its expected close date: a CRM that
#: keeps both leaves the expected one empty once the deal is closed (纷享销客's 结单日期, 预计成交日期)
_CLOSED_ON = {"结单日期", "实际成交日期", "实际结单日期", "actualclosedate", "closeddate", "dateclosed",
              "closedon", "closedat", "closedtime"}


def _close_dates(df, headers: list[str], mapped: dict[str, str], cols: dict, notes: dict[str, str]) -> str | None:
    """The deals' close date from both of their close-date columns when the export has two, one of
    them the date the deal was closed (:data:`_CLOSED_ON`): ``coalesce``, the closed date first (a
    closed deal's close date is the day it closed, an open one's the day it is expected). Two close
    dates neither of which says closed are named in a note, not chosen. The second header, or None."""
    h = mapped.get("close_date")
    syns = {_norm(x) for x in SYNONYMS[("opportunities", "close_date")]} | _CLOSED_ON
    other = next((x for x in headers if x != h and x not in mapped.values() and _norm(x) in syns), None)
    if h is None or other is None:
        return None
    closed = [x for x in (h, other) if _norm(x) in _CLOSED_ON]
    if len(closed) != 1:
        notes["close_date"] = f"{other} is a close date too: which one? check"
        return None
    first, then = closed[0], h if closed[0] == other else other
    sample = pd.concat([_sample(df, first), _sample(df, then)], ignore_index=True)
    fits = date_formats_fitting(sample)
    entry = _date_entry(first, fits)
    cols["close_date"] = {"derive": {"coalesce": [first, then]},
                          **({"format": entry["format"]} if isinstance(entry, dict) else {})}
    notes["close_date"] = (f"a closed deal's date is its {first}, an open one's its {then}: the first filled, check"
                           + (f" ({describe_date_formats(fits, sample)})" if len(fits) != 1 else ""))
    return other


#: currency names as exports write them (case, spaces and punctuation ignored) → ISO 4217 code
_CURRENCY_NAMES = {
    "人民币": "CNY", "人民币元": "CNY", "rmb": "CNY", "renminbi": "CNY", "yuan": "CNY", "chineseyuan": "CNY",
    "chineseyuanrenminbi": "CNY", "美元": "USD", "美金": "USD", "usdollar": "USD", "usdollars": "USD",
    "欧元": "EUR", "euro": "EUR", "euros": "EUR", "港币": "HKD", "港元": "HKD",
    "hongkongdollar": "HKD", "日元": "JPY", "yen": "JPY", "japaneseyen": "JPY", "英镑": "GBP",
    "poundsterling": "GBP", "britishpound": "GBP"}  # a bare "dollar" or "pound" is not one currency
_KNOWN_CODES = _ISO_CODES | {"AUD", "CAD", "CHF", "SGD", "KRW", "INR", "TWD", "NZD", "RUB", "BRL", "MXN"}


def _currency_code(v: str) -> str | None:
    """The ISO code ``v`` names: ``v`` itself when it is one, else its code in :data:`_CURRENCY_NAMES`
    (``美元``, ``US Dollar``) or a known code in other case (``usd``); None when it names none known."""
    if re.fullmatch(r"[A-Z]{3}", v):
        return v
    key = _spelling(v)
    return _CURRENCY_NAMES.get(key) or (key.upper() if key.upper() in _KNOWN_CODES else None)


def _currency_entry(df, h: str) -> tuple[object, str]:
    """A currency column's draft entry and note: the header alone when its values are ISO codes,
    else a ``map`` from each value to its code (纷享销客's 币种: 人民币, 美元). A value naming no
    currency known is left out of the map and named in the note (the import stops on it): never
    guessed."""
    vals = df[h].astype(str).str.strip()
    counts = vals[vals != ""].value_counts(sort=False)
    order = [v for v in vals[vals != ""].unique()]
    codes = {v: _currency_code(v) for v in order}
    if all(c == v for v, c in codes.items()):
        return h, ""
    unknown = [v for v, c in codes.items() if c is None]
    mapping = {v: c for v, c in codes.items() if c is not None}
    notes = ["currency names read as ISO codes: check"] if any(c != v for v, c in mapping.items()) else []
    if unknown:
        shown = ", ".join(f"{v} ({_rows(int(counts[v]))})" for v in unknown)
        notes.append(f"{shown} is no currency known: write its ISO code in the map (the import stops on it)"
                     if len(unknown) == 1 else f"{shown} are no currencies known: write their ISO codes in "
                     "the map (the import stops on them)")
    if not mapping:  # an empty map maps nothing: the values would be read as they are
        return h, f"{', '.join(unknown)}: no currency known; map each value to its ISO code (map: {{…}})"
    return {"column": h, "map": mapping}, "; ".join(notes)


#: a deal status that says the deal is still open (the won and lost words are :func:`name_status`'s)
_OPEN_STATUS = re.compile(r"^(open|opened|active|in[\s_-]*progress|ongoing|pending|进行中|跟进中|未结束)$", re.I)


def _status_entry(df, h: str) -> tuple[object, str]:
    """A deal status column's draft entry and note: the header alone when its values are open, won and
    lost, else a ``map`` from each value to the one its words say (纷享销客 商机2.0's 商机状态: 进行中 open,
    赢单 won, 输单 and 无效 lost). A value whose words say none is left out of the map and named in the
    note (the import stops on it): never guessed."""
    vals = df[h].astype(str).str.strip()
    counts = vals[vals != ""].value_counts(sort=False)
    order = list(vals[vals != ""].unique())
    said = {v: v.lower() if v.lower() in ("open", "won", "lost") else "open" if _OPEN_STATUS.match(v)
            else None if name_status(v) == "open" else name_status(v) for v in order}
    if all(v == c for v, c in said.items()):
        return h, ""
    unknown = [v for v, c in said.items() if c is None]
    mapping = {v: c for v, c in said.items() if c is not None}
    notes = ["each deal's open, won or lost as its words say: check"] if mapping else []
    if unknown:
        shown = ", ".join(f"{v} ({_rows(int(counts[v]))})" for v in unknown)
        notes.append(f"{shown}: open, won or lost? add {'it' if len(unknown) == 1 else 'them'} to the map "
                     "(the import stops on it)")
    return ({"column": h, "map": mapping} if mapping else h), "; ".join(notes)


#: headers of a record's exchange rate (Zoho's Exchange Rate)
_RATE = {"exchangerate", "rate", "fxrate", "conversionrate", "汇率"}


def _exchange_rate(df, mapped: dict[str, str], unplaced: list[str]) -> tuple[dict, str] | None:
    """The table's ``exchange_rate`` entry and note when its records carry a rate beside a currency
    column with several currencies (Zoho: ``1 USD = 7 CNY``). The home currency is the one whose
    records all carry 1; the way the rate is quoted is read from the amounts: the other currencies'
    amounts divided by their rate look like the home currency's (medians compared), or multiplied by
    it. None without such a column; a note alone when the data cannot say."""
    h = next((x for x in unplaced if _norm(x) in _RATE), None)
    cur, amt = mapped.get("currency"), mapped.get("amount")
    if h is None or cur is None or amt is None:
        return None
    try:
        rate, amount = parse_numbers(df[h]), parse_numbers(df[amt]).abs()
    except ParseError:
        return None
    code = df[cur].astype(str).str.strip()
    if code[code != ""].nunique() < 2:
        return None
    ones = [c for c in code[code != ""].unique() if (rate[code == c] == 1).all()]
    if len(ones) != 1:
        return {"column": h, "quote": "record_per_home"}, (
            f"{h}: no one currency whose records all carry 1, so the home currency cannot be told: "
            "set the profile's currency, and check the quote")
    home = ones[0]
    base = float(amount[code == home].median())
    votes = set()
    for c in code[(code != "") & (code != home)].unique():
        a, r = amount[code == c], rate[code == c]
        div, mul = float((a / r).median()), float((a * r).median())
        if min(div, mul, base) <= 0:
            continue
        votes.add("record_per_home" if abs(np.log(div / base)) < abs(np.log(mul / base)) else "home_per_record")
    if len(votes) != 1:
        return {"column": h, "quote": "record_per_home"}, (
            f"{h}: the amounts cannot say how it is quoted: check the quote (record_per_home: "
            f"1 {home} = rate units of the record's currency)")
    quote = votes.pop()
    how = "divided by" if quote == "record_per_home" else "multiplied by"
    return {"column": h, "quote": quote}, (
        f"{home} is the home currency (its records all carry 1); the other amounts {how} their {h} are "
        f"like the {home} ones, so amounts convert to {home} that way: check")


#: forecast category names that are salesnb's under another spelling, beyond case and spaces
#: (Salesforce's OpportunityHistory keeps the API name Forecast for the label Commit)
_FORECAST_NAMES = {"forecast": "commit"}


def _forecast_categories(tables: dict[str, dict]) -> list[str]:
    """The draft's ``forecast_categories`` block when the deals' (or their history's) forecast
    categories are not salesnb's own names (Salesforce: Best Case, BestCase, Forecast): each value
    mapped to the category it spells (case, spaces ignored; Forecast is Commit's API name); a value
    that spells none is named in a comment (the import stops on it), never guessed."""
    values: dict[str, int] = {}
    for t in ("opportunities", "opportunity_history"):
        spec = tables.get(t)
        h = _head(spec["columns"].get("forecast_category")) if spec and "_df" in spec else None
        if h and h in spec["_df"]:
            v = spec["_df"][h].astype(str).str.strip()
            for k, n in v[v != ""].value_counts(sort=False).items():
                values[k] = values.get(k, 0) + int(n)
    if not values or set(values) <= set(FORECAST_CATEGORIES):
        return []
    known = {_spelling(c): c for c in FORECAST_CATEGORIES} | _FORECAST_NAMES
    out = ["# the forecast categories found, read as salesnb's (pipeline, best_case, commit, closed, omitted):",
           "# check them (a category not listed stops the import)", "forecast_categories:"]
    for v, n in values.items():
        c = known.get(_spelling(v))
        api = "; Salesforce's API name of Commit" if _spelling(v) in _FORECAST_NAMES else ""
        out.append(f"  {_y(v)}: {c}   # {_rows(n)}{api}" if c else
                   f"  # {_y(v)}: ???   # {_rows(n)}: no category of salesnb's; map it to the one your forecast "
                   "counts it as")
    return out


#: a Salesforce id that refers to nobody (its ManagerId of a user without a manager)
_EMPTY_ID = re.compile(r"0{15}(?:[A-Z0-9]{3})?")


def _empty_ids(groups) -> list[str]:
    """The empty-id values found in the id columns of the export (Salesforce's
    ``000000000000000AAA``): read as empty (``null_values``), else they would be a reference to
    someone who does not exist."""
    found: set[str] = set()
    for _, df, *_rest in groups:
        for h in df.columns:
            if _norm(str(h)).endswith("id"):
                found |= {v for v in df[h].astype(str).str.strip().unique() if _EMPTY_ID.fullmatch(v)}
    return sorted(found)


#: headers of a line's amount at list price, or of the unit list price (which the values tell)
_LIST = {"listprice", "listamount", "linelistprice", "标准价格", "原价"}


def _list_amount(df, mapped: dict[str, str], unplaced: list[str]) -> tuple[str, object, str] | None:
    """An order line's amount at list price from a list-price column beside its amount and
    quantity (Salesforce's Orders with Products: List Price): the line's list amount when it is at
    least the line's amount in the lines of several units (a unit price would be below it), else
    quantity × unit price when that is at least the amount while the price is below it; the column,
    optional, with a note when neither holds for nearly every line. (header, entry, note) or None."""
    h = next((x for x in unplaced if _norm(x) in _LIST), None)
    q, a = mapped.get("quantity"), mapped.get("amount")
    if h is None or q is None or a is None or "discount" in mapped:
        return None
    try:
        price, qty, amount = parse_numbers(df[h]), parse_numbers(df[q]), parse_numbers(df[a])
    except ParseError:
        return None
    many = (qty > 1) & (amount > 0) & price.notna()
    if many.sum() < 10:
        return None
    line = float((price[many] >= amount[many] - 0.005).mean())
    unit = float(((price[many] * qty[many] >= amount[many] - 0.005) & (price[many] < amount[many])).mean())
    if line >= 0.95:
        return h, h, (f"the line at list price: {h} is at least the line's amount in {line:.0%} of the lines "
                   "of several units (a unit price would be below it): check")
    if unit >= 0.95:
        return h, {"derive": {"multiply": [q, h]}}, (f"{q} × {h}, a unit price (below the line's amount in "
                                                  f"{unit:.0%} of the lines of several units): check")
    return h, {"column": h, "optional": True}, (f"{h}: the line's list amount or a unit price? the values "
                                             "cannot say: check (a unit price is {derive: {multiply: "
                                             f"[{q}, {h}]}})")


def _dropped_words(spec: dict, cols: list[str], closed_only: tuple[str, ...] = ()) -> str | None:
    """What ``drop_if_missing: cols`` would cost the reports, in words: the rows, and for deals the
    open ones it removes from the pipeline (by stage, a stage losing every deal named) and the won or
    lost ones it removes from the win rates (Maven's CRM export: all 2,089 open deals). None when no
    row lacks them. The columns of ``closed_only`` drop the closed deals only (``unless_open``)."""
    df = spec["_df"]
    heads = [h for c in cols for h in _heads(spec["columns"].get(c)) if h in df]
    if not heads:
        return None
    blank = pd.Series(False, index=df.index)
    for c in cols:
        for h in [h for h in _heads(spec["columns"].get(c)) if h in df]:
            blank |= _blank(df, h) & (~_open_rows(df, spec["columns"], {
                k: v for k, v in spec["columns"].items() if isinstance(v, str)}).to_numpy()
                if c in closed_only else True)
    if spec.get("_from_deals"):  # the sales read from the won deals: only those rows are the table's
        blank &= spec["_rows"]
        if not blank.any():
            return None
        return (f"leaves out {int(blank.sum()):,} of the {int(spec['_rows'].sum()):,} won deals read as sales: "
                "their revenue is unknown, and the deals table drops them too when it drops the won deals "
                f"without {', '.join(cols)}")
    if not blank.any():
        return None
    text = f"leaves out {int(blank.sum()):,} of {len(df):,} rows"
    stage = spec["columns"].get("stage")
    if isinstance(stage, str) and stage in df:
        st = df[stage].astype(str).str.strip()
        opened = _open_rows(df, spec["columns"], {c: v for c, v in spec["columns"].items() if isinstance(v, str)})
        b, o = blank.to_numpy(), opened.to_numpy()
        parts = []
        if (b & o).any():
            by = ", ".join(f"{v} {k:,}" for v, k in st[b & o].value_counts().items())
            parts.append(f"removes {int((b & o).sum()):,} open deals ({by}) from the pipeline, its expected "
                         "revenue and P(miss), and the stage counts")
        if (b & ~o).any():
            parts.append(f"removes {int((b & ~o).sum()):,} won or lost deals from the win rates, deal sizes "
                         "and cycle lengths")
        gone = [v for v, k in st[blank].value_counts().items() if k == int((st == v).sum())]
        text += ": it " + " and ".join(parts) if parts else ""
        if gone:
            text += f" (no deal left in {', '.join(gone)})"
    return text


def _default_words(cols: list[str], *, sales: bool = False) -> list[str]:
    """What a ``default`` in each of ``cols`` would cost the reports, as comment lines (``sales``: of
    the sales read from the won deals)."""
    out = ["    #   or keep them with a default ({column: …, default: …}): the pages then read the",
           "    #   invented value as if the export held it; the import and the data overview say how many",
           "    #   values were filled"]
    cost = _SALES_DEFAULT_COST if sales else _DEFAULT_COST
    costs = [f"{c}: {cost[c]}" for c in cols if c in cost]
    return out[:-1] + [out[-1] + (":" if costs else "")] + [f"    #     a default {x}" for x in costs]


def _drop_effect(spec: dict, cols: list[str], closed_only: tuple[str, ...] = ()) -> list[str]:
    """What ``drop_if_missing: cols`` or a default would cost the reports, as comment lines."""
    words = _dropped_words(spec, cols, closed_only)
    return ([f"    #   dropping them {words}"] if words else []) + _default_words(
        cols, sales=bool(spec.get("_from_deals")))


def _unless_open(spec: dict, table: str, cols: list[str]) -> tuple[list, tuple[str, ...], list[str]]:
    """The ``drop_if_missing`` the draft offers for ``cols`` (empty in some won or lost deals), with the
    columns an open deal may leave empty and some open deals do (HubSpot's amount) limited to the
    closed deals: ``{columns: [amount], unless_open: true}`` keeps those open deals. The entry, the
    limited columns, and a comment line on the open deals kept."""
    if table != "opportunities":
        return cols, (), []
    df = spec["_df"]
    opened = _open_rows(df, spec["columns"], {k: v for k, v in spec["columns"].items() if isinstance(v, str)})
    limited, kept = [], pd.Series(False, index=df.index)
    for c in cols:
        heads = [h for h in _heads(spec["columns"].get(c)) if h in df]
        if not heads or not TABLES[table].column(c).open_may_be_empty:
            continue
        blank = _blank(df, heads[0])
        for h in heads[1:]:
            blank &= _blank(df, h)
        if (blank.to_numpy() & opened.to_numpy()).any():
            limited.append(c)
            kept |= blank & opened.to_numpy()
    if not limited:
        return cols, (), []
    plain = [c for c in cols if c not in limited]
    entry = {"columns": limited, "unless_open": True}
    return ([*plain, entry] if plain else entry), tuple(limited), [
        f"    #   unless_open keeps the {int(kept.sum()):,} open deals without {', '.join(limited)} (an open deal "
        "may leave it empty): only won and lost deals are dropped"]


def _open_gaps_lines(spec: dict) -> list[str]:
    """The open deals' allowed empty values (an expected close date, an amount, a created date): kept,
    and what each other way would cost the reports, as comment lines (no YAML line to uncomment:
    ``drop_if_missing`` of the validation's block stays the only one)."""
    cols = [c for c, n in spec["_notes"].items() if n.endswith(_OPEN_ONLY)]
    if not cols:
        return []
    said: dict[str, list[str]] = {}  # the same rows said once: [close_date] or [amount]
    for c in cols:
        if words := _dropped_words(spec, [c]):
            said.setdefault(words, []).append(c)
    return [f"    # open deals left empty in {', '.join(cols)} are kept (each page says what it cannot count",
            "    # them in). What the other ways would cost the reports:",
            *[f"    #   drop_if_missing: {' or '.join(f'[{c}]' for c in cs)} {w}" for w, cs in said.items()],
            *_default_words(cols)]


def _stage_values(spec: dict) -> list[tuple[str, int]]:
    h = spec["columns"].get("stage")
    if not isinstance(h, str):
        return []
    counts = spec["_df"][h].astype(str).str.strip().value_counts(sort=False)
    return [(v, int(n)) for v, n in counts.items() if v]


def _won(values: list[tuple[str, int]]) -> list[str]:
    """The stage names among ``values`` that say won (and not lost)."""
    return [v for v, _ in values if name_status(v) == "won"]


def _funnel_rank(stage: str) -> float | None:
    """The place of ``stage`` among :data:`_FUNNEL`'s words, None when its name holds none; a name
    with :data:`_INITIAL` ("initial") comes first among those of its other word (Zoho's Initial Offer
    before Proposal/Price Quote), first of all without one."""
    rank = next((i for i, p in enumerate(_FUNNEL) if p.search(stage)), None)
    if _INITIAL.search(stage):
        return 0 if rank is None else rank - 0.5
    return rank


def _filled(spec: dict, stages: list[str]) -> dict[str, float]:
    """Per stage, the share of its deals' mapped cells that are filled in: a deal further along
    has more dates and amounts (Maven's Prospecting deals lack the engage date, close date and
    value; its Engaging ones the close date and value only)."""
    df, h = spec["_df"], spec["columns"]["stage"]
    heads = [v for c, v in spec["columns"].items() if isinstance(v, str) and v in df and c != "stage"]
    st = df[h].astype(str).str.strip()
    filled = ~pd.concat([_blank(df, x) for x in heads], axis=1) if heads else None
    return {v: float(filled[st == v].to_numpy().mean()) if filled is not None else 0.0 for v in stages}


#: how the open stages are ordered, as the draft says it
_HOW = {"column": "in the order of the export's {col}",
        "names": "ordered by their names (prospecting before engaging, …)",
        "filled": "ordered by how much of their deals is filled in (an early stage has fewer dates and amounts)",
        "file": "in the order they first appear in the file"}


def _stage_column_order(spec: dict, opened: list[str]) -> tuple[list[str], str] | None:
    """``opened`` in the order an unplaced column of the deals gives (Salesforce's StageSortOrder: the
    org's own order, a number per stage), and its header; None without one, or when a stage's deals
    hold several numbers or none."""
    df, h = spec["_df"], spec["columns"].get("stage")
    col = next((c for c in spec.get("_unplaced", []) if _norm(c) in STAGE_ORDER_HEADERS), None)
    if col is None or not isinstance(h, str) or col not in df:
        return None
    st = df[h].astype(str).str.strip()
    num = pd.to_numeric(df[col].astype(str).str.strip(), errors="coerce")
    place = {}
    for v in opened:
        vals = set(num[st == v].dropna())
        if len(vals) != 1:
            return None
        place[v] = vals.pop()
    return sorted(opened, key=lambda v: (place[v], v)), col


def _how(spec: dict, how: str) -> str:
    """How the open stages are ordered, in the draft's words (:data:`_HOW`)."""
    return _HOW[how].format(col=spec.get("_stage_order_column", ""))


def _order_open(spec: dict, opened: list[str]) -> tuple[list[str], str]:
    """``opened`` in funnel order, and how (a key of :data:`_HOW`): by the export's own stage order
    (:func:`_stage_column_order`: Salesforce's StageSortOrder) when it has one; by the words of their
    names (:data:`_FUNNEL`) when every one holds such a word, else the stage whose deals are less
    filled in first (:func:`_filled`), else in file order."""
    if len(opened) > 1 and (by := _stage_column_order(spec, opened)):
        spec["_stage_order_column"] = by[1]
        return by[0], "column"
    ranks = {v: _funnel_rank(v) for v in opened}
    filled = _filled(spec, opened)
    if all(r is not None for r in ranks.values()):
        return sorted(opened, key=lambda v: (ranks[v], filled[v])), "names"
    if len(set(filled.values())) > 1:
        return sorted(opened, key=lambda v: filled[v]), "filled"
    return opened, "file"


def _pipelines(spec: dict, values: list[tuple[str, int]]) -> tuple[str, dict[str, str], list[str]] | None:
    """The deals' pipeline column when they are in several pipelines with stages of their own
    (HubSpot's Renewals beside its Sales Pipeline): (its header, each stage's pipeline, the pipelines,
    most deals first). A stage in several pipelines (HubSpot's Closed Won in each) is the first's.
    None for one pipeline, or pipelines sharing every stage."""
    head = spec["columns"].get("pipeline") or next((h for h in spec["_unplaced"] if _norm(h) in PIPELINE_HEADERS),
                                                   None)
    stage = spec["columns"].get("stage")
    if head is None or not isinstance(stage, str):
        return None
    df = spec["_df"]
    pipe, st = df[head].astype(str).str.strip(), df[stage].astype(str).str.strip()
    order = [p for p in pipe[pipe != ""].value_counts().index]
    sets = [set(st[pipe == p]) - {""} for p in order]
    if len(order) < 2 or all(x == sets[0] for x in sets):
        return None
    owner = {}
    for p, stages in zip(order, sets, strict=True):
        for v in stages:
            owner.setdefault(v, p)
    return head, owner, order


#: headers of a deal's closed and won flags (Salesforce's IsClosed, IsWon; HubSpot's Is Deal Closed?,
#: Is Closed Won, or hs_is_closed, hs_is_closed_won by internal name), case and spaces ignored
_CLOSED_FLAG = {"isclosed", "isdealclosed?", "isdealclosed", "hsisclosed"}
_WON_FLAG = {"iswon", "isclosedwon", "hsisclosedwon"}


def _flags(headers: list[str]) -> tuple[str, str | None] | None:
    """The headers of a deal's closed and won flags, when the file has both; ``(closed, None)`` when
    it has a closed flag only (a HubSpot export with Is Deal Closed? and no Is Closed Won: a closed
    deal is then won or lost by its stage); else None."""
    closed = next((h for h in headers if _norm(h) in _CLOSED_FLAG), None)
    won = next((h for h in headers if _norm(h) in _WON_FLAG), None)
    return (closed, won) if closed else None


def _flag_status(spec: dict) -> pd.Series:
    """Each deal's status as the draft's ``status_from_flags`` reads it (the won flag, else the closed
    flag and the stage's name)."""
    df, (closed, won) = spec["_df"], spec["_flags"]
    if won:
        return status_from_flags(df[closed], df[won])
    return status_from_closed(df[closed], df[spec["columns"]["stage"]])


#: headers of a record's deleted flag (Salesforce's IsDeleted), case and spaces ignored
_DELETED_FLAG = {"isdeleted"}


def _deleted(df: pd.DataFrame, headers: list[str]) -> tuple[str, list[dict]] | None:
    """A file's deleted flag and the ``where`` that leaves its deleted records out (as the built-in
    Salesforce profile does: a data export keeps deleted records, flagged); None without one."""
    h = next((h for h in headers if _norm(h) in _DELETED_FLAG), None)
    if h is None:
        return None
    return h, [{"column": h, "not_in": _yes_values(df[h]), "reason": "deleted records"}]


#: a flag's "no" spelling and the "yes" of the same spelling (Salesforce's Data Export writes 0/1)
_NO_YES = {"0": "1", "false": "true", "no": "yes", "n": "y", "f": "t"}


def _yes_values(flag: pd.Series) -> list[str]:
    """The values of a yes/no flag column that say yes, as written, and the "yes" of each "no" the
    column holds, in its spelling: a data export whose IsDeleted is 0 in every row still writes a
    deleted record 1, not true (``["true"]`` when the column holds neither)."""
    vals = list(dict.fromkeys(flag.astype(str).str.strip()))
    yes = [v for v in vals if v.lower() in TRUE_FLAGS]
    for v in vals:
        c = _NO_YES.get(v.lower())
        if c is not None:
            c = c.upper() if v.isupper() and len(v) > 1 else c.capitalize() if v[:1].isupper() else c
            yes += [c] if c not in yes else []
    return yes or ["true"]


def _flag_stages(spec: dict, values: list[tuple[str, int]]) -> tuple[dict[str, str], dict[str, str]]:
    """Each stage's status from its deals' closed and won flags (the status most of them have; a tie
    goes to the status its name reads as, else open before won before lost), and, for a stage whose
    deals' flags differ, the words saying how (``IsClosed/IsWon say won for 1, lost for 1``)."""
    df, flags = spec["_df"], [f for f in spec["_flags"] if f]
    st = df[spec["columns"]["stage"]].astype(str).str.strip()
    each = _flag_status(spec)
    by = each.groupby(st.to_numpy()).value_counts()
    status, mixed = {}, {}
    say = f"{'/'.join(flags)} say{'s' if len(flags) == 1 else ''}"
    for v, _ in values:
        n = by[v]
        named = name_status(v)
        order = ("open", "won", "lost")
        status[v] = max(n.index, key=lambda x: (n[x], x == named, -order.index(x)))
        if len(n) > 1:
            mixed[v] = f"{say} " + ", ".join(f"{x} for {int(n[x]):,}" for x in order if x in n.index)
        # a name that says won or lost while the CRM's flags say otherwise (HubSpot's Closed: abandoned, open)
        other = [x for x in order if x != named and x in n.index] if status[v] != named != "open" else []
        if other:
            rows = df.index[((st == v) & each.ne(named)).to_numpy()]
            mixed[v] = ((mixed[v] + "; " if v in mixed else "") + f"its name reads {named}, but {say} "
                        f"{'/'.join(other)} for {_data_rows(rows)}: the import reads the CRM's "
                        f"{'/'.join(other)}")
    return status, mixed


def _stages(spec: dict) -> list[str]:
    """The draft's stage list from the stage column's values: a stage named won or lost gets that
    status, every other one is open. The open stages come in funnel order (:func:`_order_open`);
    the deals of several pipelines with their own stages (:func:`_pipelines`) get one list per
    pipeline (:func:`_pipeline_stages`; the draft maps ``opportunities.pipeline``), and the draft
    says so, with the filter that keeps one pipeline. Nothing when no stage says won (then the
    template stays)."""
    values = _stage_values(spec)
    flags = spec.get("_flags")
    mixed: dict[str, str] = {}
    if flags:
        status, mixed = _flag_stages(spec, values)
        won = [v for v, _ in values if status[v] == "won"]
        lost = [v for v, _ in values if status[v] == "lost"]
    else:
        won = _won(values)
        lost = [v for v, _ in values if _LOST.search(v) and v not in won]
    if not (won or flags) or not values or len(values) > 30:
        return []
    counts = dict(values)
    opened = [v for v, _ in values if v not in won and v not in lost]
    pipes = _pipelines(spec, values)
    named = [f for f in flags] if flags else []
    out = ([f"# the deal stages found, each with the status {'/'.join(f for f in named if f)} "
            f"give{'s' if None in named else ''} its deals (the import reads each",
            "# deal's own): check them, and put the open stages in your pipeline's order (first stage first)"]
           if flags else
           ["# the deal stages found, with a status read from each name (won, lost; the rest open):",
            "# check them, and put the open stages in your pipeline's order (first stage first)"])
    if pipes:
        return out + _pipeline_stages(spec, pipes, opened, won, lost, mixed)
    opened, how = _order_open(spec, opened)
    out.append(f"# the open stages are {_how(spec, how)}: check")
    out.append("stages:")

    def line(v: str, status: str) -> str:
        n = counts[v]
        return (f"  - {{stage: {_y(v)}, status: {status}}}   # {n:,} deal{'' if n == 1 else 's'}"
                + (f"; CHECK: {mixed[v]}" if v in mixed else ""))
    out += [line(v, "open") for v in opened] + [line(v, "won") for v in won] + [line(v, "lost") for v in lost]
    return out


def _stage_line(v: str, status: str, k: int, mixed: dict[str, str]) -> str:
    """One stage of a pipeline's list in the draft, with its deals."""
    return (f"    - {{stage: {_y(v)}, status: {status}}}   # {k:,} deal{'' if k == 1 else 's'}"
            + (f"; CHECK: {mixed[v]}" if v in mixed else ""))


def _pipeline_stages(spec: dict, pipes: tuple, opened: list[str], won: list[str], lost: list[str],
                     mixed: dict[str, str]) -> list[str]:
    """The draft's stages of deals in several pipelines (:func:`_pipelines`): one list per pipeline
    (the larger first), each with the stages its deals are in, the open ones in its own order, and a
    name two pipelines share (HubSpot's Closed Won) in each list with that pipeline's deals."""
    head, _, order = pipes
    df = spec["_df"]
    pipe = df[head].astype(str).str.strip()
    stage = df[spec["columns"]["stage"]].astype(str).str.strip()
    n = pipe.value_counts()
    shown = ", ".join(f"{p} {int(n[p]):,}" + (" deals" if i == 0 else "") for i, p in enumerate(order))
    out = [f"# the deals are in {len(order)} pipelines ({head}: {shown}), each with stages of its own: one",
           "# list per pipeline below, so each pipeline's funnel is measured against its own stages (a name",
           "# two pipelines share stays two stages); to report one pipeline only, keep its deals: under",
           f"# opportunities, where: [{{column: {_y(head)}, in: [{_y(order[0])}], reason: another pipeline}}]"]
    blocks, hows = [], []
    for p in order:
        mine = stage[pipe == p].value_counts()
        part, how = _order_open(spec, [v for v in opened if v in mine.index])
        hows.append((p, how))
        blocks.append(f"  {_y(p)}:")

        blocks += ([_stage_line(v, "open", int(mine[v]), mixed) for v in part]
                   + [_stage_line(v, "won", int(mine[v]), mixed) for v in won if v in mine.index]
                   + [_stage_line(v, "lost", int(mine[v]), mixed) for v in lost if v in mine.index])
    if len({h for _, h in hows}) == 1:
        out.append(f"# the open stages of each pipeline are {_how(spec, hows[0][1])}: check")
    else:
        out.append("# the open stages of " + "; of ".join(f"{p} are {_how(spec, h)}" if i == 0 else f"{p}, {_how(spec, h)}"
                                                           for i, (p, h) in enumerate(hows)) + ": check")
    return [*out, "stages:", *blocks]


def _head(entry) -> str | None:
    """The export header a draft column reads: the entry itself, or its ``column`` (None for a
    derived or constant column)."""
    return entry if isinstance(entry, str) else entry.get("column") if isinstance(entry, dict) else None


def _spelling(v: str) -> str:
    """A key value with case, spaces and punctuation ignored: ``"GTX Pro"`` and ``"GTXPro"`` agree."""
    return re.sub(r"[\W_]+", "", v.casefold())


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _key_maps(tables: dict[str, dict]) -> None:
    """For each key the draft reads from a file (a deal's product, an order's customer) that refers
    to a list also read from a file: the values with no exact match in the list that match one of
    its values once case, spaces and punctuation are ignored (Maven's deals say "GTXPro", its
    products.csv "GTX Pro": 1,480 deals lost their product) are mapped to it (:func:`_map_spellings`);
    values that are the list's names instead of its keys (纷享销客: the deals name the customer,
    客户.csv keys it by 客户编号) are read through the list (:func:`_by_names`); the values matching
    nothing are named. Each finding is a note on the column."""
    for t, spec in tables.items():
        if spec.get("from_table") or "_df" not in spec:
            continue
        for col in list(spec["columns"]):
            found = _key_ref(tables, t, col)
            if found is None:
                continue
            head, ref, dim, dkey = found
            vals = spec["_df"][head].astype(str).str.strip()
            listed = {v for v in dim["_df"][dkey].astype(str).str.strip() if v}
            counts = vals[(vals != "") & ~vals.isin(listed)].value_counts()
            parts, none = _map_spellings(tables, t, col, head, dim, listed, counts)
            what = {"customers": "customer", "products": "product", "reps": "rep"}.get(ref[0], ref[0])
            part, none = _by_names(spec, col, head, dim, dkey, none, counts, vals, what, ref[1])
            parts += part
            if none:
                shown = ", ".join(f"{v} ({_rows(counts[v])})" for v in none[:5]) + (", …" if len(none) > 5 else "")
                parts.append(f"{shown} match{'es' if len(none) == 1 else ''} no {what}")
            if parts:
                note = "; ".join(parts)
                spec["_notes"][col] = f"{spec['_notes'][col]}; {note}" if col in spec["_notes"] else note


def _key_ref(tables: dict[str, dict], t: str, col: str) -> tuple[str, tuple, dict, str] | None:
    """For the draft column ``t.col`` reading a header and referring to a list read from a file:
    (its header, the contract's reference, the list's draft table, the list's key header); None
    otherwise."""
    spec = tables[t]
    ref = TABLES[t].column(col).references if col in [c.name for c in TABLES[t].columns] else None
    head = _head(spec["columns"][col])
    dim = tables.get(ref[0]) if ref else None
    if not (ref and dim) or dim.get("from_table") or not isinstance(head, str) or head not in spec["_df"]:
        return None
    dkey = dim["columns"].get(ref[1])
    if not isinstance(dkey, str) or dkey not in dim["_df"]:
        return None
    return head, ref, dim, dkey


def _map_spellings(tables: dict[str, dict], t: str, col: str, head: str, dim: dict, listed: set[str],
                   counts: pd.Series) -> tuple[list[str], list[str]]:
    """Map the values of ``t.col`` (``counts``: those not in the list) that are one of ``listed``
    once case, spaces and punctuation are ignored, in every column of the draft reading ``head`` of
    that file (``map``, ``unmapped: keep``). Returns (the note's parts, the values still unmatched)."""
    by_spelling: dict[str, list[str]] = {}
    for v in listed:
        by_spelling.setdefault(_spelling(v), []).append(v)
    mapping = {v: by_spelling[_spelling(v)][0] for v in counts.index
               if len(by_spelling.get(_spelling(v), [])) == 1}
    none = [v for v in counts.index if v not in mapping]
    if not mapping:
        return [], none
    spec = tables[t]
    part = (", ".join(f"{v} ({_rows(counts[v])}) is {m}" + (f" in {dim['file']}" if i == 0 else "")
                      for i, (v, m) in enumerate(mapping.items()))
            + ", once case, spaces and punctuation are ignored: mapped, check")
    same_file = [s2 for s2 in tables.values() if s2 is spec or (
        s2.get("file") == spec["file"] and not s2.get("from_table"))]
    for s2 in same_file:
        for other, e in list(s2["columns"].items()):
            if _head(e) != head:
                continue
            s2["columns"][other] = {**(e if isinstance(e, dict) else {"column": head}),
                                    "map": mapping, "unmapped": "keep"}
            if not (s2 is spec and other == col):
                s2["_notes"][other] = f"values mapped like {t}.{col}"
    return [part], none


def _by_names(spec: dict, col: str, head: str, dim: dict, dkey: str, none: list[str], counts: pd.Series,
              vals: pd.Series, what: str, key_col: str) -> tuple[list[str], list[str]]:
    """The unmatched values (``none``) that are the list's names rather than its keys: said so and,
    the names being unique, read through the list (:func:`_join_by_name`). Returns (the note's
    parts, the values still unmatched)."""
    dname = dim["columns"].get("name")
    if not none or not isinstance(dname, str) or dname == dkey or dname not in dim["_df"]:
        return [], none
    names = dim["_df"][dname].astype(str).str.strip()
    by_name = [v for v in none if v in set(names.tolist())]
    if not by_name:
        return [], none
    unique = not names[names != ""].duplicated().any()
    said = (f"{int(counts[by_name].sum()):,} of {int((vals != '').sum()):,} rows name a {what} "
            f"by {dim['file']}'s {dname}, not its {dkey}: ")
    if unique and _join_by_name(spec, col, dim, head, dname, dkey):
        said += (f"{dim['file']} joined on {dname} to read its {dkey} (its names are unique; a name it "
                 "does not hold is kept as it is)")
    else:
        said += f"map {key_col} to {dname} there too (its names " + ("are unique)" if unique else "repeat: check)")
    return [said], [v for v in none if v not in by_name]


def _join_by_name(spec: dict, col: str, dim: dict, head: str, dname: str, dkey: str) -> bool:
    """Read ``col`` of the draft table ``spec`` (whose ``head`` holds the list ``dim``'s names,
    ``dname``, instead of its keys, ``dkey``: 纷享销客's deals and orders name the customer) through
    the list: ``dim``'s file joined on the name, then its key, or the value itself where no name
    matched (``coalesce``: an unknown customer stays one, for the import to report). False (nothing
    changed) when the column is already transformed, the table already has a ``dkey`` column (the
    join would not replace it) or the list is not one file."""
    if (spec["columns"].get(col) != head or dkey in spec["_df"].columns or dim.get("_files", 1) != 1
            or not isinstance(dim.get("file"), str)):
        return False
    entry = {"file": dim["file"], "key": head if head == dname else {"left": head, "right": dname}}
    if dim.get("header_row", 1) != 1:
        entry["header_row"] = dim["header_row"]
    if entry not in spec.get("join", []):
        spec.setdefault("join", []).append(entry)
    spec["columns"][col] = {"derive": {"coalesce": [dkey, head]}}
    return True


#: headers of a user list's active flag, its kind of user and its last change (Salesforce's User.csv)
_ACTIVE_FLAG, _USER_KIND, _LAST_CHANGE = {"isactive"}, {"usertype"}, {"lastmodifieddate"}


def _roster_lines(spec: dict) -> list[str]:
    """The draft's ``owners_only`` and ``active_flag`` for a users file with a kind of user (Salesforce's
    UserType: system, integration, license-manager users beside the sales team) or an active flag
    (IsActive 0: the user has left), as the built-in Salesforce profile reads them."""
    df = spec.get("_df")
    if df is None:
        return []
    heads = [str(c) for c in df.columns]
    kind = next((h for h in heads if _norm(h) in _USER_KIND), None)
    flag = next((h for h in heads if _norm(h) in _ACTIVE_FLAG), None)
    out = []
    if kind:
        kinds = df[kind].astype(str).str.strip().value_counts()
        keep = ["Standard"] if "Standard" in kinds.index else []
        entry = {"kind": kind, **({"keep": keep} if keep else {})}
        out.append(f"    owners_only: {_y(entry)}   # only the users who own an order or a deal, and their "
                   f"managers ({kind}: " + ", ".join(f"{k} {n:,}" for k, n in kinds.items()) + ")")
    if flag:
        last = next((h for h in heads if _norm(h) in _LAST_CHANGE), None)
        entry = {"column": flag, **({"date": last} if last else {})}
        out.append(f"    active_flag: {_y(entry)}   # an inactive user has left (end_date: no scorecard)")
    return out


#: a header of a deals file that describes the deal's customer (Account Industry, Company Region)
_CUSTOMER_WORD = re.compile(r"account|company|customer|client|客户|公司", re.I)


def _customers_from_orders(orders: dict) -> dict | None:
    """A customers table read from the order lines when they carry the customer's attributes (a
    region or country, a segment, an industry): one row per customer (``distinct``), as the
    Superstore and Online Retail profiles do by hand. None when the lines say nothing about them.
    Orders read from the won deals (:func:`_orders_from_won`) give only the headers that name the
    customer: a deal's Name is the opportunity's, its Type (New Business) the deal's; the orders'
    lead then says why no customers table was drafted."""
    key = orders["columns"].get("customer_id")
    if not isinstance(key, str):
        return None
    headers = [str(c) for c in orders["_df"].columns]
    found = _match([h for h in headers if h != key], "customers")
    deals = orders.get("_from_deals")
    if deals:  # a deal's Name and Type (New Business) are the deal's: only a header naming the customer
        left = [h for c, h in found.items() if c in ("name", "region", "industry", "customer_type")
                and not _CUSTOMER_WORD.search(h)]
        found = {c: h for c, h in found.items() if _CUSTOMER_WORD.search(h)}
    attrs = {c: h for c, h in found.items() if c in ("region", "industry", "customer_type")}
    if not attrs:
        if deals and left:
            orders["_lead"].append(
                f"no customers table from the deals: their {', '.join(dict.fromkeys(left))} "
                f"describe{'s' if len(set(left)) == 1 else ''} the deal "
                "(its own name, its type of business), not its customer; export the customers' list (Salesforce's "
                "Account.csv) for their names, regions and industries")
        return None
    name = found.get("name") or found.get("customer_id") or key  # "Customer Name" beside "Customer ID"
    cols = {"customer_id": key, "name": name, **attrs}
    notes = {} if name != key else {"name": "the customer id doubles as the name"}
    return {"file": None, "from_table": "orders", "header_row": 1, "columns": cols, "_notes": notes,
            "_unplaced": [], "_missing": [], "_df": orders["_df"], "_amount": None,
            "_lead": ["read from the order lines, one row per customer (its last line's values)"],
            "distinct": True}


#: headers that name the record a row is (a deal, an order, a line), not the rep who owns it
_RECORD_NAMES = {"name", "fullname", "opportunityname", "dealname", "ordername", "recordname", "subject", "title"}


def _reps_from_orders(orders: dict) -> dict | None:
    """A reps table read from the order lines when they name a rep and no reps file was read (none
    in the export, or one that cannot be read: Northwind's employees.csv): one row per rep
    (``distinct``). The lines say nothing of a rep's region (theirs is the customer's), so region
    and, unless a line names it, team are one value for everyone, marked to check. None when the
    lines name no rep."""
    key = orders["columns"].get("rep_id")
    if not isinstance(key, str):
        return None
    headers = [str(c) for c in orders["_df"].columns]
    found = _match([h for h in headers if h != key and h not in orders["columns"].values()], "reps")
    # a bare Name on order lines or deals names the record (Salesforce's Opportunity.Name: the
    # deal's), never a person; and a rep's name or team is read by its own header only: a line's
    # ``Deal Name`` (``name`` behind the deal's prefix) names the deal, not its owner
    record_name = found.get("name") and _norm(found["name"]) in _RECORD_NAMES
    own = {c: h for c, h in found.items()
           if _norm(h) in {_norm(x) for x in SYNONYMS.get(("reps", c), [])}}
    name, team = (None if record_name else own.get("name")) or key, own.get("team")
    cols = {"rep_id": key, "name": name, "team": team or {"value": "All"}, "region": {"value": "All"}}
    notes = {"region": "the lines give no rep's region: one for everyone, check"}
    if name == key:
        notes["name"] = ("no user list: the rep id doubles as the name"
                         + (f" ({found['name']} names the {'deal' if orders.get('_from_deals') else 'line'}, "
                            "not a person)" if record_name else "")
                         + "; add the CRM's user list (Salesforce's User.csv) for names")
    if not team:
        notes["team"] = "the lines give no team: one for everyone, check"
    return {"file": None, "from_table": "orders", "header_row": 1, "columns": cols, "_notes": notes,
            "_unplaced": [], "_missing": [], "_df": orders["_df"], "_amount": None,
            "_lead": ["no reps file was read: the reps named on the order lines, one row per rep"],
            "distinct": True}


def _orders_from_won(opp: dict) -> dict:
    """Orders read from the deals file when the export has no orders: each won deal is a sale on its
    close date, for its amount (a CRM that keeps deals only)."""
    cols = opp["columns"]
    values = _stage_values(opp)
    won = _won(values)
    stage = cols.get("stage")
    out: dict[str, object] = {}
    for o_col, d_col in (("order_id", "opportunity_id"), ("order_date", "close_date"),
                         ("customer_id", "customer_id"), ("amount", "amount"), ("rep_id", "rep_id"),
                         ("currency", "currency")):
        if d_col in cols:
            out[o_col] = cols[d_col]
    product = _match(opp["_unplaced"], "orders").get("product_id") or \
        (cols.get("category") if isinstance(cols.get("category"), str) else None)
    if product:
        out["product_id"] = product
    notes = {}
    flags = opp.get("_flags")
    flags = flags if flags and flags[1] else None  # a closed flag alone: the won stages by name
    if flags:  # the CRM's own won flag, not the stage names
        where = [{"column": flags[1], "in": _yes_values(opp["_df"][flags[1]]), "reason": "not a won deal"}]
    else:
        where = [{"column": stage if isinstance(stage, str) else "STAGE", "in": won or ["WON STAGE"],
                  "reason": "not a won deal"}]
    where = [*(opp.get("where") or []), *where]  # a deleted deal is no sale either
    if not won and not flags:
        notes["order_id"] = "the won deals: name the won stage in `where`"
    lead = ["no orders file: each won deal is a sale on its close date, for its amount "
            + (f"({flags[1]} says which are won)" if flags else "(check the won stage)")]
    df = opp["_df"]
    rows = pd.Series(True, index=df.index)  # the won deals read as sales, as the where keeps them
    for cond in where:
        if cond.get("column") in df:
            rows &= df[cond["column"]].astype(str).str.strip().isin([str(v) for v in cond.get("in", [])])
            rows &= ~df[cond["column"]].astype(str).str.strip().isin([str(v) for v in cond.get("not_in", [])])
    heads = [h for h in _heads(out.get("amount")) if h in df]
    if heads and rows.any():
        blank = rows & _blank(df, heads[0])
        if blank.any():  # a won deal without an amount is a sale without one: validation fails on it
            notes["amount"] = (f"empty in {int(blank.sum()):,} of the {int(rows.sum()):,} won deals read as sales: "
                               f"{_FAILS}")
    return {"file": opp["file"], "header_row": opp["header_row"], "columns": out, "_notes": notes,
            "_rows": rows,
            "_unplaced": [], "_missing": [c for c in ("order_id", "order_date", "customer_id", "amount")
                                          if c not in out],
            "_df": opp["_df"], "_amount": out.get("amount") if isinstance(out.get("amount"), str) else None,
            "_lead": lead, "where": where, "_from_deals": True}


def _is_dateless_lines(table: str, mapped: dict[str, str]) -> bool:
    """Order lines with no date of their own (the date is in an orders file to join)."""
    return table == "orders" and "order_date" not in mapped and "order_id" in mapped


def _is_orderless_lines(table: str, mapped: dict[str, str]) -> bool:
    """Rows read as orders that name no order and carry no date (Zoho Analytics' Invoice_Line_Items:
    a product, quantity and amounts, no invoice): no orders file can be joined to them."""
    return table == "orders" and not {"order_date", "order_id"} & set(mapped)


def _orders_place(table: str, mapped: dict[str, str]) -> int:
    """Where a file classified as ``table`` is taken in the draft: order lines without a date first
    (the orders file holding their date is joined to them), lines naming no order last (the orders
    file beside them, with ids and dates, is the orders table), the rest in file order."""
    return 0 if _is_dateless_lines(table, mapped) else 2 if _is_orderless_lines(table, mapped) else 1


#: the words for a date format's fields, in the order the format writes them
_DATE_PARTS = {"%d": "day", "%m": "month", "%b": "month name", "%Y": "year", "%y": "two-digit year"}


#: values a date column needs before its hours, all 1 to 12, are read as a 12-hour clock
_CLOCK_12_MIN = 20


def _date_read_note(fmt: str, values) -> str:
    """How the draft reads a date column with the one format ``fmt`` that fits: the order of its
    fields, one value and the date it becomes, the first and last dates, and a value the swapped
    order (day/month for month/day) cannot read. Kaggle's ``2/24/03 0:00`` is month first with a
    two-digit year: said, never chosen silently."""
    vals = pd.Series(list(values), dtype=object).astype(str).str.strip()
    vals = vals[vals != ""]
    dates = pd.to_datetime(vals, format=fmt, errors="coerce")
    if vals.empty or dates.isna().all():
        return ""
    order = sorted((fmt.find(k), w) for k, w in _DATE_PARTS.items() if k in fmt)
    words = "/".join(w for _, w in order)
    ex = vals.iloc[0]
    out = (f"read as {words}: {ex} is {dates.iloc[0]:%Y-%m-%d}; "
           f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}")
    if "%d" in fmt and "%m" in fmt:
        swapped = fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        bad = vals[pd.to_datetime(vals, format=swapped, errors="coerce").isna()]
        if len(bad):
            first = "day/month" if fmt.find("%m") < fmt.find("%d") else "month/day"
            out += f"; {first} cannot read {bad.iloc[0]}"
    hours = dates.dropna().dt.hour
    if "%H" in fmt and len(hours) >= _CLOCK_12_MIN and hours.between(1, 12).all():
        out += ("; its hours run 1 to 12 with no AM/PM (a 12-hour clock that does not say the half of "
                "the day): only the date is read, the time of day is dropped")
    return out


#: headers of a data dictionary shipped beside the data (Maven's data_dictionary.csv: Table, Field,
#: Description), case, spaces and punctuation ignored
_DICTIONARY = {"table", "tablename", "field", "fieldname", "column", "columnname", "description",
               "definition", "meaning", "datatype", "字段", "字段名", "说明", "描述", "表名"}


def _best_first(groups: list) -> list:
    """``groups`` with, for each table but orders (whose files are joined), the file that maps the most
    of its columns in the place of the table's first: the other files of a table are named, not read,
    and 纷享销客's 客户地址对象导出结果 sorts before its 客户对象导出结果 (a tie keeps the file order)."""
    out = list(groups)
    for table in {g[3] for g in groups} - {"orders"}:
        at = [i for i, g in enumerate(out) if g[3] == table]
        best = max(at, key=lambda i: (len(out[i][4]), -i))
        if best != at[0]:
            out.insert(at[0], out.pop(best))
    return out


def _is_dictionary(headers: list[str]) -> bool:
    """Whether a file's headers are a data dictionary's (two or more of :data:`_DICTIONARY`)."""
    return sum(_norm(h) in _DICTIONARY for h in headers) >= 2


def _unmatched_comment(f: Path, headers: list[str]) -> str:
    """The draft's word on a file none of whose headers is a contract column, beside files that
    are: a data dictionary (:data:`_DICTIONARY`) or another file, not mapped (it would otherwise
    have been drafted as the orders, and the won deals of a deals-only export not read as sales)."""
    shown = ", ".join(headers[:6]) + (", …" if len(headers) > 6 else "")
    if _is_dictionary(headers):
        return f"# {f.name}: a data dictionary ({shown}: what the other files' columns mean), not data: not mapped"
    return f"# {f.name}: none of its headers ({shown}) is a column salesnb knows: not mapped"


def _date_entry(h: str, fits: list[str]):
    """A date column's profile entry: with its format when exactly one known format reads it
    (ISO dates, Excel serials and date cells need none), else the header alone."""
    if len(fits) == 1 and fits[0] not in ("excel", "datetime", "%Y-%m-%d"):
        return {"column": h, "format": fits[0]}
    return h


def _is_rates(df) -> bool:
    """Salesforce's currency lists (CurrencyType.csv: IsoCode, ConversionRate, IsCorporate;
    DatedConversionRate.csv adds StartDate, NextStartDate): the rates of an fx_rates table."""
    return {"isocode", "conversionrate"} <= {_norm(str(c)) for c in df.columns}


def _rates_lines(found: list[tuple[Path, object]]) -> list[str]:
    """The draft's fx_rates table from Salesforce's currency lists: the static rates of
    CurrencyType.csv for every month (``*``), the dated ones of DatedConversionRate.csv by month;
    rate = 1 ÷ ConversionRate (Salesforce states units of each currency per 1 of the corporate one,
    the reporting currency unless ``reporting_currency`` says another)."""
    static = [(f, df) for f, df in found if "startdate" not in {_norm(str(c)) for c in df.columns}]
    dated = [(f, df) for f, df in found if (f, df) not in static]
    if not found:
        return []

    def cols(df) -> dict:
        return {_norm(str(c)): str(c) for c in df.columns}

    def block(f: Path, df, indent: str, *, first: bool) -> list[str]:
        c = cols(df)
        out = [f"{indent}{'- ' if not first else ''}file: {_y(f.name)}"
               + ("   # no rows: add the org's dated rates, or drop this entry" if not len(df) else "")]
        pad = indent + ("  " if not first else "")
        if "startdate" in c:
            end = f", end: {c['nextstartdate']}" if "nextstartdate" in c else ""
            out.append(f"{pad}per_month: {{start: {c['startdate']}{end}}}   # a month's rate: the mean of the "
                       "rates in force in it, weighted by their days")
        elif "iscorporate" in c:
            corp = sorted(set(df[df[c["iscorporate"]].astype("string").fillna("").str.strip().str.lower()
                                 .isin(TRUE_FLAGS)][c["isocode"]].astype("string").dropna().str.strip()))
            out.append(f"{pad}base_currency: {{column: {c['iscorporate']}, in: [\"true\", \"1\"]}}   # "
                       + (f"{corp[0]}, the corporate currency: " if len(corp) == 1 else "")
                       + "the reporting currency (reporting_currency: to choose another)")
        out.append(f"{pad}columns:")
        out.append(f"{pad}  currency: {c['isocode']}")
        if "startdate" not in c:
            out.append(f"{pad}  period: {{value: \"*\"}}   # one rate for every month without a dated one")
        out.append(f"{pad}  rate: {{derive: {{reciprocal: {c['conversionrate']}}}}}   # Salesforce states units "
                   "of each currency per 1 of the corporate one: rate = 1 ÷ ConversionRate")
        return out

    main, *rest = [*static, *dated]
    lines = ["  fx_rates:   # the org's exchange rates (inactive currencies too: old deals are in them)",
             *block(*main, "    ", first=True)]
    if rest:
        lines.append("    also:   # read beside it; dated rates win over the static one for their months")
        for f, df in rest:
            lines += block(f, df, "      ", first=False)
    return lines


def _lookup_comment(f: Path, headers: list[str], groups) -> str:
    """The draft's line for a file that is none of the contract's tables (Northwind's categories,
    BikeStores' brands and stores): what it holds, and the join that would bring its columns in."""
    others = {str(h) for g in groups if g[0][0] != f for h in g[1].columns}
    mine = next(g[1] for g in groups if g[0][0] == f)
    key = next((h for h in headers if _norm(h).endswith("id") and h in others
                and not mine[h].duplicated().any()), None)  # a joined file holds one row per key
    holder = next((g[0][0].name for g in groups if g[0][0] != f and key in map(str, g[1].columns)),
                  None) if key else None
    shown = ", ".join(headers[:4]) + (", …" if len(headers) > 4 else "")
    hint = (f"; {holder} has its {key}: to use its columns, add to that table "
            f"join: [{{file: {f.name}, key: {key}}}]") if holder else ""
    return f"# {f.name}: a lookup list ({shown}), none of salesnb's tables; not mapped{hint}"


def _blank_share(df, header: str) -> float:
    v = df[header]
    return float((v.isna() | v.astype(str).str.strip().isin(["", "NULL", "null"])).mean()) if len(v) else 0.0


def _filled_instead(df, header: str, headers: list[str], mapped: dict[str, str]) -> str | None:
    """A country column to use for the region when the region column is mostly empty (Northwind's
    customers: Region empty in 60 of 91 rows, Country always filled)."""
    if _blank_share(df, header) <= 0.5:
        return None
    alt = next((h for h in headers if _norm(h) in ("country", "国家", "countryregion", "shipcountry")
                and h not in mapped.values()), None)
    return alt if alt is not None and _blank_share(df, alt) < 0.1 else None


_FIRST = {"firstname", "givenname", "forename", "名"}
_LAST = {"lastname", "surname", "familyname", "姓"}


def _name_parts(headers: list[str]) -> tuple[str, str] | None:
    """The first-name and last-name headers of a list of people, when both are there."""
    first = next((h for h in headers if _norm(h) in _FIRST), None)
    last = next((h for h in headers if _norm(h) in _LAST), None)
    return (first, last) if first and last else None


#: the draft's word on a discount column holding no share (Zoho's invoices: "$5,275.54" off)
NOT_A_SHARE = ("not a share of 0–100 % (an amount off?): not mapped, as the validation refuses a discount "
               "outside 0–1; uncomment it only for a share")


def _discount_kind(df, header: str) -> tuple[str, str]:
    """How a line's discount column reads: ``("discount", note)`` for fractions (every value within
    0–1), ``("discount_percent", note)`` for percents (some above 1, none above 100),
    ``("amount_off", note)`` for no share (negative, above 100, a currency mark: left commented
    out), ``("", note)``
    when its values cannot say (0 and 1 only) or are not numbers."""
    try:
        v = parse_numbers(df[header]).dropna()
    except ParseError:
        return "", "not read as numbers: is it a discount?"
    money = df[header].astype(str).str.contains(r"[$€£¥₹]", regex=True).any()
    if len(v) == 0 or (v < 0).any() or (v > 100).any() or money:  # "$56.90" is money, even below 100
        return "amount_off", NOT_A_SHARE
    if (v <= 1).all() and (v == v.round()).all():
        return "", ("only 0 and 1: fractions (1 = free) or percents? write {column: "
                    f"{header}, scale: 0.01}} for percents")
    if (v <= 1).all():
        return "discount", f"a fraction of the list price ({v.max():g} at most)"
    return "discount_percent", f"percents (up to {v.max():g}), read as fractions"


def _per_order_note(df, mapped: dict[str, str], *, min_orders: int = 50) -> str:
    """A note for a customer column that holds one id per order (Olist's ``customer_id``, a guest
    checkout): nobody would ever buy twice, and the pack's retention and lifetime value say nothing."""
    c, o = mapped.get("customer_id"), mapped.get("order_id")
    if not (c and o) or c == o or c not in df or o not in df:
        return ""
    pairs = df[[c, o]].dropna().drop_duplicates()
    n = pairs[o].nunique()
    if n < min_orders or pairs[c].nunique() != n or pairs[c].duplicated().any():
        return ""
    return (f"one id per order ({n:,} distinct in {n:,} orders): if it names orders, not people, map "
            "the person's id (e.g. customer_unique_id), or nobody ever buys twice")


def _join_orders(lines: dict, f: Path, df, mapped: dict[str, str]) -> bool:
    """Join the file ``f`` (the orders: their date, customer, status) to the order lines of the
    draft's ``lines`` table when the lines have no date and both name the order: the lines keep
    their amounts, the orders file gives what the lines lack. False when that is not the case."""
    key_l, key_o = lines["columns"].get("order_id"), mapped.get("order_id")
    if "order_date" not in lines["_missing"] or "order_date" not in mapped or not (
            isinstance(key_l, str) and key_o):
        return False
    lines.setdefault("join", []).append({"file": f.name, "key": key_o if key_o == key_l else
                                         {"left": key_l, "right": key_o}})
    lines["_lead"] = [*lines.get("_lead", []), f"the order's date and customer are in {f.name}: joined by "
                      f"{key_o} (check it)"]
    for col, h in mapped.items():
        if col in lines["columns"] or col == "order_id":
            continue
        kind = TABLES["orders"].column(col).kind
        fits = date_formats_fitting(_sample(df, h)) if kind == "date" else []
        lines["columns"][col] = _date_entry(h, fits)
        if kind == "date" and len(fits) != 1:  # as a date column of the lines' own file says
            lines["_notes"][col] = describe_date_formats(fits, _sample(df, h))
        elif kind == "date" and isinstance(lines["columns"][col], dict):
            lines["_notes"][col] = _date_read_note(fits[0], df[h])
        if col in lines["_missing"]:
            lines["_missing"].remove(col)
    lines["_status"] = _status_note(df, [h for h in df.columns if h not in mapped.values()])
    if note := _per_order_note(df, mapped):
        lines["_notes"]["customer_id"] = note
    return True


def _footer(df) -> list[str]:
    """The lines a report export appends after its rows (Salesforce's "Grand Totals (10165
    records)", copyright, "Generated By: …"): the run of rows at the end with only their first cell
    filled, below a row with several; as the import's ``footer_patterns`` would read them (the
    cells joined). Empty when the file ends with data."""
    if df.shape[1] < 3 or len(df) < 3:
        return []
    filled = df.astype(str).apply(lambda c: c.str.strip() != "")
    one = filled.iloc[:, 0] & ~filled.iloc[:, 1:].any(axis=1)
    k = 0
    while k < min(20, len(df) - 1) and one.iloc[len(df) - 1 - k]:
        k += 1
    if not k or filled.iloc[len(df) - 1 - k].sum() < 2:
        return []
    return [str(v).strip() for v in df.iloc[len(df) - k:, 0]]


def _footer_pattern(line: str) -> str:
    """A footer line as a ``footer_patterns`` entry: the text itself, its numbers any number (the
    next export's record count and date differ)."""
    escaped = re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", line)
    return re.sub(r"\d+", lambda _: r"\d+", escaped)


def _readable(files: list[Path], unread: list[str]) -> list[tuple]:
    """Each file read, or (when it cannot be read without guessing) left out with its reason in
    ``unread``: one malformed file (Northwind's employees.csv, unquoted commas) must not keep the
    draft of the others from being written."""
    out = []
    for f in files:
        try:
            out.append((f, *read_any(f)))
        except ParseError as exc:
            unread.append(f"# {f.name}: not read, so not in this draft: {exc}")
    return out


def _groups(files: list[Path], unread: list[str] | None = None):
    """The export's files grouped by their columns (a table exported month by month is one group):
    ``(files, their rows stacked, the first file's ReadInfo)`` per group, in the order of its first file."""
    read = _readable(files, unread if unread is not None else [])
    groups: dict[frozenset, list] = {}
    for f, df, info in read:
        groups.setdefault(frozenset(map(str, df.columns)), []).append((f, df, info))
    for members in groups.values():
        df = members[0][1]
        if len(members) > 1:
            import pandas as pd

            df = pd.concat([m[1][list(df.columns)] for m in members], ignore_index=True)
            members[0][2].misread = [x for m in members for x in m[2].misread]
        yield [m[0] for m in members], df, members[0][2]


def _glob(group: list[Path], files: list[Path]) -> str | list[str]:
    """A pattern matching exactly the files of ``group`` among ``files``: their common start and end
    around a ``*`` (``Sales_*_2019.csv``), else the list of their names."""
    import fnmatch
    import os

    names = [f.name for f in group]
    start = os.path.commonprefix(names)
    end = os.path.commonprefix([n[::-1] for n in names])[::-1]
    end = end[max(0, len(start) + len(end) - min(map(len, names))):]
    pat = f"{start}*{end}"
    hits = {f.name for f in files if fnmatch.fnmatch(f.name.lower(), pat.lower())}
    return pat if hits == set(names) else names


def suggest(export: str | Path) -> str:
    """A draft generic profile (YAML text with comments) for ``export`` (a folder or a file)."""
    files = _files(Path(export))
    if not files:
        raise ParseError(f"{export}: no CSV or XLSX files")
    lines = ["# Draft profile written by `salesnb import --suggest`: check every line, then",
             f"# salesnb import THIS.yaml {export} --out SOURCE_DIR",
             "name: my_export",
             _NO_CURRENCY,
             "read:"]
    tables: dict[str, dict] = {}
    comments: list[str] = []
    rate_files: list[tuple[Path, object]] = []
    first = True
    # each group classified once; order lines without a date first, so the orders file holding
    # their date is joined to them
    unread: list[str] = []
    groups = [(*g, *(_history(g[1]) or _classify([str(c) for c in g[1].columns], g[0][0].name, g[1])))
              for g in _groups(files, unread)]
    if not groups:
        raise ParseError("; ".join(u.removeprefix("# ") for u in unread) or f"{export}: nothing to read")
    comments += unread
    groups.sort(key=lambda g: _orders_place(g[3], g[4]))
    groups = _best_first(groups)
    dated_elsewhere = any(t == "orders" and {"order_date", "order_id"} <= set(m)
                          for *_, t, m in groups)
    for group, df, info, table, mapped in groups:
        f = group[0]
        if first:
            if not info.encoding:
                lines[-1] = "read: {}"
            if info.encoding:
                lines.append(f"  encoding: {info.encoding}   # {info.encoding_how}")
            if info.delimiter:
                lines.append(f"  delimiter: {_y(info.delimiter)}   # sniffed")
            if empty := _empty_ids(groups):
                lines.append(f"  null_values: {_y(empty)}   # Salesforce's empty id: a reference to nobody")
            first = False
        headers = [str(c) for c in df.columns]
        if _is_rates(df):  # Salesforce's CurrencyType.csv: the rates of fx_rates, not deals
            rate_files.append((f, df))
            continue
        if footer := _footer(df):
            df = df.iloc[:-len(footer)]
        if table == "orders" and "orders" in tables and _join_orders(tables["orders"], f, df, mapped):
            continue
        unmatched = table == "orders" and not mapped and any(m for *_, m in groups)
        if unmatched and _is_dictionary(headers):
            comments.append(_unmatched_comment(f, headers))
            continue
        if table == "orders" and not {"order_date", "amount", "order_id"} & set(mapped) and any(
                t == "orders" and {"order_date", "amount", "order_id"} & set(m) for *_, t, m in groups):
            comments.append(_lookup_comment(f, headers, groups))
            continue
        if unmatched:  # beside files that are tables (a deals-only export: no orders file to look up)
            comments.append(_unmatched_comment(f, headers))
            continue
        if table in tables:
            first_df = tables[table]["_df"]
            shared = [h for h in headers if h in first_df.columns and h in mapped.values()
                      and h.lower().endswith("id")]
            hint = (f"; it shares {shared[0]} with {tables[table]['file']}: to use its columns, join it "
                    f"(join: [{{file: {f.name}, key: {shared[0]}}}])") if shared else ""
            if _is_orderless_lines(table, mapped):
                hint = (f"; its rows name no order and carry no date, so they cannot be joined to "
                        f"{tables[table]['file']} (their products and quantities are not read)")
            comments.append(f"# {', '.join(g.name for g in group)}: looks like {table} too; not mapped{hint}")
            continue
        cols: dict[str, object] = {}
        notes: dict[str, str] = {}
        key = TABLES[table].key[0] if TABLES[table].key else None
        if mapped.get("region") and (alt := _filled_instead(df, mapped["region"], headers, mapped)):
            notes["region"] = (f"{mapped['region']} is empty in {_blank_share(df, mapped['region']):.0%} of the "
                               f"rows: {alt} instead? check")
            mapped["region"] = alt
        parts = _name_parts(headers) if "name" not in mapped and table in ("reps", "customers") else None
        if parts and key and key not in mapped:  # HubSpot's users: the deals name their owner
            cols[key] = {"derive": {"concat": list(parts)}}
            notes[key] = f"no id column: the name, as the other files name a {key.removesuffix('_id')}: check"
        if not parts and "name" in [c.name for c in TABLES[table].columns] and "name" not in mapped and key in mapped:
            mapped["name"] = mapped[key]  # a list with no name column: its id is what people read
            notes["name"] = f"the {key.replace('_', ' ')} doubles as the name"
        if table == "reps" and _norm(mapped.get("team", "")) == "manager":
            notes["team"] = "each manager's reps as a team: check"
        for col, h in mapped.items():
            kind = TABLES[table].column(col).kind
            sample = _sample(df, h)
            if kind == "date":
                fits = date_formats_fitting(sample)
                cols[col] = _date_entry(h, fits)
                if len(fits) != 1:
                    notes[col] = describe_date_formats(fits, sample)
                elif isinstance(cols[col], dict):
                    notes[col] = _date_read_note(fits[0], df[h])
            elif kind in ("float", "int"):
                try:
                    parse_numbers(sample)
                    cols[col] = h
                except ParseError as exc:
                    cols[col] = h
                    notes[col] = f"not read as numbers: {exc}"
            elif col == "currency":
                cols[col], note = _currency_entry(df, h)
                if note:
                    notes[col] = note
            elif col == "status" and table == "opportunities":
                cols[col], note = _status_entry(df, h)
                if note:
                    notes[col] = note
            else:
                cols[col] = h
        if parts:
            cols["name"] = {"derive": {"concat": list(parts)}}
        flags = _flags(headers) if table == "opportunities" and "status" not in mapped else None
        if flags and not flags[1] and "stage" not in mapped:
            flags = None  # a closed flag alone says not which closed deals are won: the stage must
        if flags and flags[1]:  # Salesforce's IsClosed/IsWon: the CRM's own open, won or lost
            cols["status"] = {"derive": {"status_from_flags": {"closed": flags[0], "won": flags[1]}}}
            notes["status"] = "each deal's open, won or lost, as the CRM says it"
        elif flags:  # HubSpot's Is Deal Closed? without Is Closed Won
            cols["status"] = {"derive": {"status_from_flags": {"closed": flags[0], "stage": mapped["stage"]}}}
            notes["status"] = (f"each deal's open or closed as the CRM says it ({flags[0]}); no won flag: a closed "
                               "deal is won when its stage is (by the stages list, else its name), else lost")
        also = _close_dates(df, headers, mapped, cols, notes) if table == "opportunities" else None
        if table == "opportunities" and isinstance(cols.get("created_date"), str) and (
                stand := _stand_in_note(cols["created_date"])):
            notes["created_date"] = f"{notes['created_date']}; {stand}" if "created_date" in notes else stand
        _blank_notes(df, table, cols, mapped, notes)
        if table == "orders" and (note := _per_order_note(df, mapped)):
            notes["customer_id"] = note
        disc, commented = "", {}
        if table == "orders" and isinstance(cols.get("discount"), str):
            disc, notes["discount"] = _discount_kind(df, cols["discount"])
            if disc == "discount_percent":
                cols["discount"] = {"column": cols["discount"], "scale": 0.01}
            if disc == "amount_off":  # mapped, every row would fail the validation
                commented["discount"] = (cols.pop("discount"), notes.pop("discount"))
                disc = ""
        deleted = _deleted(df, headers)
        unplaced = [h for h in headers if h not in mapped.values() and h not in (parts or ()) and h != also
                    and h not in (flags or ()) and h != (deleted or ("",))[0]]
        missing = [c for c in TABLES[table].required_columns
                   if c not in mapped and c not in ("line_no", "status") and not (c in ("name", key) and parts)]
        # a user list with no team or region column (Zoho's Users: ids, names and e-mails): one for
        # everyone, as the reps read from the order lines get
        for col in [c for c in ("team", "region") if table == "reps" and c in missing]:
            cols[col] = {"value": "All"}
            notes[col] = f"the list gives no {'team' if col == 'team' else 'rep region'}: one for everyone, check"
            missing.remove(col)
        # a required date or number no header named: the one unplaced column whose every value
        # reads as one is proposed, marked as guessed; several such columns are listed instead
        found: dict[str, str] = {}
        price = next((h for h in unplaced if _norm(h) in _PRICE), None)
        for col in list(missing):
            kind = TABLES[table].column(col).kind
            if kind not in ("date", "float"):
                continue
            if col == "amount" and "quantity" in cols and price:
                continue  # quantity × unit price below: named by their headers, not guessed
            if col == "order_date" and table == "orders" and dated_elsewhere and "order_date" not in mapped:
                continue  # the order's date is in the orders file joined below, not guessed here
            if col == "amount" and price and "quantity" not in cols:
                cols[col] = price  # a line's price with no quantity: one unit a line
                notes[col] = "a price and no quantity: is each line one unit? check"
                found[col] = price
                missing.remove(col)
                continue
            cands = _by_values(df, [h for h in unplaced if h not in found.values()], kind)
            if len(cands) == 1:
                h, entry, note = cands[0]
                cols[col] = entry
                notes[col] = "guessed from its values" + (f" ({note})" if note else "") + \
                    ": check it is the " + col.replace("_", " ")
                if kind == "date" and isinstance(entry, dict) and (read := _date_read_note(entry["format"], df[h])):
                    notes[col] += f"; {read}"  # how its dates are read, as a named date column says
                found[col] = h
                missing.remove(col)
            elif cands:
                notes[f"?{col}"] = ("required: no header matched; "
                                    f"{'dates' if kind == 'date' else 'numbers'} in "
                                    + ", ".join(c[0] for c in cands) + ": name the one")
        unplaced = [h for h in unplaced if h not in found.values()]
        if table == "orders" and (lst := _list_amount(df, mapped, unplaced)):
            head, cols["list_amount"], notes["list_amount"] = lst
            unplaced.remove(head)
        rate = _exchange_rate(df, mapped, unplaced) if table in ("orders", "opportunities") else None
        if rate:
            unplaced.remove(rate[0]["column"])
        if table == "opportunity_history":
            notes["opportunity_id"] = "a row per change: each stage keeps the row that entered it"
        tables[table] = {"file": f.name if len(group) == 1 else _glob(group, files),
                         "_files": len(group), "header_row": info.header_row, "columns": cols,
                         "_notes": notes, "_unplaced": unplaced,
                         "_missing": missing, "_df": df,
                         "_amount": found.get("amount") or mapped.get("amount"), "_rate": rate,
                         "_footer": footer, "_flags": flags, "where": deleted[1] if deleted else None,
                         "_discount": (disc, mapped.get("discount")) if disc else None,
                         "_commented": commented}
    if "orders" not in tables and "opportunities" in tables:
        tables = {"orders": _orders_from_won(tables["opportunities"]), **tables}
    if "customers" not in tables and "orders" in tables:
        cust = _customers_from_orders(tables["orders"])
        if cust:
            tables["customers"] = cust
    if "reps" not in tables and "orders" in tables:
        reps = _reps_from_orders(tables["orders"])
        if reps:
            tables["reps"] = reps
    if "opportunities" in tables and "opportunity_history" not in tables and (
            hist := _history_from_columns(tables["opportunities"])):
        tables["opportunity_history"] = hist
    if tables.get("opportunity_history", {}).get("_df") is not None:
        tables.update({t: spec for t, spec in _change_logs(tables["opportunity_history"]).items()
                       if t not in tables})
    _key_maps(tables)
    opp = tables.get("opportunities")
    head = next((h for h in opp["_unplaced"] if _norm(h) in PIPELINE_HEADERS), None) if opp and "_df" in opp \
        and not opp.get("from_table") else None
    if head:  # the deals' pipeline: in several pipelines with stages of their own, each funnel apart
        opp["columns"]["pipeline"] = head
        opp["_unplaced"] = [h for h in opp["_unplaced"] if h != head]
        if _pipelines(opp, _stage_values(opp)):
            opp["_notes"]["pipeline"] = "each pipeline has its own stages and funnel (the stages list below)"
    hints = {_currency_hint(_sample(spec["_df"], spec["_amount"]))
             for spec in tables.values()
             if spec.get("_amount") and "currency" not in spec["columns"]} - {""}
    if len(hints) == 1:
        lines[lines.index(_NO_CURRENCY)] = f"currency: \"\"   # {hints.pop()}"
    # text mis-decoded before the export (Northwind's Berguvsv„gen): said, never changed
    lines += [f"# CHECK: {m.describe(info.encoding or 'utf-8')}" for _, _, info, *_ in groups for m in info.misread]
    lines.append("tables:")
    for t, spec in tables.items():
        lines.append(f"  {t}:")
        if spec.get("history_from"):
            lines += [f"    from_table: {spec['from_table']}", f"    history_from: {_y(spec['history_from'])}",
                      *[f"    # {note}" for note in spec["_lead"]]]
            continue
        if spec.get("from_table"):
            lines.append(f"    from_table: {spec['from_table']}")
            lines.append("    distinct: true")
        elif spec.get("_files", 1) > 1:
            lines.append(f"    files: {_y(spec['file'])}   # {spec['_files']} files with the same columns, "
                         "read as one table")
        else:
            lines.append(f"    file: {_y(spec['file'])}")
        if t == "opportunity_history" and not spec.get("from_table"):
            lines.append("    distinct: stage_entries   # changes within a stage dropped")
        elif spec.get("distinct") and not spec.get("from_table"):
            lines.append("    distinct: true")
        if spec.get("drop_if_missing"):
            lines.append(f"    drop_if_missing: {_y(spec['drop_if_missing'])}")
        if spec["header_row"] != 1:
            lines.append(f"    header_row: {spec['header_row']}   # title rows above the header")
        for note in spec.get("_lead", []):
            lines.append(f"    # {note}")
        if spec.get("where"):
            lines.append(f"    where: {_y(spec['where'])}")
        if spec.get("join"):
            lines.append(f"    join: {_y(spec['join'])}")
        empty = [c for c, n in spec["_notes"].items() if _FAILS in n]
        if empty:
            entry, limited, kept = _unless_open(spec, t, empty)
            lines += ["    # empty required values fail the validation: the import writes the tables, lists the",
                      "    # errors and exits 1, and a run refuses the folder. Fill them in the export, or drop",
                      "    # those rows (every page reading the table then says it leaves them out):",
                      f"    # drop_if_missing: {_y(entry)}", *kept, *_drop_effect(spec, empty, limited)]
        if t == "opportunities":
            lines += _open_gaps_lines(spec)
        if spec.get("_footer"):
            lines.append(f"    footer_patterns:   # the {len(spec['_footer'])} lines after the rows are a report's "
                         "footer, not data: dropped (numbers may differ)")
            lines += [f"      - {_y(_footer_pattern(x))}" for x in spec["_footer"]]
        if spec.get("_rate"):
            lines.append(f"    exchange_rate: {_y(spec['_rate'][0])}   # {spec['_rate'][1]}")
        if t == "reps" and not spec.get("from_table"):
            lines += _roster_lines(spec)
        lines.append("    columns:")
        for col, v in spec["columns"].items():
            text = _y(v)
            note = spec["_notes"].get(col)
            lines.append(f"      {col}: {text}" + (f"   # {note}" if note else ""))
        lines += [f"      # {col}: {_y(h)}   # {note}" for col, (h, note) in spec.get("_commented", {}).items()]
        for col in spec["_missing"]:
            price = next((h for h in spec["_unplaced"] if _norm(h) in _PRICE), None)
            qty = spec["columns"].get("quantity")
            if col == "amount" and price and isinstance(qty, str):
                key, h = spec.get("_discount") or ("", "")
                less, note = (f", {key}: {h}", f" × (1 − {h})") if key else ("", "")
                lines.append(f"      amount: {{derive: {{multiply: [{qty}, {price}]{less}}}}}   "
                             f"# no amount column: quantity × unit price{note}? check")
                if key and "list_amount" not in spec["columns"]:
                    lines.append(f"      list_amount: {{derive: {{multiply: [{qty}, {price}]}}}}   "
                                 "# the line at list price, before its discount")
            else:
                note = spec["_notes"].get(f"?{col}", "required: no header matched, name it")
                lines.append(f"      # {col}: ???   # {note}")
        lines += _status_note(spec["_df"], spec["_unplaced"], amount=spec.get("_amount")) if t == "orders" else []
        lines += spec.get("_status", [])
        if spec["_unplaced"]:
            df = spec["_df"]
            lines.append("    # columns not placed: " + ", ".join(
                f"{h} ({df[h].nunique():,} distinct in {len(df):,} rows)" for h in spec["_unplaced"]))
    lines += _rates_lines(rate_files)
    opp = tables.get("opportunities")
    stages = _stages(opp) if opp and ("status" not in opp["columns"] or opp.get("_flags")) else []
    if stages:
        lines += stages
    elif "opportunities" in tables and "status" not in tables["opportunities"]["columns"]:
        lines += ["# opportunities need a status (open/won/lost): map a status column, or list the",
                  "# stages in order with their status:",
                  "# stages:", "#   - {stage: FIRST STAGE, status: open}",
                  "#   - {stage: WON STAGE, status: won}", "#   - {stage: LOST STAGE, status: lost}"]
    lines += _forecast_categories(tables)
    lines += comments
    return "\n".join(lines) + "\n"

