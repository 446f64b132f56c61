"""Edition fingerprints, the archive index and the comparison between editions (no book build here)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.ingest.importer import import_file
from pei_analysis.model import revisions
from pei_analysis.publish.archive import fingerprint, list_editions, write_index

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def data_with_c2(data_copy):
    import_file(FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy)
    return data_copy


def _synthetic_c3(poa: pd.DataFrame) -> pd.DataFrame:
    c3 = poa[poa["cuatrimestre"] == 2].assign(cuatrimestre=3)
    return pd.concat([poa, c3], ignore_index=True)


def test_an_editions_fingerprint_ignores_data_of_later_periods(data_copy, data_with_c2):
    assert fingerprint(2024, 1, {}, data_with_c2)["huella"] == fingerprint(2024, 1, {}, data_copy)["huella"]


def test_an_editions_fingerprint_changes_with_its_parameters_and_its_data(data_copy, data_with_c2):
    base = fingerprint(2024, 1, {"nivel": 0.8}, data_copy)
    assert fingerprint(2024, 1, {"nivel": 0.9}, data_copy)["huella"] != base["huella"]
    assert fingerprint(2024, 2, {"nivel": 0.8}, data_with_c2)["datos"] != base["datos"]


def test_the_index_lists_editions_newest_first_and_escapes_nothing_it_should_not(tmp_path):
    for anio, c in ((2024, 1), (2024, 2), (2023, 3)):
        folder = tmp_path / f"{anio}-c{c}"
        folder.mkdir()
        record = {"edicion": folder.name, "anio": anio, "cuatrimestre": c, "huella": "ab" * 32,
                  "datos_al": "2024-04-30", "construida": "2024-05-15"}
        (folder / "edicion.json").write_text(json.dumps(record), encoding="utf-8")
    write_index(tmp_path)
    assert [e["edicion"] for e in list_editions(tmp_path)] == ["2024-c2", "2024-c1", "2023-c3"]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert page.index("2024-c2/") < page.index("2024-c1/") < page.index("2023-c3/")
    assert 'lang="es"' in page and "http" not in page
    assert "2024-c2/index.html" in (tmp_path / "latest" / "index.html").read_text(encoding="utf-8")


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
