"""The earlier versions of an edition: what readers saw stays published when the edition's figures change.

Readers cite an edition. When it is rebuilt with other figures (:mod:`pei_analysis.model.corrections`),
the version they saw is kept, byte for byte, in a folder beside it (``site/2024-c1_version_2026-11-30/``):
at the same depth as the editions, so its links to the list of editions still work, and with a name that
is not its edition's, so the archive does not take it for one. The new version says at the top what
changed and links to it, and the list of editions names it under its edition.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pei_analysis.chapters.sections import DOWNLOADS_FOLDER
from pei_analysis.files import share_tree
from pei_analysis.ingest.originals import original_period
from pei_analysis.model.corrections import FIGURES, PROJECTION, PublishedVersion, compare_published
from pei_analysis.publish.workspace import build_folder
from pei_analysis.tables.poa import PRODUCT_KEY

#: What separates an edition's name from the build date in the folder of one of its earlier versions.
VERSION_MARK = "_version_"


def versions_to_compare(
    edition_dir: Path, record: dict | None, kept: list[dict], parts: dict, components: Iterable[str]
) -> tuple[PublishedVersion | None, PublishedVersion | None]:
    """What a new build of the edition in *edition_dir* compares its figures with: the version published
    there now (its *record*), and the newest of the versions *kept* beside it (their records, newest first).

    The second keeps a corrected edition saying so when it is rebuilt again with the same figures (a
    change of code): the figures readers may have cited are then those of the kept version. *parts* is
    the new fingerprint, *components* the codes of its parts.
    """
    edition_dir = Path(edition_dir)
    current = published_version(edition_dir, record, parts, components)
    if not kept:
        return current, None
    folder = edition_dir.parent / kept[0]["carpeta"]
    return current, published_version(folder, kept[0], parts, components, carpeta=folder.name)


def published_version(
    edition_dir: Path, record: dict | None, parts: dict, components: Iterable[str], carpeta: str | None = None
) -> PublishedVersion | None:
    """The version published in *edition_dir* (its *record*), as :mod:`.model.corrections` compares it.

    None when there is none, or when its downloads cannot be read (an edition published before they
    carried the catalogue key): it is then replaced as before, without a notice. *carpeta* is where it
    is kept (by default, where :func:`keep_version` will keep it).
    """
    if not record or not {"construida", "huella", "datos"} <= set(record):
        return None
    tables = _downloads(Path(edition_dir), record)
    if tables is None:
        return None
    had = set(_periods(set(record["datos"])))
    new_reports = _periods(set(parts["datos"]) - set(record["datos"]))  # a report replaced keeps the old one
    return PublishedVersion(
        carpeta=carpeta or version_folder(Path(edition_dir), record),
        construida=record["construida"],
        huella=record["huella"],
        cambios=tuple(code for code in components if record.get(code) != parts.get(code)),
        periodos_agregados=tuple(p for p in new_reports if p not in had),
        periodos_reemplazados=tuple(p for p in new_reports if p in had),
        cifras=tables[0],
        proyeccion=tables[1],
    )


def version_folder(edition_dir: Path, record: dict) -> str:
    """``<edition>_version_<build date>``, with the fingerprint's start when another version of that day is
    there."""
    name = f"{edition_dir.name}{VERSION_MARK}{record['construida']}"
    there = edition_dir.parent / name / "edicion.json"
    if there.exists() and json.loads(there.read_text(encoding="utf-8")).get("huella") != record["huella"]:
        name = f"{name}_{record['huella'][:8]}"
    return name


def keep_version(edition_dir: Path, folder: str) -> None:
    """Copy the published *edition_dir* to *folder* beside it: into a locked build folder first, then one
    rename.

    A run killed during the copy leaves a build folder whose lock is free, which the next run removes
    (:func:`.workspace.clear_scratch`); one killed after the rename leaves the kept version, which the next
    run finds and keeps as it is.
    """
    target = edition_dir.parent / folder
    if target.exists():
        return
    with build_folder(edition_dir.parent, folder, f"guardar {folder}") as scratch:
        copy = scratch / "copia"
        shutil.copytree(edition_dir, copy)
        share_tree(copy)
        copy.rename(target)


def corrects(previous: PublishedVersion | None, html_dir: Path, record: dict) -> bool:
    """Whether the edition built in *html_dir* publishes other figures than *previous* did.

    The pages said so already (the dataset compared the same tables before they were written); here the
    archive compares the two sets of downloads, to keep the previous version only when it must.
    """
    if previous is None:
        return False
    now = _downloads(html_dir, record)
    return now is not None and compare_published(previous, *now).changed


def _downloads(edition_dir: Path, record: dict) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The edition's ``poa_ejecucion.csv`` and ``proyeccion_y_semaforo.csv``; None if either cannot be read
    or lacks a column the comparison needs."""
    folder = edition_dir / ((record.get("parametros") or {}).get("carpeta_descargas") or DOWNLOADS_FOLDER)
    try:
        cifras = pd.read_csv(folder / "poa_ejecucion.csv", encoding="utf-8-sig")
        proyeccion = pd.read_csv(folder / "proyeccion_y_semaforo.csv", encoding="utf-8-sig")
    except (OSError, ValueError):
        return None
    if not {"anio", "cuatrimestre", PRODUCT_KEY, "producto", *FIGURES} <= set(cifras):
        return None
    if not {PRODUCT_KEY, "producto", *PROJECTION, "estado"} <= set(proyeccion):
        return None
    return cifras, proyeccion


def _periods(files: set[str]) -> tuple[tuple[int, int | None], ...]:
    """The periods of the POA originals among *files* (names under the data folder)."""
    found = {original_period(name.removeprefix("raw/")) for name in files if name.startswith("raw/")}
    return tuple(sorted(found - {None}, key=lambda p: (p[0], p[1] or 0)))
