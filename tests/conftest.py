"""Shared fixtures: paths to the shipped data and a throw-away copy of data/ for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pei_analysis.paths import DATA_DIR, REPO_DIR

RAW_POA = DATA_DIR / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt"
SEEDS = REPO_DIR.parent / "shared" / "seeds"


@pytest.fixture
def raw_poa() -> Path:
    return RAW_POA


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may modify."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder* with its bytes: to assert that a refusal changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# CI runs the property-based tests with a fixed sequence of examples, so a red build is reproducible;
# locally hypothesis keeps exploring new examples on every run.
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
