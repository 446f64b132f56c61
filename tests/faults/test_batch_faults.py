"""A batch of past reports is one transaction: a kill or a full disk at any point leaves all of it or none.

The batch is ten SIMULATED reports (tests/simulated_reports.py): a year known only by its total
(2020) and three years by cuatrimestre (2021-2023), so it writes ten originals and two tables. Kills
happen in real subprocesses of the command line, as in test_import_faults.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_writing import undo_last_import
from pei_analysis.ingest.importer import import_files
from pei_analysis.ingest.validation import validate_all
from pei_analysis.tables.poa import load_poa, load_poa_annual, periods
from tests.conftest import snapshot
from tests.faults.test_import_faults import data_files, full_disk, leftovers, run  # noqa: F401 (full_disk: fixture)
from tests.simulated_reports import nine_reports, write_report


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "reportes"
    return [write_report(folder, "poa_2020_anual.txt", 2020, None), *nine_reports(folder)]


def importar(files: list[Path]) -> tuple[str, ...]:
    return ("importar", *map(str, reversed(files)), "--cifras", "periodo")


@pytest.fixture
def imported(data_copy: Path, batch: list[Path], tmp_path: Path) -> Path:
    """What data/ must be after the batch without any fault (the journal left out)."""
    reference = tmp_path / "referencia"
    reference.mkdir()
    for path in data_copy.rglob("*"):
        if path.is_file():
            (reference / path.relative_to(data_copy)).parent.mkdir(parents=True, exist_ok=True)
            (reference / path.relative_to(data_copy)).write_bytes(path.read_bytes())
    import_files(batch, cifras="periodo", data_dir=reference)
    return reference


KILLED_BEFORE_COMMIT = [
    "pei_analysis.ingest.journal:begin@despues",
    "pei_analysis.ingest.journal:copy_original@despues~poa_2022_c1",
    "pei_analysis.ingest.journal:write_table@despues~poa_ejecucion",
    "pei_analysis.ingest.journal:write_table@despues~poa_anual",
    "pei_analysis.ingest.journal:commit@antes",
]
IDS = [
    "diario-escrito",
    "quinto-original-copiado",
    "tabla-del-poa-escrita-falta-la-anual",
    "ambas-tablas-escritas",
    "antes-de-confirmar",
]


@pytest.mark.parametrize("spec", KILLED_BEFORE_COMMIT, ids=IDS)
def test_a_batch_killed_before_its_commit_is_rolled_back_whole_by_the_next_command(data_copy, batch, spec):
    before = data_files(data_copy)
    killed = run(spec, data_copy, *importar(batch))
    assert killed.returncode == -9, killed.stderr
    assert journal.interrupted(data_copy)

    report = validate_all(data_copy)
    assert any(
        "la importación de 10 archivos (2020, total anual a 2023, cuatrimestre 3" in note
        and "Vuelva a importar los archivos" in note
        for note in report.avisos
    ), report.avisos
    assert data_files(data_copy) == before and leftovers(data_copy) == []
    with pytest.raises(DataError, match="no hay ninguna importación que deshacer"):
        undo_last_import(data_copy)


def test_a_batch_killed_after_its_commit_is_complete_and_deshacer_undoes_all_of_it(
    data_copy, batch, imported
):
    before = data_files(data_copy)
    assert run("pei_analysis.ingest.journal:commit@despues", data_copy, *importar(batch)).returncode == -9
    assert validate_all(data_copy).avisos == []
    assert data_files(data_copy) == data_files(imported)
    assert len(load_poa_annual(data_copy)) == 36 and len(periods(load_poa(data_copy))) == 10
    record = undo_last_import(data_copy)
    assert len(record["originales_agregados"]) == 10
    assert data_files(data_copy) == before


def test_the_next_import_recovers_a_killed_batch_and_then_imports_it(data_copy, batch, imported):
    assert (
        run(
            "pei_analysis.ingest.journal:write_table@despues~poa_ejecucion", data_copy, *importar(batch)
        ).returncode
        == -9
    )
    result = import_files(batch, cifras="periodo", data_dir=data_copy)
    assert len(result.avisos) == 1 and "se interrumpió antes de terminar y se deshizo" in result.avisos[0]
    assert data_files(data_copy) == data_files(imported)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell which file is written")
@pytest.mark.parametrize("folder", [journal.JOURNAL_DIR, "raw", "poa"], ids=["diario", "original", "tabla"])
def test_a_full_disk_during_a_batch_imports_no_file_and_says_so(data_copy, batch, folder, capsys, request):
    before = snapshot(data_copy)
    request.getfixturevalue("full_disk")(folder)
    assert main(["--datos", str(data_copy), *importar(batch)]) == 2
    err = capsys.readouterr().err
    assert "no queda espacio en el disco: no se importó nada." in err and "Traceback" not in err
    assert snapshot(data_copy) == before and leftovers(data_copy) == []


def test_deshacer_still_undoes_the_record_of_the_one_table_version_of_the_journal(data_copy, tmp_path):
    """A record written before batches (one table: tabla_antes, tabla_despues, tabla_anterior) is undone as
    before."""
    import json

    before = data_files(data_copy)
    import_files([write_report(tmp_path, "poa_2023_c1.txt", 2023, 1)], data_dir=data_copy)
    folder = data_copy / journal.JOURNAL_DIR
    entry = json.loads((folder / journal.RECORD).read_text(encoding="utf-8"))
    tables = entry.pop("tablas")
    (table,) = [t for t in tables if t["ruta"] == "poa/poa_ejecucion.csv"]
    for other in tables:  # the one-table version wrote no other table: put them back as they were
        if other is not table:
            (data_copy / other["ruta"]).write_bytes(before[other["ruta"]])
    for key in ("periodos", "archivos"):
        entry.pop(key)
    entry.update(tabla_antes=table["antes"], tabla_despues=table["despues"], tabla_anterior=table["copia"])
    (folder / journal.RECORD).write_text(json.dumps(entry), encoding="utf-8")
    assert undo_last_import(data_copy)["periodo"] == [2023, 1]
    assert data_files(data_copy) == before
