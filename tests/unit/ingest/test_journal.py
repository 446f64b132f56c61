"""The journal writes the POA table and the catalogue as one transaction (pei_analysis.ingest.journal).

The report imported is SIMULATED (tests/unit/ingest/simulated_reports.py): the real extract as a 2023
report with one product the catalogue does not know, so the import writes the POA table and two
catalogue tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pei_analysis.errors import DataError
from pei_analysis.files import atomic_write_text
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_writing import undo_last_import
from pei_analysis.ingest.importer import import_file
from pei_analysis.tables.catalogue import PRODUCTS_CSV, YEARS_CSV, load_catalogue
from pei_analysis.tables.poa import POA_CSV
from tests.conftest import snapshot
from tests.unit.ingest import simulated_reports as sim


def data_files(folder: Path) -> dict[str, bytes]:
    """The files of data/ without the journal: what git versions and editions read."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(journal.JOURNAL_DIR)}


@pytest.fixture
def new_product_report(tmp_path: Path) -> Path:
    text = sim.rename(sim.report_of_year(2023), 36, "COVID-19", "dengue")
    return sim.write(tmp_path, "simulado_2023.txt", text)


def _import(report: Path, data: Path):
    return import_file(report, anio=2023, cuatrimestre=1, accept_new_products=True, data_dir=data)


def test_an_import_that_adds_a_product_writes_the_table_and_both_catalogue_tables(
    data_copy, new_product_report
):
    before = data_files(data_copy)
    _import(new_product_report, data_copy)
    changed = {name for name, data in data_files(data_copy).items() if before.get(name) != data}
    assert changed == {
        str(POA_CSV),
        str(PRODUCTS_CSV),
        str(YEARS_CSV),
        "raw/poa_2023_c1_sicoin_ejecucion_fisica.txt",
    }


def test_a_failure_writing_the_last_catalogue_table_leaves_every_file_byte_identical(
    data_copy, new_product_report, monkeypatch
):
    before = data_files(data_copy)

    def fail_on_the_years_table(path, text):
        if Path(path).name == YEARS_CSV.name:
            raise OSError(28, "No space left on device")
        atomic_write_text(path, text)

    monkeypatch.setattr(journal, "atomic_write_text", fail_on_the_years_table)
    with pytest.raises(DataError, match="no queda espacio en el disco: no se importó nada"):
        _import(new_product_report, data_copy)
    assert data_files(data_copy) == before
    assert not (data_copy / journal.JOURNAL_DIR / journal.PENDING).exists()


def test_a_run_killed_between_the_tables_is_rolled_back_by_the_next_recovery(data_copy):
    before = data_files(data_copy)
    poa = (data_copy / POA_CSV).read_text(encoding="utf-8")
    tables = [
        (POA_CSV, poa + "\n"),
        (PRODUCTS_CSV, "cambiado\n"),
        (YEARS_CSV, "también\n"),
        (Path("catalogo") / "nueva.csv", "nueva\n"),
    ]
    journal.begin(data_copy, [[2023, 1]], ["x.txt"], [], tables)
    for path, text in tables[:2]:
        journal.write_table(data_copy, text, path)  # the process dies after these two
    notes = journal.recover(data_copy)
    assert data_files(data_copy) == before
    assert len(notes) == 1 and "se deshizo" in notes[0]


def test_undo_restores_the_catalogue_with_the_table(data_copy, new_product_report):
    before = data_files(data_copy)
    _import(new_product_report, data_copy)
    undo_last_import(data_copy)
    assert data_files(data_copy) == before
    assert "94-01-SN-2" not in set(load_catalogue(data_copy).productos["clave"])


def test_undo_is_refused_when_the_catalogue_was_edited_after_the_import(data_copy, new_product_report):
    _import(new_product_report, data_copy)
    path = data_copy / PRODUCTS_CSV
    path.write_text(
        path.read_text(encoding="utf-8").replace(",,,Agregado", ",dosis,,Agregado"), encoding="utf-8"
    )
    after = data_files(data_copy)
    with pytest.raises(
        DataError, match=re.escape("la tabla catalogo/productos.csv cambió después de la última importación")
    ):
        undo_last_import(data_copy)
    assert data_files(data_copy) == after
