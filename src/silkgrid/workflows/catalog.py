"""The result catalog of a sweep: one DuckDB database, ``DIR/catalog.duckdb``.

Table ``runs``: one row per run key (``key`` is the primary key, so a run is in the catalog once
however often it was attempted): its point number, one column per sweep axis (``axis_<path>``, the
path's dots and stars as underscores, plus ``axes``: all of them as JSON), the status (the solver's:
``optimal``, ``infeasible``, ``time_limit`` ...; ``failed`` when the run raised), the error,
the objective and proven gap, timings, the versions and the result directory; and the headline
metrics: ``system_cost_eur``, ``emissions_t``, ``eu_delivered_twh``,
``delivered_cost_eur_per_mwh``, ``cbam_matched_share``, ``unserved_energy_mwh``, ``caspian_mw``
and ``black_sea_mw``.  Table ``links``: (key, link, capacity_mw, new_mw) for every link of every run;
table ``planned``: (key, point, axes) of every point of the sweep as last started; view ``plan_runs``:
the runs of the current plan (``runs`` also keeps those of earlier plans, e.g. before a code change,
which gives new keys).

Only the process that runs the sweep writes; :func:`query` opens the file read-only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from silkgrid.core.errors import SilkGridError

__all__ = ["CATALOG_FILE", "Catalog", "CatalogError", "axis_column", "query", "METRIC_COLUMNS"]

CATALOG_FILE = "catalog.duckdb"

#: Headline metric columns of ``runs`` (name -> SQL type).
METRIC_COLUMNS = {"system_cost_eur": "DOUBLE", "emissions_t": "DOUBLE", "eu_delivered_twh": "DOUBLE",
                  "delivered_cost_eur_per_mwh": "DOUBLE", "cbam_matched_share": "DOUBLE",
                  "unserved_energy_mwh": "DOUBLE", "caspian_mw": "DOUBLE", "black_sea_mw": "DOUBLE"}

_RUN_COLUMNS = {"key": "VARCHAR PRIMARY KEY", "point": "INTEGER", "status": "VARCHAR", "accepted": "BOOLEAN",
                "error": "VARCHAR", "objective_eur": "DOUBLE", "gap": "DOUBLE", "seconds": "DOUBLE",
                "solve_seconds": "DOUBLE", "finished": "TIMESTAMP", "worker": "VARCHAR", "silkgrid_version": "VARCHAR",
                "code_digest": "VARCHAR", "path": "VARCHAR", "axes": "VARCHAR", **METRIC_COLUMNS}


class CatalogError(SilkGridError):
    """The catalog cannot be opened or a query fails."""


def axis_column(path: str) -> str:
    """Column name of a sweep axis: ``axis_`` + the path with every non-alphanumeric run as ``_``."""
    return "axis_" + re.sub(r"[^0-9A-Za-z]+", "_", path).strip("_").lower()


def _duckdb():
    import duckdb  # noqa: PLC0415 - the catalog is the only user

    return duckdb


class Catalog:
    """The catalog of one sweep directory (created on first use)."""

    def __init__(self, directory: str | Path, axes: dict[str, Any] | None = None):
        """``axes``: axis path -> an example value (its type picks the column type: DOUBLE for
        numbers, VARCHAR otherwise); columns for new axes are added to an existing catalog."""
        self.path = Path(directory) / CATALOG_FILE
        try:
            self.con = _duckdb().connect(str(self.path))
        except Exception as exc:  # noqa: BLE001 - duckdb raises its own IOException family
            raise CatalogError(f"cannot open the catalog {self.path}: {exc}. Fix: close the other program that "
                               "has it open (one writer at a time), or check the directory's permissions.") from None
        cols = ", ".join(f"{k} {v}" for k, v in _RUN_COLUMNS.items())
        self.con.execute(f"CREATE TABLE IF NOT EXISTS runs ({cols})")
        self.con.execute("CREATE TABLE IF NOT EXISTS links (key VARCHAR, link VARCHAR, capacity_mw DOUBLE, "
                         "new_mw DOUBLE, PRIMARY KEY (key, link))")
        self.con.execute("CREATE TABLE IF NOT EXISTS planned (key VARCHAR PRIMARY KEY, point INTEGER, axes VARCHAR)")
        self.con.execute("CREATE VIEW IF NOT EXISTS plan_runs AS SELECT * FROM runs WHERE key IN (SELECT key FROM planned)")
        have = {r[0] for r in self.con.execute("SELECT column_name FROM information_schema.columns "
                                               "WHERE table_name = 'runs'").fetchall()}
        for path, example in (axes or {}).items():
            col = axis_column(path)
            if col not in have:
                kind = "DOUBLE" if isinstance(example, (int, float)) and not isinstance(example, bool) else "VARCHAR"
                self.con.execute(f'ALTER TABLE runs ADD COLUMN "{col}" {kind}')
                have.add(col)
        self.columns = have

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def record(self, rec: dict[str, Any]) -> None:
        """Insert or replace the run ``rec['key']`` (keys of :data:`_RUN_COLUMNS`, ``values``: its axis
        values, ``links``: {link: (capacity_mw, new_mw)})."""
        row = {k: rec.get(k) for k in _RUN_COLUMNS if k != "axes"}
        values = rec.get("values") or {}
        row["axes"] = json.dumps(values, sort_keys=True, default=str)
        for path, v in values.items():
            col = axis_column(path)
            if col in self.columns:
                row[col] = v if isinstance(v, (int, float, str)) or v is None else str(v)
        names = list(row)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM runs WHERE key = ?", [rec["key"]])
            self.con.execute(f"INSERT INTO runs ({', '.join(chr(34) + n + chr(34) for n in names)}) "
                             f"VALUES ({', '.join('?' for _ in names)})", [row[n] for n in names])
            self.con.execute("DELETE FROM links WHERE key = ?", [rec["key"]])
            links = rec.get("links") or {}
            if links:
                self.con.executemany("INSERT INTO links VALUES (?, ?, ?, ?)",
                                     [[rec["key"], k, float(c), float(n)] for k, (c, n) in links.items()])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def plan(self, points: list[tuple[str, int, dict]]) -> None:
        """Replace the list of planned runs: (key, point, axis values) of every point of the sweep."""
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute("DELETE FROM planned")
        if points:
            self.con.executemany("INSERT INTO planned VALUES (?, ?, ?)",
                                 [[k, p, json.dumps(v, sort_keys=True, default=str)] for k, p, v in points])
        self.con.execute("COMMIT")

    def keys(self, status: str | None = None) -> set[str]:
        """Run keys in the catalog (with ``status`` when given; ``"finished"``: every status but failed)."""
        if status is None:
            rows = self.con.execute("SELECT key FROM runs").fetchall()
        elif status == "finished":
            rows = self.con.execute("SELECT key FROM runs WHERE status <> 'failed'").fetchall()
        else:
            rows = self.con.execute("SELECT key FROM runs WHERE status = ?", [status]).fetchall()
        return {r[0] for r in rows}

    def runs(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM runs ORDER BY point").df()

    def sql(self, text: str) -> pd.DataFrame:
        return _run_sql(self.con, text, self.path)


def _run_sql(con, text: str, path: Path) -> pd.DataFrame:
    try:
        return con.execute(text).df()
    except Exception as exc:  # noqa: BLE001 - any DuckDB error is the query's
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CatalogError(f"the query on {path} failed: {first}. Fix: the tables are runs (one row per run) and "
                           "links (key, link, capacity_mw, new_mw) and planned (key, point, axes), and the view plan_runs "
                           "(the runs of the current plan); DESCRIBE runs lists the columns.") from None


def query(directory: str | Path, text: str) -> pd.DataFrame:
    """Run the SQL ``text`` on the catalog of ``directory`` (read-only) and return the rows."""
    path = Path(directory) / CATALOG_FILE
    if not path.is_file():
        raise CatalogError(f"{directory} has no {CATALOG_FILE}. Fix: give the --out directory of a sweep "
                           "(silkgrid sweep FILE --out DIR).")
    try:
        con = _duckdb().connect(str(path), read_only=True)
    except Exception as exc:  # noqa: BLE001
        raise CatalogError(f"cannot open the catalog {path}: {exc}. Fix: wait for the sweep that writes it to "
                           "finish (one writer at a time).") from None
    try:
        return _run_sql(con, text, path)
    finally:
        con.close()
