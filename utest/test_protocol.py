"""Protocol facts live in one neutral module, and the import graph keeps the simulator and the library apart:
protocol.py imports nothing of the package, the simulator nothing of the library's transport, recording or
keywords, and transport and secrets do not import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "CCGatewayLibrary"


def _module_name(file: Path) -> str:
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(file: Path, *, run_time_only: bool) -> set[str]:
    """Modules of the package that ``file`` imports: at run time only (module level, outside TYPE_CHECKING), or
    anywhere (also inside functions)."""
    name = _module_name(file)
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module or ""
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)  # a submodule, if it is one
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            if not run_time_only or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit([child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)])

    visit(ast.parse(file.read_text(encoding="utf-8")).body)
    modules = {_module_name(path) for path in PACKAGE.rglob("*.py")}
    # importing a.b.c runs a and a.b first
    return {prefix for target in found if target in modules
            for prefix in (".".join(target.split(".")[:i]) for i in range(2, target.count(".") + 2))
            if prefix in modules and prefix != "CCGatewayLibrary"}


def test_the_protocol_module_imports_nothing_of_the_package() -> None:
    assert _imports(PACKAGE / "protocol.py", run_time_only=False) == set()


@pytest.mark.parametrize("file", sorted((PACKAGE / "simulator").glob("*.py")), ids=lambda path: path.name)
def test_the_simulator_imports_nothing_of_the_librarys_transport_recording_or_keywords(file: Path) -> None:
    forbidden = ("CCGatewayLibrary.transport", "CCGatewayLibrary.recording", "CCGatewayLibrary.keywords")
    assert sorted(module for module in _imports(file, run_time_only=False) if module.startswith(forbidden)) == []


def test_transport_and_secrets_do_not_import_each_other_at_run_time() -> None:
    graph = {_module_name(file): _imports(file, run_time_only=True) for file in PACKAGE.rglob("*.py")}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            module = todo.pop()
            if module == goal:
                return True
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))
        return False

    assert reaches("CCGatewayLibrary.secrets", "CCGatewayLibrary.transport")  # it uses the redaction policy
    assert not reaches("CCGatewayLibrary.transport", "CCGatewayLibrary.secrets")
