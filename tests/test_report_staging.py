"""``DIR/figures/`` is complete or absent: the PNGs are drawn into a staging sibling and swapped in."""

from __future__ import annotations

import matplotlib
import pytest

import silkgrid
from silkgrid.report import FIGURES, write_figures

# the bundled example restricted to two weeks: every figure (map, capacity, dispatch, prices, costs)
TWO_WEEKS = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-14"}}}
ALL_FIVE = sorted([*FIGURES, "dispatch_week1.png"])


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    res = silkgrid.solve(silkgrid.load_scenario(TWO_WEEKS))
    assert res.optimal
    return silkgrid.Result.from_dir(res.to_dir(tmp_path_factory.mktemp("staging") / "week"))


def _snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fail_on_third_savefig(monkeypatch) -> list[str]:
    """Make the third ``Figure.savefig`` call raise; return the names it was asked to write."""
    real = matplotlib.figure.Figure.savefig
    calls: list[str] = []

    def savefig(self, fname, *args, **kwargs):
        calls.append(str(fname))
        if len(calls) == 3:
            raise RuntimeError("disk gremlin on the third figure")
        return real(self, fname, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    return calls


def test_failure_midway_keeps_the_previous_figures(result, tmp_path, monkeypatch):
    figs = tmp_path / "figures"
    written = write_figures(result, figs, week=1)
    assert sorted(p.name for p in written) == ALL_FIVE and all(p.parent == figs for p in written)
    (figs / "notes.txt").write_text("mine")
    before = _snapshot(figs)
    assert sorted(before) == sorted([*ALL_FIVE, "notes.txt"])

    calls = _fail_on_third_savefig(monkeypatch)
    with pytest.raises(RuntimeError, match="third figure"):
        write_figures(result, figs, week=2)
    assert len(calls) == 3  # two PNGs were drawn before the failure ...
    assert all(".figures.tmp-" in c for c in calls)  # ... into the staging folder, not into figures/
    assert _snapshot(figs) == before  # the previous folder, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]  # no staging folder, no lock file


def test_failure_on_the_first_report_leaves_no_folder(result, tmp_path, monkeypatch):
    _fail_on_third_savefig(monkeypatch)
    with pytest.raises(RuntimeError):
        write_figures(result, tmp_path / "figures")
    assert list(tmp_path.iterdir()) == []


def test_success_replaces_the_charts_and_keeps_other_files(result, tmp_path):
    figs = tmp_path / "figures"
    write_figures(result, figs, week=1)
    (figs / "notes.txt").write_text("mine")
    write_figures(result, figs, week=2)
    names = sorted(p.name for p in figs.iterdir())
    assert names == sorted([*FIGURES, "dispatch_week2.png", "notes.txt"])  # week 1's chart is gone
    assert (figs / "notes.txt").read_text() == "mine"
    assert all((figs / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for n in names if n.endswith(".png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]
