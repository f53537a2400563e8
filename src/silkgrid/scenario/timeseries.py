"""Snapshots: which hours are modelled, how they are aggregated and weighted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from silkgrid.scenario.schema import HOURS_PER_YEAR, Time


@dataclass(frozen=True)
class Snapshots:
    """The modelled time steps.

    Attributes
    ----------
    index:
        Start time of each snapshot.
    first_hour:
        Position of each snapshot's first hour in the hourly input data.
    duration_h:
        Hours each snapshot stands for (storage and ramping use this), h.
    weight:
        Weight of each snapshot in costs, energy and emissions totals, h/yr.  Equal to
        ``duration_h`` unless ``time.annualise`` scales a part-year run to a full year.
    """

    index: pd.DatetimeIndex
    first_hour: np.ndarray
    duration_h: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    @property
    def hour_start(self) -> int:
        return int(self.first_hour[0])

    @property
    def hour_stop(self) -> int:
        return int(self.first_hour[-1] + self.duration_h[-1])

    def aggregate(self, series: float | np.ndarray) -> float | np.ndarray:
        """Mean of an hourly series (last axis) over each snapshot; constants pass through."""
        if np.ndim(series) == 0:
            return float(series)
        arr = np.asarray(series, dtype=float)[..., self.hour_start:self.hour_stop]
        sums = np.add.reduceat(arr, self.first_hour - self.hour_start, axis=-1)
        return sums / self.duration_h


def make_snapshots(time: Time) -> Snapshots:
    """Build snapshots from the scenario's ``time`` section."""
    start = pd.Timestamp(time.start)
    first, last = 0, time.hours  # hour range [first, last)
    if time.subset is not None:
        s = pd.Timestamp(time.subset.start)
        e = pd.Timestamp(time.subset.end)
        if e == e.normalize() and len(time.subset.end.strip()) <= 10:
            e = e + pd.Timedelta(days=1)  # a bare date as end includes that whole day
        else:
            e = e + pd.Timedelta(hours=1)
        first = max(0, int((s - start) / pd.Timedelta(hours=1)))
        last = min(time.hours, int(np.ceil((e - start) / pd.Timedelta(hours=1))))
    step = time.resolution_hours
    first_hour = np.arange(first, last, step, dtype=np.int64)
    duration = np.minimum(first_hour + step, last) - first_hour
    duration = duration.astype(float)
    total = duration.sum()
    weight = duration * (HOURS_PER_YEAR / total) if time.annualise else duration.copy()
    index = start + pd.to_timedelta(first_hour, unit="h")
    return Snapshots(pd.DatetimeIndex(index), first_hour, duration, weight)
