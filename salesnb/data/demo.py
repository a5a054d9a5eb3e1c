"""The demo company: a deterministic generator with planted, documented ground truth.

:func:`generate` writes one Parquet file per canonical table (see :mod:`salesnb.data.contract`)
plus ``ground_truth.json`` into a folder. The same ``seed`` and ``scale`` always give the same
bytes. The planted facts (seasonality with a Chinese-New-Year dip, a trend, strong and weak reps,
a churn wave, a regional anomaly, key-account concentration, discount creep, stalled deals and a
training effect) are listed in ``ground_truth.json`` so that tests of the analytics can check that
they recover them.

How the orders are built (top-down, so the planted shapes are exact in expectation):

- every customer has a weight in revenue units and is *active* from the month after its
  ``signup_date`` until the month it churns;
- the expected revenue of month ``m`` is ``K * trend(m) * seasonality[m]`` scaled by the share of
  customer weight that is still active compared with normal dynamics (so the churn wave removes
  revenue, ordinary churn and acquisition do not bend the trend);
- within a month, days are weighted by a weekday profile (weekends low for B2B, high for B2C),
  normalised over the month, times ``1 - depth`` in the Chinese-New-Year window;
- orders are drawn per customer type with a Poisson count, customers by weight, then order
  lines, products, quantities and discounts; ``amount = list_amount * (1 - discount)``.

Sales reps hold *books* of customers (one per slot). When a rep leaves, the team lead holds the
book until a replacement is hired; a new hire ramps up over ``ramp_months`` months, during which
the remaining share of the book's orders is still booked by the team lead.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["default_demo_dir", "ensure_demo", "generate", "load_ground_truth"]

#: bump when the generated data changes, so that cached demo folders are regenerated
GENERATOR_VERSION = 6

START = "2022-01-01"
#: reps who leave during the history (each replaced by a new hire who takes over the book)
LEAVERS = 8
#: bounds of the ``reps`` option (12 team leads, the leavers, the planted cohort and peers)
MIN_REPS, MAX_REPS = 48, 2000
REGIONS = ("North", "South", "East", "West", "Central", "International")
REGION_WEIGHTS = np.array([0.20, 0.16, 0.19, 0.18, 0.15, 0.12])
CATEGORIES = (
    "Hardware", "Software", "Cloud", "Services", "Support", "Accessories", "Consumables",
    "Training",
)
CAT_PRICE = np.array([900.0, 450.0, 300.0, 1500.0, 250.0, 45.0, 18.0, 600.0])
CAT_COST_RATIO = np.array([0.72, 0.25, 0.35, 0.55, 0.30, 0.60, 0.65, 0.40])
CAT_MIX_B2B = np.array([0.22, 0.16, 0.16, 0.10, 0.08, 0.12, 0.10, 0.06])
CAT_MIX_B2C = np.array([0.20, 0.15, 0.08, 0.02, 0.05, 0.25, 0.23, 0.02])
#: stationary mean discount per category (Hardware's equals discount_before)
CAT_DISCOUNT = np.array([0.10, 0.11, 0.09, 0.08, 0.10, 0.12, 0.09, 0.10])
DISCOUNT_NOISE = 0.03
PRODUCTS_PER_CATEGORY = 25
INDUSTRIES = (
    "Retail", "Manufacturing", "Healthcare", "Finance", "Technology", "Education", "Logistics",
    "Hospitality",
)
INDUSTRY_WEIGHTS = np.array([0.15, 0.16, 0.12, 0.12, 0.14, 0.09, 0.12, 0.10])
SIZE_BANDS = ("SMB", "Mid-market", "Enterprise")
SIZE_WEIGHTS = np.array([0.60, 0.30, 0.10])
SIZE_REVENUE = np.array([1.0, 4.0, 15.0])
B2C_REVENUE = 0.25
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("F", "M", "X")
INCOME_BANDS = ("<30k", "30-60k", "60-100k", "100k+")
CHANNELS = ("Direct", "Partner", "Online")
CHANNEL_MIX = {True: np.array([0.55, 0.35, 0.10]), False: np.array([0.20, 0.10, 0.70])}
#: Monday..Sunday order intensity (normalised within each month)
WEEKDAY_B2B = np.array([1.0, 1.05, 1.05, 1.0, 0.95, 0.15, 0.10])
WEEKDAY_B2C = np.array([0.9, 0.9, 0.9, 0.95, 1.05, 1.35, 1.2])
_SHAPE_RAW = np.array([0.88, 0.85, 1.00, 0.95, 0.95, 1.00, 0.82, 0.80, 1.02, 1.05, 1.23, 1.35])
MONTHLY_SHAPE = np.round(_SHAPE_RAW / _SHAPE_RAW.mean(), 4)
ANNUAL_GROWTH = 0.12
#: Chinese New Year (Spring Festival) day one, verified against holidays.China
CNY_DATES = {
    2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
    2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26",
}
CNY_DEPTH, CNY_BEFORE, CNY_AFTER = 0.5, 3, 14
RETURN_SHARE = 0.005
RAMP_MONTHS = 6
MAX_STAGE_DAYS = 180
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
LOST_AT = np.array([0.30, 0.30, 0.25, 0.15])
FORECAST = ("commit", "best_case", "pipeline")
FORECAST_IF_WON = np.array([0.50, 0.30, 0.20])
FORECAST_IF_LOST = np.array([0.12, 0.30, 0.58])
LOST_REASONS = ("Price", "Competitor", "No decision", "Timing", "Product fit")
LOST_REASON_WEIGHTS = np.array([0.25, 0.35, 0.20, 0.10, 0.10])
COMPETITORS = ("Apex Systems", "Brightline", "Corvus Tech", "Delta Digital")
COMPETITOR_GAINING = "Apex Systems"
COMPETITOR_SHARE = (0.15, 0.55)
TRAINING_TOPICS = ("Onboarding", "Compliance", "Product: Cloud", "CRM hygiene", "Discovery calls")

_FIRST = (
    "James", "Mary", "John", "Linda", "Robert", "Susan", "Michael", "Karen", "David", "Nancy",
    "William", "Lisa", "Richard", "Betty", "Joseph", "Sandra", "Thomas", "Ashley", "Daniel",
    "Emily", "Paul", "Donna", "Mark", "Michelle", "George", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "Wei", "Mei", "Hiroshi", "Yuki", "Priya", "Arjun", "Sofia", "Lucas", "Elena",
    "Omar", "Fatima", "Lars", "Ingrid", "Carlos", "Ana", "Pierre", "Claire", "Noah", "Chloe",
)
_LAST = (
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Thomas",
    "Jackson", "White", "Harris", "Martin", "Thompson", "Garcia", "Martinez", "Robinson", "Clark",
    "Lewis", "Lee", "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Chen", "Wang", "Tanaka", "Patel", "Singh",
    "Rossi", "Muller", "Novak", "Larsen", "Silva", "Dubois", "Kowalski", "Okafor", "Haddad",
)
_CO_A = (
    "Acme", "Blue", "Cedar", "Summit", "Harbor", "Granite", "Silver", "Pioneer", "Northwind",
    "Evergreen", "Atlas", "Beacon", "Crescent", "Falcon", "Golden", "Horizon", "Ivy", "Juniper",
    "Keystone", "Lakeside", "Maple", "Meridian", "Oak", "Orion", "Pacific", "Quarry", "Redwood",
    "Riverside", "Sterling", "Trident", "Union", "Vertex", "Willow", "Zenith", "Apex", "Bright",
)
_CO_B = (
    "Logistics", "Foods", "Health", "Capital", "Systems", "Retail", "Motors", "Labs", "Energy",
    "Textiles", "Pharma", "Media", "Builders", "Outfitters", "Analytics", "Freight", "Hotels",
    "Academy", "Partners", "Works", "Supply", "Dynamics", "Networks", "Goods",
)
_CO_C = ("Inc", "Ltd", "LLC", "Group", "Co", "Corp", "GmbH", "Holdings")
_PROD_A = ("Pro", "Lite", "Max", "Edge", "Core", "Flex", "Prime", "Nova", "Ultra", "One")
_PROD_NOUN = {
    "Hardware": "Server", "Software": "Suite", "Cloud": "Compute", "Services": "Implementation",
    "Support": "Care Plan", "Accessories": "Dock", "Consumables": "Cartridge",
    "Training": "Course",
}

_DAY = np.timedelta64(1, "D")
_EPOCH = np.datetime64("1970-01-01", "D")


def _day(s: str | np.datetime64) -> int:
    return int((np.datetime64(s, "D") - _EPOCH) / _DAY)


def _iso(d: int) -> str:
    return str(_EPOCH + np.int64(d))


def _month_of(days: np.ndarray, start_month: np.datetime64) -> np.ndarray:
    """Month index (0 = start_month) of epoch days."""
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]")
    return (months - start_month).astype(np.int64)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total into integers proportional to weights, summing exactly."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() <= 0:
        out = np.zeros(len(w), dtype=np.int64)
        if len(w) and total:
            out[0] = total
        return out
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:rest]] += 1
    return base


def _stage_offsets(dur: np.ndarray, k: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Days from creation to entering stages 0..3 (strictly increasing up to stage k).

    ``g`` holds positive gamma draws that split the cycle of ``dur`` days between the stages
    reached; no stage lasts longer than ``MAX_STAGE_DAYS``.
    """
    g = np.where(np.arange(4)[None, :] > k[:, None], 0.0, g)
    frac = np.cumsum(g, axis=1) / g.sum(axis=1, keepdims=True)
    frac = np.hstack([np.zeros((len(k), 1)), frac[:, :3]])  # share of the cycle before stage i
    offs = np.floor(frac * (dur - k - 1)[:, None]).astype(np.int64) + np.arange(4)[None, :]
    for i in range(1, 4):
        offs[:, i] = np.minimum(offs[:, i], offs[:, i - 1] + MAX_STAGE_DAYS)
    return offs


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32())


def _take(labels: list[str] | tuple[str, ...] | np.ndarray, codes: np.ndarray) -> pa.Array:
    return pa.array(list(labels), type=pa.string()).take(pa.array(np.asarray(codes)))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()),
                        width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


class _Demo:
    """All state of one generation run."""

    def __init__(self, scale: float, seed: int, end_month: str,
                 progress: Callable[[str], None] | None, reps: int | None = None) -> None:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        if reps is not None and not MIN_REPS <= int(reps) <= MAX_REPS:
            raise ValueError(f"reps must be between {MIN_REPS} and {MAX_REPS}, got {reps}")
        self.reps_wanted = None if reps is None else int(reps)
        self.scale = float(scale)
        self.seed = int(seed)
        self.say = progress or (lambda _msg: None)
        self.start_month = np.datetime64(START[:7], "M")
        try:
            self.end_period = np.datetime64(end_month, "M")
        except ValueError as exc:
            raise ValueError(f"end_month must be 'YYYY-MM', got {end_month!r}") from exc
        if self.end_period < np.datetime64("2024-06", "M"):
            raise ValueError("end_month must be 2024-06 or later (the planted facts need history)")
        self.end_month = str(self.end_period)
        self.start = _day(START)
        self.as_of = _day((self.end_period + 1).astype("datetime64[D]")) - 1
        self.n_months = int((self.end_period - self.start_month).astype(int)) + 1
        end_year = int(str(self.end_period)[:4])
        self.target_months = (end_year - 2022 + 1) * 12
        month_starts = (self.start_month + np.arange(self.target_months + 1)).astype(
            "datetime64[D]")
        self.month_start = ((month_starts - _EPOCH) / _DAY).astype(np.int64)
        self.periods = [str(self.start_month + i) for i in range(self.target_months)]
        # planted dates relative to the end month (equal to the brief at end_month=2026-10)
        self.wave_m = self.n_months - 7  # 2026-04
        self.anomaly_m = self.n_months - 17  # 2025-06
        self.creep_m = self.n_months - 18  # 2025-05
        self.training_day = int(self.month_start[self.n_months - 19])  # 2025-04-01
        self.opp_scale = min(self.scale, 1.0) ** 0.5 * max(self.scale, 1.0) ** 0.25
        self.gt: dict[str, Any] = {}

    # ------------------------------------------------------------------ helpers
    def rng(self, name: str, *keys: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(name.encode()), *keys])

    def month_index(self, days: np.ndarray) -> np.ndarray:
        return _month_of(np.asarray(days), self.start_month)

    def trend(self, days: np.ndarray | float) -> np.ndarray:
        return (1.0 + ANNUAL_GROWTH) ** ((np.asarray(days, dtype=float) - self.start) / 365.25)

    def cny_factor(self, days: np.ndarray) -> np.ndarray:
        f = np.ones(len(days))
        for d in CNY_DATES.values():
            c = _day(d)
            f[(days >= c - CNY_BEFORE) & (days <= c + CNY_AFTER)] = 1.0 - CNY_DEPTH
        return f

    # ------------------------------------------------------------------ products
    def products(self) -> pa.Table:
        rng = self.rng("products")
        n_cat = len(CATEGORIES)
        cat = np.repeat(np.arange(n_cat), PRODUCTS_PER_CATEGORY)
        price = np.round(CAT_PRICE[cat] * rng.lognormal(0.0, 0.45, len(cat)), 0) - 0.01
        price = np.maximum(price, 0.99)
        unit_cost = np.round(price * CAT_COST_RATIO[cat] * rng.uniform(0.9, 1.1, len(cat)), 2)
        rank = np.tile(np.arange(PRODUCTS_PER_CATEGORY), n_cat)
        within = 1.0 / (rank + 1.0) ** 0.8
        within_sum = np.bincount(cat, weights=within)
        self.prod_cat, self.prod_price, self.prod_cost = cat, price, unit_cost
        self.prod_p = {}
        for b2b, mix in ((True, CAT_MIX_B2B), (False, CAT_MIX_B2C)):
            p = mix[cat] * within / within_sum[cat]
            self.prod_p[b2b] = np.cumsum(p / p.sum())
        names = [
            f"{_PROD_A[i % len(_PROD_A)]} {_PROD_NOUN[CATEGORIES[c]]} {100 + 10 * (i // 10) + i}"
            for i, c in zip(rank, cat, strict=True)
        ]
        self.n_products = len(cat)
        return pa.table({
            "product_id": _ids("P", np.arange(1, len(cat) + 1), 4),
            "name": pa.array(names),
            "category": _take(CATEGORIES, cat),
            "list_price": pa.array(price),
            "unit_cost": pa.array(unit_cost),
        })

    def mean_order_value(self, b2b: bool, hardware_discount: float = 0.10) -> tuple[float, float]:
        """Expected revenue per line and lines per order for a customer type."""
        p = np.diff(self.prod_p[b2b], prepend=0.0)
        disc = CAT_DISCOUNT[self.prod_cat].copy()
        disc[self.prod_cat == CATEGORIES.index("Hardware")] = hardware_discount
        qty = 1 / 0.35 if b2b else 1 / 0.75
        per_line = float((p * self.prod_price * (1 - disc)).sum() * qty * (1 - 2 * RETURN_SHARE))
        lines = 1 / 0.55 if b2b else 1 / 0.8
        return per_line, lines

    # ------------------------------------------------------------------ reps
    def reps(self) -> pa.Table:
        rng = self.rng("reps")
        n_slots = 52 if self.scale <= 1 else int(round(52 * self.scale ** 0.5))
        if self.reps_wanted is not None:  # every leaver's book gets a replacement: 8 more reps
            n_slots = self.reps_wanted - LEAVERS
        n_teams = len(REGIONS) * 2
        slot_team = np.arange(n_slots) % n_teams
        self.n_slots, self.slot_team = n_slots, slot_team
        self.slot_region = slot_team // 2
        never = 10 ** 7
        first_hire = np.where(
            np.arange(n_slots) < n_teams,
            rng.integers(_day("2010-01-01"), _day("2017-12-31"), n_slots),
            rng.integers(_day("2013-01-01"), _day("2021-10-31"), n_slots),
        )
        end_a = np.full(n_slots, never, dtype=np.int64)
        hire_b = np.full(n_slots, never, dtype=np.int64)
        others = rng.permutation(np.arange(n_teams, n_slots))
        leaver_slots = others[:LEAVERS]
        span = self.as_of - self.start
        em = self.n_months  # months after start of the month following the end month
        early_end = [self.start + int(f * span) for f in (0.15, 0.35, 0.55)]
        late_end = [int(self.month_start[em - k]) - 1 for k in (10, 9, 8, 6, 5)]
        early_hire = [e + int(rng.integers(30, 75)) for e in early_end]
        late_hire = [int(self.month_start[em - k]) + int(off)
                     for k, off in zip((8, 8, 7, 5, 4), (1, 15, 12, 0, 5), strict=True)]
        for i, s in enumerate(leaver_slots):
            end_a[s] = (early_end + late_end)[i]
            hire_b[s] = (early_hire + late_hire)[i]
        self.end_a, self.hire_b = end_a, hire_b
        # rep ids: slot holders R001.., then replacements ordered by hire date
        rep_slot = list(range(n_slots))
        rep_hire = list(first_hire)
        rep_end: list[int | None] = [int(e) if e < never else None for e in end_a]
        repl_order = np.argsort(hire_b[leaver_slots], kind="stable")
        self.rep_b = np.full(n_slots, -1, dtype=np.int64)
        for j in repl_order:
            s = leaver_slots[j]
            self.rep_b[s] = len(rep_slot)
            rep_slot.append(int(s))
            rep_hire.append(int(hire_b[s]))
            rep_end.append(None)
        n_reps = len(rep_slot)
        self.n_reps = n_reps
        self.rep_slot = np.array(rep_slot)
        self.rep_hire = np.array(rep_hire, dtype=np.int64)
        self.rep_end = np.array([e if e is not None else never for e in rep_end], dtype=np.int64)
        self.rep_team = slot_team[self.rep_slot]
        self.rep_region = self.rep_team // 2
        self.rep_a = np.arange(n_slots)
        self.lead_rep = np.arange(n_teams)  # slots 0..11 are the team leads' books
        width = max(3, len(str(n_reps)))
        self.rep_ids = [f"R{i + 1:0{width}d}" for i in range(n_reps)]
        leavers = [self.rep_ids[s] for s in leaver_slots]
        new_hires = [self.rep_ids[self.rep_b[s]] for s in leaver_slots
                     if hire_b[s] > int(self.month_start[em - 12])]
        new_hires.sort(key=lambda r: self.rep_hire[self.rep_ids.index(r)])
        self.leaver_reps = [self.rep_ids.index(r) for r in leavers]
        self.new_hire_reps = [self.rep_ids.index(r) for r in new_hires]
        self.replacement_reps = [int(self.rep_b[s]) for s in leaver_slots]
        # names
        pool = [f"{f} {last}" for f in _FIRST for last in _LAST]
        pick = rng.choice(len(pool), n_reps, replace=False)
        names = [pool[i] for i in pick]
        team_names = [f"{REGIONS[t // 2]}-{t % 2 + 1}" for t in range(n_teams)]
        manager = []
        for r in range(n_reps):
            t = self.rep_team[r]
            if r < n_teams:
                manager.append(None if t % 2 == 0 else self.rep_ids[t - 1])
            else:
                manager.append(self.rep_ids[t])
        # win rates
        a, b = 17.2, 40.13  # Beta with mean 0.30, sd 0.06
        p = np.clip(rng.beta(a, b, n_reps), 0.15, 0.45)
        stable = [r for r in range(n_teams, n_slots) if end_a[r] == never]
        stable = list(rng.permutation(stable))
        self.weak_rep = int(stable.pop(0))
        self.strong_rep = self.new_hire_reps[0]
        p[self.weak_rep] = 0.12
        p[self.strong_rep] = 0.55
        self.true_p = np.round(p, 4)
        self.cohort = sorted(int(r) for r in stable[:12])
        self.stable_reps = [int(r) for r in stable[12:]] + list(range(n_teams))
        self.gt["reps"] = {
            "true_win_rate": {self.rep_ids[r]: float(self.true_p[r]) for r in range(n_reps)},
            "strong_rep": self.rep_ids[self.strong_rep],
            "weak_rep": self.rep_ids[self.weak_rep],
            "leavers": sorted(leavers),
            "new_hires": new_hires,
            "ramp_months": RAMP_MONTHS,
        }
        self.team_names = team_names
        return pa.table({
            "rep_id": pa.array(self.rep_ids),
            "name": pa.array(names),
            "team": _take(team_names, self.rep_team),
            "region": _take(REGIONS, self.rep_region),
            "hire_date": _dates(self.rep_hire),
            "end_date": pa.array([e for e in rep_end], type=pa.int32()).cast(pa.date32()),
            "manager_id": pa.array(manager, type=pa.string()),
        })

    def holder_shares(self, slots: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, ...]:
        """For (slot, day) pairs: holder rep, lead rep and the holder's share (ramp)."""
        lead = self.lead_rep[self.slot_team[slots]]
        after = days > self.end_a[slots]
        has_b = after & (days >= self.hire_b[slots])
        k = np.floor((days - self.hire_b[slots]) / 30.4375)
        ramp = np.clip((k + 1) / RAMP_MONTHS, 0.0, 1.0)
        holder = np.where(has_b, self.rep_b[slots], np.where(after, lead, self.rep_a[slots]))
        share = np.where(has_b, ramp, 1.0)
        return holder, lead, share

    def rep_at(self, slots: np.ndarray, days: np.ndarray, u: np.ndarray) -> np.ndarray:
        holder, lead, share = self.holder_shares(slots, days)
        return np.where(u < share, holder, lead)

    # ------------------------------------------------------------------ customers
    def customers(self) -> pa.Table:
        rng = self.rng("customers")
        n = max(120, int(round(20000 * self.scale)))
        self.n_customers = n
        b2b = rng.random(n) < 0.6
        region = rng.choice(len(REGIONS), n, p=REGION_WEIGHTS)
        industry = rng.choice(len(INDUSTRIES), n, p=INDUSTRY_WEIGHTS)
        size = rng.choice(len(SIZE_BANDS), n, p=SIZE_WEIGHTS)
        weight = np.where(b2b, SIZE_REVENUE[size], B2C_REVENUE) * rng.lognormal(-0.245, 0.7, n)
        early = rng.random(n) < 0.5
        signup = np.where(
            early,
            rng.integers(_day("2015-01-01"), self.start, n),
            rng.integers(self.start, self.as_of - 45, n),
        )
        # large accounts: five B2B Enterprise customers outside West and Retail
        large_regions = [0, 1, 2, 4, 5]
        cand = rng.permutation(n)[: len(large_regions)]
        b2b[cand] = True
        size[cand] = 2
        industry[cand] = rng.choice(np.arange(1, len(INDUSTRIES)), len(cand))
        region[cand] = large_regions
        signup[cand] = rng.integers(_day("2016-01-01"), _day("2020-12-31"), len(cand))
        self.large = cand
        sm = np.where(signup < self.start, -1, self.month_index(signup))
        hazard = np.where(b2b, 0.07, 0.14)
        churn_day = np.maximum(signup, self.start) + rng.exponential(365.25 / hazard).astype(
            np.int64)
        never = 10 ** 6
        cm = np.where(churn_day > self.as_of, never, self.month_index(np.minimum(churn_day,
                                                                                self.as_of)))
        cm = np.where(cm <= sm + 1, sm + 2, cm)  # everyone is active at least one month
        cm[cand] = never
        # churn wave: B2B Retail customers active in the month before the wave
        w = self.wave_m
        seg = b2b & (industry == 0) & (sm < w - 1) & (cm > w - 1)
        seg_idx = np.flatnonzero(seg)
        n_churn = int(round(0.6 * len(seg_idx)))
        churners = np.sort(rng.choice(seg_idx, n_churn, replace=False))
        cm[seg_idx] = never
        cm[churners] = w
        self.wave_churners = churners
        # books: every customer belongs to a slot of its region
        slot = np.empty(n, dtype=np.int64)
        for r in range(len(REGIONS)):
            rs = np.flatnonzero(self.slot_region == r)
            idx = np.flatnonzero(region == r)
            slot[idx] = rs[rng.integers(0, len(rs), len(idx))]
        stable_slots = [s for s in range(len(self.lead_rep), self.n_slots)
                        if self.end_a[s] >= 10 ** 7]
        for c, r in zip(cand, large_regions, strict=True):
            options = [s for s in stable_slots if self.slot_region[s] == r]
            slot[c] = options[int(rng.integers(0, len(options)))]
        self.c_b2b, self.c_region, self.c_industry, self.c_size = b2b, region, industry, size
        self.c_signup, self.c_sm, self.c_cm, self.c_slot = signup, sm, cm, slot
        self.c_weight = weight
        width = max(6, len(str(n)))
        self.cust_ids = np.array([f"C{i + 1:0{width}d}" for i in range(n)], dtype=object)
        self._calibrate_large()
        self.gt["churn_wave"] = {
            "segment": {"customer_type": "B2B", "industry": "Retail"},
            "start": str(self.start_month + w),
            "customers": [str(c) for c in self.cust_ids[churners]],
            "share_churned": round(n_churn / max(len(seg_idx), 1), 4),
        }
        # names and B2C attributes
        co = rng.integers(0, [len(_CO_A), len(_CO_B), len(_CO_C)], size=(n, 3))
        pf = rng.integers(0, [len(_FIRST), len(_LAST)], size=(n, 2))
        names = np.where(
            b2b,
            np.char.add(np.char.add(np.char.add(np.array(_CO_A)[co[:, 0]], " "),
                                    np.char.add(np.array(_CO_B)[co[:, 1]], " ")),
                        np.array(_CO_C)[co[:, 2]]),
            np.char.add(np.char.add(np.array(_FIRST)[pf[:, 0]], " "), np.array(_LAST)[pf[:, 1]]),
        )
        age = rng.choice(len(AGE_BANDS), n, p=[0.12, 0.22, 0.22, 0.18, 0.14, 0.12])
        gender = rng.choice(len(GENDERS), n, p=[0.49, 0.48, 0.03])
        income = rng.choice(len(INCOME_BANDS), n, p=[0.2, 0.35, 0.3, 0.15])
        mask_b2c = pa.array(b2b)  # True where the B2C attribute is null
        mask_b2b = pa.array(~b2b)

        def masked(labels: tuple[str, ...], codes: np.ndarray, mask: pa.Array) -> pa.Array:
            return pc.if_else(mask, pa.scalar(None, pa.string()), _take(labels, codes))

        return pa.table({
            "customer_id": pa.array(self.cust_ids, type=pa.string()),
            "name": pa.array(names.astype(object), type=pa.string()),
            "region": _take(REGIONS, region),
            "customer_type": _take(("B2C", "B2B"), b2b.astype(np.int64)),
            "industry": masked(INDUSTRIES, industry, mask_b2b),
            "size_band": masked(SIZE_BANDS, size, mask_b2b),
            "signup_date": _dates(signup),
            "age_band": masked(AGE_BANDS, age, mask_b2c),
            "gender": masked(GENDERS, gender, mask_b2c),
            "income_band": masked(INCOME_BANDS, income, mask_b2c),
        })

    def active_weight(self, mask: np.ndarray, cm: np.ndarray) -> np.ndarray:
        """Sum of customer weight active per month (index 0..target_months-1)."""
        nm = self.target_months
        w = self.c_weight * mask
        acc = np.zeros(nm + 2)
        np.add.at(acc, np.clip(self.c_sm + 1, 0, nm + 1), w)
        np.add.at(acc, np.clip(cm, 0, nm + 1), -w)
        return np.cumsum(acc)[:nm]

    def _calibrate_large(self) -> None:
        """Give the five key accounts ~22 % of the revenue of the last twelve months."""
        self.c_weight[self.large] = 0.0
        last = slice(self.n_months - 12, self.n_months)
        rest = self.active_weight(np.ones(self.n_customers, bool), self.c_cm)[last].mean()
        total = 0.22 / 0.78 * rest
        split = np.array([0.30, 0.22, 0.18, 0.16, 0.14])
        self.c_weight[self.large] = total * split

    # ------------------------------------------------------------------ orders
    def plan_months(self) -> None:
        """Expected revenue per month, calibrated to the requested number of lines."""
        n = self.n_customers
        cm_normal = self.c_cm.copy()
        cm_normal[self.wave_churners] = 10 ** 6
        self.w_normal = self.active_weight(np.ones(n, bool), cm_normal)
        self.w_type = {b: self.active_weight(self.c_b2b == b, self.c_cm) for b in (True, False)}
        self.day_weights: list[dict[bool, np.ndarray]] = []
        self.days_of: list[np.ndarray] = []
        mid = (self.month_start[:-1] + self.month_start[1:]) / 2
        self.base = self.trend(mid) * MONTHLY_SHAPE[np.arange(self.target_months) % 12]
        self.mov = {b: self.mean_order_value(b) for b in (True, False)}
        exp_lines = 0.0
        self.exp_rev_unit = np.zeros(self.target_months)
        for m in range(self.target_months):
            days = np.arange(self.month_start[m], self.month_start[m + 1])
            wd = (days + 3) % 7
            cny = self.cny_factor(days)
            dw = {}
            for b2b, prof in ((True, WEEKDAY_B2B), (False, WEEKDAY_B2C)):
                u = prof[wd] / prof[wd].sum()
                dw[b2b] = u * cny
                rev = self.base[m] * self.w_type[b2b][m] / self.w_normal[m] * dw[b2b].sum()
                self.exp_rev_unit[m] += rev
                if m < self.n_months:
                    per_line, _ = self.mov[b2b]
                    exp_lines += rev / per_line
            self.day_weights.append(dw)
            self.days_of.append(days)
        self.K = 1_000_000 * self.scale / exp_lines

    def orders(self, writer: pq.ParquetWriter, schema: pa.Schema) -> None:
        n_c = self.n_customers
        rev_slot_year = np.zeros((self.n_slots, self.n_months // 12 + 2))
        rev_region_month = np.zeros((self.n_months, len(REGIONS)))
        rev_cust_last12 = np.zeros(n_c)
        next_order = 1
        n_lines_total = 0
        creep_start = int(self.month_start[self.creep_m])
        hw = CATEGORIES.index("Hardware")
        for m in range(self.n_months):
            rng = self.rng("orders", m)
            days_all = self.days_of[m]
            active = (self.c_sm < m) & (m < self.c_cm)
            cust_parts, day_parts, b2b_parts = [], [], []
            # the discount creep lowers the price, not the revenue trend: volume makes up for it
            mid = (self.month_start[m] + self.month_start[m + 1]) / 2
            hw_disc = 0.10 + 0.12 * np.clip((mid - creep_start) / max(self.as_of - creep_start, 1),
                                            0.0, 1.0)
            for b2b in (True, False):
                pool = np.flatnonzero(active & (self.c_b2b == b2b))
                if len(pool) == 0:
                    continue
                dw = self.day_weights[m][b2b]
                per_line, lines = self.mean_order_value(b2b, float(hw_disc))
                rev = self.K * self.base[m] * self.w_type[b2b][m] / self.w_normal[m] * dw.sum()
                n_orders = rng.poisson(rev / (per_line * lines))
                cw = np.cumsum(self.c_weight[pool])
                extra = 0
                if m == self.anomaly_m:
                    west = self.c_region[pool] == REGIONS.index("West")
                    share = self.c_weight[pool][west].sum() / cw[-1]
                    extra = rng.poisson(0.8 * share * rev / (per_line * lines))
                pick = np.searchsorted(cw, rng.random(n_orders) * cw[-1], side="right")
                cust = pool[np.minimum(pick, len(pool) - 1)]
                if extra:
                    wpool = pool[west]
                    wcw = np.cumsum(self.c_weight[wpool])
                    wp = np.searchsorted(wcw, rng.random(extra) * wcw[-1], side="right")
                    cust = np.concatenate([cust, wpool[np.minimum(wp, len(wpool) - 1)]])
                dcw = np.cumsum(dw)
                di = np.searchsorted(dcw, rng.random(len(cust)) * dcw[-1], side="right")
                cust_parts.append(cust)
                day_parts.append(days_all[np.minimum(di, len(days_all) - 1)])
                b2b_parts.append(np.full(len(cust), b2b))
            cust = np.concatenate(cust_parts)
            day = np.concatenate(day_parts)
            is_b2b = np.concatenate(b2b_parts)
            order = np.lexsort((cust, day))
            cust, day, is_b2b = cust[order], day[order], is_b2b[order]
            n_orders = len(cust)
            n_line = np.where(is_b2b, rng.geometric(0.55, n_orders), rng.geometric(0.8, n_orders))
            oid = np.repeat(np.arange(next_order, next_order + n_orders), n_line)
            first = np.repeat(np.cumsum(n_line) - n_line, n_line)
            nl = len(oid)
            line_no = np.arange(nl) - first + 1
            next_order += n_orders
            lc = np.repeat(cust, n_line)
            ld = np.repeat(day, n_line)
            lb = np.repeat(is_b2b, n_line)
            prod = np.where(
                lb,
                np.searchsorted(self.prod_p[True], rng.random(nl), side="right"),
                np.searchsorted(self.prod_p[False], rng.random(nl), side="right"),
            )
            prod = np.minimum(prod, self.n_products - 1)
            cat = self.prod_cat[prod]
            qty = np.where(lb, rng.geometric(0.35, nl), rng.geometric(0.75, nl)).astype(float)
            mean_disc = CAT_DISCOUNT[cat].copy()
            creeping = (cat == hw) & (ld >= creep_start)
            frac = (ld[creeping] - creep_start) / max(self.as_of - creep_start, 1)
            mean_disc[creeping] = 0.10 + 0.12 * frac
            disc = np.round(np.clip(mean_disc + rng.normal(0, DISCOUNT_NOISE, nl), 0.0, 0.5), 4)
            list_amount = np.round(qty * self.prod_price[prod], 2)
            amount = np.round(list_amount * (1 - disc), 2)
            cost = np.round(qty * self.prod_cost[prod], 2)
            ret = rng.random(nl) < RETURN_SHARE
            sign = np.where(ret, -1.0, 1.0)
            qty, list_amount, amount, cost = qty * sign, list_amount * sign, amount * sign, cost * sign
            u_ch = rng.random(nl)
            channel = np.where(
                lb,
                np.searchsorted(np.cumsum(CHANNEL_MIX[True]), u_ch, side="right"),
                np.searchsorted(np.cumsum(CHANNEL_MIX[False]), u_ch, side="right"),
            )
            channel = np.minimum(channel, len(CHANNELS) - 1)
            slot = self.c_slot[lc]
            rep = self.rep_at(slot, ld, rng.random(nl))
            region = self.c_region[lc]
            # aggregates for targets, checks and ground truth
            rev_slot_year[:, m // 12] += np.bincount(slot, weights=amount, minlength=self.n_slots)
            rev_region_month[m] = np.bincount(region, weights=amount, minlength=len(REGIONS))
            if m >= self.n_months - 12:
                rev_cust_last12 += np.bincount(lc, weights=amount, minlength=n_c)
            n_lines_total += nl
            batch = pa.record_batch([
                _ids("O", oid, 8),
                pa.array(line_no.astype(np.int64)),
                _dates(ld),
                pa.array(self.cust_ids, type=pa.string()).take(pa.array(lc)),
                pa.array(amount),
                _take(self.rep_ids, rep),
                _ids("P", prod + 1, 4),
                _take(CATEGORIES, cat),
                _take(REGIONS, region),
                _take(CHANNELS, channel),
                pa.array(qty),
                pa.array(list_amount),
                pa.array(disc),
                pa.array(cost),
                pa.repeat(pa.scalar("USD"), nl),
            ], schema=schema)
            writer.write_batch(batch)
            if m % 12 == 11 or m == self.n_months - 1:
                self.say(f"orders: {str(self.start_month + m)} done, {n_lines_total:,} lines")
        self.rev_slot_year = rev_slot_year
        self.rev_region_month = rev_region_month
        self.n_lines = n_lines_total
        share = rev_cust_last12[self.large].sum() / rev_cust_last12.sum()
        self.gt["concentration"] = {
            "large_accounts": [str(c) for c in self.cust_ids[self.large]],
            "share_last_12m": round(float(share), 4),
        }

    # ------------------------------------------------------------------ opportunities
    def opportunities(self) -> tuple[pa.Table, pa.Table]:
        rng = self.rng("opportunities")
        n_target = 25000 * self.opp_scale
        n_stalled = max(4, int(round(40 * min(self.opp_scale, 1.0))))
        horizon = np.arange(self.start, self.as_of + 1)
        eff, windows = np.zeros(self.n_reps), []
        for r in range(self.n_reps):
            lo = max(self.start, int(self.rep_hire[r]))
            hi = min(self.as_of, int(self.rep_end[r]) - 20)
            days = horizon[(horizon >= lo) & (horizon <= hi)]
            k = np.floor((days - self.rep_hire[r]) / 30.4375)
            ramp = np.clip((k + 1) / RAMP_MONTHS, 0.0, 1.0)
            mult = 1.15 if r == self.weak_rep else 0.6 if r == self.strong_rep else 1.0
            windows.append((days, ramp * mult))
            eff[r] = (ramp * mult).sum()
        rate = (n_target - n_stalled) / eff.sum()
        rep_parts, day_parts, forced_parts = [], [], []

        def draw(days: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
            cw = np.cumsum(w)
            idx = np.searchsorted(cw, rng.random(n) * cw[-1], side="right")
            return days[np.minimum(idx, len(days) - 1)]

        for r, (days, w) in enumerate(windows):
            if len(days) == 0:
                continue
            if r == self.strong_rep:
                # a fixed number of closed and open deals: a small, known sample
                few = min(self.opp_scale, 1.0)
                n_closed, n_open = max(3, round(16 * few)), max(2, round(10 * few))
                early, late = days <= self.as_of - 20, days >= self.as_of - 120
                c_days = draw(days[early], w[early], n_closed)
                o_days = draw(days[late], w[late], n_open)
                c_dur = np.minimum(rng.lognormal(math.log(70), 0.45, n_closed), self.as_of - c_days)
                o_dur = self.as_of - o_days + 1 + rng.lognormal(math.log(30), 0.5, n_open)
                day_parts.append(np.concatenate([c_days, o_days]))
                forced_parts.append(np.concatenate([c_dur, o_dur]).astype(np.int64).clip(7))
            else:
                n = rng.poisson(rate * w.sum())
                day_parts.append(draw(days, w, n))
                forced_parts.append(np.full(n, -1))
            rep_parts.append(np.full(len(day_parts[-1]), r))
        rep = np.concatenate(rep_parts)
        created = np.concatenate(day_parts)
        forced = np.concatenate(forced_parts)
        n = len(rep)
        trained = np.isin(rep, self.cohort) & (created >= self.training_day)
        p = self.true_p[rep] + 0.10 * trained
        won = rng.random(n) < p
        dur_won = rng.lognormal(math.log(55), 0.45, n)
        dur_lost = rng.lognormal(math.log(105), 0.45, n)
        strong = rep == self.strong_rep
        # 2026 hires have small samples: their cycles do not depend on the outcome, so that the
        # wins among their closed deals can be pinned to round(p * n) (no lucky streaks that
        # would outshine the planted strong rep)
        few = np.isin(rep, self.new_hire_reps)
        coin = rng.random(n) < 0.5
        dur = np.where(few, np.where(coin, dur_won, dur_lost), np.where(won, dur_won, dur_lost))
        dur = np.clip(np.round(dur), 7, 300).astype(np.int64)
        k_lost = rng.choice(4, n, p=LOST_AT)
        g = rng.gamma(3.0, 1.0, (n, 4))
        k = np.where(won, 3, k_lost)
        offs = _stage_offsets(dur, k, g)
        # no deal sits in one stage for more than MAX_STAGE_DAYS (those are the stalled ones)
        dur = np.minimum(dur, offs[np.arange(n), k] + MAX_STAGE_DAYS)
        dur = np.where(strong, forced, dur)
        close = created + dur
        closed = close <= self.as_of
        for r in self.new_hire_reps:
            sc = np.flatnonzero((rep == r) & closed)
            won[sc] = False
            won[rng.choice(sc, int(round(self.true_p[r] * len(sc))), replace=False)] = True
        k = np.where(won, 3, k_lost)
        offs[few] = _stage_offsets(dur[few], k[few], g[few])
        entered = created[:, None] + offs
        reached = (np.arange(4)[None, :] <= k[:, None]) & (entered <= self.as_of)
        cur = reached.sum(axis=1) - 1
        status = np.where(closed, np.where(won, 1, 2), 0)  # 0 open, 1 won, 2 lost
        stage = np.where(status == 1, 4, np.where(status == 2, 5, cur))
        fc = np.where(
            won,
            np.searchsorted(np.cumsum(FORECAST_IF_WON), rng.random(n), side="right"),
            np.searchsorted(np.cumsum(FORECAST_IF_LOST), rng.random(n), side="right"),
        )
        fc = np.minimum(fc, 2)
        cur_entered = entered[np.arange(n), cur]
        last_open = np.maximum(self.as_of - np.minimum(rng.exponential(8, n), 45).astype(np.int64),
                               cur_entered)
        last_act = np.where(closed, close, last_open)
        age = np.where(closed, dur, self.as_of - created)
        changes = rng.poisson(age / 120.0)
        lost = status == 2
        reason = np.searchsorted(np.cumsum(LOST_REASON_WEIGHTS), rng.random(n), side="right")
        reason = np.minimum(reason, len(LOST_REASONS) - 1)
        t = np.clip((close - self.start) / (self.as_of - self.start), 0, 1)
        p_apex = COMPETITOR_SHARE[0] + (COMPETITOR_SHARE[1] - COMPETITOR_SHARE[0]) * t
        u = rng.random(n)
        comp = np.where(u < p_apex, 0,
                        1 + np.minimum(((u - p_apex) / (1 - p_apex) * 3).astype(np.int64), 2))
        has_comp = lost & ((reason == 1) | ((reason == 0) & (rng.random(n) < 0.5)))
        # stalled deals: open, stuck in a stage entered 200-400 days ago, no recent activity
        pool = np.array(self.stable_reps)
        s_rep = pool[rng.integers(0, len(pool), n_stalled)]
        s_k = rng.integers(1, 4, n_stalled)
        s_entered = self.as_of - rng.integers(200, 401, n_stalled)
        s_created = s_entered - rng.integers(30, 121, n_stalled)
        s_offs = np.zeros((n_stalled, 4), dtype=np.int64)
        for i in range(1, 4):
            s_offs[:, i] = np.where(
                i < s_k, np.floor(i / s_k * (s_entered - s_created)).astype(np.int64),
                np.where(i == s_k, s_entered - s_created, 0))
        s_last = np.minimum(self.as_of - rng.integers(95, 181, n_stalled), self.as_of - 91)
        s_last = np.maximum(s_last, s_entered)
        s_close = s_entered + rng.integers(30, 91, n_stalled)
        # combine
        rep = np.concatenate([rep, s_rep])
        created = np.concatenate([created, s_created])
        close = np.concatenate([close, s_close])
        k = np.concatenate([k, s_k])
        status = np.concatenate([status, np.zeros(n_stalled, np.int64)])
        stage = np.concatenate([stage, s_k])
        offs = np.vstack([offs, s_offs])
        entered = created[:, None] + offs
        fc = np.concatenate([fc, rng.choice([1, 2], n_stalled, p=[0.4, 0.6])])
        last_act = np.concatenate([last_act, s_last])
        changes = np.concatenate([changes, rng.integers(2, 7, n_stalled)])
        reason = np.concatenate([reason, np.zeros(n_stalled, np.int64)])
        comp = np.concatenate([comp, np.zeros(n_stalled, np.int64)])
        lost = np.concatenate([lost, np.zeros(n_stalled, bool)])
        has_comp = np.concatenate([has_comp, np.zeros(n_stalled, bool)])
        is_stalled = np.concatenate([np.zeros(n, bool), np.ones(n_stalled, bool)])
        total = len(rep)
        amount = np.round(rng.lognormal(math.log(18000), 0.9, total), -2) + 100.0
        ocat = rng.choice(len(CATEGORIES), total, p=CAT_MIX_B2B)
        cust = self._opportunity_customers(rng, rep, created)
        order = np.lexsort((rep, created))
        inv = np.empty(total, dtype=np.int64)
        inv[order] = np.arange(total)
        ids = np.array([f"OP{i + 1:06d}" for i in range(total)], dtype=object)
        oid = ids[inv]
        # history rows
        closed_mask = status > 0
        rows_o, rows_s, rows_d = [], [], []
        for i in range(4):
            m = np.where(closed_mask, i <= k, i <= stage) & (i <= k)
            m &= entered[:, i] <= self.as_of
            rows_o.append(np.flatnonzero(m))
            rows_s.append(np.full(m.sum(), i))
            rows_d.append(entered[m, i])
        cm_ = np.flatnonzero(closed_mask)
        rows_o.append(cm_)
        rows_s.append(np.where(status[cm_] == 1, 4, 5))
        rows_d.append(close[cm_])
        ho = np.concatenate(rows_o)
        hs = np.concatenate(rows_s)
        hd = np.concatenate(rows_d)
        horder = np.lexsort((hd, inv[ho]))
        ho, hs, hd = ho[horder], hs[horder], hd[horder]
        history = pa.table({
            "opportunity_id": pa.array(oid[ho], type=pa.string()),
            "stage": _take(STAGES, hs),
            "entered_date": _dates(hd),
        })
        null_str = pa.scalar(None, pa.string())
        table = pa.table({
            "opportunity_id": pa.array(oid, type=pa.string()),
            "customer_id": pa.array(self.cust_ids[cust], type=pa.string()),
            "rep_id": _take(self.rep_ids, rep),
            "created_date": _dates(created),
            "close_date": _dates(close),
            "stage": _take(STAGES, stage),
            "status": _take(("open", "won", "lost"), status),
            "amount": pa.array(amount),
            "forecast_category": _take(FORECAST, fc),
            "lost_reason": pc.if_else(pa.array(lost), _take(LOST_REASONS, reason), null_str),
            "competitor": pc.if_else(pa.array(has_comp), _take(COMPETITORS, comp), null_str),
            "last_activity_date": _dates(last_act),
            "category": _take(CATEGORIES, ocat),
            "close_date_changes": pa.array(changes.astype(np.int64)),
        }).take(pa.array(order))
        self.gt["stalled_deals"] = sorted(str(x) for x in oid[is_stalled])
        return table, history

    def close_dates(self, opps: pa.Table) -> tuple[pa.Table, pa.Table]:
        """Expected close dates: the deals table with each open deal's close date as expected
        today, and ``close_date_history`` (the expected close date of each deal as it changed).

        Reps expect deals sooner than they close. A deal's ``close_date_changes`` changes fall on
        days drawn evenly between its creation and its close (or today, for a deal still open),
        each one pushing the expected date by a Gamma(2, 12)-day slip; the last change before a
        deal closed set its actual close date. A deal that will close after today has
        Poisson(days to go / 120) slips still to come: today it is expected that much sooner (the
        deals table records that date, as a CRM does; it may already be past). An expected date is
        never set less than a week after the day it was set (two weeks at creation), so a few deals
        are pulled in instead. A deal that never changed has one row, at its creation. Drawn from
        its own random stream: of the other tables, only the open deals' close dates change.
        """
        rng = self.rng("close_dates")
        oid = opps["opportunity_id"].to_numpy(zero_copy_only=False)
        created = opps["created_date"].cast(pa.int32()).to_numpy().astype(np.int64)
        final = opps["close_date"].cast(pa.int32()).to_numpy().astype(np.int64)
        n_ch = opps["close_date_changes"].to_numpy().astype(np.int64)
        is_open = (opps["status"].to_numpy(zero_copy_only=False) == "open")
        ahead = is_open & (final > self.as_of)
        to_come = np.where(ahead, rng.poisson(np.clip(final - self.as_of, 0, None) / 120.0), 0)
        later = np.bincount(np.repeat(np.arange(len(oid)), to_come), minlength=len(oid),
                            weights=np.round(rng.gamma(2.0, 12.0, to_come.sum())) + 1).astype(np.int64)
        end = np.minimum(final, self.as_of)
        n_ch = np.where(end > created, n_ch, 0)
        idx = np.repeat(np.arange(len(oid)), n_ch)
        span = (end - created)[idx]
        day = created[idx] + np.ceil(rng.random(len(idx)) * span).astype(np.int64).clip(1)
        order = np.lexsort((day, idx))
        idx, day = idx[order], day[order]
        slip = np.round(rng.gamma(2.0, 12.0, len(idx))).astype(np.int64) + 1
        total = np.bincount(idx, weights=slip, minlength=len(oid)).astype(np.int64)
        upto = np.cumsum(slip) - np.concatenate([[0], np.cumsum(slip)])[np.searchsorted(idx, idx)]
        last = np.r_[idx[1:] != idx[:-1], True]  # the change that set today's date
        last_day = created.copy()
        last_day[idx[last]] = day[last]
        # today's expected date: the actual close, sooner by the slips still to come
        now = np.where(ahead, np.maximum(final - later, last_day + np.where(n_ch > 0, 7, 14)),
                       final)
        expected = now[idx] - (total[idx] - upto)
        expected = np.where(last, now[idx], np.maximum(expected, day + 7))
        first = np.maximum(now - total, created + 14)
        first = np.where(n_ch > 0, first, now)
        rows_o = np.concatenate([np.arange(len(oid)), idx])
        rows_d = np.concatenate([created, day])
        rows_e = np.concatenate([first, expected])
        seq = np.arange(len(rows_o))
        order = np.lexsort((seq, rows_d, rows_o))
        rows_o, rows_d, rows_e = rows_o[order], rows_d[order], rows_e[order]
        keep = np.r_[(rows_o[1:] != rows_o[:-1]) | (rows_d[1:] != rows_d[:-1]), True]
        history = pa.table({
            "opportunity_id": pa.array(oid[rows_o[keep]], type=pa.string()),
            "changed_date": _dates(rows_d[keep]),
            "close_date": _dates(rows_e[keep]),
        })
        i = opps.schema.get_field_index("close_date")
        return opps.set_column(i, opps.schema.field(i), _dates(now)), history

    def _opportunity_customers(self, rng: np.random.Generator, rep: np.ndarray,
                               created: np.ndarray) -> np.ndarray:
        """A B2B customer of the rep's book that signed up before the deal was created."""
        out = np.empty(len(rep), dtype=np.int64)
        b2b = np.flatnonzero(self.c_b2b & (self.c_cm > 0))
        by_signup = b2b[np.argsort(self.c_signup[b2b], kind="stable")]
        for r in range(self.n_reps):
            sel = np.flatnonzero(rep == r)
            if len(sel) == 0:
                continue
            book = by_signup[self.c_slot[by_signup] == self.rep_slot[r]]
            if len(book) == 0:
                book = by_signup[self.c_region[by_signup] == self.rep_region[r]]
            if len(book) == 0:
                book = by_signup
            avail = np.searchsorted(self.c_signup[book], created[sel], side="right")
            avail = np.maximum(avail, 1)
            out[sel] = book[(rng.random(len(sel)) * avail).astype(np.int64)]
        return out

    # ------------------------------------------------------------------ targets
    def targets(self) -> pa.Table:
        n_years = self.target_months // 12
        region_year = np.zeros((len(REGIONS), n_years))
        team_year = np.zeros((len(self.team_names), n_years))
        for s in range(self.n_slots):
            region_year[self.slot_region[s]] += self.rev_slot_year[s, :n_years]
            team_year[self.slot_team[s]] += self.rev_slot_year[s, :n_years]
        # expected book weights for the first year (no actuals before the history starts)
        exp_slot = np.bincount(self.c_slot, weights=self.c_weight * (self.c_sm < 6)
                               * (self.c_cm > 6), minlength=self.n_slots)
        # holder shares per rep, slot and month (ramp-ups share the book with the team lead)
        days = np.arange(self.month_start[0], self.month_start[-1])
        mi = self.month_index(days)
        rep_slot_month = np.zeros((self.n_reps, self.n_slots, self.target_months))
        for s in range(self.n_slots):
            holder, lead, share = self.holder_shares(np.full(len(days), s), days)
            np.add.at(rep_slot_month, (holder, s, mi), share)
            np.add.at(rep_slot_month, (lead, s, mi), 1.0 - share)
        periods, levels, keys, amounts = [], [], [], []
        for y in range(n_years):
            if y == 0:
                first = self.K * self.exp_rev_unit[:12].sum()
                year_target = first / (1 + ANNUAL_GROWTH) * 1.1
                slot_share = exp_slot
            else:
                year_target = 1.1 * self.rev_slot_year[:, y - 1].sum()
                slot_share = np.maximum(self.rev_slot_year[:, y - 1], 0.0)
            reg_share = np.bincount(self.slot_region, weights=slot_share, minlength=len(REGIONS))
            team_share = np.bincount(self.slot_team, weights=slot_share,
                                     minlength=len(self.team_names))
            months = _largest_remainder(int(round(year_target)), MONTHLY_SHAPE)
            for mo in range(12):
                m = 12 * y + mo
                period = self.periods[m]
                company = int(months[mo])
                self._add(periods, levels, keys, amounts, period, "company", ["all"], [company])
                reg = _largest_remainder(company, reg_share)
                self._add(periods, levels, keys, amounts, period, "region", REGIONS, reg)
                for r in range(len(REGIONS)):
                    teams = [2 * r, 2 * r + 1]
                    tv = _largest_remainder(int(reg[r]), team_share[teams])
                    self._add(periods, levels, keys, amounts, period, "team",
                              [self.team_names[t] for t in teams], tv)
                    for t, t_amount in zip(teams, tv, strict=True):
                        slots = np.flatnonzero(self.slot_team == t)
                        sw = slot_share[slots] / max(slot_share[slots].sum(), 1e-9)
                        rep_w = (rep_slot_month[:, slots, m] * sw[None, :]).sum(axis=1)
                        reps = np.flatnonzero(rep_w > 0)
                        rv = _largest_remainder(int(t_amount), rep_w[reps])
                        self._add(periods, levels, keys, amounts, period, "rep",
                                  [self.rep_ids[i] for i in reps], rv)
        return pa.table({
            "period": pa.array(periods),
            "level": pa.array(levels),
            "key": pa.array(keys),
            "amount": pa.array(np.array(amounts, dtype=float)),
        })

    @staticmethod
    def _add(periods: list, levels: list, keys: list, amounts: list, period: str, level: str,
             names: Any, values: Any) -> None:
        for name, value in zip(names, values, strict=True):
            periods.append(period)
            levels.append(level)
            keys.append(name)
            amounts.append(float(value))

    # ------------------------------------------------------------------ feedback, market, training
    def feedback(self) -> pa.Table:
        rng = self.rng("feedback")
        n = self.n_customers
        base = np.where(self.c_b2b, 7.6, 7.1) + rng.normal(0, 1.0, n)
        q = np.where(self.c_b2b, 0.05, 0.02)
        cols: dict[str, list[np.ndarray]] = {"c": [], "d": [], "nps": [], "csat": []}
        for m in range(self.n_months):
            resp = np.flatnonzero((self.c_sm < m) & (m < self.c_cm) & (rng.random(n) < q))
            ndays = min(int(self.month_start[m + 1]), self.as_of + 1) - int(self.month_start[m])
            day = self.month_start[m] + rng.integers(0, ndays, len(resp))
            to_churn = self.c_cm[resp] - m
            penalty = np.where((to_churn >= 1) & (to_churn <= 6), 3.0, 0.0)
            score = base[resp] + rng.normal(0, 1.2, len(resp)) - penalty
            cols["c"].append(resp)
            cols["d"].append(day)
            cols["nps"].append(np.clip(np.rint(score), 0, 10) + 0.0)
            cols["csat"].append(np.clip(np.rint(1 + 0.4 * score + rng.normal(0, 0.5, len(resp))),
                                        1, 5))
        c, d = np.concatenate(cols["c"]), np.concatenate(cols["d"])
        order = np.lexsort((c, d))
        return pa.table({
            "customer_id": pa.array(self.cust_ids[c[order]], type=pa.string()),
            "date": _dates(d[order]),
            "nps": pa.array(np.concatenate(cols["nps"])[order]),
            "csat": pa.array(np.concatenate(cols["csat"])[order]),
        })

    def market(self) -> pa.Table:
        rng = self.rng("market")
        nm, nr = self.n_months, len(REGIONS)
        base = rng.uniform(0.06, 0.12, nr)
        slope = rng.uniform(-0.025, 0.025, nr)
        t = np.arange(nm)[:, None] / max(nm - 1, 1)
        wiggle = np.cumsum(rng.normal(0, 0.002, (nm, nr)), axis=0)
        share = np.clip(base[None, :] + slope[None, :] * t + wiggle, 0.05, 0.15)
        w_region = np.stack([
            self.active_weight(self.c_region == r, self.c_cm)[:nm] for r in range(nr)], axis=1)
        w_all = w_region.sum(axis=1, keepdims=True)
        expected = self.K * self.exp_rev_unit[:nm, None] * w_region / w_all
        size = np.round(expected / share * rng.normal(1.0, 0.02, (nm, nr)), 0)
        self.gt["market"] = {
            "share_first": {REGIONS[r]: round(float(share[0, r]), 4) for r in range(nr)},
            "share_last": {REGIONS[r]: round(float(share[-1, r]), 4) for r in range(nr)},
        }
        return pa.table({
            "period": pa.array(np.repeat(self.periods[:nm], nr).tolist()),
            "region": pa.array(list(REGIONS) * nm),
            "market_size": pa.array(size.ravel()),
        })

    def training(self) -> pa.Table:
        rng = self.rng("training")
        rows: list[tuple[int, int, str]] = []
        for r in range(self.n_reps):
            hire, end = int(self.rep_hire[r]), int(self.rep_end[r])
            if hire >= self.start:
                rows.append((r, hire + 3, "Onboarding"))
            for y in range(2022, int(self.end_month[:4]) + 1):
                d = _day(f"{y}-01-20") + int(rng.integers(0, 20))
                if hire <= d <= min(end, self.as_of):
                    rows.append((r, d, "Compliance"))
            for topic in TRAINING_TOPICS[2:]:
                if rng.random() < 0.4:
                    d = int(rng.integers(self.start, self.as_of + 1))
                    if hire <= d <= min(end, self.as_of):
                        rows.append((r, d, topic))
        for r in self.cohort:
            rows.append((r, self.training_day, "Negotiation"))
        rows.sort(key=lambda x: (x[1], x[0], x[2]))
        self.gt["training"] = {
            "cohort": [self.rep_ids[r] for r in self.cohort],
            "date": _iso(self.training_day),
            "topic": "Negotiation",
            "win_rate_effect": 0.10,
        }
        return pa.table({
            "rep_id": pa.array([self.rep_ids[r] for r, _, _ in rows], type=pa.string()),
            "date": _dates(np.array([d for _, d, _ in rows], dtype=np.int64)),
            "topic": pa.array([t for _, _, t in rows], type=pa.string()),
        })

    # ------------------------------------------------------------------ ground truth
    def ground_truth(self) -> dict[str, Any]:
        cny = {str(y): d for y, d in CNY_DATES.items()}
        gt: dict[str, Any] = {
            "version": GENERATOR_VERSION,
            "seed": self.seed,
            "scale": self.scale,
            **({"reps_option": self.reps_wanted} if self.reps_wanted is not None else {}),
            "start": START,
            "end": _iso(self.as_of),
            "as_of": _iso(self.as_of),
            "n_order_lines": int(self.n_lines),
            "seasonality": {
                "monthly": [float(x) for x in MONTHLY_SHAPE],
                "cny": {"depth": CNY_DEPTH, "days_before": CNY_BEFORE, "days_after": CNY_AFTER,
                        "dates": cny},
            },
            "trend": {"annual_growth": ANNUAL_GROWTH},
            "anomaly": {"region": "West", "month": str(self.start_month + self.anomaly_m),
                        "factor": 1.8},
            "discount_creep": {"category": "Hardware",
                               "start": str(self.start_month + self.creep_m),
                               "discount_before": 0.10, "discount_end": 0.22},
            "returns": {"share_of_lines": RETURN_SHARE},
            "opportunities": {
                "competitor_gaining": COMPETITOR_GAINING,
                "competitor_share_first_last": list(COMPETITOR_SHARE),
                "forecast_win_order": ["commit", "best_case", "pipeline"],
                "median_cycle_days": {"won": 55, "lost": 105},
            },
            "feedback": {"nps_drop_before_churn": 3.0, "months_before": 6},
        }
        gt.update(self.gt)
        return gt


ORDERS_SCHEMA = pa.schema([
    ("order_id", pa.string()), ("line_no", pa.int64()), ("order_date", pa.date32()),
    ("customer_id", pa.string()), ("amount", pa.float64()), ("rep_id", pa.string()),
    ("product_id", pa.string()), ("category", pa.string()), ("region", pa.string()),
    ("channel", pa.string()), ("quantity", pa.float64()), ("list_amount", pa.float64()),
    ("discount", pa.float64()), ("cost", pa.float64()), ("currency", pa.string()),
])


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")


def generate(out_dir: str | os.PathLike[str], *, scale: float = 1.0, seed: int = 20261,
             end_month: str = "2026-10", reps: int | None = None,
             progress: Callable[[str], None] | None = None) -> Path:
    """Generate the demo company into a folder.

    Parameters
    ----------
    out_dir : path
        Destination folder. It is built in a temporary sibling folder and renamed into place,
        replacing an existing folder, so a half-written demo never exists.
    scale : float
        Size multiplier: about ``1_000_000 * scale`` order lines and ``20_000 * scale``
        customers; about 60 reps up to scale 1, more beyond.
    seed : int
        Random seed; the same seed and scale give byte-identical files.
    end_month : str
        Last month of the history ("YYYY-MM"); its last day is the as-of date.
    reps : int, optional
        Number of reps (48..2000) for the same number of order lines and customers (e.g. 500 to
        measure the cost of a scorecard per rep); default: about 60 up to scale 1. The default
        demo does not change.
    progress : callable, optional
        Called with short progress messages.

    Returns
    -------
    Path
        The folder with one Parquet file per table and ``ground_truth.json``.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    demo = _Demo(scale, seed, end_month, progress, reps=reps)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        os.chmod(tmp, 0o755)
        demo.say("products, reps, customers")
        _write(demo.products(), tmp / "products.parquet")
        _write(demo.reps(), tmp / "reps.parquet")
        _write(demo.customers(), tmp / "customers.parquet")
        demo.plan_months()
        with pq.ParquetWriter(tmp / "orders.parquet", ORDERS_SCHEMA, compression="zstd") as w:
            demo.orders(w, ORDERS_SCHEMA)
        demo.say("opportunities")
        opps, history = demo.opportunities()
        opps, close_history = demo.close_dates(opps)
        _write(opps, tmp / "opportunities.parquet")
        _write(history, tmp / "opportunity_history.parquet")
        _write(close_history, tmp / "close_date_history.parquet")
        demo.say("targets, feedback, market, training")
        _write(demo.targets(), tmp / "targets.parquet")
        _write(demo.feedback(), tmp / "feedback.parquet")
        _write(demo.market(), tmp / "market.parquet")
        _write(demo.training(), tmp / "training.parquet")
        (tmp / "ground_truth.json").write_text(
            json.dumps(demo.ground_truth(), indent=1, sort_keys=True) + "\n")
        (tmp / ".gitignore").write_text("*\n")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rename(out, old / out.name)
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    demo.say(f"demo written to {out}")
    return out


def default_demo_dir(scale: float = 1.0, reps: int | None = None) -> Path:
    """Where the demo company of a given scale (and number of reps) lives.

    ``<repo>/data/demo`` for scale 1 and ``<repo>/data/demo-s<scale>`` otherwise, plus
    ``-r<reps>`` with the ``reps`` option; the environment variable ``SALESNB_DATA_DIR`` replaces
    ``<repo>/data``.
    """
    env = os.environ.get("SALESNB_DATA_DIR")
    if env:
        base = Path(env)
    else:
        import salesnb

        base = Path(salesnb.__file__).resolve().parents[1] / "data"
    name = "demo" if float(scale) == 1.0 else f"demo-s{float(scale):g}"
    if reps is not None:
        name += f"-r{int(reps)}"
    return base / name


def _is_current(folder: Path, scale: float, seed: int, reps: int | None = None) -> bool:
    try:
        gt = json.loads((folder / "ground_truth.json").read_text())
    except (OSError, ValueError):
        return False
    return (gt.get("seed") == seed and float(gt.get("scale", -1)) == float(scale)
            and gt.get("version") == GENERATOR_VERSION and gt.get("reps_option") == reps)


def ensure_demo(*, scale: float = 1.0, seed: int = 20261,
                path: str | os.PathLike[str] | None = None, reps: int | None = None,
                progress: Callable[[str], None] | None = None) -> Path:
    """Return the demo folder, generating it first if it is missing or stale.

    A lock file beside the folder makes concurrent callers (pytest workers, parallel notebooks)
    wait for one generation instead of generating twice.

    Parameters
    ----------
    scale, seed, reps : float, int, int or None
        As for :func:`generate`.
    path : path, optional
        Folder to use; defaults to :func:`default_demo_dir` for the scale and reps.
    progress : callable, optional
        Called with short progress messages while generating.

    Returns
    -------
    Path
        The demo folder.
    """
    folder = Path(path) if path is not None else default_demo_dir(scale, reps)
    if _is_current(folder, scale, seed, reps):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock = folder.parent / f".{folder.name}.lock"
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            if not _is_current(folder, scale, seed, reps):
                generate(folder, scale=scale, seed=seed, reps=reps, progress=progress)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return folder


def load_ground_truth(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read ``ground_truth.json`` of a demo folder (default: :func:`default_demo_dir`).

    ``path`` may be the folder or the JSON file itself.
    """
    p = Path(path) if path is not None else default_demo_dir()
    if p.is_dir():
        p = p / "ground_truth.json"
    return json.loads(p.read_text())
