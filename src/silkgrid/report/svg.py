"""The SVG building blocks of the report and the web dashboard: chart frame, ticks, legend, colours.

Everything here is plain string building (no plotting library): :class:`Frame` draws a chart
area with linear axes, :func:`legend` a row of colour swatches, :func:`colour_map` gives
technologies their colours (defined in :mod:`silkgrid.report.colours`, re-exported here).
:data:`CSS` is the report's stylesheet (also served by the web dashboard as ``/static/report.css``).
"""

from __future__ import annotations

import html
import math

from silkgrid.report.colours import NODE_COLOURS, PALETTE, TECH_COLOURS, colour_map

__all__ = ["CSS", "TECH_COLOURS", "PALETTE", "NODE_COLOURS", "esc", "num", "colour_map", "nice_ticks",
           "tick_label", "legend", "Frame"]

#: The report's stylesheet (inline in ``report.html``; ``/static/report.css`` in the dashboard).
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#17324d;color:#fff;padding:14px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{max-width:1180px;margin:0 auto;padding:12px 20px 40px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:14px 0;padding:12px 18px}
h2{font-size:18px;margin:4px 0 10px;color:#17324d}h3{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{padding:3px 9px;border-bottom:1px solid #e5e8ec;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f0f2f5}
.note{font-size:12.5px;color:#555}.warn{font-size:13px;color:#8a4b00;background:#fff6e5;padding:6px 10px;border-radius:4px}
.grid{display:flex;flex-wrap:wrap;gap:10px}.grid>div{flex:1 1 540px}
svg{max-width:100%;height:auto;font-size:11px}svg text{fill:#333}svg.map{width:100%}
.legend span{display:inline-block;margin:2px 10px 2px 0;font-size:12px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:2px}
code{background:#eef1f4;padding:1px 4px;border-radius:3px}
"""


def esc(x) -> str:
    """``x`` as text escaped for HTML (element content and quoted attributes)."""
    return html.escape(str(x), quote=True)


def num(x: float, nd: int = 1) -> str:
    """A coordinate with ``nd`` decimals (``12.3``)."""
    return f"{x:.{nd}f}"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering lo..hi."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.ceil(lo / step - 1e-9) * step
    ticks, t = [], start
    while t <= hi + 1e-9 * step:
        ticks.append(round(t, 10))
        t += step
    return ticks


def tick_label(v: float) -> str:
    """``25000`` -> ``'25k'``, ``2e6`` -> ``'2M'``."""
    av = abs(v)
    if av >= 1e6:
        return f"{v / 1e6:g}M"
    if av >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def legend(colours: dict[str, str]) -> str:
    """An HTML legend: one swatch and name per entry of ``colours``."""
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{c}"></i>{esc(n)}</span>' for n, c in colours.items()) + "</div>"


class Frame:
    """An SVG chart area with linear x/y scales and axes.

    Add shapes with :meth:`polyline` and :meth:`band` (or append SVG strings to ``parts``,
    placing them with :meth:`x` and :meth:`y`); :meth:`svg` closes the element.
    """

    def __init__(self, width, height, x0, x1, y0, y1, *, xlabel="", ylabel="", cls="chart", title="",
                 xticks=None, xtick_labels=None):
        self.w, self.h = width, height
        self.ml, self.mr, self.mt, self.mb = 58, 12, 22 if title else 10, 38
        self.x0, self.x1 = x0, (x1 if x1 > x0 else x0 + 1)
        ticks = nice_ticks(y0, y1)
        self.y0, self.y1 = min(y0, ticks[0]), max(y1, ticks[-1])
        self.parts = [f'<svg class="{cls}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                      f'role="img">']
        if title:
            self.parts.append(f'<text x="{self.ml}" y="14" font-weight="bold" font-size="12">{esc(title)}</text>')
        for t in ticks:
            y = self.y(t)
            self.parts.append(f'<line x1="{self.ml}" x2="{width - self.mr}" y1="{num(y)}" y2="{num(y)}" '
                              f'stroke="#e3e6ea"/><text x="{self.ml - 5}" y="{num(y + 3.5)}" '
                              f'text-anchor="end">{tick_label(t)}</text>')
        if xticks is None:
            xticks = nice_ticks(self.x0, self.x1, 6)
            xticks = [t for t in xticks if self.x0 <= t <= self.x1]
        labels = xtick_labels or [tick_label(t) for t in xticks]
        for t, lab in zip(xticks, labels):
            x = self.x(t)
            self.parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{height - self.mb}" '
                              f'y2="{height - self.mb + 4}" stroke="#888"/><text x="{num(x)}" '
                              f'y="{height - self.mb + 15}" text-anchor="middle">{esc(lab)}</text>')
        self.parts.append(f'<line x1="{self.ml}" x2="{width - self.mr}" y1="{height - self.mb}" '
                          f'y2="{height - self.mb}" stroke="#888"/>')
        if xlabel:
            self.parts.append(f'<text x="{(self.ml + width - self.mr) / 2}" y="{height - 4}" '
                              f'text-anchor="middle">{esc(xlabel)}</text>')
        if ylabel:
            cy = (self.mt + height - self.mb) / 2
            self.parts.append(f'<text transform="translate(12,{cy}) rotate(-90)" '
                              f'text-anchor="middle">{esc(ylabel)}</text>')

    def x(self, v):
        return self.ml + (v - self.x0) / (self.x1 - self.x0) * (self.w - self.ml - self.mr)

    def y(self, v):
        return self.h - self.mb - (v - self.y0) / (self.y1 - self.y0) * (self.h - self.mb - self.mt)

    def polyline(self, xs, ys, colour, width=1.5, cls="line", title=""):
        pts = " ".join(f"{num(self.x(a))},{num(self.y(b))}" for a, b in zip(xs, ys))
        t = f"<title>{esc(title)}</title>" if title else ""
        self.parts.append(f'<polyline class="{cls}" fill="none" stroke="{colour}" stroke-width="{width}" '
                          f'points="{pts}">{t}</polyline>')

    def band(self, xs, lo, hi, colour, title=""):
        up = [f"{num(self.x(a))},{num(self.y(b))}" for a, b in zip(xs, hi)]
        down = [f"{num(self.x(a))},{num(self.y(b))}" for a, b in zip(xs[::-1], lo[::-1])]
        self.parts.append(f'<polygon class="area" fill="{colour}" stroke="none" points="{" ".join(up + down)}">'
                          f'<title>{esc(title)}</title></polygon>')

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"
