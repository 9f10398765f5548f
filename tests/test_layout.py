"""The package layout shows the flow: a stage imports only from stages before it and from the core.

The order (docs/decisions/0009-one-package-per-stage.md):
core → rules → load → build → materialise → validate → analysis → report → pipeline → years, store
→ commands → cli. Imports under ``if TYPE_CHECKING:`` are for annotations only and are not counted.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
from conftest import ROOT

PACKAGE = ROOT / "thscp_kg"
CORE = {"errors", "findings", "model", "model_values", "plain", "namespaces", "resources", "ontology", "rdfio", "progress", "output",
        "yamlsafe", "safe_text", "__init__"}
LAYERS = ["core", "rules", "load", "build", "materialise", "documents", "validate", "analysis", "report", "pipeline",
          "years|store|reason", "commands", "cli|__main__"]
STAGE_PREFIXES = ("load", "build", "materialise", "validate", "analysis", "report", "catalogue", "profile",
                  "store", "diff", "trend", "newyear", "engine", "deadlines", "workdays", "waivers",
                  "loader", "schema")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in CORE:
        return 0
    for i, names in enumerate(LAYERS):
        if top in names.split("|"):
            return i
    raise AssertionError(f"{module}: not in any layer; add its package to LAYERS in this test and the decision record")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, module: str) -> set[str]:
    """Every thscp_kg module ``path`` imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.startswith("thscp_kg"):
                    for alias in child.names:  # "from . import workdays" names a module
                        sub = f"{target}.{alias.name}"
                        found.add(sub if _exists(sub) else target)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("thscp_kg"))
            visit(child)

    visit(tree)
    return {m for m in found if m != module}


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_resources" in path.parts:
            continue
        module = _module_name(path)
        graph.add_node(module)
        for target in _imports(path, module):
            graph.add_edge(module, target)
    return graph


def test_no_stage_imports_a_later_stage():
    later = sorted(f"{a} (layer {LAYERS[_layer(a)]}) imports {b} (layer {LAYERS[_layer(b)]})"
                   for a, b in _graph().edges if _layer(b) > _layer(a))
    assert not later, "\n".join(later)


def test_no_import_circle_between_files():
    # A package's face (__init__) re-exports its own modules; those edges are not circles in the flow.
    graph = _graph()
    flow = nx.DiGraph((a, b) for a, b in graph.edges if not b.startswith(a + "."))
    circles = [sorted(c) for c in nx.strongly_connected_components(flow) if len(c) > 1]
    assert not circles, circles


def test_the_root_holds_only_the_core_and_no_stage_prefixed_module():
    root = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(root) <= 16, root
    prefixed = [name for name in root if name.startswith(STAGE_PREFIXES)]
    assert not prefixed, prefixed


@pytest.mark.parametrize("package", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_every_stage_package_says_what_comes_in_and_goes_out(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"thscp_kg/{package}/__init__.py needs a docstring: what comes in, what goes out"


def test_the_check_finds_a_planted_backward_import(tmp_path, monkeypatch):
    """The layer test has teeth: a build module importing the report stage is reported."""
    fake = tmp_path / "thscp_kg" / "build"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('"""x"""\n')
    (fake / "bad.py").write_text("from ..report import render\n")
    module = "thscp_kg.build.bad"
    imports = _imports(fake / "bad.py", module)
    assert imports == {"thscp_kg.report"}
    assert _layer("thscp_kg.report") > _layer(module)
