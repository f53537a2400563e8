"""Static PNG versions of the report's key charts (matplotlib, Agg backend).

Colours come from :mod:`silkgrid.report.colours`, as in the HTML charts; map labels are placed
by :func:`silkgrid.report.labels.place_labels`, as on the HTML map.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np

from silkgrid.analysis.costs import COMPONENTS
from silkgrid.data.geo import load_countries
from silkgrid.report.panels import capacity_by_node, dispatch, price_duration, week_slice
from silkgrid.report.trade_panels import cost_table
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, colour_map, node_colours, tech_colour
from silkgrid.report.labels import place_labels, text_width
from silkgrid.results import Result
from silkgrid.results.staging import staged_dir

__all__ = ["FIGURES", "write_figures"]

#: PNG files written to ``DIR/figures/`` (plus ``dispatch_weekN.png``).
FIGURES = ("map.png", "capacity_mix.png", "price_duration.png", "costs.png")


def write_figures(result: Result, directory: str | Path, *, week: int = 1) -> list[Path]:
    """PNG versions of the key charts in ``directory`` (a folder of their own, e.g. ``DIR/figures``).

    Complete or absent: the charts are drawn into a hidden staging sibling (``.figures.tmp-*``),
    which replaces ``directory`` in one swap (:func:`silkgrid.results.staging.staged_dir`), so a
    failure or a kill part-way leaves the previous folder as it was.  Earlier PNGs of these names
    (``dispatch_week*.png`` included) are dropped; other files in the folder are carried over.
    The cost chart needs ``result.scenario`` and is left out without it.  Raises
    :class:`~silkgrid.results.staging.ResultWriteError` when the folder cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    directory = Path(directory)
    written: list[Path] = []
    with staged_dir(directory) as tmp:
        if directory.is_dir():  # keep what is not ours; no stale charts from an earlier report
            ours = {*FIGURES, *(p.name for p in directory.glob("dispatch_week*.png"))}
            for old in directory.iterdir():
                if old.name in ours:
                    continue
                if old.is_dir() and not old.is_symlink():
                    shutil.copytree(old, tmp / old.name, symlinks=True)
                else:
                    shutil.copy2(old, tmp / old.name, follow_symlinks=False)

        def save(fig, name):
            fig.tight_layout()
            try:
                fig.savefig(tmp / name, dpi=110)
            finally:
                plt.close(fig)
            written.append(directory / name)

        _draw(plt, result, save, week)
    return written


def _draw(plt, result: Result, save, week: int) -> None:
    """Draw the key charts, handing each figure and its file name to ``save``."""
    net = result.network
    pos = {n["id"]: (n["lon"], n["lat"]) for n in net.get("nodes", []) if n.get("lat") is not None
           and n.get("lon") is not None}
    if pos:
        save(_map_figure(plt, result, pos), "map.png")
    cap = capacity_by_node(result)
    if not cap.empty:
        fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * len(cap)))
        colours = colour_map(cap.columns)
        (cap / 1e3).plot.barh(stacked=True, ax=ax, color=[colours[c] for c in cap.columns])
        ax.invert_yaxis()
        ax.set_xlabel("GW")
        ax.set_title("Capacity mix by node")
        save(fig, "capacity_mix.png")
    snaps = week_slice(result, week)
    per_node = {n["id"]: dispatch(result, n["id"], snaps) for n in net.get("nodes", [])}
    per_node = {k: v for k, v in per_node.items()  # leave out nodes with neither generation nor demand
                if len(v[0].columns) or (v[1] is not None and float(v[1].abs().max()) > 1e-6)} or per_node
    fig, axes = plt.subplots(len(per_node), 1, figsize=(9, 2.2 * len(per_node)), sharex=True, squeeze=False)
    for ax, (node, (df, demand)) in zip(axes[:, 0], per_node.items()):
        if len(df.columns):
            ax.stackplot(df.index, *(df[c].to_numpy() for c in df.columns), labels=list(df.columns),
                         colors=[tech_colour(c) for c in df.columns])
        if demand is not None:
            ax.plot(demand.index, demand.to_numpy(), color=DEMAND_COLOUR, lw=1.2, label="demand")
        ax.set_ylabel(f"{node}\nMW")
        ax.legend(fontsize=7, loc="upper right", ncol=3)
    axes[0, 0].set_title(f"Dispatch, week {week}")
    save(fig, f"dispatch_week{week}.png")
    curves = price_duration(result)
    if curves:
        fig, ax = plt.subplots(figsize=(8, 4))
        order = [n["id"] for n in net.get("nodes", [])]
        nc = node_colours([*order, *(n for n in curves if n not in order)])
        for node, (x, v) in curves.items():
            ax.step(np.r_[0, x], np.r_[v[0], v], where="pre", label=node, color=nc[node])
        ax.set_xlabel("hours per year at or above the price")
        ax.set_ylabel("EUR/MWh")
        ax.legend()
        ax.set_title("Price duration curves")
        save(fig, "price_duration.png")
    by = cost_table(result)
    if by is not None and len(by):
        comps = [c for c in COMPONENTS if by[c].abs().sum() > 1.0]
        fig, ax = plt.subplots(figsize=(8, 4))
        names = [c.removesuffix("_eur") for c in comps]
        (by[comps] / 1e6).set_axis(names, axis=1).plot.bar(
            stacked=True, ax=ax, color=[COMPONENT_COLOURS.get(c, tech_colour(c)) for c in names])
        ax.set_ylabel("M EUR per year")
        ax.set_title("Cost breakdown by technology")
        save(fig, "costs.png")


def _map_figure(plt, result: Result, pos: dict):
    """Country outlines, links (width ∝ capacity, colour = utilisation) and labelled nodes."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for f in load_countries()["features"]:
        g = f["geometry"]
        for poly in (g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]):
            xy = np.asarray(poly[0])
            ax.fill(xy[:, 0], xy[:, 1], color="#eeeae0", ec="#999", lw=0.5)
    lt = result.tables["links"]
    mx = float(lt["total_mw"].max()) if len(lt) else 1.0
    cmap = plt.get_cmap("RdYlBu_r")
    for r in lt.itertuples():
        if r.from_node in pos and r.to_node in pos:
            (x1, y1), (x2, y2) = pos[r.from_node], pos[r.to_node]
            ax.plot([x1, x2], [y1, y2], lw=1 + 7 * r.total_mw / (mx or 1), color=cmap(r.utilisation),
                    solid_capstyle="round")
    for nid, (x, y) in pos.items():
        ax.plot(x, y, "o", color="#17324d", ms=7)
    xs, ys = zip(*pos.values())
    ax.set_xlim(min(xs) - 4, max(xs) + 4)
    ax.set_ylim(min(ys) - 3, max(ys) + 3)
    ax.set_aspect(1 / math.cos(math.radians(np.mean(ys))))
    ax.set_title("Corridor: link width ∝ capacity, colour = utilisation")
    fig.tight_layout()
    ax.apply_aspect()
    # labels placed in figure pixels (y down), as on the HTML map; drawn at an offset in pixels
    font_px = 9 * fig.dpi / 72
    px = ax.transData.transform(np.array(list(pos.values()), dtype=float))
    px[:, 1] = fig.bbox.height - px[:, 1]
    boxes = place_labels(px, [text_width(n, font_px) for n in pos], font_px * 1.2, radius=4.5 * fig.dpi / 72)
    for nid, (x, y), b in zip(pos, px, boxes):
        ax.annotate(nid, pos[nid], xytext=(b[0] - x, y - b[3]),
                    textcoords="offset pixels", fontsize=9, weight="bold", ha="left", va="bottom")
    return fig
