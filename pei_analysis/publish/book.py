"""Construye una edición del libro: papermill ejecuta cada cuaderno con los parámetros de la edición y
Jupyter Book arma el HTML, sin volver a ejecutar nada.

Why this shape: readers must never see a half-built book, so everything happens in a temporary folder beside
the destination (:mod:`pei_analysis.publish.workspace`), from a copy of the data up to the edition's period
(:mod:`pei_analysis.publish.snapshot`), and the finished site replaces the old one only when every notebook
ran and Sphinx raised no warning (``-W -n --keep-going``). A notebook that fails stops the build with a
Spanish message naming the notebook, the cell and the error; a copy of the failed notebook is kept under
``build/fallidos/`` for the analyst. Notebooks run in parallel, each in its own papermill process (its
kernel's chatter stays out of the console unless it fails).

The editions module wraps :func:`build_book`: it chooses the period and the output folder and
passes its fingerprint for the footer; this module knows nothing else of the archive. The command
line (``pei-analysis vista``, ``pei-analysis edicion``) lives in :mod:`pei_analysis.cli`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from pei_analysis.calendar import check_period, edition_id, period_title
from pei_analysis.chapters import corrections
from pei_analysis.chapters.citar import EditionStamp, program_version
from pei_analysis.chapters.sections import DOWNLOADS_FOLDER
from pei_analysis.errors import BuildError, DataError
from pei_analysis.model import dataset as edition_data
from pei_analysis.model import edition as report
from pei_analysis.model.corrections import PublishedVersion
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import edition_files, page_weight, processes, workspace
from pei_analysis.publish.notebooks import (
    NOTEBOOKS_DIR,
    NotebookRun,
    declared_parameters,
    environment,
    run_notebooks,
)
from pei_analysis.publish.snapshot import take_snapshot

BOOK_DIR = REPO_DIR / "book"
#: Where a preview built outside the editions archive goes (site/ belongs to pei_analysis.publish.archive).
PREVIEW_DIR = REPO_DIR / "build" / "vista"
#: Parameters every chapter notebook may declare, with the edition's defaults.
PARAMETER_DEFAULTS: dict[str, object] = {"carpeta_datos": None, "umbrales": None, "nivel": 0.8}
#: The parameter through which every notebook receives the path of the edition's dataset, computed
#: once per build (:mod:`pei_analysis.model.dataset`); set by the build, never by the user.
DATASET_PARAMETER = "edicion"
_BOOK_IGNORE = shutil.ignore_patterns("_build", "__pycache__", ".ipynb_checkpoints", "*.pyc", "README.md")


@dataclass
class BuildReport:
    """What a build produced and where the time went."""

    output_dir: Path
    runs: list[NotebookRun]
    timings: dict[str, float]

    @property
    def index(self) -> Path:
        return self.output_dir / "index.html"


# --------------------------------------------------------------------------- inputs


def chapter_files(toc_path: Path | None = None) -> list[str]:
    """Every file the table of contents (default: book/_toc.yml) names, root first, in reading order."""
    toc_path = toc_path if toc_path is not None else BOOK_DIR / "_toc.yml"
    toc = _read_yaml(toc_path)
    if not toc.get("root"):
        raise BuildError(f"{toc_path.name}: falta «root», la página de entrada del libro")
    names = [str(toc["root"])]

    def walk(entries: Sequence[Mapping]) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(str(entry["file"]))
            walk(entry.get("sections", []))
            for part in entry.get("parts", []) or []:
                walk(part.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []) or []:
        walk(part.get("chapters", []))
    return names


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"no se puede leer {path.name} como YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BuildError(f"{path.name}: se esperaba un diccionario YAML")
    return data


def edition_parameters(anio: int, cuatrimestre: int, parameters: Mapping | None = None) -> dict:
    """The parameters every notebook receives, checked before any kernel starts (a refusal builds nothing)."""
    anio, cuatrimestre = check_period(anio, cuatrimestre)
    if DATASET_PARAMETER in (parameters or {}):
        raise DataError(
            f"el parámetro «{DATASET_PARAMETER}» lo pone la construcción (el conjunto de datos de la "
            "edición); no se puede pasar",
            field=DATASET_PARAMETER,
        )
    for name, value in (("anio", anio), ("cuatrimestre", cuatrimestre)):
        if name in (parameters or {}) and parameters[name] != value:
            raise DataError(
                f"los parámetros dicen {name}={parameters[name]!r} y la edición pide {value}", field=name
            )
    params = {**PARAMETER_DEFAULTS, **dict(parameters or {}), "anio": anio, "cuatrimestre": cuatrimestre}
    report.thresholds_from(params["umbrales"])
    nivel = params["nivel"]
    if isinstance(nivel, bool) or not isinstance(nivel, (int, float)) or not 0 < nivel < 1:
        raise DataError(f"se esperaba un nivel entre 0 y 1 (p. ej. 0.8); se recibió {nivel!r}", field="nivel")
    folder = params.get("carpeta_descargas")
    if folder is not None and not (isinstance(folder, str) and re.fullmatch(r"[A-Za-z0-9_-]+", folder)):
        raise DataError(
            f"se esperaba un nombre de carpeta simple (letras, números, - y _); se recibió {folder!r}",
            field="carpeta_descargas",
        )
    if params["carpeta_datos"] is not None:
        data_dir = Path(params["carpeta_datos"]).resolve()
        if not data_dir.is_dir():
            raise DataError(f"la carpeta de datos no existe: {data_dir}", field="carpeta_datos")
        params["carpeta_datos"] = str(data_dir)
    try:
        json.dumps(params)
    except TypeError as exc:
        raise DataError(f"los parámetros deben ser números, textos, listas o diccionarios ({exc})") from None
    return params


# --------------------------------------------------------------------------- book


def write_config(source_dir: Path, anio: int, cuatrimestre: int, footer: str) -> None:
    """Complete the copied _config.yml with the edition: title, and *footer* (trusted HTML) under every
    page."""
    path = source_dir / "_config.yml"
    config = _read_yaml(path)
    edition = period_title(anio, cuatrimestre)
    config.setdefault("html", {})["extra_footer"] = f'<p class="pie-edicion">{footer}</p>'
    config["sphinx"]["config"]["html_theme_options"]["extra_footer"] = f'<p class="pie-edicion">{footer}</p>'
    config["sphinx"]["config"]["html_title"] = f"{config['title']} · {edition}"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_jupyter_book(source_dir: Path) -> None:
    """``jupyter-book build`` with warnings as errors; raise BuildError with Sphinx's warnings."""
    proc = processes.run(
        [
            sys.executable,
            "-c",
            "from jupyter_book.cli.main import main; main()",
            "build",
            str(source_dir),
            "--builder",
            "html",
            "-W",
            "-n",
            "--keep-going",
            "--quiet",
        ],
        env=environment(),
    )
    html_dir = source_dir / "_build" / "html"
    if proc.returncode != 0 or not (html_dir / "index.html").exists():
        output = re.sub(r"\x1b\[[0-9;]*m", "", proc.stderr + proc.stdout)
        lines = [ln for ln in output.splitlines() if "WARNING" in ln or "ERROR" in ln or "Error" in ln]
        detail = "\n".join(lines[:30]) or output.strip()[-3000:]
        raise BuildError(f"Jupyter Book no pudo construir el libro (avisos tratados como errores):\n{detail}")


def console(line: str) -> None:
    """Print a progress line at once, even when the output goes to a pipe or a log file (``make book |
    tee``)."""
    print(line, flush=True)


def build_book(*args, **kwargs) -> Path:
    """:func:`build_book_report` (same arguments), returning only the output folder."""
    return build_book_report(*args, **kwargs).output_dir


def build_book_report(
    anio: int = 2024,
    cuatrimestre: int = 1,
    output_dir: str | Path | None = None,
    parameters: Mapping | None = None,
    *,
    data_dir: str | Path | None = None,
    footer: str | None = None,
    jobs: int | None = None,
    log: Callable[[str], None] | None = None,
    finish: Callable[[Path], None] | None = None,
    work_dir: Path | None = None,
    publish: Callable[[Path, Path], None] | None = None,
    huella: str | None = None,
    built: dt.date | None = None,
    published: Sequence[PublishedVersion] = (),
) -> BuildReport:
    """Build the edition (*anio*, *cuatrimestre*) into *output_dir* (default
    ``build/vista/<anio>-c<cuatrimestre>``, a preview outside the archive).

    *parameters* go to every notebook that declares them (umbrales, nivel, …; anio and
    cuatrimestre, if present, must agree with the edition's). *data_dir* is the data folder
    (default: the repository's data/). *footer* is trusted HTML shown under every page instead of
    the default line (edition, date of the data, date of the build). Returns the output folder,
    the time each step took and the stderr removed from pages.
    Raises :class:`BuildError` (a notebook or Sphinx failed) or
    :class:`~pei_analysis.errors.DataError` (bad parameters, no data for the period); in both
    cases the output folder is left exactly as it was. *finish*, if given, is called with the built HTML
    folder just before it replaces *output_dir*, so the book appears in one rename, with everything
    in it. The archive passes *work_dir* (its locked temporary folder, holding the snapshot of the
    data it passes as *data_dir*) and *publish* (how the HTML folder replaces *output_dir*), and the
    edition's *huella* and build date *built* (default: today) for its «Cómo citar» page and the
    data package of its downloads (:mod:`pei_analysis.publish.edition_files`), and the versions of the
    edition already *published* (:func:`pei_analysis.publish.versions.versions_to_compare`), whose figures
    the new one compares with its own (:mod:`pei_analysis.model.corrections`).

    Without *work_dir*, the build makes its own locked temporary folder beside the output and
    copies into it the data up to the period (:mod:`pei_analysis.publish.snapshot`): the book
    never reads a file an import may be writing. The edition's dataset (every number the chapters
    show) is computed from that copy, once, before any kernel starts: data that fail validation or
    have no rows for the period are refused before anything is built, and the notebooks only read
    the dataset (parameter ``edicion``).
    """
    t0 = time.perf_counter()
    log = log or console
    if data_dir is not None:
        parameters = {**dict(parameters or {}), "carpeta_datos": str(data_dir)}
    params = edition_parameters(anio, cuatrimestre, parameters)
    target = Path(output_dir) if output_dir is not None else PREVIEW_DIR / edition_id(anio, cuatrimestre)
    target = target.resolve()
    own = (
        contextlib.nullcontext(work_dir)
        if work_dir is not None
        else workspace.build_folder(target.parent, target.name, f"vista {edition_id(anio, cuatrimestre)}")
    )
    with own as scratch:
        if work_dir is None:
            data_dir = scratch / "datos"
            take_snapshot(
                params["carpeta_datos"],
                data_dir,
                f"vista {edition_id(anio, cuatrimestre)}",
                functools.partial(_has_period, anio=params["anio"], cuatrimestre=params["cuatrimestre"]),
            )
        stamp = EditionStamp(
            params["anio"], params["cuatrimestre"], built or dt.date.today(), program_version(), huella
        )
        runs, timings = _build_in(
            scratch, params, Path(data_dir), parameters, footer, jobs, log, t0, stamp, published
        )
        t3 = time.perf_counter()
        html_dir = scratch / "libro" / "_build" / "html"
        if finish is not None:
            finish(html_dir)
        (publish or workspace.publish_dir)(html_dir, target)
        timings["publicar"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0
    log("Tiempos: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    log(f"Libro listo. Ábralo en: {(target / 'index.html').as_uri()}")
    return BuildReport(target, runs, timings)


def _has_period(poa, anio: int, cuatrimestre: int) -> tuple[int, int]:
    """The period of a preview, refused (as the edition's dataset would refuse it) when the data do not have
    it."""
    report.period_rows(poa, anio, cuatrimestre)
    return anio, cuatrimestre


def _build_in(
    scratch: Path,
    params: dict,
    data_dir: Path,
    passed: Mapping | None,
    footer: str | None,
    jobs: int | None,
    log: Callable[[str], None],
    t0: float,
    stamp: EditionStamp,
    published: Sequence[PublishedVersion] = (),
) -> tuple[list[NotebookRun], dict[str, float]]:
    """Compute the dataset from *data_dir*, run the notebooks and Jupyter Book in *scratch*; the HTML ends in
    libro/_build/html."""
    anio, cuatrimestre = params["anio"], params["cuatrimestre"]
    params = {**params, "carpeta_datos": str(data_dir)}
    log(f"Calculando las cifras de la edición {edition_id(anio, cuatrimestre)} (validación y proyección)…")
    dataset = edition_data.compute_dataset(
        anio, cuatrimestre, data_dir, params["umbrales"], params["nivel"], published
    )
    timings = {"edicion": time.perf_counter() - t0}
    log(f"  cifras listas en {timings['edicion']:.1f} s")
    source_dir = scratch / "libro"
    shutil.copytree(BOOK_DIR, source_dir, ignore=_BOOK_IGNORE)
    edition_files.write_citation_page(source_dir, stamp)
    dataset_path = edition_data.save_dataset(dataset, scratch / edition_data.DATASET_FILE)
    params[DATASET_PARAMETER] = str(dataset_path)
    notebooks = chapter_notebooks(chapter_files(), source_dir)
    check_declared(notebooks, passed)
    timings["preparar"] = time.perf_counter() - t0 - timings["edicion"]

    log(f"Ejecutando {len(notebooks)} cuadernos con papermill (edición {edition_id(anio, cuatrimestre)})…")
    t1 = time.perf_counter()
    runs = run_notebooks(notebooks, source_dir, params, jobs, log=log)
    timings["papermill"] = time.perf_counter() - t1
    log_runs(runs, log)

    footer = footer if footer is not None else edition_files.footer_html(anio, cuatrimestre, stamp.built)
    footer += corrections.footer_note(dataset)
    write_config(source_dir, anio, cuatrimestre, footer)
    log("Construyendo el HTML con Jupyter Book…")
    t2 = time.perf_counter()
    run_jupyter_book(source_dir)
    page_weight.trim_pages(source_dir / "_build" / "html")
    edition_files.write_entry_page(source_dir / "_build" / "html", anio, cuatrimestre)
    edition_files.publish_downloads(
        source_dir,
        source_dir / "_build" / "html",
        dataset,
        stamp,
        params.get("carpeta_descargas") or DOWNLOADS_FOLDER,
    )
    timings["jupyter-book"] = time.perf_counter() - t2
    log(f"  HTML listo en {timings['jupyter-book']:.1f} s")
    return runs, timings


def chapter_notebooks(chapters: Sequence[str], source_dir: Path) -> list[Path]:
    """The notebooks of notebooks/ that the table of contents names; refuse a name found nowhere."""
    notebooks = []
    for name in chapters:
        notebook = NOTEBOOKS_DIR / f"{name}.ipynb"
        if notebook.exists():
            notebooks.append(notebook)
        elif not any((source_dir / f"{name}{ext}").exists() for ext in (".md", ".ipynb", ".rst")):
            raise BuildError(f"_toc.yml nombra «{name}», que no está en notebooks/ ni en book/")
    return notebooks


def check_declared(notebooks: Sequence[Path], parameters: Mapping | None) -> None:
    """Refuse a parameter no notebook declares: a typo would otherwise be silently ignored."""
    declared = set().union(*(declared_parameters(nbformat.read(nb, as_version=4)) for nb in notebooks))
    unknown = sorted(set(parameters or {}) - declared)
    if unknown:
        raise DataError(
            f"ningún cuaderno declara el parámetro «{unknown[0]}»; se esperaba uno de: "
            f"{', '.join(sorted(declared))}",
            field=unknown[0],
        )


def log_runs(runs: Sequence[NotebookRun], log: Callable[[str], None]) -> None:
    """What the book hides from readers (relaunched kernels, stderr), on the console.

    Each notebook's time was already printed as it ended (:class:`~pei_analysis.publish.notebooks.Progress`).
    """
    for run in runs:
        if run.launches > 1:
            log(f"  aviso: el núcleo de {run.name} no arrancó a la primera; se lanzó {run.launches} veces")
        for text in run.stderr:
            log(f"  aviso: {run.name} escribió en stderr (no se muestra en el libro): {text[:300]}")
