"""Tests of salesnb.clv: published CDNOW estimates, parameter recovery, predictions, CLV."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special

from salesnb import clv

CDNOW = Path(__file__).parent / "data" / "cdnow_summary.csv"
# Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2)
BGNBD_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
BGNBD_PUBLISHED_LL = -9582.4
# Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4); Fader & Hardie (2013) gamma-gamma note
GG_PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    # columns: ID, x (repeat purchases), t_x (recency, weeks), T (weeks), zbar (mean repeat value)
    return pd.read_csv(CDNOW).rename(
        columns={"x": "frequency", "t_x": "recency", "zbar": "monetary"}
    )


def test_cdnow_loglik_at_published_parameters(cdnow):
    ll = clv.bgnbd_loglik(BGNBD_PUBLISHED, cdnow.frequency, cdnow.recency, cdnow["T"])
    assert ll == pytest.approx(BGNBD_PUBLISHED_LL, abs=0.05)


def test_cdnow_bgnbd_fit_reproduces_published(cdnow):
    res = clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow["T"])
    assert res.converged
    assert res.n == 2357
    for k, v in BGNBD_PUBLISHED.items():
        assert round(res.params[k], 3) == pytest.approx(v, abs=0.0011), k
    assert res.loglik == pytest.approx(BGNBD_PUBLISHED_LL, abs=0.05)
    s = res.summary()
    assert list(s.parameter) == ["r", "alpha", "a", "b"]
    assert (s.ci_low < s.estimate).all() and (s.estimate < s.ci_high).all()


def test_cdnow_gamma_gamma_fit_reproduces_published(cdnow):
    rep = cdnow[cdnow.frequency > 0]
    res = clv.fit_gamma_gamma(rep.frequency, rep.monetary)
    assert res.n == 946
    assert res.params["p"] == pytest.approx(GG_PUBLISHED["p"], abs=0.01)
    assert res.params["q"] == pytest.approx(GG_PUBLISHED["q"], abs=0.01)
    assert res.params["gamma"] == pytest.approx(GG_PUBLISHED["gamma"], abs=0.01)
    ll_pub = clv.gamma_gamma_loglik(GG_PUBLISHED, rep.frequency, rep.monetary)
    assert res.loglik >= ll_pub - 1e-9
    # the published independence check: correlation of frequency and spend is weak (0.11)
    ind = clv.independence_check(rep.frequency, rep.monetary)
    assert ind["pearson_r"] == pytest.approx(0.11, abs=0.01)
    assert ind["independent"]


def test_bgnbd_recovers_simulated_parameters():
    truth = {"r": 0.5, "alpha": 6.0, "a": 0.8, "b": 3.0}
    rng = np.random.default_rng(7)
    n = 30_000
    sim = clv.simulate_bgnbd(n, truth, T=rng.uniform(20, 52, n), rng=rng)
    res = clv.fit_bgnbd(sim.frequency, sim.recency, sim["T"])
    for k, v in truth.items():
        se = res.std_errors[k]
        assert np.isfinite(se) and se > 0
        assert abs(res.params[k] - v) < 3.5 * se, (k, res.params[k], se)


def test_gamma_gamma_recovers_simulated_parameters():
    truth = {"p": 4.0, "q": 3.0, "gamma": 20.0}
    rng = np.random.default_rng(11)
    x = rng.integers(1, 12, 20_000).astype(float)
    m = clv.simulate_gamma_gamma(x, truth, rng=rng)
    res = clv.fit_gamma_gamma(x, m)
    for k, v in truth.items():
        assert abs(res.params[k] - v) < 3.5 * res.std_errors[k], (k, res.params[k])
    assert clv.independence_check(x, m)["independent"]
    # shrinkage: expected spend lies between the customer's mean and the population mean
    e = res.expected_spend(x[:100], m[:100])
    lo = np.minimum(m[:100], res.population_mean)
    hi = np.maximum(m[:100], res.population_mean)
    assert np.all((e >= lo - 1e-9) & (e <= hi + 1e-9))


def test_hypergeometric_matches_scipy_where_scipy_is_accurate():
    a = np.array([0.3, 1.2, 2.5, 4.0])
    b = np.array([-0.2, 0.5, 1.5, 0.9])
    c = np.array([3.1, 2.2, 5.0, 7.5])
    z = np.array([0.1, 0.4, 0.7, 0.9])
    np.testing.assert_allclose(clv.hyp2f1_euler(a, b, c, z), special.hyp2f1(a, b, c, z), rtol=1e-10)


def test_expected_purchases_against_simulation_and_formula(cdnow):
    truth = BGNBD_PUBLISHED
    rng = np.random.default_rng(3)
    n = 40_000
    sim = clv.simulate_bgnbd(n, truth, T=rng.uniform(27, 39, n), holdout=39, rng=rng)
    model = clv.BGNBDResult(params=dict(truth), loglik=np.nan, n=n)
    pred = model.expected_purchases(39, sim.frequency, sim.recency, sim["T"])
    assert pred.sum() == pytest.approx(sim.holdout_purchases.sum(), rel=0.04)
    tab = clv.holdout_comparison(
        model, sim.frequency, sim.recency, sim["T"], sim.holdout_purchases, t_holdout=39
    )
    assert list(tab.columns) == ["frequency", "customers", "actual", "predicted"]
    assert tab.customers.sum() == n
    # textbook form with scipy's hyp2f1 on CDNOW (moderate arguments, where it is accurate)
    r, alpha, a, b = (truth[k] for k in ("r", "alpha", "a", "b"))
    x, tx, T = cdnow.frequency.to_numpy(), cdnow.recency.to_numpy(), cdnow["T"].to_numpy()
    t = 39.0
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    den = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    np.testing.assert_allclose(model.expected_purchases(t, x, tx, T), num / den, rtol=1e-8)
    # unconditional E[X(t)] equals the conditional expectation of a brand-new customer
    np.testing.assert_allclose(
        model.expected_purchases_new([10.0])[0],
        model.expected_purchases(10.0, [0], [0], [0])[0],
        rtol=1e-10,
    )


def test_p_alive_properties():
    model = clv.BGNBDResult(params=dict(BGNBD_PUBLISHED), loglik=np.nan, n=0)
    assert model.p_alive([0], [0], [30])[0] == 1.0
    # the longer the silence since the last purchase, the lower P(alive)
    p = model.p_alive([3, 3, 3], [10, 10, 10], [12, 30, 60])
    assert p[0] > p[1] > p[2] > 0
    # simulated truly-dead customers get lower P(alive) than the living
    rng = np.random.default_rng(5)
    sim = clv.simulate_bgnbd(20_000, BGNBD_PUBLISHED, T=52, rng=rng)
    pa = model.p_alive(sim.frequency, sim.recency, sim["T"])
    rep = sim.frequency > 0
    assert pa[rep & sim.alive].mean() > pa[rep & ~sim.alive].mean() + 0.2


def test_customer_lifetime_value():
    model = clv.BGNBDResult(params=dict(BGNBD_PUBLISHED), loglik=np.nan, n=0)
    x, tx, T = [0, 2, 5], [0, 10, 30], [39, 39, 39]
    undiscounted = clv.customer_lifetime_value(
        model, x, tx, T, spend=50.0, horizon=12, period=4.35, discount_rate=0.0
    )
    direct = 50.0 * model.expected_purchases(12 * 4.35, x, tx, T)
    np.testing.assert_allclose(undiscounted, direct, rtol=1e-10)
    disc = clv.customer_lifetime_value(
        model, x, tx, T, spend=[50, 50, 50], horizon=12, period=4.35, discount_rate=0.01, margin=0.3
    )
    assert np.all(disc < 0.3 * undiscounted) and np.all(disc > 0)


def test_input_validation():
    with pytest.raises(ValueError, match="recency"):
        clv.fit_bgnbd([1, 2], [5, 50], [10, 40])
    with pytest.raises(ValueError, match="recency 0"):
        clv.fit_bgnbd([0], [3], [10])
    with pytest.raises(ValueError, match="repeat purchase"):
        clv.fit_gamma_gamma([0, 2], [10.0, 12.0])


def test_fast_hypergeometric_path_agrees_with_series():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2000, 5000).astype(float)
    a, b, r = 0.27, 12.0, 0.74
    z = rng.uniform(0, 0.98, 5000)
    c = a + b + x - 1
    np.testing.assert_allclose(
        clv._hyp2f1(a + b - 1 - r, a - 1, c, z),
        clv.hyp2f1_euler(a + b - 1 - r, a - 1, c, z),
        rtol=1e-10,
    )


def _poisson_buyers(n=2000, seed=3):
    """Customers who buy at steady Poisson rates and never drop out: BG/NBD's a runs to 0."""
    rng = np.random.default_rng(seed)
    lam, T = rng.gamma(2.0, 1 / 20, n), rng.uniform(20, 100, n)
    counts = rng.poisson(lam * T)
    last = np.array([rng.uniform(0, t, c).max() if c else 0.0 for c, t in zip(counts, T,
                                                                             strict=True)])
    freq = np.where(counts > 1, counts - 1, 0).astype(float)
    return freq, np.where(freq > 0, last, 0.0), T


def test_bgnbd_fit_on_a_bound_is_not_converged():
    # issue 13: a fit ending on a bound (a = 0) reported "converged"
    freq, rec, T = _poisson_buyers()
    bg = clv.fit_bgnbd(freq, rec, T)
    assert not bg.converged and not bg.trustworthy
    assert any("parameter a" in p for p in bg.problems)
    d = clv.clv_diagnosis(bg, None)
    assert not d["purchase_model_ok"] and not d["clv_ok"] and "edge of its range" in d["reason"]


def test_a_problem_of_both_fits_is_said_once():
    """Maven CRM's 04 gave four reasons, the same two for the whole history and again for the
    calibration period ("purchase model (BG/NBD): parameter a ran to the edge …; … on the calibration
    period: parameter a ran to the edge …"). A problem both fits share is said once, for both."""
    freq, rec, T = _poisson_buyers()
    bg = clv.fit_bgnbd(freq, rec, T)
    assert bg.problems
    d = clv.clv_diagnosis(bg, None, holdout_fit=bg)
    purchase = [str(p) for p in d["problems"] if str(p).startswith("purchase model")]
    assert len(purchase) == len(bg.problems)
    assert all(p.startswith("purchase model (BG/NBD), on the whole history and on the calibration "
                            "period: ") for p in purchase)
    assert d["reason"].count("edge of its range") == 1


def _twenty_customers():
    rng = np.random.default_rng(20)
    freq = rng.integers(0, 3, 20).astype(float)
    rec = np.where(freq > 0, rng.uniform(0, 10, 20), 0.0)
    return freq, rec, np.full(20, 12.0)


def test_a_fit_the_data_cannot_pin_down_is_not_trusted():
    """20 customers: the optimiser stops short of its bound at a = 1.1e6 ± 1.1e8 (the likelihood
    is flat), reported as converged and trusted before; its expected purchases were NaN."""
    bg = clv.fit_bgnbd(*_twenty_customers())
    # the flat likelihood's curvature at a = 1e6: a standard error 100 times the estimate, or none
    # at all (a Hessian that is not positive there), depending on the numerical libraries' versions
    se = bg.std_errors["a"]
    assert bg.params["a"] > 1e5 and (not np.isfinite(se) or se > clv.UNPINNED * bg.params["a"]), se
    assert not bg.trustworthy
    said = (("no finite standard error for", "flat") if not np.isfinite(se) else ("parameter a is", "cannot pin it down"))
    assert any(all(w in str(p) for w in said) for p in bg.problems), bg.problems
    assert not clv.clv_diagnosis(bg, None)["purchase_model_ok"]
    # and its parameter table gives no interval for it (e^±10 and beyond printed "inf")
    with np.errstate(all="raise"):
        table = bg.summary().set_index("parameter")
    assert table.loc["a", ["ci_low", "ci_high"]].isna().all()
    assert table.loc["alpha", ["ci_low", "ci_high"]].notna().all() == bool(np.isfinite(bg.std_errors["alpha"]))


def test_expected_purchases_with_a_dropout_probability_the_same_for_everyone():
    """a, b → ∞ with p = a/(a+b): the Euler series overflowed (NaN for every customer); the
    direct series gives the limit (1/p)(1 − ((α+T)/(α+T+p t))^(r+x)) × P(alive) up to O(x²/a)."""
    r, alpha, p = 0.36, 0.97, 0.6
    x = np.array([0.0, 1.0, 2.0, 5.0, 20.0])
    tx = np.where(x > 0, np.array([0.0, 3.0, 6.0, 9.0, 11.0]), 0.0)
    T = np.full(5, 12.0)
    for scale in (1e4, 1e6):
        bg = clv.BGNBDResult(params={"r": r, "alpha": alpha, "a": p * scale, "b": (1 - p) * scale},
                             loglik=0.0, n=5, std_errors={}, converged=True, message="")
        got = bg.expected_purchases(12.0, x, tx, T)
        assert np.isfinite(got).all()
        limit = (1 / p) * (1 - ((alpha + T) / (alpha + T + p * 12.0)) ** (r + x)) * bg.p_alive(x, tx, T)
        assert got == pytest.approx(limit, rel=20 * (x.max() ** 2 + 1) / scale)
    # where both series work, they agree (the Euler one is kept there)
    bg = clv.BGNBDResult(params={"r": r, "alpha": alpha, "a": 300.0, "b": 200.0}, loglik=0.0, n=5,
                         std_errors={}, converged=True, message="")
    z = 12.0 / (alpha + T + 12.0)
    c = 300.0 + 200.0 + x - 1.0
    direct = np.exp((r + x) * np.log1p(-z)) * special.hyp2f1(r + x, 200.0 + x, c, z)
    expect = c / 299.0 * (1 - direct) * bg.p_alive(x, tx, T)
    assert bg.expected_purchases(12.0, x, tx, T) == pytest.approx(expect, rel=1e-10)


def test_gamma_gamma_q_below_one_refuses_spend():
    # issue 13: q ≤ 1 gave negative expected spend
    sim = clv.simulate_bgnbd(3000, {"r": 0.5, "alpha": 5, "a": 0.5, "b": 3},
                             T=np.random.default_rng(1).uniform(20, 100, 3000), rng=1)
    rep = sim[sim.frequency > 0]
    m = clv.simulate_gamma_gamma(rep.frequency, {"p": 2, "q": 0.7, "gamma": 10}, rng=2)
    gg = clv.fit_gamma_gamma(rep.frequency, m)
    assert gg.params["q"] <= 1 and not gg.trustworthy
    with pytest.raises(ValueError, match="q = .* ≤ 1"):
        gg.expected_spend(rep.frequency, m)
    bg = clv.fit_bgnbd(sim.frequency, sim.recency, sim["T"])
    d = clv.clv_diagnosis(bg, gg, holdout_predicted=100, holdout_actual=105)
    assert d["purchase_model_ok"] and not d["spend_model_ok"] and not d["clv_ok"]
    assert d["holdout_error"] == pytest.approx(100 / 105 - 1)


def test_clv_diagnosis_holdout_tolerance(cdnow):
    bg = clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow["T"])
    rep = cdnow[cdnow.frequency > 0]
    gg = clv.fit_gamma_gamma(rep.frequency, rep.monetary)
    assert bg.trustworthy and gg.trustworthy
    ok = clv.clv_diagnosis(bg, gg, holdout_predicted=95, holdout_actual=100, tolerance=0.2)
    assert ok["clv_ok"] and ok["problems"] == [] and ok["reason"] == ""
    bad = clv.clv_diagnosis(bg, gg, holdout_predicted=60.1, holdout_actual=100, tolerance=0.2)
    assert not bad["clv_ok"] and not bad["purchase_model_ok"] and "-39.9 %" in bad["reason"]


def test_a_figure_the_model_cannot_compute_is_left_empty_with_a_note(cdnow, monkeypatch):
    """A model that passed its diagnosis and still gives a non-finite figure for one customer:
    that customer's figures are empty and their note says why; the others are published."""
    models = clv.fit_models(cdnow.head(500), calibration=None, holdout_weeks=26)
    d = dict(models.diagnosis, purchase_model_ok=True, spend_model_ok=True, clv_ok=True, reason="")
    models = dataclasses.replace(models, diagnosis=d)
    real = clv.BGNBDResult.expected_purchases

    def broken(self, t_future, frequency, recency, T):
        out = real(self, t_future, frequency, recency, T)
        out[3] = np.nan
        return out

    monkeypatch.setattr(clv.BGNBDResult, "expected_purchases", broken)
    scored = clv.score_customers(models, cdnow.head(500))
    assert scored.loc[3, ["p_alive", "expected_purchases_12w", "clv"]].isna().all()
    assert "could not be computed" in scored.loc[3, "clv_note"]
    others = scored.drop(index=3)
    assert others["expected_purchases_12w"].notna().all() and (others["clv_note"] == "").all()


def test_a_fit_that_did_not_converge_says_so_without_scipys_words():
    """05 printed "the optimiser did not converge (ABNORMAL: )" on Maven's CRM data, in Chinese too."""
    from salesnb import clv

    got = [str(m) for m in clv._fit_problems({"r": 1.0}, {"r": 0.1}, [], False)]
    assert got and "ABNORMAL" not in " ".join(got) and "could not be found" in got[0]


def test_parameters_without_a_standard_error_are_listed_in_the_pages_language():
    """05's Chinese page listed "r, alpha, a, b 没有有限的标准误": names in a Chinese sentence are
    listed with 、."""
    from salesnb import i18n

    params = {"r": 1.0, "alpha": 2.0, "a": 0.5, "b": 3.0}
    [got] = clv._fit_problems(params, dict.fromkeys(params, np.nan), [], True)
    assert str(got) == "no finite standard error for r, alpha, a, b (the likelihood is flat there)"
    assert i18n.tr(got, "zh-CN") == "r、alpha、a、b 没有有限的标准误（似然函数在该处平坦）"


def test_fit_problems_takes_no_optimiser_message():
    """_fit_problems kept an argument for scipy's message that it no longer used."""
    import inspect

    from salesnb import clv

    assert list(inspect.signature(clv._fit_problems).parameters) == ["params", "se", "at_bound", "ok"]


def test_too_few_repeat_customers_for_the_spend_model_reads_in_every_language(cdnow):
    """With a purchase model but fewer than ``min_customers`` repeat buyers for the spend model, 04's
    reason was an f-string: English on the Chinese page. A base without any repeat buyer counted its
    customers without a thousands separator ("this data has 1445 customers", BikeStores)."""
    from salesnb.i18n import t

    few = cdnow.head(500).copy()
    repeat = few.index[few["frequency"] > 0]
    few.loc[repeat[5:], ["frequency", "recency", "monetary"]] = 0  # 5 repeat buyers left
    d = clv.fit_models(few, calibration=None, min_customers=10).diagnosis
    assert not d["spend_model_ok"]
    assert str(d["problems"][-1]) == (
        "spend model (Gamma-Gamma) not fitted: fewer than 10 customers with a repeat purchase")
    zh = t(d["reason"], "zh-CN")
    assert "fewer than" not in zh and "未拟合消费模型" in zh, zh
    none = clv.fit_models(pd.concat([few.assign(frequency=0, recency=0, monetary=0)] * 3, ignore_index=True),
                          calibration=None).diagnosis
    assert "this data has 1,500 customers and 0 with a repeat purchase" in str(none["reason"])


def test_independence_note_asks_to_read_clv_with_care_only_when_clv_is_shown():
    """Northwind: the CLV was withheld (models failed), yet 04 said "read CLV as indicative" under a
    doubtful Gamma-Gamma check. The advice about CLV comes only with a CLV on the page."""
    doubtful = {"independent": False, "n": 50, "spearman_rho": 0.65}
    text, kind = clv.independence_note(doubtful, clv_shown=False)
    assert kind == "warning" and "ρ = 0.65" in str(text) and "CLV" not in str(text)
    text, kind = clv.independence_note(doubtful, clv_shown=True)
    assert "read CLV as indicative" in str(text)
    text, kind = clv.independence_note({"independent": True, "n": 784, "spearman_rho": 0.17}, clv_shown=False)
    assert kind == "info" and "holds approximately" in str(text) and "n = 784" in str(text)
    assert clv.independence_note({"independent": False, "n": 2, "spearman_rho": np.nan}, clv_shown=True) == (None, "")
    assert clv.independence_note({"n": 0, "independent": False}, clv_shown=False) == (None, "")  # no repeat buyer


def test_a_withheld_clv_is_explained_in_plain_words_first():
    """Maven's CRM 04: "Why: purchase model (BG/NBD), on the whole history and on the calibration
    period: parameter a ran to the edge of its range (8.32e-07): the data cannot pin it down; … no
    finite standard error for r, alpha, a, b (the likelihood is flat there)." A leader reads what it
    means for the figures first; the technical detail follows, for analysts, beside it."""
    from salesnb.i18n import t

    freq, rec, T = _poisson_buyers()  # steady buyers who never stop: a runs to 0
    bg = clv.fit_bgnbd(freq, rec, T)
    text, kind = clv.explain(clv.clv_diagnosis(bg, None, holdout_fit=bg))
    text = str(text)
    assert kind == "warning" and "not to be trusted" not in text
    assert text.startswith("Lifetime value and P(alive) (the chance that a customer still buys) are not shown")
    assert "cannot tell customers who stopped buying for good from customers who simply buy rarely" in text
    assert "too few customers bought more than once" in text
    plain, _, technical = text.partition("Technical detail for analysts: ")
    assert "edge of its range" in technical and "edge of its range" not in plain and "BG/NBD" not in plain
    zh = t(clv.explain(clv.clv_diagnosis(bg, None, holdout_fit=bg))[0], "zh-CN")
    assert zh.startswith("不显示客户终身价值与活跃概率") and "供分析师参考的技术细节" in zh
    assert "purchase" not in zh and "customers" not in zh, zh


def test_each_reason_to_withhold_clv_reads_in_plain_words(cdnow):
    """The holdout miss, a spend model without a finite mean and a base without repeat buyers each
    say what they mean for the figures."""
    bg = clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow["T"])
    rep = cdnow[cdnow.frequency > 0]
    gg = clv.fit_gamma_gamma(rep.frequency, rep.monetary)
    miss = str(clv.explain(clv.clv_diagnosis(bg, gg, holdout_predicted=60.1, holdout_actual=100,
                                             holdout_weeks=26))[0])
    assert ("in the last 26 weeks, which the model did not see, it expected 60 purchase days where "
            "customers made 100 (-39.9 %), more than the ±20 % it may miss by") in miss
    sim = clv.simulate_bgnbd(3000, {"r": 0.5, "alpha": 5, "a": 0.5, "b": 3},
                             T=np.random.default_rng(1).uniform(20, 100, 3000), rng=1)
    heavy = sim[sim.frequency > 0]
    m = clv.simulate_gamma_gamma(heavy.frequency, {"p": 2, "q": 0.7, "gamma": 10}, rng=2)
    spend = str(clv.explain(clv.clv_diagnosis(clv.fit_bgnbd(sim.frequency, sim.recency, sim["T"]),
                                              clv.fit_gamma_gamma(heavy.frequency, m),
                                              holdout_predicted=100, holdout_actual=105))[0])
    assert spend.startswith("P(alive) and expected purchases are shown, but lifetime value is not")
    assert "a few very large purchases dominate" in spend
    once = cdnow.head(300).assign(frequency=0, recency=0, monetary=0)
    none = str(clv.explain(clv.fit_models(once, calibration=None).diagnosis)[0])
    assert "no customer bought on more than one day, so there is no repeat buying to learn from" in none


def test_the_membership_note_is_plain_words_in_the_runs_language():
    """Superstore's membership export (re-imported into the CRM by sales ops) said "not published:
    purchase model (BG/NBD), ...: no finite standard error for r, alpha, a, b ...", in English on a
    Chinese run. The note says in plain words what is left empty and why, in the run's language."""
    import types

    from salesnb import segments as seg

    fit = clv.BGNBDResult({"r": 0.5, "alpha": 5.0, "a": 1e-9, "b": 3.0}, loglik=-1.0, n=2, problems=[
        "no finite standard error for r, alpha, a, b (the likelihood is flat there)"])
    d = clv.clv_diagnosis(fit, None)
    assert not d["purchase_model_ok"]
    customers = pd.DataFrame({"customer_id": ["a", "b"], "frequency": [1.0, 0.0], "recency": [3.0, 0.0],
                              "T": [10.0, 8.0], "monetary": [20.0, 0.0], "rfm_segment": ["Loyal", "New"]})
    scored = clv.score_customers(types.SimpleNamespace(diagnosis=d), customers)
    offers = pd.DataFrame({"customer_id": ["a", "b"], "next_best_product": ["x", None]})
    labels = pd.Series([0, 1], index=["a", "b"])
    en = seg.membership_table(scored, labels, offers, lang="en")["clv_note"].tolist()
    zh = seg.membership_table(scored, labels, offers, lang="zh-CN")["clv_note"].tolist()
    assert en[0] == en[1] and en[0].startswith("Lifetime value (clv) and chance of still buying (p_alive) "
                                               "not given: the purchase history cannot tell customers")
    for words in ("not published", "BG/NBD", "standard error", "alpha"):
        assert words not in en[0]
    assert zh[0].startswith("未提供客户终身价值（clv）与活跃概率（p_alive）：购买记录无法区分")
    assert not any(c.isascii() and c.isalpha() for c in zh[0].replace("clv", "").replace("p_alive", ""))


def test_the_parameter_table_leaves_out_a_model_whose_estimates_are_not_settled():
    """Maven's CRM 04 said the spend model's estimates are not settled, then showed Gamma-Gamma
    q = 606,695 and gamma = 1,542,353,187 in the parameter table. A fit with problems is left out of
    the table (a note says which and why); a sound one stays."""
    from salesnb.i18n import t

    bg = clv.BGNBDResult(params={"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}, loglik=-9582.4, n=2357,
                         std_errors={"r": 0.01, "alpha": 0.2, "a": 0.19, "b": 0.7})
    gg = clv.GammaGammaResult(params={"p": 0.861, "q": 606695.2, "gamma": 1542353187.3}, loglik=-1.0, n=74,
                              std_errors={"p": np.nan, "q": np.nan, "gamma": np.nan},
                              problems=["no finite standard error for p, q, gamma"])
    models = clv.CLVModels(bgnbd=bg, gamma_gamma=gg, calibration=None, holdout=pd.DataFrame(), predicted=None,
                           actual=None, independence={"n": 74, "independent": True}, diagnosis={})
    params = models.parameters()
    assert params["model"].unique().tolist() == ["BG/NBD (weeks)"] and len(params) == 4
    note = params.attrs["note"]
    assert str(note) == ("The spend model (Gamma-Gamma) is left out of this table: its estimates are not "
                         "settled (see above), so they mean nothing.")
    assert "Gamma-Gamma" in t(note, "zh-CN") and "left out" not in t(note, "zh-CN")
    both = clv.CLVModels(bgnbd=clv.BGNBDResult(params=bg.params, loglik=0.0, n=85, problems=["a is not pinned"]),
                         gamma_gamma=gg, calibration=None, holdout=pd.DataFrame(), predicted=None, actual=None,
                         independence={}, diagnosis={})
    assert both.parameters().empty
    assert str(both.parameters().attrs["note"]).startswith("The parameter table is not shown: the estimates of the "
                                                           "purchase model (BG/NBD) and the spend model")
    sound = clv.CLVModels(bgnbd=bg, gamma_gamma=clv.GammaGammaResult(params={"p": 6.25, "q": 3.74, "gamma": 15.44},
                                                                     loglik=0.0, n=946),
                          calibration=None, holdout=pd.DataFrame(), predicted=None, actual=None,
                          independence={}, diagnosis={})
    assert len(sound.parameters()) == 7 and sound.parameters().attrs["note"] == ""
