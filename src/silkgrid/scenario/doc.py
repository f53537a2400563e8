"""Render the scenario schema as a Markdown reference (docs/scenario.md)."""

from __future__ import annotations

import typing

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from silkgrid.scenario import schema

INTRO = """# Scenario format

A scenario is a YAML file (or a Python dict) with the sections below. Units are part of every
field name (`_mw`, `_mwh`, `_eur_per_kw`, `_t`, `_km`, …). Unknown fields are errors (with a
"did you mean" hint). This page is generated from `silkgrid/scenario/schema.py` by
`scripts/make_scenario_docs.py`.

**Time series.** Fields typed *series* take a constant, an inline list of `time.hours` numbers, or
a CSV column: `"profiles.csv#column"` or `{file: profiles.csv, column: name}` (paths relative to
the file that names them; one row per hour, a header row).

**Inheritance.** `extends: other.yaml` (or a packaged data set such as `extends: example`) loads
that scenario first; element lists (nodes, carriers, technologies, generators, storage, links,
loads, markets) are merged by `id` — a listed element overrides only the fields it gives, a new id
is appended, and `{id: X, remove: true}` deletes X. Mappings merge recursively.

**Costs.** New capacity pays `capex × annuity(discount_rate, lifetime) + fixed O&M` per year;
existing capacity pays fixed O&M only (a constant). `annualised_cost_eur_per_mw_yr`, where given,
replaces capex, lifetime and fixed O&M. A generator, storage unit or link may carry its own
`discount_rate` (e.g. a country's cost of capital); a link's `grant_share` of its investment is
paid by grants and not charged.

**Build limits and market depth.** `policies.build_limits` caps the new capacity of a group of
technologies in a country or set of nodes (e.g. an achieved build rate × years). A market's
`depth_steps` split its sales and purchases into price-quantity blocks: the k-th block of sales
earns the price minus its offset, the k-th block of purchases pays the price plus it.

**Corridor facts.** The optional `corridor:` section tells the analysis (and the web Run form)
which links form the export path, which nodes and markets are the EU, the CBAM default emission
factor of each origin country and which links the capacity knobs set. The `corridor` data set
fills it from `data/corridor/meta.yaml` and `emission_factors.csv`, and scenarios that extend it
inherit it (a mapping: a child's fields override, `corridor: null` removes it). Without it the
export path is inferred, the EU-deliveries metric is skipped and the CBAM factors are the proxies
of the corridor data set's table (`docs/analysis.md`). Its ids are not checked at load time:
an inherited section may name elements a child removed, and the analysis then says so. Example:

```yaml
corridor:
  export_path: [caspian_cable, AZ_GE_500kV, black_sea_cable]
  segments: {caspian_cable: caspian_cable, AZ_GE_500kV: transit, black_sea_cable: black_sea_cable}
  eu_nodes: [RO]
  eu_markets: [RO_market]
  cbam_default_factors:
    KZ: {t_per_mwh: 0.797, assumption: true, source: "IFI operating margin 2021 (proxy)"}
  capacity_knobs: {caspian: caspian_cable, black_sea: black_sea_cable}
```
"""

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Scenario (top level)", schema.Scenario),
    ("time", schema.Time),
    ("time.subset", schema.Subset),
    ("nodes[]", schema.Node),
    ("carriers[]", schema.Carrier),
    ("technologies[]", schema.Technology),
    ("generators[]", schema.Generator),
    ("storage[]", schema.Storage),
    ("links[]", schema.Link),
    ("loads[]", schema.Load),
    ("markets[]", schema.Market),
    ("markets[].depth_steps[]", schema.MarketStep),
    ("policies", schema.Policies),
    ("policies.firm_exports[]", schema.FirmExport),
    ("policies.build_limits[]", schema.BuildLimit),
    ("corridor", schema.Corridor),
    ("corridor.cbam_default_factors.<country>", schema.CbamDefaultFactor),
    ("unserved_energy", schema.UnservedEnergy),
    ("solver", schema.SolverOptions),
]


def _type_name(ann) -> str:
    if ann is schema.Series or (typing.get_origin(ann) is typing.Annotated and ann.__metadata__ and
                                getattr(ann.__metadata__[0], "func", None) is schema._coerce_series):
        return "series"
    text = repr(ann)
    for old, new in (("typing.", ""), ("<class '", ""), ("'>", ""), ("silkgrid.scenario.schema.", ""),
                     ("silkgrid.scenario.solver_options.", ""),
                     ("NoneType", "None")):
        text = text.replace(old, new)
    if "Annotated[" in text:
        text = text.split("Annotated[", 1)[1].split(",", 1)[0]
    return text


def _default(field) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "**required**"
    if field.default_factory is not None:
        return "(empty)" if field.default_factory in (list, dict) else "(defaults)"
    return f"`{field.default!r}`"


def scenario_reference() -> str:
    lines = [INTRO]
    for title, model in SECTIONS:
        lines.append(f"\n## {title}\n")
        if model.__doc__:
            lines.append(model.__doc__.strip().splitlines()[0] + "\n")
        lines.append("| field | type | default | description |")
        lines.append("|---|---|---|---|")
        for name, field in model.model_fields.items():
            if field.exclude:
                continue
            ann = field.annotation
            if any(getattr(m, "func", None) is schema._coerce_series for m in field.metadata):
                tname = "series"
            else:
                tname = _type_name(ann)
            desc = (field.description or "").replace("\n", " ").replace("|", "\\|")
            tname = tname.replace("|", "\\|")
            lines.append(f"| `{name}` | {tname} | {_default(field)} | {desc} |")
    return "\n".join(lines) + "\n"
