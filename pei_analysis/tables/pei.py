"""The PEI 2018-2022 as validated tables, read from ``data/pei/pei_2018_2022.yaml``.

The YAML keeps the plan's hierarchy (objetivo → estrategia → meta → acción) because that is how
analysts read and correct it; notebooks want flat tables, so :func:`load_pei` validates the file
once and flattens it into DataFrames that carry their parents' ids. Validation is strict (unknown
keys, ids that disagree with their parents, a ``sentido`` outside the allowed set) because a typo
in a hand-edited file must fail loudly here, not silently drop a meta from the book.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir

PEI_YAML = Path("pei") / "pei_2018_2022.yaml"

SENTIDOS = ("aumentar", "disminuir", "mantener_arriba", "mantener_abajo")
META_TIPOS = ("nivel", "variacion_porcentual")

_OBJETIVO_ID = re.compile(r"^O\d+$")
_ESTRATEGIA_ID = re.compile(r"^O\d+-E\d+(\.\d+)?$")
_META_ID = re.compile(r"^O\d+-E\d+(\.\d+)?-M\d+$")
_ACCION_ID = re.compile(r"^O\d+-E\d+(\.\d+)?(-M\d+)?-AE\d+$")
_EJE_ID = re.compile(r"^EJ\d+$")
_NUMERO_ESTRATEGIA = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True, eq=False)
class PEI:
    """The validated plan: texts as strings, everything else as DataFrames in document order.

    Item access (``pei["metas"]``) mirrors attribute access so notebooks can loop over table names.
    """

    documento: dict
    mision: str
    vision: str
    principios: pd.DataFrame
    valores: pd.DataFrame
    ejes: pd.DataFrame
    mapa_ejes: pd.DataFrame
    objetivos: pd.DataFrame
    estrategias: pd.DataFrame
    metas: pd.DataFrame
    acciones: pd.DataFrame
    indicadores: pd.DataFrame
    hitos: pd.DataFrame

    def __getitem__(self, name: str) -> Any:
        if name not in self.keys():
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> list[str]:
        """Names usable with ``pei[name]``."""
        return [f.name for f in fields(self)]


def load_pei(data_dir: str | Path | None = None) -> PEI:
    """Load and validate the PEI 2018-2022 from ``<data_dir>/pei/pei_2018_2022.yaml``.

    ``data_dir`` defaults to the repository's ``data/`` (found from the package, not the working
    directory). Raises :class:`~pei_analysis.errors.DataError` naming the file, the line, the field
    (as a path such as ``objetivos[1].estrategias[0].metas[2].indicador.sentido``) and the element's id.
    """
    path = _data_dir(data_dir) / PEI_YAML
    document, lines = _read_yaml(path)
    return _Builder(path, lines).build(document)


# --------------------------------------------------------------------------- reading


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
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
                    field=_render(where + (key,)),
                )
            seen.add(key)
            _index_lines(value_node, where + (key,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, where + (i,), lines, path)


def _render(where: tuple) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------- validating

# key -> (kind, required); kinds: texto, entero, numero, lista, mapa; a trailing "?" allows null.
_SPECS: dict[str, dict[str, tuple[str, bool]]] = {
    "raiz": {
        "documento": ("mapa", True),
        "mision": ("texto", True),
        "vision": ("texto", True),
        "principios": ("lista", True),
        "valores": ("lista", True),
        "ejes": ("lista", True),
        "objetivos": ("lista", True),
    },
    "documento": {
        "titulo": ("texto", True),
        "institucion": ("texto", False),
        "periodo": ("mapa", True),
        "fuente": ("texto", True),
    },
    "periodo": {"inicio": ("entero", True), "fin": ("entero", True)},
    "principio": {"nombre": ("texto", True), "descripcion": ("texto", True)},
    "eje": {
        "id": ("texto", True),
        "numero": ("entero", True),
        "nombre": ("texto", True),
        "objetivos": ("lista", True),
    },
    "objetivo": {
        "id": ("texto", True),
        "numero": ("entero", True),
        "nombre": ("texto", True),
        "linea_fuente": ("entero", False),
        "estrategias": ("lista", True),
    },
    "estrategia": {
        "id": ("texto", True),
        "numero": ("ordinal", True),
        "rotulo": ("texto", True),
        "estrategia_padre": ("texto", False),
        "linea_fuente": ("entero", False),
        "texto": ("texto", True),
        "metas": ("lista", True),
        "acciones": ("lista", False),
    },
    "meta": {
        "id": ("texto", True),
        "numero": ("entero", True),
        "rotulo": ("texto", True),
        "linea_fuente": ("entero", False),
        "texto": ("texto", True),
        "indicador": ("mapa", False),
        "acciones": ("lista", True),
    },
    "accion": {
        "id": ("texto", True),
        "numero": ("entero", True),
        "rotulo": ("texto", True),
        "linea_fuente": ("entero", False),
        "texto": ("texto", True),
    },
    "indicador": {
        "indicador": ("texto", True),
        "unidad": ("texto", True),
        "meta_tipo": ("texto?", True),
        "linea_base_valor": ("numero?", True),
        "linea_base_fecha": ("fecha?", True),
        "meta_valor": ("numero?", True),
        "meta_anio": ("entero?", True),
        "sentido": ("texto", True),
        "hitos": ("lista", False),
        "nota": ("texto", False),
    },
    "hito": {"anio": ("entero", True), "valor": ("numero", True)},
}

_KIND_NAMES = {
    "texto": "un texto no vacío",
    "entero": "un número entero",
    "numero": "un número",
    "fecha": "una fecha ISO (AAAA-MM-DD) entre comillas",
    "ordinal": 'un número de estrategia como "2" o "2.1"',
    "lista": "una lista",
    "mapa": "un bloque de claves",
}


class _Builder:
    """Walks the parsed YAML once: validates each element and collects the flat tables."""

    def __init__(self, path: Path, lines: dict[tuple, int]) -> None:
        self.path = path
        self.lines = lines
        self.ids: dict[str, tuple] = {}
        self.rows: dict[str, list[dict]] = {
            name: []
            for name in (
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
            )
        }

    # -- errors
    def fail(self, message: str, where: tuple, element_id: str | None = None) -> DataError:
        line = None
        probe = where
        while line is None and probe is not None:
            line = self.lines.get(probe)
            probe = probe[:-1] if probe else None
        prefix = f"{element_id}: " if element_id else ""
        return DataError(prefix + message, path=self.path, line=line, field=_render(where) or None)

    # -- generic checks
    def mapping(self, value: Any, spec_name: str, where: tuple, element_id: str | None = None) -> dict:
        spec = _SPECS[spec_name]
        if not isinstance(value, dict):
            raise self.fail(f"se esperaba un bloque de claves ({', '.join(spec)}).", where, element_id)
        element_id = element_id or (value.get("id") if isinstance(value.get("id"), str) else None)
        for key in value:
            if key not in spec:
                raise self.fail(
                    f"clave desconocida «{key}»; se esperaba una de: {', '.join(spec)}.",
                    where + (key,),
                    element_id,
                )
        for key, (kind, required) in spec.items():
            if key not in value:
                if required:
                    raise self.fail(f"falta la clave «{key}».", where, element_id)
                continue
            self.check_kind(value[key], kind, where + (key,), element_id)
        return value

    def check_kind(self, value: Any, kind: str, where: tuple, element_id: str | None) -> None:
        nullable = kind.endswith("?")
        base = kind.rstrip("?")
        if value is None:
            if nullable:
                return
            raise self.fail(f"está vacío; se esperaba {_KIND_NAMES[base]}.", where, element_id)
        ok = {
            "texto": isinstance(value, str) and value.strip() != "",
            "entero": isinstance(value, int) and not isinstance(value, bool),
            "numero": isinstance(value, (int, float)) and not isinstance(value, bool),
            "fecha": isinstance(value, str) and _is_iso_date(value),
            "ordinal": (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and _NUMERO_ESTRATEGIA.match(value) is not None),
            "lista": isinstance(value, list),
            "mapa": isinstance(value, dict),
        }[base]
        if not ok:
            expected = _KIND_NAMES[base] + (" o null" if nullable else "")
            raise self.fail(f"valor {value!r} no válido; se esperaba {expected}.", where, element_id)

    def register(self, element_id: str, pattern: re.Pattern, expected: str, where: tuple, what: str) -> None:
        if not pattern.match(element_id):
            raise self.fail(
                f"el id de {what} «{element_id}» no tiene el formato esperado ({expected}).",
                where + ("id",),
                element_id,
            )
        if element_id in self.ids:
            raise self.fail(
                f"el id «{element_id}» está repetido (ya aparece en {_render(self.ids[element_id])}); "
                "cada id debe ser único.",
                where + ("id",),
                element_id,
            )
        self.ids[element_id] = where

    def same_id(self, element: dict, expected: str, where: tuple, how: str) -> None:
        if element["id"] != expected:
            raise self.fail(
                f"el id no concuerda con su posición: se esperaba «{expected}» ({how}).",
                where + ("id",),
                element["id"],
            )

    # -- the document
    def build(self, document: Any) -> PEI:
        root = self.mapping(document, "raiz", ())
        documento = self.mapping(root["documento"], "documento", ("documento",))
        self.mapping(documento["periodo"], "periodo", ("documento", "periodo"))
        for key in ("principios", "valores"):
            for i, item in enumerate(root[key]):
                item = self.mapping(item, "principio", (key, i))
                self.rows[key].append({"nombre": item["nombre"], "descripcion": item["descripcion"]})
        for i, objetivo in enumerate(root["objetivos"]):
            self.objetivo(objetivo, ("objetivos", i))
        if not root["objetivos"]:
            raise self.fail("la lista de objetivos está vacía.", ("objetivos",))
        for i, eje in enumerate(root["ejes"]):
            self.eje(eje, ("ejes", i))
        return PEI(
            documento=documento,
            mision=root["mision"],
            vision=root["vision"],
            **self.frames(),
        )

    def eje(self, eje: Any, where: tuple) -> None:
        eje = self.mapping(eje, "eje", where)
        self.register(eje["id"], _EJE_ID, "EJ y un número, p. ej. EJ1", where, "eje")
        self.same_id(eje, f"EJ{eje['numero']}", where, "EJ + numero")
        self.rows["ejes"].append({"eje_id": eje["id"], "numero": eje["numero"], "nombre": eje["nombre"]})
        objetivos = {r["objetivo_id"] for r in self.rows["objetivos"]}
        listed: set[str] = set()
        for j, objetivo_id in enumerate(eje["objetivos"]):
            place = where + ("objetivos", j)
            if objetivo_id not in objetivos:
                raise self.fail(
                    f"el objetivo «{objetivo_id}» no existe; se esperaba uno de: {', '.join(sorted(objetivos))}.",
                    place,
                    eje["id"],
                )
            if objetivo_id in listed:
                raise self.fail(f"el objetivo «{objetivo_id}» aparece dos veces.", place, eje["id"])
            listed.add(objetivo_id)
            self.rows["mapa_ejes"].append({"eje_id": eje["id"], "objetivo_id": objetivo_id})

    def objetivo(self, objetivo: Any, where: tuple) -> None:
        objetivo = self.mapping(objetivo, "objetivo", where)
        self.register(objetivo["id"], _OBJETIVO_ID, "O y un número, p. ej. O1", where, "objetivo")
        self.same_id(objetivo, f"O{objetivo['numero']}", where, "O + numero")
        self.rows["objetivos"].append(
            {
                "objetivo_id": objetivo["id"],
                "numero": objetivo["numero"],
                "nombre": objetivo["nombre"],
                "linea_fuente": objetivo.get("linea_fuente"),
            }
        )
        if not objetivo["estrategias"]:
            raise self.fail("el objetivo no tiene estrategias.", where + ("estrategias",), objetivo["id"])
        children: dict[str, int] = {}
        for i, estrategia in enumerate(objetivo["estrategias"]):
            self.estrategia(estrategia, objetivo["id"], where + ("estrategias", i), children)
        for i, estrategia in enumerate(objetivo["estrategias"]):
            if (
                not estrategia["metas"]
                and not estrategia.get("acciones")
                and not children.get(estrategia["id"])
            ):
                raise self.fail(
                    "la estrategia no tiene metas, ni acciones, ni subestrategias.",
                    where + ("estrategias", i, "metas"),
                    estrategia["id"],
                )

    def estrategia(self, estrategia: Any, objetivo_id: str, where: tuple, children: dict[str, int]) -> None:
        estrategia = self.mapping(estrategia, "estrategia", where)
        numero = str(estrategia["numero"])
        self.register(estrategia["id"], _ESTRATEGIA_ID, "p. ej. O1-E2 u O1-E2.1", where, "estrategia")
        self.same_id(estrategia, f"{objetivo_id}-E{numero}", where, "id del objetivo + -E + numero")
        padre = estrategia.get("estrategia_padre")
        if "." in numero:
            expected_padre = f"{objetivo_id}-E{numero.split('.')[0]}"
            if padre != expected_padre:
                raise self.fail(
                    f"una subestrategia necesita estrategia_padre: {expected_padre}.",
                    where + ("estrategia_padre",),
                    estrategia["id"],
                )
            if self.ids.get(padre) is None or padre == estrategia["id"]:
                raise self.fail(
                    f"la estrategia padre «{padre}» debe aparecer antes en el mismo objetivo.",
                    where + ("estrategia_padre",),
                    estrategia["id"],
                )
            children[padre] = children.get(padre, 0) + 1
        elif padre is not None:
            raise self.fail(
                'solo una subestrategia (numero como "2.1") puede tener estrategia_padre.',
                where + ("estrategia_padre",),
                estrategia["id"],
            )
        self.rows["estrategias"].append(
            {
                "estrategia_id": estrategia["id"],
                "objetivo_id": objetivo_id,
                "estrategia_padre_id": padre,
                "numero": numero,
                "rotulo": estrategia["rotulo"],
                "texto": estrategia["texto"],
                "linea_fuente": estrategia.get("linea_fuente"),
            }
        )
        for i, meta in enumerate(estrategia["metas"]):
            self.meta(meta, estrategia["id"], objetivo_id, where + ("metas", i))
        for i, accion in enumerate(estrategia.get("acciones") or []):
            self.accion(accion, None, estrategia["id"], objetivo_id, where + ("acciones", i))

    def meta(self, meta: Any, estrategia_id: str, objetivo_id: str, where: tuple) -> None:
        meta = self.mapping(meta, "meta", where)
        self.register(meta["id"], _META_ID, "p. ej. O2-E2-M1", where, "meta")
        self.same_id(meta, f"{estrategia_id}-M{meta['numero']}", where, "id de la estrategia + -M + numero")
        self.rows["metas"].append(
            {
                "meta_id": meta["id"],
                "estrategia_id": estrategia_id,
                "objetivo_id": objetivo_id,
                "numero": meta["numero"],
                "rotulo": meta["rotulo"],
                "texto": meta["texto"],
                "tiene_indicador": "indicador" in meta,
                "linea_fuente": meta.get("linea_fuente"),
            }
        )
        if "indicador" in meta:
            self.indicador(meta["indicador"], meta["id"], estrategia_id, objetivo_id, where + ("indicador",))
        for i, accion in enumerate(meta["acciones"]):
            self.accion(accion, meta["id"], estrategia_id, objetivo_id, where + ("acciones", i))

    def accion(
        self, accion: Any, meta_id: str | None, estrategia_id: str, objetivo_id: str, where: tuple
    ) -> None:
        accion = self.mapping(accion, "accion", where)
        parent = meta_id or estrategia_id
        self.register(accion["id"], _ACCION_ID, "p. ej. O1-E1-M1-AE1", where, "acción estratégica")
        self.same_id(
            accion, f"{parent}-AE{accion['numero']}", where, "id de su meta o estrategia + -AE + numero"
        )
        self.rows["acciones"].append(
            {
                "accion_id": accion["id"],
                "meta_id": meta_id,
                "estrategia_id": estrategia_id,
                "objetivo_id": objetivo_id,
                "numero": accion["numero"],
                "rotulo": accion["rotulo"],
                "texto": accion["texto"],
                "linea_fuente": accion.get("linea_fuente"),
            }
        )

    def indicador(self, ind: Any, meta_id: str, estrategia_id: str, objetivo_id: str, where: tuple) -> None:
        ind = self.mapping(ind, "indicador", where, meta_id)
        if ind["sentido"] not in SENTIDOS:
            raise self.fail(
                f"sentido «{ind['sentido']}» no válido; se esperaba uno de: {', '.join(SENTIDOS)}.",
                where + ("sentido",),
                meta_id,
            )
        if ind["meta_tipo"] is not None and ind["meta_tipo"] not in META_TIPOS:
            raise self.fail(
                f"meta_tipo «{ind['meta_tipo']}» no válido; se esperaba uno de: {', '.join(META_TIPOS)} o null.",
                where + ("meta_tipo",),
                meta_id,
            )
        if ind["meta_valor"] is not None and ind["meta_tipo"] is None:
            raise self.fail(
                "una meta con meta_valor necesita meta_tipo (nivel o variacion_porcentual).",
                where + ("meta_tipo",),
                meta_id,
            )
        if ind["meta_valor"] is None and ind["linea_base_valor"] is None:
            raise self.fail(
                "un indicador necesita al menos una cifra del texto (meta_valor o linea_base_valor).",
                where,
                meta_id,
            )
        for key in ("meta_anio",):
            if ind[key] is not None and not 1900 <= ind[key] <= 2100:
                raise self.fail(
                    f"año {ind[key]} fuera de rango; se esperaba entre 1900 y 2100.", where + (key,), meta_id
                )
        self.rows["indicadores"].append(
            {
                "meta_id": meta_id,
                "estrategia_id": estrategia_id,
                "objetivo_id": objetivo_id,
                "indicador": ind["indicador"],
                "unidad": ind["unidad"],
                "meta_tipo": ind["meta_tipo"],
                "linea_base_valor": ind["linea_base_valor"],
                "linea_base_fecha": ind["linea_base_fecha"],
                "meta_valor": ind["meta_valor"],
                "meta_anio": ind["meta_anio"],
                "sentido": ind["sentido"],
                "nota": ind.get("nota"),
            }
        )
        for i, hito in enumerate(ind.get("hitos") or []):
            hito = self.mapping(hito, "hito", where + ("hitos", i), meta_id)
            self.rows["hitos"].append({"meta_id": meta_id, "anio": hito["anio"], "valor": hito["valor"]})

    # -- tables
    def frames(self) -> dict[str, pd.DataFrame]:
        columns = {
            "principios": ["nombre", "descripcion"],
            "valores": ["nombre", "descripcion"],
            "ejes": ["eje_id", "numero", "nombre"],
            "mapa_ejes": ["eje_id", "objetivo_id"],
            "objetivos": ["objetivo_id", "numero", "nombre", "linea_fuente"],
            "estrategias": [
                "estrategia_id",
                "objetivo_id",
                "estrategia_padre_id",
                "numero",
                "rotulo",
                "texto",
                "linea_fuente",
            ],
            "metas": [
                "meta_id",
                "estrategia_id",
                "objetivo_id",
                "numero",
                "rotulo",
                "texto",
                "tiene_indicador",
                "linea_fuente",
            ],
            "acciones": [
                "accion_id",
                "meta_id",
                "estrategia_id",
                "objetivo_id",
                "numero",
                "rotulo",
                "texto",
                "linea_fuente",
            ],
            "indicadores": [
                "meta_id",
                "estrategia_id",
                "objetivo_id",
                "indicador",
                "unidad",
                "meta_tipo",
                "linea_base_valor",
                "linea_base_fecha",
                "meta_valor",
                "meta_anio",
                "sentido",
                "nota",
            ],
            "hitos": ["meta_id", "anio", "valor"],
        }
        out = {name: pd.DataFrame(self.rows[name], columns=cols) for name, cols in columns.items()}
        for name in ("objetivos", "estrategias", "metas", "acciones"):
            out[name]["linea_fuente"] = out[name]["linea_fuente"].astype("Int64")
        ind = out["indicadores"]
        ind["linea_base_valor"] = ind["linea_base_valor"].astype("float64")
        ind["meta_valor"] = ind["meta_valor"].astype("float64")
        ind["meta_anio"] = ind["meta_anio"].astype("Int64")
        ind["linea_base_fecha"] = pd.to_datetime(ind["linea_base_fecha"], format="%Y-%m-%d")
        out["hitos"]["anio"] = out["hitos"]["anio"].astype("int64")
        out["hitos"]["valor"] = out["hitos"]["valor"].astype("float64")
        return out


def _is_iso_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
