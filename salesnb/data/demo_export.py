"""``salesnb demo --as CRM OUT``: the demo company written as a CRM's export.

Each writer produces the files a user of that CRM downloads (file names, headers, stage names, date
formats, encoding), so that ``salesnb import CRM OUT --out SOURCE`` can be tested end to end against
the canonical demo: the same monthly revenue, win rate, sales-cycle length and customer count.

- ``salesforce``: the weekly Data Export (``Account.csv``, ``User.csv``, ``Opportunity.csv``,
  ``OpportunityHistory.csv``, ``Product2.csv``; ISO datetimes, ``IsClosed``/``IsWon``, 18-character
  ids, latin-1) and a report export of order products (``Orders with Products.csv``, MM/DD/YYYY);
- ``hubspot``: ``all-deals.csv`` (with HubSpot's ``Date entered "Stage (Sales Pipeline)"`` columns),
  ``all-companies.csv``, ``all-users.csv``, ``all-orders.csv``;
- ``zoho``: ``Deals.csv``, ``Accounts.csv``, ``Users.csv``, ``Sales_Orders.csv``,
  ``Stage_History.csv`` with a European account's DD/MM/YYYY dates, UTF-8 with BOM;
- ``fxiaoke``: ``商机.csv``, ``商机阶段变更记录.csv``, ``客户.csv``, ``人员.csv``, ``销售订单.csv`` with
  Chinese headers and stage names, in GB18030.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

CRMS = ("salesforce", "hubspot", "zoho", "fxiaoke")

#: the demo's stages in each CRM's words
STAGE_NAMES = {
    "salesforce": {"Prospecting": "Prospecting", "Qualification": "Qualification",
                   "Proposal": "Proposal/Price Quote", "Negotiation": "Negotiation/Review",
                   "Closed Won": "Closed Won", "Closed Lost": "Closed Lost"},
    "hubspot": {"Prospecting": "Appointment Scheduled", "Qualification": "Qualified To Buy",
                "Proposal": "Presentation Scheduled", "Negotiation": "Contract Sent",
                "Closed Won": "Closed Won", "Closed Lost": "Closed Lost"},
    "zoho": {"Prospecting": "Qualification", "Qualification": "Needs Analysis",
             "Proposal": "Proposal/Price Quote", "Negotiation": "Negotiation/Review",
             "Closed Won": "Closed Won", "Closed Lost": "Closed Lost"},
    "fxiaoke": {"Prospecting": "初步接洽", "Qualification": "需求确定", "Proposal": "方案报价",
                "Negotiation": "谈判审核", "Closed Won": "赢单", "Closed Lost": "输单"},
}
_SF_FORECAST = {"pipeline": "Pipeline", "best_case": "Best Case", "commit": "Commit",
                "closed": "Closed", "omitted": "Omitted"}


def _load(scale: float, seed: int, progress) -> dict[str, pd.DataFrame]:
    from salesnb.data.demo import ensure_demo

    folder = ensure_demo(scale=scale, seed=seed, progress=progress)
    out = {}
    for name in ("orders", "customers", "reps", "opportunities", "opportunity_history",
                 "products"):
        out[name] = pd.read_parquet(folder / f"{name}.parquet")
    for t in out.values():
        for c in t.columns:
            if "date" in c:
                t[c] = pd.to_datetime(t[c])
    return out


def _d(s: pd.Series, fmt: str) -> pd.Series:
    return s.dt.strftime(fmt).where(s.notna(), "")


def _money(s: pd.Series, *, thousands: bool = False) -> pd.Series:
    return s.map(lambda v: "" if pd.isna(v) else (f"{v:,.2f}" if thousands else f"{v:.2f}"))


def _sf_id(prefix: str, ids: pd.Series) -> pd.Series:
    num = ids.astype(str).str.extract(r"(\d+)$")[0].astype(int)
    return prefix + num.map(lambda n: f"{n:010d}") + "AAA"


def _write(df: pd.DataFrame, path: Path, encoding: str) -> None:
    df.to_csv(path, index=False, encoding=encoding)


# ------------------------------------------------------------------------------------ Salesforce
def _salesforce(t: dict[str, pd.DataFrame], out: Path) -> None:
    st = STAGE_NAMES["salesforce"]
    acc = _sf_id("0015g", t["customers"].customer_id)
    acc_of = dict(zip(t["customers"].customer_id, acc, strict=True))
    usr_of = dict(zip(t["reps"].rep_id, _sf_id("0055g", t["reps"].rep_id), strict=True))
    c = t["customers"]
    _write(pd.DataFrame({"Id": acc, "IsDeleted": "false", "Name": c.name, "Type": "Customer",
                         "Industry": c.industry.fillna(""), "Sales_Region__c": c.region,
                         "CreatedDate": _d(c.signup_date, "%Y-%m-%dT09:00:00.000Z")}),
           out / "Account.csv", "latin-1")
    r = t["reps"]
    first = r.name.str.split(" ").str[0]
    last = r.name.str.split(" ", n=1).str[1]
    _write(pd.DataFrame({"Id": r.rep_id.map(usr_of), "FirstName": first, "LastName": last,
                         "Department": r.team, "Division": r.region,
                         "IsActive": r.end_date.isna().map({True: "true", False: "false"}),
                         "ManagerId": r.manager_id.map(usr_of).fillna("000000000000000AAA")}),
           out / "User.csv", "latin-1")
    o = t["opportunities"]
    opp_of = dict(zip(o.opportunity_id, _sf_id("0065g", o.opportunity_id), strict=True))
    _write(pd.DataFrame({
        "Id": o.opportunity_id.map(opp_of), "IsDeleted": "false",
        "AccountId": o.customer_id.map(acc_of).fillna("000000000000000AAA"),
        "Name": o.opportunity_id, "StageName": o.stage.map(st), "Amount": _money(o.amount),
        "CloseDate": _d(o.close_date, "%Y-%m-%d"),
        "IsClosed": (o.status != "open").map({True: "true", False: "false"}),
        "IsWon": (o.status == "won").map({True: "true", False: "false"}),
        "ForecastCategoryName": o.forecast_category.map(_SF_FORECAST).where(
            o.status == "open", "Closed").where(o.status != "lost", "Omitted"),
        "CurrencyIsoCode": "USD", "OwnerId": o.rep_id.map(usr_of),
        "CreatedDate": _d(o.created_date, "%Y-%m-%dT08:30:00.000Z"),
        "LastActivityDate": _d(o.last_activity_date, "%Y-%m-%d"),
        "Loss_Reason__c": o.lost_reason.fillna(""), "Product_Family__c": o.category.fillna(""),
    }), out / "Opportunity.csv", "latin-1")
    h = t["opportunity_history"]
    _write(pd.DataFrame({"Id": _sf_id("0085g", pd.Series(range(1, len(h) + 1)).astype(str)),
                         "OpportunityId": h.opportunity_id.map(opp_of),
                         "StageName": h.stage.map(st),
                         "CreatedDate": _d(h.entered_date, "%Y-%m-%dT10:00:00.000Z")}),
           out / "OpportunityHistory.csv", "latin-1")
    p = t["products"]
    _write(pd.DataFrame({"Id": _sf_id("01t5g", p.product_id), "Name": p.name,
                         "ProductCode": p.product_id, "Family": p.category,
                         "IsActive": "true"}), out / "Product2.csv", "latin-1")
    od = t["orders"]
    _write(pd.DataFrame({
        "Order Number": od.order_id.str[1:], "Order Start Date": _d(od.order_date, "%m/%d/%Y"),
        "Account ID": od.customer_id.map(acc_of), "Order Owner ID": od.rep_id.map(usr_of),
        "Product Code": od.product_id, "Product Family": od.category, "Region": od.region,
        "Channel": od.channel, "Quantity": od.quantity, "List Price": _money(od.list_amount),
        "Total Price": _money(od.amount), "Total Price Currency": od.currency,
    }), out / "Orders with Products.csv", "utf-8")


# ------------------------------------------------------------------------------------ HubSpot
def _hubspot(t: dict[str, pd.DataFrame], out: Path) -> None:
    st = STAGE_NAMES["hubspot"]
    name_of = dict(zip(t["reps"].rep_id, t["reps"].name, strict=True))
    cid = t["customers"].customer_id.str[1:].astype(int) + 9_000_000_000
    cid_of = dict(zip(t["customers"].customer_id, cid.astype(str), strict=True))
    c = t["customers"]
    _write(pd.DataFrame({"Record ID": c.customer_id.map(cid_of), "Company name": c.name,
                         "Industry": c.industry.fillna(""), "Country/Region": c.region,
                         "Create Date": _d(c.signup_date, "%Y-%m-%d %H:%M")}),
           out / "all-companies.csv", "utf-8")
    r = t["reps"]
    _write(pd.DataFrame({"First Name": r.name.str.split(" ").str[0],
                         "Last Name": r.name.str.split(" ", n=1).str[1],
                         "Email": r.rep_id.str.lower() + "@demo.example", "Primary Team": r.team,
                         "Region": r.region}), out / "all-users.csv", "utf-8")
    o = t["opportunities"]
    deals = pd.DataFrame({
        "Record ID": (o.opportunity_id.str[2:].astype(int) + 15_000_000_000).astype(str),
        "Deal Name": o.opportunity_id, "Pipeline": "Sales Pipeline",
        "Deal Stage": o.stage.map(st), "Amount": _money(o.amount),
        "Close Date": _d(o.close_date, "%Y-%m-%d %H:%M"),
        "Create Date": _d(o.created_date, "%Y-%m-%d %H:%M"),
        "Deal owner": o.rep_id.map(name_of), "Associated Company IDs": o.customer_id.map(cid_of),
        "Closed Lost Reason": o.lost_reason.fillna(""), "Currency": "USD",
        "Last Activity Date": _d(o.last_activity_date, "%Y-%m-%d %H:%M"),
    })
    h = t["opportunity_history"]
    wide = h.assign(stage=h.stage.map(st)).pivot_table(
        index="opportunity_id", columns="stage", values="entered_date", aggfunc="min")
    for s in STAGE_NAMES["hubspot"].values():
        col = wide[s] if s in wide else pd.Series(dtype="datetime64[ns]")
        deals[f'Date entered "{s} (Sales Pipeline)"'] = _d(
            o.opportunity_id.map(col).astype("datetime64[ns]"), "%Y-%m-%d %H:%M")
    _write(deals, out / "all-deals.csv", "utf-8")
    od = t["orders"]
    _write(pd.DataFrame({
        "Record ID": od.order_id.str[1:].astype(int).astype(str), "Line": od.line_no,
        "Create Date": _d(od.order_date, "%Y-%m-%d %H:%M"),
        "Associated Company IDs": od.customer_id.map(cid_of),
        "Order owner": od.rep_id.map(name_of), "SKU": od.product_id,
        "Product Category": od.category, "Region": od.region, "Channel": od.channel,
        "Quantity": od.quantity, "Amount": _money(od.amount), "Currency": od.currency,
    }), out / "all-orders.csv", "utf-8")


# ------------------------------------------------------------------------------------ Zoho
def _zoho(t: dict[str, pd.DataFrame], out: Path) -> None:
    st = STAGE_NAMES["zoho"]
    name_of = dict(zip(t["reps"].rep_id, t["reps"].name, strict=True))
    zid = "zcrm_48760000" + t["customers"].customer_id.str[1:]
    zid_of = dict(zip(t["customers"].customer_id, zid, strict=True))
    c = t["customers"]
    _write(pd.DataFrame({"Record Id": zid, "Account Name": c.name,
                         "Industry": c.industry.fillna(""), "Billing Country": c.region,
                         "Created Time": _d(c.signup_date, "%d/%m/%Y %H:%M")}),
           out / "Accounts.csv", "utf-8-sig")
    r = t["reps"]
    _write(pd.DataFrame({"Full Name": r.name, "Email": r.rep_id.str.lower() + "@demo.example",
                         "Role": r.team, "Territory": r.region,
                         "Status": r.end_date.isna().map({True: "Active", False: "Inactive"})}),
           out / "Users.csv", "utf-8-sig")
    o = t["opportunities"]
    did = "zcrm_48761111" + o.opportunity_id.str[2:]
    did_of = dict(zip(o.opportunity_id, did, strict=True))
    _write(pd.DataFrame({
        "Record Id": did, "Deal Owner": o.rep_id.map(name_of), "Deal Name": o.opportunity_id,
        "Amount": _money(o.amount, thousands=True), "Closing Date": _d(o.close_date, "%d/%m/%Y"),
        "Account Name": o.customer_id.map(dict(zip(c.customer_id, c.name, strict=True))),
        "Account Name.id": o.customer_id.map(zid_of), "Stage": o.stage.map(st),
        "Created Time": _d(o.created_date, "%d/%m/%Y %H:%M"),
        "Reason For Loss": o.lost_reason.fillna(""), "Currency": "USD", "Exchange Rate": "1",
        "Last Activity Time": _d(o.last_activity_date, "%d/%m/%Y %H:%M"),
    }), out / "Deals.csv", "utf-8-sig")
    h = t["opportunity_history"]
    _write(pd.DataFrame({"Deal Name.id": h.opportunity_id.map(did_of),
                         "Stage": h.stage.map(st),
                         "Modified Time": _d(h.entered_date, "%d/%m/%Y %H:%M")}),
           out / "Stage_History.csv", "utf-8-sig")
    od = t["orders"]
    _write(pd.DataFrame({
        "SO Number": od.order_id, "Account Name.id": od.customer_id.map(zid_of),
        "Sales Order Owner": od.rep_id.map(name_of), "Order Date": _d(od.order_date, "%d/%m/%Y"),
        "Product Code": od.product_id, "Product Category": od.category, "Region": od.region,
        "Channel": od.channel, "Quantity": od.quantity, "Total": _money(od.amount, thousands=True),
        "Currency": od.currency,
    }), out / "Sales_Orders.csv", "utf-8-sig")


# ------------------------------------------------------------------------------------ Fxiaoke
_FX_CURRENCY = {"CNY": "人民币", "USD": "美元", "EUR": "欧元"}
_FX_REGION = {"North": "华北", "South": "华南", "East": "华东", "West": "西部", "Central": "华中"}


def _fxiaoke(t: dict[str, pd.DataFrame], out: Path) -> None:
    st = STAGE_NAMES["fxiaoke"]
    c = t["customers"]
    # Fxiaoke's duplicate check keeps account names unique
    dup = c.name.duplicated(keep=False)
    names = c.name.where(~dup, c.name + "（" + c.customer_id + "）")
    name_of = dict(zip(c.customer_id, names, strict=True))
    _write(pd.DataFrame({"客户编号": c.customer_id, "客户名称": names,
                         "行业": c.industry.fillna(""),
                         "所属区域": c.region.map(_FX_REGION).fillna(c.region),
                         "创建时间": _d(c.signup_date, "%Y-%m-%d %H:%M")}),
           out / "客户.csv", "gb18030")
    r = t["reps"]
    rep_of = dict(zip(r.rep_id, r.name, strict=True))
    _write(pd.DataFrame({"姓名": r.name, "员工编号": r.rep_id, "主属部门": r.team,
                         "所属区域": r.region.map(_FX_REGION).fillna(r.region),
                         "入职日期": _d(r.hire_date, "%Y/%m/%d"),
                         "离职日期": _d(r.end_date, "%Y/%m/%d")}), out / "人员.csv", "gb18030")
    o = t["opportunities"]
    closed = o.status != "open"
    _write(pd.DataFrame({
        "商机编号": o.opportunity_id,
        "商机名称": o.customer_id.map(name_of) + "-" + o.category.fillna("") + "-"
        + o.opportunity_id.str[-4:],
        "客户名称": o.customer_id.map(name_of), "销售阶段": o.stage.map(st),
        "商机金额": _money(o.amount, thousands=True),
        "预计成交日期": _d(o.close_date.where(~closed), "%Y/%m/%d"),
        "结单日期": _d(o.close_date.where(closed), "%Y/%m/%d"),
        "负责人": o.rep_id.map(rep_of), "币种": "美元",
        "创建时间": _d(o.created_date, "%Y-%m-%d %H:%M"),
        "输单原因": o.lost_reason.fillna(""),
        "最后跟进时间": _d(o.last_activity_date, "%Y-%m-%d %H:%M"),
    }), out / "商机.csv", "gb18030")
    h = t["opportunity_history"]
    _write(pd.DataFrame({"商机编号": h.opportunity_id, "阶段": h.stage.map(st),
                         "变更时间": _d(h.entered_date, "%Y-%m-%d %H:%M")}),
           out / "商机阶段变更记录.csv", "gb18030")
    od = t["orders"]
    _write(pd.DataFrame({
        "订单编号": od.order_id, "客户名称": od.customer_id.map(name_of),
        "下单日期": _d(od.order_date, "%Y/%m/%d"), "负责人": od.rep_id.map(rep_of),
        "产品编号": od.product_id, "产品分类": od.category,
        "所属区域": od.region.map(_FX_REGION).fillna(od.region), "渠道": od.channel,
        "数量": od.quantity, "小计": _money(od.amount, thousands=True),
        "币种": od.currency.map(_FX_CURRENCY).fillna(od.currency),
    }), out / "销售订单.csv", "gb18030")


WRITERS: dict[str, Callable[[dict[str, pd.DataFrame], Path], None]] = {
    "salesforce": _salesforce, "hubspot": _hubspot, "zoho": _zoho, "fxiaoke": _fxiaoke,
}


def export_demo(crm: str, out: str | os.PathLike, *, scale: float = 1.0, seed: int = 20261,
                progress: Callable[[str], None] | None = None) -> Path:
    """Write the demo company (at ``scale``) as ``crm``'s export into the folder ``out``.

    Parameters
    ----------
    crm : {"salesforce", "hubspot", "zoho", "fxiaoke"}
    out : path
        Folder to write (created; existing files of the same names are replaced).
    scale, seed : float, int
        The demo company to write (see :func:`salesnb.data.demo.generate`); tests use 0.01.

    Returns
    -------
    Path
        The folder.
    """
    if crm not in WRITERS:
        raise ValueError(f"unknown CRM {crm!r}; one of {', '.join(CRMS)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    WRITERS[crm](_load(scale, seed, progress), folder)
    return folder
