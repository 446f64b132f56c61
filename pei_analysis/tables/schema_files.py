"""Read the ``*.schema.yaml`` files kept beside the tables in data/ into :class:`TableSchema` objects.

Apart from :mod:`pei_analysis.tables.schema` (what a schema checks) because a malformed schema file is
an analyst's editing mistake, refused here with its own located message before any table is read.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pei_analysis.errors import DataError
from pei_analysis.tables.schema import KIND_NAMES, TableSchema


def _read_spec(path: Path) -> dict:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"no existe el esquema {path}: la carpeta de datos (--datos) debe tener el de cada tabla, como "
            "data/ del repositorio.",
            path=path,
        ) from None
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"no se puede leer el esquema ({exc}).", path=path) from exc
    if not isinstance(spec, dict):
        raise DataError("el esquema debe tener una lista «columnas».", path=path, field="columnas")
    return spec


def _table_schema(path: Path, spec: dict, default_name: str) -> TableSchema:
    if not isinstance(spec.get("columnas"), list):
        raise DataError("el esquema debe tener una lista «columnas».", path=path, field="columnas")
    for i, column in enumerate(spec["columnas"], start=1):
        if not isinstance(column, dict) or column.get("tipo") not in KIND_NAMES or not column.get("nombre"):
            raise DataError(
                f"la columna n.º {i} necesita «nombre» y «tipo» (entero, decimal, texto, "
                "fecha, ordinal o logico).",
                path=path,
                field="columnas",
            )
    return TableSchema(
        path=path,
        name=spec.get("tabla", default_name),
        columns=spec["columnas"],
        unique=spec.get("clave_unica", []),
        description=spec.get("descripcion", ""),
        block=spec.get("bloque"),
        keys=spec.get("claves", []),
        optional=spec.get("opcionales", []),
        messages=spec.get("mensajes", {}),
    )


def load_schema(path: Path) -> TableSchema:
    """Read a one-table ``*.schema.yaml`` file (safely: no YAML tags that build objects)."""
    return _table_schema(path, _read_spec(path), path.stem)


def load_schemas(path: Path) -> dict[str, TableSchema]:
    """Read a ``*.schema.yaml`` file: one table (``columnas``) or several (``tablas``), by table name."""
    spec = _read_spec(path)
    if "tablas" not in spec:
        schema = _table_schema(path, spec, path.stem)
        return {schema.name: schema}
    if not isinstance(spec["tablas"], list):
        raise DataError("«tablas» debe ser una lista de tablas.", path=path, field="tablas")
    schemas = [_table_schema(path, section, f"tabla {i}") for i, section in enumerate(spec["tablas"], 1)]
    return {schema.name: schema for schema in schemas}
