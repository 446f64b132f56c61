"""The shipped data's 2024-c1 dataset, computed once for the chapter tests (they only read it)."""

from __future__ import annotations

import pytest

from pei_analysis.model.dataset import compute_dataset


@pytest.fixture(scope="session")
def shipped():
    return compute_dataset(2024, 1)
