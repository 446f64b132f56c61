"""The tidy POA execution table: load it (validated) and add a period to it (atomically).

The table lives in ``data/poa/poa_ejecucion.csv`` beside its schema. Every write goes through
:func:`write_table`, which validates first and replaces the file in one ``os.replace``, so a
refused or interrupted import leaves the file byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.files import atomic_write_text
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import PRODUCTS_CSV, load_catalogue
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schema

POA_CSV = Path("poa") / "poa_ejecucion.csv"
POA_SCHEMA = Path("poa") / "poa_ejecucion.schema.yaml"
#: The column that identifies a product across periods. Everything downstream (history, projection,
#: links, editions) groups on it, never on a literal column name, so the identity can move from the
#: report's number to the catalogue key in one place.
PRODUCT_KEY = "clave"


def poa_schema(data_dir: str | Path | None = None) -> TableSchema:
    """The schema of the tidy POA table."""
    return load_schema(_data_dir(data_dir) / POA_SCHEMA)


def load_poa(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the POA execution table, one row per product and cuatrimestre, validated against its schema.

    ``data_dir`` defaults to the repository's ``data/`` (found from the package, not the working
    directory). Raises :class:`~pei_analysis.errors.DataError` if the table breaks its schema.
    """
    root = _data_dir(data_dir)
    table = poa_schema(root).read_csv(root / POA_CSV)
    if (root / PRODUCTS_CSV).exists() or not table.empty:
        check_keys(table, set(load_catalogue(root).productos["clave"]), root / POA_CSV)
    return table


def check_keys(table: pd.DataFrame, claves: set[str], path: Path) -> None:
    """Each row's clave exists in the catalogue, and a period holds a product once.

    The schema checks one unique key (the report's number); the catalogue key is the identity the
    history and the projection group on, so it must be unique within a period too.
    """
    unknown = ~table[PRODUCT_KEY].isin(claves)
    if unknown.any():
        i = int(unknown.to_numpy().nonzero()[0][0])
        raise DataError(f"la clave «{table[PRODUCT_KEY].iloc[i]}» no está en el catálogo (catalogo/productos.csv).",
                        path=path, line=i + 2, field=PRODUCT_KEY)
    twice = table.duplicated(["anio", "cuatrimestre", PRODUCT_KEY]).to_numpy().nonzero()[0]
    if len(twice):
        i = int(twice[0])
        raise DataError(f"la clave «{table[PRODUCT_KEY].iloc[i]}» aparece dos veces en el mismo período.",
                        path=path, line=i + 2, field=PRODUCT_KEY)


def periods(table: pd.DataFrame) -> list[tuple[int, int]]:
    """The (anio, cuatrimestre) pairs present in *table*, oldest first."""
    pairs = table[["anio", "cuatrimestre"]].drop_duplicates().sort_values(["anio", "cuatrimestre"])
    return [(int(a), int(c)) for a, c in pairs.itertuples(index=False)]


def merge_period(
    existing: pd.DataFrame, new: pd.DataFrame, *, replace: bool = False, path: Path | None = None
) -> pd.DataFrame:
    """Add the period(s) in *new* to *existing*; refuse a period already there unless ``replace``."""
    clash = sorted(set(periods(existing)) & set(periods(new)))
    if clash and not replace:
        anio, cuatrimestre = clash[0]
        raise DataError(
            f"el período {anio}, cuatrimestre {cuatrimestre}, ya está en los datos: "
            "use --reemplazar para sustituirlo.",
            path=path,
            field="periodo",
        )
    keep = existing
    for anio, cuatrimestre in clash:
        keep = keep[~((keep["anio"] == anio) & (keep["cuatrimestre"] == cuatrimestre))]
    merged = pd.concat([keep, new[existing.columns]], ignore_index=True)
    return merged.sort_values(["anio", "cuatrimestre", "producto"], kind="stable").reset_index(drop=True)


def table_csv(table: pd.DataFrame, data_dir: str | Path | None = None, claves: set[str] | None = None) -> str:
    """Validate *table* and return the tidy POA CSV as :func:`write_table` writes it.

    An import hashes this text before writing it, so its journal can tell later whether the table
    on disk is still the one the import left. ``claves`` are the catalogue's keys (with those the same
    import adds); by default, the catalogue on disk's.
    """
    root = _data_dir(data_dir)
    schema = poa_schema(root)
    table = table[schema.column_names].reset_index(drop=True)
    schema.validate(table)
    if claves is None:
        claves = set(load_catalogue(root).productos["clave"])
    check_keys(table, claves, root / POA_CSV)
    return table.to_csv(index=False, lineterminator="\n")


def write_table(table: pd.DataFrame, data_dir: str | Path | None = None, claves: set[str] | None = None) -> Path:
    """Validate *table* and write it as the tidy POA CSV, atomically."""
    root = _data_dir(data_dir)
    target = root / POA_CSV
    atomic_write_text(target, table_csv(table, root, claves))
    return target
