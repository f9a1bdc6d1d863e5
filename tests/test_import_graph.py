"""The project's modules import each other without circles, and none is over 600 lines.

Read statically (ast), without importing anything: every module of the checked apps (their
migrations and tests left out) and its top-level imports of project modules. A relative import
is resolved; ``from pkg import name`` where *name* is a submodule imports that submodule; a
package's ``__init__`` is a module like any other (a re-export counts). Imports inside functions
are not edges: the house style allows one only to break a real cycle, with a comment saying so.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECKED_APPS = ["norsjo", "accounts", "registry", "moderation"]

MAX_LINES = 600
SKIPPED_PARTS = {"migrations", "tests", "__pycache__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(apps=CHECKED_APPS) -> dict[str, Path]:
    """Return every module of *apps* by dotted name, migrations and tests left out."""
    modules = {}
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if SKIPPED_PARTS.isdisjoint(path.relative_to(ROOT).parts):
                modules[_module_name(path)] = path
    return modules


def _top_level_imports(tree: ast.Module):
    """Yield the import statements that run when the module is imported (not those in functions)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try | ast.With | ast.ClassDef):
            # Conditional and class-level imports still run at import time.
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    stack.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """Return the absolute name of the module *node* imports from."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return each module's set of imported project modules (among *modules*)."""
    graph = {}
    for module, path in modules.items():
        edges = set()
        for node in _top_level_imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _resolve(module, path, node)
                targets = [source, *(f"{source}.{alias.name}" for alias in node.names)]
            for target in targets:
                # "import a.b.c" runs a, a.b and a.b.c: each of them is imported.
                parts = target.split(".")
                edges.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        # A module's own packages are always imported before it (Python runs a package's
        # __init__ first), so "a.b.c imports a.b" is no circle unless it names something of a.b.
        ancestors = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
        named = {
            _resolve(module, path, node)
            for node in _top_level_imports(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom)
        }
        graph[module] = {
            target
            for target in edges
            if target in modules and target != module and (target not in ancestors or target in named)
        }
    return graph


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the components of more than one module (or a module importing itself): the circles."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """Return one circle through the first module of *component*, to name in the failure."""
    members, start = set(component), component[0]
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(graph[path[-1]] & members):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return component


def test_import_graph_finds_a_circle_and_resolves_relative_imports(tmp_path, monkeypatch):
    """The checker itself: a relative circle through a package's __init__ is found and named."""
    package = tmp_path / "app"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .sub import helpers\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "helpers.py").write_text("from .. import models\n")
    (package / "models.py").write_text("def f():\n    from app import views\n")
    (package / "views.py").write_text("from app.sub.helpers import x\n")
    # A package that re-exports its submodules, which import their siblings: no circle.
    (package / "sub" / "a.py").write_text("from .b import y\n")
    (package / "sub" / "b.py").write_text("y = 1\n")
    (package / "sub" / "__init__.py").write_text("from .a import y\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    graph = import_graph(project_modules(["app"]))
    # "app" is imported before app.views whatever it says, so that edge is no circle.
    assert graph["app.views"] == {"app.sub", "app.sub.helpers"}
    assert graph["app.sub.a"] == {"app.sub.b"}
    assert graph["app.sub.helpers"] == {"app", "app.models"}  # "from .. import models": the submodule
    assert graph["app.models"] == set()  # the import inside a function is no edge
    components = strongly_connected_components(graph)
    assert components == [["app", "app.sub.helpers"]]
    assert _a_cycle(graph, components[0]) == ["app", "app.sub.helpers", "app"]


def test_no_import_circles():
    """No module of the checked apps is part of an import circle (top-level imports)."""
    graph = import_graph(project_modules())
    circles = [" -> ".join(_a_cycle(graph, component)) for component in strongly_connected_components(graph)]
    assert not circles, "Import circles:\n" + "\n".join(circles)


def test_no_module_over_600_lines():
    """A module past 600 lines holds more than one domain: make it a package (house style)."""
    long_modules = {
        str(path.relative_to(ROOT)): lines
        for path in project_modules().values()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long_modules, f"Modules over {MAX_LINES} lines: {long_modules}"
