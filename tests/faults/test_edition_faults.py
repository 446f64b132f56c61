"""Fault corpus of the editions (issue #18): each failure a fault-injection campaign found, with its expected
outcome.

Later data leaking into an earlier edition; a run killed (SIGKILL) at each point of publishing;
leftovers of killed builds; Ctrl-C and SIGTERM during a build; inputs the fingerprint missed;
permissions of published folders. A crash is a real SIGKILL of a child process at the chosen
point, followed by the next command, as in production. The builds here use a one-notebook book
that sleeps (as tests/e2e/test_book_build.py fakes one) and never reach Jupyter Book, so the whole
file stays under a minute. Uses tests/fixtures/poa_2024_c2_prueba.txt (DATOS DE PRUEBA), imported
only into temporary copies of data/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from pei_analysis import files
from pei_analysis.cli import main
from pei_analysis.ingest.importer import import_file
from pei_analysis.model.dataset import compute_dataset
from pei_analysis.paths import DATA_DIR, REPO_DIR
from pei_analysis.publish import archive, site_index, workspace
from pei_analysis.publish import book as build
from pei_analysis.publish.snapshot import take_snapshot
from tests.conftest import FIXTURES, snapshot

C2 = FIXTURES / "poa_2024_c2_prueba.txt"
EDITION = "2024-c1"


def snapshot_c1(data: Path, dest: Path) -> Path:
    take_snapshot(data, dest, "prueba", lambda poa: archive.choose_edition(poa, 2024, 1))
    return dest


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A copy of data/ (2024-c1 only) shared by the cases that do not import."""
    target = tmp_path_factory.mktemp("faltas") / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns(".bloqueo", ".deshacer"))
    return target


@pytest.fixture(scope="module")
def record(data, tmp_path_factory) -> dict:
    """The record edition 2024-c1 of *data* would have: a fake published edition with it is up to date."""
    parts = archive.fingerprint(
        {"anio": 2024, "cuatrimestre": 1}, snapshot_c1(data, tmp_path_factory.mktemp("s"))
    )
    return {
        **parts,
        "edicion": EDITION,
        "anio": 2024,
        "cuatrimestre": 1,
        "datos_al": "2024-04-30",
        "construida": "2024-05-15",
    }


def edition_folder(folder: Path, text: str, record: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / "resumen.html").write_text(text, encoding="utf-8")
    site_index.write_record(folder, record)
    return folder


@pytest.fixture
def site(tmp_path, record) -> Path:
    """A site with edition 2024-c1 published («publicada») and its index."""
    site = tmp_path / "sitio"
    edition_folder(site / EDITION, "publicada", record)
    site_index.write_index(site)
    return site


def next_run(data: Path, site: Path, capsys) -> str:
    """The next command after a crash: ``pei-analysis edicion`` for 2024-c1 (up to date: it builds
    nothing)."""
    assert (
        main(["--datos", str(data), "edicion", "--sitio", str(site), "--anio", "2024", "--cuatrimestre", "1"])
        == 0
    )
    return capsys.readouterr().out


def hidden(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".") and p.name != files.LOCK_NAME)


def listed_once(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count(f'href="{EDITION}/index.html"') == 1
    assert [r["edicion"] for r in site_index.list_editions(site)] == [EDITION]


# --------------------------------------------------------------------------- later data


def test_an_import_after_the_snapshot_never_reaches_the_earlier_edition(data_copy, tmp_path):
    """Rebuilding 2024-c1 after c2 was imported listed c2's original and «72 filas» under the same
    fingerprint."""
    before = snapshot_c1(data_copy, tmp_path / "antes")
    import_file(
        C2, anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )  # also: an import mid-build
    after = snapshot_c1(data_copy, tmp_path / "despues")
    assert snapshot(after) == snapshot(before)
    assert archive.fingerprint({}, after)["huella"] == archive.fingerprint({}, before)["huella"]
    dataset = compute_dataset(2024, 1, before)
    assert "poa_ejecucion.csv: 36 filas cumplen el esquema (tipos, rangos, sin repetidos)" in dataset.checks
    assert not any("c2" in name for name in dataset.sources["archivo"])
    assert len(compute_dataset(2024, 2, data_copy).sources) == 3  # the full folder does have c2's original


# --------------------------------------------------------------------------- crashes while publishing

_KILL_AT = """
import os, shutil, signal, sys, json
from pathlib import Path
from pei_analysis.publish import archive
site, new, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
target = site / "2024-c1"
real_replace, real_rmtree = os.replace, shutil.rmtree
def die():
    os.kill(os.getpid(), signal.SIGKILL)
def replace(src, dst):
    if point == "entre-los-dos-renombres" and Path(dst) == target:
        die()
    if point == "escribiendo-el-indice" and Path(dst) == site / "index.html":
        die()
    real_replace(src, dst)
    if point == "antes-de-borrar-la-copia-apartada" and Path(dst) == target:
        die()
def rmtree(path, *args, **kwargs):
    if point == "borrando-la-copia-apartada" and Path(path).name.endswith(".anterior"):
        (Path(path) / "index.html").unlink()
        die()
    real_rmtree(path, *args, **kwargs)
os.replace, shutil.rmtree = replace, rmtree
record = json.loads((new / "edicion.json").read_text(encoding="utf-8"))
archive.publish_edition(site, record, None, new, target)
"""


@pytest.mark.parametrize(
    ("point", "published"),
    [
        ("entre-los-dos-renombres", "publicada"),
        ("antes-de-borrar-la-copia-apartada", "nueva"),
        ("borrando-la-copia-apartada", "nueva"),
        ("escribiendo-el-indice", "nueva"),
    ],
)
def test_a_run_killed_while_publishing_leaves_a_state_the_next_run_repairs(
    data, site, record, tmp_path, point, published, capsys
):
    new = edition_folder(tmp_path / "nueva", "nueva", record)
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT, str(site), str(new), point], cwd=REPO_DIR, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    assert [r["edicion"] for r in site_index.list_editions(site)] in (
        [EDITION],
        [],
    )  # never twice, even before repair
    assert "ya está al día" in next_run(data, site, capsys)
    assert (site / EDITION / "resumen.html").read_text(encoding="utf-8") == published
    assert hidden(site) == []
    listed_once(site)


_KILL_WHILE_KEEPING = """
import os, shutil, signal, sys
from pathlib import Path
from pei_analysis.publish import versions
site = Path(sys.argv[1])
real_copytree = shutil.copytree
def dying_copy(src, dst, *args, **kwargs):
    shutil.copy2(src, dst)
    os.kill(os.getpid(), signal.SIGKILL)  # after the first file: a version half copied
shutil.copytree = lambda src, dst, **kwargs: real_copytree(src, dst, copy_function=dying_copy)
versions.keep_version(site / "2024-c1", "2024-c1_version_2024-05-15")
"""


def test_a_run_killed_while_keeping_the_published_version_leaves_no_half_version(data, site, capsys):
    killed = subprocess.run([sys.executable, "-c", _KILL_WHILE_KEEPING, str(site)], cwd=REPO_DIR, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert not (site / "2024-c1_version_2024-05-15").exists()
    assert hidden(site)  # the half copy, in its build folder
    assert "ya está al día" in next_run(data, site, capsys)
    assert hidden(site) == []
    assert (site / EDITION / "resumen.html").read_text(encoding="utf-8") == "publicada"
    listed_once(site)


def test_a_second_rename_that_fails_puts_the_published_edition_back(site, record, tmp_path, monkeypatch):
    new = edition_folder(tmp_path / "nueva", "nueva", record)
    real = os.replace

    def replace(src, dst):
        if Path(src) == new:
            raise OSError(28, "disco lleno")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="disco lleno"):
        archive.publish_edition(site, record, None, new, site / EDITION)
    assert (site / EDITION / "resumen.html").read_text(encoding="utf-8") == "publicada"
    assert hidden(site) == []


# --------------------------------------------------------------------------- leftovers of killed builds


def test_the_next_run_removes_abandoned_build_folders_and_keeps_those_of_running_builds(data, site, capsys):
    abandoned = site / ".2024-c1.construyendo-abc123"
    (abandoned / "libro").mkdir(parents=True)
    (abandoned / files.LOCK_NAME).write_text("edicion · proceso 1\n", encoding="utf-8")
    unlocked_old = site / ".edicion.construyendo-xyz"
    unlocked_old.mkdir()
    os.utime(unlocked_old, (time.time() - 3600, time.time() - 3600))
    with workspace.build_folder(site, "edicion", "edicion 2024-c1") as running:
        assert "ya está al día" in next_run(data, site, capsys)
        assert hidden(site) == [running.name]
    assert hidden(site) == []
    listed_once(site)


# ------------------------------------------------------------------------- Ctrl-C, SIGTERM, SIGKILL mid-build

_DRIVER = """
import sys
from pathlib import Path
from pei_analysis.publish import book
book.BOOK_DIR, book.NOTEBOOKS_DIR = Path(sys.argv[1]), Path(sys.argv[2])
from pei_analysis.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture
def slow_book(tmp_path) -> tuple[Path, Path]:
    """A book of one notebook that records its kernel's and papermill's process ids, then sleeps a minute."""
    book = tmp_path / "book"
    notebooks = tmp_path / "notebooks"
    shutil.copytree(build.BOOK_DIR, book, ignore=shutil.ignore_patterns("_build", "*.md"))
    (book / "_toc.yml").write_text("format: jb-book\nroot: lento\n", encoding="utf-8")
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell("anio = 2024\ncuatrimestre = 1\ncarpeta_datos = None")
    parameters.metadata["tags"] = ["parameters"]
    pids = tmp_path / "pids"
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell(
            f"import os, time\nopen({str(pids)!r}, 'w')"
            ".write(f'{os.getpid()} {os.getppid()}')\ntime.sleep(60)"
        ),
    ]
    nbformat.write(nb, notebooks / "lento.ipynb")
    return book, notebooks


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def start_build(slow_book, args: list[str], tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """Start a build of the slow book in a child process; return it once the notebook's kernel is running."""
    book, notebooks = slow_book
    proc = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(book), str(notebooks), *args],
        cwd=REPO_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pids = tmp_path / "pids"
    deadline = time.monotonic() + 40
    while (
        not (pids.exists() and pids.read_text().strip())
        and time.monotonic() < deadline
        and proc.poll() is None
    ):
        time.sleep(0.1)
    assert pids.exists(), proc.communicate()
    return proc, [int(p) for p in pids.read_text().split()]


def gone(pids: list[int], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


@pytest.mark.parametrize(
    ("signum", "command", "code"), [(signal.SIGTERM, "edicion", 143), (signal.SIGINT, "vista", 130)]
)
def test_sigterm_or_ctrl_c_mid_build_stops_papermill_removes_temporary_folders_and_keeps_the_site(
    data, site, slow_book, tmp_path, signum, command, code
):
    before = snapshot(site)
    where = ["--sitio", str(site), "--forzar"] if command == "edicion" else ["--salida", str(site / EDITION)]
    proc, pids = start_build(
        slow_book, ["--datos", str(data), command, "--anio", "2024", "--cuatrimestre", "1", *where], tmp_path
    )
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    assert "Construcción interrumpida" in err and "Traceback" not in err
    assert gone(pids), "papermill o su núcleo siguen corriendo"
    assert hidden(site) == [] and snapshot(site) == before


def test_a_build_killed_with_sigkill_takes_papermill_with_it_and_the_next_run_removes_its_folder(
    data, site, slow_book, tmp_path, capsys
):
    before = snapshot(site)
    proc, pids = start_build(
        slow_book, ["--datos", str(data), "edicion", "--sitio", str(site), "--forzar"], tmp_path
    )
    proc.kill()
    proc.communicate(timeout=10)
    assert gone(pids), "papermill o su núcleo siguen corriendo"
    assert [
        name for name in hidden(site) if workspace.SCRATCH_MARK in name
    ]  # what the killed run could not remove
    assert "ya está al día" in next_run(data, site, capsys)
    assert hidden(site) == [] and snapshot(site) == before


# --------------------------------------------------------------------------- fingerprint and permissions


@pytest.mark.parametrize(
    "name",
    [
        "book/_config.yml",
        "book/_toc.yml",
        "book/_static/libro.css",
        "book/_templates/layout.html",
        "book/referencias.bib",
        "notebooks/resumen.md",
        "notebooks/resumen.ipynb",
        "pei_analysis/chapters/resumen.py",
    ],
)
def test_every_input_of_a_page_changes_the_fingerprint(tmp_path, name):
    repo = tmp_path / "repo"
    for path in archive.code_files():
        (repo / path.relative_to(REPO_DIR)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, repo / path.relative_to(REPO_DIR))
    before = archive.code_hash(repo)
    with (repo / name).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert archive.code_hash(repo) != before


def test_a_published_folder_made_by_mkdtemp_is_readable_by_a_web_server(site, record, tmp_path):
    previous = os.umask(0o022)
    try:
        new = Path(tempfile.mkdtemp(dir=tmp_path))
        (new / "_static").mkdir(mode=0o700)
        fd, _ = tempfile.mkstemp(dir=new / "_static")
        os.close(fd)
        site_index.write_record(new, record)
        archive.publish_edition(site, record, None, new, site / EDITION)
    finally:
        os.umask(previous)
    for path in [site / EDITION, *(site / EDITION).rglob("*")]:
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path
    assert json.loads((site / EDITION / "edicion.json").read_text(encoding="utf-8"))["edicion"] == EDITION


def test_a_build_folder_whose_lock_file_is_still_empty_is_a_build_starting_and_is_kept(site):
    starting = site / ".edicion.construyendo-nuevo"
    starting.mkdir()
    (starting / files.LOCK_NAME).touch()
    assert workspace.clear_scratch(site) == [] and starting.exists()
