"""Time left of a decomposed solve, estimated from how fast its proven gap closes.

Benders' gap falls roughly geometrically once the cuts describe the cost surface: log(gap) is near
linear in time.  :class:`GapTrend` fits a line through log(gap) of the last iterations (least
squares over at most :data:`WINDOW` points) and extrapolates it to the target gap.  The estimate is
None until three iterations have a finite gap, or while the gap does not fall.  It is an estimate,
shown as such ("about N s"); the solve's time limit, when given, caps it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["GapTrend", "WINDOW"]

#: Iterations the trend is fitted on (the early ones, before the cuts bite, mislead).
WINDOW = 6


class GapTrend:
    """Feed it iterations (``seconds`` since the solve started, relative ``gap``); ask :meth:`eta_s`."""

    def __init__(self, target_gap: float | None = None, time_limit_s: float | None = None) -> None:
        self.target_gap, self.time_limit_s = target_gap, time_limit_s
        self._t: list[float] = []
        self._g: list[float] = []

    def add(self, seconds: float, gap: float | None, target_gap: float | None = None) -> None:
        """Record one iteration (a missing or non-positive gap is skipped)."""
        if target_gap:
            self.target_gap = target_gap
        if gap is not None and math.isfinite(gap) and gap > 0 and math.isfinite(seconds):
            self._t.append(float(seconds))
            self._g.append(float(gap))

    def eta_s(self) -> float | None:
        """Seconds until the gap reaches the target at the recent rate (None: no estimate yet)."""
        if not self.target_gap or len(self._g) < 3:
            return None
        t, lg = np.array(self._t[-WINDOW:]), np.log(self._g[-WINDOW:])
        if lg[-1] <= math.log(self.target_gap):
            return 0.0
        slope = np.polyfit(t - t[-1], lg, 1)[0] if np.ptp(t) > 0 else 0.0
        if not slope < 0:
            return None
        eta = (math.log(self.target_gap) - lg[-1]) / slope
        if self.time_limit_s is not None:
            eta = min(eta, max(self.time_limit_s - self._t[-1], 0.0))
        return float(eta)
