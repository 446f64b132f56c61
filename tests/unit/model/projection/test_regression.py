"""The engine as a package gives what the single-module engine gave, to the last bits (simulated inputs only).

The expected figures were written by the engine before it was split by stage, as hexadecimal floats
(exact); every refactor of the engine must keep them, and a deliberate change of method must update
the fixture in the same commit and say why. They are compared to a relative 1e-12, not bit for bit:
NumPy sums with the vector instructions of each processor, so two machines can differ in the last
bit (seen: up to 6e-15 between two CI machines), while any change of method moves a figure by far more.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pei_analysis.chapters.methods import method_labels
from pei_analysis.model.projection import project_year_end
from tests.unit.model.projection.regression_cases import cases

EXPECTED = Path(__file__).resolve().parents[3] / "fixtures" / "proyecciones_de_referencia.csv"
CASES = cases()
RELATIVE = 1e-12  # a few thousand ulps: processors differ in the last bits, a change of method by far more


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(EXPECTED, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_projection_of_each_simulated_input_is_the_one_the_engine_gave_before_its_split(name, expected):
    history, keywords = CASES[name]
    new = project_year_end(history, **keywords)
    old = expected[expected["caso"] == name]
    assert new["serie"].astype(str).tolist() == old["serie"].tolist()
    assert new["anio"].astype(int).tolist() == old["anio"].astype(int).tolist()
    for column in ("proyeccion", "limite_inferior", "limite_superior"):
        written = [float.fromhex(v) for v in old[column]]
        np.testing.assert_allclose(new[column].astype(float), written, rtol=RELATIVE, atol=0, err_msg=column)
    assert method_labels(new).fillna("").tolist() == old["metodo"].tolist()
