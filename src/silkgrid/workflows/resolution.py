"""How far a coarse time resolution moves the corridor answer: measured figures and the warning.

Snapshots longer than an hour average the solar day and the wind's diurnal swing away, so
storage, cables and peakers look less needed.  :data:`MEASURED` holds what that did to the
default corridor scenario (``corridor-2035``, weather year 1, central finance) against the
hourly year proven to 0.1 %; :func:`resolution_warning` turns it into the sentence ``silkgrid
run`` prints for a coarse corridor run.  Re-measure after changing the data set (the commands
are in ``docs/aggregation.md``).
"""

from __future__ import annotations

from silkgrid.scenario.schema import Scenario

#: Measured on 3 Dec 2026 (`silkgrid run corridor-2035 --resolution R --method monolithic` against
#: `--resolution 1h`, decomposed, gap 0.1 %): system cost difference, Caspian cable difference (MW).
MEASURED: dict[int, tuple[float, float]] = {3: (-0.0112, -105.0), 6: (-0.0209, -137.0), 12: (-0.0498, -582.0),
                                           24: (-0.0782, -582.0)}
#: Links that mark a scenario as the corridor network the figures were measured on.
CORRIDOR_LINKS = frozenset({"caspian_hvdc", "black_sea_hvdc"})
#: The Caspian cable of the hourly reference of :data:`MEASURED`, MW (its system cost: 12.72 bn EUR/yr).
HOURLY_CASPIAN_MW = 582.0


def resolution_warning(sc: Scenario) -> str | None:
    """A warning for scenarios of the corridor network (its two sea cables) solved on snapshots longer
    than an hour, with the measured error of the nearest measured resolution; None otherwise."""
    hours = sc.time.resolution_hours
    if hours <= 1 or not CORRIDOR_LINKS <= {ln.id for ln in sc.links}:
        return None
    near = min(MEASURED, key=lambda h: abs(h - hours))
    cost, caspian = MEASURED[near]
    return (f"{hours}-hour snapshots average the solar day away. On the default corridor scenario, {near}-hour "
            f"snapshots gave a system cost {abs(cost):.1%} {'below' if cost < 0 else 'above'} the hourly year's and "
            f"a Caspian cable {abs(caspian):,.0f} MW {'smaller' if caspian < 0 else 'larger'} (hourly: "
            f"{HOURLY_CASPIAN_MW:,.0f} MW). Use --resolution 1h for decisions.")
