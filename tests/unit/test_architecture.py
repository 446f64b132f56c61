"""The library's shape: data flows one way, so a module imports only from its own stage, earlier ones
and the shared modules (pei_analysis/README.md has the map)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pei_analysis.paths import REPO_DIR

PACKAGE = REPO_DIR / "pei_analysis"
#: Import order of the stages: each may import the ones before it, never one after it. Every stage but the
#: shared modules is a folder of the package (the command line is ``cli/``, one module per group of commands).
LAYERS = ("shared", "tables", "ingest", "model", "chapters", "publish", "cli")
#: Modules outside ``cli/`` that belong to the command line's stage.
ENTRY_POINTS = {"cli_es", "__main__"}


def layer_of(module: str) -> str | None:
    """The stage of a dotted module name of the package (None outside it or for the package's public API)."""
    parts = module.split(".")
    if parts[0] != "pei_analysis" or len(parts) == 1:
        return None
    if parts[1] in LAYERS:
        return parts[1]
    return "cli" if parts[1] in ENTRY_POINTS else "shared"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in *path*, including names imported from a package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def backward_imports(root: Path = PACKAGE) -> list[str]:
    """Every import in the package that goes from a stage to a later one."""
    wrong = []
    for path in sorted(root.rglob("*.py")):
        mine = layer_of(module_name(path))
        if mine is None:
            continue
        for line, module in imported_modules(path):
            theirs = layer_of(module)
            if theirs is not None and LAYERS.index(theirs) > LAYERS.index(mine):
                wrong.append(f"{path.relative_to(REPO_DIR)}:{line} ({mine}) importa {module} ({theirs})")
    return wrong


def test_no_module_imports_from_a_later_stage_of_the_data():
    assert backward_imports() == []


def test_the_check_catches_a_model_module_that_imports_a_chapter(tmp_path, monkeypatch):
    fake = tmp_path / "pei_analysis" / "model"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from pei_analysis.chapters.display import html_table\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.REPO_DIR", tmp_path)
    assert backward_imports(tmp_path / "pei_analysis") == [
        "pei_analysis/model/bad.py:1 (model) importa pei_analysis.chapters.display (chapters)",
        "pei_analysis/model/bad.py:1 (model) importa pei_analysis.chapters.display.html_table (chapters)",
    ]


@pytest.mark.parametrize("stage", LAYERS[1:])
def test_every_stage_is_a_folder_of_the_package(stage):
    assert (PACKAGE / stage / "__init__.py").is_file()


@pytest.mark.parametrize("module", ["pei_analysis.cli", "pei_analysis.cli.parser", "pei_analysis.cli_es"])
def test_the_command_line_and_its_modules_are_the_last_stage(module):
    assert layer_of(module) == "cli"


def test_no_file_in_the_repository_manipulates_sys_path():
    hacks = ("sys.path." + "insert", "sys.path." + "append")  # split, so this file does not name them
    offenders = [
        str(path.relative_to(REPO_DIR))
        for folder in ("pei_analysis", "evaluation", "tests", "notebooks")
        for path in (REPO_DIR / folder).rglob("*.py")
        if any(hack in path.read_text(encoding="utf-8") for hack in hacks)
    ]
    assert offenders == []


def private_imports(root: Path = PACKAGE) -> list[str]:
    """Every underscore name (not a dunder) a module of the package imports from another one."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for line, module in imported_modules(path):
            name = module.rsplit(".", 1)[-1]
            if module.startswith("pei_analysis.") and name.startswith("_") and not name.endswith("__"):
                found.append(f"{path.relative_to(REPO_DIR)}:{line} importa {module}")
    return found


def test_no_module_reaches_into_another_ones_private_names():
    """What a module shares is public, with a docstring that says why; an underscore means «only here»."""
    assert private_imports() == []


def test_the_check_catches_an_import_of_a_private_name(tmp_path, monkeypatch):
    fake = tmp_path / "pei_analysis" / "chapters"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from pei_analysis.chapters.pei_readings import _helper\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.REPO_DIR", tmp_path)
    assert private_imports(tmp_path / "pei_analysis") == [
        "pei_analysis/chapters/bad.py:1 importa pei_analysis.chapters.pei_readings._helper"
    ]
