"""Calibration: coverage of the rep win-rate credible intervals by team size (issue 13 point 3).

Run: ``PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration_reps.py [teams]``. Simulates teams
whose reps' true win rates are drawn from a beta distribution (mean 30 %, spread from
``concentration``: 10 = very different reps, 1000 = nearly identical), 5–80 closed deals per rep,
and prints the share of 90 % intervals that cover the true rate: the hierarchical posterior
(:func:`salesnb.performance.win_rate_posterior`, the default) beside the plug-in empirical-Bayes
prior (``method="ml"``). ``benchmarks/calibration.py`` calls :func:`report`.

It then prints the false-alarm rate of the "lost deals may not be recorded" check
(:func:`salesnb.performance.losses_check`): the share of honest reps (every loss recorded) flagged
at :data:`salesnb.performance.LOSSES_DOUBTFUL_P`, the rate the pages state ("less likely than 1 in
1,000"), by team size.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from salesnb import performance as pf

TEAM_SIZES = (8, 15, 50)
CONCENTRATIONS = (10, 40, 100, 1000)


def coverage(reps: int, *, teams: int, concentration: float, method: str, level: float = 0.9,
             seed: int = 0) -> float:
    """Share of ``level`` credible intervals covering the true rate over ``teams`` simulated teams."""
    rng = np.random.default_rng(seed)
    hits = []
    for _ in range(teams):
        true = rng.beta(0.3 * concentration, 0.7 * concentration, reps)
        n = rng.integers(5, 80, reps)
        k = rng.binomial(n, true)
        s = pf.shrink_win_rates(pd.DataFrame({"rep_id": range(reps), "won": k, "lost": n - k,
                                              "true": true}), method=method, level=level)
        hits.append(((s["cred_low"] <= s["true"]) & (s["true"] <= s["cred_high"])).to_numpy())
    return float(np.concatenate(hits).mean())


def table(teams: int = 40) -> pd.DataFrame:
    """Coverage of 90 % intervals by team size, between-rep spread and method."""
    rows = []
    for conc in CONCENTRATIONS:
        for reps in TEAM_SIZES:
            n_teams = max(4, teams * 8 // reps)
            row = {"concentration": conc, "between_rep_sd": float(np.sqrt(0.21 / (conc + 1))),
                   "reps": reps, "teams": n_teams}
            for method in ("hierarchical", "ml"):
                row[method] = coverage(reps, teams=n_teams, concentration=conc, method=method)
            rows.append(row)
    return pd.DataFrame(rows)


def false_alarms(reps: int, *, teams: int, concentration: float = 20.0, seed: int = 1) -> float:
    """Share of honest reps :func:`salesnb.performance.losses_check` flags, over ``teams`` teams whose
    true win rates are drawn around 35 % (``concentration`` as in :func:`coverage`), 1 + Poisson(40)
    closed deals per rep."""
    rng = np.random.default_rng(seed)
    flagged = total = 0
    for _ in range(teams):
        true = rng.beta(0.35 * concentration, 0.65 * concentration, reps)
        n = rng.poisson(40, reps) + 1
        _, p = pf.losses_check(rng.binomial(n, true), n)
        flagged += int(np.nansum(p < pf.LOSSES_DOUBTFUL_P))
        total += reps
    return flagged / total


def report(teams: int = 40) -> pd.DataFrame:
    """Print (and return) the coverage table; the target is 0.85–0.95 for the hierarchical model."""
    t = table(teams)
    print("Rep win-rate 90 % credible intervals: coverage of the true rate (target 0.85-0.95)")
    print(t.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"'Lost deals may not be recorded': share of honest reps flagged (stated {pf.LOSSES_DOUBTFUL_P:g})")
    for reps in TEAM_SIZES:
        n_teams = max(40, teams * 200 // reps)
        print(f"  {reps:>3} reps, {n_teams:,} teams: {false_alarms(reps, teams=n_teams):.5f}")
    return t


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
