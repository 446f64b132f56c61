"""El capítulo del PEI 2018-2022: objetivos, estrategias, metas, acciones e indicadores, y los productos
del POA que sirven a cada uno, con su ejecución en la edición.

The plan is shown as data (from ``load_pei`` and ``load_linkage``), never retyped: counts,
indicators in their units ('Q 39,238,919,512.27', '-25%', '50 días'), «sin datos» where the text
gives no figure, and a navigable tree with an anchor for every element.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

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
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_pct
from pei_analysis.model import attainment
from pei_analysis.tables.poa import PRODUCT_KEY

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
                "brecha_cerrada": r["brecha_cerrada"] * 100.0 if not pd.isna(r["brecha_cerrada"]) else math.nan,
                "trayectoria_esperada": (
                    r["trayectoria_esperada"] * 100.0 if not pd.isna(r["trayectoria_esperada"]) else math.nan
                ),
                "estado": r["estado"],
                "nota": r["nota"],
            }
        )
    return pd.DataFrame(rows)

def linked_products(linkage: pd.DataFrame, table: pd.DataFrame, pei) -> pd.DataFrame:
    """Each POA ↔ PEI link with the product's execution and semáforo in this edition."""
    keep = [PRODUCT_KEY, "producto", "programa", "sigla", "descripcion", "pct_avance", "brecha_pp", "estado",
            "estado_incierto"]
    keep = [c for c in dict.fromkeys(keep) if c in table.columns]
    out = linkage.merge(table[keep], on=PRODUCT_KEY, how="left")  # links follow the product, not its number
    names = pei.objetivos.set_index("objetivo_id")["nombre"]
    out["objetivo"] = out["objetivo_id"].map(lambda o: f"{o} {names.get(o, '')}".strip())
    first = [c for c in dict.fromkeys(["producto", PRODUCT_KEY, "objetivo_id", "objetivo"]) if c in out.columns]
    out = out[[*first, *[c for c in out.columns if c not in first]]]
    return out.sort_values(["objetivo_id", "producto"], kind="stable").reset_index(drop=True)


def pei_overview(pei, linkage: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per objective: how many strategies, metas (and with indicator), actions, and linked POA products by state."""
    rows = []
    for o in pei.objetivos.to_dict("records"):
        oid = o["objetivo_id"]
        products = sorted(set(linkage.loc[linkage["objetivo_id"] == oid, PRODUCT_KEY]))
        linked = table[table[PRODUCT_KEY].isin(products)]
        row = {
            "objetivo_id": oid,
            "objetivo": f"{o['numero']}. {o['nombre']}",
            "estrategias": int((pei.estrategias["objetivo_id"] == oid).sum()),
            "metas": int((pei.metas["objetivo_id"] == oid).sum()),
            "metas_con_indicador": int((pei.indicadores["objetivo_id"] == oid).sum()),
            "acciones": int((pei.acciones["objetivo_id"] == oid).sum()),
            "productos_poa": len(products),
            "pct_avance_mediana": float(linked["pct_avance"].median()) if len(linked) else float("nan"),
        }
        if "estado" in linked.columns:
            counts = linked["estado"].value_counts()
            row["semaforo"] = ", ".join(
                f"{int(counts[e])} {STATUS_STYLE[e]['simbolo']} {e}" for e in attainment.ESTADOS if counts.get(e, 0)
            ) or "sin productos vinculados"
        rows.append(row)
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


def _products_html(products: Sequence, table: pd.DataFrame) -> str:
    """The linked products (by catalogue key), shown by their number in this edition's report, in its order."""
    if not len(products):
        return ""
    by_product = table.set_index(PRODUCT_KEY)
    number = by_product["producto"] if "producto" in by_product.columns else pd.Series(dtype="int64")
    items = []
    for p in sorted(products, key=lambda k: (0, int(number[k]), "") if k in number.index else (1, 0, str(k))):
        if p not in by_product.index:
            items.append(f"{html.escape(str(p))} (no está en el POA de esta edición)")
            continue
        r = by_product.loc[p]
        shown = int(r["producto"])
        state = f", {status_text(r['estado'], bool(r['estado_incierto']))}" if "estado" in by_product.columns else ""
        items.append(
            f'<a href="{html.escape(PRODUCT_LINK.format(producto=shown))}">producto {shown}</a> '
            f"({html.escape(fmt_pct(r['pct_avance']))} de avance{html.escape(state)})"
        )
    return '<p class="pei-productos">Productos del POA vinculados: ' + "; ".join(items) + "</p>"


def _actions_html(acciones: pd.DataFrame) -> str:
    """A list of strategic actions, each with its anchor (its id) and label."""
    e = html.escape
    items = "".join(
        f'<li id="{e(a["accion_id"])}"><strong>{e(a["rotulo"])}</strong> {e(a["texto"])}</li>'
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
    out = ['<div class="pei-arbol">']

    def link_products(column: str, key: str) -> list[str]:
        return sorted(set(linkage.loc[linkage[column] == key, PRODUCT_KEY]))

    def strategy_html(s: Mapping) -> str:
        sid = s["estrategia_id"]
        metas = pei.metas[pei.metas["estrategia_id"] == sid]
        loose = pei.acciones[(pei.acciones["estrategia_id"] == sid) & pei.acciones["meta_id"].isna()]
        children = pei.estrategias[pei.estrategias["estrategia_padre_id"] == sid]
        parts = [
            (f'<details class="pei-estrategia" id="{e(sid)}"><summary><strong>{e(s["rotulo"])}</strong> '
            f'{e(s["texto"])} <span class="pei-cuenta">({plural(len(metas), "meta", "metas")})</span></summary>')
        ]
        direct = [p for p in link_products("estrategia_id", sid) if p not in set(
            linkage.loc[linkage["meta_id"].isin(metas["meta_id"]), PRODUCT_KEY])]
        parts.append(_products_html(direct, table))
        if len(metas):
            parts.append('<ul class="pei-metas">')
            for m in metas.to_dict("records"):
                mid = m["meta_id"]
                parts.append(f'<li id="{e(mid)}"><strong>{e(m["rotulo"])}</strong> {e(m["texto"])}')
                if mid in indicators.index:
                    i = indicators.loc[mid]
                    parts.append(
                        f'<p class="pei-indicador">Indicador: {e(i["indicador"])}. Línea base: '
                        f'{e(i["linea_base"])}. Meta: {e(i["meta_cuantitativa"])} ({e(i["sentido"])}).</p>'
                    )
                acciones = pei.acciones[pei.acciones["meta_id"] == mid]
                if len(acciones):
                    parts.append(_actions_html(acciones))
                parts.append(_products_html(link_products("meta_id", mid), table))
                parts.append("</li>")
            parts.append("</ul>")
        if len(loose):
            parts.append('<p class="pei-subtitulo">Acciones estratégicas de la estrategia:</p>' + _actions_html(loose))
        for child in children.to_dict("records"):
            parts.append(strategy_html(child))
        parts.append("</details>")
        return "".join(parts)

    for o in pei.objetivos.to_dict("records"):
        oid = o["objetivo_id"]
        estrategias = pei.estrategias[pei.estrategias["objetivo_id"] == oid]
        n_metas = int((pei.metas["objetivo_id"] == oid).sum())
        n_acciones = int((pei.acciones["objetivo_id"] == oid).sum())
        products = link_products("objetivo_id", oid)
        out.append(
            f'<details class="pei-objetivo" id="{e(oid)}"><summary><strong>Objetivo {e(str(o["numero"]))}. '
            f'{e(o["nombre"])}</strong> <span class="pei-cuenta">({plural(len(estrategias), "estrategia", "estrategias")}, '
            f'{plural(n_metas, "meta", "metas")}, {plural(n_acciones, "acción", "acciones")}, '
            f'{plural(len(products), "producto del POA", "productos del POA")})</span></summary>'
        )
        only_objective = [
            p for p in products
            if linkage.loc[(linkage["objetivo_id"] == oid) & (linkage[PRODUCT_KEY] == p), "estrategia_id"].isna().all()
        ]
        out.append(_products_html(only_objective, table))
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
