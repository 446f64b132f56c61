"""data/datapackage.json: the Frictionless description of data/, generated from the schemas and valid."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from pei_analysis.cli.data_log import main
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.datapackage import (
    CONTENT_LICENSE,
    PACKAGE_FILE,
    data_package,
    field,
    package_json,
)


def _resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def _errors(report: frictionless.Report) -> list[tuple]:
    """Each error as (resource, row, field, type), the row counted as frictionless does (header = 1)."""
    return [
        (task.name, *error)
        for task in report.tasks
        for error in task.flatten(["rowNumber", "fieldName", "type"])
    ]


def _write_package(data: Path) -> Path:
    path = data / PACKAGE_FILE
    path.write_text(package_json(data_package(data)), encoding="utf-8")
    return path


def test_the_committed_data_package_is_exactly_what_the_schemas_generate():
    committed = (DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8")
    assert committed == package_json(data_package()), "ejecute: make registro-datos"


def test_the_shipped_data_are_a_valid_data_package_for_frictionless():
    report = frictionless.validate(DATA_DIR / PACKAGE_FILE)
    assert report.valid, _errors(report)
    assert {task.name for task in report.tasks} == {r["name"] for r in data_package()["resources"]}


def test_every_table_file_in_data_is_a_resource_of_the_package():
    tables = {
        p.relative_to(DATA_DIR).as_posix()
        for p in DATA_DIR.rglob("*")
        if p.suffix in (".csv", ".yaml")
        and not p.name.endswith(".schema.yaml")
        and "raw" not in p.relative_to(DATA_DIR).parts
    }
    assert {r["path"] for r in data_package()["resources"]} == tables


def test_schema_types_and_rules_become_their_table_schema_counterparts():
    entero = field(
        {"nombre": "anio", "tipo": "entero", "descripcion": "Año.", "minimo": 2018, "maximo": 2100}
    )
    assert entero == {
        "name": "anio",
        "type": "integer",
        "description": "Año.",
        "constraints": {"required": True, "minimum": 2018, "maximum": 2100},
    }
    texto = field({"nombre": "sigla", "tipo": "texto", "patron": "^[A-Z]{2,6}$", "nulo": True})
    assert texto == {"name": "sigla", "type": "string", "constraints": {"pattern": "^[A-Z]{2,6}$"}}
    lista = field({"nombre": "unidad", "tipo": "texto", "valores": ["producción", "pagos"], "unidad": "—"})
    assert lista["constraints"] == {"required": True, "enum": ["producción", "pagos"]}
    assert lista["unidad"] == "—"
    assert field({"nombre": "pct", "tipo": "decimal", "nulo": True})["type"] == "number"


def test_the_unique_key_becomes_the_primary_key_and_a_catalogue_reference_a_foreign_key():
    package = data_package()
    poa = _resource(package, "poa-ejecucion")["schema"]
    assert poa["primaryKey"] == ["anio", "cuatrimestre", "producto"]
    assert poa["foreignKeys"] == [
        {"fields": ["clave"], "reference": {"resource": "productos", "fields": ["clave"]}}
    ]
    links = _resource(package, "poa-pei")["schema"]
    # objetivo_id, estrategia_id and meta_id refer to tables inside the PEI's YAML, not to resources
    assert [key["fields"] for key in links["foreignKeys"]] == [["clave"]]


def test_the_pei_document_is_a_file_resource_that_names_its_tables():
    pei = _resource(data_package(), "pei-2018-2022")
    assert pei["path"] == "pei/pei_2018_2022.yaml" and "schema" not in pei
    for table in ("objetivos", "estrategias", "metas", "indicadores"):
        assert f"«{table}»" in pei["description"]


def test_the_package_states_the_content_licence_and_that_the_igss_originals_are_not_relicensed():
    package = data_package()
    assert package["licenses"] == [CONTENT_LICENSE] and CONTENT_LICENSE["name"] == "CC-BY-4.0"
    assert "no se relicencian" in package["description"]
    assert all(r["sources"] for r in package["resources"])
    assert any("SICOIN" in s["title"] for s in _resource(package, "poa-ejecucion")["sources"])


def test_an_execution_below_zero_in_a_copy_of_the_data_makes_the_package_invalid(data_copy: Path):
    table = pd.read_csv(data_copy / "poa" / "poa_ejecucion.csv", dtype=str, keep_default_na=False)
    table.loc[0, "ejecutado"] = "-5"
    table.to_csv(data_copy / "poa" / "poa_ejecucion.csv", index=False)
    report = frictionless.validate(_write_package(data_copy))
    assert not report.valid
    assert ("poa-ejecucion", 2, "ejecutado", "constraint-error") in _errors(report)


def test_a_product_key_missing_from_the_catalogue_breaks_the_foreign_key(data_copy: Path):
    table = pd.read_csv(data_copy / "poa" / "poa_ejecucion.csv", dtype=str, keep_default_na=False)
    table.loc[3, "clave"] = "99-99-XX-1"
    table.to_csv(data_copy / "poa" / "poa_ejecucion.csv", index=False)
    report = frictionless.validate(_write_package(data_copy))
    assert [(e[0], e[1], e[3]) for e in _errors(report)] == [("poa-ejecucion", 5, "foreign-key")]


def test_an_import_adds_rows_without_making_the_committed_package_stale_or_invalid(data_with_c2: Path):
    assert package_json(data_package(data_with_c2)) == (DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8")
    report = frictionless.validate(data_with_c2 / PACKAGE_FILE)
    assert report.valid, _errors(report)


def test_a_stale_package_is_reported_and_rewritten(data_copy: Path, capsys: pytest.CaptureFixture):
    path = data_copy / PACKAGE_FILE
    good = path.read_text(encoding="utf-8")
    stale = json.loads(good)
    stale["resources"].pop()
    path.write_text(json.dumps(stale), encoding="utf-8")
    assert main(["--datos", str(data_copy)]) == 1
    assert "make registro-datos" in capsys.readouterr().err
    assert main(["--datos", str(data_copy), "--escribir"]) == 0
    assert path.read_text(encoding="utf-8") == good
    assert main(["--datos", str(data_copy)]) == 0
