"""Read ``data/pei/pei_2018_2022.yaml`` into rows: the YAML's structure, and where every value sits.

The YAML keeps the plan's hierarchy (objetivo → estrategia → meta → acción) because that is how analysts
read and correct it; the tables want flat rows that carry their parents' ids. This module walks the
hierarchy once and checks only what is about the document's shape: that each block is a block, with
the keys its table's schema admits (``claves``) and none missing, and that child lists are lists. The
values themselves (types, ranges, patterns, repeated ids) are left to the schema, and the rules that
cross tables to :mod:`pei_analysis.tables.pei_rules`. Every row keeps its place in the document, so a
refusal found later still names the file, the line and the field (as a path such as
``objetivos[1].estrategias[0].metas[2].indicador.sentido``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pei_analysis.errors import DataError
from pei_analysis.tables.schema import ABSENT, KIND_NAMES, TableSchema

#: The blocks that are not tables (the document's frame): key -> (kind, required).
_FRAME: dict[str, dict[str, tuple[str, bool]]] = {
    "raiz": {
        "documento": ("mapa", True),
        "mision": ("texto", True),
        "vision": ("texto", True),
        "principios": ("lista", True),
        "valores": ("lista", True),
        "ejes": ("lista", True),
        "objetivos": ("lista", True),
        "interpretaciones": ("lista", False),
    },
    "documento": {
        "titulo": ("texto", True),
        "institucion": ("texto", False),
        "periodo": ("mapa", True),
        "fuente": ("texto", True),
    },
    "periodo": {"inicio": ("entero", True), "fin": ("entero", True)},
}
#: The keys of a table's block that hold other blocks, not cells: their kind.
_CHILDREN = {
    "ejes": {"objetivos": "lista"},
    "objetivos": {"estrategias": "lista"},
    "estrategias": {"metas": "lista", "acciones": "lista"},
    "metas": {"indicador": "mapa", "acciones": "lista", "plazos": "lista", "actores": "lista"},
    "acciones": {"plazos": "lista", "actores": "lista"},
    "indicadores": {"hitos": "lista"},
}
_NAMES = {**KIND_NAMES, "lista": "una lista", "mapa": "un bloque de claves"}
TABLES = (
    "principios",
    "valores",
    "ejes",
    "mapa_ejes",
    "objetivos",
    "estrategias",
    "metas",
    "acciones",
    "indicadores",
    "hitos",
    "plazos",
    "actores",
    "interpretaciones",
)


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse with ``yaml.safe_load`` and keep the line of every node, so errors can cite it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError("no existe el archivo del PEI.", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"no se puede leer como texto UTF-8 ({exc}).", path=path) from exc
    try:
        document = yaml.safe_load(text)
        # Only to learn each node's line (libyaml's composer when available: it is ~30x faster).
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            f"YAML mal formado: {getattr(exc, 'problem', None) or exc}.",
            path=path,
            line=mark.line + 1 if mark is not None else None,
        ) from exc
    lines: dict[tuple, int] = {}
    if root is not None:
        _index_lines(root, (), lines, path)
    return document, lines


def _index_lines(node: yaml.Node, where: tuple, lines: dict[tuple, int], path: Path) -> None:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise DataError(
                    f"la clave «{key}» está repetida en el mismo bloque.",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    field=render(where + (key,)),
                )
            seen.add(key)
            _index_lines(value_node, where + (key,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, where + (i,), lines, path)


def render(where: tuple) -> str:
    """A YAML place as a path: ``objetivos[0].estrategias[1].id``."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Row:
    """One row of a table: its cells as YAML values (``ABSENT`` if the key is missing) and its place.

    ``seq`` is the row's rank in the walk (document order, objetivos before ejes) and ``end`` the rank
    after its children: refusals are ordered by them, so the first problem reported is the one a reader
    walking the plan top-down meets first.
    """

    where: tuple
    element_id: str | None
    values: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    end: int = 0


class Document:
    """The PEI document: its frame (documento, misión, visión) and the rows of each table, in order."""

    def __init__(self, path: Path, lines: dict[tuple, int], schemas: dict[str, TableSchema]) -> None:
        self.path = path
        self.lines = lines
        self.schemas = schemas
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.documento: dict = {}
        self.mision = ""
        self.vision = ""
        self.count = 0

    def add(self, table: str, row: Row) -> Row:
        row.seq = self.count
        self.count += 1
        self.rows[table].append(row)
        return row

    # -- errors
    def line(self, where: tuple) -> int | None:
        """The line of *where*, or of its closest ancestor that has one."""
        probe: tuple | None = where
        while probe is not None:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1] if probe else None
        return None

    def fail(self, message: str, where: tuple, element_id: str | None = None) -> DataError:
        prefix = f"{element_id}: " if element_id else ""
        return DataError(prefix + message, path=self.path, line=self.line(where), field=render(where) or None)

    # -- shape
    def _kind(self, value: Any, kind: str, where: tuple, element_id: str | None) -> None:
        if value is None:
            raise self.fail(f"está vacío; se esperaba {_NAMES[kind]}.", where, element_id)
        ok = {
            "texto": isinstance(value, str) and value.strip() != "",
            "entero": isinstance(value, int) and not isinstance(value, bool),
            "lista": isinstance(value, list),
            "mapa": isinstance(value, dict),
        }[kind]
        if not ok:
            raise self.fail(f"valor {value!r} no válido; se esperaba {_NAMES[kind]}.", where, element_id)

    def _keys(self, value: Any, keys: list[str], where: tuple, element_id: str | None) -> str | None:
        if not isinstance(value, dict):
            raise self.fail(f"se esperaba un bloque de claves ({', '.join(keys)}).", where, element_id)
        element_id = element_id or (value.get("id") if isinstance(value.get("id"), str) else None)
        for key in value:
            if key not in keys:
                raise self.fail(
                    f"clave desconocida «{key}»; se esperaba una de: {', '.join(keys)}.",
                    where + (key,),
                    element_id,
                )
        return element_id

    def frame(self, value: Any, name: str, where: tuple) -> dict:
        """Check a block of the document's frame: its keys and the kind of each value."""
        spec = _FRAME[name]
        self._keys(value, list(spec), where, None)
        for key, (kind, required) in spec.items():
            if key not in value:
                if required:
                    raise self.fail(f"falta la clave «{key}».", where, None)
                continue
            self._kind(value[key], kind, where + (key,), None)
        return value

    def block(
        self, value: Any, table: str, where: tuple, derived: dict | None = None, element_id=None
    ) -> dict:
        """Check a table's block (keys of its schema, child lists) and add its row to *table*."""
        schema = self.schemas[table]
        element_id = self._keys(value, schema.keys, where, element_id)
        children = _CHILDREN.get(table, {})
        for key in schema.keys:
            if key not in value:
                if key not in schema.optional:
                    raise self.fail(f"falta la clave «{key}».", where, element_id)
            elif key in children:
                self._kind(value[key], children[key], where + (key,), element_id)
        row = self.add(table, Row(where, element_id, dict(derived or {})))
        for column in schema.columns:
            key = schema.key_of(column["nombre"])
            if key is not None:
                row.values[column["nombre"]] = value.get(key, ABSENT)
        return value

    # -- the hierarchy
    def read(self, document: Any) -> None:
        root = self.frame(document, "raiz", ())
        self.documento = self.frame(root["documento"], "documento", ("documento",))
        self.frame(self.documento["periodo"], "periodo", ("documento", "periodo"))
        self.mision, self.vision = root["mision"], root["vision"]
        for key in ("principios", "valores"):
            for i, item in enumerate(root[key]):
                self.block(item, key, (key, i))
        for i, objetivo in enumerate(root["objetivos"]):
            self.objetivo(objetivo, ("objetivos", i))
        if not root["objetivos"]:
            raise self.fail("la lista de objetivos está vacía.", ("objetivos",))
        for i, eje in enumerate(root["ejes"]):
            eje = self.block(eje, "ejes", ("ejes", i))
            eje_id = self.rows["ejes"][-1].element_id
            for j, objetivo_id in enumerate(eje["objetivos"]):
                cells = {"eje_id": eje.get("id"), "objetivo_id": objetivo_id}
                self.add("mapa_ejes", Row(("ejes", i, "objetivos", j), eje_id, cells))
        for i, item in enumerate(root.get("interpretaciones") or []):
            self.block(item, "interpretaciones", ("interpretaciones", i))

    def objetivo(self, objetivo: Any, where: tuple) -> None:
        objetivo = self.block(objetivo, "objetivos", where)
        if not objetivo["estrategias"]:
            element_id = self.rows["objetivos"][-1].element_id
            raise self.fail("el objetivo no tiene estrategias.", where + ("estrategias",), element_id)
        row = self.rows["objetivos"][-1]
        for i, estrategia in enumerate(objetivo["estrategias"]):
            self.estrategia(estrategia, {"objetivo_id": objetivo.get("id")}, where + ("estrategias", i))
        row.end = self.count

    def estrategia(self, estrategia: Any, parents: dict, where: tuple) -> None:
        estrategia = self.block(estrategia, "estrategias", where, parents)
        ids = {**parents, "estrategia_id": estrategia.get("id")}
        for i, meta in enumerate(estrategia["metas"]):
            self.meta(meta, ids, where + ("metas", i))
        for i, accion in enumerate(estrategia.get("acciones") or []):
            self.accion(accion, {**ids, "meta_id": None}, where + ("acciones", i))

    def meta(self, meta: Any, parents: dict, where: tuple) -> None:
        meta = self.block(meta, "metas", where, parents)
        row = self.rows["metas"][-1]
        self.deadlines_and_actors(meta, where, row.element_id)
        row.values["tiene_indicador"] = "indicador" in meta
        ids, meta_id = {**parents, "meta_id": meta.get("id")}, row.element_id
        if "indicador" in meta:
            ind = self.block(meta["indicador"], "indicadores", where + ("indicador",), ids, meta_id)
            for i, hito in enumerate(ind.get("hitos") or []):
                self.block(
                    hito, "hitos", where + ("indicador", "hitos", i), {"meta_id": ids["meta_id"]}, meta_id
                )
        for i, accion in enumerate(meta["acciones"]):
            self.accion(accion, ids, where + ("acciones", i))

    def accion(self, accion: Any, parents: dict, where: tuple) -> None:
        accion = self.block(accion, "acciones", where, parents)
        self.deadlines_and_actors(accion, where, self.rows["acciones"][-1].element_id)

    def deadlines_and_actors(self, element: dict, where: tuple, element_id: str | None) -> None:
        """The ``plazos`` and ``actores`` of a meta or action, as rows naming their element."""
        for table in ("plazos", "actores"):
            for i, item in enumerate(element.get(table) or []):
                self.block(item, table, where + (table, i), {"elemento_id": element.get("id")}, element_id)
