"""Generated documentation stays in sync with the code."""

from pathlib import Path

from silkgrid.scenario.doc import scenario_reference

ROOT = Path(__file__).resolve().parents[1]


def test_scenario_reference_is_up_to_date() -> None:
    text = (ROOT / "docs" / "scenario.md").read_text()
    assert text == scenario_reference(), "run: python scripts/make_scenario_docs.py"


def test_every_schema_field_is_documented() -> None:
    undocumented = [line for line in scenario_reference().splitlines()
                    if line.startswith("| `") and line.rstrip().endswith("|  |")]
    assert not undocumented, undocumented
