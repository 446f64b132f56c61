"""The product catalogue (``data/catalogo/``): a stable key per product, whatever number the report gives it.

A SICOIN report numbers its products 1..N in order, so a product added or removed shifts every number
after it and two products can trade places. The catalogue gives each product a ``clave`` that never
changes and records, per year, the number and the description the report gave it
(``productos_por_anio.csv``); the importer recognises a product by its description, and an analyst
settles a renamed or ambiguous one in ``correspondencias.csv``. The three tables are read and checked
here with their schemas (``*.schema.yaml`` beside them), plus the rules between them that a column
cannot state on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schema

CATALOGUE_DIR = Path("catalogo")
PRODUCTS_CSV = CATALOGUE_DIR / "productos.csv"
YEARS_CSV = CATALOGUE_DIR / "productos_por_anio.csv"
CORRESPONDENCES_CSV = CATALOGUE_DIR / "correspondencias.csv"
CATALOGUE_FILES = (PRODUCTS_CSV, YEARS_CSV, CORRESPONDENCES_CSV)
#: What ``clave`` says in a correspondence to accept the description as a new product.
NEW = "nuevo"
#: What stands for the sigla in a key when the description has none.
NO_SIGLA = "SN"
_TRAILING_SIGLA = re.compile(r"\(\s*[A-Za-zÁÉÍÓÚÑáéíóúñ]{2,6}\s*\)[\s.]*$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Catalogue:
    """The three catalogue tables, typed and checked."""

    productos: pd.DataFrame
    por_anio: pd.DataFrame
    correspondencias: pd.DataFrame


def normalise_description(text: str) -> str:
    """A description as compared on import: no case, accents, punctuation, repeated spaces or final «(SIGLA)».

    Reports retype descriptions (an accent, a comma, a space before the full stop); none of that
    makes a different product, so none of it may decide a match.
    """
    text = _TRAILING_SIGLA.sub("", str(text).strip())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain).strip()


def key_prefix(programa: str, subprograma: str, sigla: str | None) -> str:
    """The part of a key before its sequence number: ``11-02-ENF`` (``12-01-SN`` without a sigla)."""
    return f"{programa}-{subprograma}-{sigla if isinstance(sigla, str) and sigla else NO_SIGLA}"


def catalogue_schema(name: Path, data_dir: str | Path | None = None) -> TableSchema:
    """The schema beside one of the catalogue CSVs (``name`` relative to data/)."""
    root = _data_dir(data_dir)
    return load_schema(root / name.with_name(name.name.replace(".csv", ".schema.yaml")))


def load_catalogue(data_dir: str | Path | None = None) -> Catalogue:
    """Load and check the three catalogue tables; a refusal names the file, the line and the column."""
    root = _data_dir(data_dir)
    productos = _read(root, PRODUCTS_CSV, {})
    claves = set(productos["clave"])
    por_anio = _read(root, YEARS_CSV, {"productos.clave": claves})
    correspondencias = _read(root, CORRESPONDENCES_CSV, {})
    catalogue = Catalogue(productos, por_anio, correspondencias)
    check_rules(catalogue, root)
    return catalogue


def _read(root: Path, name: Path, references: dict) -> pd.DataFrame:
    path = root / name
    if not path.is_file():
        raise DataError("falta esta tabla del catálogo de productos (restáurela con git).", path=path)
    schema = catalogue_schema(name, root)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"no se puede leer como CSV UTF-8 con cabecera ({exc}).", path=path, line=1) from exc
    missing = [c for c in schema.column_names if c not in raw.columns]
    if missing:
        raise DataError(f"faltan columnas: {', '.join(missing)}.", path=path, line=1)
    return schema.from_text(raw, path, references=references)


def check_rules(catalogue: Catalogue, root: Path) -> None:
    """The rules between the tables: a key matches its programme, subprogramme and sigla; one row per key and
    year."""
    path = root / PRODUCTS_CSV
    for i, row in enumerate(catalogue.productos.itertuples(index=False)):
        prefix = key_prefix(row.programa, row.subprograma, row.sigla)
        if not re.fullmatch(re.escape(prefix) + r"-\d{1,3}", row.clave):
            raise DataError(
                f"la clave {row.clave} no corresponde a su programa, subprograma y sigla ({prefix}-n).",
                path=path,
                line=i + 2,
                field="clave",
            )
    check_short_names(catalogue.productos, path)
    years = catalogue.por_anio
    repeated = years.duplicated(["clave", "anio"], keep="first").to_numpy().nonzero()[0]
    if len(repeated):
        row = years.iloc[int(repeated[0])]
        raise DataError(
            f"la clave {row['clave']} tiene dos números en {row['anio']}: un producto "
            "aparece una sola vez por año.",
            path=root / YEARS_CSV,
            line=int(repeated[0]) + 2,
            field="clave",
        )
    known = set(catalogue.productos["clave"]) | {NEW}
    bad = ~catalogue.correspondencias["clave"].isin(known)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"la clave «{catalogue.correspondencias['clave'].iloc[i]}» no está en productos.csv; escriba "
            f"una clave del catálogo o «{NEW}».",
            path=root / CORRESPONDENCES_CSV,
            line=i + 2,
            field="clave",
        )


def check_short_names(productos: pd.DataFrame, path: Path) -> None:
    """Refuse two products with the same ``nombre_corto``: the book tells products apart by it.

    Compared as on import (no case, accents or punctuation), so «Cuota mortuoria IVS» and «cuota
    mortuoria IVS.» count as the same. Empty names (a product just added) are not compared.
    """
    if "nombre_corto" not in productos.columns:
        return
    names = productos["nombre_corto"]
    filled = names.notna() & (names.astype(str).str.strip() != "")
    normal = names[filled].astype(str).map(normalise_description)
    twice = normal.duplicated(keep="first")
    if twice.any():
        i = int(productos.index.get_loc(twice[twice].index[0]))
        first = productos.loc[normal[normal == normal[twice].iloc[0]].index[0], "clave"]
        raise DataError(
            f"el nombre corto «{names.iloc[i]}» ya es el de {first}: cada producto necesita "
            "un nombre corto distinto.",
            path=path,
            line=i + 2,
            field="nombre_corto",
        )


def catalogue_texts(catalogue: Catalogue, data_dir: str | Path | None = None) -> dict[Path, str]:
    """Check *catalogue* and return each table's CSV text by path relative to data/, as an import writes
    it."""
    root = _data_dir(data_dir)
    tables = {
        PRODUCTS_CSV: catalogue.productos,
        YEARS_CSV: catalogue.por_anio,
        CORRESPONDENCES_CSV: catalogue.correspondencias,
    }
    references = {"productos.clave": set(catalogue.productos["clave"])}
    texts = {}
    for name, table in tables.items():
        schema = catalogue_schema(name, root)
        table = table[schema.column_names].reset_index(drop=True)
        schema.validate(table, root / name, references=references)
        texts[name] = table.to_csv(index=False, lineterminator="\n")
    check_rules(catalogue, root)
    return texts
