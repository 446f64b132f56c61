"""The README's crontab line when a report arrived: one run imports it and publishes its edition.

The same throw-away copy of the repository as tests/unit/publish/test_crontab.py (the two cases that
build nothing are there); here the report is new, so the run builds a real edition (about 40 s).
The report is DATOS DE PRUEBA (tests/fixtures/), imported only into the copy's data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pei_analysis.publish.inbox import NOTHING_NEW
from pei_analysis.publish.site_index import list_editions
from pei_analysis.tables.poa import load_poa, periods
from tests.conftest import FIXTURES, snapshot
from tests.unit.publish.test_crontab import repository_copy, run_like_cron

C2 = FIXTURES / "poa_2024_c2_prueba.txt"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The copy after one run of the crontab line with the report in its inbox (one build for the module)."""
    if shutil.which("make") is None:
        pytest.skip("hace falta make")
    server = repository_copy(tmp_path_factory.mktemp("servidor") / "pei-analysis")
    shutil.copyfile(C2, server / "bandeja" / "entrada" / "reporte_mayo_agosto.txt")
    done = run_like_cron(server)
    assert done.returncode == 0, (server / "bandeja" / "cron.log").read_text(encoding="utf-8")
    return server


def test_a_report_dropped_in_the_inbox_becomes_a_published_edition_on_the_next_run(published):
    assert periods(load_poa(published / "data")) == [(2024, 1), (2024, 2)]
    assert [e["edicion"] for e in list_editions(published / "site")] == ["2024-c2"]
    assert (published / "site" / "2024-c2" / "resumen.html").exists()
    latest = (published / "site" / "latest" / "index.html").read_text(encoding="utf-8")
    assert "url=../2024-c2/index.html" in latest
    inbox = published / "bandeja"
    assert [p.name for p in (inbox / "entrada").iterdir()] == [".gitkeep"]
    assert [p.name for p in (inbox / "procesados").glob("*/*")] == ["reporte_mayo_agosto.txt"]
    log = (inbox / "registro.log").read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in log] == ["importado", "publicada"]
    assert "Edición 2024-c2 construida" in (inbox / "cron.log").read_text(encoding="utf-8")


def test_the_run_after_it_finds_nothing_new_and_leaves_the_site_as_it_was(published):
    site, data = snapshot(published / "site"), snapshot(published / "data")
    assert run_like_cron(published).returncode == 0
    assert (published / "bandeja" / "cron.log").read_text(encoding="utf-8").rstrip().endswith(NOTHING_NEW)
    assert snapshot(published / "site") == site and snapshot(published / "data") == data
