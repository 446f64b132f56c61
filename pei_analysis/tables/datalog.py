"""The column lists of the data log (``data/README.md``), generated from the schemas beside the tables.

The README explains where each table comes from and how it was made; the columns, types, units and
allowed values are the schema's. Writing them twice let them drift (a column added to a schema and
not to the log), so the log's column tables sit between markers and are rendered from the schema::

    <!-- esquema: vinculos/poa_pei.schema.yaml -->
    ...generated...
    <!-- fin del esquema -->

The licence paragraph of its header (between ``<!-- licencia -->`` and ``<!-- fin de la licencia -->``)
is generated too, from the licence the data package declares (:mod:`pei_analysis.tables.datapackage`),
so the README and ``datapackage.json`` cannot name different licences.

``python -m pei_analysis.cli.data_log`` says whether the README agrees with the schemas (exit 1 if
not); with ``--escribir`` it rewrites the generated blocks. A unit test runs the same comparison.
"""

from __future__ import annotations

import re
from pathlib import Path

from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.datapackage import CONTENT_LICENSE, PACKAGE_FILE, RAW_NOTE
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schemas

README = "README.md"
_BLOCK = re.compile(
    r"(?P<open><!-- esquema: (?P<path>[^ ]+\.schema\.yaml) -->\n)"
    r"(?P<body>.*?)(?P<close><!-- fin del esquema -->)",
    re.DOTALL,
)
_LICENSE = re.compile(
    r"(?P<open><!-- licencia -->\n)(?P<body>.*?)(?P<close><!-- fin de la licencia -->)", re.DOTALL
)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _rules(schema: TableSchema, column: dict) -> str:
    """The column's checks in words: range, closed list, pattern, reference, empty cells."""
    rules = []
    if "minimo" in column and "maximo" in column:
        rules.append(f"de {column['minimo']} a {column['maximo']}")
    elif "minimo" in column:
        rules.append(f"≥ {column['minimo']}")
    elif "maximo" in column:
        rules.append(f"≤ {column['maximo']}")
    if "valores" in column:
        rules.append("uno de: " + ", ".join(f"`{v}`" for v in column["valores"]))
    if "patron" in column:
        rules.append(f"patrón `{column['patron']}`")
    if "referencia" in column:
        rules.append(f"existe en `{column['referencia']}`")
    if column.get("nulo", False):
        rules.append("puede quedar vacía")
    elif schema.nullable(column):
        rules.append("la clave puede faltar")
    return "; ".join(rules)


def column_table(schema: TableSchema) -> str:
    """The Markdown table of *schema*'s columns, and its unique key, for the data log."""
    out = ["| columna | tipo | unidad | contenido | valores admitidos |", "|---|---|---|---|---|"]
    for column in schema.columns:
        cells = [
            f"`{column['nombre']}`",
            column["tipo"],
            _cell(column.get("unidad", "")),
            _cell(column.get("descripcion", "")),
            _cell(_rules(schema, column)),
        ]
        out.append("| " + " | ".join(cells) + " |")
    if schema.unique:
        out.append("")
        out.append("Clave única: " + " + ".join(f"`{c}`" for c in schema.unique) + ".")
    return "\n".join(out) + "\n"


def schema_block(path: Path) -> str:
    """The generated text for one schema file: its table, or each of its tables under its name."""
    schemas = load_schemas(path)
    if len(schemas) == 1:
        return column_table(next(iter(schemas.values())))
    parts = []
    for name, schema in schemas.items():
        where = f" (bloque `{schema.block}`)" if schema.block else ""
        parts.append(f"**`{name}`**{where}: {_cell(schema.description)}\n\n{column_table(schema)}")
    return "\n".join(parts)


def license_block() -> str:
    """The data log's licence paragraph: the data package's licence and the note on the originals."""
    return (
        f"**Licencia.** Las tablas de esta carpeta (todo lo que no está en `raw/`) se publican bajo "
        f"{CONTENT_LICENSE['title']} ({CONTENT_LICENSE['name']}, <{CONTENT_LICENSE['path']}>): se pueden "
        f"copiar, transformar y redistribuir citando la fuente. {RAW_NOTE} El código del proyecto es MIT "
        f"(`LICENSE`). Las tablas se describen también en `{PACKAGE_FILE}` (paquete de datos Frictionless, "
        f"generado de los esquemas).\n"
    )


def render_readme(text: str, data_dir: str | Path | None = None) -> str:
    """*text* with every generated block rendered again from the schema it names, and its licence."""
    root = _data_dir(data_dir)

    def replace(match: re.Match) -> str:
        return match.group("open") + schema_block(root / match.group("path")) + match.group("close")

    text = _LICENSE.sub(lambda m: m.group("open") + license_block() + m.group("close"), text)
    return _BLOCK.sub(replace, text)


def documented_schemas(text: str) -> set[str]:
    """The schema files (relative to data/) that have a generated block in *text*."""
    return {match.group("path") for match in _BLOCK.finditer(text)}


def readme_texts(data_dir: str | Path | None = None) -> tuple[Path, str, str]:
    """The data log's path, its text, and its text with the generated blocks rendered again."""
    readme = _data_dir(data_dir) / README
    text = readme.read_text(encoding="utf-8")
    return readme, text, render_readme(text, data_dir)
