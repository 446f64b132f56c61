"""Add a new period to data/: keep the file as received in data/raw/, update the tidy table.

Every check runs before anything is written: the file's own arithmetic (in the readers), then
its consistency with what data/ already holds (each product recognised in the catalogue by its
description, ``catalogue_match.py``; period vs cumulative figures and values wildly out of line with
the product's history, compared by catalogue key, so a renumbered product keeps its series). Only then
are the original, the table and the catalogue written,
as one transaction of the journal (``journal.py``): a crash or a full disk never leaves half an
import, and ``pei-analysis deshacer`` undoes exactly the last one. Import and undo hold the data
folder's lock, so two of them never interleave.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import check_import_period
from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock, sha256_bytes, sha256_file
from pei_analysis.ingest import journal
from pei_analysis.ingest.catalogue_match import KeyAssignment, assign_keys
from pei_analysis.ingest.limits import check_no_gap, check_outlier_factor
from pei_analysis.ingest.readers import parse_any
from pei_analysis.ingest.template import TEMPLATE_SUFFIXES
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import catalogue_texts, load_catalogue
from pei_analysis.tables.poa import POA_CSV, PRODUCT_KEY, load_poa, merge_period, poa_schema, table_csv

CIFRAS = ("periodo", "acumulado")
#: Told "periodo", a median ratio to the previous cuatrimestre at or above this looks cumulative.
CUMULATIVE_RATIO = 1.6
#: Told "acumulado", a median ratio to the sum of earlier cuatrimestres below this looks like a period figure.
PERIOD_RATIO = 1.2
#: Default guard: a product whose figure is this many times above (or below) its usual level is refused.
OUTLIER_FACTOR = 5.0
#: The guard ignores products whose usual level is below this (small counts swing a lot).
OUTLIER_MIN_LEVEL = 50
#: The name raw_name gives an original of the POA, with its period (an original of the PEI has another).
RAW_NAME = re.compile(r"^poa_(\d{4})_c([1-3])_")


@dataclass(frozen=True)
class ImportResult:
    anio: int
    cuatrimestre: int
    productos: int
    ejecutado_total: int
    raw_path: Path
    table_path: Path
    #: What the import found and recovered first (an earlier run interrupted), in Spanish.
    avisos: tuple[str, ...] = ()
    #: One Spanish line on the catalogue: products that changed number or were added (empty if none).
    catalogo: str = ""


def raw_name(anio: int, cuatrimestre: int, source: Path) -> str:
    """Descriptive name in data/raw/ for an original of that period."""
    suffix = source.suffix.lower() or ".txt"
    kind = "plantilla" if suffix in (".csv", ".xlsx") else "sicoin_ejecucion_fisica"
    return f"poa_{anio}_c{cuatrimestre}_{kind}{suffix}"



def _at(source: Path, number) -> dict:
    """Where a figure sits: a line of a text extract, a row (fila) of a spreadsheet template."""
    is_template = source.suffix.lower() in TEMPLATE_SUFFIXES
    return {"row": int(number)} if is_template else {"line": int(number)}



def to_period_figures(new: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> pd.DataFrame:
    """Return *new* with ``ejecutado`` as the cuatrimestre's own production.

    Cumulative figures (January to the end of the cuatrimestre) become period figures by
    subtracting the earlier cuatrimestres of the same year, which must all be in data/.
    """
    new = new.copy()
    new["cifras_origen"] = cifras
    if cifras == "periodo":
        return new
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    have = sorted(set(earlier["cuatrimestre"]))
    if have != list(range(1, cuatrimestre)):
        raise DataError(
            f"para convertir cifras acumuladas del cuatrimestre {cuatrimestre} hacen falta los cuatrimestres "
            f"anteriores de {anio} en los datos, y solo están: {have or 'ninguno'}.",
            path=source, field="--cifras",
        )
    before = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
    prior = new[PRODUCT_KEY].map(before).fillna(0).astype("int64")
    period = new["ejecutado"] - prior
    negative = period < 0
    if negative.any():
        row = new[negative].iloc[0]
        raise DataError(
            f"producto {row['producto']}: el acumulado {row['ejecutado']:,} es menor que lo ya reportado en "
            f"los cuatrimestres anteriores ({prior[negative].iloc[0]:,}); ¿son cifras del período?",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )
    new["ejecutado"] = period
    return new


def check_period_or_cumulative(raw: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> None:
    """Catch cumulative figures imported as period figures, and the reverse, where the data shows it."""
    anio, cuatrimestre = int(raw["anio"].iloc[0]), int(raw["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    if cifras == "periodo":
        last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
        previous = last.set_index(PRODUCT_KEY)["ejecutado"]
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio >= CUMULATIVE_RATIO:
            raise DataError(
                f"las cifras parecen acumuladas desde enero: la mediana de ejecutado es {ratio:.1f} veces la del "
                "cuatrimestre anterior. Si lo son, importe con --cifras acumulado.",
                path=source, field="ejecutado",
            )
    else:
        previous = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio < PERIOD_RATIO:
            raise DataError(
                f"las cifras no parecen acumuladas: la mediana de ejecutado es solo {ratio:.2f} veces lo reportado "
                "en los cuatrimestres anteriores. Si son del período, importe con --cifras periodo.",
                path=source, field="ejecutado",
            )


def _median_ratio(new: pd.DataFrame, previous: pd.Series) -> float | None:
    prev = new[PRODUCT_KEY].map(previous)
    usable = (prev >= OUTLIER_MIN_LEVEL) & (new["ejecutado"] > 0)
    if usable.sum() < 3:
        return None
    return float((new.loc[usable, "ejecutado"] / prev[usable]).median())


def check_same_year_products(new: pd.DataFrame, existing: pd.DataFrame, source: Path) -> None:
    """Refuse a report that lacks a product an earlier cuatrimestre of the same year had.

    Between years a product may disappear (the catalogue keeps it); within a year the report lists the
    same products every cuatrimestre, so a missing one is a cut file or a template row deleted.
    """
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
    missing = last[~last[PRODUCT_KEY].isin(new[PRODUCT_KEY])].sort_values("producto")
    if not missing.empty:
        raise DataError(
            f"faltan productos que estaban en {anio}, cuatrimestre {int(last['cuatrimestre'].iloc[0])}: "
            f"{', '.join(str(int(p)) for p in missing['producto'])}. Un producto sin producción va con 0.",
            path=source, field="producto",
        )


def check_outliers(new: pd.DataFrame, existing: pd.DataFrame, factor: float, source: Path) -> None:
    """Refuse an ejecutado *factor* times above or below the product's median earlier cuatrimestre."""
    if not factor or existing.empty:
        return
    usual = existing.groupby(PRODUCT_KEY)["ejecutado"].median()
    level = new[PRODUCT_KEY].map(usual)
    known = level >= OUTLIER_MIN_LEVEL
    high = known & (new["ejecutado"] > factor * level)
    low = known & (new["ejecutado"] * factor < level)
    wild = high | low
    if wild.any():
        row = new[wild].iloc[0]
        typical = level[wild].iloc[0]
        raise DataError(
            f"producto {row['producto']}: ejecutado {row['ejecutado']:,} está fuera de línea con su historia "
            f"(mediana por cuatrimestre {typical:,.0f}; se admite hasta {factor:g} veces más o menos). "
            "Revise la cifra, o ajuste la guardia con --factor-atipicos.",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )


def import_file(
    source: Path,
    *,
    anio: int,
    cuatrimestre: int,
    cifras: str | None = None,
    replace: bool = False,
    accept_new_products: bool = False,
    outlier_factor: float = OUTLIER_FACTOR,
    data_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a SICOIN extract or a filled template into data/; on any failure write nothing.

    The file is read and checked on its own first; then, holding the data folder's lock (two imports
    at once each read the table and each wrote its own, losing a period), an interrupted earlier run
    is recovered, the file is checked against data/ and written as one journalled transaction.
    ``accept_new_products`` (``--producto-nuevo``) adds a product whose description matches nothing
    in the catalogue instead of refusing the file.
    """
    root = _data_dir(data_dir)
    source = Path(source)
    check_import_period(anio, cuatrimestre, today)
    check_outlier_factor(outlier_factor)
    if cifras is None:
        if cuatrimestre > 1:
            raise DataError(
                "indique si las cifras del archivo son del período o acumuladas desde enero: "
                "--cifras periodo o --cifras acumulado.",
                field="--cifras",
            )
        cifras = "periodo"  # in the first cuatrimestre both are the same figure
    if cifras not in CIFRAS:
        raise DataError(f"--cifras debe ser «periodo» o «acumulado» y se indicó «{cifras}».", field="--cifras")
    if not source.is_file():
        raise DataError("el archivo no existe.", path=source)
    data = source.read_bytes()  # the bytes checked are the bytes kept in data/raw/
    raw = parse_any(source, anio, cuatrimestre)
    poa_schema(root)  # a wrong data folder is refused before the lock would create anything in it
    with exclusive_lock(root, f"importar {source.name}"):
        notes = journal.recover(root)
        existing = load_poa(root)
        others = existing[~((existing["anio"] == anio) & (existing["cuatrimestre"] == cuatrimestre))]
        catalogue = load_catalogue(root)
        keys = assign_keys(raw, catalogue, source, accept_new=accept_new_products)
        raw = keys.rows
        check_period_or_cumulative(raw, others, cifras, source)
        new = to_period_figures(raw, others, cifras, source)
        check_no_gap(anio, cuatrimestre, others, source)
        check_same_year_products(new, others, source)
        check_outliers(new, others, outlier_factor, source)

        target = _raw_target(root / "raw", anio, cuatrimestre, source, data)
        new["archivo_origen"] = target.name
        merged = merge_period(existing, new, replace=replace, path=root / POA_CSV)
        tables = _catalogue_tables(keys, catalogue, root)
        claves = set(keys.applied(catalogue).productos["clave"])
        _apply(root, (anio, cuatrimestre), source, data, target, table_csv(merged, root, claves), tables)
    return ImportResult(
        anio=anio,
        cuatrimestre=cuatrimestre,
        productos=len(new),
        ejecutado_total=int(new["ejecutado"].sum()),
        raw_path=target,
        table_path=root / POA_CSV,
        avisos=tuple(notes),
        catalogo=keys.aviso,
    )


def _catalogue_tables(keys: KeyAssignment, catalogue, root: Path) -> dict[Path, str]:
    """The catalogue tables the import rewrites (those it adds rows to), checked, as text."""
    texts = catalogue_texts(keys.applied(catalogue), root)
    return {name: text for name, text in texts.items() if (root / name).read_text(encoding="utf-8") != text}


def _raw_target(raw_dir: Path, anio: int, cuatrimestre: int, source: Path, data: bytes) -> Path:
    """Where the original goes in data/raw/: its descriptive name, or one of its own if that is taken."""
    target = raw_dir / raw_name(anio, cuatrimestre, source)
    if target.exists() and sha256_file(target) != sha256_bytes(data):
        # data/raw/ is immutable: a different file for the same period gets a name of its own.
        target = target.with_stem(f"{target.stem}_{sha256_bytes(data)[:8]}")
    return target


def _apply(
    root: Path, periodo: tuple[int, int], source: Path, data: bytes, target: Path, table: str,
    others: dict[Path, str] | None = None,
) -> None:
    """Write the import as one transaction (journal.py has the order); any failure rolls it back now.

    ``others`` are the catalogue tables, by path relative to data/, written in the same transaction.
    """
    added = [] if target.exists() else [target.name]
    try:
        journal.begin(root, periodo, source.name, added, table, others)
        if added:
            journal.copy_original(data, target)
        journal.write_table(root, table)
        journal.write_tables(root, others or {})
        journal.commit(root)
    except BaseException as exc:
        rolled_back = _roll_back_now(root)
        if isinstance(exc, OSError):
            tail = "no se importó nada." if rolled_back else "la próxima orden deshará lo que se alcanzó a escribir."
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
        raise


def _roll_back_now(root: Path) -> bool:
    """Roll back a failed import at once; if even that fails, the next command's recovery will."""
    try:
        journal.recover(root)
    except (OSError, DataError):
        return False
    return True


def _os_reason(exc: OSError) -> str:
    """The Spanish reason of a failed write; a full disk, the one an analyst can act on, said plainly."""
    if exc.errno == errno.ENOSPC:
        return "no queda espacio en el disco"
    return f"no se pudo escribir en la carpeta de datos ({exc.strerror or exc})"


def undo_last_import(data_dir: str | Path | None = None) -> dict:
    """Undo exactly the last journalled import: restore the table before it, remove the original it added.

    Refused, changing nothing, when the table is no longer the one that import left (edited by hand,
    or another period arrived by ``git pull``): undoing then would remove more than the import.
    """
    root = _data_dir(data_dir)
    if not (root / journal.JOURNAL_DIR).is_dir():
        raise DataError(journal.NOTHING_TO_UNDO, path=root / journal.JOURNAL_DIR)
    with exclusive_lock(root, "deshacer"):
        notes = journal.recover(root)
        try:
            entry = journal.undo(root)
        except OSError as exc:
            tail = ("la importación quedó a medio deshacer y la próxima orden terminará de deshacerla."
                    if journal.interrupted(root) else "no se deshizo nada.")
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
    return {**entry, "avisos": notes}
