"""Provenance of packaged data sets: every number names its source.

A data set folder (e.g. ``src/silkgrid/data/corridor/``) holds CSV tables and a
``sources.yaml``.  The rules, enforced by :func:`check_provenance`:

1. Every CSV has a ``source_id`` column.
2. Every non-empty **numeric** cell is covered by a source column: ``<prefix>_source_id``
   covers the value columns named ``<prefix>`` or ``<prefix>_...`` (longest prefix wins),
   and ``source_id`` covers all other value columns of the row.
3. A source cell holds one or more ids separated by ``;``; every id resolves to an entry of
   ``sources.yaml``, which has a ``title``, a ``url`` or ``repository`` and an ``accessed``
   date.
4. ``assumption`` is the id of "no source": a row citing it for any of its values (or a row
   with no values whose ``source_id`` is ``assumption``) must give a short ``reason``.
5. A ``meta.yaml`` (corridor knowledge: ids, labels and pointers, no numbers; see
   :mod:`silkgrid.data.corridor_meta`) points only at what the tables hold: its links are rows of
   ``links.csv``, its EU nodes rows of ``nodes.csv``, and its CBAM factor table and metric exist
   (their values are then cited like every other cell).

:func:`format_sources` (for ``silkgrid info --sources``) and :func:`list_assumptions` (for
``silkgrid info --assumptions``) present the same information to people.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

__all__ = ["ASSUMPTION", "Source", "check_provenance", "dataset_dir", "format_sources", "list_assumptions",
           "load_sources", "load_tables", "source_usage"]

#: The source id of values that have no source.
ASSUMPTION = "assumption"
SOURCE_SUFFIX = "_source_id"
#: Columns that identify a row in messages and in :func:`list_assumptions`, per table.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "nodes": ("id",), "generators_existing": ("id",), "links": ("id",),
    "potentials": ("node", "technology"), "technologies": ("technology", "parameter", "year"),
    "demand": ("area", "parameter", "year"), "hydro": ("country",), "markets": ("node",),
    "market_prices_monthly": ("node", "year", "month"), "parameters": ("parameter",),
    "country_costs": ("country", "technology", "parameter"), "emission_factors": ("country", "metric"),
    "thermal_fleet": ("area",), "fleet_statistics": ("country", "metric", "year"), "kz_oblast_demand": ("region",),
    "build_rates": ("country", "group", "from_year"), "cost_of_capital": ("country", "asset_class", "case"),
    "capex_calibration": ("project",), "market_depth": ("node", "step"),
    "cost_validation": ("country", "project", "metric"),
}


@dataclass(frozen=True)
class Source:
    """One entry of ``sources.yaml``."""

    id: str
    title: str
    url: str | None = None
    repository: str | None = None
    accessed: str | None = None
    flag: str | None = None
    via: str | None = None
    note: str | None = None

    @property
    def location(self) -> str:
        """The URL, or ``owner/repo:path@commit`` for a repository file."""
        return self.url or self.repository or "-"

    def citation(self) -> str:
        """One-line citation: title, location, access date."""
        parts = [self.title, self.location]
        if self.accessed and self.accessed != "-":
            parts.append(f"accessed {self.accessed}")
        return " — ".join(parts)


# ----------------------------------------------------------------------------------------
# loading
# ----------------------------------------------------------------------------------------
def dataset_dir(dataset: str | Path) -> Path:
    """Folder of a packaged data set (``"corridor"``) or a given folder path."""
    path = Path(dataset)
    if path.is_dir():
        return path
    root = Path(str(resources.files("silkgrid") / "data" / str(dataset)))
    if not root.is_dir():
        raise FileNotFoundError(f"no data set '{dataset}' (looked for {root})")
    return root


def load_sources(dataset: str | Path = "corridor") -> dict[str, Source]:
    """Source id → :class:`Source`, read from the data set's ``sources.yaml``."""
    path = dataset_dir(dataset) / "sources.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("sources", raw)
    out: dict[str, Source] = {}
    for sid, entry in (entries or {}).items():
        entry = entry or {}
        known = {k: (None if entry.get(k) is None else str(entry.get(k)))
                 for k in ("url", "repository", "accessed", "flag", "via", "note")}
        out[str(sid)] = Source(id=str(sid), title=str(entry.get("title", "")), **known)
    return out


def load_tables(dataset: str | Path = "corridor") -> dict[str, pd.DataFrame]:
    """Every CSV table of the data set, keyed by file stem, in file-name order."""
    folder = dataset_dir(dataset)
    return {p.stem: pd.read_csv(p, keep_default_na=False, na_values=[""])
            for p in sorted(folder.glob("*.csv"))}


def split_ids(cell: object) -> list[str]:
    """Source ids of one cell (``"a;b"`` → ``["a", "b"]``); empty for blank cells."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [s.strip() for s in str(cell).split(";") if s.strip()]


# ----------------------------------------------------------------------------------------
# which source covers which value
# ----------------------------------------------------------------------------------------
def value_columns(df: pd.DataFrame) -> list[str]:
    """Numeric columns: the values that need a source."""
    return [c for c in df.columns if not c.endswith(SOURCE_SUFFIX) and c != "source_id"
            and pd.api.types.is_numeric_dtype(df[c])]


def source_column_map(df: pd.DataFrame) -> dict[str, str | None]:
    """Value column → the column holding its source ids (None when the table has none)."""
    prefixes = sorted((c[: -len(SOURCE_SUFFIX)] for c in df.columns
                       if c.endswith(SOURCE_SUFFIX) and c != "source_id"), key=len, reverse=True)
    out: dict[str, str | None] = {}
    for col in value_columns(df):
        match = next((p for p in prefixes if col == p or col.startswith(p + "_")), None)
        out[col] = f"{match}{SOURCE_SUFFIX}" if match else ("source_id" if "source_id" in df.columns else None)
    return out


def _row_key(table: str, df: pd.DataFrame, row: pd.Series, index: int) -> str:
    cols = [c for c in KEY_COLUMNS.get(table, (df.columns[0],)) if c in df.columns]
    parts = []
    for c in cols:
        v = row[c]
        if isinstance(v, float) and pd.isna(v):
            continue
        parts.append(str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return "/".join(parts) if parts else f"row {index + 2}"


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _row_assumption_fields(df: pd.DataFrame, row: pd.Series, cmap: dict[str, str | None]) -> list[str]:
    """Value columns of the row whose sources include ``assumption``."""
    fields = []
    for col, scol in cmap.items():
        if scol is None or pd.isna(row[col]):
            continue
        if ASSUMPTION in split_ids(row[scol]):
            fields.append(col)
    return fields


# ----------------------------------------------------------------------------------------
# public checks and reports
# ----------------------------------------------------------------------------------------
def check_provenance(dataset: str | Path = "corridor") -> list[str]:
    """Problems with the data set's provenance; an empty list means every value is cited.

    Each problem is one line naming the table, the row and the column.
    """
    problems: list[str] = []
    sources = load_sources(dataset)
    for sid, src in sources.items():
        if not src.title:
            problems.append(f"sources.yaml: '{sid}' has no title")
        if sid != ASSUMPTION:
            if not (src.url or src.repository):
                problems.append(f"sources.yaml: '{sid}' has neither url nor repository")
            if not src.accessed:
                problems.append(f"sources.yaml: '{sid}' has no 'accessed' date")
    if ASSUMPTION not in sources:
        problems.append(f"sources.yaml: the special id '{ASSUMPTION}' is not defined")
    for table, df in load_tables(dataset).items():
        if "source_id" not in df.columns:
            problems.append(f"{table}.csv: no 'source_id' column")
        for scol in [c for c in df.columns if c.endswith(SOURCE_SUFFIX) and c != "source_id"]:
            prefix = scol[: -len(SOURCE_SUFFIX)]
            if not any(c == prefix or c.startswith(prefix + "_") for c in df.columns if c != scol):
                problems.append(f"{table}.csv: '{scol}' matches no value column")
        cmap = source_column_map(df)
        scols = [c for c in df.columns if c == "source_id" or c.endswith(SOURCE_SUFFIX)]
        for i, row in df.iterrows():
            key = _row_key(table, df, row, int(i))
            uses_assumption = False
            for scol in scols:  # every id named anywhere in the row must resolve
                ids = split_ids(row[scol])
                for sid in ids:
                    if sid not in sources:
                        problems.append(f"{table}.csv [{key}]: source id '{sid}' ({scol}) is not in sources.yaml")
                uses_assumption |= ASSUMPTION in ids
            for col, scol in cmap.items():  # every value is covered by a source
                if pd.isna(row[col]):
                    continue
                if not (split_ids(row[scol]) if scol else []):
                    problems.append(f"{table}.csv [{key}]: value {col}={_fmt(row[col])} has no source id"
                                    f" (column '{scol or 'source_id'}')")
            if "source_id" in df.columns and not split_ids(row["source_id"]):
                # a row without numbers (e.g. an unbounded potential) still states where it comes from
                if not any(not pd.isna(row[c]) for c in cmap):
                    problems.append(f"{table}.csv [{key}]: row has no source id")
            if uses_assumption:
                reason = row.get("reason") if "reason" in df.columns else None
                if reason is None or pd.isna(reason) or not str(reason).strip():
                    problems.append(f"{table}.csv [{key}]: cites '{ASSUMPTION}' but gives no reason")
    problems += _check_meta(dataset)
    return problems


def _check_meta(dataset: str | Path) -> list[str]:
    """Problems with the data set's ``meta.yaml`` (none when it has none)."""
    path = dataset_dir(dataset) / "meta.yaml"
    if not path.is_file():
        return []
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [f"meta.yaml: cannot be read ({exc.__class__.__name__})"]
    if not isinstance(meta, dict):
        return ["meta.yaml: does not hold a mapping"]
    tables = load_tables(dataset)
    problems = []

    def ids(table: str, column: str) -> set[str]:
        df = tables.get(table)
        return set(df[column].astype(str)) if df is not None and column in df.columns else set()

    links, nodes = ids("links", "id"), ids("nodes", "id")
    path_links = [s.get("link") if isinstance(s, dict) else s for s in meta.get("export_path") or []]
    for lid in path_links + list((meta.get("capacity_knobs") or {}).values()):
        if str(lid) not in links:
            problems.append(f"meta.yaml: link '{lid}' is not a row of links.csv")
    for nid in meta.get("eu_nodes") or []:
        if str(nid) not in nodes:
            problems.append(f"meta.yaml: EU node '{nid}' is not a row of nodes.csv")
    spec = meta.get("cbam_default_factors")
    if spec is not None:
        stem = Path(str(spec.get("table", ""))).stem if isinstance(spec, dict) else ""
        if stem not in tables:
            problems.append(f"meta.yaml: cbam_default_factors.table '{stem}' is not a table of the data set")
        elif "metric" not in tables[stem].columns or not (tables[stem]["metric"] == spec.get("metric")).any():
            problems.append(f"meta.yaml: {stem}.csv has no rows with metric '{spec.get('metric')}'")
    return problems


def list_assumptions(dataset: str | Path = "corridor") -> pd.DataFrame:
    """Every value (or row) resting on an assumption, with the reason.

    Columns: ``table``, ``key`` (row identifier), ``fields`` (value columns that are
    assumed, or ``(row)`` for a row without numbers), ``values`` and ``reason``.
    """
    records = []
    for table, df in load_tables(dataset).items():
        cmap = source_column_map(df)
        for i, row in df.iterrows():
            fields = _row_assumption_fields(df, row, cmap)
            row_level = "source_id" in df.columns and ASSUMPTION in split_ids(row["source_id"])
            if row_level and not any(cmap.get(f) == "source_id" for f in fields):
                fields.append("(row)")  # the assumption concerns the row (e.g. a route or a missing limit)
            if not fields:
                continue
            values = ", ".join(f"{f}={_fmt(row[f])}" for f in fields if f in df.columns)
            reason = row.get("reason", "") if "reason" in df.columns else ""
            records.append({"table": table, "key": _row_key(table, df, row, int(i)),
                            "fields": ", ".join(fields), "values": values or "-",
                            "reason": "" if pd.isna(reason) else str(reason)})
    return pd.DataFrame.from_records(records, columns=["table", "key", "fields", "values", "reason"])


def source_usage(dataset: str | Path = "corridor") -> dict[str, int]:
    """Source id → number of table values citing it (a source cell covering no value counts once)."""
    counts: dict[str, int] = {}
    for df in load_tables(dataset).values():
        cmap = source_column_map(df)
        scols = [c for c in df.columns if c == "source_id" or c.endswith(SOURCE_SUFFIX)]
        for _, row in df.iterrows():
            for scol in scols:
                n = sum(1 for col, sc in cmap.items() if sc == scol and not pd.isna(row[col]))
                for sid in split_ids(row[scol]):
                    counts[sid] = counts.get(sid, 0) + max(n, 1)
    return counts


def format_sources(dataset: str | Path = "corridor") -> str:
    """Human-readable list of the data set's sources with how many values cite each."""
    sources = load_sources(dataset)
    usage = source_usage(dataset)
    name = Path(str(dataset)).name
    cited = sum(n for sid, n in usage.items() if sid != ASSUMPTION)
    lines = [f"Sources of data set '{name}': {len(sources) - (ASSUMPTION in sources)} sources, "
             f"{cited} source citations; {usage.get(ASSUMPTION, 0)} values rest on assumptions "
             f"(see 'silkgrid info {name} --assumptions').",
             "'via ...' names the project-internal fact sheet or note (domain-facts, credibility.md, "
             "offline-data.md) where the figure was collected; those are not shipped with SilkGrid, the URL "
             "or repository above each is the source.", ""]
    for sid, src in sources.items():
        if sid == ASSUMPTION:
            continue
        flag = f" [{src.flag}]" if src.flag else ""
        lines.append(f"{sid}{flag}  (cited by {usage.get(sid, 0)} value(s))")
        lines.append(f"    {src.title}")
        lines.append(f"    {src.location}")
        meta = [f"accessed {src.accessed}"] if src.accessed else []
        if src.via:
            meta.append(f"via {src.via}")
        if meta:
            lines.append("    " + "; ".join(meta))
        if src.note:
            lines.append(f"    note: {src.note}")
    return "\n".join(lines)
