"""Edition fingerprints and the archive index (no book build here); the comparison between editions is
tests/unit/model/test_revisions.py and tests/unit/chapters/test_cambios.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pei_analysis.ingest.importer import import_file
from pei_analysis.publish.archive import fingerprint, list_editions, write_index

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def data_with_c2(data_copy):
    import_file(FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy)
    return data_copy


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
