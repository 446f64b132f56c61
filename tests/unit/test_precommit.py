"""The git hooks (.pre-commit-config.yaml) must run offline: local hooks with the project's own tools."""

from __future__ import annotations

import shlex
import tomllib

import yaml

from pei_analysis.paths import REPO_DIR


def _repos() -> list[dict]:
    return yaml.safe_load((REPO_DIR / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]


def _hooks() -> list[dict]:
    return [hook for repo in _repos() for hook in repo["hooks"]]


def test_every_hook_is_local_and_runs_a_tool_of_the_project_environment():
    assert [repo["repo"] for repo in _repos()] == ["local"], "pre-commit no debe descargar ningún gancho"
    for hook in _hooks():
        assert hook["language"] == "system", hook["id"]
        assert shlex.split(hook["entry"])[0].startswith(".venv/bin/"), hook["id"]


def test_the_hooks_lint_format_strip_outputs_and_check_the_jupytext_pairs():
    assert {hook["id"] for hook in _hooks()} >= {"ruff-check", "ruff-format", "nbstripout", "jupytext-pares"}


def test_every_tool_a_hook_runs_is_a_pinned_development_dependency():
    dev = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {spec.partition("==")[0] for spec in dev["optional-dependencies"]["dev"] + dev["dependencies"]}
    tools = {shlex.split(hook["entry"])[0].removeprefix(".venv/bin/") for hook in _hooks()} - {"python"}
    assert tools <= pinned
    assert "pre-commit" in pinned
