"""The canonical data contract: which tables salesnb understands and what their columns mean.

Every source (the demo company, a folder of files, a database) is checked against these specs
by :func:`salesnb.data.validate.validate`. Only ``orders`` is required; notebooks skip sections
whose optional tables or columns are missing, with a visible note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "date", "float", "int"]


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    kind: Kind
    required: bool = True
    doc: str = ""
    #: allowed values (enumerations), checked case-sensitively
    allowed: tuple[str, ...] | None = None
    #: ``(table, column)`` this column references, checked as a foreign key
    references: tuple[str, str] | None = None
    #: an unknown reference is a warning, not an error (a catalogue that lags the orders)
    soft_reference: bool = False
    #: values may be missing
    nullable: bool = False
    #: values may be missing on rows whose ``status`` is ``open`` (an open deal's expected close
    #: date and amount: many CRMs leave them empty until the deal is worked on; its created date,
    #: which a CRM without one may stand in for by a later date the early deals lack); required otherwise
    open_may_be_empty: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns, key and meaning."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = False
    doc: str = ""
    #: date columns that must not lie after the data's as-of date
    not_after_as_of: tuple[str, ...] = field(default=())
    #: optional key columns the key leaves out when the table does not have them
    key_if_present: tuple[str, ...] = field(default=())

    def key_in(self, columns) -> list[str]:
        """The key's columns, without one of :attr:`key_if_present` that ``columns`` do not hold
        (``stages`` is keyed by ``stage`` alone without its ``pipeline`` column)."""
        return [k for k in self.key if k in columns or k not in self.key_if_present]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r} in the contract")


C = Column
STATUSES = ("open", "won", "lost")
LEVELS = ("company", "region", "team", "rep")
#: the demo company's stage names; a source's own stages are its own (see the ``stages`` table and
#: :func:`salesnb.data.extract.stage_order`): only ``status`` is a fixed enumeration
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
OPEN_STAGES = STAGES[:4]
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "closed", "omitted")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "orders",
            required=True,
            key=("order_id", "line_no"),
            not_after_as_of=("order_date",),
            doc="One row per order line (the big fact table). Negative amounts are returns.",
            columns=(
                C("order_id", "str", doc="order identifier; with line_no it identifies the row"),
                C("line_no", "int", required=False, doc="line number within the order (default 1)"),
                C("order_date", "date", doc="date the order was booked"),
                C("customer_id", "str", references=("customers", "customer_id")),
                C("amount", "float", doc="net revenue of the line, in `currency` when given, else in "
                  "the reporting currency"),
                C("rep_id", "str", required=False, nullable=True, references=("reps", "rep_id")),
                C("product_id", "str", required=False, nullable=True, references=("products", "product_id"),
                  soft_reference=True, doc="a product the products table does not list is a warning"),
                C("category", "str", required=False, nullable=True, doc="product category"),
                C("region", "str", required=False, nullable=True, doc="sales region of the order"),
                C("channel", "str", required=False, nullable=True, doc="e.g. Direct, Partner, Online"),
                C("quantity", "float", required=False, nullable=True, doc="units"),
                C("list_amount", "float", required=False, nullable=True, doc="amount at list price"),
                C("discount", "float", required=False, nullable=True,
                  doc="discount as a fraction of list (0.15 = 15 %)"),
                C("cost", "float", required=False, nullable=True, doc="cost of goods of the line"),
                C("currency", "str", required=False, nullable=True,
                  doc="ISO 4217 code of amount, list_amount and cost (e.g. CNY, USD, EUR); amounts "
                  "are converted to the reporting currency with `fx_rates`"),
            ),
        ),
        Table(
            "customers",
            key=("customer_id",),
            doc="One row per customer (account or consumer).",
            columns=(
                C("customer_id", "str"),
                C("name", "str", doc="display name; untrusted text, always escaped"),
                C("region", "str", required=False, nullable=True,
                  doc="home region; a customer may buy in several regions (region is per order)"),
                C("customer_type", "str", required=False, nullable=True, doc="B2B or B2C"),
                C("industry", "str", required=False, nullable=True),
                C("size_band", "str", required=False, nullable=True,
                  doc="SMB, Mid-market, Enterprise"),
                C("signup_date", "date", required=False, nullable=True),
                C("age_band", "str", required=False, nullable=True),
                C("gender", "str", required=False, nullable=True),
                C("income_band", "str", required=False, nullable=True),
            ),
        ),
        Table(
            "products",
            key=("product_id",),
            doc="Product catalogue (optional).",
            columns=(
                C("product_id", "str"),
                C("name", "str"),
                C("category", "str"),
                C("list_price", "float", required=False, nullable=True),
                C("unit_cost", "float", required=False, nullable=True),
            ),
        ),
        Table(
            "reps",
            key=("rep_id",),
            not_after_as_of=("hire_date",),
            doc="Sales representatives.",
            columns=(
                C("rep_id", "str"),
                C("name", "str"),
                C("team", "str", nullable=True),
                C("region", "str", nullable=True),
                C("hire_date", "date", required=False, nullable=True,
                  doc="first day; without it, tenure sections are skipped with a note"),
                C("end_date", "date", required=False, nullable=True, doc="last day; empty if active"),
                C("manager_id", "str", required=False, nullable=True),
            ),
        ),
        Table(
            "opportunities",
            key=("opportunity_id",),
            not_after_as_of=("created_date",),
            doc="Deals in the CRM. close_date is the actual close for won/lost, the expected one "
            "for open deals. An open deal may leave close_date and amount empty (many CRMs do until "
            "the deal is worked on), and created_date (an export without a created date, whose "
            "stand-in such as an engage date early deals lack): the pages then say what they cannot "
            "check for it (a deal without a created date has no age: it counts in the pipeline and "
            "the stage counts, not in stalled deals, P(won within the quarter | stage, age) or cycle "
            "lengths).",
            columns=(
                C("opportunity_id", "str"),
                C("customer_id", "str", nullable=True, references=("customers", "customer_id"),
                  doc="empty for a deal without a customer"),
                C("rep_id", "str", references=("reps", "rep_id")),
                C("created_date", "date", open_may_be_empty=True),
                C("close_date", "date", open_may_be_empty=True,
                  doc="the actual close of a won or lost deal; the expected one of an open deal"),
                C("stage", "str", doc="current stage, in the source's own names (see `stages`)"),
                C("status", "str", allowed=STATUSES),
                C("amount", "float", open_may_be_empty=True,
                  doc="in `currency` when given, else in the reporting currency"),
                C("forecast_category", "str", required=False, nullable=True,
                  allowed=FORECAST_CATEGORIES),
                C("lost_reason", "str", required=False, nullable=True),
                C("competitor", "str", required=False, nullable=True),
                C("last_activity_date", "date", required=False, nullable=True),
                C("category", "str", required=False, nullable=True, doc="main product category"),
                C("close_date_changes", "int", required=False, nullable=True,
                  doc="how often the expected close date was pushed out"),
                C("currency", "str", required=False, nullable=True, doc="ISO 4217 code of amount"),
                C("pipeline", "str", required=False,
                  doc="the pipeline (sales process) the deal is in, when the CRM has several "
                  "(HubSpot's Pipeline, a Salesforce record type): each has its own stages, and the "
                  "funnel is measured per pipeline"),
            ),
        ),
        Table(
            "stages",
            key=("pipeline", "stage"),
            key_if_present=("pipeline",),
            doc="The pipeline's own stages in order (optional; without it the order is read from "
            "the stage histories). Stage names are free; only `opportunities.status` is fixed. "
            "With a `pipeline` column, each pipeline has its own order, and a name in two pipelines "
            "(Closed Won) is two stages.",
            columns=(
                C("stage", "str", doc="stage name as the CRM shows it"),
                C("stage_order", "int", doc="position in the pipeline, first stage lowest"),
                C("pipeline", "str", required=False,
                  doc="the pipeline the stage belongs to (`opportunities.pipeline`); without it one "
                  "order for every deal"),
                C("status", "str", required=False, nullable=True, allowed=STATUSES,
                  doc="whether a deal in this stage is open, won or lost"),
                C("probability", "float", required=False, nullable=True,
                  doc="the CRM's win probability of the stage (0-1)"),
            ),
        ),
        Table(
            "opportunity_history",
            key=("opportunity_id", "stage"),
            not_after_as_of=("entered_date",),
            doc="Stage changes: one row per opportunity and stage entered.",
            columns=(
                C("opportunity_id", "str", references=("opportunities", "opportunity_id")),
                C("stage", "str"),
                C("entered_date", "date"),
                C("forecast_category", "str", required=False, nullable=True,
                  allowed=FORECAST_CATEGORIES,
                  doc="the deal's forecast category from that date (forecast calibration uses "
                  "the one it carried before it closed)"),
            ),
        ),
        Table(
            "close_date_history",
            key=("opportunity_id", "changed_date"),
            not_after_as_of=("changed_date",),
            doc="The expected close date of each deal as it changed (optional): one row per deal and "
            "day, the close date expected from that day on. With it, P(miss) learns how often deals due "
            "by their close dates were won in time (close dates slip), and a past month's P(miss) uses "
            "the close dates expected then (Salesforce's OpportunityHistory carries it; the demo "
            "writes it).",
            columns=(
                C("opportunity_id", "str", references=("opportunities", "opportunity_id")),
                C("changed_date", "date", doc="the day the close date was set or changed (the deal's "
                  "creation included)"),
                C("close_date", "date", doc="the close date expected from that day on"),
            ),
        ),
        Table(
            "forecast_category_history",
            key=("opportunity_id", "changed_date"),
            not_after_as_of=("changed_date",),
            doc="The forecast category of each deal as it changed (optional): one row per deal and "
            "day, the category from that day on. Forecast calibration then uses the category a deal "
            "carried just before it closed, including a change made within a stage (the stage "
            "history keeps the category a stage was entered with; Salesforce's OpportunityHistory "
            "carries both).",
            columns=(
                C("opportunity_id", "str", references=("opportunities", "opportunity_id")),
                C("changed_date", "date", doc="the day the category was set or changed"),
                C("forecast_category", "str", allowed=FORECAST_CATEGORIES,
                  doc="the deal's forecast category from that day on"),
            ),
        ),
        Table(
            "targets",
            key=("period", "level", "key"),
            doc="Sales targets (quota) per month and level.",
            columns=(
                C("period", "str", doc="YYYY-MM"),
                C("level", "str", allowed=LEVELS),
                C("key", "str", doc="region, team or rep_id; 'all' for company"),
                C("amount", "float"),
            ),
        ),
        Table(
            "feedback",
            not_after_as_of=("date",),
            doc="Survey answers: NPS (0-10) and/or CSAT (1-5).",
            columns=(
                C("customer_id", "str", references=("customers", "customer_id")),
                C("date", "date"),
                C("nps", "float", required=False, nullable=True),
                C("csat", "float", required=False, nullable=True),
            ),
        ),
        Table(
            "market",
            key=("period", "region"),
            doc="Total market size per period and region (same currency as orders).",
            columns=(
                C("period", "str", doc="YYYY-MM"),
                C("region", "str"),
                C("market_size", "float"),
            ),
        ),
        Table(
            "fx_rates",
            key=("currency", "period"),
            doc="Exchange rates to the reporting currency: an amount in `currency` booked in "
            "`period` is multiplied by `rate`. Needed when amounts come in several currencies.",
            columns=(
                C("currency", "str", doc="ISO 4217 code converted from"),
                C("period", "str", doc="YYYY-MM the rate applies to; `*` for every month "
                  "without a rate of its own"),
                C("rate", "float", doc="units of the reporting currency per unit of `currency`"),
            ),
        ),
        Table(
            "training",
            not_after_as_of=("date",),
            doc="Training sessions attended by reps.",
            columns=(
                C("rep_id", "str", references=("reps", "rep_id")),
                C("date", "date"),
                C("topic", "str"),
            ),
        ),
    ]
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def markdown() -> str:
    """The contract as Markdown tables (docs/data-contract.md is generated from this)."""
    out = []
    for t in TABLES.values():
        need = "required" if t.required else "optional"
        key = f" Key: `{' + '.join(t.key)}`." if t.key else ""
        if t.key_if_present:
            key = key[:-1] + f" (`{' + '.join(t.key_if_present)}` when the table has it)."
        out.append(f"## `{t.name}` ({need})\n\n{t.doc}{key}\n")
        out.append("| column | type | required | meaning |\n|---|---|---|---|")
        for c in t.columns:
            extra = []
            if c.allowed:
                extra.append("one of " + ", ".join(f"`{a}`" for a in c.allowed))
            if c.references:
                extra.append(f"refers to `{c.references[0]}.{c.references[1]}`")
            if c.name in t.not_after_as_of:
                extra.append("not after the as-of date")
            if c.open_may_be_empty:
                extra.append("empty allowed on an open deal")
            doc = "; ".join([x for x in [c.doc, *extra] if x])
            out.append(f"| `{c.name}` | {c.kind} | {'yes' if c.required else 'no'} | {doc} |")
        out.append("")
    return "\n".join(out)
