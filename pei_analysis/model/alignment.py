"""How the POA products that directly serve each PEI objective and strategy are executing.

Only links typed ``contribucion_directa`` (``data/vinculos/poa_pei.csv``) enter a figure. A support or
context link says that a product is near an element of the plan, not that its execution is progress on
it: averaging those in gave objective 1 a median of 0 % drawn from four small PRECAPI products and
objective 2 one of 33.5 % drawn from the medical care of State retirees (issue #21). An element with no
direct link gets no figure at all (``n_productos`` 0, ``pct_avance_mediana`` NaN), never a 0 %.

Numbers and codes only: the chapter (``chapters/pei.py``) writes the words, including «sin productos
vinculados directamente».
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pei_analysis.model import attainment
from pei_analysis.tables.linkage import DIRECT, LINK_TYPES
from pei_analysis.tables.pei import PEI
from pei_analysis.tables.poa import PRODUCT_KEY

EXECUTION_COLUMNS = [
    "elemento_id",
    "objetivo_id",
    "n_productos",
    "productos",
    "pct_avance_mediana",
    "estados",
    *[f"n_{tipo}" for tipo in LINK_TYPES[1:]],
]


def direct_links(linkage: pd.DataFrame) -> pd.DataFrame:
    """The links that may carry a figure: those typed ``contribucion_directa``.

    Whatever their ``confianza``: the confidence tells the reader how sure the reading is, beside the link;
    weighting or dropping the less sure ones would change the figures by a judgement nobody can check.
    """
    return linkage[linkage["tipo"] == DIRECT]


def objective_execution(pei: PEI, linkage: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per PEI objective, in the plan's order: its directly linked products and their execution.

    A link at any depth (objective, strategy or meta) counts for its objective. See :func:`_execution`
    for the columns.
    """
    members = {oid: linkage["objetivo_id"] == oid for oid in pei.objetivos["objetivo_id"]}
    return _execution(members, {oid: oid for oid in members}, linkage, table)


def strategy_execution(pei: PEI, linkage: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per PEI strategy, in the plan's order; a strategy's figure includes its sub-strategies.

    O1-E2 has no metas of its own, only the sub-strategies E 2.1 and E 2.2: a product linked to one of
    them serves O1-E2 too. Links to the objective alone (no strategy) count for no strategy.
    """
    estrategias = pei.estrategias
    members, objective_of = {}, {}
    for s in estrategias.to_dict("records"):
        sid = s["estrategia_id"]
        ids = {sid, *estrategias.loc[estrategias["estrategia_padre_id"] == sid, "estrategia_id"]}
        members[sid] = linkage["estrategia_id"].isin(ids)
        objective_of[sid] = s["objetivo_id"]
    return _execution(members, objective_of, linkage, table)


def _execution(
    members: Mapping[str, pd.Series],
    objective_of: Mapping[str, str],
    linkage: pd.DataFrame,
    table: pd.DataFrame,
) -> pd.DataFrame:
    """Per element (its links selected by ``members``): the figures of its directly linked products.

    Columns: ``n_productos`` (distinct products with a direct link), ``productos`` (their keys, in the
    order of this edition's report; a key missing from the edition goes last), ``pct_avance_mediana``
    (median % of progress of those in the edition; NaN without any), ``estados`` (semáforo code → count,
    in :data:`attainment.ESTADOS` order, zeros left out), and ``n_apoyo``/``n_contexto``: products linked
    only by that weaker type (a product also linked directly is not counted again), shown but never
    averaged.
    """
    number = table.set_index(PRODUCT_KEY)["producto"] if "producto" in table.columns else pd.Series()
    rows = []
    for element, selected in members.items():
        links = linkage[selected]
        direct = _ordered(set(direct_links(links)[PRODUCT_KEY]), number)
        shown = table[table[PRODUCT_KEY].isin(direct)]
        row = {
            "elemento_id": element,
            "objetivo_id": objective_of[element],
            "n_productos": len(direct),
            "productos": tuple(direct),
            "pct_avance_mediana": float(shown["pct_avance"].median()) if len(shown) else float("nan"),
            "estados": _state_counts(shown),
        }
        seen = set(direct)
        for tipo in LINK_TYPES[1:]:
            weaker = set(links.loc[links["tipo"] == tipo, PRODUCT_KEY]) - seen
            row[f"n_{tipo}"] = len(weaker)
            seen |= weaker
        rows.append(row)
    return pd.DataFrame(rows, columns=EXECUTION_COLUMNS)


def _ordered(keys: set[str], number: pd.Series) -> list[str]:
    """Product keys in the order of the edition's report numbers; keys not in the edition last, by key."""
    return sorted(keys, key=lambda k: (0, int(number[k]), "") if k in number.index else (1, 0, k))


def _state_counts(products: pd.DataFrame) -> dict[str, int]:
    """Semáforo code → number of products, in the semáforo's order, without the states nobody is in."""
    if "estado" not in products.columns:
        return {}
    counts = products["estado"].value_counts()
    return {e: int(counts[e]) for e in attainment.ESTADOS if counts.get(e, 0)}
