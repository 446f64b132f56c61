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
#: Annual totals of past years known only as a whole (no cuatrimestres): one row per product and year.
POA_ANNUAL_CSV = Path("poa") / "poa_anual.csv"
POA_ANNUAL_SCHEMA = Path("poa") / "poa_anual.schema.yaml"
#: What names a product in a year's report, in the order of the tables: its place in the programme,
#: its number, its catalogue key, its description. One list for every table that describes products.
PRODUCT_COLUMNS = [
    "programa",
    "programa_nombre",
    "subprograma",
    "subprograma_nombre",
    "producto",
    "clave",
    "descripcion",
    "sigla",
    "unidad",
]
#: The columns of the annual totals, as its schema lists them (a test keeps the two equal): what an
#: absent table is read as, so a data folder without it (an older one, an edition's copy) needs no schema.
ANNUAL_COLUMNS = ["anio", *PRODUCT_COLUMNS, "programado", "ejecutado", "archivo_origen", "linea_origen"]
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
        raise DataError(
            f"la clave «{table[PRODUCT_KEY].iloc[i]}» no está en el catálogo (catalogo/productos.csv).",
            path=path,
            line=i + 2,
            field=PRODUCT_KEY,
        )
    period = [name for name in ("anio", "cuatrimestre") if name in table.columns]  # annual totals: the year
    twice = table.duplicated([*period, PRODUCT_KEY]).to_numpy().nonzero()[0]
    if len(twice):
        i = int(twice[0])
        raise DataError(
            f"la clave «{table[PRODUCT_KEY].iloc[i]}» aparece dos veces en el mismo período.",
            path=path,
            line=i + 2,
            field=PRODUCT_KEY,
        )
    _check_one_number_a_year(table, path)


def _check_one_number_a_year(table: pd.DataFrame, path: Path) -> None:
    """Within a year a product keeps its report number in every cuatrimestre (the catalogue records one
    number per product and year); a table edited by hand, or a template from another year, breaks that."""
    numbers = table.groupby(["anio", PRODUCT_KEY])["producto"].transform("nunique")
    if (numbers > 1).any():
        i = int((numbers > 1).to_numpy().nonzero()[0][0])
        row = table.iloc[i]
        same = (table["anio"] == row["anio"]) & (table[PRODUCT_KEY] == row[PRODUCT_KEY])
        others = sorted(set(table.loc[same, "producto"].astype(int)))
        raise DataError(
            f"la clave «{row[PRODUCT_KEY]}» tiene en {int(row['anio'])} los números "
            f"{', '.join(map(str, others))} según el cuatrimestre: en un año cada producto conserva su "
            "número.",
            path=path,
            line=i + 2,
            field="producto",
        )


def poa_annual_schema(data_dir: str | Path | None = None) -> TableSchema:
    """The schema of the annual totals table."""
    return load_schema(_data_dir(data_dir) / POA_ANNUAL_SCHEMA)


def load_poa_annual(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the annual totals of past years (``poa_anual.csv``), one row per product and year, validated.

    A data folder made before the table existed has no file, nor an edition's copy of data/ without
    annual years: that is no year known only by its total, so an empty frame with the table's columns
    comes back (the first annual import creates the file).
    """
    root = _data_dir(data_dir)
    if not (root / POA_ANNUAL_CSV).exists():
        return pd.DataFrame({name: pd.Series(dtype="object") for name in ANNUAL_COLUMNS})
    table = poa_annual_schema(root).read_csv(root / POA_ANNUAL_CSV)
    if not table.empty:
        check_keys(table, set(load_catalogue(root).productos["clave"]), root / POA_ANNUAL_CSV)
    return table


def annual_years(table: pd.DataFrame) -> list[int]:
    """The years present in the annual totals table, oldest first."""
    return sorted(int(a) for a in set(table["anio"]))


def merge_annual(
    existing: pd.DataFrame, new: pd.DataFrame, *, replace: bool = False, path: Path | None = None
) -> pd.DataFrame:
    """Add the year(s) in *new* to the annual totals; refuse a year already there unless ``replace``."""
    clash = sorted(set(annual_years(existing)) & set(annual_years(new)))
    if clash and not replace:
        raise DataError(
            f"el total anual de {clash[0]} ya está en los datos: use --reemplazar para sustituirlo.",
            path=path,
            field="anio",
        )
    keep = existing[~existing["anio"].isin(clash)]
    parts = [frame for frame in (keep, new[existing.columns]) if not frame.empty]
    merged = pd.concat(parts, ignore_index=True) if parts else existing.iloc[0:0]
    return merged.sort_values(["anio", "producto"], kind="stable").reset_index(drop=True)


def annual_table_csv(
    table: pd.DataFrame, data_dir: str | Path | None = None, claves: set[str] | None = None
) -> str:
    """Validate *table* and return the annual totals CSV as it is written (the journal hashes this text).

    ``claves`` as for :func:`table_csv`: each row's clave must be in the catalogue.
    """
    root = _data_dir(data_dir)
    schema = poa_annual_schema(root)
    table = table[schema.column_names].reset_index(drop=True)
    if not table.empty:
        schema.validate(table)
        if claves is None:
            claves = set(load_catalogue(root).productos["clave"])
        check_keys(table, claves, root / POA_ANNUAL_CSV)
    return table.to_csv(index=False, lineterminator="\n")


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


def write_table(
    table: pd.DataFrame, data_dir: str | Path | None = None, claves: set[str] | None = None
) -> Path:
    """Validate *table* and write it as the tidy POA CSV, atomically."""
    root = _data_dir(data_dir)
    target = root / POA_CSV
    atomic_write_text(target, table_csv(table, root, claves))
    return target
