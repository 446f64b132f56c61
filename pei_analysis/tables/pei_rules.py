"""The PEI's rules that cross rows or tables: what its schema cannot say column by column.

The schema (``data/pei/pei_2018_2022.schema.yaml``) checks each table on its own: types, id formats,
repeated ids, the allowed ``sentido`` and ``meta_tipo``, the range of ``meta_anio``. What is left needs
more than one cell: an id must agree with its position (``O1-E2-M3`` is meta 3 of strategy 2 of
objective 1), a substrategy must name the strategy it divides, a strategy must lead somewhere, and an
indicator must carry at least one figure of the text. Each rule gives its first problem; the one
earliest in the document is refused, so a file with one mistake gets the message about that mistake.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.tables.pei_reading import Document, Row

Problem = tuple[tuple, str, DataError]


def rule_problems(doc: Document, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every problem the rules find, as (walk order, table, DataError, None) like the schema's failures."""
    problems = []
    for rule in (_ids_match_positions, _substrategies, _strategies_lead_somewhere, _indicator_figures):
        for key, message, where, element_id in rule(doc.rows, tables):
            problems.append((key, rule.__name__, doc.fail(message, where, element_id)))
    return problems


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _ids_match_positions(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """Every id is its parent's id plus its own number: a typo in either is caught here."""
    expected = {
        "objetivos": (lambda r: f"O{r.numero}", "O + numero", "objetivo_id"),
        "estrategias": (lambda r: f"{r.objetivo_id}-E{r.numero}", "id del objetivo + -E + numero", "estrategia_id"),
        "metas": (lambda r: f"{r.estrategia_id}-M{r.numero}", "id de la estrategia + -M + numero", "meta_id"),
        "acciones": (
            lambda r: f"{_text(r.meta_id) or r.estrategia_id}-AE{r.numero}",
            "id de su meta o estrategia + -AE + numero",
            "accion_id",
        ),
        "ejes": (lambda r: f"EJ{r.numero}", "EJ + numero", "eje_id"),
    }
    for name, (build, how, id_column) in expected.items():
        for row, record in zip(rows[name], tables[name].itertuples(index=False)):
            want, actual = build(record), getattr(record, id_column)
            if actual != want:
                message = f"el id no concuerda con su posición: se esperaba «{want}» ({how})."
                yield (row.seq, 3), message, row.where + ("id",), actual


def _substrategies(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A strategy numbered "2.1" names its parent, which comes before it; no other strategy has one."""
    seen: set[str] = set()
    for row, record in zip(rows["estrategias"], tables["estrategias"].itertuples(index=False)):
        padre, own = _text(record.estrategia_padre_id), record.estrategia_id
        where = row.where + ("estrategia_padre",)
        if "." in record.numero:
            expected_padre = f"{record.objetivo_id}-E{record.numero.split('.')[0]}"
            if padre != expected_padre:
                yield (row.seq, 4), f"una subestrategia necesita estrategia_padre: {expected_padre}.", where, own
            elif padre not in seen or padre == own:
                message = f"la estrategia padre «{padre}» debe aparecer antes en el mismo objetivo."
                yield (row.seq, 4), message, where, own
        elif padre is not None:
            message = 'solo una subestrategia (numero como "2.1") puede tener estrategia_padre.'
            yield (row.seq, 4), message, where, own
        seen.add(own)


def _strategies_lead_somewhere(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A strategy with no metas, no actions of its own and no substrategies says nothing measurable."""
    metas = set(tables["metas"]["estrategia_id"])
    acciones = tables["acciones"]
    own_actions = set(acciones.loc[acciones["meta_id"].isna(), "estrategia_id"])
    parents = set(tables["estrategias"]["estrategia_padre_id"].dropna())
    # Checked once the objective's strategies have all been read: just before the next element.
    ends = {}
    for row, objetivo_id in zip(rows["objetivos"], tables["objetivos"]["objetivo_id"]):
        ends.setdefault(objetivo_id, row.end - 0.5)
    estrategias = tables["estrategias"]
    for row, estrategia_id, objetivo_id in zip(rows["estrategias"], estrategias["estrategia_id"], estrategias["objetivo_id"]):
        if estrategia_id not in metas | own_actions | parents:
            message = "la estrategia no tiene metas, ni acciones, ni subestrategias."
            yield (ends.get(objetivo_id, row.seq), 0), message, row.where + ("metas",), estrategia_id


def _indicator_figures(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A target figure needs to say what kind of target it is; an indicator needs some figure of the text."""
    for row, record in zip(rows["indicadores"], tables["indicadores"].itertuples(index=False)):
        if pd.notna(record.meta_valor) and pd.isna(record.meta_tipo):
            message = "una meta con meta_valor necesita meta_tipo (nivel o variacion_porcentual)."
            yield (row.seq, 6), message, row.where + ("meta_tipo",), record.meta_id
        if pd.isna(record.meta_valor) and pd.isna(record.linea_base_valor):
            message = "un indicador necesita al menos una cifra del texto (meta_valor o linea_base_valor)."
            yield (row.seq, 6), message, row.where, record.meta_id
