"""Progress of ``silkgrid run`` on stderr: one line (or spinner) per stage, a gap bar for Benders."""

from __future__ import annotations

import math
import time
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from silkgrid.report.formatting import fmt_eur_per_yr, fmt_seconds
from silkgrid.solve.eta import GapTrend


class Stages:
    """Progress of the stages load / build / solve / write on stderr."""

    LABELS = {"load": "load scenario", "build": "build model", "solve": "solve", "write": "write results",
              "metrics": "corridor metrics", "counterfactual": "counterfactual solve", "report": "report"}

    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.live = enabled and console.is_terminal
        self.progress: Progress | None = None
        self.current: tuple[str, Any, float] | None = None
        self.times: dict[str, float] = {}
        self.target_gap: float | None = None
        self._iter_task = None
        self._first_gap: float | None = None
        self._last_line = 0.0
        self._trend = GapTrend()

    def __enter__(self) -> "Stages":
        if self.live:
            self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/]"),
                                     TextColumn("{task.description}"), TimeElapsedColumn(),
                                     console=self.console, transient=False)
            self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self._finish()
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str) -> None:
        stage = {"results": "write"}.get(stage, stage)
        if self.current and self.current[0] == stage:
            return
        self._finish()
        task = None
        if self.progress is not None:
            task = self.progress.add_task(self.LABELS.get(stage, stage), total=1)
        self.current = (stage, task, time.perf_counter())

    def iteration(self, info: dict) -> None:
        """Bounds of a decomposed-solve iteration: a bar that fills as the gap closes (log scale)."""
        gap = info.get("gap")
        lower, upper = info.get("lower"), info.get("upper")
        if gap is None or not math.isfinite(gap):
            text = f"decomposed solve: iteration {info['iteration']}, no bound pair yet"
        else:
            self._trend.add(info.get("seconds", float("nan")), gap, self.target_gap or info.get("target_gap"))
            eta = self._trend.eta_s()
            text = (f"decomposed solve: iteration {info['iteration']}, gap {gap:.3%} "
                    f"(lower {fmt_eur_per_yr(lower * 1e6)}, upper {fmt_eur_per_yr(upper * 1e6)})"
                    + (f", about {eta:,.0f} s left" if eta is not None else ""))
        if self.progress is not None:
            if self._iter_task is None:
                self._iter_task = self.progress.add_task(text, total=1.0)
            done = 0.0
            if gap is not None and math.isfinite(gap):
                first = self._first_gap = self._first_gap or max(gap, 1e-12)
                target = self.target_gap or info.get("target_gap")
                if target and first > target:
                    done = min(1.0, max(0.0, math.log(first / max(gap, 1e-12)) / math.log(first / target)))
            self.progress.update(self._iter_task, description=text, completed=done)
        elif self.enabled and time.perf_counter() - self._last_line >= 5.0:
            self.console.print(f"    {text}")
            self._last_line = time.perf_counter()

    def _finish(self) -> None:
        if not self.current:
            return
        stage, task, t0 = self.current
        self.times[stage] = time.perf_counter() - t0
        if self.progress is not None and task is not None:
            self.progress.update(task, completed=1)
        elif self.enabled:
            self.console.print(f"  [green]✓[/] {self.LABELS.get(stage, stage):<14} "
                               f"{fmt_seconds(self.times[stage])}")
        self.current = None

