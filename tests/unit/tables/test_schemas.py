"""Every table in data/ has its schema beside it, the schemas accept the shipped data, and a bad value in a
hand-edited file is refused naming the file, the line and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pei_analysis.errors import DataError
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.datapackage import PACKAGE_FILE
from pei_analysis.tables.linkage import LINKAGE_CSV, linkage_schema, load_linkage
from pei_analysis.tables.observations import observations_schema
from pei_analysis.tables.pei import PEI_YAML, load_pei, pei_schemas
from pei_analysis.tables.poa import POA_CSV, poa_schema
from pei_analysis.tables.schema_files import load_schemas

TABLE_SUFFIXES = {".csv", ".yaml", ".yml", ".json", ".parquet", ".xlsx", ".tsv"}


def _tables_in_data() -> list[Path]:
    """Every data file under data/ except the immutable originals in raw/ and the schemas themselves (and
    datapackage.json, which is not a table but their description, generated from the schemas)."""
    return sorted(
        p
        for p in DATA_DIR.rglob("*")
        if p.is_file()
        and "raw" not in p.relative_to(DATA_DIR).parts
        and p.suffix in TABLE_SUFFIXES
        and not p.name.endswith(".schema.yaml")
        and p.name != PACKAGE_FILE
    )


def test_data_holds_the_four_tables_outside_raw():
    names = {str(p.relative_to(DATA_DIR)) for p in _tables_in_data()}
    assert {str(POA_CSV), str(PEI_YAML), str(LINKAGE_CSV), "pei/observaciones_indicadores.csv"} <= names


@pytest.mark.parametrize("table", _tables_in_data(), ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_every_table_in_data_has_a_schema_beside_it(table: Path):
    schema = table.with_name(table.name.rsplit(".", 1)[0] + ".schema.yaml")
    assert schema.is_file(), f"falta {schema.relative_to(DATA_DIR)}"
    assert load_schemas(schema)


def test_the_schemas_describe_the_columns_the_loaders_return():
    pei = load_pei()
    for name, schema in pei_schemas().items():
        assert list(pei[name].columns) == schema.column_names, name
    assert linkage_schema().column_names == list(load_linkage(pei=pei).columns)
    assert poa_schema().column_names[:2] == ["anio", "cuatrimestre"]
    assert observations_schema().column_names[0] == "meta_id"


def test_the_shipped_pei_tables_and_links_pass_their_schemas():
    pei = load_pei()
    references = {"objetivos.objetivo_id": set(pei.objetivos["objetivo_id"])}
    for name, schema in pei_schemas().items():
        assert schema.check(pei[name], references) is None, name
    links = load_linkage(pei=pei)
    assert linkage_schema().check(links) is None


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("raw"))
    return data


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first *old* in *path*; return the (1-based) line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_an_unknown_product_key_in_the_links_csv_is_refused_with_file_line_and_field(tmp_path):
    data = _copy(tmp_path)
    line = _replace(data / LINKAGE_CSV, "\n11-02-ENF-3,O3,O3-E1,,", "\n-5,O3,O3-E1,,") + 1
    with pytest.raises(DataError) as err:
        load_linkage(data)
    assert (err.value.path.name, err.value.line, err.value.field) == ("poa_pei.csv", line, "clave")
    assert str(err.value).startswith(
        f"poa_pei.csv, línea {line}, campo «clave»: la clave «-5» no está en el catálogo"
    )


def test_an_unknown_strategy_in_the_links_csv_is_refused_with_file_line_and_field(tmp_path):
    data = _copy(tmp_path)
    line = _replace(data / LINKAGE_CSV, "\n11-02-ENF-3,O3,O3-E1,,", "\n11-02-ENF-3,O3,O3-E9,,") + 1
    with pytest.raises(
        DataError, match=rf"poa_pei\.csv, línea {line}, campo «estrategia_id»: la estrategia «O3-E9»"
    ):
        load_linkage(data)


def test_a_target_year_out_of_range_in_the_pei_yaml_is_refused_with_file_line_and_field(tmp_path):
    data = _copy(tmp_path)
    line = _replace(data / PEI_YAML, "meta_anio: 2022", "meta_anio: 2222")
    with pytest.raises(DataError) as err:
        load_pei(data)
    assert (err.value.path.name, err.value.line) == ("pei_2018_2022.yaml", line)
    assert err.value.field == "objetivos[0].estrategias[0].metas[0].indicador.meta_anio"
    assert "O1-E1-M1: año 2222 fuera de rango; se esperaba entre 1900 y 2100." in str(err.value)


def test_a_malformed_id_in_the_pei_yaml_is_refused_with_file_line_and_field(tmp_path):
    data = _copy(tmp_path)
    line = _replace(data / PEI_YAML, "- id: O2-E2-M1\n", "- id: O2-E2-X1\n")
    with pytest.raises(DataError) as err:
        load_pei(data)
    assert (err.value.line, err.value.field) == (line, "objetivos[1].estrategias[1].metas[0].id")
    assert "el id de meta «O2-E2-X1» no tiene el formato esperado" in str(err.value)


def test_a_source_line_below_one_in_the_pei_yaml_is_refused(tmp_path):
    data = _copy(tmp_path)
    line = _replace(data / PEI_YAML, "linea_fuente: ", "linea_fuente: 0  # ")
    with pytest.raises(DataError, match=r"valor «0» no permitido: debe ser ≥ 1") as err:
        load_pei(data)
    assert err.value.line == line
