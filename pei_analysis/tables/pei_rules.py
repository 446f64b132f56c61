"""The PEI's rules that cross rows or tables: what its schema cannot say column by column.

The schema (``data/pei/pei_2018_2022.schema.yaml``) checks each table on its own: types, id formats,
repeated ids, the allowed ``sentido`` and ``meta_tipo``, the range of ``meta_anio``. What is left needs
more than one cell: an id must agree with its position (``O1-E2-M3`` is meta 3 of strategy 2 of
objective 1), a substrategy must name the strategy it divides, a strategy must lead somewhere, an
indicator must carry at least one figure of the text (and a year only with a figure: a year alone is a
deadline), its milestones must accumulate to its target, a deadline or a named unit must quote the words
of its element, and an interpretation must be about something that exists. Each rule gives its first
problem; the one
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
    rules = (
        _ids_match_positions,
        _substrategies,
        _strategies_lead_somewhere,
        _indicator_figures,
        _indicator_years_are_deadlines,
        _milestones_accumulate_to_the_target,
        _strictness_only_on_thresholds,
        _annotations_quote_their_element,
        _deadline_years,
        _interpretations_point_somewhere,
    )
    for rule in rules:
        for key, message, where, element_id in rule(doc.rows, tables):
            problems.append((key, rule.__name__, doc.fail(message, where, element_id)))
    return problems


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _ids_match_positions(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """Every id is its parent's id plus its own number: a typo in either is caught here."""
    expected = {
        "objetivos": (lambda r: f"O{r.numero}", "O + numero", "objetivo_id"),
        "estrategias": (
            lambda r: f"{r.objetivo_id}-E{r.numero}",
            "id del objetivo + -E + numero",
            "estrategia_id",
        ),
        "metas": (lambda r: f"{r.estrategia_id}-M{r.numero}", "id de la estrategia + -M + numero", "meta_id"),
        "acciones": (
            lambda r: f"{_text(r.meta_id) or r.estrategia_id}-AE{r.numero}",
            "id de su meta o estrategia + -AE + numero",
            "accion_id",
        ),
        "ejes": (lambda r: f"EJ{r.numero}", "EJ + numero", "eje_id"),
    }
    for name, (build, how, id_column) in expected.items():
        for row, record in zip(rows[name], tables[name].itertuples(index=False), strict=True):
            want, actual = build(record), getattr(record, id_column)
            if actual != want:
                message = f"el id no concuerda con su posición: se esperaba «{want}» ({how})."
                yield (row.seq, 3), message, row.where + ("id",), actual


def _substrategies(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A strategy numbered "2.1" names its parent, which comes before it; no other strategy has one."""
    seen: set[str] = set()
    for row, record in zip(rows["estrategias"], tables["estrategias"].itertuples(index=False), strict=True):
        padre, own = _text(record.estrategia_padre_id), record.estrategia_id
        where = row.where + ("estrategia_padre",)
        if "." in record.numero:
            expected_padre = f"{record.objetivo_id}-E{record.numero.split('.')[0]}"
            if padre != expected_padre:
                yield (
                    (row.seq, 4),
                    f"una subestrategia necesita estrategia_padre: {expected_padre}.",
                    where,
                    own,
                )
            elif padre not in seen or padre == own:
                message = f"la estrategia padre «{padre}» debe aparecer antes en el mismo objetivo."
                yield (row.seq, 4), message, where, own
        elif padre is not None:
            message = 'solo una subestrategia (numero como "2.1") puede tener estrategia_padre.'
            yield (row.seq, 4), message, where, own
        seen.add(own)


def _strategies_lead_somewhere(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """A strategy with no metas, no actions of its own and no substrategies says nothing measurable."""
    metas = set(tables["metas"]["estrategia_id"])
    acciones = tables["acciones"]
    own_actions = set(acciones.loc[acciones["meta_id"].isna(), "estrategia_id"])
    parents = set(tables["estrategias"]["estrategia_padre_id"].dropna())
    # Checked once the objective's strategies have all been read: just before the next element.
    ends = {}
    for row, objetivo_id in zip(rows["objetivos"], tables["objetivos"]["objetivo_id"], strict=True):
        ends.setdefault(objetivo_id, row.end - 0.5)
    estrategias = tables["estrategias"]
    for row, estrategia_id, objetivo_id in zip(
        rows["estrategias"], estrategias["estrategia_id"], estrategias["objetivo_id"], strict=True
    ):
        if estrategia_id not in metas | own_actions | parents:
            message = "la estrategia no tiene metas, ni acciones, ni subestrategias."
            yield (ends.get(objetivo_id, row.seq), 0), message, row.where + ("metas",), estrategia_id


def _indicator_figures(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A target figure needs to say what kind of target it is; an indicator needs some figure of the text."""
    for row, record in zip(rows["indicadores"], tables["indicadores"].itertuples(index=False), strict=True):
        if pd.notna(record.meta_valor) and pd.isna(record.meta_tipo):
            message = "una meta con meta_valor necesita meta_tipo (nivel o variacion_porcentual)."
            yield (row.seq, 6), message, row.where + ("meta_tipo",), record.meta_id
        if pd.isna(record.meta_valor) and pd.isna(record.linea_base_valor):
            message = "un indicador necesita al menos una cifra del texto (meta_valor o linea_base_valor)."
            yield (row.seq, 6), message, row.where, record.meta_id


# The rules below rank 8 within their row: after the schema's own checks of the same row (up to 7), so
# a year out of range is reported as out of range, not as a year without a deadline.

#: The parts of the document an interpretation can be about, besides the id of an element.
INTERPRETATION_PARTS = (
    "mision_vision",
    "mapa_ejes",
    "indicadores",
    "plazos",
    "actores",
    "documento",
    "vinculos",
)


def _normal(text) -> str:
    return " ".join(str(text).split())


def _indicator_years_are_deadlines(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """A target year needs a target figure, and the meta's text must give that year as a deadline.

    «Encontrar para el año 2019 un mecanismo…» gives a year and no level: that year is a deadline of the
    meta (its ``plazos``), and scoring the indicator against it would judge a level nobody set.
    """
    plazos = tables["plazos"]
    for row, record in zip(rows["indicadores"], tables["indicadores"].itertuples(index=False), strict=True):
        if pd.isna(record.meta_anio):
            continue
        where = row.where + ("meta_anio",)
        if pd.isna(record.meta_valor):
            message = (
                "un año sin cifra de meta es un plazo: va en «plazos» de la meta, y meta_anio queda null."
            )
            yield (row.seq, 8), message, where, record.meta_id
            continue
        years = set(plazos.loc[plazos["elemento_id"] == record.meta_id, "anio"].dropna().astype(int))
        if int(record.meta_anio) not in years:
            message = f"meta_anio {int(record.meta_anio)} no es el año de ningún plazo de la meta (plazos)."
            yield (row.seq, 8), message, where, record.meta_id


def _milestones_accumulate_to_the_target(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """Milestones are cumulative, in meta_valor's terms: they grow year by year and end at the target.

    One convention, so that a milestone can be compared with an observation (also cumulative) and the
    last one with the target; per-year amounts («30, 30 y 40») would read as a target of 40.
    """
    indicadores = tables["indicadores"].set_index("meta_id")
    hitos = tables["hitos"]
    for meta_id, group in hitos.groupby("meta_id", sort=False):
        first_row = next(r for r in rows["hitos"] if r.values.get("meta_id") == meta_id)
        where, ind = first_row.where[:-1], indicadores.loc[meta_id]
        years, values = list(group["anio"]), list(group["valor"])
        if years != sorted(set(years)) or values != sorted(set(values)):
            message = "los hitos son acumulados: cada año después del anterior y con un valor mayor."
            yield (first_row.seq, 8), message, where, meta_id
        elif years[-1] != ind["meta_anio"] or values[-1] != ind["meta_valor"]:
            message = (
                f"el último hito ({years[-1]}: {values[-1]:g}) debe ser la meta "
                f"(meta_anio {ind['meta_anio']}, meta_valor {ind['meta_valor']:g}): los hitos son acumulados."
            )
            yield (first_row.seq, 8), message, where, meta_id


def _strictness_only_on_thresholds(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """«estricto» says whether a threshold itself meets the meta: only a threshold meta has one."""
    for row, record in zip(rows["indicadores"], tables["indicadores"].itertuples(index=False), strict=True):
        given = record.estricto is not None and not pd.isna(record.estricto)
        if given and record.sentido not in ("mantener_arriba", "mantener_abajo"):
            message = "«estricto» solo vale en metas de umbral (sentido mantener_arriba o mantener_abajo)."
            yield (row.seq, 8), message, row.where + ("estricto",), record.meta_id


def _element_texts(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each meta's and action's text by id; a repeated id is left out (its own rule reports it)."""
    ids = pd.concat([tables["metas"]["meta_id"], tables["acciones"]["accion_id"]], ignore_index=True)
    texts = pd.concat([tables["metas"]["texto"], tables["acciones"]["texto"]], ignore_index=True)
    unique = ~ids.duplicated(keep=False)
    return {key: _normal(text) for key, text in zip(ids[unique], texts[unique], strict=True)}


def _annotations_quote_their_element(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """A deadline or a named unit quotes its element: the words must be in the element's text."""
    texts = _element_texts(tables)
    for table, column in (("plazos", "texto"), ("actores", "texto")):
        for row, record in zip(rows[table], tables[table].to_dict("records"), strict=True):
            words = record[column] if isinstance(record[column], str) else record.get("actor")
            if record["elemento_id"] in texts and _normal(words) not in texts[record["elemento_id"]]:
                key = "texto" if isinstance(record[column], str) else "actor"
                message = f"«{words}» no está en el texto de {record['elemento_id']}; se citan sus palabras."
                yield (row.seq, 8), message, row.where + (key,), record["elemento_id"]


def _deadline_years(rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]) -> Iterator[tuple]:
    """A dated deadline has a year (and its date falls in it); «cada año» has none."""
    for row, record in zip(rows["plazos"], tables["plazos"].to_dict("records"), strict=True):
        has_year, fecha = not pd.isna(record["anio"]), record["fecha"]
        if record["clase"] == "cada_anio" and (has_year or not pd.isna(fecha)):
            message = "un plazo «cada_anio» no lleva anio ni fecha."
            yield (row.seq, 8), message, row.where + ("anio",), record["elemento_id"]
        elif record["clase"] != "cada_anio" and not has_year:
            message = f"un plazo «{record['clase']}» necesita anio."
            yield (row.seq, 8), message, row.where, record["elemento_id"]
        elif not pd.isna(fecha) and fecha.year != record["anio"]:
            message = f"la fecha {fecha.date().isoformat()} no es del año {record['anio']}."
            yield (row.seq, 8), message, row.where + ("fecha",), record["elemento_id"]


def _interpretations_point_somewhere(
    rows: dict[str, list[Row]], tables: dict[str, pd.DataFrame]
) -> Iterator[tuple]:
    """An interpretation is shown beside what it affects: that must be an element or a part of the plan."""
    ids = set(INTERPRETATION_PARTS)
    for name, column in (
        ("objetivos", "objetivo_id"),
        ("estrategias", "estrategia_id"),
        ("metas", "meta_id"),
        ("acciones", "accion_id"),
        ("ejes", "eje_id"),
    ):
        ids |= set(tables[name][column])
    records = tables["interpretaciones"].to_dict("records")
    for row, record in zip(rows["interpretaciones"], records, strict=True):
        if record["afecta"] not in ids:
            parts = ", ".join(INTERPRETATION_PARTS)
            message = f"afecta «{record['afecta']}» no es un elemento del PEI ni una de: {parts}."
            yield (row.seq, 8), message, row.where + ("afecta",), record["interpretacion_id"]
