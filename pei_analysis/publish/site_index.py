"""The archive's front page: ``site/index.html`` lists every edition (newest first, with the earlier
versions of one whose figures changed), ``site/latest/`` opens the newest, and each edition's record
(``edicion.json``) says what it is.

Split from :mod:`.archive`, which builds and publishes an edition: this module changes when the list
readers see changes, that one when the way an edition is built does.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from pei_analysis.calendar import cuatrimestre_label
from pei_analysis.files import atomic_write_text
from pei_analysis.format import fmt_date
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import versions

#: The book's icon (book/_static), also served beside the list of editions.
FAVICON = REPO_DIR / "book" / "_static" / "favicon.svg"
#: The archive of editions: one folder per edition, the list of them and the latest.
SITE_DIR = REPO_DIR / "site"
RECORD = "edicion.json"


def read_record(edition_dir: Path) -> dict | None:
    """The record of the edition in *edition_dir*, or None when there is none or it cannot be read."""
    path = edition_dir / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_record(edition_dir: Path, record: dict) -> None:
    """Write the edition's record (fingerprint, period, dates) into its folder, beside its pages."""
    atomic_write_text(edition_dir / RECORD, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))


def list_editions(site_dir: Path = SITE_DIR) -> list[dict]:
    """The editions in *site_dir*, newest first: folders with a readable record of their own name, never
    hidden ones (a copy aside of an edition, or a build in progress, is not an edition)."""
    records = []
    for path in sorted(site_dir.iterdir()) if site_dir.exists() else []:
        if path.is_dir() and not path.name.startswith("."):
            record = read_record(path)
            if record and record.get("edicion") == path.name:
                records.append(record)
    return sorted(records, key=lambda r: (r["anio"], r["cuatrimestre"]), reverse=True)


def earlier_versions(site_dir: Path, edition: str) -> list[dict]:
    """The records of the earlier versions of *edition* kept in *site_dir* (:mod:`.versions`), newest
    first, each with its folder's name as ``carpeta``."""
    found = []
    for path in site_dir.glob(f"{edition}{versions.VERSION_MARK}*"):
        record = read_record(path) if path.is_dir() else None
        if record and record.get("edicion") == edition:
            found.append({**record, "carpeta": path.name})
    return sorted(found, key=lambda r: (r["construida"], r["carpeta"]), reverse=True)


def _versions_html(kept: list[dict]) -> str:
    """The line under an edition that lists its earlier versions (empty when it was never corrected)."""
    if not kept:
        return ""
    links = ", ".join(
        f'<a href="{html.escape(r["carpeta"])}/index.html">construida el '
        f"{fmt_date(dt.date.fromisoformat(r['construida']))}</a>"
        for r in kept
    )
    label = "Versión anterior" if len(kept) == 1 else "Versiones anteriores"
    return f'<br><small class="versiones">{label}, con otras cifras: {links}.</small>'


def write_index(site_dir: Path = SITE_DIR) -> None:
    """Write ``index.html`` (the list of editions), ``latest/index.html`` (a redirect to the newest)
    and the book's icon beside them (without it the browser asks for /favicon.ico: a 404 in the console)."""
    editions = list_editions(site_dir)
    newest_mark = ' <span class="nueva">(la más reciente)</span>'
    items = "\n".join(
        f'    <li><a href="{r["edicion"]}/index.html">'
        f"{html.escape(cuatrimestre_label(r['anio'], r['cuatrimestre']))}"
        f"</a>{newest_mark if i == 0 else ''}<br>"
        f"<small>datos al {fmt_date(dt.date.fromisoformat(r['datos_al']))} · construida el "
        f"{fmt_date(dt.date.fromisoformat(r['construida']))} · huella "
        f"<code>{r['huella'][:12]}</code></small>"
        f"{_versions_html(earlier_versions(site_dir, r['edicion']))}</li>"
        for i, r in enumerate(editions)
    )
    page = _INDEX_TEMPLATE.format(items=items or "    <li>Aún no hay ediciones.</li>")
    atomic_write_text(site_dir / FAVICON.name, FAVICON.read_text(encoding="utf-8"))
    atomic_write_text(site_dir / "index.html", page)
    if editions:
        newest = editions[0]["edicion"]
        atomic_write_text(site_dir / "latest" / "index.html", _LATEST_TEMPLATE.format(edicion=newest))


_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="favicon.svg" type="image/svg+xml">
  <title>Seguimiento del PEI y del POA del IGSS: ediciones</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem;
           line-height: 1.5; color: #222; }}
    li {{ margin-bottom: 1rem; }} small {{ color: #555; }} .nueva {{ color: #0072B2; }}
  </style>
</head>
<body>
  <h1>Seguimiento del PEI y del POA del IGSS</h1>
  <p>Una edición por cuatrimestre, con los datos de ejecución física publicados por el IGSS (SICOIN).
  Cada edición se conserva tal como se publicó; si sus cifras cambian después (un reporte corregido), la
  versión publicada sigue aquí, bajo su edición.</p>
  <h2>Ediciones</h2>
  <ul>
{items}
  </ul>
</body>
</html>
"""

_LATEST_TEMPLATE = """<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta http-equiv="refresh" content="0; url=../{edicion}/index.html">
  <link rel="icon" href="../favicon.svg" type="image/svg+xml">
  <title>Edición más reciente</title>
</head>
<body>
  <p>La edición más reciente es <a href="../{edicion}/index.html">{edicion}</a>.</p>
</body>
</html>
"""
