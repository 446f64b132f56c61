"""The data log (data/README.md): its column lists are the schemas', and say so again after any edit."""

from __future__ import annotations

from pathlib import Path

from pei_analysis.cli.data_log import main
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.datalog import README, column_table, documented_schemas, render_readme
from pei_analysis.tables.datapackage import PACKAGE_FILE
from pei_analysis.tables.schema_files import load_schema


def _schema_files() -> set[str]:
    return {str(p.relative_to(DATA_DIR)) for p in DATA_DIR.rglob("*.schema.yaml") if "raw" not in p.parts}


def test_the_readme_column_lists_are_exactly_what_the_schemas_generate():
    text = (DATA_DIR / README).read_text(encoding="utf-8")
    assert render_readme(text) == text, "ejecute: make registro-datos"


def test_every_schema_in_data_has_its_generated_block_in_the_readme():
    text = (DATA_DIR / README).read_text(encoding="utf-8")
    assert documented_schemas(text) == _schema_files()


def test_the_poa_column_list_names_every_column_including_cifras_origen():
    table = column_table(load_schema(DATA_DIR / "poa" / "poa_ejecucion.schema.yaml"))
    assert "| `cifras_origen` | texto |" in table
    assert "uno de: `periodo`, `acumulado`" in table


def test_a_readme_that_drifted_from_a_schema_is_reported_and_rewritten(tmp_path: Path, capsys):
    data = tmp_path / "data"
    for relative in _schema_files() | {README, PACKAGE_FILE}:
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        (data / relative).write_bytes((DATA_DIR / relative).read_bytes())
    readme = data / README
    good = readme.read_text(encoding="utf-8")
    readme.write_text(good.replace("| `cifras_origen` |", "| `cifras` |", 1), encoding="utf-8")
    assert main(["--datos", str(data)]) == 1
    assert (
        capsys.readouterr().err == f"{readme}: no coincide con los esquemas; ejecute make registro-datos.\n"
    )
    assert main(["--datos", str(data), "--escribir"]) == 0
    assert readme.read_text(encoding="utf-8") == good
    assert main(["--datos", str(data)]) == 0


def test_the_readme_header_states_the_licence_of_the_data_package_and_the_igss_originals():
    text = (DATA_DIR / README).read_text(encoding="utf-8")
    header = text[: text.index("## Principios")]
    assert "<!-- licencia -->" in header and "CC-BY-4.0" in header and "no se relicencian" in header
