"""The comparison between editions, in numbers (pei_analysis.model.revisions)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.ingest.importer import import_file
from pei_analysis.model import revisions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def data_with_c2(data_copy):
    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )
    return data_copy


def _synthetic_c3(poa: pd.DataFrame) -> pd.DataFrame:
    c3 = poa[poa["cuatrimestre"] == 2].assign(cuatrimestre=3)
    return pd.concat([poa, c3], ignore_index=True)


def test_the_first_edition_of_a_year_has_nothing_to_compare_with():
    assert revisions.changes_since_previous(load_poa(), 2024, 1) is None


def test_changes_compare_each_products_projection_and_status_with_the_previous_edition(data_with_c2):
    poa = load_poa(data_with_c2)
    changes = revisions.changes_since_previous(poa, 2024, 2)
    assert len(changes) == 36
    product = changes.set_index("producto").loc[4]
    assert product["revision_pct"] == pytest.approx(
        (product["proyeccion"] - product["proyeccion_anterior"]) / product["proyeccion_anterior"] * 100
    )
    assert changes["cambio_estado"].equals(changes["estado"] != changes["estado_anterior"])


def test_the_track_record_waits_for_a_complete_year_then_compares_each_edition_with_the_real_total(
    data_with_c2,
):
    poa = load_poa(data_with_c2)
    assert revisions.track_record(poa, 2024) is None
    full = _synthetic_c3(poa)
    record = revisions.track_record(full, 2024)
    assert set(record["edicion"]) == {"2024-c1", "2024-c2"}
    real = full[full["producto"] == 4]["ejecutado"].sum()
    row = record[(record["edicion"] == "2024-c2") & (record["producto"] == 4)].iloc[0]
    assert row["real"] == real
    assert row["error_pct"] == pytest.approx((row["proyeccion"] - real) / real * 100)
    summary = revisions.track_record_summary(record)
    assert ((summary["cobertura_pct"] >= 0) & (summary["cobertura_pct"] <= 100)).all()


def test_the_track_record_leaves_out_the_products_an_edition_did_not_project(data_with_c2):
    """Nothing executed and no earlier year: no projection, so no error and no interval to score."""
    full = _synthetic_c3(load_poa(data_with_c2))
    record = revisions.track_record(full, 2024)
    c1 = full[(full["anio"] == 2024) & (full["cuatrimestre"] == 1)]
    executed = set(c1.loc[c1["ejecutado"] > 0, "producto"])
    assert len(executed) == 31
    assert set(record.loc[record["edicion"] == "2024-c1", "producto"]) == executed
    assert revisions.track_record_summary(record)["productos"].tolist() == [31, 31]
    assert record["proyeccion"].notna().all()


def test_projection_tables_already_known_are_reused_and_new_ones_recorded(data_with_c2):
    poa = load_poa(data_with_c2)
    known = {}
    changes = revisions.changes_since_previous(poa, 2024, 2, known=known)
    assert set(known) == {(2024, 1), (2024, 2)}
    pd.testing.assert_frame_equal(changes, revisions.changes_since_previous(poa, 2024, 2))
    marker = known[(2024, 2)].assign(proyeccion=1.0)
    again = revisions.changes_since_previous(poa, 2024, 2, known={**known, (2024, 2): marker})
    assert (again["proyeccion"] == 1).all()
