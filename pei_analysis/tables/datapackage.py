"""The Frictionless data package of ``data/`` (``data/datapackage.json``), generated from the schemas.

The ``*.schema.yaml`` files are the one description of each table; a data package says the same in
the vocabulary other tools read (Frictionless Table Schema: CKAN, the ``frictionless`` validator,
open-data portals), so it is generated from them and never written by hand::

    entero → integer, decimal → number, texto → string; fecha → date
    valores → enum, minimo/maximo → minimum/maximum, patron → pattern
    nulo (false) → required, clave_unica → primaryKey, referencia → foreignKeys (to a table of the package)

It depends on the schemas and on this module only, not on the rows: an import adds rows and
originals without making the committed package stale. ``python -m pei_analysis.cli.data_log``
says whether ``data/datapackage.json`` (and the data log) are up to date (exit 1 if not);
``--escribir`` (``make registro-datos``) rewrites them. The PEI document (YAML, ten tables in
one file) is listed as a file resource: Table Schema describes flat tables, not a nested document.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schemas

PACKAGE_FILE = "datapackage.json"
PACKAGE_NAME = "igss-seguimiento-pei-poa"
#: The licence of the derived data and of the book's text (the code is MIT: LICENSE).
CONTENT_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.es",
    "title": "Creative Commons Atribución 4.0 Internacional",
}
#: What every package says about the originals it derives from: IGSS's, not relicensed.
RAW_NOTE = (
    "Los documentos de origen (carpeta raw/ del repositorio) son publicaciones del Instituto Guatemalteco "
    "de Seguridad Social (IGSS), reproducidas byte a byte: no se relicencian y rigen las condiciones de su "
    "editor. La licencia CC BY 4.0 cubre las tablas derivadas y el texto del libro."
)
#: The IGSS documents each table derives from (by the table's folder in data/).
SOURCE_DOCUMENTS = {
    "sicoin": {
        "title": "IGSS, Subgerencia de Planificación y Desarrollo: Plan Operativo Anual, «Reporte Analítico "
        "de Ejecución Física» de SICOIN, por cuatrimestre (el PDF, o el texto extraído de él, en raw/poa_*)",
    },
    "pei": {
        "title": "IGSS: Plan Estratégico Institucional (PEI) 2018-2022, texto del documento publicado "
        "(raw/pei_2018_2022_texto.txt)",
    },
    "analistas": {
        "title": "Elaboración propia del proyecto pei-analysis: lectura de los analistas, editada a mano",
    },
}
FOLDER_SOURCES = {
    "poa": ["sicoin"],
    "catalogo": ["sicoin", "analistas"],
    "pei": ["pei", "analistas"],
    "vinculos": ["pei", "analistas"],
}
#: Table Schema's type for each schema ``tipo`` (in a CSV, fecha, ordinal and logico are text).
FIELD_TYPES = {"entero": "integer", "decimal": "number", "texto": "string", "fecha": "date"}


def field(column: dict) -> dict:
    """One column of a schema as a Table Schema field, with its constraints."""
    out = {"name": column["nombre"], "type": FIELD_TYPES.get(column["tipo"], "string")}
    if column.get("descripcion"):
        out["description"] = " ".join(str(column["descripcion"]).split())
    if column.get("unidad"):
        out["unidad"] = str(column["unidad"])
    constraints: dict = {}
    if not column.get("nulo", False):
        constraints["required"] = True
    for key, name in (("minimo", "minimum"), ("maximo", "maximum"), ("patron", "pattern")):
        if key in column:
            constraints[name] = column[key]
    if "valores" in column:
        constraints["enum"] = list(column["valores"])
    if constraints:
        out["constraints"] = constraints
    return out


def foreign_keys(schema: TableSchema, tables: dict[str, str]) -> list[dict]:
    """The ``referencia`` of each column whose target table is a resource of the package (*tables*)."""
    keys = []
    for column in schema.columns:
        target, _, target_field = str(column.get("referencia", "")).partition(".")
        if target in tables:
            keys.append(
                {
                    "fields": [column["nombre"]],
                    "reference": {"resource": tables[target], "fields": [target_field]},
                }
            )
    return keys


def table_resource(schema: TableSchema, relative: str, resources: dict[str, str]) -> dict:
    """The resource of one CSV table: where it is, what it holds, its fields, keys and sources."""
    table_schema: dict = {"fields": [field(c) for c in schema.columns], "missingValues": [""]}
    if schema.unique:
        table_schema["primaryKey"] = list(schema.unique)
    references = foreign_keys(schema, resources)
    if references:
        table_schema["foreignKeys"] = references
    return {
        "name": resources[schema.name],
        "path": relative,
        "profile": "tabular-data-resource",
        "title": schema.name,
        "description": " ".join(schema.description.split()),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "sources": sources_of(relative),
        "schema": table_schema,
    }


def document_resource(spec: dict, schemas: dict[str, TableSchema], relative: str, schema_name: str) -> dict:
    """A YAML document of several tables (the PEI) as a file resource that names its tables."""
    tables = " ".join(f"«{name}»: {' '.join(s.description.split())}" for name, s in schemas.items())
    return {
        "name": Path(relative).stem.replace("_", "-"),
        "path": relative,
        "title": Path(relative).name,
        "description": (
            f"{' '.join(str(spec.get('descripcion', '')).split())} Documento YAML con "
            f"{len(schemas)} tablas, descritas en {schema_name}. {tables}"
        ),
        "format": "yaml",
        "mediatype": "application/yaml",
        "encoding": "utf-8",
        "sources": sources_of(relative),
    }


def sources_of(relative: str) -> list[dict]:
    """The source documents of the table at *relative* (a path inside data/), by its folder."""
    return [dict(SOURCE_DOCUMENTS[key]) for key in FOLDER_SOURCES.get(relative.split("/")[0], ["analistas"])]


def schema_files(root: Path) -> list[Path]:
    """Every ``*.schema.yaml`` below *root*, except the originals in raw/, in a stable order."""
    return sorted(p for p in root.rglob("*.schema.yaml") if "raw" not in p.relative_to(root).parts)


def data_package(data_dir: str | Path | None = None) -> dict:
    """The data package of *data_dir* (default: data/): one resource per table, from its schema."""
    root = _data_dir(data_dir)
    loaded = [(path, load_schemas(path)) for path in schema_files(root)]
    resources = {
        name: name.replace("_", "-") for _, schemas in loaded for name in schemas if len(schemas) == 1
    }
    out = []
    for path, schemas in loaded:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        relative = path.with_name(str(spec["archivo"])).relative_to(root).as_posix()
        if len(schemas) == 1:
            out.append(table_resource(next(iter(schemas.values())), relative, resources))
        else:
            out.append(document_resource(spec, schemas, relative, path.name))
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Seguimiento del PEI y del POA del IGSS: datos ordenados",
        "description": (
            "Ejecución física del Plan Operativo Anual (POA) del IGSS, catálogo de productos, Plan "
            "Estratégico Institucional (PEI) 2018-2022 como datos y vínculos POA-PEI, validados contra los "
            "esquemas *.schema.yaml que acompañan a cada tabla (de ellos se genera este archivo). " + RAW_NOTE
        ),
        "licenses": [dict(CONTENT_LICENSE)],
        "sources": [dict(s) for s in SOURCE_DOCUMENTS.values()],
        "resources": out,
    }


def package_json(package: dict) -> str:
    """The package as the committed file writes it: stable key order, accents as themselves."""
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def package_texts(data_dir: str | Path | None = None) -> tuple[Path, str | None, str]:
    """The package's path, its text (None if it is missing), and the text the schemas give."""
    path = _data_dir(data_dir) / PACKAGE_FILE
    current = path.read_text(encoding="utf-8") if path.exists() else None
    return path, current, package_json(data_package(data_dir))
