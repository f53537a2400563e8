"""The time-left estimate of a decomposed solve (silkgrid.solve.eta.GapTrend)."""

from __future__ import annotations

import pytest

from silkgrid.solve.eta import GapTrend


def test_geometric_gap_gives_the_exact_time_left():
    # the gap halves every 2 s: from 1.6 % at t = 8 s to 0.1 % takes log2(16) x 2 s = 8 s
    trend = GapTrend(target_gap=0.001)
    for t, g in ((2.0, 0.128), (4.0, 0.064), (6.0, 0.032), (8.0, 0.016)):
        trend.add(t, g)
    assert trend.eta_s() == pytest.approx(8.0, rel=1e-9)


def test_no_estimate_too_early_or_while_the_gap_does_not_fall():
    trend = GapTrend(target_gap=0.001)
    trend.add(1.0, 0.3)
    trend.add(2.0, float("nan"))  # no bound pair yet: skipped
    trend.add(3.0, 0.4)
    assert trend.eta_s() is None  # two points
    trend.add(4.0, 0.4)
    trend.add(5.0, 0.45)
    assert trend.eta_s() is None  # the fitted trend of the gap rises: no honest estimate


def test_time_limit_caps_the_estimate_and_target_reached_is_zero():
    trend = GapTrend(target_gap=1e-6, time_limit_s=10.0)
    for t, g in ((2.0, 0.1), (4.0, 0.05), (6.0, 0.025)):
        trend.add(t, g)
    assert trend.eta_s() == pytest.approx(4.0)  # 10 s limit - 6 s elapsed
    done = GapTrend(target_gap=0.01)
    for t, g in ((1.0, 0.1), (2.0, 0.02), (3.0, 0.009)):
        done.add(t, g)
    assert done.eta_s() == 0.0
    assert GapTrend().eta_s() is None  # no target gap: no estimate
