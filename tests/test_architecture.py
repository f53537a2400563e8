"""The layering rule of docs/architecture.md, enforced on the source (no import needed).

Every ``import`` in ``src/silkgrid`` counts, at any depth (function-level and
``TYPE_CHECKING`` imports included).  Layers, left to right; a module may import only from its
own layer or layers to its left::

    core -> profiles -> data -> scenario -> model -> solve -> results -> analysis -> report
         -> workflows -> web -> cli          (interop: beside workflows; imports core, scenario, model)

The package root (``silkgrid/__init__.py``, ``__main__.py``) is the public facade and re-exports
from any layer.  Also: no import cycle between modules, and no module over 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "silkgrid"

LAYERS = ("core", "profiles", "data", "scenario", "model", "solve", "results", "analysis", "report",
          "workflows", "web", "cli")
#: Packages outside the chain, with the layers each may import.
SIDE = {"interop": ("core", "scenario", "model")}
FACADE = {"silkgrid", "silkgrid.__main__"}
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every silkgrid module named by an import in ``path``, at any depth."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "silkgrid")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "silkgrid":
                continue
            found.add(mod)
            for alias in node.names:  # "from silkgrid.x import y" may name a module y
                if (SRC.parent / Path(*f"{mod}.{alias.name}".split("."))).with_suffix(".py").is_file() or \
                        (SRC.parent / Path(*f"{mod}.{alias.name}".split(".")) / "__init__.py").is_file():
                    found.add(f"{mod}.{alias.name}")
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(SRC.rglob("*.py"))}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and module not in FACADE else None


def allowed(src: str, dst: str) -> bool:
    a, b = layer(src), layer(dst)
    if a is None or b is None or a == b:
        return True
    if a in SIDE:
        return b in SIDE[a]
    if b in SIDE:
        return a in LAYERS and LAYERS.index(a) > LAYERS.index("workflows")
    return a in LAYERS and b in LAYERS and LAYERS.index(b) < LAYERS.index(a)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_package_is_in_a_layer():
    packages = {layer(m) for m in import_graph()} - {None}
    assert packages <= set(LAYERS) | set(SIDE), packages - set(LAYERS) - set(SIDE)


def test_layers_import_only_to_their_left():
    bad = sorted(f"{src} imports {dst}" for src, dsts in import_graph().items() for dst in dsts
                 if not allowed(src, dst))
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = import_graph()
    modules = {m: {d for d in ds if d in graph and d != m and not m.startswith(d + ".")}
               for m, ds in graph.items() if m not in FACADE}
    packages: dict[str, set[str]] = {}
    for m, ds in modules.items():
        packages.setdefault(layer(m) or m, set()).update(layer(d) or d for d in ds)
    assert not cycles(modules), cycles(modules)
    assert not cycles(packages), cycles(packages)


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_module_size(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(SRC)} has {n} lines (at most {MAX_LINES}): split it by job"


def test_rule_catches_a_violation():
    """The checker itself: a model module importing analysis is refused, the reverse allowed."""
    assert not allowed("silkgrid.model.arrays", "silkgrid.analysis.cbam")
    assert allowed("silkgrid.analysis.cbam", "silkgrid.model.arrays")
    assert not allowed("silkgrid.interop.pypsa", "silkgrid.solve.lp")
    assert not allowed("silkgrid.workflows.run", "silkgrid.interop.pypsa")
    assert allowed("silkgrid.cli.run", "silkgrid.web.app")
    assert not allowed("silkgrid.web.app", "silkgrid.cli.run")
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
