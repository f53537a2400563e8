"""Write docs/scenario.md from the pydantic schema (field, type, default, description).

``python scripts/make_scenario_docs.py`` regenerates it; a test checks it is up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from silkgrid.scenario.doc import scenario_reference  # noqa: E402

if __name__ == "__main__":
    out = ROOT / "docs" / "scenario.md"
    out.write_text(scenario_reference())
    print(f"wrote {out}")
