"""HTML building blocks shared by the report and the dashboard: the stylesheet and escaping."""

from __future__ import annotations

import html

__all__ = ["CSS", "esc"]

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
.grid{display:flex;flex-wrap:wrap;gap:10px}.grid>div{flex:1 1 520px;min-width:0}
.plot{width:100%;min-height:120px}.plot.map{min-height:440px}
.timeslider{display:flex;align-items:center;gap:10px;margin:2px 0 6px 64px;font-size:13px}
.timeslider input{flex:1}.timeslider span{min-width:9em}.timeslider button{min-width:2.6em}
code{background:#eef1f4;padding:1px 4px;border-radius:3px}
"""


def esc(x) -> str:
    """``x`` as text escaped for HTML (element content and quoted attributes)."""
    return html.escape(str(x), quote=True)
