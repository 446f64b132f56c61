"""The comparison between editions (pei_analysis.model.revisions); fingerprints and the archive are in
tests/unit/publish/test_archive.py."""

from __future__ import annotations

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.model import revisions


def _synthetic_c3(poa: pd.DataFrame) -> pd.DataFrame:
    c3 = poa[poa["cuatrimestre"] == 2].assign(cuatrimestre=3)
    return pd.concat([poa, c3], ignore_index=True)


def test_the_first_edition_of_a_year_has_nothing_to_compare_with():
    assert revisions.changes_since_previous(load_poa(), 2024, 1) is None
    assert "primera edición de 2024" in revisions.changes_markdown(None, 2024, 1)


def test_changes_compare_each_products_projection_and_status_with_the_previous_edition(data_with_c2):
    poa = load_poa(data_with_c2)
    changes = revisions.changes_since_previous(poa, 2024, 2)
    assert len(changes) == 36
    product = changes.set_index("producto").loc[4]
    assert product["revision_pct"] == pytest.approx(
        (product["proyeccion"] - product["proyeccion_anterior"]) / product["proyeccion_anterior"] * 100)
    assert changes["cambio_estado"].equals(changes["estado"] != changes["estado_anterior"])
    text = revisions.changes_markdown(changes, 2024, 2)
    assert f"{int(changes['cambio_estado'].sum())} de 36 productos cambiaron de estado" in text


def test_the_track_record_waits_for_a_complete_year_then_compares_each_edition_with_the_real_total(data_with_c2):
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
    assert summary["productos"].tolist() == [36, 36]
    assert ((summary["cobertura_pct"] >= 0) & (summary["cobertura_pct"] <= 100)).all()
