"""Aggregated mode: time segmentation into chronological snapshots of variable length.

The modelled hours are split into ``N`` consecutive segments chosen from the scenario's
hourly input profiles (generator availability and must-run, load demand, storage inflow,
market prices).  Each segment becomes one :class:`~silkgrid.scenario.timeseries.Snapshots`
entry; :func:`~silkgrid.model.arrays.build_arrays` averages every profile over it, and the
storage balance and ramp rows see its length through ``duration_h``.  Chronology is kept, so
storage (including seasonal reservoirs) needs no special treatment.

How segments are chosen
-----------------------
This is tsam's segmentation (``tsam.aggregate(..., n_clusters=1,
period_duration=<all modelled steps>, segments=SegmentConfig(n_segments=N))``): Ward
agglomerative clustering of the time steps where a step may only merge with its neighbour,
on series min-max scaled to [0, 1].  Each merge joins the adjacent pair of segments whose
union adds the least squared deviation from the segment means, so segments are long where
the profiles are flat and short where they move.

Two engines give the same segments (checked in ``tests/test_aggregate.py`` where tsam is
installed; by hand at 100, 500 and 2,000 segments of the corridor year):

``"ward"`` (default)
    The same Ward clustering called through scikit-learn with a *sparse* chain
    connectivity.  0.2-0.8 s for 8,760 h x 120 series (plus ~2.5 s to import
    scikit-learn once per process), memory O(hours).
``"tsam"``
    The public ``tsam.aggregate`` call above (tsam 4.1; optional extra ``silkgrid[tsam]``,
    because tsam 4.1 pins highspy <= 1.15.1 while SilkGrid uses 1.16).  Measured 11-23 s for
    8,760 h x 120 series on a 2-core machine, because tsam builds a *dense*
    hours x hours adjacency matrix (3 x 0.6 GB at 8,760 h; ~2 s) and then reconstructs
    the series through a pandas ``stack`` over 1 million columns (~8 s).  Refused above
    :data:`TSAM_MAX_STEPS` steps.

tsam's documented alternative, typical days segmented within each day (``period_duration=24``,
one cluster per day), took 2-6 s but forces a boundary at every midnight and only allows
multiples of 365 segments a year, so it is not used.

The result is approximate: an LP on segments is neither an upper nor a lower bound of the
hourly optimum (averaging removes peaks and troughs, which usually lowers the cost, but the
coarser chronology also restricts storage and ramping).  See ``docs/aggregation.md``.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.timeseries import Snapshots, make_snapshots

#: Most steps the ``"tsam"`` engine accepts: tsam allocates three dense steps x steps float
#: matrices (8 bytes each), about 7.4 GB at this size.
TSAM_MAX_STEPS = 2 * 8784

#: Series whose range over the modelled hours is below this (in their own unit) count as constant.
CONSTANT_RANGE = 1e-9

Engine = Literal["ward", "tsam"]


def segment_profile_inputs(sc: Scenario, snapshots: Snapshots | None = None) -> pd.DataFrame:
    """The time-varying inputs that drive the segmentation, one column per distinct series.

    Parameters
    ----------
    sc:
        A loaded scenario (profiles are floats or arrays of ``time.hours`` values).
    snapshots:
        Base time steps to describe (default: ``make_snapshots(sc.time)``); each row is the
        mean of the hourly values over one of them.

    Returns
    -------
    DataFrame indexed by snapshot start, columns ``"<field>/<element id>"``, values in the
    fields' own units (per unit, MW, EUR/MWh).  Constant series and exact duplicates of an
    earlier column are dropped (so a profile shared by several units counts once).
    """
    base = snapshots if snapshots is not None else make_snapshots(sc.time)
    fields = (("availability", sc.generators, "availability"), ("min_output", sc.generators, "min_output"),
              ("demand_mw", sc.loads, "demand_mw"), ("inflow_mw", sc.storage, "inflow_mw"),
              ("price_eur_per_mwh", sc.markets, "price_eur_per_mwh"))
    names, rows = [], []
    for label, items, attr in fields:
        for item in items:
            value = getattr(item, attr)
            if np.ndim(value) == 1:
                names.append(f"{label}/{item.id}")
                rows.append(value)
    if not rows:
        return pd.DataFrame(index=base.index)
    series = np.atleast_2d(base.aggregate(np.vstack(rows)))  # (n_series, n_steps)
    keep = np.ptp(series, axis=1) > CONSTANT_RANGE
    _, first = np.unique(series, axis=0, return_index=True)
    unique = np.zeros(len(series), dtype=bool)
    unique[first] = True
    keep &= unique
    return pd.DataFrame(series[keep].T, index=base.index, columns=[n for n, k in zip(names, keep) if k])


def _scaled(features: pd.DataFrame) -> np.ndarray:
    """Min-max scale every column to [0, 1] (tsam's normalisation), shape (steps, series)."""
    x = features.to_numpy(dtype=float)
    lo, span = x.min(axis=0), np.ptp(x, axis=0)
    return (x - lo) / np.where(span > 0, span, 1.0)


def _labels_ward(x: np.ndarray, n_segments: int) -> np.ndarray:
    """Segment label of every step: Ward clustering restricted to neighbouring steps."""
    import scipy.sparse as sp
    from sklearn.cluster import AgglomerativeClustering

    steps = len(x)
    ones = np.ones(steps - 1)
    chain = sp.diags([ones, ones], [1, -1], shape=(steps, steps), format="csr")
    model = AgglomerativeClustering(n_clusters=n_segments, linkage="ward", connectivity=chain)
    return model.fit_predict(x)


def _durations_tsam(x: np.ndarray, index: pd.DatetimeIndex, n_segments: int) -> np.ndarray:
    """Segment lengths in steps from ``tsam.aggregate`` (one period spanning every step)."""
    try:
        import tsam
    except ImportError:
        raise ValueError("engine='tsam' needs the optional tsam package: pip install 'silkgrid[tsam]' "
                         "(tsam 4.1 pins highspy <= 1.15.1); the default engine='ward' gives the same "
                         "segments") from None

    steps = len(x)
    if steps > TSAM_MAX_STEPS:
        raise ValueError(f"the 'tsam' engine builds dense {steps} x {steps} matrices; use engine='ward' "
                         f"above {TSAM_MAX_STEPS} steps")
    df = pd.DataFrame(x, index=pd.date_range(index[0], periods=steps, freq="h"),
                      columns=[f"s{i}" for i in range(x.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tsam.aggregate(df, n_clusters=1, period_duration=steps, temporal_resolution=1.0,
                                segments=tsam.SegmentConfig(n_segments=n_segments),
                                preserve_column_means=False)
    return np.asarray(result.segment_durations[0], dtype=np.int64)


def segment_snapshots(sc: Scenario, n_segments: int, *, engine: Engine = "ward",
                      breaks: np.ndarray | None = None) -> Snapshots:
    """Split the scenario's modelled time into ``n_segments`` chronological snapshots.

    Parameters
    ----------
    sc:
        A loaded scenario.  Its ``time`` section decides which hours are modelled (start,
        subset) and the annualisation; the base steps are ``make_snapshots(sc.time)``
        (hours, or ``time.resolution`` blocks), and segments are runs of whole base steps.
    n_segments:
        Number of snapshots wanted, >= 1.  At or above the number of base steps the base
        snapshots themselves are returned (hourly ones at ``resolution: 1h``).
    engine:
        ``"ward"`` (default, fast) or ``"tsam"`` (through ``tsam.aggregate``; same segments,
        ~50x slower, refused above :data:`TSAM_MAX_STEPS` steps).
    breaks:
        Positions of base steps where a segment must start in any case (e.g. the first
        steps of the decomposed method's windows, so that storage levels at window
        boundaries are segment ends).  Each break not already a segment start adds one segment.

    Returns
    -------
    Snapshots whose ``first_hour`` runs over the modelled hours without gaps,
    ``duration_h`` (h) = the hours each segment covers and ``weight`` (h/yr) = the sum of
    the base weights it covers (duration x the annualisation factor of ``make_snapshots``).
    The result is deterministic.  With no time-varying input every split is equally good and
    the segments are near-equal in length.

    Raises
    ------
    ValueError
        If ``n_segments`` < 1 or ``engine`` is unknown.
    """
    if isinstance(n_segments, bool) or int(n_segments) != n_segments or n_segments < 1:
        raise ValueError(f"n_segments must be a whole number >= 1, got {n_segments!r}")
    if engine not in ("ward", "tsam"):
        raise ValueError(f"engine must be 'ward' or 'tsam', got {engine!r}")
    n_segments = int(n_segments)
    base = make_snapshots(sc.time)
    steps = len(base)
    if n_segments >= steps:
        return base
    features = segment_profile_inputs(sc, base)
    if n_segments == 1 or features.shape[1] == 0:
        # every split is equally good: near-equal runs of base steps
        sizes = np.full(n_segments, steps // n_segments, dtype=np.int64)
        sizes[: steps % n_segments] += 1
    elif engine == "tsam":
        sizes = _durations_tsam(_scaled(features), base.index, n_segments)
    else:
        labels = _labels_ward(_scaled(features), n_segments)
        starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
        sizes = np.diff(np.r_[starts, steps])
    if sizes.sum() != steps or len(sizes) != n_segments:  # pragma: no cover - guards a library change
        raise RuntimeError(f"segmentation returned {len(sizes)} segments over {sizes.sum()} steps, "
                           f"expected {n_segments} over {steps}")
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    if breaks is not None and len(breaks):
        extra = np.asarray(breaks, dtype=np.int64)
        starts = np.union1d(starts, extra[(extra > 0) & (extra < steps)])
    return Snapshots(index=base.index[starts], first_hour=base.first_hour[starts].copy(),
                     duration_h=np.add.reduceat(base.duration_h, starts),
                     weight=np.add.reduceat(base.weight, starts))
