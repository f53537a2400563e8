"""Headline metrics of several result directories side by side (``silkgrid compare``)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from silkgrid.core.errors import SilkGridError


class ResultDirError(SilkGridError):
    """A directory given to compare is missing or is not a readable SilkGrid result."""

    def __init__(self, problem: str, fix: str | None = None) -> None:
        self.problem, self.fix = problem, fix
        self.message = problem.rstrip(".") + "." + (f" Fix: {fix.rstrip('.')}." if fix else "")
        super().__init__(self.message)


#: Display tolerance by unit (``/yr`` dropped): a magnitude below it is solver round-off.  It
#: prints as 0 (:mod:`silkgrid.report.formatting`, which applies it everywhere numbers are
#: shown) and is too small to be the base of a relative change (``delta_pct`` is then empty).
#: Half the last digit shown, and above the LP's absolute round-off on the corridor (relative
#: tolerance 1e-8 x about 1e5 MW, 1e8 MWh, 1e8 t of the largest values: 1e-3 MW, 1 MWh, 1 t).
ZERO_BELOW: dict[str, float] = {"MW": 0.05, "MWh": 0.5, "t": 0.5, "EUR": 1.0, "EUR/MWh": 0.005,
                                "EUR/t": 0.005}


def zero_below(unit: str) -> float:
    """The display tolerance of ``unit`` (``'MWh/yr'`` -> that of MWh; unknown units: 0)."""
    base = unit[:-3] if unit.endswith("/yr") else unit
    return ZERO_BELOW.get(base, 0.0)


def relative_change(base: float | None, value: float | None, unit: str) -> float | None:
    """100 x (value - base) / |base| in %; None where either is missing or the base is below
    the display tolerance of ``unit`` (a near-zero base makes the ratio meaningless)."""
    if not isinstance(base, float) or not isinstance(value, float):
        return None
    if abs(base) < max(zero_below(unit), 1e-12):
        return None
    return 100.0 * (value - base) / abs(base)


#: Scalar rows of ``silkgrid compare``: (key path in summary.json, label, unit).
COMPARE_METRICS: list[tuple[tuple[str, ...], str, str]] = [
    (("total_cost_eur",), "Total system cost", "EUR/yr"),
    (("demand_mwh",), "Demand", "MWh/yr"),
    (("generation_mwh", "total"), "Generation", "MWh/yr"),
    (("curtailment_mwh", "total"), "Curtailment", "MWh/yr"),
    (("unserved_energy_mwh",), "Unserved energy", "MWh/yr"),
    (("link_losses_mwh",), "Link losses", "MWh/yr"),
    (("emissions_t",), "Emissions", "t/yr"),
    (("co2_price_eur_per_t",), "CO2 price", "EUR/t"),
    (("co2_shadow_price_eur_per_t",), "CO2 cap shadow price", "EUR/t"),
]
#: Per-element rows (one per id found in any directory): (key path, label prefix, unit).
COMPARE_GROUPS: list[tuple[tuple[str, ...], str, str]] = [
    (("market_sales_mwh",), "Exports to", "MWh/yr"),
    (("market_purchases_mwh",), "Imports from", "MWh/yr"),
    (("link_capacity_mw",), "Link capacity", "MW"),
    (("new_link_capacity_mw",), "New link capacity", "MW"),
    (("capacity_mw", "by_technology"), "Capacity", "MW"),
    (("average_price_eur_per_mwh",), "Average price", "EUR/MWh"),
]
#: Rows from ``counterfactual.json`` where a directory has one.
COMPARE_COUNTERFACTUAL: list[tuple[str, str, str]] = [
    ("co2_avoided_in_region_t", "CO2 avoided in the region by new corridor links", "t/yr"),
    ("eu_displaced_t", "CO2 displaced on the EU side by new corridor links", "t/yr"),
    ("co2_avoided_t", "CO2 avoided: in region + EU side where counted (sum)", "t/yr"),
    ("cost_difference_eur", "Cost difference vs no new links", "EUR/yr"),
    ("abatement_cost_eur_per_t", "Implied abatement cost", "EUR/t"),
]


def _dig(data: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x) if math.isfinite(x) else None


def _read_result_dir(directory: Path) -> tuple[dict, dict | None]:
    """(summary.json, counterfactual.json or None) of a results directory; ResultDirError if unusable."""
    if not directory.is_dir():
        raise ResultDirError(f"'{directory}' does not exist or is not a directory",
                             fix="give results directories written by 'silkgrid run --out DIR'")
    files = {"summary.json": directory / "summary.json", "counterfactual.json": directory / "counterfactual.json"}
    if not files["summary.json"].is_file():
        raise ResultDirError(f"'{directory}' holds no summary.json, so it is not a SilkGrid results directory",
                               fix="give results directories written by 'silkgrid run --out DIR'")
    out = []
    for name, path in files.items():
        if not path.is_file():
            out.append(None)
            continue
        try:
            data = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ResultDirError(f"{path} cannot be read as JSON ({exc})",
                                   fix="re-run 'silkgrid run' to write it again") from None
        if not isinstance(data, dict):
            raise ResultDirError(f"{path} does not hold a JSON object",
                                   fix="re-run 'silkgrid run' to write it again")
        out.append(data)
    return out[0], out[1]


def labels(dirs: list[Path]) -> list[str]:
    """Column labels of the directories: their names, made unique."""
    names = [d.resolve().name or str(d) for d in dirs]
    if len(set(names)) < len(names):
        names = [str(d) for d in dirs]
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


def compare_table(dirs: list[Path]) -> pd.DataFrame:
    """Headline metrics of results directories side by side, with deltas vs the first.

    Returns a DataFrame: ``metric`` (key in summary.json, dotted), ``description``, ``unit``,
    one value column per directory (named by its label), then for every directory after the
    first ``delta_<label>`` (value - first) and ``delta_pct_<label>`` (100 x delta / |first|;
    empty where the first is missing or below the display tolerance, :func:`relative_change`).
    Row ``status`` holds the solve status.
    """
    if len(dirs) < 2:
        raise ResultDirError("compare needs at least two results directories",
                             fix="give two or more directories written by 'silkgrid run --out DIR'")
    data = [_read_result_dir(Path(d).expanduser()) for d in dirs]
    names = labels([Path(d) for d in dirs])
    rows: list[tuple[str, str, str, list[Any]]] = [
        ("status", "Solve status", "", [s.get("status") for s, _ in data])]
    for path, label, unit in COMPARE_METRICS:
        rows.append((".".join(path), label, unit, [_number(_dig(s, path)) for s, _ in data]))
    for path, prefix, unit in COMPARE_GROUPS:
        ids: dict[str, None] = {}
        for s, _ in data:
            group = _dig(s, path)
            if isinstance(group, dict):
                ids.update(dict.fromkeys(group))
        for eid in ids:
            rows.append((".".join(path + (eid,)), f"{prefix} {eid}", unit,
                         [_number(_dig(s, path + (eid,))) for s, _ in data]))
    if any(cf is not None for _, cf in data):
        for key, label, unit in COMPARE_COUNTERFACTUAL:
            rows.append((f"counterfactual.{key}", label, unit,
                         [_number(cf.get(key)) if cf is not None else None for _, cf in data]))
    records = []
    for metric, label, unit, values in rows:
        rec: dict[str, Any] = {"metric": metric, "description": label, "unit": unit}
        rec.update(zip(names, values))
        base = values[0]
        for lab, v in zip(names[1:], values[1:]):
            numeric = isinstance(base, float) and isinstance(v, float)
            delta = v - base if numeric else None
            rec[f"delta_{lab}"] = delta
            rec[f"delta_pct_{lab}"] = relative_change(base, v, unit) if numeric else None
        records.append(rec)
    return pd.DataFrame.from_records(records)
