"""pyproject.toml is the one list of dependencies: environment.yml mirrors it, requirements.lock is made from
it (``make bloquear``), and every package in it is imported, or run, by the code it is declared for."""

from __future__ import annotations

import ast
import platform
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import nbformat
import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from pei_analysis.paths import REPO_DIR

LOCK = REPO_DIR / "requirements.lock"
#: The lists of pyproject.toml each folder may import from: the library and the notebooks it runs get only
#: what `pip install pei-analysis` installs; evaluation/ also its extra; the tests everything.
SCOPES = {
    "pei_analysis": ("runtime",),
    "notebooks": ("runtime",),
    "evaluation": ("runtime", "evaluacion"),
    "tests": ("runtime", "dev", "evaluacion"),
}
FIRST_PARTY = {"pei_analysis", "evaluation", "tests"}
#: Packages the project runs instead of importing: the file that runs each one and the text that shows it.
RUN_NOT_IMPORTED = {
    "jupyter-book": ("pei_analysis/publish/book.py", "from jupyter_book.cli.main import main"),
    "sphinx": ("book/_config.yml", "\nsphinx:\n"),
    "myst-nb": ("book/_config.yml", "- myst_nb\n"),
    "sphinx-book-theme": ("book/_config.yml", "- sphinx_book_theme\n"),
    "pydata-sphinx-theme": ("book/_templates/layout.html", '{% extends "pydata_sphinx_theme/layout.html" %}'),
    "papermill": ("pei_analysis/publish/notebooks.py", '"-m", "papermill"'),
    "ipykernel": ("Makefile", "-m ipykernel install"),
    "nbval": ("tests/notebooks/test_notebooks.py", '"--nbval-lax"'),
    "ruff": ("Makefile", "/ruff check"),
    "uv": ("Makefile", "/uv pip compile"),
    "pre-commit": ("Makefile", "/pre-commit install"),
    "nbstripout": (".pre-commit-config.yaml", "/nbstripout --keep-id"),
}


def _project() -> dict:
    return tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _lists() -> dict[str, dict[str, str]]:
    """Each list of pyproject.toml («runtime» and every extra), as {package: pinned version}."""
    project = _project()
    lists = {"runtime": project["dependencies"], **project.get("optional-dependencies", {})}
    return {name: dict(_split(s) for s in specs) for name, specs in lists.items()}


def _pyproject_pins() -> dict[str, str]:
    return {name: version for pins in _lists().values() for name, version in pins.items()}


def _environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO_DIR / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return dict(_split(s) for s in pip if not s.startswith("-e"))


def _split(spec: str) -> tuple[str, str]:
    name, _, version = spec.partition("==")
    return canonicalize_name(name.strip()), version.strip()


def _lock_entries() -> list[dict]:
    """Each requirement of the lock: name, version, hashes and the packages that asked for it (uv's «via»)."""
    entries: list[dict] = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name, _, rest = line.partition("==")
            version = re.split(r"[\s;\\]", rest, maxsplit=1)[0]
            entries.append({"name": canonicalize_name(name), "version": version, "hashes": [], "via": []})
        elif entries and line.strip().startswith("--hash="):
            entries[-1]["hashes"].append(line.strip().removeprefix("--hash=").removesuffix("\\").strip())
        elif entries and line.strip().startswith("#"):
            entries[-1]["via"].append(line.strip().lstrip("#").strip().removeprefix("via").strip())
    return entries


@cache
def _distributions_of() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def _imported_modules(folder: str) -> set[str]:
    """Top-level names imported by the Python files of *folder* (in notebooks/, the cells papermill runs)."""
    root = REPO_DIR / folder
    if folder == "notebooks":
        sources = [
            c.source
            for p in sorted(root.glob("*.ipynb"))
            for c in nbformat.read(p, as_version=4).cells
            if c.cell_type == "code"
        ]
    else:
        sources = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))]
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - FIRST_PARTY - set(sys.stdlib_module_names) - {"__future__"}


def _imported_distributions(folder: str) -> dict[str, str]:
    """{distribution: module} for every third-party module *folder* imports."""
    found = {}
    for module in sorted(_imported_modules(folder)):
        assert module in _distributions_of(), f"{folder}/ importa «{module}»; ningún paquete lo trae"
        for dist in _distributions_of()[module]:
            found[canonicalize_name(dist)] = module
    return found


def test_every_dependency_is_pinned_to_an_exact_version():
    assert all(version for version in _pyproject_pins().values())


def test_environment_yml_lists_the_same_packages_and_versions_as_pyproject():
    assert _environment_pins() == _pyproject_pins()


def test_jupyter_book_stays_below_version_2_which_cannot_build_offline():
    assert _pyproject_pins()["jupyter-book"].startswith("1.")


def test_the_lists_are_the_library_its_development_and_the_evaluation_and_no_package_is_in_two():
    lists = _lists()
    assert set(lists) == {"runtime", "dev", "evaluacion"}
    assert sum(len(pins) for pins in lists.values()) == len(_pyproject_pins())


def test_every_package_a_folder_imports_is_declared_in_a_list_that_folder_may_use():
    lists = _lists()
    for folder, scope in SCOPES.items():
        allowed = set().union(*(lists[name] for name in scope))
        undeclared = {d: m for d, m in _imported_distributions(folder).items() if d not in allowed}
        assert not undeclared, f"{folder}/ importa sin declararlos en {' ni '.join(scope)}: {undeclared}"


def test_every_declared_package_is_imported_by_the_code_it_is_declared_for_or_run_by_the_project():
    for list_name, pins in _lists().items():
        users = [
            folder
            for folder, scope in SCOPES.items()
            if list_name in scope and (list_name != "runtime" or folder in ("pei_analysis", "notebooks"))
        ]
        imported = set().union(*(_imported_distributions(folder) for folder in users))
        for name in set(pins) - imported:
            assert name in RUN_NOT_IMPORTED, f"«{name}» ({list_name}) no lo usa {', '.join(users)}: quítelo"
            path, text = RUN_NOT_IMPORTED[name]
            # Whitespace-insensitive: `ruff format` may split a call over several lines.
            source = " ".join((REPO_DIR / path).read_text(encoding="utf-8").split())
            assert " ".join(text.split()) in source, f"«{name}»: {path} ya no dice {text!r}"


def test_the_lock_asks_for_exactly_the_packages_of_pyproject_at_their_versions():
    """A stale lock (a package added, removed or moved in pyproject.toml, no `make bloquear`) fails here."""
    direct = {e["name"]: e["version"] for e in _lock_entries() if "pei-analysis (pyproject.toml)" in e["via"]}
    assert direct == _pyproject_pins()


def test_every_package_of_the_lock_has_an_exact_version_and_the_sha256_of_its_files():
    entries = _lock_entries()
    assert len(entries) > 100
    for entry in entries:
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", entry["version"]), entry
        assert entry["hashes"], entry
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in entry["hashes"]), entry


def test_the_theme_templates_are_copies_from_the_pinned_sphinx_book_theme():
    templates = sorted((REPO_DIR / "book" / "_templates").glob("*.html"))
    copied = {
        p.name: re.search(r"Copia de sphinx-book-theme (\S+)", p.read_text(encoding="utf-8"))
        for p in templates
    }
    assert templates and all(copied.values()), copied
    assert {m.group(1) for m in copied.values()} == {_pyproject_pins()["sphinx-book-theme"]}


def test_this_python_is_one_that_pyproject_admits():
    assert platform.python_version() in SpecifierSet(_project()["requires-python"])


def test_a_path_in_the_list_of_packages_run_not_imported_exists():
    for path, _ in RUN_NOT_IMPORTED.values():
        assert (REPO_DIR / Path(path)).is_file(), path
