"""On-disk cache of generated profiles, with provenance embedded in every file.

Location: ``$SILKGRID_CACHE`` if set (``off``/``0``/``false`` disables the cache), else
``$XDG_CACHE_HOME/silkgrid/profiles``, else ``~/.cache/silkgrid/profiles``.

Each entry is one Parquet file named ``<kind>-<sha256 key>.parquet``. The key hashes the
method version, the source code of ``silkgrid.profiles``, all parameters, the weather-year
seed and the versions of every package that shapes the numbers, so a change to any of them
gives a new file instead of a stale hit. The file's schema metadata (key
``silkgrid.provenance``) holds a JSON record of how the profiles were made: method,
parameters, package versions, seed, data sources and the statement that the weather is
synthetic (see :func:`read_provenance`). Files are written to a temporary name in the same
folder and renamed into place (atomic on POSIX and Windows), so concurrent processes never
see half-written files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from silkgrid.profiles._common import METHOD_VERSION, SYNTHETIC_STATEMENT

PROVENANCE_KEY = b"silkgrid.provenance"
PACKAGES = ("silkgrid", "numpy", "scipy", "pandas", "pvlib", "windpowerlib", "gsee-climate-data",
            "pvcz", "holidays")
DATA_SOURCES = (
    "MERRA-2 2011-2015 monthly PDFs of daily-mean GHI, 3x3 deg (gsee-climate-data; NASA GMAO)",
    "GLDAS-NOAH 0.25 deg 2010-2018 RMS 10 m wind and air-temperature statistics (pvcz)",
    "pvlib bundled Linke-turbidity climatology and altitude grid",
    "windpowerlib bundled turbine power curves (OEDB snapshot)",
    "holidays package national calendars",
)
_DISABLED = {"off", "0", "false", "no", "none"}


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the profiles."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the profile modules' source, so any code change gives new cache keys."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is disabled through ``SILKGRID_CACHE``."""
    env = os.environ.get("SILKGRID_CACHE")
    if env is not None:
        if env.strip().lower() in _DISABLED or not env.strip():
            return None
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "silkgrid" / "profiles"


def _canonical(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _canonical(obj[k]) for k in sorted(obj, key=str)}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, float):
        return repr(obj)
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if hasattr(obj, "item"):  # numpy scalar
        return _canonical(obj.item())
    return str(obj)


def cache_key(kind: str, params: Mapping[str, Any]) -> str:
    """SHA-256 over method version, profile source code, kind, parameters and package versions."""
    blob = json.dumps({"method_version": METHOD_VERSION, "code": code_fingerprint(), "kind": kind,
                       "params": _canonical(params), "packages": package_versions()},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def provenance(kind: str, params: Mapping[str, Any], *, method: str) -> dict[str, Any]:
    """The record stored with a cached profile set."""
    return {
        "kind": kind,
        "method": method,
        "method_version": METHOD_VERSION,
        "code_sha256": code_fingerprint(),
        "weather": SYNTHETIC_STATEMENT,
        "parameters": _canonical(params),
        "data_sources": list(DATA_SOURCES),
        "packages": package_versions(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "time_axis": "hour-beginning UTC stamps; each value is the mean over the hour",
    }


def write_profiles(path: Path, frame: pd.DataFrame, record: Mapping[str, Any]) -> Path:
    """Write ``frame`` as Parquet with ``record`` in its schema metadata, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=True)
    meta = dict(table.schema.metadata or {})
    meta[PROVENANCE_KEY] = json.dumps(record, sort_keys=True).encode()
    table = table.replace_schema_metadata(meta)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a cache is fine to share read-only
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def read_profiles(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


def read_provenance(path: Path) -> dict[str, Any]:
    """The provenance record embedded in a cached Parquet file."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    if PROVENANCE_KEY not in meta:
        raise ValueError(f"{path} has no SilkGrid provenance record")
    return json.loads(meta[PROVENANCE_KEY])


def cache_path(kind: str, params: Mapping[str, Any]) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{cache_key(kind, params)}.parquet"


def load_or_compute(kind: str, params: Mapping[str, Any], compute: Callable[[], pd.DataFrame], *,
                    method: str, use_cache: bool = True) -> pd.DataFrame:
    """Return the cached frame for ``(kind, params)`` or compute, store and return it.

    An unreadable cache file (truncated, older format) is recomputed and replaced.
    """
    path = cache_path(kind, params) if use_cache else None
    if path is not None and path.exists():
        try:
            return read_profiles(path)
        except Exception:  # noqa: BLE001 - any unreadable file is simply rebuilt
            pass
    frame = compute()
    if path is not None:
        try:
            write_profiles(path, frame, provenance(kind, params, method=method))
        except OSError:  # read-only home or full disk: the result is still valid
            pass
    return frame
