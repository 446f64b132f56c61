"""A rebuilt edition against the version readers saw: only the figures that changed count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pei_analysis.model.corrections import PublishedVersion, compare_published, first_correction


def rows(ejecutado=(100, 200), programado=(300, 600)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "anio": 2024,
            "cuatrimestre": 1,
            "producto": [1, 2],
            "clave": ["11-01-A-1", "11-01-B-1"],
            "programado": list(programado),
            "ejecutado": list(ejecutado),
        }
    )


def table(proyeccion=(300.0, 600.0), estado=("satisfactorio", "satisfactorio"), claves=None) -> pd.DataFrame:
    proyeccion = np.array(proyeccion, dtype=float)
    return pd.DataFrame(
        {
            "producto": [1, 2],
            "clave": claves or ["11-01-A-1", "11-01-B-1"],
            "proyeccion": proyeccion,
            "limite_inferior": proyeccion * 0.9,
            "limite_superior": proyeccion * 1.1,
            "estado": list(estado),
        }
    )


def version(cifras=None, proyeccion=None, carpeta="2024-c1_version_2026-11-30") -> PublishedVersion:
    return PublishedVersion(
        carpeta=carpeta,
        construida="2026-11-30",
        huella="a" * 64,
        cifras=rows() if cifras is None else cifras,
        proyeccion=table() if proyeccion is None else proyeccion,
    )


def test_the_same_figures_are_not_a_correction_whatever_else_changed():
    assert not compare_published(version(), rows(), table()).changed


def test_a_changed_ejecutado_is_listed_with_its_product_period_and_both_values():
    correction = compare_published(version(), rows(ejecutado=(100, 220)), table())
    assert correction.changed
    assert correction.figures.to_dict("records") == [
        {
            "anio": 2024,
            "cuatrimestre": 1,
            "clave": "11-01-B-1",
            "producto": 2,
            "campo": "ejecutado",
            "antes": 200,
            "ahora": 220,
        }
    ]


def test_a_projection_that_moves_less_than_half_a_unit_is_not_a_correction_and_one_unit_is():
    assert not compare_published(version(), rows(), table(proyeccion=(300.2, 600.0))).changed
    moved = compare_published(version(), rows(), table(proyeccion=(301.0, 600.0)))
    assert moved.projections[["clave", "proyeccion_antes", "proyeccion_ahora"]].to_dict("records") == [
        {"clave": "11-01-A-1", "proyeccion_antes": 300.0, "proyeccion_ahora": 301.0}
    ]
    assert moved.projections["cambio_pct"].tolist() == [pytest.approx(100 / 300)]
    assert moved.status_changes.empty


def test_a_changed_semaforo_is_a_status_change():
    correction = compare_published(version(), rows(), table(estado=("satisfactorio", "en riesgo")))
    assert correction.status_changes[["clave", "estado_antes", "estado_ahora"]].to_dict("records") == [
        {"clave": "11-01-B-1", "estado_antes": "satisfactorio", "estado_ahora": "en riesgo"}
    ]


def test_a_product_projected_by_neither_version_is_the_same_in_both():
    unprojected = table(proyeccion=(np.nan, 600.0), estado=(np.nan, "satisfactorio"))
    assert not compare_published(version(proyeccion=unprojected), rows(), unprojected.copy()).changed


def test_products_added_and_removed_are_named_by_their_catalogue_key():
    now = table(claves=["11-01-A-1", "11-01-C-1"])
    correction = compare_published(version(), rows(), now)
    assert (correction.added, correction.removed) == (("11-01-C-1",), ("11-01-B-1",))
    assert correction.changed


def test_the_first_version_whose_figures_differ_is_the_one_compared():
    same = version(carpeta="actual")
    older = version(cifras=rows(ejecutado=(90, 200)), carpeta="2024-c1_version_2026-11-01")
    found = first_correction([same, older], rows(), table())
    assert found is not None and found.previous.carpeta == "2024-c1_version_2026-11-01"
    assert first_correction([same], rows(), table()) is None
    assert first_correction([], rows(), table()) is None
