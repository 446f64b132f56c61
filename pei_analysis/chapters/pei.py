"""El capítulo del PEI 2018-2022: objetivos, estrategias, metas, acciones e indicadores, y los productos
del POA que sirven a cada uno, con su ejecución en la edición.

The plan is shown as data (from ``load_pei`` and ``load_linkage``), never retyped: counts,
indicators in their units ('Q 39,238,919,512.27', '-25%', '50 días'), «sin datos» where the text
gives no figure, and a navigable tree with an anchor for every element.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd

from pei_analysis.chapters.display import (
    PRODUCT_LINK,
    STATUS_STYLE,
    Column,
    HtmlTable,
    html_table,
    md_escape,
    plural,
    status_text,
)
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_pct, join_es
from pei_analysis.model import alignment
from pei_analysis.tables.linkage import CONFIDENCE_LEVELS, LINK_TYPES
from pei_analysis.tables.poa import PRODUCT_KEY

#: The link types of data/vinculos/poa_pei.csv as the reader reads them.
LINK_TYPE_TEXT = {"contribucion_directa": "contribución directa", "apoyo": "apoyo", "contexto": "contexto"}
#: The confidence of a link (data/vinculos/poa_pei.csv, «confianza») as the reader reads it.
CONFIDENCE_TEXT = {level: level for level in CONFIDENCE_LEVELS}
#: What a per-objective or per-strategy figure says when no product serves the element directly.
NO_DIRECT_TEXT = "sin productos vinculados directamente"
#: The other cells of such an element: the reason is said once, in its figure's cell.
NOTHING = "—"

SENTIDO_TEXT = {
    "aumentar": "aumentar",
    "disminuir": "disminuir",
    "mantener_arriba": "mantener por encima de",
    "mantener_abajo": "mantener por debajo de",
}


def _num(value: float) -> str:
    """15.0 → '15', 12.5 → '12.5' (thousands with commas)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_indicator_value(value, unidad: str, meta_tipo=None, sentido=None) -> str:
    """A PEI figure in its unit: '25%', 'Q 39,238,919,512.27', '50 días'; a change gets its sign ('-25%')."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    value = float(value)
    sign = ""
    if meta_tipo == "variacion_porcentual":
        sign = "-" if sentido == "disminuir" else "+"
    if unidad == "porcentaje":
        return f"{sign}{_num(value)}%"
    if unidad == "quetzales":
        return f"{sign}Q {value:,.2f}"
    if unidad == "días":
        return f"{sign}{_num(value)} {'día' if value == 1 else 'días'}"
    return f"{sign}{_num(value)} {unidad}".strip()


def indicator_table(pei) -> pd.DataFrame:
    """The PEI's quantitative metas with their indicator, baseline and target written out in their units."""
    ind = pei.indicadores.merge(pei.metas[["meta_id", "texto"]], on="meta_id", how="left")
    rows = []
    for r in ind.to_dict("records"):
        fecha = r.get("linea_base_fecha")
        base = fmt_indicator_value(r["linea_base_valor"], r["unidad"])
        if base != MISSING_TEXT and fecha is not None and not pd.isna(fecha):
            base += f" al {fmt_date(pd.Timestamp(fecha).date())}"
        elif base == MISSING_TEXT and fecha is not None and not pd.isna(fecha):
            base = f"saldo al {fmt_date(pd.Timestamp(fecha).date())} (valor no dado en el texto)"
        target = fmt_indicator_value(r["meta_valor"], r["unidad"], r["meta_tipo"], r["sentido"])
        anio = r.get("meta_anio")
        has_year = anio is not None and not pd.isna(anio)
        if target == MISSING_TEXT:
            target = "el texto no da la cifra" + (f"; plazo: {int(anio)}" if has_year else "")
        else:
            if r["meta_tipo"] == "variacion_porcentual":
                target += " respecto de la línea base"
            target += f" en {int(anio)}" if has_year else " (cada año)"
        rows.append(
            {
                "meta_id": r["meta_id"],
                "objetivo_id": r["objetivo_id"],
                "meta": r["texto"],
                "indicador": r["indicador"],
                "unidad": r["unidad"],
                "sentido": SENTIDO_TEXT.get(r["sentido"], r["sentido"]),
                "linea_base": base,
                "meta_cuantitativa": target,
            }
        )
    return pd.DataFrame(rows)


def indicator_progress_table(pei, progress: pd.DataFrame) -> pd.DataFrame:
    """Each PEI indicator's progress as readers see it: values in their units, the gap closed, the state.

    Every indicator is listed, with «sin datos» where no cited observation exists: an empty table
    would hide that the plan's indicators are not being measured.
    """
    ind = pei.indicadores.set_index("meta_id")
    rows = []
    for r in progress.to_dict("records"):
        meta = ind.loc[r["meta_id"]]
        last = fmt_indicator_value(r["ultimo_valor"], r["unidad"], meta["meta_tipo"], meta["sentido"])
        fecha = r["ultima_fecha"]
        if last != MISSING_TEXT and not pd.isna(fecha):
            last += f" al {fmt_date(pd.Timestamp(fecha).date())}"
        rows.append(
            {
                "meta_id": r["meta_id"],
                "indicador": r["indicador"],
                "ultimo_valor": last,
                "observaciones": int(r["n_observaciones"]),
                "brecha_cerrada": r["brecha_cerrada"] * 100.0
                if not pd.isna(r["brecha_cerrada"])
                else math.nan,
                "trayectoria_esperada": (
                    r["trayectoria_esperada"] * 100.0 if not pd.isna(r["trayectoria_esperada"]) else math.nan
                ),
                "estado": r["estado"],
                "nota": r["nota"],
            }
        )
    return pd.DataFrame(rows)


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


def _product_names(products, table: pd.DataFrame) -> str:
    """'4 Consulta externa por enfermedad; 8 Hospitalización por accidentes' (report number, short name)."""
    by_key = table.set_index(PRODUCT_KEY)
    names = []
    for key in products:
        if key not in by_key.index:
            names.append(f"{key} (no está en el POA de esta edición)")
        else:
            names.append(f"{int(by_key.loc[key, 'producto'])} {by_key.loc[key].get('nombre_corto', key)}")
    return "; ".join(names)


def _execution_text(row: Mapping, table: pd.DataFrame) -> dict[str, object]:
    """The words of one element's figures: its direct products, their median progress and semáforo.

    Without a direct product the figure reads «sin productos vinculados directamente» (and the other
    cells «—»): a number drawn from support or context links would say the element is progressing when
    nothing measures that.
    """
    weaker = [
        plural(int(row[f"n_{t}"]), f"de {LINK_TYPE_TEXT[t]}", f"de {LINK_TYPE_TEXT[t]}")
        for t in LINK_TYPES[1:]
        if row[f"n_{t}"]
    ]
    text = {
        "productos_directos": int(row["n_productos"]),
        "productos": _product_names(row["productos"], table) or NOTHING,
        "otros_vinculos": join_es(weaker) if weaker else "ninguno",
    }
    if not row["n_productos"]:
        return {**text, "avance": NO_DIRECT_TEXT, "semaforo": NOTHING}
    states = row["estados"]
    semaforo = ", ".join(f"{n} {STATUS_STYLE[e]['simbolo']} {e}" for e, n in states.items())
    return {**text, "avance": fmt_pct(row["pct_avance_mediana"]), "semaforo": semaforo or MISSING_TEXT}


def pei_overview(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per objective: strategies, metas (with indicator), actions, and the products that serve it directly.

    The figures (how many products, which, their median progress and semáforo) use only the links typed
    contribución directa (:func:`pei_analysis.model.alignment.objective_execution`); the support and
    context links are counted apart, in ``otros_vinculos``.
    """
    execution = alignment.objective_execution(pei, linkage, table).set_index("elemento_id")
    rows = []
    for o in pei.objetivos.to_dict("records"):
        oid = o["objetivo_id"]
        rows.append(
            {
                "objetivo_id": oid,
                "objetivo": f"{o['numero']}. {o['nombre']}",
                "estrategias": int((pei.estrategias["objetivo_id"] == oid).sum()),
                "metas": int((pei.metas["objetivo_id"] == oid).sum()),
                "metas_con_indicador": int((pei.indicadores["objetivo_id"] == oid).sum()),
                "acciones": int((pei.acciones["objetivo_id"] == oid).sum()),
                **_execution_text(execution.loc[oid], table),
            }
        )
    return pd.DataFrame(rows)


def objectives_summary(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> str:
    """Per objective, one Markdown item: its direct products (number and name), their median and semáforo.

    A list rather than a table: the products behind a figure are named in full, and sixteen names do not
    fit a table cell at 375 px. The words are :func:`pei_overview`'s.
    """
    items = []
    for r in pei_overview(pei, linkage, table).to_dict("records"):
        others = (
            f" Otros productos vinculados, que no entran en las cifras: {r['otros_vinculos']}."
            if r["otros_vinculos"] != "ninguno"
            else ""
        )
        if not r["productos_directos"]:
            items.append(f"- **{md_escape(r['objetivo'])}**: {NO_DIRECT_TEXT}.{md_escape(others)}")
            continue
        n = plural(r["productos_directos"], "producto", "productos")
        items.append(
            f"- **{md_escape(r['objetivo'])}**: {n} con contribución directa; avance mediano "
            f"{md_escape(r['avance'])}; semáforo: {md_escape(r['semaforo'])}. Productos: "
            f"{md_escape(r['productos'])}.{md_escape(others)}"
        )
    return "\n".join(items)


def strategy_overview(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per strategy (sub-strategies included in their parent): the products that serve it directly.

    Same words as :func:`pei_overview`, from :func:`pei_analysis.model.alignment.strategy_execution`.
    """
    execution = alignment.strategy_execution(pei, linkage, table).set_index("elemento_id")
    rows = []
    for s in pei.estrategias.to_dict("records"):
        sid = s["estrategia_id"]
        rows.append(
            {
                "estrategia_id": sid,
                "objetivo_id": s["objetivo_id"],
                "estrategia": f"{sid}. {s['texto']}",
                **_execution_text(execution.loc[sid], table),
            }
        )
    return pd.DataFrame(rows)


def ejes_matrix(pei) -> pd.DataFrame:
    """The concept map: one row per eje temático, one column per objective, ✔ where the PEI relates them."""
    pairs = set(zip(pei.mapa_ejes["eje_id"], pei.mapa_ejes["objetivo_id"], strict=True))
    rows = []
    for e in pei.ejes.to_dict("records"):
        row = {"eje": f"{e['numero']}. {e['nombre']}"}
        for o in pei.objetivos.to_dict("records"):
            row[f"{o['objetivo_id']} {o['nombre']}"] = "✔" if (e["eje_id"], o["objetivo_id"]) in pairs else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _products_html(links: pd.DataFrame, table: pd.DataFrame) -> str:
    """The products linked at one level of the tree, one line per link type (strongest first).

    Links name the catalogue key; the reader sees this edition's report number, in its order, with the
    product's progress, semáforo and the link's confidence (one link per product and type at a level).
    """
    if not len(links):
        return ""
    by_product = table.set_index(PRODUCT_KEY)
    lines = []
    for tipo in LINK_TYPES:
        keys = sorted(set(links.loc[links["tipo"] == tipo, PRODUCT_KEY]))
        if not keys:
            continue
        number = by_product["producto"] if "producto" in by_product.columns else pd.Series(dtype="int64")
        keys.sort(key=lambda k: (0, int(number[k]), "") if k in number.index else (1, 0, str(k)))
        of_type = links[links["tipo"] == tipo]
        confidence = (
            dict(zip(of_type[PRODUCT_KEY], of_type["confianza"], strict=True))
            if "confianza" in links.columns
            else {}
        )
        items = [_product_item(k, by_product, confidence.get(k)) for k in keys]
        lines.append(
            f'<p class="pei-productos pei-{html.escape(tipo)}">Productos del POA vinculados '
            f"({html.escape(LINK_TYPE_TEXT[tipo])}): " + "; ".join(items) + "</p>"
        )
    return "".join(lines)


def _product_item(key: str, by_product: pd.DataFrame, confianza: str | None = None) -> str:
    """One product in the tree: a link to its row, its short name, progress, semáforo and link confidence."""
    if key not in by_product.index:
        return f"{html.escape(str(key))} (no está en el POA de esta edición)"
    r = by_product.loc[key]
    shown = int(r["producto"])
    name = f" {r['nombre_corto']}" if "nombre_corto" in by_product.columns else ""
    state = ""
    if "estado" in by_product.columns:
        state = f", {status_text(r['estado'], bool(r['estado_incierto']))}"
    if isinstance(confianza, str):
        state += f"; confianza del vínculo {CONFIDENCE_TEXT.get(confianza, confianza)}"
    href = html.escape(PRODUCT_LINK.format(producto=shown))
    return (
        f'<a href="{href}">producto {shown}</a>{html.escape(name)} '
        f"({html.escape(fmt_pct(r['pct_avance']))} de avance{html.escape(state)})"
    )


def _direct_count_text(n: int) -> str:
    """'3 productos del POA con contribución directa', or «sin productos vinculados directamente»."""
    if not n:
        return NO_DIRECT_TEXT
    return plural(n, "producto del POA", "productos del POA") + " con contribución directa"


def _actions_html(acciones: pd.DataFrame, pei=None) -> str:
    """A list of strategic actions, each with its anchor (its id), label, deadlines and named units."""
    e = html.escape
    items = "".join(
        f'<li id="{e(a["accion_id"])}"{filter_attributes(pei, a["accion_id"])}>'
        f"<strong>{e(a['rotulo'])}</strong> {e(a['texto'])}{deadlines_actors_html(pei, a['accion_id'])}</li>"
        for a in acciones.to_dict("records")
    )
    return f'<ul class="pei-acciones">{items}</ul>'


def pei_tree_html(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> HtmlTable:
    """The plan as nested, collapsible lists: objetivo → estrategia → meta (with indicator) → acción.

    Every element has an anchor (its id, e.g. ``O3-E1-M2``); each level lists the POA products
    linked to it, with their execution in this edition and a link to their row.
    """
    e = html.escape
    indicators = indicator_table(pei).set_index("meta_id")
    execution = alignment.objective_execution(pei, linkage, table).set_index("elemento_id")
    out = ['<div class="pei-arbol">', actor_filter_html(pei)]

    def links_at(column: str, key: str) -> pd.DataFrame:
        """The links that stop at this element (a deeper id is empty): each link shows where it points."""
        deeper = {"objetivo_id": "estrategia_id", "estrategia_id": "meta_id"}.get(column)
        chosen = linkage[column] == key
        return linkage[chosen & linkage[deeper].isna()] if deeper else linkage[chosen]

    def strategy_html(s: Mapping) -> str:
        sid = s["estrategia_id"]
        metas = pei.metas[pei.metas["estrategia_id"] == sid]
        loose = pei.acciones[(pei.acciones["estrategia_id"] == sid) & pei.acciones["meta_id"].isna()]
        children = pei.estrategias[pei.estrategias["estrategia_padre_id"] == sid]
        parts = [
            (
                f'<details class="pei-estrategia" id="{e(sid)}"><summary><strong>{e(s["rotulo"])}</strong> '
                f"{e(s['texto'])} <span "
                f'class="pei-cuenta">({plural(len(metas), "meta", "metas")})</span></summary>'
            )
        ]
        parts.append(reading_notes_html(pei, sid, of_field=False))
        parts.append(_products_html(links_at("estrategia_id", sid), table))
        if len(metas):
            parts.append('<ul class="pei-metas">')
            for m in metas.to_dict("records"):
                mid = m["meta_id"]
                parts.append(
                    f'<li id="{e(mid)}"{filter_attributes(pei, mid)}><strong>{e(m["rotulo"])}</strong> '
                    f"{e(m['texto'])}{deadlines_actors_html(pei, mid)}"
                    + reading_notes_html(pei, mid, of_field=False)
                )
                if mid in indicators.index:
                    i = indicators.loc[mid]
                    parts.append(
                        f'<p class="pei-indicador">Indicador: {e(i["indicador"])}. Línea base: '
                        f"{e(i['linea_base'])}. Meta: {e(i['meta_cuantitativa'])} ({e(i['sentido'])}).</p>"
                    )
                acciones = pei.acciones[pei.acciones["meta_id"] == mid]
                if len(acciones):
                    parts.append(_actions_html(acciones, pei))
                parts.append(_products_html(links_at("meta_id", mid), table))
                parts.append("</li>")
            parts.append("</ul>")
        if len(loose):
            title = '<p class="pei-subtitulo">Acciones estratégicas de la estrategia:</p>'
            parts.append(title + _actions_html(loose, pei))
        for child in children.to_dict("records"):
            parts.append(strategy_html(child))
        parts.append("</details>")
        return "".join(parts)

    for o in pei.objetivos.to_dict("records"):
        oid = o["objetivo_id"]
        estrategias = pei.estrategias[pei.estrategias["objetivo_id"] == oid]
        n_metas = int((pei.metas["objetivo_id"] == oid).sum())
        n_acciones = int((pei.acciones["objetivo_id"] == oid).sum())
        n_direct = int(execution.loc[oid, "n_productos"])
        out.append(
            f'<details class="pei-objetivo" id="{e(oid)}"><summary><strong>Objetivo {e(str(o["numero"]))}. '
            f'{e(o["nombre"])}</strong> <span class="pei-cuenta">'
            f"({plural(len(estrategias), 'estrategia', 'estrategias')}, "
            f"{plural(n_metas, 'meta', 'metas')}, {plural(n_acciones, 'acción', 'acciones')}, "
            f"{_direct_count_text(n_direct)})</span></summary>"
        )
        out.append(_products_html(links_at("objetivo_id", oid), table))
        for s in estrategias[estrategias["estrategia_padre_id"].isna()].to_dict("records"):
            out.append(strategy_html(s))
        out.append("</details>")
    out.append("</div>")
    return HtmlTable("".join(out))


def mission_vision(pei) -> str:
    """Mission and vision as Markdown (text escaped)."""
    return f"**Misión.** {md_escape(pei.mision.strip())}\n\n**Visión.** {md_escape(pei.vision.strip())}"


def ejes_table(pei) -> HtmlTable:
    """The concept map (see :func:`ejes_matrix`) as an HTML table."""
    matrix = ejes_matrix(pei)
    columns = [Column("eje", "Eje temático")] + [Column(c, c, css="centro") for c in matrix.columns[1:]]
    return html_table(matrix, columns)


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
    """What the chapter compares, said plainly: a plan that ended in 2022 against the POA of *anio*."""
    periodo = pei.documento["periodo"]
    fin = int(periodo["fin"])
    text = (
        f"<p><strong>El horizonte del PEI {int(periodo['inicio'])}-{fin} terminó en {fin}.</strong> "
        f"Esta edición lo compara con el POA {int(anio)} porque es el último plan estratégico cuyo texto "
        f"tiene esta publicación; si el IGSS aprobó uno posterior, es ese el que rige en {int(anio)}. Los "
        "vínculos entre productos del POA y elementos del PEI son lectura de esta publicación, no una "
        "alineación oficial del IGSS.</p>"
    )
    if int(anio) <= fin:
        text = text.replace(f"terminó en {fin}", f"termina en {fin}")
    notes = reading_notes_html(pei, "documento") + reading_notes_html(pei, "vinculos")
    return HtmlTable(f'<div class="pei-horizonte">{text}{notes}</div>')


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
    """Every interpretation of this publication in one table: what it affects, the reading, how sure."""
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
            Column("interpretacion", "Lectura"),
            Column("confianza", "Confianza"),
            Column("razon", "Razón"),
            Column("lineas", "Líneas de la fuente"),
        ],
        row_id="lectura-tabla-{interpretacion_id}",
    )


# --------------------------------------------------------------------------- deadlines and units in the tree

#: How the tree names each kind of deadline.
PLAZO_TEXT = {
    "hasta": "hasta",
    "desde": "desde",
    "durante": "período que termina en",
    "cada_anio": "cada año",
}


def _deadline_text(p: Mapping) -> str:
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
            parts.append("Plazo: " + "; ".join(_deadline_text(p) for p in mine))
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


# --------------------------------------------------------------------------- indicator progress cards


#: What an indicator's card says the meta asks, by sentido and (for a threshold) strictness.
ASKS_TEXT = {
    ("aumentar", False): "aumentar hasta la meta",
    ("disminuir", False): "disminuir hasta la meta",
    ("mantener_arriba", False): "mantenerse en la meta o por encima",
    ("mantener_arriba", True): "mantenerse por encima de la meta (la meta misma no cumple)",
    ("mantener_abajo", False): "no superar la meta (la meta misma cumple)",
    ("mantener_abajo", True): "mantenerse por debajo de la meta (la meta misma no cumple)",
}


def _asks(sentido: str, strict: bool, meta_valor) -> str:
    """What the meta asks, in words; without a target figure, only the direction."""
    if meta_valor is None or pd.isna(meta_valor):
        return f"{SENTIDO_TEXT.get(sentido, sentido)} (el texto no fija hasta cuánto)"
    return ASKS_TEXT.get((sentido, strict), SENTIDO_TEXT.get(sentido, sentido))


def _share_text(value) -> str:
    return MISSING_TEXT if value is None or pd.isna(value) else fmt_pct(float(value) * 100.0)


def _card_rows(r: Mapping, meta: Mapping, deadlines: list[dict]) -> list[tuple[str, str]]:
    """(label, text) pairs of one indicator card: what the PEI says, then what the observations say."""
    tipo, sentido, unidad = meta["meta_tipo"], meta["sentido"], meta["unidad"]
    last = fmt_indicator_value(r["ultimo_valor"], unidad, tipo, sentido)
    if last != MISSING_TEXT and not pd.isna(r["ultima_fecha"]):
        last += f" al {fmt_date(pd.Timestamp(r['ultima_fecha']).date())}"
    trend = fmt_indicator_value(r["valor_tendencia_meta"], unidad, tipo, sentido)
    strict = bool(meta.get("estricto")) if not pd.isna(meta.get("estricto")) else False
    rows = [
        ("Línea base → meta", f"{meta['linea_base']} → {meta['meta_cuantitativa']}"),
        ("Qué pide", _asks(sentido, strict, meta.get("meta_valor"))),
        ("Plazo en el texto", "; ".join(_deadline_text(p) for p in deadlines) or "el texto no da plazo"),
        ("Último valor observado", last if r["n_observaciones"] else f"{MISSING_TEXT} (ninguna citada)"),
        ("Brecha cerrada", _share_text(r["brecha_cerrada"])),
        ("Lo que pedía a esa fecha", _share_text(r["trayectoria_esperada"])),
        ("Tendencia al año meta", trend),
        ("Estado", r["estado"]),
    ]
    if r["nota"]:
        rows.append(("Qué falta", r["nota"]))
    return rows


def indicator_cards_html(pei, progress: pd.DataFrame) -> HtmlTable:
    """One card per PEI indicator: baseline → target, share of the gap closed, trend to the target year.

    Cards, not a wide table, so a phone reads them without scrolling sideways; «sin datos» where no
    cited observation exists (today, every indicator). Each card carries the readings that affect its
    meta, and the note that the indicators themselves are this publication's derivation comes first.
    """
    e = html.escape
    written = indicator_table(pei).set_index("meta_id")
    meta_info = pei.indicadores.set_index("meta_id")
    plazos = getattr(pei, "plazos", pd.DataFrame(columns=["elemento_id"]))
    out = [reading_notes_html(pei, "indicadores"), '<div class="pei-tarjetas">']
    for r in progress.to_dict("records"):
        mid = r["meta_id"]
        meta = {**written.loc[mid].to_dict(), **meta_info.loc[mid].to_dict()}  # raw sentido wins
        deadlines = plazos[plazos["elemento_id"] == mid].to_dict("records")
        rows = "".join(f"<dt>{e(k)}</dt><dd>{e(str(v))}</dd>" for k, v in _card_rows(r, meta, deadlines))
        out.append(
            f'<article class="pei-tarjeta" id="avance-{e(mid)}" data-estado="{e(r["estado"])}">'
            f'<h4><a href="#{e(mid)}">{e(mid)}</a> · {e(r["indicador"])}</h4><dl>{rows}</dl>'
            f"{reading_notes_html(pei, mid, of_field=True)}</article>"
        )
    out.append("</div>")
    return HtmlTable("".join(out))
