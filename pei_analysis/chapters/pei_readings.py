"""Lo que es lectura de esta publicación en el capítulo del PEI, y los plazos y actores del árbol.

Why a module of its own: the PEI file marks what is interpretation (``pei.interpretaciones``, with
confianza, razón and source lines) and records the deadlines and named units of metas and acciones;
these notes change with those readings, not with how the plan or the POA links are drawn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from pei_analysis.chapters.display import Column, HtmlTable, html_table
from pei_analysis.format import fmt_date

# --------------------------------------------------------------------------- this publication's readings
#
# What the PEI file marks as interpretation (``pei.interpretaciones``: confianza, razón, líneas de la
# fuente), shown beside what each one affects so a reader can tell the source's words from ours.

#: The words of the small note beside an interpreted element.
READING_LABEL = "Lectura de esta publicación"
#: The parts of the document an interpretation can be about, as the book names them.
PART_NAMES = {
    "documento": "el período comparado",
    "mision_vision": "misión y visión",
    "mapa_ejes": "mapa de ejes y objetivos",
    "indicadores": "indicadores",
    "plazos": "plazos",
    "actores": "unidades y socios",
    "vinculos": "vínculos POA-PEI",
}


def _readings(pei, afecta: str, of_field: bool | None = None) -> list[dict]:
    """The interpretations about *afecta* (an element id or a part of the document), in file order.

    ``of_field`` True keeps those about one of its fields (an indicator's year…), False those about the
    element itself, None both: the tree shows the latter, the indicator cards the former.
    """
    table = getattr(pei, "interpretaciones", None)
    if table is None or table.empty:
        return []
    mine = table[table["afecta"] == afecta]
    if of_field is not None:
        mine = mine[mine["campo"].notna() == of_field]
    return mine.to_dict("records")


def reading_notes_html(pei, afecta: str, of_field: bool | None = None) -> str:
    """Small «Lectura de esta publicación» notes (with confidence; the reason one click away), or ''."""
    e = html.escape
    notes = []
    for r in _readings(pei, afecta, of_field):
        lines = r.get("lineas_fuente")
        source = f" (líneas {e(lines)} de la fuente)" if isinstance(lines, str) else ""
        notes.append(
            f'<aside class="pei-lectura" data-lectura="{e(r["interpretacion_id"])}" '
            f'data-confianza="{e(r["confianza"])}"><p><strong>{READING_LABEL}</strong> '
            f'<span class="pei-confianza">(confianza {e(r["confianza"])})</span>: '
            f"{e(r['interpretacion'])}</p>"
            f"<details><summary>Por qué</summary><p>{e(r['razon'])}{source}</p></details></aside>"
        )
    return "".join(notes)


def plan_horizon_html(pei, anio: int) -> HtmlTable:
    """What the chapter compares, said once: the readings on the period compared and on the POA-PEI links.

    That the plan's horizon ended before the POA of *anio* is this publication's reading of the document
    (``afecta: documento`` in the PEI file), with its confidence and its source lines, so the chapter says
    it with that note only and no prose repeating it; the same holds for the note that the links are a
    reading. When *anio* falls within the plan's period there is no horizon to explain, and only the
    note on the links remains.
    """
    within = int(anio) <= int(pei.documento["periodo"]["fin"])
    period = "" if within else reading_notes_html(pei, "documento")
    return HtmlTable(f'<div class="pei-horizonte">{period}{reading_notes_html(pei, "vinculos")}</div>')


def mission_vision_html(pei) -> HtmlTable:
    """Mission and vision as the file assigns them, with the note on how sure that assignment is."""
    e = html.escape
    body = (
        f"<p><strong>Misión.</strong> {e(pei.mision.strip())}</p>"
        f"<p><strong>Visión.</strong> {e(pei.vision.strip())}</p>"
    )
    return HtmlTable(f'<div class="pei-mision-vision">{body}{reading_notes_html(pei, "mision_vision")}</div>')


def ejes_reading_html(pei) -> HtmlTable:
    """The note on the eje → objective map (a reconstruction of the source's graphic)."""
    return HtmlTable(reading_notes_html(pei, "mapa_ejes"))


def interpretations_table(pei) -> HtmlTable:
    """Every interpretation of this publication in one table: what it affects, the reading, how sure; on a
    phone, a card per reading with the reading and its reason across it (the reason was off screen)."""
    table = pei.interpretaciones.copy()
    known = set(PART_NAMES)
    table["que"] = [
        PART_NAMES[a] if a in known else (f"{a} ({c})" if isinstance(c, str) else a)
        for a, c in zip(table["afecta"], table["campo"], strict=True)
    ]
    table["lineas"] = table["lineas_fuente"].fillna("—")
    return html_table(
        table,
        [
            Column("que", "Afecta"),
            Column("interpretacion", "Lectura", css="largo"),  # under its label on a phone
            Column("confianza", "Confianza"),
            Column("razon", "Razón"),
            Column("lineas", "Líneas de la fuente"),
        ],
        row_id="lectura-tabla-{interpretacion_id}",
        stacked=True,
    )


# --------------------------------------------------------------------------- deadlines and units in the tree

#: How the tree names each kind of deadline.
PLAZO_TEXT = {
    "hasta": "hasta",
    "desde": "desde",
    "durante": "período que termina en",
    "cada_anio": "cada año",
}


def deadline_text(p: Mapping) -> str:
    """«para el primer semestre del 2018» (hasta el 30 de junio de 2018): the words, then the date read."""
    words = f"«{p['texto']}»"
    if p["clase"] == "cada_anio":
        return words
    fecha = p.get("fecha")
    dated = fecha is not None and not pd.isna(fecha)
    when = fmt_date(pd.Timestamp(fecha).date()) if dated else str(p["anio"])
    return f"{words} ({PLAZO_TEXT[p['clase']]} {when})"


def element_actors(pei, element_id: str) -> list[str]:
    """The units and partners an element names (their common names), in the order of the text."""
    actores = getattr(pei, "actores", None)
    if actores is None or actores.empty:
        return []
    return list(dict.fromkeys(actores.loc[actores["elemento_id"] == element_id, "actor"]))


def filter_attributes(pei, element_id: str) -> str:
    """The ``data-actores`` attribute the tree filter reads (book/_static/arbol_pei.js); '' if none."""
    names = element_actors(pei, element_id) if pei is not None else []
    return f' data-actores="{html.escape("|".join(names))}"' if names else ""


def deadlines_actors_html(pei, element_id: str) -> str:
    """One line with the element's deadlines and the units or partners it names, or ''."""
    if pei is None:
        return ""
    parts = []
    plazos = getattr(pei, "plazos", None)
    if plazos is not None and not plazos.empty:
        mine = plazos[plazos["elemento_id"] == element_id].to_dict("records")
        if mine:
            parts.append("Plazo: " + "; ".join(deadline_text(p) for p in mine))
    names = element_actors(pei, element_id)
    if names:
        parts.append("Nombra a: " + ", ".join(names))
    if not parts:
        return ""
    return f'<p class="pei-plazos-actores">{html.escape(". ".join(parts))}.</p>'


def actor_filter_html(pei) -> str:
    """The list of units and partners the tree's filter offers, as data the script reads.

    Without JavaScript nothing is shown (the tree reads whole); the script builds the ``<select>``.
    """
    actores = getattr(pei, "actores", None)
    if actores is None or actores.empty:
        return ""
    e = html.escape
    groups = {"igss": "Unidades del IGSS", "externo": "Socios y otras entidades"}
    items = []
    for tipo, label in groups.items():
        names = sorted(set(actores.loc[actores["tipo"] == tipo, "actor"]), key=str.casefold)
        options = "".join(f'<li data-actor="{e(n)}">{e(n)}</li>' for n in names)
        items.append(f'<li data-grupo="{e(label)}"><ul>{options}</ul></li>')
    return f'<ul class="pei-filtro-actores" hidden>{"".join(items)}</ul>'
