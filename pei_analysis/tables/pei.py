"""The PEI 2018-2022 as validated tables, read from ``data/pei/pei_2018_2022.yaml``.

The YAML keeps the plan's hierarchy because that is how analysts read and correct it; notebooks want
flat tables, so :func:`load_pei` validates the file once and flattens it into DataFrames that carry
their parents' ids. Validation is strict (unknown keys, ids that disagree with their parents, a
``sentido`` outside the allowed set) because a typo in a hand-edited file must fail loudly here, not
silently drop a meta from the book. It runs in three steps, each in one place:

1. the document's shape (:mod:`pei_analysis.tables.pei_reading`);
2. each table against its section of ``pei_2018_2022.schema.yaml`` (:mod:`pei_analysis.tables.schema`,
   the mechanism every table of ``data/`` goes through);
3. the rules that cross rows and tables (:mod:`pei_analysis.tables.pei_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.paths import DATA_DIR
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.pei_reading import TABLES, Document, read_yaml, render
from pei_analysis.tables.pei_rules import rule_problems
from pei_analysis.tables.schema import Failure, TableSchema, reference_context
from pei_analysis.tables.schema_files import load_schemas

PEI_YAML = Path("pei") / "pei_2018_2022.yaml"
PEI_SCHEMA = Path("pei") / "pei_2018_2022.schema.yaml"


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
    #: Deadlines and named units/partners of metas and actions, each citing its element's words.
    plazos: pd.DataFrame
    actores: pd.DataFrame
    #: This publication's readings of the plan (not transcription), with confianza and razon.
    interpretaciones: pd.DataFrame

    def __getitem__(self, name: str) -> Any:
        if name not in self.keys():
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> list[str]:
        """Names usable with ``pei[name]``."""
        return [f.name for f in fields(self)]


def pei_schemas(data_dir: str | Path | None = None) -> dict[str, TableSchema]:
    """The schema of each PEI table, stored beside the YAML, by table name."""
    return load_schemas(_data_dir(data_dir) / PEI_SCHEMA)


def __getattr__(name: str) -> tuple[str, ...]:
    """``SENTIDOS`` and ``META_TIPOS``: the values the shipped schema allows (one list, in the schema)."""
    columns = {"SENTIDOS": "sentido", "META_TIPOS": "meta_tipo"}
    if name not in columns:
        raise AttributeError(name)
    return tuple(load_schemas(DATA_DIR / PEI_SCHEMA)["indicadores"].column(columns[name])["valores"])


def load_pei(data_dir: str | Path | None = None) -> PEI:
    """Load and validate the PEI 2018-2022 from ``<data_dir>/pei/pei_2018_2022.yaml``.

    ``data_dir`` defaults to the repository's ``data/`` (found from the package, not the working
    directory). Raises :class:`~pei_analysis.errors.DataError` naming the file, the line, the field
    (as a path such as ``objetivos[1].estrategias[0].metas[2].indicador.sentido``) and the element's id.
    """
    root = _data_dir(data_dir)
    path = root / PEI_YAML
    document, lines = read_yaml(path)
    doc = Document(path, lines, pei_schemas(root))
    doc.read(document)
    return PEI(documento=doc.documento, mision=doc.mision, vision=doc.vision, **_validated_tables(doc))


#: Within one element, the order in which its checks were always made (and so which one is reported).
_RANK = {"tipo": 0, "nulo": 0, "patron": 1, "clave_unica": 2, "referencia": 5, "valores": 5, "minimo": 7}


def _validated_tables(doc: Document) -> dict[str, pd.DataFrame]:
    """Type every table's cells, then check values and cross-table rules; refuse the first problem.

    "First" is in the order of a walk through the plan (each element's own checks, then its children;
    objetivos before ejes), so a mistake is reported once, where it is, not where it echoes (a wrong
    objetivo id would also be an unknown objetivo in its ejes).
    """
    objetivo_ids = {r.values.get("objetivo_id") for r in doc.rows["objetivos"]}
    references = {"objetivos.objetivo_id": {i for i in objetivo_ids if isinstance(i, str)}}
    tables, problems = {}, []
    for name in TABLES:
        built = doc.schemas[name].from_records([row.values for row in doc.rows[name]])
        if isinstance(built, Failure):
            problems.append((_key(doc, name, built), name, built))
        else:
            tables[name] = built
    if not problems:
        for name in TABLES:
            problems.extend(
                (_key(doc, name, f), name, f) for f in doc.schemas[name].failures(tables[name], references)
            )
        problems.extend(rule_problems(doc, tables))
    if problems:
        _, name, failure = min(problems, key=lambda problem: problem[0])
        if isinstance(failure, DataError):
            raise failure
        raise _refusal(doc, name, failure, tables.get(name), references)
    return tables


def _key(doc: Document, name: str, failure: Failure) -> tuple:
    return (doc.rows[name][failure.row].seq, _RANK.get(failure.check, 7))


def _refusal(doc: Document, name: str, failure: Failure, table: pd.DataFrame | None, references) -> DataError:
    """Place a schema failure in the document: the row's block, the key of the column, the element's id."""
    schema, row = doc.schemas[name], doc.rows[name][failure.row]
    key = schema.key_of(failure.column) if failure.column in schema.column_names else None
    where = row.where + (key,) if key is not None else row.where
    context = reference_context(schema, failure, references)
    if failure.first is not None:
        context["anterior"] = render(doc.rows[name][failure.first].where)
    return doc.fail(schema.message(failure, table, **context), where, row.element_id)
