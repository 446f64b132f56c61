"""The data an edition may see, copied once: the POA up to its period and the files those rows rest on.

Why: an edition read data/ while it was built, so rebuilding 2024-c1 after 2024-c2 was imported
listed c2's original and 72 rows in its methodology page (the validation summary and the sources
table read the whole folder), under the same fingerprint; an import during a build mixed both.
Now a build first copies, under the data folder's lock, the POA rows up to its period, the
originals in ``raw/`` those rows cite, the PEI's sources and the other tables; it releases the lock
and builds everything (validation summary, sources table, projections, every page) from that
copy, and the fingerprint hashes that copy. Later data can no longer reach an earlier edition.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pei_analysis.files import atomic_write_text, exclusive_lock
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import CORRESPONDENCES_CSV, PRODUCTS_CSV, YEARS_CSV
from pei_analysis.tables.poa import POA_ANNUAL_CSV, POA_ANNUAL_SCHEMA, POA_CSV, PRODUCT_KEY

#: The tables an edition reads besides the POA, copied whole; the schemas count because the chapter
#: on the data shows what they say of each column.
DATA_FILES = (
    "pei/pei_2018_2022.yaml",
    "vinculos/poa_pei.csv",
    "pei/observaciones_indicadores.csv",
    "pei/observaciones_indicadores.schema.yaml",
    "poa/poa_ejecucion.schema.yaml",
    "pei/pei_2018_2022.schema.yaml",
    "vinculos/poa_pei.schema.yaml",
    "catalogo/productos.schema.yaml",
    "catalogo/productos_por_anio.schema.yaml",
    "catalogo/correspondencias.schema.yaml",
)
#: The catalogue tables, copied cut at the edition's year (a later year's products and names stay out).
CATALOGUE_FILES = (PRODUCTS_CSV.as_posix(), YEARS_CSV.as_posix(), CORRESPONDENCES_CSV.as_posix())
LINKS_CSV = "vinculos/poa_pei.csv"
#: Originals in raw/ that are the PEI's sources (as the sources table names them), copied for every edition.
PEI_SOURCES = "pei_*"


def take_snapshot(
    data_dir: str | Path | None, dest: Path, command: str, choose: Callable[[pd.DataFrame], tuple[int, int]]
) -> tuple[int, int]:
    """Check data/ and copy into *dest* what the edition ``choose(poa)`` names may see; return its period.

    The whole data folder is validated first, under its lock, so a refusal names the analyst's
    files and not the copy; *choose* refuses a period the data do not have (with the message the
    command always gave), seeing the whole table as it is under the lock.
    """
    from pei_analysis.ingest.validation import validate_all

    root = _data_dir(data_dir)
    with exclusive_lock(root, command):
        poa = validate_all(root).poa
        anio, cuatrimestre = choose(poa)
        text = (root / POA_CSV).read_text(encoding="utf-8")
        rows, cited = poa_up_to(text, anio, cuatrimestre)
        atomic_write_text(dest / POA_CSV, rows)
        if (root / POA_ANNUAL_CSV).exists():  # copied only when the edition has years known by their total,
            totals, cited_totals = annual_before(  # so an edition without them keeps its fingerprint
                (root / POA_ANNUAL_CSV).read_text(encoding="utf-8"), anio
            )
            if cited_totals:
                atomic_write_text(dest / POA_ANNUAL_CSV, totals)
                _copy(root / POA_ANNUAL_SCHEMA, dest / POA_ANNUAL_SCHEMA)
                cited |= cited_totals
        for name in DATA_FILES:
            if (root / name).exists():
                _copy(root / name, dest / name)
        _copy_catalogue(root, dest, anio)
        links = dest / LINKS_CSV
        if links.exists():
            keys = set(pd.read_csv(dest / PRODUCTS_CSV, dtype=str, keep_default_na=False)["clave"])
            cut = links_of(links.read_text(encoding="utf-8"), keys)
            if cut is not None:
                atomic_write_text(links, cut)
        for raw in sorted((root / "raw").glob(PEI_SOURCES)) + [root / "raw" / name for name in sorted(cited)]:
            _copy(raw, dest / "raw" / raw.name)
    return anio, cuatrimestre


def poa_up_to(text: str, anio: int, cuatrimestre: int) -> tuple[str, set[str]]:
    """The POA CSV *text* cut after (*anio*, *cuatrimestre*), and the originals its remaining rows cite.

    Rows are kept as the CSV module writes them (as pandas wrote them), so the cut table of an
    edition has the same bytes whatever later periods the full table holds.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    year, period, source = (header.index(c) for c in ("anio", "cuatrimestre", "archivo_origen"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    cited = set()
    for row in reader:
        if row and (int(row[year]), int(row[period])) <= (anio, cuatrimestre):
            writer.writerow(row)
            cited.add(row[source])
    return out.getvalue(), cited


def annual_before(text: str, anio: int) -> tuple[str, set[str]]:
    """The annual totals CSV *text* with only the years before *anio*, and the originals those rows cite.

    A year's total is known only once the year is over, so an edition sees the totals of earlier years.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    year, source = header.index("anio"), header.index("archivo_origen")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    cited = set()
    for row in reader:
        if row and int(row[year]) < anio:
            writer.writerow(row)
            cited.add(row[source])
    return out.getvalue(), cited


def data_up_to(table: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.Series:
    """Which rows of *table* an edition may see: its own period and the ones before, never later data."""
    return (table["anio"] < anio) | ((table["anio"] == anio) & (table["cuatrimestre"] <= cuatrimestre))


def links_of(text: str, products: set[str]) -> str | None:
    """The POA-PEI links CSV *text* without the rows of products the edition's catalogue lacks; None when it
    has them all.

    A product added in a later year may already be linked; its row would make the earlier
    edition's validation refuse a link to a product its catalogue does not have. The file is
    rewritten only then, so in the usual case the edition reads the analysts' file byte for byte.
    """
    return _rows_where(text, PRODUCT_KEY, lambda value: value.strip() in products)


def _copy_catalogue(root: Path, dest: Path, anio: int) -> None:
    """Copy the catalogue up to the edition's year: its products, their numbers and the analyst's decisions.

    A later import adds products and years to the catalogue; cut here, they cannot change an earlier
    edition (nor its fingerprint). Unchanged tables are copied byte for byte.
    """
    years_text = (root / YEARS_CSV).read_text(encoding="utf-8")

    def up_to(value: str) -> bool:
        return not value.strip().isdigit() or int(value) <= anio

    years = _rows_where(years_text, "anio", up_to)
    seen = {
        row["clave"]
        for row in csv.DictReader(io.StringIO(years or years_text, newline=""))
        if up_to(row["anio"])
    }
    cuts = {
        YEARS_CSV.as_posix(): years,
        PRODUCTS_CSV.as_posix(): _rows_where(
            (root / PRODUCTS_CSV).read_text(encoding="utf-8"), "clave", lambda value: value in seen
        ),
        CORRESPONDENCES_CSV.as_posix(): _rows_where(
            (root / CORRESPONDENCES_CSV).read_text(encoding="utf-8"), "anio", up_to
        ),
    }
    for name, cut in cuts.items():
        if cut is None:
            _copy(root / name, dest / name)
        else:
            atomic_write_text(dest / name, cut)


def _rows_where(text: str, column_name: str, keep) -> str | None:
    """The CSV *text* with only the rows whose *column_name* passes *keep*; None when every row does."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column = rows[0].index(column_name) if rows and column_name in rows[0] else None
    if column is None:
        return None
    kept = [row for row in rows[1:] if row and keep(row[column])]
    if len(kept) == len([row for row in rows[1:] if row]):
        return None
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *kept])
    return out.getvalue()


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
