"""Layers without circles: no two rooms of ``kg/`` (its top-level modules and subpackages)
import each other, directly or round a circle, counting imports inside functions; and the
library never imports the CLI. The import graph is read from the source with ``ast``."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "kg"


def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("kg", *path.relative_to(PACKAGE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def room(module: str) -> str:
    """``kg.extract.people`` → ``kg.extract``; ``kg.rdf`` → ``kg.rdf``."""
    return ".".join(module.split(".")[:2])


def imported(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(kg module, line) for every import in the file, wherever it stands."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                out.append((name, node.lineno))
    return out


def room_graph() -> tuple[nx.DiGraph, dict[tuple[str, str], list[str]]]:
    known = modules()
    graph, where = nx.DiGraph(), defaultdict(list)
    for module, path in known.items():
        graph.add_node(room(module))
        for target, line in imported(module, path, known):
            if room(target) != room(module):
                graph.add_edge(room(module), room(target))
                where[room(module), room(target)].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return graph, where


def test_the_graph_sees_imports_inside_functions():
    graph, where = room_graph()
    assert graph.has_edge("kg.cli", "kg.pipeline")  # kg.cli imports the pipeline only inside its commands
    assert len(graph) > 20


def test_no_two_rooms_import_each_other_even_round_a_circle():
    graph, where = room_graph()
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    report = []
    for circle in circles:
        for a, b in graph.subgraph(circle).edges:
            report.append(f"{a} → {b}: {', '.join(sorted(set(where[a, b])))}")
    assert not circles, "rooms in a circle:\n" + "\n".join(report)


def test_nothing_imports_the_cli():
    graph, where = room_graph()
    assert [a for a in graph.predecessors("kg.cli") if a != "kg.__main__"] == []


def readme_layers() -> list[list[str]]:
    """The layer diagram of README.md's "How it works", top layer first."""
    text = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in text.split("```")[1::2] if b.strip().splitlines()[0] == "cli")
    return [[f"kg.{name.strip()}" for name in line.split("·")] for line in block.strip().splitlines()]


def test_readme_layers_name_every_room_once_and_each_imports_only_its_layer_or_below():
    graph, where = room_graph()
    level = {name: depth for depth, layer in enumerate(readme_layers()) for name in layer}
    assert sorted(level) == sorted(set(graph) - {"kg", "kg.__main__"})
    upward = [f"{a} → {b}: {', '.join(sorted(set(where[a, b])))}" for a, b in graph.edges
              if a in level and b in level and level[b] < level[a]]
    assert not upward, "imports up the layers of README.md:\n" + "\n".join(upward)
