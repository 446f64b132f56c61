"""Shared fixtures: paths to the shipped data and a throw-away copy of data/ for tests that write."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from pei_analysis.files import LOCK_NAME
from pei_analysis.ingest.importer import import_file
from pei_analysis.paths import DATA_DIR

RAW_POA = DATA_DIR / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may modify."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def data_with_c2(data_copy: Path) -> Path:
    """The copy of data/ with the test cuatrimestre 2 of 2024 imported (DATOS DE PRUEBA, tests/fixtures/)."""
    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )
    return data_copy


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder* with its bytes: to assert that a refusal changed nothing.

    The lock file (``.bloqueo``) is left out: it is not data (git ignores it) and only says which
    command held the folder last; every command that writes creates it.
    """
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


# CI runs the property-based tests with a fixed sequence of examples, so a red build is reproducible;
# locally hypothesis keeps exploring new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
