"""The POA ↔ PEI linkage table (``data/vinculos/poa_pei.csv``), validated against the PEI and the POA.

Analysts edit this CSV by hand, so every row is checked against the plan it cites: an id that does
not exist, a meta filed under the wrong estrategia or an empty reason would otherwise put a product
under the wrong objective in the book without anyone noticing.

The schema beside the CSV (``poa_pei.schema.yaml``) carries the checks a column can state on its own: types,
an obligatory reason, no repeated link, and that each id exists in the PEI (and each product's key in the
catalogue, ``data/catalogo/productos.csv``: a link follows the product, not its number in a report, which
changes when the report renumbers). What only a row can say (that the meta belongs to the strategy and the
strategy to the objective) is :func:`_check_hierarchy`. The file itself is read here, not by pandas, because a
hand edit breaks CSV in ways worth naming: a missing comma, a wrong header, a byte order mark.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import load_catalogue
from pei_analysis.tables.pei import PEI, load_pei
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schema

LINKAGE_CSV = Path("vinculos") / "poa_pei.csv"
LINKAGE_SCHEMA = Path("vinculos") / "poa_pei.schema.yaml"
COLUMNS = ["clave", "objetivo_id", "estrategia_id", "meta_id", "tipo", "confianza", "razon", "fuente_externa"]
DIRECT = "contribucion_directa"
LINK_TYPES = (DIRECT, "apoyo", "contexto")  # the closed list of the schema's «tipo», strongest first
#: The closed list of the schema's «confianza», highest first. It qualifies a link for the reader;
#: it weighs nothing in the figures (every direct contribution counts, whatever its confidence).
CONFIDENCE_LEVELS = ("alta", "media", "baja")


def linkage_schema(data_dir: str | Path | None = None) -> TableSchema:
    """The schema stored beside the linkage CSV."""
    return load_schema(_data_dir(data_dir) / LINKAGE_SCHEMA)


def load_linkage(data_dir: str | Path | None = None, pei: PEI | None = None) -> pd.DataFrame:
    """Load ``<data_dir>/vinculos/poa_pei.csv``: one row per link between a POA product and the PEI.

    Columns: clave (the product's catalogue key), objetivo_id, estrategia_id and meta_id (empty when
    the link is to the objective or the strategy as a whole), tipo (:data:`LINK_TYPES`: only a direct
    contribution may carry a figure for the element), confianza (:data:`CONFIDENCE_LEVELS`: how sure the
    reading is; never «alta» when the reason rests on outside knowledge), razon (quoting the product and
    the PEI element), fuente_externa («no» or «sí: …»). Every id must exist in the PEI and belong to the
    ids on its left; clave must exist in the catalogue; no link may be repeated. A refusal raises
    :class:`~pei_analysis.errors.DataError` naming the CSV line and the column.
    """
    root = _data_dir(data_dir)
    path = root / LINKAGE_CSV
    pei = pei if pei is not None else load_pei(root)
    schema = linkage_schema(root)
    lines, records = [], []
    for line, record in _read_rows(path):
        lines.append(line)
        records.append(record)
    references = {
        "productos.clave": set(load_catalogue(root).productos["clave"]),
        "objetivos.objetivo_id": set(pei.objetivos["objetivo_id"]),
        "estrategias.estrategia_id": set(pei.estrategias["estrategia_id"]),
        "metas.meta_id": set(pei.metas["meta_id"]),
    }
    raw = pd.DataFrame(records, columns=COLUMNS, dtype=str)
    table = schema.from_text(raw, path, lines=lines, references=references)
    _check_hierarchy(table, lines, path, pei)
    _check_confidence(table, lines, path)
    return table


def _check_confidence(table: pd.DataFrame, lines: list[int], path: Path) -> None:
    """A reading that needs knowledge from outside the two documents cannot be the surest kind."""
    outside = table["fuente_externa"].str.startswith("sí")
    for i in (outside & (table["confianza"] == CONFIDENCE_LEVELS[0])).to_numpy().nonzero()[0]:
        raise DataError(
            "confianza «alta» con fuente_externa «sí: …»: una razón que usa conocimiento de fuera del "
            "reporte y del PEI tiene confianza media o baja.",
            path=path,
            line=lines[i],
            field="confianza",
        )


def _check_hierarchy(table: pd.DataFrame, lines: list[int], path: Path, pei: PEI) -> None:
    """Each id must belong to the one on its left: a row's ids name one branch of the plan."""
    estrategia_de = dict(zip(pei.estrategias["estrategia_id"], pei.estrategias["objetivo_id"], strict=True))
    meta_de = dict(zip(pei.metas["meta_id"], pei.metas["estrategia_id"], strict=True))
    for i, row in enumerate(table.itertuples(index=False)):
        objetivo_id = row.objetivo_id
        estrategia_id = row.estrategia_id if isinstance(row.estrategia_id, str) else None
        meta_id = row.meta_id if isinstance(row.meta_id, str) else None
        problem = None
        if estrategia_id is not None and estrategia_de[estrategia_id] != objetivo_id:
            problem = (
                f"la estrategia «{estrategia_id}» pertenece a "
                f"{estrategia_de[estrategia_id]}, no a {objetivo_id}.",
                "estrategia_id",
            )
        elif meta_id is not None and estrategia_id is None:
            problem = (
                f"falta estrategia_id: la meta «{meta_id}» pertenece a {meta_de[meta_id]}; escríbala.",
                "estrategia_id",
            )
        elif meta_id is not None and meta_de[meta_id] != estrategia_id:
            problem = (
                f"la meta «{meta_id}» pertenece a {meta_de[meta_id]}, no a {estrategia_id}.",
                "meta_id",
            )
        if problem is not None:
            raise DataError(problem[0], path=path, line=lines[i], field=problem[1])


def _read_rows(path: Path):
    """Yield (line number, {column: text}) for each non-blank data row."""
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
            _check_header(header, path)
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
                yield reader.line_num, dict(zip(header, values, strict=True))
        except UnicodeDecodeError as exc:
            raise DataError(f"no se puede leer como texto UTF-8 ({exc}).", path=path) from exc
        except csv.Error as exc:
            raise DataError(f"CSV mal formado ({exc}).", path=path, line=reader.line_num) from exc


def _check_header(header: list[str], path: Path) -> None:
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
