"""pyproject.toml is the one list of dependencies; environment.yml must mirror it exactly."""

from __future__ import annotations

import tomllib

import yaml

from pei_analysis.paths import REPO_DIR


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs.extend(extra)
    return dict(_split(s) for s in specs)


def _environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO_DIR / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return dict(_split(s) for s in pip if not s.startswith("-e"))


def _split(spec: str) -> tuple[str, str]:
    name, _, version = spec.partition("==")
    return name.strip().lower(), version.strip()


def test_every_dependency_is_pinned_to_an_exact_version():
    assert all(version for version in _pyproject_pins().values())


def test_environment_yml_lists_the_same_packages_and_versions_as_pyproject():
    assert _environment_pins() == _pyproject_pins()


def test_jupyter_book_stays_below_version_2_which_cannot_build_offline():
    assert _pyproject_pins()["jupyter-book"].startswith("1.")
