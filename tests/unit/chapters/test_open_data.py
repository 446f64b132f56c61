"""The data package of an edition's downloads: valid for frictionless, with the dictionary's meanings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from pei_analysis.chapters import datos, downloads, open_data
from pei_analysis.chapters.citar import EditionStamp
from pei_analysis.tables.datapackage import CONTENT_LICENSE

STAMP = EditionStamp(2024, 1, dt.date(2024, 5, 15), "0.1.0", "ab" * 32)
YES_NO = {"type": "string", "constraints": {"enum": ["sí", "no"]}}


def _package(dataset, folder: Path) -> Path:
    """Write the Datos chapter's CSVs as the notebook does, and their package beside them."""
    tables = datos.exports(dataset)
    downloads.export_tables(tables, folder)
    package = open_data.edition_package(tables, datos.column_meanings(dataset), STAMP, dataset.sources)
    return open_data.write_edition_package(folder, package)


def _errors(report: frictionless.Report) -> list[tuple]:
    columns = ["rowNumber", "fieldName", "type"]
    return [(task.name, *error) for task in report.tasks for error in task.flatten(columns)]


def test_the_downloads_of_the_shipped_edition_are_a_valid_data_package(shipped, tmp_path: Path):
    report = frictionless.validate(_package(shipped, tmp_path))
    assert report.valid, _errors(report)
    assert {task.name for task in report.tasks} == {n.replace("_", "-") for n in datos.exports(shipped)}


def test_the_downloads_of_an_edition_with_simulated_history_are_a_valid_data_package(with_history, tmp_path):
    report = frictionless.validate(_package(with_history, tmp_path))
    assert report.valid, _errors(report)
    assert "historia-por-producto" in {task.name for task in report.tasks}


def test_every_field_has_the_meaning_the_column_dictionary_shows(shipped, tmp_path: Path):
    package = open_data.edition_package(datos.exports(shipped), datos.column_meanings(shipped), STAMP)
    dictionary = downloads.column_dictionary(datos.exports(shipped), datos.column_meanings(shipped))
    meanings = dict(zip(dictionary["columna"], dictionary["descripcion"], strict=True))
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description", "") == meanings[field["name"]], (resource["name"], field["name"])


def test_the_package_names_the_licence_the_edition_and_each_igss_original_with_its_hash(shipped):
    package = open_data.edition_package(datos.exports(shipped), {}, STAMP, shipped.sources)
    assert package["licenses"] == [CONTENT_LICENSE]
    assert package["edicion"] == "2024-c1" and package["datos_al"] == "2024-04-30"
    assert package["huella"] == STAMP.huella
    assert "no se relicencian" in package["description"]
    titles = " ".join(source["title"] for source in package["sources"])
    for original in shipped.sources.itertuples():
        assert original.archivo in titles and original.sha256 in titles


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pd.Series([1, 2], name="c"), {"type": "integer"}),
        (pd.Series([1, None], dtype="Int64", name="c"), {"type": "integer"}),
        (pd.Series([1.5, float("inf")], name="c"), {"type": "number"}),
        (pd.Series([True, False], name="c"), YES_NO),
        (pd.Series([True, None], dtype=object, name="c"), YES_NO),
        (pd.Series(["sí", "tal vez"], name="c"), {"type": "string"}),
        (pd.Series(pd.to_datetime(["2017-12-31", None]), name="c"), {"type": "date"}),
    ],
)
def test_a_column_gets_the_type_of_what_the_csv_writes(values: pd.Series, expected: dict):
    assert open_data.field_type(values) == expected


def test_a_csv_that_does_not_match_its_package_is_invalid(shipped, tmp_path: Path):
    path = _package(shipped, tmp_path)
    csv = tmp_path / "proyeccion_y_semaforo.csv"
    table = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.loc[0, "proyeccion"] = "mucho"
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    assert ("proyeccion-y-semaforo", 2, "proyeccion", "type-error") in _errors(frictionless.validate(path))
