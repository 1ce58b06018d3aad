"""The shape of the code: no import cycles, small modules, every package installed with its data."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["lprflow", "jobs", "grouping", "expectations", "settlement", "conf", "reference", "bench", "tools", "tests"]
MAX_LINES = 400
# test case tables (data written as code), the one exception the limit allows
LONG_ALLOWED = {"tests/rule_cases.py", "tests/result_report_cases.py"}  # case data


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules imported anywhere in the file (function-level imports included)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            # the longest known module the name refers to (`from a.b import c` may import module a.b.c)
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    modules = _modules()
    graph = {name: _imports(path, name, set(modules)) for name, path in modules.items()}
    assert _cycles(graph) == []


def test_job_modules_never_import_the_cli():
    modules = _modules()
    for name in ("jobs.generate", "jobs.validate", "jobs.group", "jobs.group_cases"):
        assert "jobs.cli" not in _imports(modules[name], name, set(modules)), name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_is_small(name):
    path = _modules()[name]
    rel = str(path.relative_to(ROOT))
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or rel in LONG_ALLOWED, f"{rel}: {lines} lines"


def test_every_product_package_is_discovered_with_its_data():
    from setuptools import find_packages

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = set(find_packages(str(ROOT), include=conf["packages"]["find"]["include"]))
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("lprflow", "jobs", "grouping", "expectations", "settlement", "conf", "reference")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert on_disk <= found and "lprflow.synth" in found
    assert conf["package-data"]["conf"] == ["*.yaml", "kmf/*.yaml"]
    shipped_conf = {p for pattern in conf["package-data"]["conf"] for p in (ROOT / "conf").glob(pattern)}
    assert {p for p in (ROOT / "conf").rglob("*.yaml")} <= shipped_conf
    data = conf["package-data"]["reference"]
    shipped = {p for pattern in data for p in (ROOT / "reference").glob(pattern) if p.is_file()}
    needed = {p for p in (ROOT / "reference").rglob("*") if p.is_file() and p.suffix in {".csv", ".json"}}
    assert needed <= shipped


def test_every_column_a_rule_reads_is_named_in_the_frame_builders(spark, reference):
    """A grep for a rule's column finds the builder that makes it (not only the rule)."""
    import re

    from expectations.frames.builder import FrameBuilder
    from expectations.rules import ALL_CHECKS
    from lprflow.schemas import TABLES
    from tests.register_builder import register_frames
    from tests.rule_cases import CASES, case_rows

    frames = FrameBuilder(register_frames(spark, case_rows(CASES[:1])), reference).build()
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "expectations" / "frames").glob("*.py"))
    model = {c for spec in TABLES.values() for c in spec.columns}
    missing = set()
    for check in ALL_CHECKS:
        columns = set(frames[check.frame].df.columns)
        used = {n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(check.condition())) if n in columns}
        missing |= {(check.frame, n) for n in used - model if not re.search(rf"\b{n}\b", source)}
    assert not missing, sorted(missing)
