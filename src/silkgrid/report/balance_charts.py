"""Plotly figures and HTML tables of country balances, emissions, capture prices and congestion rents.

Each ``*_figure(result)`` returns a plain ``{"data", "layout"}`` dict built with
:mod:`silkgrid.report.plotting` (SVG trace types only: ``sankey``, ``bar``, ``scatter``); the
numbers come from :mod:`silkgrid.analysis.balances` and :mod:`silkgrid.analysis.market`.  Energy is
shown in TWh/yr, emissions in Mt CO2/yr, prices in EUR/MWh, rents in M EUR/yr; solver noise
(below the thresholds named in each function) is dropped, and every shown number is rounded.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from silkgrid.analysis.balances import country_balance, country_emissions, country_exchanges
from silkgrid.analysis.market import capture_prices, congestion_rent
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, NODE_COLOURS, PALETTE, node_colours, tech_colour
from silkgrid.report.formatting import fmt_fixed, negligible
from silkgrid.report.plotting import figure, values
from silkgrid.results import Result

__all__ = ["SANKEY_MIN_MWH", "balance_sankey_figure", "generation_mix_figure", "emissions_figure",
           "capture_price_figure", "congestion_rent_figure", "balance_table_html", "market_table_html"]

#: Flows of the Sankey below this (MWh/yr, = 0.5 GWh/yr) are dropped.
SANKEY_MIN_MWH = 500.0
#: Bars of the mix charts below this (MWh/yr) are dropped (solver noise).
_MIX_MIN_MWH = 500.0
#: Capture prices are shown for (node, technology) pairs generating more than this (MWh/yr, = 1 GWh/yr).
_CAPTURE_MIN_MWH = 1000.0
#: Links with a congestion rent below this (EUR/yr, = 0.01 M EUR/yr) or without flow are not shown.
_RENT_MIN_EUR = 1e4
_TWH, _MT, _MEUR = 1e6, 1e6, 1e6
_LOSS_COLOUR = PALETTE[10]   # grey of the palette: losses
_MARKET_COLOUR = COMPONENT_COLOURS["market"]
_HOVER_BG = {"bgcolor": "#ffffff"}


def _rgba(hex_colour: str, alpha: float) -> str:
    """``'#rrggbb'`` -> ``'rgba(r,g,b,alpha)'`` (a translucent version of a palette colour)."""
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _country_colours(result: Result) -> dict[str, str]:
    """One colour per country, in the order of the network's nodes (stable across charts)."""
    return node_colours(dict.fromkeys(result.tables["nodes"]["country"]))


def _gen_columns(bal: pd.DataFrame) -> list[str]:
    return [c for c in bal.columns if c.startswith("gen_")]


def _storage_net(result: Result) -> pd.DataFrame:
    """Net storage output (discharge - charge, MWh/yr) by (country, storage technology)."""
    s = result.tables["storage"]
    if not len(s):
        return pd.DataFrame(columns=["country", "technology", "net_mwh", "discharge_mwh", "charge_mwh"])
    w = np.asarray(result.weights, dtype=float)
    ids = list(s["id"])
    nc = dict(zip(result.tables["nodes"]["id"], result.tables["nodes"]["country"]))
    df = pd.DataFrame({"country": s["node"].map(nc).to_numpy(), "technology": s["technology"].to_numpy(),
                       "discharge_mwh": w @ result.hourly["storage_discharge_mw"][ids].to_numpy(dtype=float),
                       "charge_mwh": w @ result.hourly["storage_charge_mw"][ids].to_numpy(dtype=float)})
    df = df.groupby(["country", "technology"], as_index=False, sort=False).sum()
    df["net_mwh"] = df["discharge_mwh"] - df["charge_mwh"]
    return df


# ----------------------------------------------------------------------------------------- Sankey
class _Sankey:
    """Nodes (by key) and links of a Sankey diagram; links below :data:`SANKEY_MIN_MWH` are dropped."""

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.labels: list[str] = []
        self.colours: list[str] = []
        self.links: list[tuple[int, int, float, str]] = []

    def node(self, key: str, label: str, colour: str) -> int:
        if key not in self.keys:
            self.keys[key] = len(self.labels)
            self.labels.append(label)
            self.colours.append(colour)
        return self.keys[key]

    def link(self, src: tuple[str, str, str], dst: tuple[str, str, str], mwh: float, colour: str) -> None:
        if not np.isfinite(mwh) or mwh < SANKEY_MIN_MWH:
            return
        self.links.append((self.node(*src), self.node(*dst), float(mwh), colour))


def balance_sankey_figure(result: Result) -> dict:
    """Energy flows of the year as a Sankey diagram, TWh/yr.

    Sources ``technology · country`` (generation, and the net output of stores that give more
    than they take, such as reservoirs with inflow) and ``unserved energy`` flow into the
    countries; countries flow to ``demand``, to each other (the net energy delivered between
    each pair of countries, one direction only), to ``sales: MARKET`` and from
    ``purchases: MARKET``, and into ``link losses`` (all losses of the energy they send) and
    ``storage losses`` (charge - discharge of stores that take more than they give).  With
    this the flows of each country balance.  Flows below 0.5 GWh/yr are dropped.
    """
    bal = country_balance(result).set_index("country")
    ccol = _country_colours(result)
    sk = _Sankey()

    def country(c: str) -> tuple[str, str, str]:
        return (f"c:{c}", c, ccol.get(c, NODE_COLOURS[0]))

    for c in bal.index:  # first the countries, so that they keep their order in the node list
        sk.node(*country(c))
    for col in _gen_columns(bal):
        tech = col[4:]
        for c, mwh in bal[col].items():
            sk.link((f"g:{tech}:{c}", f"{tech} · {c}", tech_colour(tech)), country(c), mwh,
                    _rgba(tech_colour(tech), 0.45))
    for r in _storage_net(result).itertuples():
        if r.net_mwh > 0:
            sk.link((f"s:{r.technology}:{r.country}", f"{r.technology} · {r.country}", tech_colour(r.technology)),
                    country(r.country), r.net_mwh, _rgba(tech_colour(r.technology), 0.45))
        else:
            sk.link(country(r.country), ("storage_losses", "storage losses", _LOSS_COLOUR), -r.net_mwh,
                    _rgba(_LOSS_COLOUR, 0.45))
    for c, mwh in bal["unserved"].items():
        sk.link(("unserved", "unserved energy", COMPONENT_COLOURS["unserved"]), country(c), mwh,
                _rgba(COMPONENT_COLOURS["unserved"], 0.45))
    for c, mwh in bal["demand"].items():
        sk.link(country(c), ("demand", "demand", DEMAND_COLOUR), mwh, _rgba(ccol.get(c, NODE_COLOURS[0]), 0.45))
    ex = country_exchanges(result)
    delivered = {(r.from_country, r.to_country): r.delivered_mwh for r in ex.itertuples()}
    for (a, b), d_ab in delivered.items():
        net = d_ab - delivered.get((b, a), 0.0)
        if net > 0:  # the other direction of the pair has net <= 0 and is skipped
            sk.link(country(a), country(b), net, _rgba(ccol.get(a, NODE_COLOURS[0]), 0.45))
    for c, mwh in (bal["export_losses"] + bal["link_losses"]).items():
        sk.link(country(c), ("link_losses", "link losses", _LOSS_COLOUR), mwh, _rgba(_LOSS_COLOUR, 0.45))
    m = result.tables["markets"]
    if len(m):
        w = np.asarray(result.weights, dtype=float)
        sales = result.hourly["market_sales_mw"][list(m["id"])].to_numpy(dtype=float)
        sold, bought = w @ np.clip(sales, 0.0, None), w @ np.clip(-sales, 0.0, None)
        nc = dict(zip(result.tables["nodes"]["id"], result.tables["nodes"]["country"]))
        for i, (mid, node) in enumerate(zip(m["id"], m["node"])):
            c = nc[node]
            sk.link(country(c), (f"ms:{mid}", f"sales: {mid}", _MARKET_COLOUR), sold[i], _rgba(_MARKET_COLOUR, 0.45))
            sk.link((f"mp:{mid}", f"purchases: {mid}", _MARKET_COLOUR), country(c), bought[i],
                    _rgba(_MARKET_COLOUR, 0.45))

    used = sorted({i for s, t, _, _ in sk.links for i in (s, t)})
    remap = {old: new for new, old in enumerate(used)}
    trace = {
        "type": "sankey", "arrangement": "snap", "valueformat": ".3f", "valuesuffix": " TWh/yr",
        "node": {"label": [sk.labels[i] for i in used], "color": [sk.colours[i] for i in used],
                 "pad": 12, "thickness": 14, "line": {"width": 0.5, "color": "#ffffff"},
                 "hovertemplate": "%{label}<br>%{value} TWh/yr<extra></extra>"},
        "link": {"source": [remap[s] for s, _, _, _ in sk.links], "target": [remap[t] for _, t, _, _ in sk.links],
                 "value": values([v / _TWH for _, _, v, _ in sk.links], 4),
                 "color": [c for _, _, _, c in sk.links],
                 "hovertemplate": "%{source.label} → %{target.label}<br>%{value} TWh/yr<extra></extra>"},
    }
    return figure([trace], {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "hoverlabel": _HOVER_BG},
                  title="Energy flows by technology and country (TWh/yr)", height=max(480, 26 * len(used)))


# ------------------------------------------------------------------------------------- bar charts
def _stack_layout(n_categories: int) -> dict:
    return {"barmode": "relative", "bargap": 0.35 if n_categories > 2 else 0.6, "hoverlabel": _HOVER_BG}


def generation_mix_figure(result: Result) -> dict:
    """Generation (TWh/yr) per country by technology as stacked bars, storage discharge stacked
    on top and storage charge below zero, with a marker for each country's demand.  Countries
    with neither generation nor demand, and bars below 0.5 MWh/yr, are left out."""
    bal = country_balance(result).set_index("country")
    sto = _storage_net(result)
    parts = {col[4:]: bal[col] for col in _gen_columns(bal)}
    for tech in dict.fromkeys(sto["technology"]):
        one = sto[sto["technology"] == tech].set_index("country")
        parts[f"{tech} (discharge)"] = one["discharge_mwh"].reindex(bal.index).fillna(0.0)
        parts[f"{tech} (charge)"] = -one["charge_mwh"].reindex(bal.index).fillna(0.0)
    gen_total = sum((p.abs() for p in parts.values()), pd.Series(0.0, index=bal.index))
    keep = bal.index[(gen_total >= _MIX_MIN_MWH) | (bal["demand"] >= _MIX_MIN_MWH)]
    x = list(keep)
    traces = []
    for name, s in parts.items():
        s = s.reindex(keep).where(s.reindex(keep).abs() >= _MIX_MIN_MWH, 0.0)
        if not (s != 0).any():
            continue
        traces.append({"type": "bar", "name": name, "x": x, "y": values(s / _TWH, 3),
                       "marker": {"color": tech_colour(name)},
                       "hovertemplate": f"%{{x}} {html.escape(name)}: %{{y:.2f}} TWh/yr<extra></extra>"})
    traces.append({"type": "scatter", "mode": "markers", "name": "demand", "x": x,
                   "y": values(bal["demand"].reindex(keep) / _TWH, 3),
                   "marker": {"symbol": "line-ew", "size": 34, "line": {"width": 3, "color": DEMAND_COLOUR},
                              "color": DEMAND_COLOUR},
                   "hovertemplate": "%{x} demand: %{y:.2f} TWh/yr<extra></extra>"})
    return figure(traces, _stack_layout(len(x)), title="Generation by country and technology",
                  ytitle="TWh/yr", height=400)


def emissions_figure(result: Result) -> dict:
    """CO2 emissions (Mt CO2/yr) per country by technology as stacked bars; countries without
    generators and technologies below 0.5 t/yr are left out."""
    em = country_emissions(result).set_index("country")
    with_gen = set(result.tables["generators"]["country"])
    keep = [c for c in em.index if c in with_gen]
    traces = []
    for col in [c for c in em.columns if c.startswith("co2_")]:
        tech = col[4:]
        s = em[col].reindex(keep)
        s = s.where(s.abs() >= 0.5, 0.0)
        if not (s != 0).any():
            continue
        traces.append({"type": "bar", "name": tech, "x": keep, "y": values(s / _MT, 3),
                       "marker": {"color": tech_colour(tech)},
                       "hovertemplate": f"%{{x}} {html.escape(tech)}: %{{y:.2f}} Mt CO2/yr<extra></extra>"})
    return figure(traces, _stack_layout(len(keep)), title="CO2 emissions by country and technology",
                  ytitle="Mt CO2/yr", height=380)


def _capture_rows(result: Result) -> pd.DataFrame:
    """(node, technology) aggregates of :func:`capture_prices` generating more than 1 GWh/yr."""
    cp = capture_prices(result)
    cp = cp[(cp["id"] == "*") & (cp["generation_mwh"] > _CAPTURE_MIN_MWH)].copy()
    # network node order, then one technology order for all nodes (the generators table's)
    cp["_n"] = cp["node"].map({n: i for i, n in enumerate(result.tables["nodes"]["id"])})
    techs = dict.fromkeys(result.tables["generators"]["technology"])
    cp["_t"] = cp["technology"].map({t: i for i, t in enumerate(techs)})
    return cp.sort_values(["_n", "_t"], kind="stable").drop(columns=["_n", "_t"]).reset_index(drop=True)


def capture_price_figure(result: Result) -> dict:
    """Capture price (EUR/MWh: market value of the output / output) per (node, technology) as
    horizontal bars on a two-level node/technology axis, with the node's time-weighted mean
    price as a black tick; the hover gives the value factor (capture / mean price) and the
    generation.  Only technologies generating more than 1 GWh/yr at a node are shown.  A few
    scarcity-priced outliers (peakers running at the value of lost load) would flatten every
    other bar, so the axis ends at twice the 90th percentile of the prices shown and a bar
    beyond it carries its value as text."""
    cp = _capture_rows(result)
    shown = np.concatenate([cp["capture_price_eur_per_mwh"].to_numpy(), cp["mean_price_eur_per_mwh"].to_numpy()])
    shown = shown[np.isfinite(shown)]
    hi = 2.0 * float(np.percentile(shown, 90)) if shown.size else 0.0
    lo = min(0.0, float(shown.min())) * 1.1 if shown.size else 0.0
    clip = hi > 0 and shown.size and float(shown.max()) > hi
    # the mean-price ticks come first: their order (network node order) sets the category order
    traces = [{"type": "scatter", "mode": "markers", "name": "node mean price",
               "y": [list(cp["node"]), list(cp["technology"])], "x": values(cp["mean_price_eur_per_mwh"], 2),
               "marker": {"symbol": "line-ns", "size": 14, "color": DEMAND_COLOUR,
                          "line": {"width": 3, "color": DEMAND_COLOUR}},
               "hovertemplate": "%{y}<br>node mean price %{x:.2f} EUR/MWh<extra></extra>"}]
    for tech in dict.fromkeys(cp["technology"]):
        one = cp[cp["technology"] == tech]
        price = one["capture_price_eur_per_mwh"].to_numpy()
        trace = {
            "type": "bar", "orientation": "h", "name": tech, "y": [list(one["node"]), list(one["technology"])],
            "x": values(price, 2), "marker": {"color": tech_colour(tech)},
            "customdata": [list(r) for r in zip(values(one["value_factor"], 3), values(one["generation_mwh"] / _TWH, 3),
                                                values(one["mean_price_eur_per_mwh"], 2))],
            "hovertemplate": "%{y}<br>capture price %{x:.2f} EUR/MWh<br>mean price %{customdata[2]:.2f} EUR/MWh"
                             "<br>value factor %{customdata[0]:.3f}<br>generation %{customdata[1]:.2f} TWh/yr"
                             "<extra></extra>"}
        if clip and (price > hi).any():
            trace.update(text=[f"{fmt_fixed(p, 0)} ▸" if p > hi else "" for p in price], textposition="inside",
                         insidetextanchor="start", cliponaxis=True, textfont={"color": "#ffffff"})
        traces.append(trace)
    layout = {"barmode": "relative", "bargap": 0.25, "hoverlabel": _HOVER_BG,
              "yaxis": {"type": "multicategory", "autorange": "reversed"}, "margin": {"l": 170}}
    if clip:
        layout["xaxis"] = {"range": [lo, hi]}
    return figure(traces, layout, title="Capture prices by node and technology", xtitle="EUR/MWh",
                  height=max(260, 110 + 22 * len(cp)))


def _rent_rows(result: Result) -> pd.DataFrame:
    """Links of :func:`congestion_rent` with flow and a rent of at least 0.01 M EUR/yr, smallest rent first."""
    cr = congestion_rent(result)
    cols = ["id", "from_node", "to_node", "congestion_rent_eur", "mean_price_spread_eur_per_mwh", "net_flow_mwh"]
    if not len(cr) or "id" not in cr.columns:  # a system without links
        return pd.DataFrame(columns=cols)
    links = result.tables["links"].set_index("id")
    flow = (links["forward_mwh"] + links["backward_mwh"]).reindex(cr["id"]).to_numpy()
    cr = cr[(cr["congestion_rent_eur"].abs() >= _RENT_MIN_EUR) & (flow >= 0.5)]
    return cr.sort_values("congestion_rent_eur", kind="stable").reset_index(drop=True)


def congestion_rent_figure(result: Result) -> dict:
    """Congestion rent per link (M EUR/yr: value of the energy at the receiving end minus at the
    sending end) as horizontal bars; the hover gives the time-weighted mean price spread
    (EUR/MWh, to - from) and the net flow (TWh/yr, from -> to).  Links with a rent below
    0.01 M EUR/yr or no flow are left out."""
    cr = _rent_rows(result)
    labels = [f"{i} ({a} → {b})" for i, a, b in zip(cr["id"], cr["from_node"], cr["to_node"])]
    trace = {"type": "bar", "orientation": "h", "name": "congestion rent", "y": labels,
             "x": values(cr["congestion_rent_eur"] / _MEUR, 2), "marker": {"color": NODE_COLOURS[0]},
             "customdata": [list(r) for r in zip(values(cr["mean_price_spread_eur_per_mwh"], 2),
                                                 values(cr["net_flow_mwh"] / _TWH, 3))],
             "hovertemplate": "%{y}<br>rent %{x:.2f} M EUR/yr<br>mean price spread %{customdata[0]:.2f} EUR/MWh"
                              "<br>net flow %{customdata[1]:.2f} TWh/yr<extra></extra>"}
    return figure([trace], {"showlegend": False, "hoverlabel": _HOVER_BG, "margin": {"l": 200}},
                  title="Congestion rent by link", xtitle="M EUR/yr", height=max(220, 90 + 28 * len(labels)))


# ----------------------------------------------------------------------------------------- tables
def _twh(mwh: float) -> str:
    """MWh/yr as TWh/yr with 2 decimals; below 0.5 MWh (solver noise) '0.00', never '-0.00'."""
    return fmt_fixed(0.0 if negligible(mwh, "MWh") else mwh / _TWH, 2)


_BALANCE_COLUMNS = (("storage_discharge", "storage discharge"), ("storage_charge", "storage charge"),
                    ("imports", "imports"), ("exports", "exports"), ("link_losses", "internal link losses"),
                    ("market_purchases", "market purchases"), ("market_sales", "market sales"),
                    ("unserved", "unserved"), ("demand", "demand"), ("residual", "residual"),
                    ("curtailment", "curtailment"))


def balance_table_html(result: Result) -> str:
    """The country balances as an HTML table, TWh/yr (generation as one column; its split by
    technology in the cell's tooltip).  Convention: :mod:`silkgrid.analysis.balances`."""
    esc = html.escape
    bal = country_balance(result)
    gen_cols = _gen_columns(bal)
    head = ("<tr><th>country</th><th>generation</th>" + "".join(f"<th>{esc(n)}</th>" for _, n in _BALANCE_COLUMNS)
            + "</tr>")
    rows = []
    for d in bal.to_dict("records"):  # not itertuples: technology names need not be identifiers
        split = "; ".join(f"{c[4:]} {_twh(d[c])}" for c in gen_cols if not negligible(d[c], "MWh"))
        cells = "".join(f"<td class=\"num\">{_twh(d[c])}</td>" for c, _ in _BALANCE_COLUMNS)
        rows.append(f"<tr><td>{esc(str(d['country']))}</td><td class=\"num\" title=\"{esc(split)}\">"
                    f"{_twh(sum(d[c] for c in gen_cols))}</td>{cells}</tr>")
    note = ("<p class=\"note\">TWh/yr. Exports are metered where they leave the country (losses included), "
            "imports where they arrive; residual = supply - use (0 when the balance closes); curtailment is "
            "information only.</p>")
    return f"<table class=\"balance\">{head}{''.join(rows)}</table>{note}"


def market_table_html(result: Result) -> str:
    """Capture prices per (node, technology) generating more than 1 GWh/yr, and congestion rents
    per link (with flow and at least 0.01 M EUR/yr), as two HTML tables."""
    esc = html.escape
    cp = _capture_rows(result)
    rows = "".join(
        f"<tr><td>{esc(str(r.node))}</td><td>{esc(str(r.technology))}</td><td class=\"num\">{_twh(r.generation_mwh)}"
        f"</td><td class=\"num\">{fmt_fixed(_price(r.capture_price_eur_per_mwh), 2)}</td>"
        f"<td class=\"num\">{fmt_fixed(_price(r.mean_price_eur_per_mwh), 2)}</td>"
        f"<td class=\"num\">{fmt_fixed(r.value_factor, 3)}</td></tr>" for r in cp.itertuples())
    capture = ("<table class=\"capture\"><tr><th>node</th><th>technology</th><th>generation TWh/yr</th>"
               "<th>capture price EUR/MWh</th><th>mean price EUR/MWh</th><th>value factor</th></tr>"
               f"{rows}</table>")
    cr = _rent_rows(result).iloc[::-1]
    rows = "".join(
        f"<tr><td>{esc(str(r.id))}</td><td>{esc(str(r.from_node))} → {esc(str(r.to_node))}</td>"
        f"<td class=\"num\">{_twh(r.net_flow_mwh)}</td>"
        f"<td class=\"num\">{fmt_fixed(_price(r.mean_price_spread_eur_per_mwh), 2)}</td>"
        f"<td class=\"num\">{fmt_fixed(r.congestion_rent_eur / _MEUR, 2)}</td></tr>" for r in cr.itertuples())
    rent = ("<table class=\"rent\"><tr><th>link</th><th>from → to</th><th>net flow TWh/yr</th>"
            "<th>mean price spread EUR/MWh</th><th>congestion rent M EUR/yr</th></tr>"
            f"{rows}</table>")
    return capture + rent


def _price(x: float) -> float:
    """A price with solver noise below 0.005 EUR/MWh set to zero."""
    return 0.0 if negligible(x, "EUR/MWh") else x
