"""The crontab line of the README, run as cron would run it, on a throw-away copy of the repository.

The README tells an institution without GitHub to schedule one line; this runs that very line (only
the folder changed), with cron's bare PATH, for the two cases that build nothing: nothing arrived,
and a refused report. The case of a new report, which builds a real edition, is in
tests/e2e/test_scheduled_run.py. The copy holds the code, the data and an empty inbox, and uses this
repository's .venv; ``python -m pei_analysis`` run from the copy imports the copy's package, so every
path (data/, bandeja/, site/) is the copy's. The report is DATOS DE PRUEBA (tests/fixtures/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pei_analysis.paths import REPO_DIR
from pei_analysis.publish.inbox import NOTHING_NEW
from tests.conftest import FIXTURES, snapshot

#: The folder the README's crontab line names.
README_FOLDER = "/srv/pei-analysis"
#: A crontab line: five time fields, then the command.
CRON_LINE = re.compile(r"^(?:\S+\s+){5}(cd " + re.escape(README_FOLDER) + r" && .+)$", re.MULTILINE)
_LEFT_OUT = shutil.ignore_patterns(
    "__pycache__", "_build", ".ipynb_checkpoints", ".deshacer", ".bloqueo", "descargas"
)


def readme_cron_command() -> str:
    """The command of the crontab line the README gives (there must be exactly one)."""
    found = CRON_LINE.findall((REPO_DIR / "README.md").read_text(encoding="utf-8"))
    assert len(found) == 1, found
    return found[0]


def repository_copy(target: Path) -> Path:
    """What a server holds: the top-level files, the code, the data and an empty inbox; .venv is this one's.

    The copied files are dated before the install's stamp, as on a server where ``make install`` ran
    last: otherwise make would reinstall, and through the link to this repository's .venv.
    """
    target.mkdir(parents=True)
    stamp = (REPO_DIR / ".venv" / ".instalado").stat().st_mtime
    for path in REPO_DIR.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
            os.utime(target / path.name, (stamp - 60, stamp - 60))
    for folder in ("pei_analysis", "notebooks", "book", "data"):
        shutil.copytree(REPO_DIR / folder, target / folder, ignore=_LEFT_OUT)
    (target / "bandeja" / "entrada").mkdir(parents=True)
    (target / "bandeja" / "entrada" / ".gitkeep").touch()
    (target / ".venv").symlink_to(REPO_DIR / ".venv")
    return target


def run_like_cron(repo: Path) -> subprocess.CompletedProcess:
    """The README's line in /bin/sh with cron's environment (PATH=/usr/bin:/bin, nothing else of ours)."""
    command = readme_cron_command().replace(README_FOLDER, str(repo))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo.parent), "SHELL": "/bin/sh", "LANG": "C.UTF-8"}
    return subprocess.run(
        ["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture
def server(tmp_path: Path) -> Path:
    if shutil.which("make") is None or not (REPO_DIR / ".venv" / ".instalado").exists():
        pytest.skip("hace falta make y el entorno instalado (make install)")
    return repository_copy(tmp_path / "pei-analysis")


def test_the_readme_gives_one_crontab_line_that_runs_make_publicar_and_keeps_its_output():
    expected = r"cd /srv/pei-analysis && make publicar >> bandeja/cron\.log 2>&1"
    assert re.fullmatch(expected, readme_cron_command())


def test_the_crontab_line_with_an_empty_inbox_says_so_and_changes_nothing(server):
    before_data, before_inbox = snapshot(server / "data"), snapshot(server / "bandeja")
    done = run_like_cron(server)
    assert done.returncode == 0, (server / "bandeja" / "cron.log").read_text(encoding="utf-8")
    assert NOTHING_NEW in (server / "bandeja" / "cron.log").read_text(encoding="utf-8")
    assert snapshot(server / "data") == before_data
    assert {k: v for k, v in snapshot(server / "bandeja").items() if k != "cron.log"} == before_inbox
    assert not (server / "site").exists()


def test_the_crontab_line_with_a_refused_report_fails_and_leaves_the_refusal_beside_the_inbox(server):
    shutil.copyfile(FIXTURES / "poa_2024_c3_corrupto.txt", server / "bandeja" / "entrada" / "poa_c3.txt")
    before_data, before_inbox = snapshot(server / "data"), snapshot(server / "bandeja" / "entrada")
    done = run_like_cron(server)
    log = (server / "bandeja" / "cron.log").read_text(encoding="utf-8")
    assert done.returncode == 2, log
    assert "Error: poa_c3.txt, línea 78, campo «periodo»" in log
    assert "El porqué y qué hacer están en RECHAZADO.txt" in log
    refusal = (server / "bandeja" / "RECHAZADO.txt").read_text(encoding="utf-8")
    assert "Archivo: poa_c3.txt\nLínea: 78\nCampo: periodo" in refusal
    assert snapshot(server / "data") == before_data
    assert snapshot(server / "bandeja" / "entrada") == before_inbox
    assert not (server / "site").exists()
