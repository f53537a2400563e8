"""``silkgrid serve``: the local web dashboard."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from silkgrid.cli.app import UsageProblem, app, guarded, stderr
from silkgrid.web.app import check_serve_options, create_app, is_loopback, make_server


@app.command("serve")
@guarded
def serve_cmd(
    dirs: Annotated[list[Path] | None, typer.Argument(
        metavar="RESULT_DIR", help="Result, pathway or sweep directories to show (written by 'silkgrid run').",
        show_default=False)] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8050,
    host: Annotated[str, typer.Option(
        "--host", help="Address to bind; anything but loopback needs --token or --generate-token.")] = "127.0.0.1",
    token: Annotated[str | None, typer.Option(
        "--token", help="Secret required on every request (at least 16 characters).", show_default=False)] = None,
    generate_token: Annotated[bool, typer.Option(
        "--generate-token", help="Generate a random token and print the address that carries it.")] = False,
    runs_dir: Annotated[Path, typer.Option(
        "--runs-dir", help="Where runs started from the web page are written.")] = Path("results/web-runs"),
    run_time_limit: Annotated[float, typer.Option(
        "--run-time-limit", metavar="S",
        help="Wall-clock limit of each run started from the page, s (the solver stops; the process is "
             "killed 30 s later).")] = 900.0,
    run_memory_gib: Annotated[float, typer.Option(
        "--run-memory-gib", metavar="G", help="Memory cap of each run process, GiB (0: no cap).")] = 8.0,
) -> None:
    """Start the local web dashboard (map, result views, compare, Run form); see docs/web.md."""
    if not (math.isfinite(run_time_limit) and run_time_limit > 0):
        raise UsageProblem(f"{run_time_limit:g} s is not a positive number of seconds", option="--run-time-limit",
                           fix="give the wall-clock limit of each run in seconds, e.g. --run-time-limit 900")
    if not (math.isfinite(run_memory_gib) and run_memory_gib >= 0):
        raise UsageProblem(f"{run_memory_gib:g} GiB is not a memory size", option="--run-memory-gib",
                           fix="give the memory cap of each run in GiB, e.g. --run-memory-gib 8, or 0 for no cap")
    try:
        token = check_serve_options(host, port, token, generate_token, runs_dir)
    except ValueError as exc:
        option, problem, fix = exc.args
        raise UsageProblem(problem, option=option, fix=fix) from None
    web = create_app(dirs or [], runs_dir=runs_dir, token=token, loopback_only=is_loopback(host),
                     run_time_limit_s=run_time_limit, run_memory_gib=run_memory_gib or None)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    stderr().print(f"SilkGrid dashboard on {escape(url)} (Ctrl-C to stop)", soft_wrap=True)
    make_server(web, host, port).run()

