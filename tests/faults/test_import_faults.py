"""The fault corpus of issue #18: every way an import was seen to lose or leave data, with its outcome.

Each case reproduces a failure found by fault injection on the earlier code (two imports at once, a
kill at a chosen point of an import or an undo, an undo record gone stale, a full disk) and states
what must happen now: nothing lost, nothing half written, data/ back to a committed state by the
next command, and a Spanish message rather than a traceback.

Kills happen in real subprocesses of the command line (``python -m pei_analysis``): a small runner
wraps one function so that the process sends itself SIGKILL just before or just after it, the
nearest thing to a power cut at that line. The data are DATOS DE PRUEBA (tests/fixtures/).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_writing import undo_last_import
from pei_analysis.ingest.importer import import_file
from pei_analysis.ingest.validation import validate_all
from pei_analysis.paths import DATA_DIR, REPO_DIR
from pei_analysis.tables.poa import POA_CSV, load_poa, periods
from tests.conftest import FIXTURES, snapshot
from tests.unit.ingest import simulated_reports as sim

C2 = FIXTURES / "poa_2024_c2_prueba.txt"
C3_NAME = "poa_2024_c3_sicoin_ejecucion_fisica.txt"
C2_NAME = "poa_2024_c2_sicoin_ejecucion_fisica.txt"

#: Runs the command line after wrapping one function, named ``module:attribute@when[~text]``: ``antes``
#: kills the process before the call, ``despues`` right after it returns, ``lento`` sleeps half a second
#: after it (to hold two runs inside the same window); with ``~text``, only calls whose arguments
#: mention *text*.
RUNNER = r"""
import importlib, os, signal, sys, time
spec, argv = sys.argv[1], sys.argv[2:]
if spec:
    target, _, when = spec.partition("@")
    when, _, only = when.partition("~")
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    def hooked(*args, **kwargs):
        if only and only not in repr(args):
            return real(*args, **kwargs)
        if when == "antes":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if when == "lento":
            time.sleep(0.5)
            return result
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(module, name, hooked)
from pei_analysis.cli import main
sys.exit(main(argv))
"""


def start(spec: str, data: Path, *argv: str) -> subprocess.Popen:
    """``pei-analysis --datos DATA ARGV`` in a subprocess, with the fault *spec* injected ('' for none)."""
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, spec, "--datos", str(data), *argv],
        cwd=REPO_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(spec: str, data: Path, *argv: str) -> subprocess.CompletedProcess:
    process = start(spec, data, *argv)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def importar(path: Path, cuatrimestre: int) -> tuple[str, ...]:
    return (
        "importar",
        str(path),
        "--anio",
        "2024",
        "--cuatrimestre",
        str(cuatrimestre),
        "--cifras",
        "periodo",
    )


@pytest.fixture
def c3(tmp_path: Path) -> Path:
    """A valid third cuatrimestre: the second's test figures under the third's title (DATOS DE PRUEBA)."""
    text = C2.read_text(encoding="utf-8")
    text = text.replace("SEGUNDO CUATRIMESTRE 2024", "TERCER CUATRIMESTRE 2024")
    path = tmp_path / "poa_2024_c3_prueba.txt"
    path.write_text(text.replace("Segundo Cuatrimestre", "Tercer Cuatrimestre"), encoding="utf-8")
    return path


@pytest.fixture
def with_c3(data_with_c2: Path, c3: Path, tmp_path: Path) -> Path:
    """What data/ must be after importing c3 on top of c2 without any fault (the journal left out)."""
    reference = tmp_path / "referencia"
    shutil.copytree(data_with_c2, reference)
    import_file(c3, anio=2024, cuatrimestre=3, cifras="periodo", data_dir=reference)
    return reference


def data_files(folder: Path) -> dict[str, bytes]:
    """The files of data/ without the journal: what git versions and editions read."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(journal.JOURNAL_DIR)}


def leftovers(folder: Path) -> list[str]:
    """Temporary files a killed write left (hidden files outside the journal, besides the lock)."""
    return [
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.is_file() and p.name != ".bloqueo" and journal.JOURNAL_DIR not in p.parts
    ]


def table_periods(data: Path) -> list[tuple[int, int]]:
    return periods(load_poa(data))


# --------------------------------------------------------------------------- 1. two imports at once


def test_two_imports_at_once_keep_both_periods_or_refuse_one_never_lose_one(data_copy, c3):
    """Before: both said «Importado», the table kept one period and the other's original lay unused.

    Both runs hold the table they read for half a second, so they overlap whatever the load of the
    machine: the old code lost a period every time; now the second run waits for the first's lock.
    """
    spec = "pei_analysis.ingest.importer:load_poa@lento"
    runs = {2: start(spec, data_copy, *importar(C2, 2)), 3: start(spec, data_copy, *importar(c3, 3))}
    done = {c: (p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for c, p in runs.items()}
    present = table_periods(data_copy)
    for cuatrimestre, (code, out, err) in done.items():
        assert "Traceback" not in err
        if code == 0:
            assert "Importado" in out and (2024, cuatrimestre) in present
        else:
            assert code == 2 and "No se modificó ningún archivo." in err
            assert (2024, cuatrimestre) not in present
            assert not (data_copy / "raw" / f"poa_2024_c{cuatrimestre}_sicoin_ejecucion_fisica.txt").exists()
    assert any(code == 0 for code, _, _ in done.values())
    validate_all(data_copy)  # no original left that no period uses
    assert leftovers(data_copy) == []


def test_validar_refuses_an_original_that_no_period_uses_naming_it(data_copy, c3, capsys):
    """The trace the lost period left: validar said «Datos válidos»; now it refuses, naming the file."""
    shutil.copyfile(c3, data_copy / "raw" / C3_NAME)
    before = snapshot(data_copy)
    with pytest.raises(DataError, match="ningún período de la tabla del POA usa este original") as refused:
        validate_all(data_copy)
    assert refused.value.path.name == C3_NAME and "--cuatrimestre 3" in str(refused.value)
    assert main(["--datos", str(data_copy), "validar"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {C3_NAME}: ningún período") and "Traceback" not in err
    assert snapshot(data_copy) == before


def test_an_original_replaced_with_reemplazar_stays_and_is_not_taken_for_a_lost_period(
    data_with_c2, tmp_path
):
    other = tmp_path / "c2_con_crlf.txt"
    other.write_bytes(C2.read_bytes().replace(b"\n", b"\r\n"))
    result = import_file(
        other, anio=2024, cuatrimestre=2, cifras="periodo", replace=True, data_dir=data_with_c2
    )
    assert result.raw_path.name != C2_NAME and (data_with_c2 / "raw" / C2_NAME).exists()
    validate_all(data_with_c2)


# --------------------------------------------------------------------------- 2-3. a kill at each point


ROLLED_BACK = [
    "pei_analysis.ingest.journal:begin@despues",
    "os:replace@antes~/raw/",
    "pei_analysis.ingest.journal:copy_original@despues",
    "pei_analysis.ingest.journal:write_table@despues",
    "pei_analysis.ingest.journal:commit@antes",
]
IDS = [
    "diario-escrito",
    "copia-del-original-a-medias",
    "original-copiado",
    "tabla-escrita",
    "antes-de-confirmar",
]


@pytest.mark.parametrize("spec", ROLLED_BACK, ids=IDS)
def test_an_import_killed_before_its_commit_is_rolled_back_by_the_next_command(data_with_c2, c3, spec):
    """Before: an unused original stayed in data/raw/, or deshacer undid c2 as well as the lost c3."""
    before = data_files(data_with_c2)
    killed = run(spec, data_with_c2, *importar(c3, 3))
    assert killed.returncode == -9, killed.stderr
    assert journal.interrupted(data_with_c2)

    report = validate_all(data_with_c2)  # the next command: it recovers, then every check passes
    assert any("se interrumpió antes de terminar y se deshizo" in note for note in report.avisos)
    assert data_files(data_with_c2) == before and leftovers(data_with_c2) == []
    assert not journal.interrupted(data_with_c2)

    record = undo_last_import(data_with_c2)  # the last committed import is still c2, and only c2 goes
    assert record["periodo"] == [2024, 2] and record["originales_agregados"] == [C2_NAME]
    assert data_files(data_with_c2) == data_files(DATA_DIR)


def test_an_import_killed_after_its_commit_is_complete_and_deshacer_undoes_exactly_it(
    data_with_c2, c3, with_c3
):
    killed = run("pei_analysis.ingest.journal:commit@despues", data_with_c2, *importar(c3, 3))
    assert killed.returncode == -9
    assert validate_all(data_with_c2).avisos == []
    assert data_files(data_with_c2) == data_files(with_c3) and leftovers(data_with_c2) == []
    assert undo_last_import(data_with_c2)["periodo"] == [2024, 3]
    assert table_periods(data_with_c2) == [(2024, 1), (2024, 2)]


def test_the_next_import_recovers_a_killed_one_and_then_succeeds(data_with_c2, c3, with_c3):
    assert (
        run("pei_analysis.ingest.journal:write_table@despues", data_with_c2, *importar(c3, 3)).returncode
        == -9
    )
    result = import_file(c3, anio=2024, cuatrimestre=3, cifras="periodo", data_dir=data_with_c2)
    assert len(result.avisos) == 1 and "Vuelva a importar el archivo" in result.avisos[0]
    assert data_files(data_with_c2) == data_files(with_c3)


def test_the_command_line_says_what_it_recovered_before_its_own_output(data_with_c2, c3):
    assert (
        run("pei_analysis.ingest.journal:copy_original@despues", data_with_c2, *importar(c3, 3)).returncode
        == -9
    )
    done = run("", data_with_c2, "deshacer")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Aviso: la importación de 2024, cuatrimestre 3")
    assert lines[1].startswith("Deshecha la importación de 2024, cuatrimestre 2")
    assert lines[2] == f"  se retiró data/raw/{C2_NAME}"


def test_an_undo_killed_halfway_is_finished_by_the_next_command(data_with_c2):
    killed = run("pei_analysis.ingest.journal:_restore_table@despues", data_with_c2, "deshacer")
    assert killed.returncode == -9
    assert (data_with_c2 / "raw" / C2_NAME).exists()  # the table is back, the original not yet removed
    report = validate_all(data_with_c2)
    assert any("se terminó de deshacer" in note for note in report.avisos)
    assert data_files(data_with_c2) == data_files(DATA_DIR)


def test_a_recovery_killed_halfway_is_recovered_again(data_with_c2, c3):
    before = data_files(data_with_c2)
    assert (
        run("pei_analysis.ingest.journal:write_table@despues", data_with_c2, *importar(c3, 3)).returncode
        == -9
    )
    assert run("pei_analysis.ingest.journal:_restore_table@despues", data_with_c2, "validar").returncode == -9
    validate_all(data_with_c2)
    assert data_files(data_with_c2) == before and leftovers(data_with_c2) == []


@pytest.mark.parametrize(
    "spec",
    [
        "pei_analysis.ingest.journal:write_table@antes",
        "pei_analysis.ingest.journal:atomic_write_text@despues~productos.csv')",  # the path, not the entry
        "pei_analysis.ingest.journal:write_table@despues",
    ],
)
def test_an_import_killed_between_the_poa_table_and_the_catalogue_leaves_all_of_them_as_before(
    data_copy, tmp_path, spec
):
    """The POA table and the catalogue tables are one transaction: a kill between them undoes both.

    The report is SIMULATED: the real extract as a 2023 report with a product the catalogue does not
    know, imported with --producto-nuevo, so it writes the POA table and two catalogue tables.
    """
    text = sim.rename(sim.report_of_year(2023), 36, "COVID-19", "dengue")
    report = sim.write(tmp_path, "simulado_2023.txt", text)
    before = data_files(data_copy)
    argv = ("importar", str(report), "--anio", "2023", "--cuatrimestre", "1", "--producto-nuevo")
    assert run(spec, data_copy, *argv).returncode == -9
    assert data_files(data_copy) != before or spec.endswith("@antes")
    assert len(validate_all(data_copy).avisos) == 1
    assert data_files(data_copy) == before and leftovers(data_copy) == []


# --------------------------------------------------------------------------- 2. a stale undo record


def test_deshacer_refuses_when_another_period_arrived_by_git_pull_and_changes_nothing(
    data_with_c2, with_c3, capsys
):
    """Before: deshacer said it undid c2, left only c1 and deleted c2's original."""
    shutil.copyfile(with_c3 / POA_CSV, data_with_c2 / POA_CSV)  # what a git pull would bring
    shutil.copyfile(with_c3 / "raw" / C3_NAME, data_with_c2 / "raw" / C3_NAME)
    before = snapshot(data_with_c2)
    assert main(["--datos", str(data_with_c2), "deshacer"]) == 2
    err = capsys.readouterr().err
    assert (
        "la tabla poa/poa_ejecucion.csv cambió después de la última importación "
        "registrada (2024, cuatrimestre 2" in err
    )
    assert "No se deshace nada" in err and "No se modificó ningún archivo." in err and "Traceback" not in err
    assert snapshot(data_with_c2) == before


def test_deshacer_refuses_after_an_edit_by_hand_and_changes_nothing(data_with_c2):
    table = data_with_c2 / POA_CSV
    table.write_bytes(table.read_bytes().replace(b"\n", b"\r\n", 1))  # one line end changed, by an editor
    before = snapshot(data_with_c2)
    with pytest.raises(DataError, match=re.escape("¿una edición a mano o un git pull?")):
        undo_last_import(data_with_c2)
    assert snapshot(data_with_c2) == before


def test_deshacer_refuses_an_undo_record_left_by_the_earlier_version_and_changes_nothing(data_with_c2):
    """The earlier record had no hash of the table, so whether it is still the last cannot be known."""
    folder = data_with_c2 / journal.JOURNAL_DIR
    for path in folder.iterdir():
        path.unlink()
    (folder / "poa_ejecucion.csv").write_bytes((DATA_DIR / POA_CSV).read_bytes())
    old_record = {"periodo": [2024, 2], "original_agregado": C2_NAME, "fecha": "2026-11-01T10:00:00"}
    (folder / journal.RECORD).write_text(json.dumps(old_record), encoding="utf-8")
    before = snapshot(data_with_c2)
    with pytest.raises(DataError, match="lo dejó una versión anterior del programa"):
        undo_last_import(data_with_c2)
    assert snapshot(data_with_c2) == before


# --------------------------------------------------------------------------- 3. a full disk


@pytest.fixture
def full_disk(monkeypatch):
    """Make every write into one folder of data/ stop halfway with ENOSPC, as a full disk does."""

    def fill(folder: str) -> None:
        real = os.fdopen

        def fdopen(fd, mode="r", *args, **kwargs):
            handle = real(fd, mode, *args, **kwargs)
            if "w" not in mode or f"/{folder}/" not in os.readlink(f"/proc/self/fd/{fd}"):
                return handle
            write = handle.write

            def half_then_full(data):
                write(data[: len(data) // 2])
                handle.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            handle.write = half_then_full
            return handle

        monkeypatch.setattr(os, "fdopen", fdopen)

    return fill


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell which file is written")
@pytest.mark.parametrize("folder", [journal.JOURNAL_DIR, "raw", "poa"], ids=["diario", "original", "tabla"])
def test_a_full_disk_applies_nothing_leaves_no_truncated_file_and_says_so(
    data_with_c2, c3, full_disk, folder, monkeypatch, capsys
):
    """Before: a truncated copy stayed, the import was applied with an empty undo record, deshacer crashed."""
    before = snapshot(data_with_c2)
    full_disk(folder)
    assert main(["--datos", str(data_with_c2), *importar(c3, 3)]) == 2
    err = capsys.readouterr().err
    assert "no queda espacio en el disco: no se importó nada." in err and "Traceback" not in err
    assert snapshot(data_with_c2) == before and leftovers(data_with_c2) == []
    monkeypatch.undo()  # room on the disk again
    assert undo_last_import(data_with_c2)["periodo"] == [2024, 2]  # the undo record is c2's, intact
    assert data_files(data_with_c2) == data_files(DATA_DIR)


def test_a_full_disk_during_deshacer_undoes_nothing_and_says_so(data_with_c2, full_disk, monkeypatch, capsys):
    before = snapshot(data_with_c2)
    full_disk("poa")
    assert main(["--datos", str(data_with_c2), "deshacer"]) == 2
    err = capsys.readouterr().err
    assert "no queda espacio en el disco: no se deshizo nada." in err and "Traceback" not in err
    assert snapshot(data_with_c2) == before and leftovers(data_with_c2) == []
    monkeypatch.undo()
    assert undo_last_import(data_with_c2)["periodo"] == [2024, 2]
