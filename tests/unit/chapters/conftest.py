"""The shipped data's 2024-c1 dataset, computed once for the chapter tests (they only read it)."""

from __future__ import annotations

import pytest

from pei_analysis.model.dataset import compute_dataset


@pytest.fixture(scope="session")
def shipped():
    return compute_dataset(2024, 1)


@pytest.fixture(scope="session")
def with_history(tmp_path_factory):
    """The 2024-c1 dataset of a copy of data/ with SIMULATED past years (tests/fixtures/historia_simulada.py:
    2021 and 2023 complete, 2022 without its third cuatrimestre; DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)."""
    import shutil

    from pei_analysis.paths import DATA_DIR
    from tests.fixtures.historia_simulada import add_simulated_history

    folder = tmp_path_factory.mktemp("historia")
    shutil.copytree(DATA_DIR, folder / "data")
    add_simulated_history(folder / "data", folder)
    return compute_dataset(2024, 1, folder / "data")
