"""The layers point one way: the core never depends on Qt or on the desktop program; the
desktop program reaches the database only through the use cases; only storage speaks SQL
(SQLAlchemy); storage calls nothing above it; and the core's packages import no cycle.

Each rule is a function over a source tree, run on this one and on a small tree made to break
it, so that a rule that could never fail would show."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _core_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "nexus_review").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts))
    return names


def test_core_source_imports_neither_qt_nor_ui() -> None:
    offenders = []
    for path in (ROOT / "nexus_review").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top in {"PySide6", "ui", "shiboken6"}:
                    offenders.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = _core_modules()
    assert "nexus_review.cli" in modules and "nexus_review.storage.database" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_command_line_start_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from nexus_review.cli import build_parser\n"
        "build_parser()\n"
        "heavy = [m for m in ('alembic', 'docx', 'reportlab', 'PySide6', 'cryptography', 'jsonschema')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------------------- the rules

# What storage may import from the core: the records, the frameworks (as data), errors,
# paths and atomic files. Never merge, interchange, reports, use cases or the command line.
STORAGE_MAY_IMPORT = frozenset({"domain", "errors", "fileio", "frameworks", "paths", "storage"})


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at the top or inside a function (absolute names)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [
                f"{node.module}.{a.name}" for a in node.names
            ]  # from nexus_review import storage
    return found


def _sources(root: Path, folder: str) -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*.py") if "migrations" not in p.parts)


def _is(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def ui_reaching_storage(root: Path) -> list[str]:
    """ui modules that import SQLAlchemy or the storage package."""
    return sorted(
        f"{p.relative_to(root)} imports {m}"
        for p in _sources(root, "ui")
        for m in _imports(p)
        if _is(m, "sqlalchemy") or _is(m, "nexus_review.storage")
    )


def ui_opening_units_of_work(root: Path) -> list[str]:
    """Places in ui that open a database session themselves (``db.reading()``,
    ``db.transaction()``): a use case opens the one unit of work of a user action."""
    return sorted(
        f"{p.relative_to(root)}:{node.lineno} calls {node.func.attr}()"
        for p in _sources(root, "ui")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("reading", "transaction")
    )


def sqlalchemy_outside_storage(root: Path) -> list[str]:
    """Modules outside nexus_review/storage (the core and ui) that import SQLAlchemy."""
    storage = root / "nexus_review" / "storage"
    return sorted(
        f"{p.relative_to(root)} imports {m}"
        for folder in ("nexus_review", "ui")
        for p in _sources(root, folder)
        if storage not in p.parents
        for m in _imports(p)
        if _is(m, "sqlalchemy")
    )


def storage_calling_up(root: Path) -> list[str]:
    """Storage modules that import a part of the core above storage."""
    return sorted(
        f"{p.relative_to(root)} imports {m}"
        for p in _sources(root, "nexus_review/storage")
        for m in _imports(p)
        if _is(m, "nexus_review")
        and m.count(".") >= 1
        and m.split(".")[1] not in STORAGE_MAY_IMPORT
        and m.split(".")[1] not in ("__version__", "APP_NAME")
    )


def _package_of(root: Path, path: Path) -> str:
    parts = path.relative_to(root / "nexus_review").with_suffix("").parts
    return parts[0]


def package_cycles(root: Path) -> list[list[str]]:
    """Import cycles between the core's packages (each top-level module counts as one)."""
    graph: dict[str, set[str]] = {}
    for path in _sources(root, "nexus_review"):
        here = _package_of(root, path)
        for m in _imports(path):
            parts = m.split(".")
            if parts[0] == "nexus_review" and len(parts) > 1 and parts[1] != here:
                target = parts[1]
                if (root / "nexus_review" / target).is_dir() or (
                    root / "nexus_review" / f"{target}.py"
                ).is_file():
                    graph.setdefault(here, set()).add(target)
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycle = trail[trail.index(node) :]
            turned = min(range(len(cycle)), key=lambda i: cycle[i])
            cycle = cycle[turned:] + cycle[:turned]
            if cycle not in cycles:
                cycles.append(cycle)
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])
    return cycles


def test_the_desktop_program_reaches_the_database_only_through_use_cases() -> None:
    assert ui_reaching_storage(ROOT) == []


def test_the_desktop_program_opens_no_unit_of_work_itself() -> None:
    assert ui_opening_units_of_work(ROOT) == []


def test_only_storage_imports_sqlalchemy() -> None:
    assert sqlalchemy_outside_storage(ROOT) == []


def test_storage_calls_nothing_above_it() -> None:
    assert storage_calling_up(ROOT) == []


def test_the_cores_packages_import_no_cycle() -> None:
    assert package_cycles(ROOT) == []


# ---------------------------------------------------------------------------- the rules can fail


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    """A small source tree that breaks every rule once."""
    files = {
        "nexus_review/__init__.py": "",
        "nexus_review/storage/__init__.py": "",
        "nexus_review/storage/safety.py": """
            from nexus_review.domain import records
            def backup():
                from nexus_review import merge
        """,
        "nexus_review/storage/migrations/env.py": "from nexus_review.cli import main",
        "nexus_review/domain/__init__.py": "",
        "nexus_review/merge/__init__.py": "from nexus_review.interchange import package\nfrom sqlalchemy import insert",
        "nexus_review/interchange/__init__.py": "",
        "nexus_review/interchange/package.py": "def read():\n    from nexus_review.merge.fields import expand",
        "ui/__init__.py": "",
        "ui/page.py": "import sqlalchemy.orm\nfrom nexus_review.storage.repository import list_schools",
        "ui/other.py": "from nexus_review import storage\nfrom nexus_review.usecases import visits",
        "ui/list.py": "def refresh(window):\n    with window.db.reading() as s:\n        return s",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_ui_module_importing_sqlalchemy_or_storage_is_caught(broken_tree: Path) -> None:
    assert ui_reaching_storage(broken_tree) == [
        "ui/other.py imports nexus_review.storage",
        "ui/page.py imports nexus_review.storage.repository",
        "ui/page.py imports nexus_review.storage.repository.list_schools",
        "ui/page.py imports sqlalchemy.orm",
    ]


def test_a_ui_module_opening_a_session_is_caught(broken_tree: Path) -> None:
    assert ui_opening_units_of_work(broken_tree) == ["ui/list.py:2 calls reading()"]


def test_sqlalchemy_outside_storage_is_caught(broken_tree: Path) -> None:
    assert sqlalchemy_outside_storage(broken_tree) == [
        "nexus_review/merge/__init__.py imports sqlalchemy",
        "nexus_review/merge/__init__.py imports sqlalchemy.insert",
        "ui/page.py imports sqlalchemy.orm",
    ]


def test_storage_importing_merge_is_caught_even_inside_a_function(broken_tree: Path) -> None:
    assert storage_calling_up(broken_tree) == [
        "nexus_review/storage/safety.py imports nexus_review.merge"
    ]


def test_a_cycle_between_packages_is_caught(broken_tree: Path) -> None:
    assert package_cycles(broken_tree) == [["interchange", "merge"]]
