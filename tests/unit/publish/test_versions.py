"""The earlier versions of an edition: read from what it published, kept beside it, listed under it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pei_analysis.publish import versions
from pei_analysis.publish.site_index import earlier_versions, write_index
from tests.conftest import snapshot

CODES = ("datos", "codigo", "parametros", "paquetes", "candado")


def publish(folder: Path, construida="2026-11-30", huella="c" * 64, ejecutado=100, datos=None) -> dict:
    """A minimal published edition: its record and the two downloads a correction compares."""
    (folder / "descargas").mkdir(parents=True)
    record = {
        "edicion": "2024-c1",
        "anio": 2024,
        "cuatrimestre": 1,
        "construida": construida,
        "datos_al": "2024-04-30",
        "huella": huella,
        "codigo": "x",
        "datos": datos or {"raw/poa_2024_c1_sicoin_ejecucion_fisica.txt": "1", "poa/poa_ejecucion.csv": "2"},
    }
    (folder / "edicion.json").write_text(json.dumps(record), encoding="utf-8")
    cifras = {"anio": [2024], "cuatrimestre": [1], "producto": [1], "clave": ["K-1"], "programado": [300]}
    pd.DataFrame({**cifras, "ejecutado": [ejecutado]}).to_csv(
        folder / "descargas" / "poa_ejecucion.csv", index=False, encoding="utf-8-sig"
    )
    pd.DataFrame(
        {
            "producto": [1],
            "clave": ["K-1"],
            "proyeccion": [3.0 * ejecutado],
            "limite_inferior": [2.7 * ejecutado],
            "limite_superior": [3.3 * ejecutado],
            "estado": ["satisfactorio"],
        }
    ).to_csv(folder / "descargas" / "proyeccion_y_semaforo.csv", index=False, encoding="utf-8-sig")
    (folder / "index.html").write_text("<p>versión publicada</p>", encoding="utf-8")
    return record


def new_parts(**datos) -> dict:
    base = {"raw/poa_2024_c1_sicoin_ejecucion_fisica.txt": "1", "poa/poa_ejecucion.csv": "3"}
    return {"datos": {**base, **datos}, "codigo": "y", "huella": "d" * 64}


def test_the_published_version_says_which_inputs_changed_and_which_reports_were_added_or_replaced(tmp_path):
    record = publish(tmp_path / "2024-c1")
    parts = new_parts(
        **{
            "raw/poa_2023_c3_sicoin_ejecucion_fisica.txt": "4",
            "raw/poa_2022_anual_plantilla.csv": "5",
            "raw/poa_2024_c1_sicoin_ejecucion_fisica_0a1b2c3d.txt": "6",
        }
    )
    version = versions.published_version(tmp_path / "2024-c1", record, parts, CODES)
    assert version.carpeta == "2024-c1_version_2026-11-30"
    assert version.cambios == ("datos", "codigo")
    assert version.periodos_agregados == ((2022, None), (2023, 3))
    assert version.periodos_reemplazados == ((2024, 1),)
    assert version.cifras["ejecutado"].tolist() == [100]


def test_an_edition_without_readable_downloads_or_record_has_no_version_to_compare(tmp_path):
    record = publish(tmp_path / "2024-c1")
    assert versions.published_version(tmp_path / "2024-c1", None, new_parts(), CODES) is None
    (tmp_path / "2024-c1" / "descargas" / "proyeccion_y_semaforo.csv").write_text("producto\n1\n")
    assert versions.published_version(tmp_path / "2024-c1", record, new_parts(), CODES) is None


def test_the_version_is_kept_byte_for_byte_beside_the_edition_once(tmp_path):
    publish(tmp_path / "2024-c1")
    before = snapshot(tmp_path / "2024-c1")
    versions.keep_version(tmp_path / "2024-c1", "2024-c1_version_2026-11-30")
    versions.keep_version(tmp_path / "2024-c1", "2024-c1_version_2026-11-30")
    assert snapshot(tmp_path / "2024-c1_version_2026-11-30") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-c1", "2024-c1_version_2026-11-30"]


def test_a_second_version_built_the_same_day_gets_the_start_of_its_fingerprint(tmp_path):
    publish(tmp_path / "2024-c1_version_2026-11-30", huella="e" * 64)
    record = publish(tmp_path / "2024-c1")
    assert versions.version_folder(tmp_path / "2024-c1", record) == f"2024-c1_version_2026-11-30_{'c' * 8}"


def test_only_other_figures_make_the_archive_keep_the_published_version(tmp_path):
    record = publish(tmp_path / "2024-c1")
    previous = versions.published_version(tmp_path / "2024-c1", record, new_parts(), CODES)
    publish(tmp_path / "igual")
    publish(tmp_path / "otra", ejecutado=110)
    assert not versions.corrects(previous, tmp_path / "igual", record)
    assert versions.corrects(previous, tmp_path / "otra", record)
    assert not versions.corrects(None, tmp_path / "otra", record)


def test_the_newest_kept_version_is_compared_too_so_a_corrected_edition_keeps_saying_so(tmp_path):
    record = publish(tmp_path / "2024-c1", construida="2026-12-02", ejecutado=110)
    kept = publish(tmp_path / "2024-c1_version_2026-11-30")
    current, newest = versions.versions_to_compare(
        tmp_path / "2024-c1", record, earlier_versions(tmp_path, "2024-c1"), new_parts(), CODES
    )
    assert current.carpeta == "2024-c1_version_2026-12-02"
    assert newest.carpeta == "2024-c1_version_2026-11-30" and newest.construida == kept["construida"]


def test_the_list_of_editions_names_the_kept_versions_under_their_edition_and_not_as_editions(tmp_path):
    publish(tmp_path / "2024-c1", construida="2026-12-02")
    publish(tmp_path / "2024-c1_version_2026-11-30")
    other = publish(tmp_path / "2024-c1_version_2026-11-15", construida="2026-11-15")
    other["edicion"] = "2024-c2"  # a folder whose record is another edition's is not a version of this one
    (tmp_path / "2024-c1_version_2026-11-15" / "edicion.json").write_text(json.dumps(other))
    assert [r["carpeta"] for r in earlier_versions(tmp_path, "2024-c1")] == ["2024-c1_version_2026-11-30"]
    write_index(tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('href="2024-c1/index.html"') == 1
    assert (
        'Versión anterior, con otras cifras: <a href="2024-c1_version_2026-11-30/index.html">construida el '
        "30 de noviembre de 2026</a>." in index
    )
