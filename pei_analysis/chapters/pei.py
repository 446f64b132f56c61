"""El capítulo del PEI 2018-2022: objetivos, estrategias, metas, acciones e indicadores, y los productos
del POA que sirven a cada uno, con su ejecución en la edición.

The plan is shown as data (from ``load_pei`` and ``load_linkage``), never retyped: counts,
indicators in their units ('Q 39,238,919,512.27', '-25%', '50 días'), «sin datos» where the text
gives no figure, and a navigable tree with an anchor for every element.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

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
from pei_analysis.chapters.pei_indicators import indicator_table
from pei_analysis.chapters.pei_links import CONFIDENCE_TEXT, LINK_TYPE_TEXT
from pei_analysis.chapters.pei_readings import (
    actor_filter_html,
    deadlines_actors_html,
    filter_attributes,
    reading_notes_html,
)
from pei_analysis.format import MISSING_TEXT, fmt_pct, join_es
from pei_analysis.model import alignment
from pei_analysis.tables.linkage import LINK_TYPES
from pei_analysis.tables.poa import PRODUCT_KEY

#: What a per-objective or per-strategy figure says when no product serves the element directly.
NO_DIRECT_TEXT = "sin productos vinculados directamente"
#: The other cells of such an element: the reason is said once, in its figure's cell.
NOTHING = "—"


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
    indicators = indicator_table(pei).set_index("meta_id")
    execution = alignment.objective_execution(pei, linkage, table).set_index("elemento_id")
    tree = _Tree(pei, linkage, table, indicators, execution)
    body = "".join(tree.objective_html(o) for o in pei.objetivos.to_dict("records"))
    return HtmlTable(f'<div class="pei-arbol">{actor_filter_html(pei)}{body}</div>')


@dataclass(frozen=True)
class _Tree:
    """What every level of the PEI tree reads: the plan, its links to the POA and this edition's table.

    One method per level (objetivo, estrategia, meta), so each level's markup reads on its own.
    """

    pei: object
    linkage: pd.DataFrame
    table: pd.DataFrame
    indicators: pd.DataFrame  # by meta_id
    execution: pd.DataFrame  # by elemento_id: the objectives' direct products

    def links_at(self, column: str, key: str) -> pd.DataFrame:
        """The links that stop at this element (a deeper id is empty): each link shows where it points."""
        deeper = {"objetivo_id": "estrategia_id", "estrategia_id": "meta_id"}.get(column)
        chosen = self.linkage[column] == key
        return self.linkage[chosen & self.linkage[deeper].isna()] if deeper else self.linkage[chosen]

    def products_html(self, column: str, key: str) -> str:
        return _products_html(self.links_at(column, key), self.table)

    def objective_html(self, o: Mapping) -> str:
        e, pei, oid = html.escape, self.pei, o["objetivo_id"]
        estrategias = pei.estrategias[pei.estrategias["objetivo_id"] == oid]
        n_metas = int((pei.metas["objetivo_id"] == oid).sum())
        n_acciones = int((pei.acciones["objetivo_id"] == oid).sum())
        n_direct = int(self.execution.loc[oid, "n_productos"])
        parts = [
            f'<details class="pei-objetivo" id="{e(oid)}"><summary><strong>Objetivo {e(str(o["numero"]))}. '
            f'{e(o["nombre"])}</strong> <span class="pei-cuenta">'
            f"({plural(len(estrategias), 'estrategia', 'estrategias')}, "
            f"{plural(n_metas, 'meta', 'metas')}, {plural(n_acciones, 'acción', 'acciones')}, "
            f"{_direct_count_text(n_direct)})</span></summary>",
            self.products_html("objetivo_id", oid),
        ]
        parts += [
            self.strategy_html(s)
            for s in estrategias[estrategias["estrategia_padre_id"].isna()].to_dict("records")
        ]
        return "".join(parts) + "</details>"

    def strategy_html(self, s: Mapping) -> str:
        e, pei, sid = html.escape, self.pei, s["estrategia_id"]
        metas = pei.metas[pei.metas["estrategia_id"] == sid]
        loose = pei.acciones[(pei.acciones["estrategia_id"] == sid) & pei.acciones["meta_id"].isna()]
        children = pei.estrategias[pei.estrategias["estrategia_padre_id"] == sid]
        parts = [
            f'<details class="pei-estrategia" id="{e(sid)}"><summary><strong>{e(s["rotulo"])}</strong> '
            f"{e(s['texto'])} <span "
            f'class="pei-cuenta">({plural(len(metas), "meta", "metas")})</span></summary>',
            reading_notes_html(pei, sid, of_field=False),
            self.products_html("estrategia_id", sid),
        ]
        if len(metas):
            parts.append(
                '<ul class="pei-metas">' + "".join(map(self.meta_html, metas.to_dict("records"))) + "</ul>"
            )
        if len(loose):
            title = '<p class="pei-subtitulo">Acciones estratégicas de la estrategia:</p>'
            parts.append(title + _actions_html(loose, pei))
        parts += [self.strategy_html(child) for child in children.to_dict("records")]
        return "".join(parts) + "</details>"

    def meta_html(self, m: Mapping) -> str:
        e, pei, mid = html.escape, self.pei, m["meta_id"]
        parts = [
            f'<li id="{e(mid)}"{filter_attributes(pei, mid)}><strong>{e(m["rotulo"])}</strong> '
            f"{e(m['texto'])}{deadlines_actors_html(pei, mid)}" + reading_notes_html(pei, mid, of_field=False)
        ]
        if mid in self.indicators.index:
            i = self.indicators.loc[mid]
            parts.append(
                f'<p class="pei-indicador">Indicador: {e(i["indicador"])}. Línea base: '
                f"{e(i['linea_base'])}. Meta: {e(i['meta_cuantitativa'])} ({e(i['sentido'])}).</p>"
            )
        acciones = pei.acciones[pei.acciones["meta_id"] == mid]
        if len(acciones):
            parts.append(_actions_html(acciones, pei))
        parts.append(self.products_html("meta_id", mid))
        return "".join(parts) + "</li>"


#: «Los objetivos en cifras»: how many strategies, metas (with an indicator) and actions each objective has.
OVERVIEW_COLUMNS = [
    Column("objetivo", "Objetivo"),
    Column("estrategias", "Estrategias", kind="int"),
    Column("metas", "Metas", kind="int"),
    Column("metas_con_indicador", "Metas con indicador", kind="int"),
    Column("acciones", "Acciones", kind="int"),
]
#: «Las estrategias»: each one's direct contribution, with the products behind it.
STRATEGY_COLUMNS = [
    Column("estrategia", "Estrategia", css="ancho"),
    Column("avance", "Avance mediano (contribución directa)"),
    Column("semaforo", "Semáforo (contribución directa)"),
    Column("productos", "Cuáles", css="ancho"),
]


def overview_table(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> HtmlTable:
    """«Los objetivos en cifras» (:func:`pei_overview`); a card per objective on a phone, where «Metas con
    indicador» and «Acciones» were off screen."""
    return html_table(pei_overview(pei, linkage, table), OVERVIEW_COLUMNS, stacked=True)


def strategy_table(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> HtmlTable:
    """«Las estrategias» (:func:`strategy_overview`), an anchor per strategy; a card per strategy on a phone,
    where the semáforo was off screen."""
    return html_table(
        strategy_overview(pei, linkage, table),
        STRATEGY_COLUMNS,
        row_id="estrategia-{estrategia_id}",
        stacked=True,
    )


def ejes_table(pei) -> HtmlTable:
    """The concept map (see :func:`ejes_matrix`) as an HTML table; on a phone, a card per eje that lists the
    objectives it serves (``matriz``: an empty cell is left out), where O3 to O5 were off screen."""
    matrix = ejes_matrix(pei)
    columns = [Column("eje", "Eje temático")] + [Column(c, c, css="centro") for c in matrix.columns[1:]]
    return html_table(matrix, columns, css_class="tabla-pei matriz", stacked=True)
