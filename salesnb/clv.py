"""Customer lifetime value: BG/NBD purchase model, Gamma-Gamma spend model, discounted CLV.

The models are the standard "buy till you die" pair of the marketing literature:

- **BG/NBD** (Fader, Hardie & Lee 2005, *Marketing Science* 24(2)): while alive, a customer buys as a
  Poisson process with rate ``lambda ~ Gamma(r, alpha)``; after each repeat purchase she drops out with
  probability ``p ~ Beta(a, b)``. Inputs per customer: ``frequency`` (number of repeat purchases),
  ``recency`` (time of the last purchase, measured from the first) and ``T`` (age: time from the first
  purchase to the end of the calibration period), all in one time unit (days or weeks).
- **Gamma-Gamma** (Fader, Hardie & Lee 2005, *JMR* 42(4); Fader & Hardie 2013 note): the value of a
  customer's transactions is ``Gamma(p, nu)`` with ``nu ~ Gamma(q, gamma)``, independent of the purchase
  process. Inputs: ``frequency`` and ``monetary`` (mean value of the repeat purchases), customers with at
  least one repeat purchase only.

Both are fitted by maximum likelihood with scipy (L-BFGS-B on log-parameters with analytic gradients, so
a million customers fit in seconds). The likelihoods use ``gammaln`` and a log-sum-exp, and the Gaussian
hypergeometric term of the expected-purchases formula is evaluated after an Euler transformation,
``(1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z)``, which keeps every factor of
order one where the textbook form multiplies a vanishing power by an exploding series (scipy's compiled
``hyp2f1`` evaluates it, with a vectorised series as fallback).

Validation (see ``tests/test_clv.py`` and ``docs/clv.md``): on the CDNOW sample summary (2,357 customers,
39 weeks) the fit reproduces the published BG/NBD estimates r=0.243, alpha=4.414, a=0.793, b=2.426 with
log-likelihood -9582.4, and the published Gamma-Gamma estimates p=6.25, q=3.74, gamma=15.44.

Everything here is pure computation: no I/O, no printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from salesnb import fmt
from salesnb.i18n import Message, Verbatim, listing

__all__ = [
    "BGNBDResult",
    "CLVModels",
    "GammaGammaResult",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "bgnbd_loglik",
    "gamma_gamma_loglik",
    "clv_diagnosis",
    "purchase_fit_words",
    "customer_lifetime_value",
    "holdout_comparison",
    "independence_check",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "hyp2f1_euler",
    "explain",
    "independence_note",
    "fit_models",
    "score_customers",
]

_BGNBD_NAMES = ("r", "alpha", "a", "b")
_GG_NAMES = ("p", "q", "gamma")
_LOG_BOUND = 14.0  # log-parameters are kept in [-14, 14] (1e-6 .. 1.2e6)


# ------------------------------------------------------------------------------------------ helpers
def _arr(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains missing or infinite values")
    return a


def _check_rft(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, tx, t = _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T")
    if not (x.shape == tx.shape == t.shape):
        raise ValueError("frequency, recency and T must have the same length")
    if np.any(x < 0) or np.any(np.abs(x - np.round(x)) > 1e-9):
        raise ValueError("frequency must be a non-negative whole number of repeat purchases")
    if np.any(tx < 0) or np.any(tx > t + 1e-9):
        raise ValueError("recency must lie in [0, T]")
    if np.any((x == 0) & (tx > 0)):
        raise ValueError("customers without repeat purchases must have recency 0")
    return x, tx, t


def hyp2f1_euler(a, b, c, z, *, tol: float = 1e-14, max_terms: int = 20_000) -> np.ndarray:
    """Gauss hypergeometric function ``2F1(a, b; c; z)`` for ``0 <= z < 1``, vectorised.

    Sums the power series with the term ratio ``(a+k)(b+k) z / ((c+k)(k+1))`` until every element has
    converged. Used by :meth:`BGNBDResult.expected_purchases` after the Euler transformation
    ``2F1(a, b; c; z) = (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)``, whose second argument ``a - 1`` is
    small, so the series is short and does not overflow.

    Parameters
    ----------
    a, b, c, z : array-like
        Broadcastable arguments; ``c`` must not be a non-positive integer and ``0 <= z < 1``.
    tol : float
        Relative size of the last term at which a series stops.
    max_terms : int
        Upper bound on the number of terms.

    Returns
    -------
    ndarray
    """
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    if np.any((z < 0) | (z >= 1)):
        raise ValueError("hyp2f1_euler needs 0 <= z < 1")
    shape = a.shape
    a, b, c, z = (v.ravel() for v in (a, b, c, z))
    total = np.ones_like(z)
    term = np.ones_like(z)
    active = np.arange(z.size)
    for k in range(max_terms):
        if active.size == 0:
            break
        ka, kb, kc, kz = a[active], b[active], c[active], z[active]
        term_a = term[active] * (ka + k) * (kb + k) / ((kc + k) * (k + 1.0)) * kz
        term[active] = term_a
        total[active] += term_a
        done = np.abs(term_a) <= tol * np.abs(total[active])
        done |= term_a == 0
        active = active[~done]
    return total.reshape(shape)


def _hyp2f1(a, b, c, z) -> np.ndarray:
    """``2F1`` via scipy's compiled routine, with the series of :func:`hyp2f1_euler` wherever scipy
    returns a non-finite value. Called only with Euler-transformed arguments (second argument
    ``a - 1`` small), where the two agree to ~1e-13 (see tests)."""
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    out = np.array(special.hyp2f1(a, b, c, z), dtype=float)
    bad = ~np.isfinite(out)
    if np.any(bad):
        out[bad] = hyp2f1_euler(a[bad], b[bad], c[bad], z[bad])
    return out


def _fit_lbfgs(fun, x0s, bounds) -> tuple[np.ndarray, float, bool, str]:
    """Minimise from each start in turn; stop at the first clean interior optimum."""
    best = None
    for x0 in x0s:
        res = optimize.minimize(
            fun,
            x0,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8},
        )
        # L-BFGS-B stops "abnormally" in the line search when it cannot improve further at an
        # optimum; a (per-customer) gradient at numerical zero is a converged fit all the same
        res.success = bool(res.success or np.max(np.abs(res.jac)) < 1e-5)
        if best is None or res.fun < best.fun:
            best = res
        lo = np.array([b[0] for b in bounds])
        hi = np.array([b[1] for b in bounds])
        if best.success and np.all((best.x > lo + 1e-3) & (best.x < hi - 1e-3)):
            break
    return best.x, float(best.fun), bool(best.success), str(best.message)


def _at_bound(theta: np.ndarray, bounds, names) -> list[str]:
    """Names of the parameters whose log-estimate sits on (within 1e-3 of) a bound of the search."""
    return [n for n, x, (lo, hi) in zip(names, theta, bounds, strict=True)
            if x <= lo + 1e-3 or x >= hi - 1e-3]


#: a maximum-likelihood estimate whose standard error exceeds this many times its value is not
#: determined by the data (its log has a standard error above 5)
UNPINNED = 5.0


def _fit_problems(params, se, at_bound, ok) -> list[str]:
    """Plain-words reasons not to trust a maximum-likelihood fit (the optimiser's own message, e.g.
    scipy's "ABNORMAL: ", is left out: it means nothing to a reader)."""
    out = []
    if not ok:
        # scipy's own words ("ABNORMAL: ", "ABNORMAL_TERMINATION_IN_LNSRCH") mean nothing to a reader
        out.append(Message("the likelihood's maximum could not be found (the optimiser stopped without "
                           "converging)"))
    for name in at_bound:
        out.append(Message("parameter {name} ran to the edge of its range ({value}): the data "
                           "cannot pin it down", name=Verbatim(name), value=f"{params[name]:.3g}"))
    bad = [k for k, v in se.items() if not np.isfinite(v)]
    if bad:
        out.append(Message("no finite standard error for {params} (the likelihood is flat there)",
                           params=listing(bad)))
    # short of the bound, the optimiser may stop where the likelihood is merely flat: a standard
    # error of more than UNPINNED times the estimate (a 95 % interval wider than e^±10) means the
    # data do not determine the parameter either (BG/NBD on 20 customers: a = 1.1e6 ± 1.1e8, whose
    # expected purchases then overflow to NaN)
    loose = [k for k, v in se.items() if k not in at_bound and np.isfinite(v)
             and params[k] > 0 and v / params[k] > UNPINNED]
    for name in loose:
        out.append(Message("parameter {name} is {value} ± {se}: the data cannot pin it down",
                           name=Verbatim(name),
                           value=f"{params[name]:.3g}", se=f"{se[name]:.2g}"))
    return out


def _numeric_hessian(grad, theta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    k = theta.size
    h = np.empty((k, k))
    for i in range(k):
        step = np.zeros(k)
        step[i] = eps
        h[:, i] = (grad(theta + step) - grad(theta - step)) / (2 * eps)
    return (h + h.T) / 2


def _std_errors(grad_nll, theta: np.ndarray) -> np.ndarray:
    """Standard errors of the natural parameters from the observed information (delta method)."""
    try:
        hess = _numeric_hessian(grad_nll, theta)
        cov_log = np.linalg.inv(hess)
        var_log = np.diag(cov_log)
        if np.any(var_log < 0):
            return np.full(theta.size, np.nan)
        return np.exp(theta) * np.sqrt(var_log)
    except np.linalg.LinAlgError:
        return np.full(theta.size, np.nan)


def _summary_frame(params: Mapping[str, float], se: np.ndarray) -> pd.DataFrame:
    est = np.array(list(params.values()))
    # Wald intervals on the log scale keep them positive; none for a parameter the data do not
    # pin down (an interval of e^±10 and beyond, which overflowed to "inf" on the page)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se_log = se / est
        z = stats.norm.ppf(0.975)
        low, high = est * np.exp(-z * se_log), est * np.exp(z * se_log)
    loose = ~np.isfinite(se_log) | (se_log > UNPINNED)
    return pd.DataFrame(
        {
            "parameter": list(params),
            "estimate": est,
            "std_error": se,
            "ci_low": np.where(loose, np.nan, low),
            "ci_high": np.where(loose, np.nan, high),
        }
    )


# ----------------------------------------------------------------------------------------- BG/NBD
class _BGData:
    """Customer summaries split for fast likelihood evaluation.

    Customers without repeat purchases contribute only ``-r log(alpha + T)``; terms that depend on
    the frequency alone are evaluated once per distinct frequency.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, t: np.ndarray, w: np.ndarray):
        self.xu, inv = np.unique(x, return_inverse=True)
        self.wx = np.bincount(inv, weights=w, minlength=self.xu.size)
        self.wsum = float(w.sum())
        pos = x > 0
        self.t0, self.w0 = t[~pos], w[~pos]
        self.x, self.tx, self.t, self.w = x[pos], tx[pos], t[pos], w[pos]
        self.inv = inv[pos]
        self.wxs = float(np.dot(self.w, self.x))


def _bgnbd_terms(theta, data: _BGData, need_grad: bool):
    """Negative log-likelihood (and gradient wrt log-parameters) of BG/NBD."""
    r, alpha, a, b = np.exp(theta)
    xu, wx = data.xu, data.wx
    gl_x = (
        special.gammaln(r + xu)
        - special.gammaln(r)
        + special.gammaln(a + b)
        + special.gammaln(b + xu)
        - special.gammaln(b)
        - special.gammaln(a + b + xu)
    )
    ll = float(np.dot(wx, gl_x)) + data.wsum * r * np.log(alpha)
    # no repeat purchases: log-sum-exp reduces to -r log(alpha + T)
    la0 = np.log(alpha + data.t0)
    ll -= r * float(np.dot(data.w0, la0))
    # repeat buyers: lse = -(r + x) log(alpha + T) + softplus(d), d = A4 - A3
    w, x = data.w, data.x
    la = np.log(alpha + data.t)
    lt = np.log(alpha + data.tx)
    lbx = np.log(b + xu - 1.0, where=xu > 0, out=np.zeros_like(xu))
    diff = la - lt
    d = (np.log(a) - lbx[data.inv]) + (r + x) * diff
    e = np.exp(-np.abs(d))
    softplus = np.maximum(d, 0.0) + np.log1p(e)
    ll += float(np.dot(w, softplus - (r + x) * la))
    if not need_grad:
        return -ll, None

    w4 = np.where(d > 0, 1.0, e) / (1.0 + e)  # expit(d): weight of the "dropped out" branch
    ww4 = w * w4
    d_r_x = special.digamma(r + xu) - special.digamma(r)
    d_a_x = special.digamma(a + b) - special.digamma(a + b + xu)
    d_b_x = (
        special.digamma(a + b)
        + special.digamma(b + xu)
        - special.digamma(b)
        - special.digamma(a + b + xu)
    )
    g_r = float(np.dot(wx, d_r_x)) + data.wsum * np.log(alpha)
    g_r += -float(np.dot(data.w0, la0)) - float(np.dot(w, la)) + float(np.dot(ww4, diff))
    g_alpha = data.wsum * r / alpha - r * float(np.dot(data.w0, 1.0 / (alpha + data.t0)))
    inv_at = 1.0 / (alpha + data.t)
    inv_atx = 1.0 / (alpha + data.tx)
    g_alpha -= float(np.dot(w * (r + x), inv_at + w4 * (inv_atx - inv_at)))
    g_a = float(np.dot(wx, d_a_x)) + float(ww4.sum()) / a
    ww4_x = np.bincount(data.inv, weights=ww4, minlength=xu.size)
    inv_bx = np.divide(1.0, b + xu - 1.0, where=xu > 0, out=np.zeros_like(xu))
    g_b = float(np.dot(wx, d_b_x)) - float(np.dot(ww4_x, inv_bx))
    grad = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
    return -ll, -grad


def bgnbd_loglik(params: Mapping[str, float], frequency, recency, T, *, weights=None) -> float:
    """Total BG/NBD log-likelihood of customer summaries at given parameters.

    Parameters
    ----------
    params : mapping
        ``r``, ``alpha``, ``a``, ``b``.
    frequency, recency, T : array-like
        Repeat purchases, time of the last purchase since the first, and customer age.
    weights : array-like, optional
        Number of customers each row stands for (default 1).

    Returns
    -------
    float
    """
    x, tx, t = _check_rft(frequency, recency, T)
    w = np.ones_like(x) if weights is None else _arr(weights, "weights")
    theta = np.log([params[k] for k in _BGNBD_NAMES])
    return -_bgnbd_terms(theta, _BGData(x, tx, t, w), need_grad=False)[0]


@dataclass
class BGNBDResult:
    """A fitted BG/NBD model.

    Attributes
    ----------
    params : dict
        Maximum-likelihood estimates ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of the
        inputs).
    loglik : float
        Log-likelihood at the estimates.
    n : int
        Number of customers.
    std_errors : dict
        Asymptotic standard errors from the observed information matrix.
    converged : bool
        Whether the optimiser reported success at an interior optimum (a fit that ends on a bound
        of the parameter search is not converged).
    problems : list of str
        Plain-words reasons not to trust the fit (parameter on a bound or not pinned down by
        the data, non-finite standard error, optimiser failure); empty when the fit is sound. See
        :attr:`trustworthy`.
    """

    params: dict[str, float]
    loglik: float
    n: int
    std_errors: dict[str, float] = field(default_factory=dict)
    converged: bool = True
    message: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def trustworthy(self) -> bool:
        """True when the fit converged to an interior optimum with finite standard errors."""
        return self.converged and not self.problems

    @property
    def aic(self) -> float:
        return 2 * 4 - 2 * self.loglik

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors and 95 % intervals as a tidy frame."""
        return _summary_frame(
            self.params, np.array([self.std_errors.get(k, np.nan) for k in self.params])
        )

    def _p(self):
        return (self.params[k] for k in _BGNBD_NAMES)

    def p_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that each customer is still active at the end of the calibration period.

        ``P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))``,
        evaluated on the log scale.
        """
        x, tx, t = _check_rft(frequency, recency, T)
        r, alpha, a, b = self._p()
        out = np.ones_like(x)
        pos = x > 0
        logit_dead = (
            np.log(a)
            - np.log(b + x[pos] - 1.0)
            + (r + x[pos]) * (np.log(alpha + t[pos]) - np.log(alpha + tx[pos]))
        )
        out[pos] = special.expit(-logit_dead)
        return out

    def expected_purchases(self, t_future, frequency, recency, T) -> np.ndarray:
        """Expected number of purchases in the next ``t_future`` time units, per customer.

        The conditional expectation of Fader, Hardie & Lee (2005, eq. 10):
        ``E[Y(t) | x, t_x, T] = (a + b + x - 1) / (a - 1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x)
        2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))``.
        The power times ``2F1`` is computed as ``(1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)`` (Euler),
        whose series is short for the usual ``a`` of a few units. For a large ``a`` (a dropout
        probability nearly the same for every customer: 1.1e6 on 20 customers) that series
        overflows (its terms grow like ``e^(a z)``); there the power and ``2F1`` are summed as
        written, whose terms shrink like ``((b/(a+b)) z)^k``.
        """
        x, tx, t = _check_rft(frequency, recency, T)
        tf = np.broadcast_to(np.asarray(t_future, dtype=float), x.shape)
        r, alpha, a, b = self._p()
        if abs(a - 1.0) < 1e-7:  # removable singularity at a = 1
            a = 1.0 + 1e-7
        z = tf / (alpha + t + tf)
        c = a + b + x - 1.0
        with np.errstate(over="ignore", invalid="ignore"):
            head = np.exp((a - 1.0) * np.log1p(-z)) * _hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
        bad = ~np.isfinite(head)
        if bad.any():
            zb, xb = z[bad], x[bad]
            head[bad] = np.exp((r + xb) * np.log1p(-zb)) * _hyp2f1(r + xb, b + xb, c[bad], zb)
        numer = c / (a - 1.0) * (1.0 - head)
        return numer * self.p_alive(x, tx, t)

    def expected_purchases_new(self, t) -> np.ndarray:
        """Expected repeat purchases in ``(0, t]`` of a customer whose first purchase is at 0: E[X(t)].

        ``(a + b - 1)/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b; a + b - 1; t/(alpha + t))]``.
        """
        tt = np.atleast_1d(np.asarray(t, dtype=float))
        r, alpha, a, b = self._p()
        if abs(a - 1.0) < 1e-7:
            a = 1.0 + 1e-7
        z = tt / (alpha + tt)
        c = a + b - 1.0
        head = np.exp((a - 1.0) * np.log1p(-z)) * _hyp2f1(c - r, a - 1.0, c, z)
        return c / (a - 1.0) * (1.0 - head)

    def predict(self, t_future, frequency, recency, T) -> pd.DataFrame:
        """Expected purchases in ``t_future`` and P(alive), as a frame."""
        return pd.DataFrame(
            {
                "expected_purchases": self.expected_purchases(t_future, frequency, recency, T),
                "p_alive": self.p_alive(frequency, recency, T),
            }
        )


def fit_bgnbd(frequency, recency, T, *, weights=None, initial=None) -> BGNBDResult:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    frequency : array-like
        Number of repeat purchases (purchase days after the first) per customer.
    recency : array-like
        Time of the last purchase measured from the first purchase (0 without repeats).
    T : array-like
        Time from the first purchase to the end of the calibration period, same unit as ``recency``.
    weights : array-like, optional
        Number of customers each row stands for (to fit on de-duplicated summaries).
    initial : mapping, optional
        Starting values for ``r``, ``alpha``, ``a``, ``b``.

    Returns
    -------
    BGNBDResult

    Notes
    -----
    Optimised with L-BFGS-B on log-parameters using the analytic gradient; terms that depend only on
    ``frequency`` are evaluated once per distinct value. Two starting points are tried and the better
    optimum kept.
    """
    x, tx, t = _check_rft(frequency, recency, T)
    if x.size == 0:
        raise ValueError("no customers to fit")
    w = np.ones_like(x) if weights is None else _arr(weights, "weights")
    data = _BGData(x, tx, t, w)
    scale = float(np.average(t, weights=w)) if t.size else 1.0
    if initial is not None:
        x0s = [np.log([initial[k] for k in _BGNBD_NAMES])]
    else:
        x0s = [
            np.log([1.0, max(scale / 4, 1e-3), 1.0, 1.0]),
            np.log([0.5, max(scale / 10, 1e-3), 0.5, 3.0]),
        ]
    n = float(w.sum())

    def nll(theta):
        f, g = _bgnbd_terms(theta, data, need_grad=True)
        return f / n, g / n

    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 4
    theta, fun, ok, msg = _fit_lbfgs(nll, x0s, bounds)
    se = _std_errors(lambda th: nll(th)[1] * n, theta)
    params = dict(zip(_BGNBD_NAMES, map(float, np.exp(theta)), strict=True))
    ses = dict(zip(_BGNBD_NAMES, map(float, se), strict=True))
    edge = _at_bound(theta, bounds, _BGNBD_NAMES)
    return BGNBDResult(
        params=params,
        loglik=-fun * n,
        n=int(round(n)),
        std_errors=ses,
        converged=ok and not edge,
        message=msg if not edge else f"{msg}; on a bound: {', '.join(edge)}",
        problems=_fit_problems(params, ses, edge, ok),
    )


# ------------------------------------------------------------------------------------ Gamma-Gamma
def _check_fm(frequency, monetary) -> tuple[np.ndarray, np.ndarray]:
    x, m = _arr(frequency, "frequency"), _arr(monetary, "monetary")
    if x.shape != m.shape:
        raise ValueError("frequency and monetary must have the same length")
    if np.any(x <= 0) or np.any(m <= 0):
        raise ValueError(
            "Gamma-Gamma needs customers with at least one repeat purchase and a positive mean value; "
            "filter with (frequency > 0) & (monetary > 0) first"
        )
    return x, m


def _gg_terms(theta, x, m, w, need_grad: bool):
    p, q, g = np.exp(theta)
    px = p * x
    log_gxm = np.log(g + x * m)
    lm, lx = np.log(m), np.log(x)
    ll_i = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(g)
        + (px - 1.0) * lm
        + px * lx
        - (px + q) * log_gxm
    )
    ll = float(np.dot(w, ll_i))
    if not need_grad:
        return -ll, None
    dg_pxq = special.digamma(px + q)
    d_p = x * (dg_pxq - special.digamma(px) + lm + lx - log_gxm)
    d_q = dg_pxq - special.digamma(q) + np.log(g) - log_gxm
    d_g = q / g - (px + q) / (g + x * m)
    grad = np.array([np.dot(w, d_p) * p, np.dot(w, d_q) * q, np.dot(w, d_g) * g])
    return -ll, -grad


def gamma_gamma_loglik(params: Mapping[str, float], frequency, monetary, *, weights=None) -> float:
    """Total Gamma-Gamma log-likelihood (density of the mean repeat value) at given parameters."""
    x, m = _check_fm(frequency, monetary)
    w = np.ones_like(x) if weights is None else _arr(weights, "weights")
    theta = np.log([params[k] for k in _GG_NAMES])
    return -_gg_terms(theta, x, m, w, need_grad=False)[0]


@dataclass
class GammaGammaResult:
    """A fitted Gamma-Gamma spend model.

    Attributes
    ----------
    params : dict
        ``p`` (shape of a transaction's value), ``q`` and ``gamma`` (shape and scale of the
        distribution of the customers' rate parameter ``nu``).
    loglik : float
    n : int
        Number of customers used (those with repeat purchases).
    std_errors : dict
    converged : bool
        Optimiser success at an interior optimum.
    problems : list of str
        Plain-words reasons not to trust the fit; a ``q`` at or below 1 is one (the mean spend of
        the population is then infinite and :meth:`expected_spend` refuses).
    """

    params: dict[str, float]
    loglik: float
    n: int
    std_errors: dict[str, float] = field(default_factory=dict)
    converged: bool = True
    message: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def trustworthy(self) -> bool:
        """True when the fit converged inside its bounds, with finite standard errors and q > 1."""
        return self.converged and not self.problems

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors and 95 % intervals as a tidy frame."""
        return _summary_frame(
            self.params, np.array([self.std_errors.get(k, np.nan) for k in self.params])
        )

    @property
    def population_mean(self) -> float:
        """Expected value of a transaction of a new customer, ``p gamma / (q - 1)`` (needs q > 1)."""
        p, q, g = (self.params[k] for k in _GG_NAMES)
        return p * g / (q - 1.0) if q > 1 else float("nan")

    def expected_spend(self, frequency, monetary) -> np.ndarray:
        """Conditional expected value of a transaction, per customer.

        ``E[Z | x, m] = (q - 1)/(p x + q - 1) * p gamma/(q - 1) + p x/(p x + q - 1) * m``: a weighted mean of
        the population mean and the customer's own mean ``m``. Customers without repeat purchases
        (``x == 0``) get the population mean.

        Raises
        ------
        ValueError
            When ``q ≤ 1``: the population mean is infinite and the formula gives negative or
            unbounded spend for customers with few purchases.
        """
        if self.params["q"] <= 1:
            raise ValueError(
                f"Gamma-Gamma q = {self.params['q']:.3g} ≤ 1: the average spend per purchase has "
                "no finite mean under this fit (a few very large orders dominate), so expected "
                "spend cannot be computed; do not publish spend-based CLV from this fit")
        x = _arr(frequency, "frequency")
        m = _arr(monetary, "monetary")
        p, q, g = (self.params[k] for k in _GG_NAMES)
        px = p * x
        out = (p * (g + x * np.where(x > 0, m, 0.0))) / (px + q - 1.0)
        return out


def fit_gamma_gamma(frequency, monetary, *, weights=None, initial=None) -> GammaGammaResult:
    """Fit the Gamma-Gamma spend model by maximum likelihood.

    Parameters
    ----------
    frequency : array-like
        Number of repeat purchases; every value must be > 0.
    monetary : array-like
        Mean value of the repeat purchases; every value must be > 0.
    weights : array-like, optional
    initial : mapping, optional
        Starting values for ``p``, ``q``, ``gamma``.

    Returns
    -------
    GammaGammaResult

    Notes
    -----
    The model assumes that spend per transaction is independent of purchase frequency; check it with
    :func:`independence_check` before using the two models together.
    """
    x, m = _check_fm(frequency, monetary)
    w = np.ones_like(x) if weights is None else _arr(weights, "weights")
    mean_m = float(np.average(m, weights=w))
    if initial is not None:
        x0s = [np.log([initial[k] for k in _GG_NAMES])]
    else:
        x0s = [np.log([1.0, 2.0, mean_m]), np.log([5.0, 4.0, mean_m * 0.5])]
    n = float(w.sum())

    def nll(theta):
        f, g = _gg_terms(theta, x, m, w, need_grad=True)
        return f / n, g / n

    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 2 + [(-_LOG_BOUND, np.log(mean_m) + _LOG_BOUND)]
    theta, fun, ok, msg = _fit_lbfgs(nll, x0s, bounds)
    se = _std_errors(lambda th: nll(th)[1] * n, theta)
    params = dict(zip(_GG_NAMES, map(float, np.exp(theta)), strict=True))
    ses = dict(zip(_GG_NAMES, map(float, se), strict=True))
    edge = _at_bound(theta, bounds, _GG_NAMES)
    problems = _fit_problems(params, ses, edge, ok)
    if params["q"] <= 1:
        problems.append(Message("q = {q} ≤ 1: spend per purchase is so heavy-tailed that its mean is "
                                "infinite under the model; expected spend is not defined",
                                q=f"{params['q']:.3g}"))
    return GammaGammaResult(
        params=params,
        loglik=-fun * n,
        n=int(round(n)),
        std_errors=ses,
        converged=ok and not edge,
        message=msg if not edge else f"{msg}; on a bound: {', '.join(edge)}",
        problems=problems,
    )


def independence_check(frequency, monetary) -> dict[str, float]:
    """Check the Gamma-Gamma assumption that spend per purchase is independent of frequency.

    Parameters
    ----------
    frequency, monetary : array-like
        Repeat customers only (both > 0).

    Returns
    -------
    dict
        ``pearson_r`` and ``pearson_p`` (on the raw values), ``spearman_rho`` and ``spearman_p``,
        ``n``, and ``independent`` — True when ``|spearman_rho| < 0.3`` (at most a weak monotone
        relation), the usual rule of thumb; a small p-value alone is not a reason to reject the model
        on large samples.
    """
    x, m = _check_fm(frequency, monetary)
    if x.size < 3:
        return {
            "n": int(x.size),
            "pearson_r": np.nan,
            "pearson_p": np.nan,
            "spearman_rho": np.nan,
            "spearman_p": np.nan,
            "independent": False,
        }
    pr = stats.pearsonr(x, m)
    sr = stats.spearmanr(x, m)
    return {
        "n": int(x.size),
        "pearson_r": float(pr.statistic),
        "pearson_p": float(pr.pvalue),
        "spearman_rho": float(sr.statistic),
        "spearman_p": float(sr.pvalue),
        "independent": bool(abs(sr.statistic) < 0.3),
    }


# ------------------------------------------------------------------------------------------- CLV
def customer_lifetime_value(
    bgnbd: BGNBDResult,
    frequency,
    recency,
    T,
    *,
    spend,
    horizon: int = 12,
    period: float = 1.0,
    discount_rate: float = 0.01,
    margin: float = 1.0,
) -> np.ndarray:
    """Discounted customer lifetime value over a finite horizon.

    ``CLV = margin * spend * sum_{k=1..horizon} (E[Y(k period)] - E[Y((k-1) period)]) / (1 + d)^k``: the
    purchases expected by the BG/NBD model in each future period, valued at the expected spend per
    purchase and discounted at the end of each period.

    Parameters
    ----------
    bgnbd : BGNBDResult
        Fitted purchase model (its time unit is the unit of ``recency`` and ``T``).
    frequency, recency, T : array-like
        Customer summaries in the model's time unit.
    spend : float or array-like
        Expected value per purchase, e.g. :meth:`GammaGammaResult.expected_spend`.
    horizon : int
        Number of future periods.
    period : float
        Length of one period in the model's time unit (e.g. 30.4 for months when T is in days).
    discount_rate : float
        Discount rate per period (0.01 per month is about 12.7 % a year).
    margin : float
        Share of revenue kept as profit (1.0 = value in revenue).

    Returns
    -------
    ndarray
        CLV per customer, in the currency of ``spend``.
    """
    if horizon < 1:
        raise ValueError("horizon must be at least one period")
    x, tx, t = _check_rft(frequency, recency, T)
    spend = np.broadcast_to(np.asarray(spend, dtype=float), x.shape)
    prev = np.zeros_like(x)
    value = np.zeros_like(x)
    for k in range(1, horizon + 1):
        cum = bgnbd.expected_purchases(k * period, x, tx, t)
        value += (cum - prev) / (1.0 + discount_rate) ** k
        prev = cum
    return margin * spend * value


def holdout_comparison(
    bgnbd: BGNBDResult,
    frequency,
    recency,
    T,
    actual,
    *,
    t_holdout: float,
    max_frequency: int = 7,
) -> pd.DataFrame:
    """Predicted vs actual repeat purchases in a holdout period, grouped by calibration frequency.

    Parameters
    ----------
    bgnbd : BGNBDResult
        Model fitted on the calibration period.
    frequency, recency, T : array-like
        Calibration summaries.
    actual : array-like
        Purchases each customer made in the holdout period.
    t_holdout : float
        Length of the holdout period (model time unit).
    max_frequency : int
        Frequencies at or above this value are pooled into one group.

    Returns
    -------
    DataFrame
        ``frequency`` (calibration repeat purchases; the last group is "max_frequency or more"),
        ``customers``, ``actual`` and ``predicted`` (mean holdout purchases per customer).
    """
    x, tx, t = _check_rft(frequency, recency, T)
    y = _arr(actual, "actual")
    pred = bgnbd.expected_purchases(t_holdout, x, tx, t)
    grp = np.minimum(x, max_frequency).astype(int)
    df = pd.DataFrame({"frequency": grp, "actual": y, "predicted": pred})
    out = df.groupby("frequency", as_index=False).agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    return out


#: a BG/NBD fit whose mean dropout probability a / (a + b) is below this explains every silence by a
#: low buying rate, none by dropout (Maven's CRM accounts buy all year: a = 8e-07, b = 7e+05)
NO_DROPOUT = 1e-4


def purchase_fit_words(fit: BGNBDResult) -> Message:
    """What an untrustworthy BG/NBD fit means for the figures, in plain words (the fit's
    :attr:`~BGNBDResult.problems` are the technical detail)."""
    a, b = fit.params["a"], fit.params["b"]
    if a / (a + b) < NO_DROPOUT:
        return Message("the purchase history cannot tell customers who stopped buying for good from customers "
                       "who simply buy rarely, so the model cannot estimate how likely a customer is to stop, "
                       "which P(alive) and lifetime value rest on")
    return Message("the purchase history does not settle how often customers buy again and how likely they "
                   "are to stop, so the purchase model's estimates cannot be relied on")


def clv_diagnosis(
    bgnbd: BGNBDResult,
    gamma_gamma: GammaGammaResult | None = None,
    *,
    holdout_predicted: float | None = None,
    holdout_actual: float | None = None,
    tolerance: float = 0.2,
    holdout_fit: BGNBDResult | None = None,
    holdout_weeks: float | None = None,
) -> dict:
    """Whether the CLV models may be published, with the reasons in plain words.

    Parameters
    ----------
    bgnbd, gamma_gamma : fitted models (``gamma_gamma`` None when no customer repeated).
    holdout_predicted, holdout_actual : float, optional
        Purchases predicted and observed in the holdout period.
    tolerance : float
        Largest acceptable relative holdout error (0.2 = ±20 %).
    holdout_fit : BGNBDResult, optional
        The calibration-period fit behind the holdout check (its problems count too).
    holdout_weeks : float, optional
        Length of the holdout, for the plain words of a holdout miss.

    Returns
    -------
    dict
        ``purchase_model_ok`` (P(alive) and expected purchases usable), ``spend_model_ok``,
        ``clv_ok`` (both, and the holdout within tolerance), ``holdout_error`` (predicted ÷ actual
        − 1, None when unknown), ``tolerance``, ``problems`` (the reasons, technical: which
        model, which parameter), ``reason`` (them in one sentence for a table cell; empty when
        everything is fine) and ``plain`` (what the problems mean for the figures, for a reader who
        does not know the models; :func:`explain` puts them first).
    """
    # a problem both fits share is said once, for both (Maven CRM's page gave the same two twice)
    calibration = [str(p) for p in holdout_fit.problems] if holdout_fit is not None else []
    problems = [Message("purchase model (BG/NBD), on the whole history and on the calibration period: "
                        "{problem}", problem=p) if str(p) in calibration else
                Message("purchase model (BG/NBD): {problem}", problem=p) for p in bgnbd.problems]
    whole = {str(p) for p in bgnbd.problems}
    if holdout_fit is not None:
        problems += [Message("purchase model on the calibration period: {problem}", problem=p)
                     for p in holdout_fit.problems if str(p) not in whole]
    purchase_ok = not problems
    failed = bgnbd if bgnbd.problems else holdout_fit
    plain = [purchase_fit_words(failed)] if problems else []
    err = None
    if holdout_predicted is not None and holdout_actual is not None:
        if holdout_actual > 0 and np.isfinite(holdout_predicted):
            err = float(holdout_predicted / holdout_actual - 1)
            if abs(err) > tolerance:
                purchase_ok = False
                numbers = dict(pred=f"{holdout_predicted:,.0f}", actual=f"{holdout_actual:,.0f}",
                               err=fmt.pct(err, decimals=1, signed=True), tol=fmt.pct(tolerance, decimals=0))
                problems.append(Message("holdout check: predicted {pred} purchase days, actual "
                                        "{actual} ({err}, tolerance ±{tol})", **numbers))
                plain.append(Message("the purchase model's forecasts miss by too much: in the last {weeks} weeks, "
                                     "which the model did not see, it expected {pred} purchase days where "
                                     "customers made {actual} ({err}), more than the ±{tol} it may miss by",
                                     weeks=f"{holdout_weeks:g}", **numbers) if holdout_weeks else
                             Message("the purchase model's forecasts miss by too much: in the weeks held back from "
                                     "it, it expected {pred} purchase days where customers made {actual} "
                                     "({err}), more than the ±{tol} it may miss by", **numbers))
        else:
            purchase_ok = False
            problems.append(Message("holdout check impossible: no purchases in the holdout period"))
            plain.append(Message("nobody bought in the weeks held back to test the purchase model, so its "
                                 "forecasts could not be checked"))
    if gamma_gamma is None:
        spend_ok = False
        problems.append(Message("spend model (Gamma-Gamma): no customer with a repeat purchase to "
                                "fit it"))
        plain.append(Message("too few customers bought more than once to estimate what a repeat purchase is "
                             "worth"))
    else:
        spend_ok = gamma_gamma.trustworthy
        problems += [Message("spend model (Gamma-Gamma): {problem}", problem=p)
                     for p in gamma_gamma.problems]
        if gamma_gamma.problems:
            plain.append(Message("a few very large purchases dominate spending, so the average value of a "
                                 "purchase cannot be estimated") if gamma_gamma.params["q"] <= 1 else
                         Message("what a customer's purchases are worth cannot be estimated reliably from "
                                 "this data (the spend model's estimates are not settled)"))
    return {
        "purchase_model_ok": bool(purchase_ok),
        "spend_model_ok": bool(spend_ok),
        "clv_ok": bool(purchase_ok and spend_ok),
        "holdout_error": err,
        "tolerance": float(tolerance),
        "problems": problems,
        "reason": Message.join("; ", problems),
        "plain": plain,
    }


@dataclass
class CLVModels:
    """The purchase and spend models of a customer base, the holdout check and their diagnosis."""

    bgnbd: BGNBDResult | None
    gamma_gamma: GammaGammaResult | None
    calibration: BGNBDResult | None
    holdout: pd.DataFrame
    predicted: float | None
    actual: float | None
    independence: dict
    diagnosis: dict

    def parameters(self) -> pd.DataFrame:
        """Both models' estimates with standard errors and 95 % intervals (``model`` column).

        A model whose fit is not :attr:`~GammaGammaResult.trustworthy` is left out, and
        ``attrs["note"]`` says so ("" when none is): Maven's CRM 04 said the spend model's
        estimates were not settled, then showed Gamma-Gamma q = 606,695 and gamma = 1,542,353,187.
        The published fits (the results file) keep every estimate for analysts.
        """
        fits = ((self.bgnbd, "BG/NBD (weeks)"), (self.gamma_gamma, "Gamma-Gamma"))
        parts = [m.summary().assign(model=name) for m, name in fits if m is not None and m.trustworthy]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["parameter", "estimate", "std_error", "ci_low", "ci_high", "model"])
        purchase, spend = (m is not None and not m.trustworthy for m, _ in fits)
        out.attrs["note"] = (
            Message("The parameter table is not shown: the estimates of the purchase model (BG/NBD) and the spend "
                    "model (Gamma-Gamma) are not settled (see above), so they mean nothing.") if purchase and spend else
            Message("The purchase model (BG/NBD) is left out of this table: its estimates are not settled (see "
                    "above), so they mean nothing.") if purchase else
            Message("The spend model (Gamma-Gamma) is left out of this table: its estimates are not settled (see "
                    "above), so they mean nothing.") if spend else "")
        return out


def fit_models(
    customers: pd.DataFrame,
    *,
    calibration: pd.DataFrame | None = None,
    holdout_weeks: float = 26,
    tolerance: float = 0.2,
    min_customers: int = 10,
) -> CLVModels:
    """Fit BG/NBD and Gamma-Gamma, check the purchase model on a holdout, and diagnose both.

    Parameters
    ----------
    customers : DataFrame
        ``frequency``, ``recency``, ``T``, ``monetary`` per customer (e.g.
        :func:`salesnb.data.segments_queries.bgnbd_summary`).
    calibration : DataFrame, optional
        The same summary at the start of the holdout, with ``holdout_purchases``.
    holdout_weeks : float
        Length of the holdout (the model's time unit).
    tolerance : float
        Largest acceptable relative error of the holdout prediction.
    min_customers : int
        Fewer customers (or repeat customers, for Gamma-Gamma) than this: that model is not fitted.

    Returns
    -------
    CLVModels
        ``diagnosis`` is :func:`clv_diagnosis` plus ``notes`` (what was not checked and why).
    """
    notes: list[str] = []
    bg = None
    if len(customers) >= min_customers and (customers["frequency"] > 0).any():
        bg = fit_bgnbd(customers["frequency"], customers["recency"], customers["T"])
    rep = customers[(customers["frequency"] > 0) & (customers["monetary"] > 0)]
    gg = fit_gamma_gamma(rep["frequency"], rep["monetary"]) if len(rep) >= min_customers else None
    independence = (independence_check(rep["frequency"], rep["monetary"]) if len(rep)
                    else {"n": 0, "independent": False})
    cal = calibration
    bg_cal, table, pred, act = None, pd.DataFrame(), None, None
    if cal is not None and len(cal) >= min_customers and (cal["frequency"] > 0).any():
        bg_cal = fit_bgnbd(cal["frequency"], cal["recency"], cal["T"])
        table = holdout_comparison(bg_cal, cal["frequency"], cal["recency"], cal["T"],
                                   cal["holdout_purchases"], t_holdout=holdout_weeks)
        pred = float(bg_cal.expected_purchases(holdout_weeks, cal["frequency"], cal["recency"],
                                               cal["T"]).sum())
        act = float(cal["holdout_purchases"].sum())
    else:
        notes.append(Message("holdout check not possible: fewer than {n} customers with a repeat "
                             "purchase before the {weeks}-week holdout (the history is too short); "
                             "the purchase model is not validated", n=min_customers,
                             weeks=f"{holdout_weeks:g}"))
    if bg is None:
        repeat = int((customers["frequency"] > 0).sum())
        diag = {"purchase_model_ok": False, "spend_model_ok": False, "clv_ok": False,
                "holdout_error": None, "tolerance": float(tolerance),
                "problems": [Message("purchase model (BG/NBD) not fitted: it needs at least {min} "
                                     "customers and one repeat purchase, this data has {n} "
                                     "customers and {k} with a repeat purchase", min=min_customers,
                                     n=f"{len(customers):,}", k=f"{repeat:,}")],
                "plain": [Message("no customer bought on more than one day, so there is no repeat buying to "
                                  "learn from") if not repeat else
                          Message("there are only {n} customers, too few to learn how they buy (the models need "
                                  "{min} or more)", n=f"{len(customers):,}", min=min_customers)]}
        if gg is None:
            diag["problems"].append(Message("spend model (Gamma-Gamma) not fitted: too few repeat "
                                            "customers"))
        diag["reason"] = Message.join("; ", diag["problems"])
    else:
        diag = clv_diagnosis(bg, gg, holdout_predicted=pred, holdout_actual=act,
                             tolerance=tolerance, holdout_fit=bg_cal, holdout_weeks=holdout_weeks)
        if gg is None:
            diag["problems"][-1] = Message("spend model (Gamma-Gamma) not fitted: fewer than {min} customers "
                                           "with a repeat purchase", min=min_customers)
            diag["reason"] = Message.join("; ", diag["problems"])
    diag["notes"] = notes
    return CLVModels(bgnbd=bg, gamma_gamma=gg, calibration=bg_cal, holdout=table, predicted=pred,
                     actual=act, independence=independence, diagnosis=diag)


def independence_note(independence: dict, *, clv_shown: bool) -> tuple[Message | None, str]:
    """The Gamma-Gamma independence check in words for 04, and the note's kind.

    Parameters
    ----------
    independence : dict
        :func:`independence_check` output (``independent``, ``n``, ``spearman_rho``).
    clv_shown : bool
        Whether the page shows a CLV: the advice "read CLV as indicative" only then (Northwind's
        CLV was withheld, yet the page said it).

    Returns
    -------
    (Message or None, str)
        The note and ``"info"`` or ``"warning"``; ``(None, "")`` with fewer than 3 repeat buyers.
    """
    rho = f"{independence.get('spearman_rho', float('nan')):.2f}"
    if independence["independent"]:
        return Message("Gamma-Gamma assumption holds approximately: spend per purchase is at most weakly related to "
                       "frequency (Spearman ρ = {rho}, n = {n}).", rho=rho, n=f"{independence['n']:,}"), "info"
    if independence["n"] < 3:
        return None, ""
    if clv_shown:
        return Message("Gamma-Gamma assumption is doubtful: spend per purchase moves with frequency (Spearman ρ = "
                       "{rho}); read CLV as indicative.", rho=rho), "warning"
    return Message("Gamma-Gamma assumption is doubtful: spend per purchase moves with frequency (Spearman ρ = "
                   "{rho}).", rho=rho), "warning"


def explain(diagnosis: dict) -> tuple[str, str]:
    """One plain-words note on a :func:`fit_models` diagnosis and its kind (``info``/``warning``)."""
    notes = Message.join(" ", diagnosis.get("notes", []))
    if diagnosis["clv_ok"]:
        err = diagnosis.get("holdout_error")
        text = (Message("Both models pass their checks (holdout error {err}, tolerance ±{tol}).",
                        err=fmt.pct(err, decimals=1, signed=True), tol=fmt.pct(diagnosis['tolerance'], decimals=0))
                if err is not None else Message("Both models pass their checks."))
        return (Message.join(" ", [text, Message("Note: {notes}.", notes=notes) if notes else ""]),
                "warning" if notes else "info")
    # what it means for the figures first, in plain words; the models' own words after, for analysts
    plain = Message.join("; ", diagnosis.get("plain") or [])
    if diagnosis["purchase_model_ok"]:
        text = (Message("P(alive) and expected purchases are shown, but lifetime value is not, because the data "
                        "cannot support it: {plain}.", plain=plain) if plain else
                Message("P(alive) and expected purchases are shown, but lifetime value is not."))
    else:
        text = (Message("Lifetime value and P(alive) (the chance that a customer still buys) are not shown, "
                        "because the data cannot support them: {plain}. They are left empty in the membership "
                        "export, with the reason.", plain=plain) if plain else
                Message("Lifetime value and P(alive) (the chance that a customer still buys) are not shown. "
                        "They are left empty in the membership export, with the reason."))
    technical = Message("Technical detail for analysts: {reason}.", reason=diagnosis["reason"])
    return Message.join(" ", [text, technical, Message("{clauses}.", clauses=notes) if notes else ""]), "warning"


def score_customers(
    models: CLVModels,
    customers: pd.DataFrame,
    *,
    horizon: int = 12,
    period: float = 52 / 12,
    discount_rate: float = 0.008,
    purchases_weeks: float = 12,
) -> pd.DataFrame:
    """P(alive), expected purchases and CLV per customer, left empty where the models fail.

    Returns
    -------
    DataFrame
        ``customers`` plus ``p_alive``, ``expected_purchases_12w`` (named after
        ``purchases_weeks``), ``clv`` and ``clv_note`` (empty when the figures are published;
        otherwise why they are left empty, in plain words: :func:`membership_note`, a message). P(alive) and expected purchases are filled only when
        the purchase model passed its diagnosis; CLV only when both models did.
    """
    d = models.diagnosis
    out = customers.copy()
    col = f"expected_purchases_{purchases_weeks:g}w"
    out["p_alive"], out[col], out["clv"] = np.nan, np.nan, np.nan
    x, tx, t = out["frequency"], out["recency"], out["T"]
    if d["purchase_model_ok"] and len(out):
        bg = models.bgnbd
        out["p_alive"] = bg.p_alive(x, tx, t)
        out[col] = bg.expected_purchases(purchases_weeks, x, tx, t)
        if d["spend_model_ok"]:
            spend = models.gamma_gamma.expected_spend(x, out["monetary"].clip(lower=0))
            out["clv"] = customer_lifetime_value(bg, x, tx, t, spend=spend, horizon=horizon,
                                                 period=period, discount_rate=discount_rate)
    out["clv_note"] = "" if d["clv_ok"] else membership_note(d)
    # a model that passed its diagnosis and still gives a non-finite figure for a customer (a
    # numerical failure): that customer's figures are left empty and say so, never shown as NaN
    lost = ~np.isfinite(out[["p_alive", col]].to_numpy(dtype=float)).all(axis=1) if \
        d["purchase_model_ok"] else np.zeros(len(out), dtype=bool)
    if d["clv_ok"]:
        lost |= ~np.isfinite(out["clv"].to_numpy(dtype=float))
    if lost.any():
        out.loc[lost, ["p_alive", col, "clv"]] = np.nan
        out.loc[lost, "clv_note"] = Message(
            "Lifetime value (clv) and chance of still buying (p_alive) not given: they could not be "
            "computed for this customer.")
    return out


def membership_note(diagnosis: Mapping) -> Message:
    """Why a customer's ``clv`` (and ``p_alive``) are empty in the membership export, for the
    salesperson who reads it in the CRM: what is left empty and the diagnosis's plain words
    (``plain``), not the models' technical reasons (those are on the page, for analysts).

    >>> str(membership_note({"purchase_model_ok": True, "plain": []}))
    'Lifetime value (clv) not given: the data cannot support it.'
    """
    plain = Message.join("; ", diagnosis.get("plain") or [])
    if diagnosis.get("purchase_model_ok"):
        return (Message("Lifetime value (clv) not given: {why}.", why=plain) if plain else
                Message("Lifetime value (clv) not given: the data cannot support it."))
    return (Message("Lifetime value (clv) and chance of still buying (p_alive) not given: {why}.", why=plain)
            if plain else Message("Lifetime value (clv) and chance of still buying (p_alive) not given: the "
                                  "data cannot support them."))


# ------------------------------------------------------------------------------------ simulation
def simulate_bgnbd(
    n: int,
    params: Mapping[str, float],
    *,
    T,
    holdout: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Simulate customer summaries from the BG/NBD model (vectorised, exact).

    Parameters
    ----------
    n : int
        Number of customers.
    params : mapping
        ``r``, ``alpha``, ``a``, ``b``.
    T : float or array-like
        Calibration age of each customer.
    holdout : float
        Length of a holdout period after ``T``; when > 0 the frame gets ``holdout_purchases``.
    rng : Generator or seed, optional

    Returns
    -------
    DataFrame
        ``frequency``, ``recency``, ``T``, ``alive`` (at the end of the calibration period) and, with a
        holdout, ``holdout_purchases``.

    Notes
    -----
    Draws ``lambda`` and ``p``, the number of repeat purchases ``J ~ Geometric(p)`` after which the
    customer drops out, and the Poisson count ``N`` over the whole window. Given ``N`` the event times
    are uniform, so the calibration count is binomial and the time of the ``x``-th event is a Beta
    order statistic.
    """
    rng = np.random.default_rng(rng)
    r, alpha, a, b = (params[k] for k in _BGNBD_NAMES)
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    j = rng.geometric(np.clip(p, 1e-12, 1.0))  # purchases up to and including the one after which
    total_t = T + holdout
    n_all = rng.poisson(lam * total_t)
    n_cal = rng.binomial(n_all, T / total_t)
    x = np.minimum(n_cal, j)
    has = x > 0
    tx = np.zeros(n)
    tx[has] = T[has] * rng.beta(x[has], n_cal[has] - x[has] + 1)
    out = pd.DataFrame({"frequency": x.astype(float), "recency": tx, "T": T, "alive": n_cal < j})
    if holdout > 0:
        out["holdout_purchases"] = (np.minimum(n_all, j) - x).astype(float)
    return out


def simulate_gamma_gamma(
    frequency,
    params: Mapping[str, float],
    *,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Simulate mean transaction values for customers with the given numbers of purchases (> 0)."""
    rng = np.random.default_rng(rng)
    x = _arr(frequency, "frequency")
    if np.any(x <= 0):
        raise ValueError("frequency must be > 0")
    p, q, g = (params[k] for k in _GG_NAMES)
    nu = rng.gamma(q, 1.0 / g, x.size)
    return rng.gamma(p * x, 1.0 / nu) / x
