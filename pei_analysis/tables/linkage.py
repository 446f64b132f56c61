"""The POA ↔ PEI linkage table (``data/vinculos/poa_pei.csv``), validated against the PEI and the POA.

Analysts edit this CSV by hand, so every row is checked against the plan it cites: an id that does
not exist, a meta filed under the wrong estrategia or an empty reason would otherwise put a product
under the wrong objective in the book without anyone noticing.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.pei import PEI, load_pei

LINKAGE_CSV = Path("vinculos") / "poa_pei.csv"
POA_CSV = Path("poa") / "poa_ejecucion.csv"
COLUMNS = ["producto", "objetivo_id", "estrategia_id", "meta_id", "razon"]
# Without a POA table to check against, the product numbers of the POA 2024 report (1-36).
DEFAULT_PRODUCTOS = range(1, 37)


def load_linkage(data_dir: str | Path | None = None, pei: PEI | None = None) -> pd.DataFrame:
    """Load ``<data_dir>/vinculos/poa_pei.csv``: one row per link between a POA product and the PEI.

    Columns: producto (int), objetivo_id, estrategia_id and meta_id (empty when the link is to the
    objective or the strategy as a whole), razon. Every id must exist in the PEI and belong to the
    ids on its left; producto must exist in the POA table when ``data/poa/poa_ejecucion.csv`` is
    there (otherwise 1-36); razon must not be empty; no link may be repeated. A refusal raises
    :class:`~pei_analysis.errors.DataError` naming the CSV line and the column.
    """
    root = _data_dir(data_dir)
    path = root / LINKAGE_CSV
    pei = pei if pei is not None else load_pei(root)
    productos = _known_products(root)
    objetivos = set(pei.objetivos["objetivo_id"])
    estrategia_de = dict(zip(pei.estrategias["estrategia_id"], pei.estrategias["objetivo_id"]))
    meta_de = dict(zip(pei.metas["meta_id"], pei.metas["estrategia_id"]))

    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, record in _read_rows(path):
        row = _check_row(record, line, path, productos, objetivos, estrategia_de, meta_de)
        key = (row["producto"], row["objetivo_id"], row["estrategia_id"], row["meta_id"])
        if key in seen:
            raise DataError(
                f"vínculo repetido: el mismo producto, objetivo, estrategia y meta ya están en la línea {seen[key]}.",
                path=path,
                line=line,
                field="producto",
            )
        seen[key] = line
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["producto"] = table["producto"].astype("int64")
    return table


def _read_rows(path: Path):
    """Yield (line number, {column: stripped text}) for each non-blank data row."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise DataError("no existe la tabla de vínculos POA-PEI.", path=path) from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise DataError(
                    f"el archivo está vacío; se esperaba la cabecera {','.join(COLUMNS)}.", path=path, line=1
                )
            header = [h.strip() for h in header]
            missing = [c for c in COLUMNS if c not in header]
            unknown = [c for c in header if c not in COLUMNS]
            if missing or unknown or len(set(header)) != len(header):
                detail = []
                if missing:
                    detail.append(f"faltan {', '.join(missing)}")
                if unknown:
                    detail.append(f"sobran {', '.join(unknown)}")
                if len(set(header)) != len(header):
                    detail.append("hay columnas repetidas")
                raise DataError(
                    f"cabecera no válida ({'; '.join(detail)}); se esperaba: {','.join(COLUMNS)}.",
                    path=path,
                    line=1,
                )
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    raise DataError(
                        f"la fila tiene {len(values)} campos y la cabecera {len(header)}; "
                        "¿falta una coma o unas comillas alrededor de una razón con comas?",
                        path=path,
                        line=reader.line_num,
                    )
                yield reader.line_num, {h: v.strip() for h, v in zip(header, values)}
        except UnicodeDecodeError as exc:
            raise DataError(f"no se puede leer como texto UTF-8 ({exc}).", path=path) from exc
        except csv.Error as exc:
            raise DataError(f"CSV mal formado ({exc}).", path=path, line=reader.line_num) from exc


def _check_row(
    record: dict[str, str],
    line: int,
    path: Path,
    productos: set[int],
    objetivos: set[str],
    estrategia_de: dict[str, str],
    meta_de: dict[str, str],
) -> dict:
    def fail(message: str, column: str) -> DataError:
        return DataError(message, path=path, line=line, field=column)

    producto_text = record["producto"]
    if not producto_text.isdigit():
        raise fail(f"«{producto_text}» no es un número de producto; se esperaba un entero.", "producto")
    producto = int(producto_text)
    if producto not in productos:
        raise fail(
            f"el producto {producto} no existe en el POA; se esperaba uno de {min(productos)} a {max(productos)}.",
            "producto",
        )
    objetivo_id = record["objetivo_id"]
    if objetivo_id not in objetivos:
        raise fail(
            f"el objetivo «{objetivo_id}» no existe en el PEI; se esperaba uno de: {', '.join(sorted(objetivos))}.",
            "objetivo_id",
        )
    estrategia_id = record["estrategia_id"] or None
    meta_id = record["meta_id"] or None
    if estrategia_id is not None:
        if estrategia_id not in estrategia_de:
            raise fail(f"la estrategia «{estrategia_id}» no existe en el PEI.", "estrategia_id")
        if estrategia_de[estrategia_id] != objetivo_id:
            raise fail(
                f"la estrategia «{estrategia_id}» pertenece a {estrategia_de[estrategia_id]}, no a {objetivo_id}.",
                "estrategia_id",
            )
    if meta_id is not None:
        if meta_id not in meta_de:
            raise fail(f"la meta «{meta_id}» no existe en el PEI.", "meta_id")
        if estrategia_id is None:
            raise fail(
                f"falta estrategia_id: la meta «{meta_id}» pertenece a {meta_de[meta_id]}; escríbala.",
                "estrategia_id",
            )
        if meta_de[meta_id] != estrategia_id:
            raise fail(
                f"la meta «{meta_id}» pertenece a {meta_de[meta_id]}, no a {estrategia_id}.",
                "meta_id",
            )
    if not record["razon"]:
        raise fail(
            "la razón está vacía; explique en una frase por qué el producto sirve a ese objetivo.", "razon"
        )
    return {
        "producto": producto,
        "objetivo_id": objetivo_id,
        "estrategia_id": estrategia_id,
        "meta_id": meta_id,
        "razon": record["razon"],
    }


def _known_products(root: Path) -> set[int]:
    """Product numbers of the POA table when it exists and its loader is available; else 1-36."""
    if not (root / POA_CSV).exists():
        return set(DEFAULT_PRODUCTOS)
    try:
        from pei_analysis.tables.poa import load_poa
    except ImportError:
        return set(DEFAULT_PRODUCTOS)
    return {int(p) for p in load_poa(root)["producto"].unique()}
