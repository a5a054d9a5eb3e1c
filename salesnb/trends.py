"""Market trends: a fast automatic forecaster and the trend analytics of notebook 03.

The forecaster (:func:`auto_forecast`, :class:`AutoForecaster`) is shared by goal decomposition and
risk monitoring. For each series it fits a small set of candidates — seasonal naive, the ETS family
selected by AICc, a small automatic SARIMA, the Theta method and a combination of the strongest —
and picks one by a rolling-origin backtest (horizon one season, several origins) scored by MASE,
with WAPE, bias and the empirical coverage of the prediction intervals reported next to it.

The analytics (:func:`stl_decompose`, :func:`growth_rates`, :func:`mix_shares`,
:func:`price_volume_mix`, :func:`market_share`, :func:`win_loss`, :func:`new_vs_returning`,
:func:`reconcile_forecasts`, ...) are pure functions over tidy pandas frames: data first,
keyword-only options, no I/O and no printing.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from salesnb import fmt
from salesnb.i18n import Message, Verbatim, listing
from salesnb.periods import months_shown_caption, period_label

__all__ = [
    "AutoForecaster",
    "ForecastResults",
    "PredictionResults",
    "SumDistribution",
    "auto_forecast",
    "mase",
    "wape",
    "stl_decompose",
    "seasonal_profile",
    "trend_growth",
    "growth_rates",
    "series_by",
    "yoy_windows",
    "mix_shares",
    "price_discount_trend",
    "price_volume_mix",
    "pvm_view",
    "market_share",
    "win_loss",
    "new_vs_returning",
    "returning_warmup",
    "warmup_note",
    "new_vs_returning_known",
    "months_shown_caption",
    "reconcile_forecasts",
    "forecast_frame",
    "fallback_words",
    "forecast_caveat",
    "quarter_withheld_why",
    "model_words",
    "quarter_forecast_words",
    "quarter_forecast",
    "backtest_bias_note",
    "forecast_each",
    "intermittent",
    "reconcile_method_for",
    "growth_by",
    "lost_share_changes",
    "lost_views_note",
    "mix_shares_by",
]

CANDIDATES = ("snaive", "ets", "arima", "theta", "comb")
_MIN_OBS = 4


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


class _Silence:
    """Silence statsmodels/numpy warnings inside model fits."""

    def __enter__(self) -> None:
        self._cw = warnings.catch_warnings()
        self._cw.__enter__()
        warnings.simplefilter("ignore")
        self._err = np.seterr(all="ignore")

    def __exit__(self, *exc: object) -> None:
        np.seterr(**self._err)
        self._cw.__exit__(*exc)


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 200.0))


def season_length_of(index: pd.Index) -> int | None:
    """Season length implied by a time index (12 monthly, 4 quarterly, 52 weekly, 7 daily).

    Parameters
    ----------
    index : pandas.Index
        A PeriodIndex or DatetimeIndex; any other index gives ``None``.

    Returns
    -------
    int or None
    """
    freq = None
    if isinstance(index, pd.PeriodIndex):
        freq = index.freqstr
    elif isinstance(index, pd.DatetimeIndex):
        freq = index.freqstr if index.freq is not None else None
        if freq is None and len(index) >= 3:
            freq = pd.infer_freq(index)
    if not freq:
        return None
    code = freq.upper().lstrip("0123456789")
    for prefix, m in (("QS", 4), ("Q", 4), ("BQ", 4), ("MS", 12), ("ME", 12), ("BM", 12),
                      ("M", 12), ("W", 52), ("D", 7), ("B", 5), ("Y", 1), ("A", 1),
                      ("BY", 1), ("H", 24)):
        if code.startswith(prefix):
            return m
    return None


def _future_index(index: pd.Index, horizon: int) -> pd.Index:
    if isinstance(index, pd.PeriodIndex) and len(index):
        return pd.period_range(index[-1] + 1, periods=horizon, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex) and len(index):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is not None:
            return pd.date_range(index[-1], periods=horizon + 1, freq=freq)[1:]
    if len(index) and pd.api.types.is_integer_dtype(index.dtype):
        start = int(index[-1]) + 1
        return pd.RangeIndex(start, start + horizon)
    return pd.RangeIndex(len(index), len(index) + horizon)


def _as_series(y: np.ndarray) -> pd.Series:
    """statsmodels' ETS/Theta need a pandas Series with a frequency (see the issue's note)."""
    return pd.Series(y, index=pd.period_range("2000-01", periods=len(y), freq="M"))


def mase(actual: Sequence[float], forecast: Sequence[float], insample: Sequence[float], *,
         season_length: int = 1) -> float:
    """Mean absolute scaled error (Hyndman & Koehler 2006).

    Parameters
    ----------
    actual, forecast : array-like
        Outcomes and point forecasts over the evaluation window.
    insample : array-like
        Training history used to scale the errors by the in-sample MAE of the seasonal naive
        forecast (naive when the history is shorter than ``season_length + 1``).
    season_length : int
        Season length of the series.

    Returns
    -------
    float
        ``nan`` when the scale is zero (a constant history).
    """
    a, f, x = (np.asarray(v, dtype=float) for v in (actual, forecast, insample))
    scale = _mase_scale(x, season_length)
    if not np.isfinite(scale) or scale <= 0:
        return float("nan")
    return float(np.mean(np.abs(a - f)) / scale)


def _mase_scale(x: np.ndarray, m: int) -> float:
    lag = m if (m > 1 and len(x) > m) else 1
    if len(x) <= lag:
        return float("nan")
    d = np.abs(x[lag:] - x[:-lag])
    scale = float(np.mean(d))
    if scale <= 0 and lag > 1:
        scale = float(np.mean(np.abs(np.diff(x))))
    return scale


def wape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Weighted absolute percentage error: ``sum|a - f| / sum|a|`` (``nan`` if ``sum|a| = 0``)."""
    a, f = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    denom = float(np.sum(np.abs(a)))
    return float(np.sum(np.abs(a - f)) / denom) if denom > 0 else float("nan")


# --------------------------------------------------------------------------------------------
# candidate models: each fit returns a _Fitted that can predict any horizon
# --------------------------------------------------------------------------------------------


@dataclass
class _Pred:
    mean: np.ndarray
    bounds: dict[int, tuple[np.ndarray, np.ndarray]]


@dataclass
class _Fitted:
    name: str
    label: str
    params: dict[str, Any]
    predict: Any  # Callable[[int, tuple[int, ...]], _Pred]
    spec: Any = None


def _normal_pred(mean: np.ndarray, sd: np.ndarray, levels: Iterable[int]) -> _Pred:
    return _Pred(mean, {lv: (mean - _z(lv) * sd, mean + _z(lv) * sd) for lv in levels})


def _fit_snaive(y: np.ndarray, m: int, spec: Any = None) -> _Fitted:
    n = len(y)
    lag = m if (m > 1 and n >= m + 2) else 1
    if n > lag:
        e = y[lag:] - y[:-lag]
        rmse = float(np.sqrt(np.mean(e**2)))
    else:
        rmse = float("nan")
    last = y[n - lag:]

    def predict(h: int, levels: tuple[int, ...]) -> _Pred:
        k = np.arange(h)
        mean = last[k % lag]
        sd = rmse * np.sqrt(k // lag + 1)
        return _normal_pred(mean, sd, levels)

    name = "seasonal naive" if lag > 1 else "naive"
    return _Fitted("snaive", name, {"lag": lag, "sigma": rmse}, predict)


_ETS_SEASONAL = (
    ("add", None, False, "add"), ("add", "add", True, "add"),
    ("mul", None, False, "mul"), ("mul", "add", True, "mul"),
)
_ETS_NONSEASONAL = (("add", None, False, None), ("add", "add", True, None),
                    ("mul", None, False, None), ("mul", "add", True, None))


def _ets_label(cfg: tuple) -> str:
    err, trend, damped, seas = cfg
    t = "N" if trend is None else ("Ad" if damped else "A")
    s = "N" if seas is None else seas[0].upper()
    return f"ETS({err[0].upper()},{t},{s})"


def _fit_ets(y: np.ndarray, m: int, spec: Any = None) -> _Fitted:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    positive = bool(np.all(y > 0))
    seasonal = m > 1 and len(y) >= 2 * m + 2
    start = None
    if spec is not None and len(spec) > 2 and spec[2] == "fixed":
        return _ets_fixed(y, m, spec)
    if spec is not None:
        configs = [spec[0]]
        start = spec[1]
    elif seasonal and positive:
        # (A,Ad,A) is the slowest fit and rarely beats (M,Ad,M) on positive data: left out;
        # (M,A,M), an undamped trend, lets a steadily growing business be projected on trend
        configs = ([c for c in _ETS_SEASONAL if c[:2] != ("add", "add")]
                   + [("mul", "add", False, "mul"), _ETS_NONSEASONAL[1]])
    elif seasonal:
        configs = [c for c in _ETS_SEASONAL if c[0] == "add"] + [_ETS_NONSEASONAL[1]]
    else:
        configs = [c for c in _ETS_NONSEASONAL if positive or c[0] == "add"]
    ys = _as_series(y)
    best, best_cfg = None, None
    for cfg in configs:
        err, trend, damped, seas = cfg
        try:
            mod = ETSModel(ys, error=err, trend=trend, damped_trend=damped, seasonal=seas,
                           seasonal_periods=m if seas else None)
            res = mod.fit(disp=False, maxiter=200, start_params=start)
            crit = float(res.aicc)
        except Exception:  # noqa: BLE001 - a failing configuration is just skipped
            continue
        if not np.isfinite(crit):
            continue
        if best is None or crit < best.aicc:
            best, best_cfg = res, cfg
    if best is None:
        raise RuntimeError("no ETS configuration could be fitted")
    res = best
    predict = _ets_predictor(res, len(y))

    params = {k: float(v) for k, v in zip(res.param_names, res.params, strict=False)
              if not k.startswith("initial")}
    params["aicc"] = float(res.aicc)
    return _Fitted("ets", _ets_label(best_cfg), params, predict, (best_cfg, np.asarray(res.params)))


def _ets_predictor(res: Any, n: int) -> Callable[[int, tuple[int, ...]], _Pred]:
    """``predict(h, levels)`` of a fitted statsmodels ETS result after ``n`` observations."""

    def predict(h: int, levels: tuple[int, ...]) -> _Pred:
        pred = res.get_prediction(start=n, end=n + h - 1, rng=np.random.default_rng(0))
        mean = np.asarray(pred.predicted_mean, dtype=float)
        bounds = {}
        for lv in levels:
            sf = pred.summary_frame(alpha=1 - lv / 100)
            bounds[lv] = (sf["pi_lower"].to_numpy(float), sf["pi_upper"].to_numpy(float))
        return _Pred(mean, bounds)

    return predict


def _ets_fixed(y: np.ndarray, m: int, spec: Any) -> _Fitted:
    """ETS with the configuration and parameters of ``spec`` (estimated earlier), only filtered."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    cfg, params = spec[0], spec[1]
    err, trend, damped, seas = cfg
    mod = ETSModel(_as_series(y), error=err, trend=trend, damped_trend=damped, seasonal=seas,
                   seasonal_periods=m if seas else None)
    res = mod.smooth(params)
    predict = _ets_predictor(res, len(y))

    return _Fitted("ets", _ets_label(cfg), {}, predict, spec)


def _fit_arima(y: np.ndarray, m: int, spec: Any = None) -> _Fitted:
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    use_log = bool(np.all(y > 0))
    x = np.log(y) if use_log else y
    n = len(x)
    fixed = spec is not None and len(spec) > 2 and spec[2] == "fixed"
    if fixed and spec[3] != use_log:
        fixed, spec = False, (spec[0], None)  # the scale changed (a zero appeared): refit
    if fixed:
        res = SARIMAX(x, order=spec[0][0], seasonal_order=spec[0][1],
                      trend=spec[0][2]).filter(spec[1])
        return _arima_fitted(res, spec[0], use_log, spec)
    if spec is not None:
        orders = [spec[0]]
        start = spec[1]
    else:
        seasonal = m > 1 and n >= 2 * m + 2 and _seasonal_strength(x, m) >= 0.5
        big_d = 1 if seasonal else 0
        xs = x[m:] - x[:-m] if big_d else x
        d = 1 if _needs_diff(xs) else 0
        sorder = (0, 1, 1, m) if big_d else (0, 0, 0, 0)
        # the trend polynomial acts on the differenced series: a constant is a mean (no
        # differencing) or a drift (one difference); none after two differences
        trend = "c" if d + big_d <= 1 else "n"
        if d:
            cands = [(0, 1, 1), (1, 1, 0)]
        else:
            cands = [(1, 0, 0), (1, 0, 1)]
        orders = [(o, sorder, trend) for o in cands]
        start = None
    best, best_o = None, None
    for o in orders:
        try:
            mod = SARIMAX(x, order=o[0], seasonal_order=o[1], trend=o[2])
            res = mod.fit(disp=False, start_params=start, maxiter=60)
            crit = float(res.aicc)
        except Exception:  # noqa: BLE001
            continue
        if np.isfinite(crit) and (best is None or crit < best.aicc):
            best, best_o = res, o
    if best is None:
        raise RuntimeError("no ARIMA order could be fitted")
    return _arima_fitted(best, best_o, use_log, (best_o, np.asarray(best.params), "fit", use_log))


def _arima_fitted(res: Any, best_o: tuple, use_log: bool, spec: Any) -> _Fitted:
    def predict(h: int, levels: tuple[int, ...]) -> _Pred:
        fc = res.get_forecast(h)
        mean = np.asarray(fc.predicted_mean, dtype=float)
        bounds = {}
        for lv in levels:
            ci = np.asarray(fc.conf_int(alpha=1 - lv / 100), dtype=float)
            bounds[lv] = (ci[:, 0], ci[:, 1])
        if use_log:
            mean = np.exp(mean)
            bounds = {lv: (np.exp(lo), np.exp(hi)) for lv, (lo, hi) in bounds.items()}
        return _Pred(mean, bounds)

    o, so, tr = best_o
    label = f"ARIMA{o}" + (f"({so[0]},{so[1]},{so[2]})[{so[3]}]" if so[3] else "")
    label += " on log" if use_log else ""
    params = {k: float(v) for k, v in zip(res.param_names, res.params, strict=False)}
    params["aicc"] = float(res.aicc)
    return _Fitted("arima", label, params, predict, spec)


def _fit_theta(y: np.ndarray, m: int, spec: Any = None) -> _Fitted:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    deseason = m > 1 and len(y) >= 2 * m
    method = "auto" if np.all(y > 0) else "additive"
    mod = ThetaModel(_as_series(y), period=m if m > 1 else None, deseasonalize=deseason,
                     method=method)
    res = mod.fit()

    def predict(h: int, levels: tuple[int, ...]) -> _Pred:
        mean = np.asarray(res.forecast(h), dtype=float)
        bounds = {}
        for lv in levels:
            pi = res.prediction_intervals(h, alpha=1 - lv / 100)
            bounds[lv] = (pi["lower"].to_numpy(float), pi["upper"].to_numpy(float))
        return _Pred(mean, bounds)

    params = {k: float(v) for k, v in res.params.items()}
    return _Fitted("theta", "Theta", params, predict)


_FITTERS = {"snaive": _fit_snaive, "ets": _fit_ets, "arima": _fit_arima, "theta": _fit_theta}


def _combine(preds: Sequence[_Pred], levels: tuple[int, ...]) -> _Pred:
    mean = np.mean([p.mean for p in preds], axis=0)
    bounds = {lv: (np.mean([p.bounds[lv][0] for p in preds], axis=0),
                   np.mean([p.bounds[lv][1] for p in preds], axis=0)) for lv in levels}
    return _Pred(mean, bounds)


def _seasonal_strength(x: np.ndarray, m: int) -> float:
    """Seasonal strength F_s = max(0, 1 - var(R) / var(S + R)) from a robust STL."""
    from statsmodels.tsa.seasonal import STL

    try:
        with _Silence():
            r = STL(x, period=m, robust=True).fit()
    except Exception:  # noqa: BLE001
        return 0.0
    denom = np.var(r.seasonal + r.resid)
    return float(max(0.0, 1 - np.var(r.resid) / denom)) if denom > 0 else 0.0


def _needs_diff(x: np.ndarray) -> bool:
    """KPSS level-stationarity test at 5 % (as auto.arima's ndiffs)."""
    from statsmodels.tsa.stattools import kpss

    if len(x) < 8 or np.ptp(x) == 0:
        return False
    try:
        with _Silence():
            stat, p, *_ = kpss(x, regression="c", nlags="auto")
    except Exception:  # noqa: BLE001
        return False
    return bool(p < 0.05)


def _clean_anomalies(y: np.ndarray, m: int, *, threshold: float = 10.0) -> tuple[np.ndarray, list]:
    """Replace isolated anomalies by the robust-STL fit (trend + seasonal).

    A point is anomalous when its robust-STL remainder exceeds ``threshold`` times the robust SD
    (1.4826 MAD) of an ordinary STL remainder (the robust remainder alone understates the scale
    because the robust fit hugs the regular points). At most one point in 36 is replaced.
    """
    from statsmodels.tsa.seasonal import STL

    if m <= 1 or len(y) < 3 * m or np.ptp(y) == 0:
        return y, []
    try:
        with _Silence():
            r = STL(y, period=m, robust=True).fit()
            r0 = STL(y, period=m).fit()
    except Exception:  # noqa: BLE001
        return y, []
    resid, resid0 = np.asarray(r.resid), np.asarray(r0.resid)
    scale = 1.4826 * np.median(np.abs(resid0 - np.median(resid0)))
    if not np.isfinite(scale) or scale <= 0:
        return y, []
    score = np.abs(resid) / scale
    bad = np.flatnonzero(score > threshold)
    if len(bad) == 0:
        return y, []
    bad = np.sort(bad[np.argsort(-score[bad])][: max(1, len(y) // 36)])
    clean = y.copy()
    clean[bad] = (np.asarray(r.trend) + np.asarray(r.seasonal))[bad]
    return clean, bad.tolist()


# --------------------------------------------------------------------------------------------
# the model and its results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SumDistribution:
    """Distribution (normal approximation) of the sum of some forecast periods.

    Attributes
    ----------
    mean, sd : float
        Mean and scale of the sum: its standard deviation when ``df`` is ``None`` (normal).
    periods : list
        The forecast periods summed.
    df : float, optional
        Degrees of freedom when the sum's spread is estimated from few backtest windows: the sum
        is then ``mean + sd * T`` with T a Student t with ``df`` degrees of freedom (the prediction
        interval of a new value when its variance is estimated from ``df`` windows).
    """

    mean: float
    sd: float
    periods: list
    df: float | None = None

    def _dist(self) -> Any:
        if self.df is not None and np.isfinite(self.df) and self.df > 0:
            return stats.t(self.df, loc=self.mean, scale=self.sd)
        return stats.norm(loc=self.mean, scale=self.sd)

    def prob_at_least(self, x: float) -> float:
        """P(sum >= x)."""
        if self.sd > 0:
            return float(self._dist().sf(x))
        return float(self.mean >= x)

    def cdf(self, x: float) -> float:
        """P(sum <= x)."""
        if self.sd > 0:
            return float(self._dist().cdf(x))
        return float(x >= self.mean)

    def interval(self, alpha: float = 0.2) -> tuple[float, float]:
        """Central ``1 - alpha`` interval of the sum."""
        if self.sd <= 0:
            return self.mean, self.mean
        lo, hi = self._dist().ppf([alpha / 2, 1 - alpha / 2])
        return float(lo), float(hi)


class PredictionResults:
    """Forecast distribution per horizon, in the manner of statsmodels' ``PredictionResults``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A forecast frame (:meth:`ForecastResults.predict`, :func:`auto_forecast`): ``mean`` and the
        ``lo<L>/hi<L>`` bands, indexed by the forecast periods.
    sd : array-like, optional
        Standard deviation per horizon; default ``attrs["sd"]`` of the frame, else read from the
        80 % band (or the widest band) as a normal half-width.
    error_correlation : float, optional
        Correlation between the errors of two forecast periods, used for sums; default
        ``attrs["error_correlation"]`` of the frame (estimated by the backtest), else 0.5.
    sum_df : float, optional
        Degrees of freedom of the distribution of sums (Student t; ``None``: normal); default
        ``attrs["sum_df"]`` of the frame: the number of backtest windows behind the correlation.

    Notes
    -----
    The per-horizon bands are the calibrated ones of the forecaster; :meth:`interval` returns them
    for their own level and a normal interval from ``sd`` otherwise. Sums use an exchangeable error
    correlation: ``var = (1 - rho) * sum(sd**2) + rho * sum(sd)**2``.
    """

    def __init__(self, frame: pd.DataFrame, *, sd: Sequence[float] | None = None,
                 error_correlation: float | None = None,
                 sum_df: float | None = None) -> None:
        if "mean" not in frame.columns:
            raise KeyError("a forecast frame needs a 'mean' column")
        self.frame = frame
        if sd is None:
            sd = frame.attrs.get("sd")
        if sd is None:
            sd = _sd_from_bands(frame)
        self.sd = pd.Series(np.clip(np.nan_to_num(np.asarray(sd, dtype=float)), 0, None),
                            index=frame.index, name="sd")
        if error_correlation is None:
            error_correlation = frame.attrs.get("error_correlation")
        self.error_correlation = float(np.clip(0.5 if error_correlation is None
                                               or not np.isfinite(error_correlation)
                                               else error_correlation, 0.0, 1.0))
        if sum_df is None:
            sum_df = frame.attrs.get("sum_df")
        self.sum_df = (float(sum_df) if sum_df is not None and np.isfinite(sum_df) and sum_df > 0
                       else None)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **kwargs: Any) -> PredictionResults:
        """The prediction results of a forecast frame (also of frames made before this class)."""
        return cls(frame, **kwargs)

    @property
    def predicted_mean(self) -> pd.Series:
        """Point forecast per horizon."""
        return self.frame["mean"].astype(float)

    @property
    def var_pred_mean(self) -> pd.Series:
        """Forecast variance per horizon."""
        return (self.sd**2).rename("variance")

    @property
    def se_mean(self) -> pd.Series:
        """Forecast standard deviation per horizon."""
        return self.sd

    def interval(self, alpha: float = 0.2) -> pd.DataFrame:
        """Prediction interval of level ``1 - alpha`` per horizon: ``lower, upper``."""
        lv = round(100 * (1 - alpha))
        if abs(100 * (1 - alpha) - lv) < 1e-9 and {f"lo{lv}", f"hi{lv}"} <= set(self.frame):
            lo, hi = self.frame[f"lo{lv}"], self.frame[f"hi{lv}"]
        else:
            z = float(stats.norm.ppf(1 - alpha / 2))
            lo, hi = self.predicted_mean - z * self.sd, self.predicted_mean + z * self.sd
        return pd.DataFrame({"lower": lo.astype(float), "upper": hi.astype(float)},
                            index=self.frame.index)

    def summary_frame(self, alpha: float = 0.2) -> pd.DataFrame:
        """``mean, mean_se, pi_lower, pi_upper`` per horizon."""
        iv = self.interval(alpha)
        return pd.DataFrame({"mean": self.predicted_mean, "mean_se": self.sd,
                             "pi_lower": iv["lower"], "pi_upper": iv["upper"]})

    def sum_distribution(self, periods: Sequence | None = None) -> SumDistribution:
        """Distribution of the sum of the forecast over ``periods`` (default: every horizon).

        Parameters
        ----------
        periods : sequence, optional
            Forecast periods (labels of the index, e.g. ``"2026-11"`` or Periods) or, for a
            plain index, positions ``0..h-1``.

        Returns
        -------
        SumDistribution
        """
        idx = self.frame.index
        if periods is None:
            take = np.ones(len(idx), dtype=bool)
        else:
            if isinstance(idx, pd.PeriodIndex):
                want = pd.PeriodIndex([pd.Period(p, idx.freq) for p in periods])
                take = np.asarray(idx.isin(want))
            elif isinstance(idx, pd.DatetimeIndex):
                take = np.asarray(idx.isin(pd.DatetimeIndex(periods)))
            else:
                take = np.asarray(idx.isin(list(periods)))
        mean = self.predicted_mean.to_numpy(float)[take]
        sd = self.sd.to_numpy(float)[take]
        rho = self.error_correlation
        var = (1 - rho) * float((sd**2).sum()) + rho * float(sd.sum()) ** 2
        return SumDistribution(float(mean.sum()), math.sqrt(max(var, 0.0)),
                               [str(p) for p in idx[take]], self.sum_df)


def _sd_from_bands(frame: pd.DataFrame) -> np.ndarray:
    for lv in (80, 95, 90, 50, 99):
        if {f"lo{lv}", f"hi{lv}"} <= set(frame.columns):
            width = frame[f"hi{lv}"].to_numpy(float) - frame[f"lo{lv}"].to_numpy(float)
            return width / (2 * _z(lv))
    return np.zeros(len(frame))


@dataclass
class ForecastResults:
    """A fitted :class:`AutoForecaster`: the chosen model, its backtest and its forecasts.

    Attributes
    ----------
    model : str
        Label of the chosen model (e.g. ``"ETS(M,Ad,M)"``, ``"combination(ets+theta+arima)"``).
    method : str
        Key of the chosen candidate: one of ``snaive, ets, arima, theta, comb, constant, naive``.
    season_length : int
    n_obs : int
    backtest : pandas.DataFrame
        One row per candidate: ``candidate, model, mase, wape, bias, mean_scaled_error, score,
        coverage80, coverage95`` (raw), ``interval_scale`` (mean per-horizon factor of the 80 %
        band), ``coverage80_calibrated, coverage95_calibrated`` (leave one origin out),
        ``n_forecasts, chosen`` (coverage columns follow ``levels``).
    backtest_forecasts : pandas.DataFrame
        Long table of every backtest forecast: ``candidate, origin, step, actual, mean, lo.., hi..``.
    params : dict
        Parameters of the chosen model (for a combination, per member).
    fallback : str or None
        Plain-language note when the forecaster could not run its full procedure.
    notes : list of str
        Data treatments (interpolated gaps, replaced anomalies).
    anomalies : list
        Positions (index labels) of points replaced before fitting as anomalous.
    interval_factors : dict
        Level → per-horizon factors applied to the model's own band half-widths (the last one is
        used beyond the backtest horizon); empty when not calibrated.
    error_correlation : float
        Correlation between the errors of two forecast months, estimated from the backtest
        (used for the spread of sums); ``nan`` when not estimated.
    sum_df : float
        Backtest windows (origins with at least two forecast months) behind ``error_correlation``:
        the degrees of freedom of the Student t that sums follow; ``nan`` when not estimated.
    """

    model: str
    method: str
    season_length: int
    n_obs: int
    levels: tuple[int, ...]
    backtest: pd.DataFrame
    backtest_forecasts: pd.DataFrame
    params: dict[str, Any]
    fallback: str | None
    notes: list[str]
    anomalies: list
    index: pd.Index = field(repr=False)
    _predict: Any = field(repr=False, default=None)
    #: forecasts and bounds are clipped at this floor (0 for a history without negatives)
    floor: float | None = None
    interval_factors: dict[int, list[float]] = field(default_factory=dict)
    error_correlation: float = float("nan")
    sum_df: float = float("nan")

    @property
    def coverage_raw(self) -> dict[int, float]:
        """Backtest coverage (percent) of the chosen model's own intervals, before calibration."""
        row = self.backtest.loc[self.backtest["chosen"]] if len(self.backtest) else None
        if row is None or row.empty:
            return {lv: float("nan") for lv in self.levels}
        return {lv: float(row[f"coverage{lv}"].iloc[0]) for lv in self.levels}

    @property
    def coverage(self) -> dict[int, float]:
        """Backtest coverage (percent) of the delivered, calibrated intervals per nominal level.

        Measured out of sample: the factors applied at each origin are estimated on the other
        origins only (leave one origin out), so the figure is not flattered by the calibration.
        """
        row = self.backtest.loc[self.backtest["chosen"]] if len(self.backtest) else None
        if row is None or row.empty:
            return {lv: float("nan") for lv in self.levels}
        return {lv: float(row[f"coverage{lv}_calibrated"].iloc[0]) for lv in self.levels}

    @property
    def interval_scale(self) -> float:
        """Mean factor applied to the 80 % band half-widths over the horizons (1 = none)."""
        if not len(self.backtest):
            return 1.0
        return float(self.backtest.loc[self.backtest["chosen"], "interval_scale"].iloc[0])

    def predict(self, horizon: int) -> pd.DataFrame:
        """Forecast ``horizon`` periods ahead.

        Returns
        -------
        pandas.DataFrame
            Indexed by the forecast periods with ``mean, lo80, hi80, lo95, hi95`` (per level) and
            ``attrs`` holding ``model``, ``method``, ``season_length``, ``fallback``,
            ``coverage``, ``backtest`` (records, so that frames can still be concatenated),
            ``sd`` (list, per horizon) and ``error_correlation``; see
            :meth:`get_prediction` for the distribution.
        """
        horizon = int(horizon)
        if horizon < 1:
            raise ValueError("horizon must be a positive integer")
        with _Silence():
            p = self._predict(horizon, self.levels)
        mean = p.mean if self.floor is None else np.maximum(p.mean, self.floor)
        out = pd.DataFrame({"mean": mean}, index=_future_index(self.index, horizon))
        for lv in self.levels:
            lo, hi = p.bounds[lv]
            if self.floor is not None:
                lo, hi = np.maximum(lo, self.floor), np.maximum(hi, self.floor)
            out[f"lo{lv}"] = np.minimum(lo, mean)
            out[f"hi{lv}"] = np.maximum(hi, mean)
        out.index.name = self.index.name
        # sd per horizon from the calibrated bands before clipping at the floor
        lv_sd = 80 if 80 in p.bounds else max(p.bounds) if p.bounds else None
        sd = ((p.bounds[lv_sd][1] - p.bounds[lv_sd][0]) / (2 * _z(lv_sd))
              if lv_sd is not None else np.zeros(horizon))
        out.attrs.update(
            model=self.model,
            method=self.method,
            season_length=self.season_length,
            n_obs=self.n_obs,
            fallback=self.fallback,
            notes=list(self.notes),
            anomalies=[str(a) for a in self.anomalies],
            coverage={f"{lv}": v for lv, v in self.coverage.items()},
            coverage_raw={f"{lv}": v for lv, v in self.coverage_raw.items()},
            interval_scale=self.interval_scale,
            interval_factors={f"{lv}": list(v) for lv, v in self.interval_factors.items()},
            sd=[float(v) for v in np.clip(np.nan_to_num(sd), 0, None)],
            error_correlation=(float(self.error_correlation)
                               if np.isfinite(self.error_correlation) else None),
            sum_df=float(self.sum_df) if np.isfinite(self.sum_df) else None,
            backtest=self.backtest.to_dict("records"),
        )
        return out

    def get_prediction(self, horizon: int) -> PredictionResults:
        """Forecast distribution ``horizon`` periods ahead (mean, variance, intervals, sums).

        Examples
        --------
        >>> pr = AutoForecaster().fit(y).get_prediction(12)  # doctest: +SKIP
        >>> pr.interval(0.2); pr.sum_distribution(["2026-01", "2026-02", "2026-03"]).sd  # doctest: +SKIP
        """
        return PredictionResults(self.predict(horizon))

    def summary(self) -> pd.DataFrame:
        """One-row summary: model, backtest scores of the chosen model, coverage, fallback."""
        row: dict[str, Any] = {"model": self.model, "n_obs": self.n_obs,
                               "season_length": self.season_length}
        chosen = self.backtest.loc[self.backtest["chosen"]] if len(self.backtest) else None
        for col in ("mase", "wape", "bias"):
            row[col] = float(chosen[col].iloc[0]) if chosen is not None and len(chosen) else np.nan
        for lv, v in self.coverage.items():
            row[f"coverage{lv}"] = v
        row["interval_scale"] = self.interval_scale
        row["error_correlation"] = self.error_correlation
        row["fallback"] = self.fallback or ""
        return pd.DataFrame([row])


class AutoForecaster:
    """Automatic per-series forecaster chosen by rolling-origin backtest.

    Parameters
    ----------
    season_length : int, optional
        Season length; inferred from the index frequency when ``None`` (12 monthly, 4 quarterly).
    levels : tuple of int
        Nominal prediction-interval levels in percent.
    candidates : sequence of str
        Subset of ``snaive, ets, arima, theta, comb``. A single candidate skips the backtest unless
        ``backtest=True``.
    n_origins : int
        Largest number of rolling origins of the backtest, spread evenly over the last two
        horizons (from the first origin with enough training data) to the last observation.
    backtest : bool, optional
        Force the backtest on or off (default: on when there is a choice to make).
    clean_anomalies : bool
        Replace isolated anomalies by the robust STL fit before fitting (in the backtest, on each
        origin's training window only).
    choose_by : {"score", "total"}
        What the choice reads. ``"score"`` (default): the monthly backtest score (MASE + |mean
        scaled error|), for a forecast read month by month. ``"total"``: for a forecast read as
        a sum of months (P(hit) of a year, :mod:`salesnb.goals`), a single member replaces the
        score's choice when its backtest error of the horizon total is clearly lower
        (``TOTAL_MARGIN``); see :func:`_choose_total`.
    """

    def __init__(self, *, season_length: int | None = None,
                 levels: Sequence[int] = (80, 95),
                 candidates: Sequence[str] = CANDIDATES, n_origins: int = 8,
                 backtest: bool | None = None, clean_anomalies: bool = True,
                 choose_by: str = "score") -> None:
        unknown = set(candidates) - set(CANDIDATES)
        if unknown:
            raise ValueError(f"unknown candidates {sorted(unknown)}; choose from {CANDIDATES}")
        if choose_by not in ("score", "total"):
            raise ValueError(f"choose_by must be 'score' or 'total', not {choose_by!r}")
        self.choose_by = choose_by
        self.season_length = season_length
        self.levels = tuple(int(lv) for lv in levels)
        self.candidates = tuple(candidates)
        self.n_origins = int(n_origins)
        self.backtest = backtest
        self.clean_anomalies = clean_anomalies

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, y: pd.Series) -> ForecastResults:
        """Fit the candidates to ``y``, backtest them and choose one.

        Parameters
        ----------
        y : pandas.Series
            Monthly or quarterly values (PeriodIndex or DatetimeIndex), or any index with
            ``season_length`` given. Interior missing values are interpolated.

        Returns
        -------
        ForecastResults
        """
        if not isinstance(y, pd.Series):
            y = pd.Series(y)
        values = pd.to_numeric(y, errors="coerce").astype(float)
        if values.isna().all() or len(values) == 0:
            raise ValueError("auto_forecast needs at least one non-missing value")
        notes: list[str] = []  # fallbacks: the full procedure could not run
        remarks: list[str] = []  # data treatments that do not change the procedure
        if values.isna().any():
            remarks.append(Message("{n} missing value(s) interpolated",
                                   n=int(values.isna().sum())))
            values = values.interpolate(limit_direction="both")
        x = values.to_numpy(float)
        m = self.season_length or season_length_of(y.index)
        if m is None:
            m = 1
            notes.append(Message("season length unknown (no frequency): treated as non-seasonal"))
        m = int(m)
        n = len(x)
        levels = self.levels
        empty = pd.DataFrame()

        def done(method, label, predict, params, bt=empty, bf=empty, anomalies=(), factors=None,
                 rho=float("nan"), sum_df=float("nan")):
            return ForecastResults(
                model=label, method=method, season_length=m, n_obs=n, levels=levels,
                backtest=bt, backtest_forecasts=bf, params=params,
                fallback=Message.join("; ", notes) or None, notes=list(remarks),
                anomalies=[y.index[i] for i in anomalies],
                index=y.index, _predict=predict, floor=0.0 if np.all(x >= 0) else None,
                interval_factors={lv: [float(v) for v in f] for lv, f in (factors or {}).items()},
                error_correlation=float(rho), sum_df=float(sum_df))

        if n < _MIN_OBS:
            notes.insert(0, Message("only {n} observation(s): naive forecast (last value), "
                                    "intervals from the spread of changes", n=n) if n > 1 else
                         Message("only {n} observation(s): naive forecast (last value), no "
                                 "interval can be estimated", n=n))
            fitted = _fit_snaive(x, 1)
            return done("naive", "naive", fitted.predict, fitted.params)

        if np.ptp(x) == 0:
            level = float(x[-1])
            notes.insert(0, Message("constant series (all values {level}): flat forecast, "
                                    "zero-width intervals", level=f"{level:g}"))

            def flat(h, lv):
                mean = np.full(h, level)
                return _Pred(mean, {v: (mean.copy(), mean.copy()) for v in lv})

            return done("constant", "constant", flat, {"level": level})
        cands = [c for c in self.candidates]
        if m > 1 and n < 2 * m:
            notes.insert(0, _short_season_words(n, m))
            m_fit = 1
        elif m > 24:
            # very long seasons (weekly data): seasonal ETS/SARIMA are too slow and too
            # parameter-hungry; keep the seasonal naive and the (classically deseasonalised) Theta
            cands = [c for c in cands if c in ("snaive", "theta", "comb")]
            m_fit = m
        else:
            m_fit = m

        anomalies: list[int] = []
        fit_x = x
        if self.clean_anomalies:
            fit_x, anomalies = _clean_anomalies(x, m_fit)
            if anomalies:
                remarks.append(Message("{n} anomalous point(s) replaced by the robust STL fit "
                                       "before modelling", n=len(anomalies)))

        base = [c for c in cands if c != "comb"]
        want_comb = "comb" in cands and len(base) >= 2
        h_bt, origins = self._origins(n, m_fit)
        do_bt = self.backtest if self.backtest is not None else (len(base) > 1 or want_comb)
        if do_bt and not origins:
            notes.append(_no_backtest_words(n, m))
            do_bt = False

        # full-sample fits
        fitted: dict[str, _Fitted] = {}
        with _Silence():
            for c in base:
                try:
                    fitted[c] = _FITTERS[c](fit_x, m_fit)
                except Exception:  # noqa: BLE001 - a failing candidate drops out
                    continue
        if not fitted:
            fitted["snaive"] = _fit_snaive(fit_x, m_fit)
            notes.append(Message("every candidate failed to fit: seasonal naive used"))

        if not do_bt:
            order = [c for c in ("comb", "ets", "arima", "theta", "snaive") if c in fitted]
            if want_comb and len(fitted) >= 2 and "comb" in self.candidates:
                members = [c for c in ("ets", "arima", "theta") if c in fitted] or list(fitted)
                return done("comb", _comb_label(members), _comb_predict(fitted, members),
                            {c: fitted[c].params for c in members}, anomalies=anomalies)
            c = order[0] if order else next(iter(fitted))
            f = fitted[c]
            return done(c, f.label, f.predict, f.params, anomalies=anomalies)

        bt, bf, members, cal = self._backtest(x, m_fit, h_bt, origins, list(fitted), want_comb)
        best = _choose(bt) if self.choose_by == "score" else _choose_total(bt, bf, members)
        bt["chosen"] = bt["candidate"] == best
        if best == "comb":
            label = _comb_label(members)
            predict = _comb_predict(fitted, members)
            params = {c: fitted[c].params for c in members}
        else:
            label, predict, params = fitted[best].label, fitted[best].predict, fitted[best].params
        factors, rho, sum_df = cal[best]
        if not factors:
            notes.append(Message("the models were tested on too few past months to check the range around "
                                 "the forecast, so it is the models' own range") if _SEASON_UNITS.get(m) == "months"
                         else Message("the models were tested on too few past periods to check the range "
                                      "around the forecast, so it is the models' own range"))
        predict = _scaled(predict, factors)
        bt["model"] = [label if c == "comb" and best == "comb" else
                       (_comb_label(members) if c == "comb" else fitted[c].label)
                       for c in bt["candidate"]]
        return done(best, label, predict, params, bt, bf, anomalies, factors, rho, sum_df)

    def _origins(self, n: int, m: int) -> tuple[int, list[int]]:
        """Backtest horizon and origins: up to ``n_origins``, evenly spread from the first
        origin with enough training data to the last observation (later origins forecast
        fewer steps)."""
        h = m if m > 1 else 4
        min_train = max(2 * m + 2, 8, n - 2 * h) if m > 1 else max(8, n - 2 * h)
        last = n - 1
        if last < min_train:
            return h, []
        span = last - min_train + 1
        step = max(1, math.ceil(span / max(self.n_origins, 1)))
        return h, sorted(range(last, min_train - 1, -step))

    def _backtest(self, x, m, h, origins, names, want_comb):
        """Rolling-origin backtest without look-ahead.

        At each origin the training window is cleaned of anomalies on its own, each candidate's
        configuration (ETS form, ARIMA orders) is chosen on the first origin's training data
        only and kept, and the parameters are re-estimated once a season (filtered
        with the latest estimates in between). Returns the score table, the long table of
        forecasts, the combination members and, per candidate, (per-horizon interval factors,
        error correlation, backtest windows behind it).
        """
        levels = self.levels
        n = len(x)
        specs: dict[str, Any] = {}
        refit_at: dict[str, int] = {}
        preds: dict[str, dict[int, _Pred]] = {c: {} for c in names}
        ok = {c: True for c in names}
        trains: dict[int, np.ndarray] = {}
        refit_every = max(4, m)
        with _Silence():
            for o in origins:
                train = x[:o]
                if self.clean_anomalies:
                    train, _ = _clean_anomalies(train, m)
                trains[o] = train
                hh = min(h, n - o)
                for c in names:
                    if not ok[c]:
                        continue
                    spec = specs.get(c)
                    if spec is not None and o - refit_at[c] < refit_every:
                        spec = (*spec[:2], "fixed", *spec[3:])
                    try:
                        f = _FITTERS[c](train, m, spec)
                        p = f.predict(hh, levels)
                        if not np.all(np.isfinite(p.mean)):
                            raise FloatingPointError
                    except Exception:  # noqa: BLE001
                        ok[c] = False
                        continue
                    if c in ("ets", "arima") and (spec is None or spec[2:3] != ("fixed",)):
                        specs[c], refit_at[c] = f.spec, o
                    preds[c][o] = p
        names = [c for c in names if ok[c] and len(preds[c]) == len(origins)]
        members: list[str] = []
        if want_comb:
            # the three model-based candidates; the seasonal naive only stands in for a missing one
            members = [c for c in ("ets", "arima", "theta") if c in names]
            if len(members) < 2 and "snaive" in names:
                members.append("snaive")
            if len(members) >= 2:
                preds["comb"] = {o: _combine([preds[c][o] for c in members], levels)
                                 for o in origins}
                names.append("comb")
        if not names:
            preds["snaive"] = {o: _fit_snaive(trains[o], m).predict(min(h, n - o), levels)
                               for o in origins}
            names = ["snaive"]
        table, rows, cal = [], [], {}
        for c in names:
            res, recs, cal[c] = _score(c, preds[c], x, trains, m, levels)
            table.append(res)
            rows += recs
        bt = pd.DataFrame(table)
        bt.insert(1, "model", "")
        bt["chosen"] = False
        return bt, pd.DataFrame(rows), members, cal


def _score(name: str, plist: Mapping[int, _Pred], x: np.ndarray, trains: Mapping[int, np.ndarray],
           m: int, levels: tuple[int, ...]):
    """Backtest scores, long records and (per-horizon factors, error correlation, windows behind
    it) of one candidate."""
    origins = sorted(plist)
    rows, scaled, mse, acts, fcs = [], [], [], [], []
    cover: dict[int, list] = {lv: [] for lv in levels}
    ratios: dict[int, list[np.ndarray]] = {lv: [] for lv in levels}
    for o in origins:
        p = plist[o]
        hh = len(p.mean)
        actual = x[o:o + hh]
        scale = _mase_scale(trains[o], m)
        err = p.mean - actual
        scaled.append(np.mean(np.abs(err)) / scale if scale > 0 else np.nan)
        mse.append(np.mean(err) / scale if scale > 0 else np.nan)
        acts.append(actual)
        fcs.append(p.mean)
        for lv in levels:
            lo, hi = p.bounds[lv]
            cover[lv].append((actual >= lo - 1e-9) & (actual <= hi + 1e-9))
            ratios[lv].append(_band_ratio(actual, p, lv))
        for k in range(hh):
            rec = {"candidate": name, "origin": o, "step": k + 1, "actual": actual[k],
                   "mean": p.mean[k]}
            for lv in levels:
                rec[f"lo{lv}"] = p.bounds[lv][0][k]
                rec[f"hi{lv}"] = p.bounds[lv][1][k]
            rows.append(rec)
    a, f = np.concatenate(acts), np.concatenate(fcs)
    denom = np.sum(np.abs(a))
    finite = np.isfinite(scaled)
    res: dict[str, Any] = {
        "candidate": name,
        "mase": float(np.nanmean(scaled)) if finite.any() else np.nan,
        "wape": wape(a, f),
        "bias": float(np.sum(f - a) / denom) if denom > 0 else np.nan,
        # mean error in MASE units: a model that keeps under-projecting a growing series is
        # penalised in the choice even when its absolute errors look small
        "mean_scaled_error": float(np.nanmean(mse)) if finite.any() else np.nan,
    }
    res["score"] = res["mase"] + abs(res["mean_scaled_error"])
    for lv in levels:
        res[f"coverage{lv}"] = float(100 * np.mean(np.concatenate(cover[lv])))
    factors = {lv: _horizon_factors(ratios[lv], lv) for lv in levels}
    if any(f is None for f in factors.values()):
        factors = {}
    cal_lv = 80 if 80 in levels else levels[0]
    res["interval_scale"] = float(np.mean(factors[cal_lv])) if factors else 1.0
    for lv in levels:
        hits = []
        for i in range(len(origins)):
            rest = ratios[lv][:i] + ratios[lv][i + 1:]
            fi = _horizon_factors(rest, lv)
            r = ratios[lv][i]
            fi = np.ones(len(r)) if fi is None else _extend(fi, len(r))
            hits.append(r <= fi + 1e-12)
        res[f"coverage{lv}_calibrated"] = (float(100 * np.mean(np.concatenate(hits)))
                                           if len(origins) >= 2 else np.nan)
    res["n_forecasts"] = int(len(a))
    rho = _error_correlation(plist, x, factors.get(cal_lv), cal_lv)
    # the windows behind rho: the origins that forecast two months or more
    windows = sum(len(plist[o].mean) >= 2 for o in origins)
    return res, rows, (factors, rho, float(windows) if np.isfinite(rho) else float("nan"))


def _band_ratio(actual: np.ndarray, p: _Pred, level: int) -> np.ndarray:
    """Error as a multiple of the half-width of the ``level`` band on its side (<= 1: covered)."""
    lo, hi = p.bounds[level]
    err = actual - p.mean
    half = np.where(err >= 0, hi - p.mean, p.mean - lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.abs(err) / half
    return np.where(half > 0, r, np.where(np.abs(err) > 0, np.inf, 0.0))


#: fewest backtest errors behind one horizon's interval factor: neighbouring horizons are pooled
#: until there are this many (errors are measured against each model's own band, which already
#: widens with the horizon, so neighbours are comparable)
MIN_ERRORS_PER_HORIZON = 30

#: assumed correlation (intra-class) between the coverage scores of one backtest origin: the
#: ratios of an origin move together, but not as one. The pooled ratios then carry
#: N / (1 + (k - 1) rho) independent scores (Kish's effective sample size, k ratios per origin),
#: between the number of origins (rho = 1, which over-covered: 80 % bands held 0.85 on average
#: over 180 simulated planning years) and the number of ratios (rho = 0, which under-covered
#: 2-6 months ahead, 0.60-0.63). 0.5 was set on simulations (docs/calibration.md).
WITHIN_ORIGIN_CORRELATION = 0.5

#: fewest backtest origins for :data:`WITHIN_ORIGIN_CORRELATION` to apply: a shorter backtest
#: (short history) counts its origins only, the more conservative rule
MIN_ORIGINS_EFFECTIVE = 6


def _horizon_factors(by_origin: Sequence[np.ndarray], level: int) -> np.ndarray | None:
    """Per-horizon factors for the ``level`` band from the backtest ratios |error| / half-width.

    At each horizon the ratios are pooled with neighbouring horizons until
    :data:`MIN_ERRORS_PER_HORIZON` errors, and the factor is the conformal quantile of the pool
    with the sample size counted in effective independent scores (:func:`_effective_scores`,
    :func:`_origin_conformal_level`): the ratios of one origin move together across neighbouring
    horizons, so a pool of 30 ratios from 8 origins carries fewer than 30 independent scores
    (about 13 with :data:`WITHIN_ORIGIN_CORRELATION`), never fewer than 8. A backtest of fewer
    than :data:`MIN_ORIGINS_EFFECTIVE` origins counts its origins only.
    ``None`` when fewer than 10 errors in all.
    """
    if not by_origin:
        return None
    width = max(len(r) for r in by_origin)
    steps, owner = [], []
    for k in range(width):
        vals = np.array([r[k] for r in by_origin if len(r) > k], dtype=float)
        who = np.array([i for i, r in enumerate(by_origin) if len(r) > k], dtype=int)
        keep = ~np.isnan(vals)
        steps.append(np.minimum(vals[keep], 20.0))
        owner.append(who[keep])
    if sum(len(s) for s in steps) < 10:
        return None
    out = np.empty(width)
    for k in range(width):
        w = 0
        while True:
            pool = np.concatenate(steps[max(0, k - w):k + w + 1])
            if len(pool) >= MIN_ERRORS_PER_HORIZON or (k - w <= 0 and k + w >= width - 1):
                break
            w += 1
        n_origins = len(np.unique(np.concatenate(owner[max(0, k - w):k + w + 1])))
        n_eff = (_effective_scores(len(pool), n_origins)
                 if len(by_origin) >= MIN_ORIGINS_EFFECTIVE else float(n_origins))
        out[k] = _quantile(pool, _origin_conformal_level(level / 100, n_eff))
    return out


def _effective_scores(n_ratios: int, n_origins: int,
                      rho: float | None = None) -> float:
    """Independent scores behind ``n_ratios`` ratios from ``n_origins`` backtest origins.

    Kish's effective sample size of clustered scores, n / (1 + (k - 1) rho) with k = n / origins
    ratios per origin and rho the correlation within an origin
    (:data:`WITHIN_ORIGIN_CORRELATION` by default), never below the number of origins.
    """
    rho = WITHIN_ORIGIN_CORRELATION if rho is None else float(rho)
    n_origins = max(int(n_origins), 1)
    k = max(n_ratios / n_origins, 1.0)
    return float(max(n_origins, n_ratios / (1 + (k - 1) * rho)))


def _origin_conformal_level(q: float, n_origins: float) -> float:
    """Quantile level that gives coverage ``q`` from ``n_origins`` exchangeable scores.

    Split conformal with n exchangeable scores takes the ceil((n + 1) q)-th smallest, i.e. the
    quantile at level (n + 1) q / n (1: the largest). Here n is the effective number of
    independent scores behind a pool (:func:`_effective_scores`; at least the number of distinct
    backtest origins, however many ratios each contributes); the quantile of the pooled ratios at
    that level uses all of them.
    """
    n = max(float(n_origins), 1.0)
    return float(min(1.0, q * (n + 1) / n))


def _quantile(r: np.ndarray, q: float) -> float:
    """Empirical ``q`` quantile (linear interpolation between order statistics)."""
    return float(np.quantile(np.asarray(r, dtype=float), q))


def _extend(f: Sequence[float], h: int) -> np.ndarray:
    """Per-horizon factors for ``h`` steps (the last factor repeated beyond the backtest)."""
    f = np.asarray(f, dtype=float)
    if len(f) >= h:
        return f[:h]
    return np.r_[f, np.full(h - len(f), f[-1])]


def _error_correlation(plist: Mapping[int, _Pred], x: np.ndarray, factors: np.ndarray | None,
                       level: int) -> float:
    """Common correlation between the errors of two horizons, from the backtest sums.

    With standardised errors z (error / calibrated sd) at each origin, the sum S of k of them
    has E[S²] = k + ρ k (k − 1); ρ = Σ(S² − Σz²) / Σ(k − 1)Σz² over origins, within [0, 1].
    """
    num = den = 0.0
    for o, p in plist.items():
        hh = len(p.mean)
        if hh < 2:
            continue
        lo, hi = p.bounds[level]
        f = np.ones(hh) if factors is None else _extend(factors, hh)
        sd = f * (hi - lo) / (2 * _z(level))
        err = x[o:o + hh] - p.mean
        if np.any(sd <= 0):
            continue
        z = err / sd
        num += float(z.sum() ** 2 - (z**2).sum())
        den += float((hh - 1) * (z**2).sum())
    if den <= 0:
        return float("nan")
    return float(np.clip(num / den, 0.0, 1.0))


def _nested(bounds: dict[int, tuple[np.ndarray, np.ndarray]]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Each level's band at least as wide as every lower level's: factors calibrated level by
    level on few backtest origins can leave the 95 % band inside the 80 % one (Northwind's
    22 months: 95 % low 17,506 above the 80 % low 16,801)."""
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    lo_in = hi_in = None
    for lv in sorted(bounds):
        lo, hi = bounds[lv]
        if lo_in is not None:
            lo, hi = np.minimum(lo, lo_in), np.maximum(hi, hi_in)
        out[lv] = (lo, hi)
        lo_in, hi_in = lo, hi
    return out


def _scaled(predict, factors: Mapping[int, Sequence[float]]):
    """Widen (or narrow) each band of ``predict`` around its mean by its per-horizon factors."""
    if not factors:
        return predict

    def scaled(h: int, levels: tuple[int, ...]) -> _Pred:
        p = predict(h, levels)
        bounds = {}
        for lv, (lo, hi) in p.bounds.items():
            f = _extend(factors[lv], h) if lv in factors else np.ones(h)
            bounds[lv] = (p.mean - f * (p.mean - lo), p.mean + f * (hi - p.mean))
        return _Pred(p.mean, _nested(bounds))

    return scaled


#: a single model replaces the combination only when the combination's backtest score exceeds
#: the best single model's by more than this fraction (0.75: the single model must score more
#: than 43 % lower, as 1 - 1/1.75 = 0.43). Short backtests are noisy: on the benchmark
#: (benchmarks/forecast_bench.py) picking the lowest backtest MASE outright did worse than the
#: combination on both the demo and the real series (margin 0: 0.80/0.74 against 0.74/0.65).
COMBINATION_MARGIN = 0.75


def _choose(bt: pd.DataFrame) -> str:
    """Lowest backtest score (MASE + |mean scaled error|), the combination kept unless clearly
    beaten, and kept whenever the backtest made fewer than :data:`MIN_COVERAGE_FORECASTS`
    forecasts per model: a handful of months ranks nothing (BikeStores: ARIMA replaced the
    combination on one forecast per model)."""
    col = "score" if "score" in bt.columns else "mase"
    ok = bt[np.isfinite(bt[col])]
    if ok.empty:
        return "comb" if "comb" in set(bt["candidate"]) else str(bt["candidate"].iloc[0])
    if _few_forecasts(bt) and "comb" in set(ok["candidate"]):
        return "comb"
    best = ok.loc[ok[col].idxmin()]
    comb = ok[ok["candidate"] == "comb"]
    if not comb.empty and float(comb[col].iloc[0]) <= (1 + COMBINATION_MARGIN) * float(
            best[col]):
        return "comb"
    return str(best["candidate"])


#: with ``choose_by="total"``, a single member replaces the score's choice when its mean absolute
#: backtest error of the horizon total is lower by more than this share. On the choice study
#: (``benchmarks/forecast_bench.py --choice-study``) it took the under-projection of the year
#: total on steadily growing series from -3.8 % to -1.4 %, at the cost of a larger mean absolute
#: total error on the demo's region x category series (4.2 % -> 4.9 %; the real series 1.4 % both),
#: which is why 03's monthly forecasts keep the score's choice (docs/goals.md, "Eighth pass").
TOTAL_MARGIN = 0.3


def _total_errors(bf: pd.DataFrame, candidate: str) -> np.ndarray:
    """Per backtest origin, the relative error of the forecast total over the origin's horizon
    (forecast sum / actual sum - 1); origins whose actual total is not positive are left out."""
    g = bf[bf["candidate"] == candidate].groupby("origin")[["mean", "actual"]].sum()
    g = g[g["actual"] > 0]
    return (g["mean"] / g["actual"] - 1).to_numpy(float)


def _choose_total(bt: pd.DataFrame, bf: pd.DataFrame, members: Sequence[str]) -> str:
    """The monthly score's choice (:func:`_choose`), unless one combination member's mean
    absolute backtest error of the horizon total is lower than the choice's by more than
    ``TOTAL_MARGIN``: a year's P(hit) rests on the total, and a combination whose members
    under-project a steady growth by different amounts is biased on the total even when it wins
    month by month."""
    chosen = _choose(bt)
    ok = set(bt.loc[np.isfinite(bt["score"] if "score" in bt else bt["mase"]), "candidate"])
    cands = [c for c in members if c in ok]
    if len(cands) < 2 or bf.empty or _few_forecasts(bt):
        return chosen

    def err(c: str) -> float:
        e = _total_errors(bf, c)
        return float(np.mean(np.abs(e))) if len(e) else float("inf")

    ref = err(chosen)
    best = min(cands, key=err)
    return best if np.isfinite(ref) and err(best) < (1 - TOTAL_MARGIN) * ref else chosen


def _few_forecasts(bt: pd.DataFrame) -> bool:
    """Whether the backtest made fewer than :data:`MIN_COVERAGE_FORECASTS` forecasts per model."""
    n = pd.to_numeric(bt.get("n_forecasts", pd.Series(dtype=float)), errors="coerce")
    return bool(n.notna().any() and n.max() < MIN_COVERAGE_FORECASTS)


def _comb_label(members: Sequence[str]) -> str:
    return "combination(" + "+".join(members) + ")"


#: a season length's period, for the plain-words fallback of a short history (:func:`_short_season_words`)
_SEASON_UNITS = {12: "months", 4: "quarters", 52: "weeks"}


def _short_season_words(n: int, m: int) -> Message:
    """Why a history of ``n`` periods, seasons of ``m``, is forecast without seasons, in plain words
    (Northwind's 01 read "history shorter than two seasons (18 < 2x12): seasonal models not
    identifiable, non-seasonal candidates used")."""
    unit = _SEASON_UNITS.get(m)
    if unit == "months":
        return Message("{n} months of history is less than two full years, so the forecast cannot learn a "
                       "yearly pattern and ignores seasons", n=n)
    if unit == "quarters":
        return Message("{n} quarters of history is less than two full years, so the forecast cannot learn a "
                       "yearly pattern and ignores seasons", n=n)
    if unit == "weeks":
        return Message("{n} weeks of history is less than two full years, so the forecast cannot learn a "
                       "yearly pattern and ignores seasons", n=n)
    return Message("{n} points of history are fewer than two full seasons of {m}, so the forecast cannot "
                   "learn a seasonal pattern and ignores seasons", n=n, m=m)


def _no_backtest_words(n: int, m: int) -> Message:
    """Why the forecast was not tested on past periods, in plain words (BikeStores' 01 read "history
    too short for a backtest (24 obs): model chosen by default order, intervals not calibrated and
    coverage not measured")."""
    if _SEASON_UNITS.get(m) == "months":
        return Message("{n} months of history is too short to test the models on past months, so the "
                       "forecast model is not chosen by its track record and the range around the "
                       "forecast is not checked against past errors", n=n)
    return Message("{n} points of history are too few to test the models on past periods, so the forecast "
                   "model is not chosen by its track record and the range around the forecast is not "
                   "checked against past errors", n=n)


def _seasonal_naive_words(season_length: int | None) -> Message:
    """What the seasonal naive repeats, by the season it was fitted with: the same month, quarter
    or week last year (12, 4, 52), the same period last year when the season is not known, the value
    one season earlier for any other season (7 days: not a year)."""
    if season_length is None:
        return Message("same period last year")
    return {12: Message("same month last year"), 4: Message("same quarter last year"),
            52: Message("same week last year")}.get(
        int(season_length), Message("the value {m} periods earlier", m=int(season_length)))


def _member_words(member: str, season_length: int | None = None) -> Any:
    """The plain words of a combination's member (:func:`model_words`); ARIMA and Theta are names."""
    if member == "snaive":
        return _seasonal_naive_words(season_length)
    return {"ets": Message("exponential smoothing"), "theta": Message("Theta"),
            "arima": Verbatim("ARIMA")}.get(member, Verbatim(member))


def model_words(label: Any, *, form: str = "table", season_length: int | None = None) -> Any:
    """A model's label (``attrs["model"]``, the backtest's ``model``) in plain words for a page.

    ``"combination(ets+arima+theta)"`` reads "an average of three forecasting models (exponential
    smoothing, ARIMA, Theta)", ``"seasonal naive"`` "same month last year" on monthly data. In a
    table (the backtest) the notation stays beside the words ("exponential smoothing ETS(M,N,M)",
    "ARIMA(1,0,0)(0,1,1)[12]", "same month last year (seasonal naive)"); in a sentence it goes
    ("exponential smoothing", "ARIMA"); a chart title also drops a combination's members. Translated
    when shown; published values keep the label (``attrs["model"]``).

    Parameters
    ----------
    label : str
        The model's label.
    form : {"table", "sentence", "title"}
        Where the words are shown: a table cell, a sentence or caption (01's SMART caption, 05's
        run-rate), a chart title (within :data:`salesnb.viz.MAX_LABEL`).
    season_length : int, optional
        The season the model was fitted with (the forecast's ``attrs["season_length"]``): what the
        seasonal naive repeats, "same month last year" (12), "same quarter last year" (4), "same
        week last year" (52); "same period last year" when not given.

    Examples
    --------
    >>> str(model_words("combination(ets+theta)"))
    'an average of two forecasting models (exponential smoothing and Theta)'
    >>> str(model_words("ARIMA(1,1,1) on log", form="sentence"))
    'ARIMA, fitted on a log scale'
    """
    if form not in ("table", "sentence", "title"):
        raise ValueError(f"form must be 'table', 'sentence' or 'title', got {form!r}")
    s = "" if label is None else str(label)
    if s.startswith("combination(") and s.endswith(")"):
        members = [m for m in s[len("combination("):-1].split("+") if m]
        words = [_member_words(m, season_length) for m in members]
        if form == "title":
            return (Message("an average of two forecasting models") if len(words) == 2 else
                    Message("an average of three forecasting models") if len(words) == 3 else
                    Message("an average of {n} forecasting models", n=len(words)))
        if len(words) == 2:
            return Message("an average of two forecasting models ({a} and {b})", a=words[0], b=words[1])
        if len(words) == 3:
            return Message("an average of three forecasting models ({a}, {b}, {c})", a=words[0], b=words[1],
                           c=words[2])
        return Message("an average of {n} forecasting models ({members})", n=len(members),
                       members=Verbatim(", ".join(members)))
    if s.endswith(" on log"):
        return Message("{model}, fitted on a log scale", model=model_words(s[:-len(" on log")], form=form,
                                                                             season_length=season_length))
    notation = form == "table"
    if s.startswith("ETS("):
        return Message("exponential smoothing {notation}", notation=Verbatim(s)) if notation else \
            Message("exponential smoothing")
    if s.startswith("ARIMA(") and not notation:
        return Verbatim("ARIMA")
    if s == "seasonal naive":
        words = _seasonal_naive_words(season_length)
        return Message("{words} (seasonal naive)", words=words) if notation else words
    words = {"Theta": Message("Theta"),
             "naive": Message("last value repeated (naive)" if notation else "last value repeated"),
             "constant": Message("a flat line (the history is constant)")}
    return words.get(s, Verbatim(s))


def _comb_predict(fitted: Mapping[str, _Fitted], members: Sequence[str]):
    def predict(h: int, levels: tuple[int, ...]) -> _Pred:
        return _combine([fitted[c].predict(h, levels) for c in members], levels)

    return predict


def auto_forecast(y: pd.Series, horizon: int, *, season_length: int | None = None,
                  levels: Sequence[int] = (80, 95), choose_by: str = "score") -> pd.DataFrame:
    """Forecast a monthly or quarterly series with an automatically chosen model.

    Candidates: seasonal naive, the ETS family selected by AICc, a small automatic SARIMA
    (seasonal differencing when the seasonal strength is at least 0.5, KPSS for the first
    difference, two orders by AICc), the Theta method and the mean of the three model-based
    candidates. All are scored per series by a rolling-origin backtest (horizon one season, up to
    eight origins over the last two seasons) on MASE + |mean scaled error| (bias counts), with
    WAPE and interval coverage. The combination is kept unless its backtest score exceeds the best
    single model's by more than ``COMBINATION_MARGIN`` (75 %, i.e. the single model must score
    more than 43 % lower): short backtests are noisy and combinations are robust (the
    M-competitions' lesson, confirmed by ``benchmarks/forecast_bench.py``). The chosen model's
    intervals are scaled per horizon by the conformal quantile of the backtest errors relative to
    its own bands, the sample counted in effective independent scores (at least the backtest
    origins; ``attrs["interval_factors"]``; mean of the 80 % factors in
    ``attrs["interval_scale"]``).

    Parameters
    ----------
    y : pandas.Series
        History, oldest first. Monthly or quarterly with a PeriodIndex or DatetimeIndex, or any
        index with ``season_length`` given.
    horizon : int
        Number of periods to forecast.
    season_length : int, optional
        Overrides the season length inferred from the index.
    levels : sequence of int
        Prediction-interval levels in percent.
    choose_by : {"score", "total"}
        ``"total"`` when the forecast is read as a sum of months (see :class:`AutoForecaster`).

    Returns
    -------
    pandas.DataFrame
        Indexed by the forecast periods, columns ``mean, lo80, hi80, lo95, hi95``.
        ``attrs["model"]`` names the chosen model; ``attrs["backtest"]`` holds the backtest table
        (records: MASE, WAPE, bias and the empirical coverage of each level per candidate),
        ``attrs["coverage"]`` the backtest coverage of the delivered (calibrated) intervals,
        estimated leaving one origin out, ``attrs["coverage_raw"]`` that of the model's own
        intervals, ``attrs["fallback"]`` a note when
        the history was too short or constant (``None`` otherwise), ``attrs["notes"]`` data
        treatments (interpolated gaps, replaced anomalies).

    Notes
    -----
    Robust to one anomalous month (points beyond 5 robust SDs of the robust-STL remainder are
    replaced before fitting), zeros (multiplicative models are then excluded), short history
    (fewer than two seasons: non-seasonal candidates, stated in ``attrs["fallback"]``) and flat
    series (constant forecast). Use :class:`AutoForecaster` to keep the fitted results.

    Examples
    --------
    >>> fc = auto_forecast(monthly_revenue, 12)  # doctest: +SKIP
    >>> fc.attrs["model"], fc.attrs["coverage"]  # doctest: +SKIP
    """
    return AutoForecaster(season_length=season_length, levels=levels,
                          choose_by=choose_by).fit(y).predict(horizon)


def forecast_frame(history: pd.Series, forecast: pd.DataFrame, *, name: str = "") -> pd.DataFrame:
    """Join history and forecast into one tidy frame for tables and fan charts.

    Parameters
    ----------
    history : pandas.Series
        Observed values.
    forecast : pandas.DataFrame
        Output of :func:`auto_forecast`.
    name : str
        Series label stored in a ``series`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``period, series, kind ("actual"/"forecast"), value, lo.., hi..``.
    """
    h = pd.DataFrame({"period": history.index, "value": history.to_numpy(float)})
    h["kind"] = "actual"
    f = forecast.rename(columns={"mean": "value"}).copy()
    f.attrs = {}
    f.insert(0, "period", forecast.index)
    f = f.reset_index(drop=True)
    f["kind"] = "forecast"
    out = pd.concat([h, f], ignore_index=True)
    out.insert(1, "series", name)
    return out


# --------------------------------------------------------------------------------------------
# decomposition and growth
# --------------------------------------------------------------------------------------------


def stl_decompose(y: pd.Series, *, season_length: int | None = None, robust: bool = True
                  ) -> pd.DataFrame:
    """Robust STL decomposition of a regular series.

    Parameters
    ----------
    y : pandas.Series
        Values with a PeriodIndex/DatetimeIndex (or any index with ``season_length``).
    season_length : int, optional
        Inferred from the index frequency when ``None``.
    robust : bool
        Down-weight outliers (an anomalous month then lands in the remainder, not in the
        seasonal component).

    Returns
    -------
    pandas.DataFrame
        Same index; columns ``observed, trend, seasonal, resid, weight`` (robustness weights,
        small for outliers).
    """
    from statsmodels.tsa.seasonal import STL

    m = season_length or season_length_of(y.index)
    if m is None or m < 2:
        raise ValueError("stl_decompose needs a season length >= 2")
    x = pd.to_numeric(y, errors="coerce").astype(float).interpolate(limit_direction="both")
    if len(x) < 2 * m:
        raise ValueError(f"stl_decompose needs at least two seasons ({2 * m} values)")
    with _Silence():
        r = STL(x.to_numpy(), period=int(m), robust=robust).fit()
    return pd.DataFrame({"observed": x.to_numpy(), "trend": r.trend, "seasonal": r.seasonal,
                         "resid": r.resid, "weight": r.weights}, index=y.index)


def unusual_months_note(decomposition: pd.DataFrame, *, cut: float = 0.3, max_run: int = 2) -> str:
    """Which months the robust decomposition (:func:`stl_decompose`) treated as unusual, in words.

    Robust STL gives an outlier a small weight (below ``cut``). A run of more than ``max_run``
    down-weighted months in a row is not a set of outliers but a change the decomposition does
    not follow (a level that moved, a seasonal pattern that changed, a history too short for its
    growth): the note says so instead of calling those months unusual. ``""`` when none is.
    """
    low = decomposition["weight"].to_numpy() < cut
    if not low.any():
        return ""
    months = [str(i) for i, w in zip(decomposition.index, low, strict=True) if w]
    run = longest = 0
    for w in low:
        run = run + 1 if w else 0
        longest = max(longest, run)
    if longest > max_run:
        return Message("The robust decomposition down-weights {n} months, {run} of them in a row ({months}): "
                       "that is a change it does not follow (a level that moved, a season that changed, or a "
                       "history too short for its growth), not single unusual months; read the trend and "
                       "seasonal parts with care.", n=len(months), run=longest,
                       months=listing(months))
    return Message("Months treated as unusual by the robust decomposition: {months}",
                   months=listing(months))


def seasonal_profile(decomposition: pd.DataFrame, *, multiplicative: bool = True) -> pd.Series:
    """Average seasonal shape by position in the season (e.g. month of year).

    Parameters
    ----------
    decomposition : pandas.DataFrame
        Output of :func:`stl_decompose` (PeriodIndex/DatetimeIndex for calendar positions).
    multiplicative : bool
        Express the shape as a ratio to the trend (mean 1) rather than additive amounts (mean 0).

    Returns
    -------
    pandas.Series
        Indexed by month (1-12), quarter (1-4) or position in the season.
    """
    idx = decomposition.index
    if isinstance(idx, pd.PeriodIndex | pd.DatetimeIndex):
        freq = season_length_of(idx)
        pos = idx.quarter if freq == 4 else (idx.month if freq == 12 else None)
    else:
        pos = None
    if pos is None:
        m = int(decomposition.attrs.get("season_length", 12))
        pos = np.arange(len(idx)) % m + 1
    if multiplicative:
        vals = (decomposition["seasonal"] / decomposition["trend"]).to_numpy()
        prof = pd.Series(vals).groupby(np.asarray(pos)).mean()
        prof = 1 + prof - prof.mean()
    else:
        prof = pd.Series(decomposition["seasonal"].to_numpy()).groupby(np.asarray(pos)).mean()
        prof = prof - prof.mean()
    prof.index.name = "position"
    prof.name = "seasonal"
    return prof


def trend_growth(decomposition: pd.DataFrame, *, periods_per_year: int | None = None) -> float:
    """Compound annual growth of the trend component (log-linear fit).

    Parameters
    ----------
    decomposition : pandas.DataFrame
        Output of :func:`stl_decompose` (or any frame with a positive ``trend`` column).
    periods_per_year : int, optional
        Inferred from the index (12 monthly, 4 quarterly, 52 weekly).

    Returns
    -------
    float
        e.g. ``0.08`` for 8 % a year; ``nan`` when the trend is not positive.
    """
    t = decomposition["trend"].to_numpy(float)
    ppy = periods_per_year or season_length_of(decomposition.index) or 12
    if np.any(t <= 0) or len(t) < 3:
        return float("nan")
    slope = np.polyfit(np.arange(len(t)), np.log(t), 1)[0]
    return float(np.expm1(slope * ppy))


def _check_columns(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"{what}: missing column(s) {missing}; have {list(df.columns)}")


def series_by(df: pd.DataFrame, *, by: str | None = None, value: str = "revenue",
              period: str = "period", freq: str = "M", total: str = "Total") -> pd.DataFrame:
    """Wide regular time series from a tidy aggregate: one column per group, gaps filled with 0.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy frame (e.g. from :func:`salesnb.data.extract.revenue`) with ``period`` as
        Timestamps, Periods or ``YYYY-MM`` strings.
    by : str, optional
        Group column; ``None`` sums everything into one column named ``total``.
    freq : str
        Pandas period frequency of the result (``"M"``, ``"Q"``, ``"W"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by a complete PeriodIndex, one float column per group.
    """
    _check_columns(df, [period, value] + ([by] if by else []), "series_by")
    p = df[period]
    if isinstance(p.dtype, pd.PeriodDtype):
        per = p.dt.asfreq(freq)
    else:
        per = pd.to_datetime(p).dt.to_period(freq)
    d = pd.DataFrame({"period": per, "group": df[by].astype(str) if by else total,
                      "value": df[value].astype(float)})
    wide = d.pivot_table(index="period", columns="group", values="value", aggfunc="sum",
                         fill_value=0.0)
    if len(wide):
        full = pd.period_range(wide.index.min(), wide.index.max(), freq=freq)
        wide = wide.reindex(full, fill_value=0.0)
    wide.index.name = period
    wide.columns.name = by
    return wide


def yoy_windows(df: pd.DataFrame, *, end: pd.Timestamp | str, months: int = 12,
                period: str = "period") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a monthly aggregate into the last ``months`` months before ``end`` and the same
    window a year earlier (the base and current frames of :func:`price_volume_mix`).

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy monthly frame with ``period`` Timestamps (period starts).
    end : Timestamp or str
        Exclusive end of the current window (e.g. the first day after the report month).

    Returns
    -------
    (base, current) : tuple of pandas.DataFrame
    """
    end = pd.Timestamp(end)
    p = pd.to_datetime(df[period])
    cur0 = end - pd.DateOffset(months=months)
    base0 = end - pd.DateOffset(months=12 + months)
    base_end = end - pd.DateOffset(months=12)
    current = df[(p >= cur0) & (p < end)]
    base = df[(p >= base0) & (p < base_end)]
    return base, current


def growth_rates(df: pd.DataFrame, *, value: str = "revenue", period: str = "period",
                 by: Sequence[str] = (), season_length: int = 12, bases: bool = False) -> pd.DataFrame:
    """Period-on-period (MoM) and year-on-year growth per group.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy frame with one row per ``period`` (and ``by`` group).
    value, period : str
        Column names.
    by : sequence of str
        Grouping columns.
    season_length : int
        Periods per year (12 monthly, 4 quarterly, 52 weekly) for the YoY lag.
    bases : bool
        Also return what each figure divides by: ``pop_base`` (the previous period), ``yoy_base``
        (the period a year earlier), ``rolling_base`` (the trailing-year sum a year earlier) and
        ``level`` (the mean period over the last year, the current one included).

    Returns
    -------
    pandas.DataFrame
        The input sorted, with ``pop`` (period on period, e.g. MoM), ``yoy`` (fractions) and
        ``rolling_yoy`` (growth of the trailing-12 sum) columns. Missing periods inside a group,
        and between the data's first period and the group's first, count as zero (no rows are
        added before a group's first period), whether the periods are Periods or period-start
        Timestamps (monthly, quarterly or weekly), so lags are calendar periods, not rows.
    """
    by = list(by)
    _check_columns(df, [value, period, *by], "growth_rates")
    d = df[[period, *by, value]].copy()
    d = d.groupby([*by, period], as_index=False, sort=True)[value].sum()
    parts = []
    groups = d.groupby(by, sort=True) if by else [((), d)]
    # a group's months before its first sale, from the data's first month, are zeros: a segment
    # that starts late still has a trailing year a year ago (Kaggle's Canada, first sale 2003-11)
    first = d[period].min() if len(d) else None
    for key, g in groups:
        g = g.set_index(period).sort_index()
        idx = g.index
        own_first = idx.min() if len(idx) else None
        full = None
        if isinstance(idx, pd.PeriodIndex):
            full = pd.period_range(first, idx.max(), freq=idx.freq)
        elif isinstance(idx, pd.DatetimeIndex) and len(idx) and (idx == idx.normalize()).all():
            # period starts as Timestamps: lag by calendar periods, not by rows
            step = {12: "MS", 4: "QS", 52: "W", 1: "YS"}.get(season_length)
            if step == "MS" and (idx.day == 1).all():
                full = pd.date_range(first if first.day == 1 else idx.min(), idx.max(), freq="MS")
            elif step == "QS" and (idx.day == 1).all() and (idx.month % 3 == 1).all():
                lo = first if first.day == 1 and first.month % 3 == 1 else idx.min()
                full = pd.date_range(lo, idx.max(), freq="QS")
            elif step == "W" and (idx.day_of_week == idx[0].day_of_week).all():
                lo = first if first.day_of_week == idx[0].day_of_week else idx.min()
                full = pd.date_range(lo, idx.max(), freq=f"W-{idx[0].day_name()[:3]}")
        if full is not None:
            g = g.reindex(full)
            g[value] = g[value].fillna(0.0)
            for col, k in zip(by, key if isinstance(key, tuple) else (key,), strict=False):
                g[col] = k
        v = g[value].astype(float)
        g["pop"] = _ratio(v, v.shift(1))
        g["yoy"] = _ratio(v, v.shift(season_length))
        roll = v.rolling(season_length, min_periods=season_length).sum()
        g["rolling_yoy"] = _ratio(roll, roll.shift(season_length))
        g["pop_base"], g["yoy_base"] = v.shift(1), v.shift(season_length)
        g["rolling_base"] = roll.shift(season_length)
        g["level"] = v.rolling(season_length, min_periods=1).mean()
        g.index.name = period
        if full is not None:
            g = g[g.index >= own_first]
        parts.append(g.reset_index())
    extra = ["pop_base", "yoy_base", "rolling_base", "level"] if bases else []
    cols = [period, *by, value, "pop", "yoy", "rolling_yoy", *extra]
    out = pd.concat(parts, ignore_index=True) if parts else d.assign(**{c: [] for c in cols[len(by) + 2:]})
    return out[cols]


def growth_view(growth: pd.DataFrame, *, months: int = 12, season_length: int = 12) -> pd.DataFrame:
    """The last ``months`` rows of :func:`growth_rates` (one series) for 03's company table.

    Periods as text. A growth column the history cannot give at all (YoY needs ``season_length``
    + 1 periods, rolling YoY twice ``season_length``) is dropped, and ``attrs["note"]`` says why:
    Online Retail's 12 months showed two columns of "–" without a word. When a shown figure is
    missing, the note says what a dash means; ``""`` when every figure is shown. ``attrs["caption"]``
    names the months shown: the last ``months``, or the data's months when it has fewer.
    """
    n = len(growth)
    view = growth.tail(months).assign(period=lambda d: d["period"].astype(str)).reset_index(drop=True)
    drop = [c for c in ("yoy", "rolling_yoy") if c in view and view[c].isna().all()]
    view = view.drop(columns=drop)
    if drop == ["yoy", "rolling_yoy"]:
        note = Message("Year-on-year growth needs {yoy} months of data and rolling year-on-year growth {rolling}; "
                       "the data has {n}, so neither is shown.", yoy=season_length + 1, rolling=2 * season_length, n=n)
    elif drop:
        note = Message("{what} growth needs {k} months of data; the data has {n}, so it is not shown.",
                       what=Message("Rolling year-on-year" if drop == ["rolling_yoy"] else "Year-on-year"),
                       k=2 * season_length if drop == ["rolling_yoy"] else season_length + 1, n=n)
    else:
        note = ""
    shown = [c for c in ("pop", "yoy", "rolling_yoy") if c in view]
    if view[shown].isna().any().any():
        note = Message.join(" ", [note, Message("A dash (–) marks a growth figure whose comparison period lies "
                                                "before the data starts or had no revenue.")])
    view.attrs["note"] = note
    view.attrs["caption"] = _growth_caption(view["period"], months=months)
    return view


def _growth_caption(periods: pd.Series, *, months: int) -> Message | str:
    """03's caption of :func:`growth_view`: the last ``months`` months, or all the data has when it
    has fewer (Maven's CRM deals: "last 12 months" over 10 rows)."""
    if not len(periods):
        return ""
    first, last = str(periods.iloc[0]), str(periods.iloc[-1])
    if len(periods) >= months:
        return Message("Company revenue growth, last {n} months ({first} to {last})", n=len(periods),
                       first=first, last=last)
    if len(periods) == 1:
        return Message("Company revenue growth, the only month of data ({first})", first=first)
    return Message("Company revenue growth, the {n} months of data ({first} to {last})", n=len(periods),
                   first=first, last=last)


def _ratio(a: pd.Series, b: pd.Series) -> pd.Series:
    r = a / b.where(b != 0) - 1
    return r.astype(float)


def mix_shares(df: pd.DataFrame, *, by: str, value: str = "revenue", period: str = "period"
               ) -> pd.DataFrame:
    """Share of each ``by`` group in the period total.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy frame with ``period``, ``by`` and ``value``.
    by : str
        The mix dimension (category, region, channel, ...).

    Returns
    -------
    pandas.DataFrame
        ``period, <by>, value, share`` with shares summing to 1 within each period.
    """
    _check_columns(df, [period, by, value], "mix_shares")
    d = df.groupby([period, by], as_index=False, sort=True, observed=True)[value].sum()
    total = d.groupby(period)[value].transform("sum")
    d["share"] = (d[value] / total.where(total != 0)).astype(float)
    return d


def price_discount_trend(df: pd.DataFrame, *, period: str = "period", by: Sequence[str] = (),
                         revenue: str = "revenue", quantity: str = "quantity",
                         list_amount: str | None = "list_amount") -> pd.DataFrame:
    """Average selling price and discount rate over time.

    Parameters
    ----------
    df : pandas.DataFrame
        Aggregated frame with revenue, quantity and (optionally) list amount per period/group.

    Returns
    -------
    pandas.DataFrame
        ``period, *by, revenue, quantity, asp`` and ``discount_rate = 1 - revenue / list_amount``
        when the list amount is available.
    """
    by = list(by)
    cols = [revenue, quantity] + ([list_amount] if list_amount and list_amount in df else [])
    _check_columns(df, [period, *by, revenue, quantity], "price_discount_trend")
    d = df.groupby([period, *by], as_index=False, sort=True, observed=True)[cols].sum()
    d["asp"] = (d[revenue] / d[quantity].where(d[quantity] != 0)).astype(float)
    if len(cols) == 3:
        la = d[list_amount].where(d[list_amount] != 0)
        d["discount_rate"] = (1 - d[revenue] / la).astype(float)
    return d


def price_volume_mix(base: pd.DataFrame, current: pd.DataFrame, *, by: str,
                     revenue: str = "revenue", quantity: str = "quantity") -> pd.DataFrame:
    """Price-volume-mix decomposition of the revenue change between two periods.

    With ``Q`` total units, ``s_i`` the unit share and ``P_i`` the price of segment ``i``:
    volume = ``(Q1 - Q0) s0_i P0_i``, mix = ``Q1 (s1_i - s0_i) P0_i``,
    price = ``Q1_i (P1_i - P0_i)``. The three effects add up exactly to ``R1_i - R0_i``.
    A segment new in the current period has its whole revenue in ``mix`` (no base price). When
    the base period has no revenue or no units at all, the effects are ``nan`` and
    ``attrs["note"]`` says the change cannot be decomposed.

    Parameters
    ----------
    base, current : pandas.DataFrame
        Revenue and quantity per ``by`` segment for the base period (e.g. last year) and the
        current period.
    by : str
        Segment column (e.g. ``"category"``).

    Returns
    -------
    pandas.DataFrame
        One row per segment plus a ``"Total"`` row: ``<by>, revenue_base, revenue_current,
        change, volume, mix, price``.
    """
    for name, d in (("base", base), ("current", current)):
        _check_columns(d, [by, revenue, quantity], f"price_volume_mix({name})")
    b = base.groupby(by, observed=True)[[revenue, quantity]].sum()
    c = current.groupby(by, observed=True)[[revenue, quantity]].sum()
    j = b.add_suffix("_0").join(c.add_suffix("_1"), how="outer").fillna(0.0)
    r0, q0 = j[f"{revenue}_0"], j[f"{quantity}_0"]
    r1, q1 = j[f"{revenue}_1"], j[f"{quantity}_1"]
    p1 = (r1 / q1.where(q1 != 0)).fillna(0.0)
    p0 = (r0 / q0.where(q0 != 0)).fillna(p1)
    tq0, tq1 = q0.sum(), q1.sum()
    s0 = q0 / tq0 if tq0 else q0 * 0
    s1 = q1 / tq1 if tq1 else q1 * 0
    out = pd.DataFrame({
        "revenue_base": r0, "revenue_current": r1, "change": r1 - r0,
        "volume": (tq1 - tq0) * s0 * p0,
        "mix": tq1 * (s1 - s0) * p0,
    })
    # price takes the exact remainder (= Q1_i (P1_i - P0_i) up to rounding; exact for new ones)
    out["price"] = out["change"] - out["volume"] - out["mix"]
    note = None
    if tq0 <= 0 or float(r0.sum()) == 0:
        # nothing was sold in the base period: there is no base price or mix to move from, so
        # the change cannot be split (it used to land entirely in "mix")
        out[["volume", "mix", "price"]] = np.nan
        note = ("No revenue or units in the base period: the change cannot be decomposed into "
                "price, volume and mix.")
    out.index.name = by
    out = out.reset_index()
    total = out.drop(columns=by).sum(min_count=1).to_frame().T
    total.insert(0, by, "Total")
    res = pd.concat([out, total], ignore_index=True)
    res.attrs["note"] = note
    return res


def pvm_view(pvm: pd.DataFrame, *, by: str, lang: str | None = None) -> pd.DataFrame:
    """:func:`price_volume_mix` as the page shows it: the last row's label ("Total") in the page's
    language; the segments are data and stay as they are.

    Parameters
    ----------
    pvm : DataFrame
        :func:`price_volume_mix` output, its ``"Total"`` row last.
    by : str
        The segment column.
    lang : str, optional
        The page's language; default the current one.

    Returns
    -------
    DataFrame
        A copy with the total row's label translated.
    """
    from salesnb.i18n import t

    out = pvm.copy()
    if len(out) and out[by].iloc[-1] == "Total":
        out[by] = out[by].astype(object)
        out.iloc[-1, out.columns.get_loc(by)] = str(t("Total", lang))
    return out


def market_share(revenue: pd.DataFrame, market: pd.DataFrame, *, period: str = "period",
                 by: Sequence[str] = ("region",), value: str = "revenue",
                 market_size: str = "market_size") -> pd.DataFrame:
    """Our revenue as a share of the market size, per period and group.

    Parameters
    ----------
    revenue : pandas.DataFrame
        ``period, *by, value``.
    market : pandas.DataFrame
        ``period, *by, market_size`` (the market table).

    Returns
    -------
    pandas.DataFrame
        ``period, *by, value, market_size, share, share_change`` (change vs the previous period
        in percentage points / 100); rows only where both sides are known.
    """
    by = list(by)
    _check_columns(revenue, [period, *by, value], "market_share(revenue)")
    _check_columns(market, [period, *by, market_size], "market_share(market)")
    r = revenue.groupby([period, *by], as_index=False, observed=True)[value].sum()
    mk = market.groupby([period, *by], as_index=False, observed=True)[market_size].sum()
    r[period] = _month_str(r[period])
    mk[period] = _month_str(mk[period])
    d = r.merge(mk, on=[period, *by], how="inner").sort_values([*by, period])
    d["share"] = (d[value] / d[market_size].where(d[market_size] > 0)).astype(float)
    d["share_change"] = d.groupby(by)["share"].diff() if by else d["share"].diff()
    return d.reset_index(drop=True)


def _month_str(s: pd.Series) -> pd.Series:
    """Periods as ``YYYY-MM`` strings whether given as Timestamps, Periods or strings."""
    return period_label(s, "M").set_axis(s.index)  # the convention of salesnb.periods


def win_loss(opportunities: pd.DataFrame, *, period: str = "period",
             by: str | None = "competitor", status: str = "status", count: str | None = "n",
             amount: str | None = None, min_deals: int = 1) -> pd.DataFrame:
    """Win/loss against each competitor (or loss reason) over time.

    Parameters
    ----------
    opportunities : pandas.DataFrame
        Closed opportunities, either one row per opportunity or pre-aggregated counts in a
        ``count`` column, with ``period``, ``by`` and ``status`` (``won``/``lost``).
    by : str or None
        ``"competitor"`` or ``"lost_reason"``; missing values become ``"(none)"``. ``None``
        gives the overall win rate per period (a column ``all``).
    amount : str, optional
        Column with amounts to sum alongside the counts.
    min_deals : int
        Rows with fewer decided deals get a ``nan`` win rate.

    Returns
    -------
    pandas.DataFrame
        ``period, <by>, won, lost, deals, win_rate`` (+ ``won_amount, lost_amount``).
    """
    d = opportunities.copy()
    if by is None:
        by = "all"
        d[by] = "All"
    _check_columns(d, [period, by, status], "win_loss")
    d[by] = d[by].fillna("(none)").astype(str)
    d = d[d[status].isin(["won", "lost"])]
    if count and count in d.columns:
        d["_n"] = d[count].astype(float)
    else:
        d["_n"] = 1.0
    vals = ["_n"] + ([amount] if amount else [])
    piv = d.pivot_table(index=[period, by], columns=status, values=vals, aggfunc="sum",
                        fill_value=0.0, observed=True)
    out = pd.DataFrame(index=piv.index)
    for s in ("won", "lost"):
        out[s] = piv[("_n", s)] if ("_n", s) in piv.columns else 0.0
        if amount:
            out[f"{s}_amount"] = piv[(amount, s)] if (amount, s) in piv.columns else 0.0
    out["deals"] = out["won"] + out["lost"]
    out["win_rate"] = (out["won"] / out["deals"].where(out["deals"] >= max(min_deals, 1)))
    return out.reset_index()


#: Share of the gaps between a customer's purchase months that the warm-up must cover
#: (:func:`returning_warmup`): after it, at most about one returning customer in ten whose earlier
#: orders fall before the data's start is counted as new.
WARMUP_SHARE = 0.9

#: Warm-up in months when no customer bought in two different months (the gap is unknown): a year,
#: the longest usual buying cycle.
WARMUP_DEFAULT_MONTHS = 12


def returning_warmup(gaps: pd.DataFrame, *, gap: str = "gap_months", count: str = "gaps",
                     share: float = WARMUP_SHARE, default: int = WARMUP_DEFAULT_MONTHS) -> int:
    """Months from the data's first month before new and returning customers can be told apart.

    In the data's k-th month (k = 0 for the first) a returning customer whose previous purchase lay
    more than k months back, before the data starts, looks new. That month can tell the two apart
    once ``share`` of the gaps between a customer's consecutive purchase months are at most k months.

    Parameters
    ----------
    gaps : pandas.DataFrame
        ``gap_months`` and ``gaps`` (counts), as from
        :func:`salesnb.data.trends_queries.returning_gaps`.

    Returns
    -------
    int
        The smallest such k (the number of months to leave out); ``default`` without any gap.
    """
    g = gaps[gaps[count] > 0].sort_values(gap)
    if g.empty:
        return int(default)
    cum = g[count].cumsum() / g[count].sum()
    return int(g.loc[cum >= share - 1e-12, gap].iloc[0])


def warmup_note(nr: pd.DataFrame, *, warmup: int, gaps: int, period: str = "period") -> Message | str:
    """The page's words for the months :func:`new_vs_returning` flags as warm-up ("" when none shown).

    Parameters
    ----------
    nr : pandas.DataFrame
        :func:`new_vs_returning` with its ``warm_up`` column.
    warmup : int
        Months of warm-up (:func:`returning_warmup`).
    gaps : int
        Number of gaps the warm-up was read from (0: none, the default was used).
    """
    months = pd.to_datetime(nr.loc[nr["warm_up"], period])
    if months.empty:
        return ""
    lo, hi = f"{months.min():%Y-%m}", f"{months.max():%Y-%m}"
    span = lo if lo == hi else Message("{first} to {last}", first=lo, last=hi)
    why = (Message("9 in 10 gaps between a customer's purchase months in this data are {n} months or shorter.",
                   n=warmup) if gaps and warmup > 1 else
           Message("9 in 10 gaps between a customer's purchase months in this data are one month.") if gaps else
           Message("No customer bought in two different months, so their usual gap is unknown: {n} months are "
                   "left out.", n=warmup))
    return Message("Left out as too early to tell new from returning customers: {months}. {why}", months=span,
                   why=why)


def new_vs_returning_known(revenue: pd.DataFrame, *, first_month, gaps: pd.DataFrame) -> pd.DataFrame:
    """:func:`new_vs_returning` without the data's first months that cannot tell new from returning.

    Parameters
    ----------
    revenue : pandas.DataFrame
        As for :func:`new_vs_returning`.
    first_month : date-like or None
        The data's first month, and ``gaps`` the gaps between purchase months, both from
        :func:`salesnb.data.trends_queries.returning_gaps`.

    Returns
    -------
    pandas.DataFrame
        :func:`new_vs_returning`'s rows after the warm-up (:func:`returning_warmup`);
        ``attrs["note"]`` names the months left out and why (:func:`warmup_note`; "" when none).
    """
    warmup = returning_warmup(gaps)
    nr = new_vs_returning(revenue, first_month=first_month, warmup=warmup)
    note = warmup_note(nr, warmup=warmup, gaps=int(gaps["gaps"].sum()))
    out = nr[~nr["warm_up"]].drop(columns="warm_up").reset_index(drop=True)
    out.attrs = {"note": note}
    return out


def new_vs_returning(df: pd.DataFrame, *, period: str = "period", kind: str = "kind",
                     value: str = "revenue", customers: str | None = "customers",
                     first_month=None, warmup: int = 0) -> pd.DataFrame:
    """Revenue from new versus returning customers per period.

    Parameters
    ----------
    df : pandas.DataFrame
        ``period, kind ("new"/"returning"), revenue[, customers]`` (e.g. from
        :func:`salesnb.data.trends_queries.new_vs_returning_revenue`).
    first_month : date-like, optional
        The data's first month; with ``warmup`` it flags the periods that cannot tell new from
        returning customers.
    warmup : int
        Months from ``first_month`` that cannot (:func:`returning_warmup`).

    Returns
    -------
    pandas.DataFrame
        One row per period: ``new, returning, total, new_share`` (+ customer counts) and
        ``warm_up`` (True: the period starts before ``first_month`` + ``warmup`` months, so
        customers whose earlier orders precede the data are counted as new).
    """
    _check_columns(df, [period, kind, value], "new_vs_returning")
    vals = [value] + ([customers] if customers and customers in df.columns else [])
    piv = df.pivot_table(index=period, columns=kind, values=vals, aggfunc="sum", fill_value=0)
    out = pd.DataFrame(index=piv.index)
    for k in ("new", "returning"):
        out[k] = piv[(value, k)].astype(float) if (value, k) in piv.columns else 0.0
    out["total"] = out["new"] + out["returning"]
    out["new_share"] = (out["new"] / out["total"].where(out["total"] != 0)).astype(float)
    if len(vals) == 2:
        for k in ("new", "returning"):
            col = (customers, k)
            out[f"{k}_customers"] = piv[col].astype(int) if col in piv.columns else 0
    out = out.reset_index()
    ready = (pd.Timestamp(first_month) + pd.DateOffset(months=int(warmup)) if first_month is not None
             else None)
    out["warm_up"] = pd.to_datetime(out[period]) < ready if ready is not None else False
    return out


# --------------------------------------------------------------------------------------------
# hierarchical reconciliation
# --------------------------------------------------------------------------------------------


def reconcile_forecasts(total: pd.DataFrame, parts: Mapping[str, pd.DataFrame], *,
                        method: str = "wls", total_name: str = "Total") -> pd.DataFrame:
    """Reconcile part forecasts (e.g. regions) with the total so that they add up exactly.

    Parameters
    ----------
    total : pandas.DataFrame
        Forecast of the total (output of :func:`auto_forecast`).
    parts : mapping of str to pandas.DataFrame
        Forecasts of the parts, same index.
    method : {"wls", "ols", "proportional", "bottom_up"}
        ``"wls"``: MinT with a diagonal covariance (each forecast's variance taken from its
        80 % interval width) — the optimal combination under uncorrelated errors;
        ``"ols"``: equal weights; ``"proportional"``: top-down, parts scaled to the total;
        ``"bottom_up"``: total = sum of parts.

    Returns
    -------
    pandas.DataFrame
        Long frame ``period, series, mean, lo.., hi.., adjustment``; the rows of the parts sum
        to the total row in every period (the total is defined as that sum). Intervals are
        shifted with their mean (widths kept).
    """
    if method not in ("wls", "ols", "proportional", "bottom_up"):
        raise ValueError("method must be one of wls, ols, proportional, bottom_up")
    names = list(parts)
    if not names:
        raise ValueError("reconcile_forecasts needs at least one part")
    idx = total.index
    for k in names:
        if not parts[k].index.equals(idx):
            raise ValueError(f"part {k!r} is not indexed like the total forecast")
    base = np.column_stack([total["mean"].to_numpy(float)]
                           + [parts[k]["mean"].to_numpy(float) for k in names])  # h x (1+p)
    p = len(names)
    bands = [c for c in total.columns if c.startswith(("lo", "hi"))]
    if method == "bottom_up":
        bottom = base[:, 1:]
    elif method == "proportional":
        sums = base[:, 1:].sum(axis=1, keepdims=True)
        w = np.where(sums != 0, base[:, 1:] / np.where(sums == 0, 1, sums), 1.0 / p)
        bottom = w * base[:, [0]]
    else:
        s_mat = np.vstack([np.ones((1, p)), np.eye(p)])  # summing matrix (1+p) x p
        bottom = np.empty((len(idx), p))
        for t in range(len(idx)):
            if method == "ols":
                wdiag = np.ones(p + 1)
            else:
                frames = [total] + [parts[k] for k in names]
                wdiag = np.array([_interval_var(f, t) for f in frames])
                pos = wdiag[wdiag > 0]
                fill = float(pos.min()) if len(pos) else 1.0
                wdiag = np.where(wdiag > 0, wdiag, fill * 1e-3)
            winv = np.diag(1 / wdiag)
            g = np.linalg.solve(s_mat.T @ winv @ s_mat, s_mat.T @ winv)
            bottom[t] = g @ base[t]
    tot = bottom.sum(axis=1)
    rows = []
    for j, (name, frame, new) in enumerate(
            [(total_name, total, tot)] + [(k, parts[k], bottom[:, i]) for i, k in
                                          enumerate(names)]):
        adj = new - base[:, j]
        d = pd.DataFrame({"period": idx, "series": name, "mean": new})
        for c in bands:
            if c in frame.columns:
                band = frame[c].to_numpy(float)
                # a band the forecast floored at 0 (revenue cannot be negative) stays at or above it
                d[c] = band + adj if (band < 0).any() else np.maximum(band + adj, 0.0)
        d["adjustment"] = adj
        rows.append(d)
    return pd.concat(rows, ignore_index=True)


def _interval_var(frame: pd.DataFrame, t: int) -> float:
    sd = frame.attrs.get("sd")
    if sd is not None and t < len(sd) and sd[t] > 0:  # before its bands were clipped at 0
        return float(sd[t]) ** 2
    if "lo80" in frame.columns and "hi80" in frame.columns:
        width = float(frame["hi80"].iloc[t] - frame["lo80"].iloc[t])
        return (width / (2 * _z(80))) ** 2
    return 1.0


# --------------------------------------------------------------------------------------------
# notebook views
# --------------------------------------------------------------------------------------------


def backtest_bias_note(backtest: pd.DataFrame, *, threshold: float = 0.10) -> Any:
    """A warning when every candidate's backtest forecasts missed the same way by more than
    ``threshold`` (mean bias): the series moved faster than any model follows (Northwind's
    growth: −25 % to −45 %), so the forecast is likely too low (or too high). "" otherwise, and
    when the backtest made fewer than :data:`MIN_COVERAGE_FORECASTS` forecasts per model: a bias
    on a handful of forecasts is no evidence (Maven's CRM deals: 3 forecasts, "45 % to 70 % below"
    under a note that the scores are no evidence)."""
    bias = _common_bias(backtest, threshold=threshold)
    if bias is None:
        return ""
    return Message(
        "In the backtest every model's forecasts ran {lo} to {hi} {way} the outcome: the business "
        "changed faster than the models follow, so this forecast is probably too {level}.", **bias)


def _common_bias(backtest: pd.DataFrame | None, *, threshold: float = 0.10) -> dict[str, Any] | None:
    """The placeholders of :func:`backtest_bias_note` (``lo``, ``hi``, ``way``, ``level``) when every
    candidate's mean bias lies beyond ``threshold`` on the same side, on at least
    :data:`MIN_COVERAGE_FORECASTS` forecasts per model; ``None`` otherwise."""
    if backtest is None or len(backtest) == 0 or "bias" not in backtest or _few_forecasts(backtest):
        return None
    b = pd.to_numeric(backtest["bias"], errors="coerce").dropna()
    if len(b) < 2 or not ((b < -threshold).all() or (b > threshold).all()):
        return None
    low = bool((b < 0).all())
    return {"lo": fmt.pct(b.abs().min(), decimals=0), "hi": fmt.pct(b.abs().max(), decimals=0),
            "way": Message("below" if low else "above"), "level": Message("low" if low else "high")}


#: fewest backtest forecasts (per model) behind a coverage shown on the page: a correct 80 %
#: interval covers all of 10 forecasts in 11 % of backtests (0.8 ** 10), of 20 in 1 %; Maven's
#: CRM deals (15 months) gave 3 forecasts and printed "100.00" coverage. Below it the scores rank
#: nothing either: the combination is kept (:func:`_choose`), and a common bias is no warning
#: (:func:`backtest_bias_note`)
MIN_COVERAGE_FORECASTS = 20


def backtest_view(backtest: pd.DataFrame, *, min_forecasts: int = MIN_COVERAGE_FORECASTS,
                  level: int = 80, season_length: int | None = None) -> pd.DataFrame:
    """The backtest table for the page: model (in words), MASE, WAPE, bias, the raw and calibrated
    ``level`` % coverage as percentages ("46.2 %"), the number of forecasts behind them, chosen.
    The candidate's code ("snaive", "comb") is not shown: it repeated the model's words in a
    leader's table.

    With fewer than ``min_forecasts`` forecasts per model, a coverage is no measurement: its cells
    read "too few forecasts to judge" and ``attrs["note"]`` says why ("" otherwise), and that the
    error scores (kept: the choice read them) rest on that handful, so they rank nothing: the
    combination kept by default, or a single model chosen on no evidence (:func:`_few_scores_note`).
    ``season_length`` (the forecast's ``attrs["season_length"]``) names what the seasonal naive
    repeats (:func:`model_words`).
    """
    cov = [f"coverage{level}", f"coverage{level}_calibrated"]
    cols = ["candidate", "model", "mase", "wape", "bias", *cov, "n_forecasts", "chosen"]
    out = backtest.reindex(columns=cols).copy()
    out.attrs = {"note": ""}
    if not len(out):
        return out.drop(columns="candidate")
    # translated where shown (``values``); object dtype keeps the notation Verbatim (a string column would not)
    out["model"] = pd.Series([model_words(m, season_length=season_length) if isinstance(m, str) else m
                              for m in out["model"]],
                             index=out.index, dtype=object)
    n = pd.to_numeric(out["n_forecasts"], errors="coerce").fillna(0).astype(int)
    out["n_forecasts"] = n
    few = n < min_forecasts
    for c in cov:
        out[c] = [Message("too few forecasts to judge") if f else fmt.pct(v / 100)
                  for v, f in zip(pd.to_numeric(out[c], errors="coerce"), few, strict=True)]
    if few.any():
        out.attrs["note"] = Message(
            "The backtest made {count} per model, fewer than the {min} needed to say how often an "
            "{level} % interval holds the outcome: the coverage is not shown. (A correct {level} % "
            "interval covers all of 10 forecasts once in nine backtests.)",
            count=_forecasts(int(n[few].max())), min=min_forecasts, level=level)
        out.attrs["note"] = Message.join(" ", [out.attrs["note"], _few_scores_note(out, int(n[few].max()),
                                                                                   season_length)])
    note = out.attrs["note"]
    out = out.drop(columns="candidate")
    out.attrs = {"note": note}
    return out


def _few_scores_note(view: pd.DataFrame, n: int, season_length: int | None = None) -> Message:
    """What the error scores of a backtest of only ``n`` forecasts per model say: no ranking of the
    models, and what the choice then rests on (Maven's CRM deals: 3 forecasts, ETS's MASE 0.27
    against the combination's 0.34 read as a ranking)."""
    count = _forecasts(n)
    if len(view) < 2:
        return Message("The MASE, WAPE and bias of the model rest on only {count}, a handful of months: "
                       "read them as rough.", count=count)
    chosen = view[view["chosen"].fillna(False).astype(bool)]
    if chosen.empty or chosen["candidate"].iloc[0] == "comb":
        return Message("The MASE, WAPE and bias rest on only {count} per model: too few to show that one model "
                       "is better than another, or that the forecasts run too high or too low. The average "
                       "of the models is kept.", count=count)
    model = model_words(chosen["model"].iloc[0], season_length=season_length)
    return Message("{model} was chosen on only {count} per model: that is no evidence that it is better "
                   "than the others.", model=model, count=count)


def _forecasts(n: int) -> Message:
    """"1 forecast" / "3 forecasts" (BikeStores' backtest made one per model)."""
    return Message("1 forecast") if n == 1 else Message("{n} forecasts", n=n)


def forecast_band_note(table: pd.DataFrame, *, levels: tuple[int, int] = (80, 95)) -> Any:
    """Why a forecast table shows a low of 0 or two equal bounds ("" when it shows neither).

    A history without negatives floors the forecast and its bands at 0 (revenue cannot be
    negative); a band calibrated on the backtest no wider than the narrower level's on one side is
    shown at that band's edge (:func:`_nested`): Northwind's 95 % and 80 % lows were equal in 10
    of 12 months and both $0 in the last.
    """
    inner, outer = levels
    k = len(table)
    if not k:
        return ""
    lo_in, lo_out = table[f"lo{inner}"].to_numpy(float), table[f"lo{outer}"].to_numpy(float)
    hi_in, hi_out = table[f"hi{inner}"].to_numpy(float), table[f"hi{outer}"].to_numpy(float)
    mean = table["mean"].to_numpy(float)
    # reconciliation moves a band by its adjustment, which may be a rounding error (Northwind: 3e-11)
    tol = 1e-9 * max(1.0, float(np.nanmax(np.abs(mean))))
    zero = np.abs(lo_out) <= tol
    equal = ((np.abs(lo_in - lo_out) <= tol) & ~zero) | ((np.abs(hi_in - hi_out) <= tol) & (hi_in > mean + tol))
    parts = []
    if zero.any():
        parts.append(Message("Bands are cut at zero, as revenue cannot be negative: the low is {zero} in "
                             "{n} of the {k} months.", n=int(zero.sum()), k=k, zero=Verbatim(fmt.money(0))))
    if equal.any():
        parts.append(Message(
            "In {n} of the {k} months a {outer} % bound equals the {inner} % one: the backtest calibration "
            "left the {outer} % band no wider than the {inner} % band on that side, so it is shown at the "
            "{inner} % band's edge (a {outer} % band is never narrower).",
            n=int(equal.sum()), k=k, inner=inner, outer=outer))
    return Message.join(" ", parts) if parts else ""


def fallback_words(forecast: pd.DataFrame | str | None) -> str | None:
    """A forecast's fallback (``attrs["fallback"]``) in plain words for a leader; ``None`` when
    the full procedure ran."""
    fb = forecast.attrs.get("fallback") if isinstance(forecast, pd.DataFrame) else forecast
    if not fb:
        return None
    return Message("The forecast could not use its full method, so read it with care: {why}.",
                   why=fb)


def quarter_forecast(total: pd.Series, forecast: pd.DataFrame, *, month: str,
                     fiscal_year_start: int = 1) -> dict[str, Any] | None:
    """The revenue of the quarter still running after ``month``: what is booked plus the forecast
    of its remaining months, with the 80 % interval of that sum.

    For a source without a pipeline (no opportunities), the executive summary's quarter forecast
    comes from here instead of risk monitoring's P(miss).

    Parameters
    ----------
    total : pandas.Series
        Monthly revenue (PeriodIndex), the history the forecast was fitted on.
    forecast : pandas.DataFrame
        The company forecast (PeriodIndex from the month after ``month``; ``mean`` and the 80 %
        band, as from :func:`auto_forecast`, reconciled or not).
    month : str
        Report month ``"YYYY-MM"``.
    fiscal_year_start : int
        First calendar month of the fiscal year (quarters follow it).

    Returns
    -------
    dict or None
        ``quarter, first_month, last_month, booked, forecast, expected, sd, lo80, hi80,
        months_forecast``; ``expected = booked + forecast`` and the interval is the booked part
        plus :meth:`PredictionResults.sum_distribution`'s 80 % interval of the forecast months
        (its lower end not below ``booked``). None when the forecast does not reach the quarter's
        end.
    """
    from salesnb.periods import quarter_label, quarter_months, quarter_window

    p = pd.Period(month, freq="M")
    quarter, _, remaining = quarter_window(p.end_time, fiscal_year_start=fiscal_year_start)
    months = pd.period_range(quarter.start_time, quarter.end_time, freq="M")
    done, todo = list(months[:len(months) - remaining]), list(months[len(months) - remaining:])
    idx = pd.PeriodIndex(forecast.index, freq="M")
    if not set(todo) <= set(idx):
        return None
    hist = pd.Series(total.to_numpy(float), index=pd.PeriodIndex(total.index, freq="M"))
    booked = float(hist[hist.index.isin(done)].sum())
    frame = forecast.set_axis(idx)
    part = PredictionResults.from_frame(frame).sum_distribution([str(m) for m in todo])
    lo, hi = part.interval(0.2)
    first, last = quarter_months(quarter)
    return {"quarter": quarter_label(quarter, fiscal_year_start), "first_month": first, "last_month": last,
            "booked": booked, "forecast": part.mean, "expected": booked + part.mean, "sd": part.sd,
            "lo80": booked + max(lo, 0.0), "hi80": booked + hi, "months_forecast": len(todo)}


def quarter_forecast_words(quarter: Mapping[str, Any] | None) -> Any:
    """:func:`quarter_forecast` in one sentence for the page ("" without one)."""
    if not quarter:
        return ""
    return Message("The quarter {quarter}: {booked} booked to date plus {forecast} forecast for its "
                   "remaining {n} month(s) gives {expected} (80 % interval {lo} to {hi}).",
                   quarter=Verbatim(quarter["quarter"]), n=quarter["months_forecast"],
                   **{k: Verbatim(fmt.money(quarter[f])) for k, f in (
                       ("booked", "booked"), ("forecast", "forecast"), ("expected", "expected"),
                       ("lo", "lo80"), ("hi", "hi80"))})


def forecast_caveat(forecast: pd.DataFrame, backtest: pd.DataFrame | None) -> Any:
    """Why the company forecast should not be quoted as a headline ("" when it may): it fell back
    from its full method (:func:`fallback_words`, e.g. intervals not calibrated) or every model's
    backtest missed the same way (:func:`backtest_bias_note`)."""
    return fallback_words(forecast) or backtest_bias_note(backtest) or ""


#: a fallback note that describes the range of a forecast that is shown -> its cause alone, for a
#: forecast that is withheld (:func:`quarter_withheld_why`)
_WITHHELD_CAUSE = {
    "the models were tested on too few past months to check the range around the forecast, so it is the "
    "models' own range": "the models were tested on too few past months to check the range around the forecast",
    "the models were tested on too few past periods to check the range around the forecast, so it is the "
    "models' own range": "the models were tested on too few past periods to check the range around the forecast",
}


def quarter_withheld_why(forecast: pd.DataFrame, backtest: pd.DataFrame | None) -> Any:
    """Why the quarter forecast is withheld, as a cause (published as its ``why``; the executive
    summary says "… the revenue trend's forecast … is withheld because {why}"): the cause behind
    :func:`forecast_caveat` ("" when there is none). The caveat itself reads as advice ("read it
    with care"), not as a reason.

    Examples
    --------
    >>> fc = pd.DataFrame({"mean": [1.0]}); fc.attrs["fallback"] = "too few months"
    >>> str(quarter_withheld_why(fc, None))
    'the company forecast could not use its full method: too few months'
    """
    fb = forecast.attrs.get("fallback") if isinstance(forecast, pd.DataFrame) else forecast
    if fb:
        # a withheld forecast has no range to describe: each reason without "so it is the models'
        # own range" (Maven's CRM deals: the summary's reason ended on it)
        parts = getattr(fb, "parts", None)
        if parts is not None and getattr(fb, "sep", None):
            fb = Message.join(fb.sep, [Message(_WITHHELD_CAUSE[p.msgid]) if getattr(p, "msgid", None)
                                       in _WITHHELD_CAUSE else p for p in parts])
        elif getattr(fb, "msgid", None) in _WITHHELD_CAUSE:
            fb = Message(_WITHHELD_CAUSE[fb.msgid])
        return Message("the company forecast could not use its full method: {why}", why=fb)
    bias = _common_bias(backtest)
    if bias is None:
        return ""
    return Message("in the backtest every model's forecasts ran {lo} to {hi} {way} the outcome, so the "
                   "company forecast is probably too {level}", **bias)


def intermittent(wide: pd.DataFrame, *, months: int = 12, zeros: int = 2) -> list[str]:
    """The columns of a wide frame (e.g. :func:`series_by` by region) with at least ``zeros``
    periods without revenue among the last ``months``: intermittent series, whose forecasts by
    smoothing models lag and whose intervals are floored, so they are no base to reconcile a
    total to (Northwind's 21 countries pulled the company forecast 25 % down)."""
    tail = wide.iloc[-months:]
    return [str(c) for c in wide.columns if int((tail[c] <= 0).sum()) >= zeros]


def reconcile_method_for(wide: pd.DataFrame, method: str) -> tuple[str, Any]:
    """``method``, or ``"proportional"`` (the total's forecast split by the parts' forecast
    shares) when some part is :func:`intermittent`, with a note saying so; note "" otherwise."""
    sparse = intermittent(wide)
    if not sparse or method in ("proportional", "bottom_up"):
        return method, ""
    return "proportional", Message(
        "{n} of {k} regions had months without revenue in the last 12 ({names}): their own "
        "forecasts are no base to correct the company's, so the company forecast is kept and "
        "split by the regions' forecast shares.", n=len(sparse), k=wide.shape[1],
        names=listing(sparse, limit=5))


def forecast_each(wide: pd.DataFrame, horizon: int, **kwargs: Any) -> dict[str, pd.DataFrame]:
    """:func:`auto_forecast` of every column of a wide frame (e.g. :func:`series_by` by
    region); columns without any non-zero value are left out."""
    return {c: auto_forecast(wide[c], horizon, **kwargs) for c in wide.columns
            if (wide[c] != 0).any()}


#: :func:`growth_by` leaves out a growth figure whose base is under this share of the segment's
#: mean month over the last 12 (for rolling YoY, of its last 12 months): Northwind's Portugal
#: showed MoM +4,457 % on a $58 month (12 % of its mean month), the UK YoY +2,332 % on $352 (10 %)
GROWTH_MIN_BASE = 0.2


def growth_by(df: pd.DataFrame, dims: Sequence[str], *, at: pd.Timestamp | str,
              value: str = "revenue", period: str = "period",
              min_base: float = GROWTH_MIN_BASE) -> pd.DataFrame:
    """Growth (MoM, YoY, rolling YoY) of every segment of each dimension in period ``at``.

    Parameters
    ----------
    df : pandas.DataFrame
        Monthly ``value`` per ``period`` (period-start Timestamps) and dimension columns.
    dims : sequence of str
        Dimension columns (e.g. region, category).
    at : Timestamp or str
        Start of the month shown.
    min_base : float
        A growth figure is left out (NaN) when its base is under ``min_base`` × the segment's mean
        month over the last 12 months, the current one included (MoM: the month before; YoY: the
        month a year earlier; rolling YoY: the 12 months a year earlier, against ``min_base`` × the
        last 12 months' sum). ``0`` shows every figure.

    Returns
    -------
    pandas.DataFrame
        ``dimension, segment, revenue, pop, yoy, rolling_yoy`` sorted by dimension and revenue;
        ``attrs["note"]`` says how many figures were left out and why (``""`` when none): on a
        base too small, and (missing, not left out) without a base (no revenue in the period
        compared with, or before the data starts).
    """
    parts = []
    at = pd.Timestamp(at)
    left_out = no_base = 0
    for dim in dims:
        g = growth_rates(df, by=(dim,), value=value, period=period, bases=True)
        now = g[pd.to_datetime(g[period]) == at]
        small = {"pop": now["pop_base"] < min_base * now["level"],
                 "yoy": now["yoy_base"] < min_base * now["level"],
                 "rolling_yoy": now["rolling_base"] < min_base * 12 * now["level"]}
        left_out += sum(int((now[c].notna() & s).sum()) for c, s in small.items())
        no_base += sum(int(now[c].isna().sum()) for c in small)
        parts.append(pd.DataFrame({"dimension": dim, "segment": now[dim].astype(str), value: now[value],
                                   **{c: now[c].mask(s) for c, s in small.items()}}))
    cols = ["dimension", "segment", value, "pop", "yoy", "rolling_yoy"]
    if not parts:
        out = pd.DataFrame(columns=cols)
    else:
        out = pd.concat(parts, ignore_index=True)
        out = out.sort_values(["dimension", value], ascending=[True, False], ignore_index=True)
    out.attrs["note"] = Message(
        "{n} growth figure(s) not shown (–): the period each compares with is under {share} of the "
        "segment's usual level (its mean month over the last 12 months; for rolling YoY, its last 12 "
        "months), a base too small for a percentage to mean anything.",
        n=left_out, share=fmt.pct(min_base, decimals=0)) if left_out else ""
    if no_base:
        out.attrs["note"] = Message.join(" ", [out.attrs["note"], Message(
            "{n} growth figure(s) not shown (–): the segment had no revenue in the period each compares "
            "with, or the data does not reach back to it.", n=no_base)])
    return out


def lost_share_changes(deals: pd.DataFrame, *, by: Sequence[str] = ("competitor", "lost_reason"),
                       period: str = "period", count: str = "n") -> tuple[pd.DataFrame, dict]:
    """Shares of lost deals by competitor and by reason per period, and their change from the
    first to the last period.

    Returns
    -------
    (shares, changes) : (pandas.DataFrame, dict)
        ``shares``: ``dimension, period, segment, n, share``; ``changes``: dimension → {segment:
        change in share}. Dimensions without any recorded value are absent.
    """
    lost = deals[deals["status"] == "lost"] if "status" in deals else deals
    parts, changes = [], {}
    for col in by:
        if col not in lost.columns or not lost[col].notna().any():
            continue
        sh = mix_shares(lost[lost[col].notna()], by=col, value=count, period=period)
        first, last = sh[period].min(), sh[period].max()
        change = (sh[sh[period] == last].set_index(col)["share"]
                  - sh[sh[period] == first].set_index(col)["share"])
        changes[col] = {str(k): float(v) for k, v in change.dropna().items()}
        parts.append(sh.rename(columns={col: "segment"}).assign(dimension=col))
    cols = ["dimension", period, "segment", count, "share"]
    shares = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    return shares, changes


def lost_views_note(changes: Mapping[str, Any], *, by: Sequence[str] = ("competitor", "lost_reason")) -> Any:
    """Which lost-deal views :func:`lost_share_changes` could not draw, in words ("" when all)."""
    missing = [c for c in by if c not in changes]
    if not missing:
        return ""
    if len(missing) == len(by):
        return Message("No lost deal records a competitor or a lost reason: those views are skipped.")
    return Message("No lost deal records a competitor: that view is skipped." if missing == ["competitor"]
                   else "No lost deal records a lost reason: that view is skipped.")


def mix_shares_by(df: pd.DataFrame, dims: Sequence[str], *, value: str = "revenue",
                  period: str = "period") -> pd.DataFrame:
    """:func:`mix_shares` for each dimension in one long frame:
    ``dim, period, segment, value, share``."""
    cols = ["dim", period, "segment", value, "share"]
    parts = [mix_shares(df, by=d, value=value, period=period).rename(columns={d: "segment"})
             .assign(dim=d) for d in dims]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def rolling_yoy_by_dimension(growth: pd.DataFrame) -> dict[str, dict[str, float]]:
    """``{dimension: {segment: rolling_yoy}}`` from :func:`growth_by` (one entry per dimension)."""
    return {str(d): dict(zip(g["segment"], g["rolling_yoy"], strict=True))
            for d, g in growth.groupby("dimension")}
