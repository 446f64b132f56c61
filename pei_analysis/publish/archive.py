"""Ediciones: one published book per cuatrimestre in ``site/<A>-c<C>/``, every edition kept.

Readers cite editions, so an edition, once published, never changes unless its own inputs do: each one records
a fingerprint (the data up to its period, the code, the parameters, the package versions and the lock file)
and is rebuilt only when that fingerprint changes. A build happens in a temporary folder, from a snapshot of
the data up to its period, and is moved into place only when it succeeded, in one step under the site's lock,
so a failure, Ctrl-C or SIGTERM leaves the published site exactly as it was, and the next run repairs what a
SIGKILL left. ``site/index.html`` lists the editions, newest first, and ``site/latest/`` opens the newest.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pei_analysis.calendar import edition_id as edition_name
from pei_analysis.calendar import period_end
from pei_analysis.chapters.corrections import INPUT_WORDS
from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock, sha256_bytes
from pei_analysis.model.corrections import PublishedVersion
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import processes, versions
from pei_analysis.publish.site_index import (
    SITE_DIR,
    earlier_versions,
    read_record,
    write_index,
    write_record,
)
from pei_analysis.publish.snapshot import take_snapshot
from pei_analysis.publish.workspace import build_folder, clear_leftovers, publish_dir
from pei_analysis.tables.poa import periods

#: What the code of an edition is: every file of the library, of the notebooks papermill runs and of the
#: book (its pages, _config.yml and _toc.yml, static files, templates, the Spanish translations of the theme).
CODE_DIRS = ("pei_analysis", "notebooks", "book")
#: Folders of build leftovers and editor caches, never inputs.
_NOT_CODE = frozenset({"_build", ".ipynb_checkpoints", "__pycache__"})
#: Files that are not inputs: compiled bytecode, and the .mo translations Sphinx compiles from the .po at each
#: build.
_NOT_CODE_SUFFIXES = (".pyc", ".mo")
#: The packages that make the pages; the fingerprint records these and every package they require.
PACKAGES = (
    "pei-analysis",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "papermill",
)
#: Every package of the environment with its exact version and the hashes of its files (``make bloquear``).
LOCK_FILE = "requirements.lock"


@dataclass(frozen=True)
class EditionResult:
    anio: int
    cuatrimestre: int
    path: Path
    built: bool
    fingerprint: str
    message: str
    #: What else the analyst must know of this build, one line each (a version kept beside the edition,
    #: an edition of an earlier period added to the list): printed under *message*.
    notices: tuple[str, ...] = ()


def fingerprint(parameters: dict, snapshot_dir: Path, repo_dir: Path = REPO_DIR) -> dict:
    """The inputs of an edition, each hashed; ``huella`` hashes them all together.

    The data are the edition's snapshot (:func:`pei_analysis.publish.snapshot.take_snapshot`):
    every file the build reads, and nothing of a later period.
    """
    data = {
        path.relative_to(snapshot_dir).as_posix(): sha256_bytes(path.read_bytes())
        for path in sorted(snapshot_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    parts = {
        "datos": data,
        "codigo": code_hash(repo_dir),
        "parametros": parameters,
        "paquetes": package_versions(),
        "candado": lock_hash(repo_dir),
    }
    parts["huella"] = sha256_bytes(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return parts


def lock_hash(repo_dir: Path = REPO_DIR) -> str | None:
    """SHA-256 of the lock file, None without one.

    The installed versions (:func:`package_versions`) say what built this edition on this machine; the lock
    says what any machine installs with ``make install``, down to the files, so a new lock is a new edition.
    """
    path = repo_dir / LOCK_FILE
    return sha256_bytes(path.read_bytes()) if path.is_file() else None


def package_versions(names=PACKAGES) -> dict[str, str | None]:
    """Python's version and that of each of *names* and of every package they require, found by walking their
    metadata.

    A new version of a Sphinx extension or of Jinja can change a page as much as one of pandas.
    """
    versions: dict[str, str | None] = {"python": platform.python_version()}
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in versions:
            continue
        try:
            versions[name] = metadata.version(name)
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            versions[name] = None
            continue
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return versions


def code_files(repo_dir: Path = REPO_DIR) -> list[Path]:
    """Every file below :data:`CODE_DIRS` except build leftovers, caches and hidden files, in a stable
    order."""
    found = {
        path
        for folder in CODE_DIRS
        for path in (repo_dir / folder).rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(_NOT_CODE_SUFFIXES)
        and not _NOT_CODE & set(path.relative_to(repo_dir).parts)
    }
    return sorted(found)


def code_hash(repo_dir: Path = REPO_DIR) -> str:
    """One SHA-256 of the code files' names and bytes: renaming a file changes it as much as editing one."""
    code = hashlib.sha256()
    for path in code_files(repo_dir):
        code.update(path.relative_to(repo_dir).as_posix().encode())
        code.update(path.read_bytes())
    return code.hexdigest()


def choose_edition(poa: pd.DataFrame, anio: int | None, cuatrimestre: int | None) -> tuple[int, int]:
    """The period of the edition asked for (by default the latest in the data); refuse one the data do not
    have."""
    available = periods(poa)
    if anio is None and cuatrimestre is None:
        return available[-1]
    if anio is None or cuatrimestre is None:
        raise DataError(
            "indique --anio y --cuatrimestre juntos, o ninguno (la última edición).", field="--anio"
        )
    if (anio, cuatrimestre) not in available:
        listed = ", ".join(edition_name(*p) for p in available)
        raise DataError(
            f"no hay datos de {anio}, cuatrimestre {cuatrimestre} (hay: {listed}).", field="--anio"
        )
    return anio, cuatrimestre


def build_edition(
    anio: int | None = None,
    cuatrimestre: int | None = None,
    *,
    site_dir: Path = SITE_DIR,
    data_dir: str | Path | None = None,
    parameters: dict | None = None,
    force: bool = False,
    today: dt.date | None = None,
    log=None,
) -> EditionResult:
    """Build one edition into ``site/<A>-c<C>/`` unless an identical one is already there.

    Everything is built from a snapshot of the data up to the edition's period, taken under the
    data folder's lock (:mod:`pei_analysis.publish.snapshot`), in a temporary folder of the site
    that a later run removes if this one is killed (:mod:`pei_analysis.publish.workspace`).
    """
    from pei_analysis.publish.book import build_book, console
    from pei_analysis.publish.edition_files import footer_html

    log = log or console  # each line at once, even through a pipe

    command = "edicion" + (f" {anio}-c{cuatrimestre}" if anio and cuatrimestre else "")
    site_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(site_dir, command):
        clear_leftovers(site_dir)
    with build_folder(site_dir, "edicion", command) as scratch:
        snapshot, choice = scratch / "datos", _Choice(anio, cuatrimestre)
        anio, cuatrimestre = take_snapshot(data_dir, snapshot, command, choice)
        extra_parameters = dict(parameters or {})
        parts = fingerprint({"anio": anio, "cuatrimestre": cuatrimestre, **extra_parameters}, snapshot)
        name, target = edition_name(anio, cuatrimestre), site_dir / edition_name(anio, cuatrimestre)
        published = read_record(target)
        if _up_to_date(published, parts, name, force, log):
            with exclusive_lock(site_dir, command):
                write_index(site_dir)
            message = f"La edición {name} ya está al día (misma huella): no se reconstruye."
            return EditionResult(anio, cuatrimestre, target, False, parts["huella"], message)
        today = today or dt.date.today()
        record = _edition_record(parts, anio, cuatrimestre, today)
        current, kept = versions.versions_to_compare(
            target, published, earlier_versions(site_dir, name), parts, INPUT_WORDS
        )
        kept_now: list[str] = []
        build_book(
            anio,
            cuatrimestre,
            target,
            parameters=extra_parameters or None,
            footer=footer_html(anio, cuatrimestre, today, huella=parts["huella"]),
            data_dir=snapshot,
            log=lambda line: None if line.startswith("Libro listo") else log(line),
            work_dir=scratch,
            publish=functools.partial(publish_edition, site_dir, record, current, on_kept=kept_now.append),
            huella=parts["huella"],
            built=today,
            published=tuple(version for version in (current, kept) if version is not None),
        )
    notices = [kept_version_line(name, site_dir / folder) for folder in kept_now]
    if published is None and (anio, cuatrimestre) != choice.latest:
        notices.append(earlier_edition_line(name, edition_name(*choice.latest), site_dir))
    message = f"Edición {name} construida en {target}."
    return EditionResult(anio, cuatrimestre, target, True, parts["huella"], message, tuple(notices))


class _Choice:
    """The edition :func:`take_snapshot` chooses, remembering the latest period of the data it saw under the
    lock: an edition of an earlier period, published for the first time, is said to be one."""

    def __init__(self, anio: int | None, cuatrimestre: int | None) -> None:
        self.anio, self.cuatrimestre = anio, cuatrimestre
        self.latest: tuple[int, int] | None = None

    def __call__(self, poa: pd.DataFrame) -> tuple[int, int]:
        chosen = choose_edition(poa, self.anio, self.cuatrimestre)
        self.latest = periods(poa)[-1]
        return chosen


def shown(path: Path) -> str:
    """*path* as the analyst reads it: relative to the repository (``site/2024-c1``) when inside it."""
    try:
        return path.resolve().relative_to(REPO_DIR.resolve()).as_posix()
    except ValueError:
        return str(path)


def kept_version_line(name: str, folder: Path) -> str:
    """What a build says when it kept the version readers saw: where, and that it is published with the site
    (a folder left out of git would be lost from the archive with the next clone)."""
    site = shown(folder.parent)
    return f"La versión anterior de {name} quedó en {shown(folder)}/ (confírmela en git junto con {site}/)."


def earlier_edition_line(name: str, latest: str, site_dir: Path) -> str:
    """What a build says when it published, for the first time, the edition of a period before the latest
    of the data: asked for by hand (``--anio``, ``--cuatrimestre``), it still joins the list of editions."""
    return (
        f"La edición {name} no se había publicado y no es la del último período de los datos ({latest}): "
        f"se agregó a la lista de ediciones ({shown(site_dir / 'index.html')})."
    )


def _up_to_date(record: dict | None, parts: dict, name: str, force: bool, log) -> bool:
    """Whether the published edition has this fingerprint (nothing to do); if not, say what changed."""
    if record and record.get("huella") == parts["huella"] and not force:
        return True
    if record:
        changed = [label for key, label in INPUT_WORDS.items() if record.get(key) != parts[key]]
        log(f"La edición {name} cambió de huella ({', '.join(changed) or 'forzada'}): se reconstruye.")
    return False


def _edition_record(parts: dict, anio: int, cuatrimestre: int, today: dt.date) -> dict:
    """What the edition's ``edicion.json`` says of it: its fingerprint, period, data date and build date."""
    return {
        **parts,
        "edicion": edition_name(anio, cuatrimestre),
        "anio": anio,
        "cuatrimestre": cuatrimestre,
        "datos_al": period_end(anio, cuatrimestre).isoformat(),
        "construida": today.isoformat(),
    }


def publish_edition(
    site_dir: Path,
    record: dict,
    previous: PublishedVersion | None,
    html_dir: Path,
    target: Path,
    on_kept: Callable[[str], None] = lambda _: None,
) -> None:
    """Publish a built edition and rewrite the index: one step under the site's lock, Ctrl-C and SIGTERM
    deferred.

    When the new edition changes figures of the *previous* version, that version is kept beside it first
    (:mod:`pei_analysis.publish.versions`) and *on_kept* gets its folder's name, for the build to say where.
    A run killed inside it (SIGKILL) leaves a state the next run's ``clear_leftovers`` repairs.
    """
    write_record(html_dir, record)
    with exclusive_lock(site_dir, f"edicion {record['edicion']}"), processes.critical():
        if versions.corrects(previous, html_dir, record):
            versions.keep_version(target, previous.carpeta)
            on_kept(previous.carpeta)
        publish_dir(html_dir, target)
        write_index(site_dir)
