"""Headline numbers of a result directory, and a check that two runs agree (behaviour unchanged).

    python benchmarks/golden_headline.py DIR                 # print the headline as JSON
    python benchmarks/golden_headline.py DIR --against REF.json [--rtol 1e-6] [--gap G]

The headline: objective and total cost (EUR/yr), capacity by technology (MW), link capacities
(MW), emissions (t/yr), EU deliveries (MWh/yr), delivered cost (EUR/MWh) and the CBAM matched
share.  With ``--against`` every number must match the reference within ``rtol`` relative (plus
1 MW / 1 MWh / 1e-6 absolute for values near zero, which are interior-point round-off); ``--gap``
widens the cost tolerance to a decomposed run's proven gap, since two runs may stop at
different points inside it.  Exit code 1 lists the numbers that differ.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path


def headline(directory: Path) -> dict:
    s = json.loads((directory / "summary.json").read_text())
    m = json.loads((directory / "metrics.json").read_text()) if (directory / "metrics.json").is_file() else {}
    out = {
        "objective_eur": s["objective_eur"], "total_cost_eur": s["total_cost_eur"],
        "emissions_t": s["emissions_t"],
        "capacity_mw": s["capacity_mw"]["by_technology"],
        "link_capacity_mw": s["link_capacity_mw"],
    }
    if m.get("eu_deliveries"):
        out["eu_delivered_mwh"] = m["eu_deliveries"]["delivered_mwh"]
    dc = m.get("delivered_cost") or {}
    out["delivered_cost_eur_per_mwh"] = dc.get("delivered_cost_eur_per_mwh")
    out["cbam_matched_share"] = (m.get("cbam") or {}).get("matched_share")
    return out


def flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def differences(now: dict, ref: dict, rtol: float, gap: float) -> list[str]:
    a, b = flatten(now), flatten(ref)
    bad = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x is None or y is None:
            if x != y and not (x in (None, 0.0) and y in (None, 0.0)):
                bad.append(f"{key}: {x} vs {y}")
            continue
        tol = max(gap, rtol) if key in ("objective_eur", "total_cost_eur") else rtol
        absolute = 1e-6 if "share" in key else 1.0
        if not math.isclose(x, y, rel_tol=tol, abs_tol=absolute):
            bad.append(f"{key}: {x!r} vs reference {y!r} (relative {abs(x - y) / max(abs(y), 1e-300):.2e})")
    return bad


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("directory", type=Path)
    p.add_argument("--against", type=Path)
    p.add_argument("--rtol", type=float, default=1e-6)
    p.add_argument("--gap", type=float, default=0.0)
    args = p.parse_args()
    now = headline(args.directory)
    if args.against is None:
        print(json.dumps(now, indent=1))
        return 0
    bad = differences(now, json.loads(args.against.read_text()), args.rtol, args.gap)
    print("\n".join(bad) if bad else f"{args.directory}: headline matches {args.against} (rtol {args.rtol})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
