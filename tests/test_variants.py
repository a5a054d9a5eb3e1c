"""The robustness variants: each is the small demo company changed in exactly the stated way."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from salesnb.data import variants as v


@pytest.fixture(scope="module")
def demo_small():
    from salesnb.data.demo import ensure_demo

    return ensure_demo(scale=v.DEFAULT_SCALE)


@pytest.fixture(scope="module")
def base(demo_small) -> dict[str, pd.DataFrame]:
    return v._read(demo_small)[0]


def _month(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.to_period("M")


def _end(t) -> pd.Period:
    return _month(t["orders"].order_date).max()


def _referentially_whole(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    if "customers" in t:
        assert set(o.customer_id) <= set(t["customers"].customer_id)
    if "reps" in t:
        assert set(o.rep_id.dropna()) <= set(t["reps"].rep_id)
    if "opportunities" in t:
        op = t["opportunities"]
        if "customers" in t:
            assert set(op.customer_id) <= set(t["customers"].customer_id)
        if "reps" in t:
            assert set(op.rep_id) <= set(t["reps"].rep_id)
        if "opportunity_history" in t:
            assert set(t["opportunity_history"].opportunity_id) <= set(op.opportunity_id)
    if "feedback" in t and "customers" in t:
        assert set(t["feedback"].customer_id) <= set(t["customers"].customer_id)


def test_every_variant_is_listed_and_referentially_whole(base):
    assert list(v.VARIANTS)[:6] == [f"months_{n}" for n in (3, 6, 12, 18, 23, 36)]
    assert len(v.VARIANTS) == 24
    for name in v.VARIANTS:
        t = v.transform(name, base)
        assert len(t["orders"]) > 0, name
        _referentially_whole(t)
    with pytest.raises(KeyError, match="one of: months_3"):
        v.transform("months_2", base)


@pytest.mark.parametrize("n", [3, 12, 23])
def test_months_keep_the_last_n_months_in_every_table(base, n):
    end = _end(base)
    t = v.transform(f"months_{n}", base)
    first = end - (n - 1)
    assert _month(t["orders"].order_date).min() == first
    assert _month(t["orders"].order_date).nunique() == n
    for name, col in [("opportunities", "created_date"), ("opportunity_history", "entered_date"),
                      ("feedback", "date"), ("training", "date")]:
        assert _month(t[name][col]).min() >= first, name
    for name in ("targets", "market"):
        assert t[name].period.min() == str(first), name
    assert len(t["opportunities"]) < len(base["opportunities"])


def test_table_subsets(base):
    alone = v.transform("orders_only", base)
    assert set(alone) == {"orders"} and list(alone["orders"].columns) == list(v.ORDERS_ALONE)
    assert len(alone["orders"]) == len(base["orders"])
    assert set(base) - set(v.transform("no_opportunities", base)) == {
        "opportunities", "opportunity_history", "close_date_history"}
    assert set(base) - set(v.transform("no_targets", base)) == {"targets"}
    assert set(base) - set(v.transform("no_customers", base)) == {"customers"}
    same = v.transform("fiscal_april", base)
    assert v.variant_params("fiscal_february") == {"fiscal_year_start": 2}
    for name, df in base.items():
        pd.testing.assert_frame_equal(same[name], df.reset_index(drop=True))


def test_one_region_rep_category_and_twenty_customers(base):
    t = v.transform("one_region", base)
    assert t["orders"].region.nunique() == 1
    region = t["orders"].region.iloc[0]
    tg = t["targets"]
    company = tg[tg.level == "company"].set_index("period").amount
    own = tg[(tg.level == "region") & (tg.key == region)].set_index("period").amount
    pd.testing.assert_series_equal(company, own, check_names=False)
    assert set(tg[tg.level == "region"].key) == {region}
    assert set(t["market"].region) == {region}

    t = v.transform("one_rep", base)
    assert t["orders"].rep_id.nunique() == 1 and len(t["reps"]) == 1
    assert set(t["opportunities"].rep_id) == set(t["reps"].rep_id)
    assert t["targets"].groupby(["period"]).amount.nunique().max() == 1  # every level = the rep

    t = v.transform("one_category", base)
    assert t["orders"].category.nunique() == 1
    assert t["products"].category.nunique() == 1
    share = t["orders"].amount.sum() / base["orders"].amount.sum()
    assert t["targets"].amount.sum() == pytest.approx(base["targets"].amount.sum() * share, rel=1e-3)

    t = v.transform("twenty_customers", base)
    assert t["orders"].customer_id.nunique() == 20 and len(t["customers"]) == 20


def test_deal_outcomes(base):
    t = v.transform("all_open", base)
    assert (t["opportunities"].status == "open").all()
    assert not t["opportunity_history"].stage.isin(["Closed Won", "Closed Lost"]).any()
    assert not t["opportunities"].stage.isin(["Closed Won", "Closed Lost"]).any()

    t = v.transform("no_recent_closed", base)
    op = t["opportunities"]
    since = (_end(base) - 11).to_timestamp()
    closed = op[op.status != "open"]
    assert len(closed) > 0 and (pd.to_datetime(closed.close_date) < since).all()
    assert (op.status == "open").any()


def test_mid_month_and_empty_month(base):
    t = v.transform("mid_month", base)
    end = pd.to_datetime(base["orders"].order_date).max()
    cut = pd.Timestamp(end.year, end.month, 15)
    assert pd.to_datetime(t["orders"].order_date).max() == cut
    op = t["opportunities"]
    assert (pd.to_datetime(op.created_date) <= cut).all()
    closed = op[op.status != "open"]
    assert (pd.to_datetime(closed.close_date) <= cut).all()
    reopened = op.opportunity_id.isin(
        base["opportunities"].query("status != 'open'").opportunity_id) & (op.status == "open")
    assert reopened.any()  # deals closed after the 15th are open again, in an open stage
    assert not op[reopened].stage.isin(["Closed Won", "Closed Lost"]).any()
    assert (pd.to_datetime(t["opportunity_history"].entered_date) <= cut).all()
    # an open deal's close date is the one expected on the 15th, not its later (final) one
    c = t["close_date_history"]
    assert (pd.to_datetime(c.changed_date) <= cut).all()
    then = (c.sort_values("changed_date", kind="stable").groupby("opportunity_id").close_date.last())
    still = op[op.status == "open"].set_index("opportunity_id").close_date
    assert (pd.to_datetime(still) == pd.to_datetime(then.reindex(still.index))).all()
    final = base["opportunities"].set_index("opportunity_id").close_date
    assert (pd.to_datetime(still[reopened[op.status == "open"].to_numpy()])
            != pd.to_datetime(final.reindex(still.index)[reopened[op.status == "open"].to_numpy()])).any()

    t = v.transform("empty_month", base)
    months = _month(t["orders"].order_date).value_counts()
    gap = _end(base) - 3
    assert gap not in months.index
    assert months[gap - 1] > 0 and months[gap + 1] > 0


def test_eur_and_params(base):
    t = v.transform("eur", base)
    assert (t["orders"].currency == "EUR").all()
    declared = v.declared_parameters()
    for name in v.VARIANTS:
        got, pending = v.variant_params(name), v.pending_params(name)
        assert set(got) <= declared and not set(pending) & declared
        assert {**got, **pending} == v._PARAMS.get(name, {})
    assert v.variant_params("eur")["currency_symbol"] == "€"
    assert v.variant_params("months_3") == {}


@pytest.mark.parametrize("name", ["mid_month", "one_region", "months_3"])
def test_written_variant_validates(tmp_path, demo_small, name):
    from salesnb.data.sources import open_folder
    from salesnb.data.validate import validate

    out = v.make_variant(name, tmp_path / name, demo_dir=demo_small)
    meta = json.loads((out / "variant.json").read_text())
    assert meta["variant"] == name and meta["rows"]["orders"] > 0
    ds = open_folder(out)
    errors = [p for p in validate(ds) if p.severity == "error"]
    assert not errors, [str(p) for p in errors]
    if name == "mid_month":
        assert ds.as_of.day == 15


def test_cli(tmp_path, demo_small, capsys):
    assert v.main(["--list"]) == 0
    assert "no_recent_closed" in capsys.readouterr().out
    assert v.main(["eur", str(tmp_path / "eur"), "--demo-dir", str(demo_small)]) == 0
    assert (tmp_path / "eur" / "orders.parquet").exists()
    assert v.main(["nope", str(tmp_path / "x")]) == 2
