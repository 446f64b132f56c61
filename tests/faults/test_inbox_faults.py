"""The scheduled run killed between its steps: the next run neither imports twice nor forgets to publish.

A run of ``pei-analysis bandeja`` is killed (SIGKILL, as a power cut) at each step between the
import and the publication, in a real subprocess (the runner of test_import_faults.py). The next
run, in this process with a stand-in for the book build, must leave data/ exactly as one import
would, the report in ``procesados/`` once, one line about it in the log, and its edition published.
The report is DATOS DE PRUEBA (tests/fixtures/).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pei_analysis.files import exclusive_lock
from pei_analysis.ingest.importer import import_file
from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.inbox import Inbox, run_inbox
from pei_analysis.tables.poa import load_poa, periods
from tests.faults.test_import_faults import C2, data_files, run
from tests.unit.publish.test_inbox import Builds

KILLS = {
    "importacion-a-medias": "pei_analysis.ingest.journal:commit@antes",
    "importado-sin-mover": "pei_analysis.ingest.journal:commit@despues",
    "pendiente-anotado-sin-mover": "pei_analysis.publish.inbox:atomic_write_text@despues~pendiente",
    "movido-sin-publicar": "os:replace@despues~procesados",
    "antes-de-construir": "pei_analysis.publish.inbox:build_edition@antes",
}


@pytest.fixture
def one_import(tmp_path: Path) -> Path:
    """data/ as one import of the report leaves it, with no fault."""
    reference = tmp_path / "referencia"
    shutil.copytree(DATA_DIR, reference)
    import_file(C2, data_dir=reference)
    return reference


@pytest.mark.parametrize("spec", KILLS.values(), ids=KILLS.keys())
def test_a_run_killed_between_its_steps_is_finished_by_the_next_without_importing_twice(
    spec, data_copy, one_import, tmp_path
):
    inbox = Inbox(tmp_path / "bandeja")
    inbox.entrada.mkdir(parents=True)
    shutil.copyfile(C2, inbox.entrada / C2.name)
    killed = run(spec, data_copy, "bandeja", "--bandeja", str(inbox.root), "--sitio", str(tmp_path / "sitio"))
    assert killed.returncode == -9, killed.stderr

    builds = Builds()
    run_inbox(inbox.root, data_dir=data_copy, build=builds, clock=dt.datetime.now, say=lambda _: None)

    assert data_files(data_copy) == data_files(one_import)
    assert periods(load_poa(data_copy)) == [(2024, 1), (2024, 2)]
    assert list(inbox.entrada.iterdir()) == []
    assert [p.read_bytes() for p in inbox.procesados.glob("*/*")] == [C2.read_bytes()]
    log = inbox.registro.read_text(encoding="utf-8")
    assert sum(C2.name in line for line in log.splitlines()) == 1, log
    assert builds.asked == [(2024, 2)] and not inbox.pendiente.exists()


def test_a_second_run_while_the_first_holds_the_inbox_is_refused_at_once_and_changes_nothing(
    data_copy, tmp_path
):
    inbox = Inbox(tmp_path / "bandeja")
    inbox.entrada.mkdir(parents=True)
    shutil.copyfile(C2, inbox.entrada / C2.name)
    with exclusive_lock(inbox.root, "bandeja (otra corrida)"):
        second = run("", data_copy, "bandeja", "--bandeja", str(inbox.root), "--sitio", str(tmp_path / "s"))
    assert second.returncode == 2
    assert "otra orden está escribiendo" in second.stderr and "bandeja (otra corrida)" in second.stderr
    assert [p.name for p in inbox.entrada.iterdir()] == [C2.name] and not inbox.registro.exists()
