"""The links between the POA's products and the PEI, as the reader reads them: each link with its type, its
confidence and its reason in words, the product's execution in the edition, and the sentence that says
whose reading they are.

The links themselves are data (``data/vinculos/poa_pei.csv``,
:func:`~pei_analysis.tables.linkage.load_linkage`); the per-objective and per-strategy figures built on
them are :mod:`.pei`'s.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters.display import Column, HtmlTable, html_table
from pei_analysis.tables.linkage import CONFIDENCE_LEVELS, LINK_TYPES
from pei_analysis.tables.poa import PRODUCT_KEY

#: The link types of data/vinculos/poa_pei.csv as the reader reads them.
LINK_TYPE_TEXT = {"contribucion_directa": "contribución directa", "apoyo": "apoyo", "contexto": "contexto"}
#: The confidence of a link (data/vinculos/poa_pei.csv, «confianza») as the reader reads it.
CONFIDENCE_TEXT = {level: level for level in CONFIDENCE_LEVELS}
#: Every link between a POA product and the PEI, with its reason and the product's execution.
LINK_COLUMNS = [
    Column("objetivo", "Objetivo"),
    Column("elemento", "Estrategia o meta"),
    Column("producto", kind="int"),
    Column("nombre_corto", "Nombre"),
    Column("tipo", "Tipo de vínculo"),
    Column("pct_avance", kind="pct"),
    Column("estado", kind="status"),
    Column("confianza", "Confianza"),
    Column("razon", "Razón del vínculo", css="ancho"),
    Column("fuente_externa", "Fuera de los documentos", css="ancho"),
]


def links_are_a_reading() -> str:
    """The one sentence that says whose the links are, beside them (the other reading notes are elsewhere)."""
    return (
        "Los vínculos entre los productos del POA y el PEI son la lectura que esta publicación hace del "
        "reporte de SICOIN y del texto del PEI, no una alineación oficial del IGSS."
    )


def linked_products(linkage: pd.DataFrame, table: pd.DataFrame, pei) -> pd.DataFrame:
    """Each POA ↔ PEI link with its type and confidence in words and the product's execution in this edition.

    Sorted by objective, then from the strongest type to the weakest, then by report number: the
    direct contributions an objective's figure rests on come first. The confidence («alta», «media»,
    «baja») sits beside the type and only qualifies it: the figures count every direct contribution.
    """
    keep = [
        PRODUCT_KEY,
        "producto",
        "nombre_corto",
        "programa",
        "sigla",
        "descripcion",
        "pct_avance",
        "brecha_pp",
        "estado",
        "estado_incierto",
    ]
    keep = [c for c in dict.fromkeys(keep) if c in table.columns]
    out = linkage.merge(table[keep], on=PRODUCT_KEY, how="left")  # links follow the product, not its number
    names = pei.objetivos.set_index("objetivo_id")["nombre"]
    out["objetivo"] = out["objetivo_id"].map(lambda o: f"{o} {names.get(o, '')}".strip())
    strength = out["tipo"].map({t: i for i, t in enumerate(LINK_TYPES)})
    out = out.assign(_fuerza=strength).sort_values(["objetivo_id", "_fuerza", "producto"], kind="stable")
    out["tipo"] = out["tipo"].map(LINK_TYPE_TEXT)
    out["elemento"] = out["meta_id"].fillna(out["estrategia_id"]).fillna("el objetivo en general")
    out["confianza"] = out["confianza"].map(CONFIDENCE_TEXT)
    leading = ["producto", PRODUCT_KEY, "objetivo_id", "objetivo", "tipo", "confianza"]
    first = [c for c in dict.fromkeys(leading) if c in out.columns]
    out = out.drop(columns="_fuerza")
    return out[[*first, *[c for c in out.columns if c not in first]]].reset_index(drop=True)


def links_table(linkage: pd.DataFrame, table: pd.DataFrame, pei) -> HtmlTable:
    """Every link (:func:`linked_products`), filterable, a card per link on every screen: its ten columns
    did not fit a laptop's text column either, and each row stood ten lines tall and mostly blank beside a
    reason off to the right; on a phone all but its first columns were off screen."""
    return html_table(linked_products(linkage, table, pei), LINK_COLUMNS, interactive=True, cards=True)
