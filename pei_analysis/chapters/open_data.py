"""The data package of an edition's downloads (``descargas/datapackage.json``): what the Datos chapter offers.

An analyst or an open-data portal that takes the CSVs of an edition needs, besides the files, what
each column means, its type, the licence and where the figures come from; the Datos chapter shows
that to readers (the column dictionary), and this module says the same in Frictionless's vocabulary.
Field types are read from the tables as :func:`~pei_analysis.chapters.downloads.write_csv` writes
them (yes/no columns become «sí»/«no», so they are text with those two values), descriptions from
the same dictionary the chapter shows, and the licence and the note on the IGSS originals from
:mod:`pei_analysis.tables.datapackage`, as in ``data/datapackage.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import period_end
from pei_analysis.chapters.citar import PUBLICATION, EditionStamp
from pei_analysis.chapters.downloads import EXPORTS, HISTORY_EXPORTS, NO, YES, spreadsheet_frame
from pei_analysis.files import atomic_write_text
from pei_analysis.tables.datapackage import (
    CONTENT_LICENSE,
    PACKAGE_FILE,
    PACKAGE_NAME,
    RAW_NOTE,
    SOURCE_DOCUMENTS,
)

#: How the CSVs are encoded: UTF-8 with a BOM, so that Excel shows the accents.
CSV_ENCODING = "utf-8-sig"


def field_type(values: pd.Series) -> dict:
    """The Table Schema type (and, for a yes/no column, its two values) of a column as the CSV writes it."""
    written = spreadsheet_frame(values.to_frame())[values.name]
    if pd.api.types.is_integer_dtype(written) and not pd.api.types.is_bool_dtype(written):
        return {"type": "integer"}
    if pd.api.types.is_float_dtype(written):
        return {"type": "number"}
    if pd.api.types.is_datetime64_any_dtype(written):
        return {"type": "date"}
    present = written.dropna()
    if len(present) and all(isinstance(v, str) and v in (YES, NO) for v in present):
        return {"type": "string", "constraints": {"enum": [YES, NO]}}
    return {"type": "string"}


def table_fields(table: pd.DataFrame, meanings: Mapping[str, str]) -> list[dict]:
    """The fields of one exported table: name, type and, when the dictionary has it, the meaning."""
    fields = []
    for column in table.columns:
        out = {"name": str(column), **field_type(table[column])}
        if meanings.get(str(column)):
            out["description"] = meanings[str(column)]
        fields.append(out)
    return fields


def _sources(raw_files: pd.DataFrame | None) -> list[dict]:
    """The edition's originals (file, use and SHA-256), or the kinds of document when they are not known."""
    if raw_files is None or raw_files.empty:
        return [dict(SOURCE_DOCUMENTS[key]) for key in ("sicoin", "pei")]
    return [{"title": f"IGSS: {r.archivo} ({r.uso}; SHA-256 {r.sha256})"} for r in raw_files.itertuples()]


def edition_package(
    tables: Mapping[str, pd.DataFrame],
    meanings: Mapping[str, str],
    stamp: EditionStamp,
    raw_files: pd.DataFrame | None = None,
) -> dict:
    """The data package of an edition's downloads: one resource per CSV of *tables*, beside the package."""
    descriptions = {**EXPORTS, **HISTORY_EXPORTS}
    resources = [
        {
            "name": name.replace("_", "-"),
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "title": name,
            "description": descriptions.get(name, name),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": CSV_ENCODING,
            "schema": {"fields": table_fields(table, meanings), "missingValues": [""]},
        }
        for name, table in tables.items()
    ]
    return {
        "profile": "tabular-data-package",
        "name": f"{PACKAGE_NAME}-{stamp.name}",
        "title": f"{PUBLICATION}, edición {stamp.name}: tablas para descargar",
        "description": (
            f"Las tablas del capítulo Datos de la edición {stamp.name} (datos al "
            f"{period_end(stamp.anio, stamp.cuatrimestre).isoformat()}), construida el "
            f"{stamp.built.isoformat()} con pei-analysis {stamp.version}. Una celda vacía es «sin datos». "
            f"{RAW_NOTE}"
        ),
        "edicion": stamp.name,
        "datos_al": period_end(stamp.anio, stamp.cuatrimestre).isoformat(),
        "construida": stamp.built.isoformat(),
        "programa": f"pei-analysis {stamp.version}",
        **({"huella": stamp.huella} if stamp.huella else {}),
        "licenses": [dict(CONTENT_LICENSE)],
        "sources": _sources(raw_files),
        "resources": resources,
    }


def write_edition_package(folder: Path, package: dict) -> Path:
    """Write *package* as ``datapackage.json`` in *folder*, the folder that holds its CSVs."""
    path = Path(folder) / PACKAGE_FILE
    atomic_write_text(path, json.dumps(package, ensure_ascii=False, indent=2) + "\n")
    return path
