"""Ediciones: one published book per cuatrimestre in ``site/<A>-c<C>/``, every edition kept.

Readers cite editions, so an edition, once published, never changes unless its own inputs do:
each one records a fingerprint (the data up to its period, the code, the parameters and the
package versions) and is rebuilt only when that fingerprint changes. A build happens in a
temporary folder and is moved into place only when it succeeded, so a failure leaves the
published site exactly as it was. ``site/index.html`` lists the editions, newest first, and
``site/latest/`` opens the newest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import cuatrimestre_label, period_end
from pei_analysis.calendar import edition_id as edition_name
from pei_analysis.errors import DataError
from pei_analysis.files import atomic_write_text, sha256_bytes
from pei_analysis.format import fmt_date
from pei_analysis.paths import REPO_DIR
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.poa import load_poa, periods

SITE_DIR = REPO_DIR / "site"
RECORD = "edicion.json"
#: What the code of an edition is: the library (every stage subpackage), the notebooks papermill runs and
#: every source of the book: its pages, _config.yml and _toc.yml, static files, templates and the Spanish
#: translations of the theme (the .po sources; Sphinx compiles the .mo files from them at each build).
CODE_GLOBS = ("pei_analysis/**/*.py", "notebooks/**/*.ipynb", "book/**/*.md", "book/**/*.yml",
              "book/_static/**/*", "book/_templates/**/*", "book/_locales/**/*.po")
#: Folders of build leftovers and editor caches, never inputs.
_NOT_CODE = frozenset({"_build", ".ipynb_checkpoints", "__pycache__"})
#: The packages whose versions can change what a page shows.
PACKAGES = ("pandas", "numpy", "statsmodels", "scipy", "matplotlib", "seaborn", "jupyter-book", "sphinx",
            "myst-nb", "sphinx-book-theme", "pydata-sphinx-theme", "papermill")
#: Data files (besides the POA table, which is cut at the edition's period) that feed the book; the schemas
#: count because the chapter on the data shows what they say of each column.
DATA_FILES = ("pei/pei_2018_2022.yaml", "vinculos/poa_pei.csv", "pei/observaciones_indicadores.csv",
              "pei/observaciones_indicadores.schema.yaml", "poa/poa_ejecucion.schema.yaml",
              "pei/pei_2018_2022.schema.yaml", "vinculos/poa_pei.schema.yaml")


_COMPONENTS = {"datos": "los datos", "codigo": "el código", "parametros": "los parámetros",
               "paquetes": "las versiones de los paquetes"}


@dataclass(frozen=True)
class EditionResult:
    anio: int
    cuatrimestre: int
    path: Path
    built: bool
    fingerprint: str
    message: str



def data_up_to(table: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """The rows an edition may see: its own period and the ones before, never later data."""
    keep = (table["anio"] < anio) | ((table["anio"] == anio) & (table["cuatrimestre"] <= cuatrimestre))
    return table[keep]


def fingerprint(anio: int, cuatrimestre: int, parameters: dict, data_dir: str | Path | None = None) -> dict:
    """The inputs of an edition, each hashed; ``huella`` hashes them all together."""
    root = _data_dir(data_dir)
    poa = data_up_to(load_poa(root), anio, cuatrimestre)
    data = {"poa_ejecucion (hasta el período)": sha256_bytes(poa.to_csv(index=False).encode("utf-8"))}
    for name in DATA_FILES:
        path = root / name
        data[name] = sha256_bytes(path.read_bytes()) if path.exists() else None
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    parts = {"datos": data, "codigo": code_hash(), "parametros": parameters, "paquetes": versions}
    parts["huella"] = sha256_bytes(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return parts


def code_files(repo_dir: Path = REPO_DIR) -> list[Path]:
    """Every file :data:`CODE_GLOBS` matches below *repo_dir*, each once, in a stable order."""
    found = {
        path for pattern in CODE_GLOBS for path in repo_dir.glob(pattern)
        if path.is_file() and not _NOT_CODE & set(path.relative_to(repo_dir).parts)
    }
    return sorted(found)


def code_hash(repo_dir: Path = REPO_DIR) -> str:
    """One SHA-256 of the code files' names and bytes: renaming a file changes it as much as editing one."""
    code = hashlib.sha256()
    for path in code_files(repo_dir):
        code.update(path.relative_to(repo_dir).as_posix().encode())
        code.update(path.read_bytes())
    return code.hexdigest()


def read_record(edition_dir: Path) -> dict | None:
    path = edition_dir / RECORD
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_record(edition_dir: Path, record: dict) -> None:
    """Write the edition's record (fingerprint, period, dates) into its folder, beside its pages."""
    (edition_dir / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True),
                                      encoding="utf-8")


def build_edition(
    anio: int | None = None,
    cuatrimestre: int | None = None,
    *,
    site_dir: Path = SITE_DIR,
    data_dir: str | Path | None = None,
    parameters: dict | None = None,
    force: bool = False,
    today: dt.date | None = None,
    log=print,
) -> EditionResult:
    """Build one edition into ``site/<A>-c<C>/`` unless an identical one is already there."""
    from pei_analysis.ingest.validation import validate_all
    from pei_analysis.publish.book import build_book, footer_html

    root = _data_dir(data_dir)
    validate_all(root)  # a failed data check stops the run before anything is built
    available = periods(load_poa(root))
    if anio is None and cuatrimestre is None:
        anio, cuatrimestre = available[-1]
    elif anio is None or cuatrimestre is None:
        raise DataError("indique --anio y --cuatrimestre juntos, o ninguno (la última edición).", field="--anio")
    if (anio, cuatrimestre) not in available:
        listed = ", ".join(edition_name(*p) for p in available)
        raise DataError(f"no hay datos de {anio}, cuatrimestre {cuatrimestre} (hay: {listed}).", field="--anio")
    extra_parameters = dict(parameters or {})
    parameters = {"anio": anio, "cuatrimestre": cuatrimestre, **extra_parameters}
    parts = fingerprint(anio, cuatrimestre, parameters, root)
    name = edition_name(anio, cuatrimestre)
    target = site_dir / name
    record = read_record(target)
    if record and record.get("huella") == parts["huella"] and not force:
        write_index(site_dir)
        return EditionResult(anio, cuatrimestre, target, False, parts["huella"],
                             f"La edición {name} ya está al día (misma huella): no se reconstruye.")

    if record:
        changed = [label for key, label in _COMPONENTS.items() if record.get(key) != parts[key]]
        log(f"La edición {name} cambió de huella ({', '.join(changed) or 'forzada'}): se reconstruye.")
    today = today or dt.date.today()
    site_dir.mkdir(parents=True, exist_ok=True)
    record = {**parts, "edicion": name, "anio": anio, "cuatrimestre": cuatrimestre,
              "datos_al": period_end(anio, cuatrimestre).isoformat(), "construida": today.isoformat()}
    build_book(
        anio, cuatrimestre, target, parameters=extra_parameters or None,
        footer=footer_html(anio, cuatrimestre, today, huella=parts["huella"]), data_dir=data_dir,
        log=lambda line: None if line.startswith("Libro listo") else log(line),
        finish=lambda html_dir: write_record(html_dir, record),
    )
    write_index(site_dir)
    return EditionResult(anio, cuatrimestre, target, True, parts["huella"], f"Edición {name} construida en {target}.")



def list_editions(site_dir: Path = SITE_DIR) -> list[dict]:
    """The editions in *site_dir*, newest first."""
    records = [read_record(p) for p in site_dir.iterdir() if p.is_dir()] if site_dir.exists() else []
    records = [r for r in records if r]
    return sorted(records, key=lambda r: (r["anio"], r["cuatrimestre"]), reverse=True)


def write_index(site_dir: Path = SITE_DIR) -> None:
    """Write ``index.html`` (the list of editions) and ``latest/index.html`` (a redirect to the newest)."""
    editions = list_editions(site_dir)
    newest_mark = ' <span class="nueva">(la más reciente)</span>'
    items = "\n".join(
        f'    <li><a href="{r["edicion"]}/index.html">{html.escape(cuatrimestre_label(r["anio"], r["cuatrimestre"]))}'
        f"</a>{newest_mark if i == 0 else ''}<br>"
        f'<small>datos al {fmt_date(dt.date.fromisoformat(r["datos_al"]))} · construida el '
        f'{fmt_date(dt.date.fromisoformat(r["construida"]))} · huella <code>{r["huella"][:12]}</code></small></li>'
        for i, r in enumerate(editions)
    )
    page = _INDEX_TEMPLATE.format(items=items or "    <li>Aún no hay ediciones.</li>")
    atomic_write_text(site_dir / "index.html", page)
    if editions:
        newest = editions[0]["edicion"]
        atomic_write_text(site_dir / "latest" / "index.html", _LATEST_TEMPLATE.format(edicion=newest))


_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
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
  Cada edición se conserva tal como se publicó.</p>
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
  <title>Edición más reciente</title>
</head>
<body>
  <p>La edición más reciente es <a href="../{edicion}/index.html">{edicion}</a>.</p>
</body>
</html>
"""
