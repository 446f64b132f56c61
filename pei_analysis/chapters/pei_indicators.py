"""Los indicadores del PEI en el capítulo: cada uno en sus unidades y su tarjeta de avance.

Why a module of its own: indicators are the quantitative side of the plan (baseline, target, units,
milestones, cited observations) and change with how the plan is measured, not with its tree or links.
«sin datos» where the text gives no figure or no observation is cited.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd

from pei_analysis.chapters.display import Column, HtmlTable, html_table
from pei_analysis.chapters.pei_readings import deadline_text, reading_notes_html
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_pct
from pei_analysis.model import indicators as ind

SENTIDO_TEXT = {
    "aumentar": "aumentar",
    "disminuir": "disminuir",
    "mantener_arriba": "mantener por encima de",
    "mantener_abajo": "mantener por debajo de",
}


#: The sentence for each code of ``avisos`` (:data:`pei_analysis.model.indicators.AVISOS`): what is missing
#: in an indicator's row, or which rule reads it, under «Qué falta» in its card.
AVISO_TEXT = {
    ind.SIN_OBSERVACIONES: "sin datos: ninguna observación con fuente citada",
    ind.SIN_CIFRA_META: "sin cifra de meta: el PEI no fija el valor a alcanzar",
    ind.SIN_LINEA_BASE: "sin línea base: el PEI no da el valor de partida",
    ind.META_IGUAL_A_BASE: "la meta es igual a la línea base: no hay brecha",
    ind.SIN_ANIO_META: "sin año meta: el PEI no fija el año, no hay trayectoria ni tendencia al plazo",
    ind.SIN_FECHA_BASE: "sin fecha de línea base: no se puede trazar la trayectoria recta hasta el año meta",
    ind.META_DE_UMBRAL: "meta de umbral: la brecha cerrada es 100% si el último valor lo respeta y 0% si no",
    ind.UMBRAL_ESTRICTO: "umbral estricto: el valor del umbral mismo no lo respeta",
    ind.UNA_OBSERVACION: "una sola observación: la tendencia necesita dos o más",
    ind.MISMA_FECHA: "todas las observaciones tienen la misma fecha: no hay tendencia",
    ind.HITOS_ACUMULADOS: (
        "el PEI da hitos anuales (acumulados): la trayectoria esperada es el último hito vencido"
    ),
}


def warnings_text(codes) -> str:
    """The ``avisos`` of one indicator as one line of the card: their sentences joined with «; »."""
    return "; ".join(AVISO_TEXT[code] for code in codes)


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


#: «Metas cuantitativas e indicadores»: each meta with a figure, as the plan's text gives it.
TARGET_COLUMNS = [
    Column("meta_id", "Meta"),
    Column("indicador", "Indicador"),
    Column("sentido", "Sentido"),
    Column("linea_base", "Línea base"),
    Column("meta_cuantitativa", "Meta"),
]


def targets_table(pei) -> HtmlTable:
    """The quantitative metas (:func:`indicator_table`), an anchor per meta; a card per meta on a phone,
    where the baseline and the target were off screen."""
    return html_table(indicator_table(pei), TARGET_COLUMNS, row_id="indicador-{meta_id}", stacked=True)


def indicator_table(pei) -> pd.DataFrame:
    """The PEI's quantitative metas with their indicator, baseline and target written out in their units.

    A value the text does not give reads «sin datos», as the section's opening defines it, with the date of
    the baseline or the deadline of the target when the text gives those."""
    ind = pei.indicadores.merge(pei.metas[["meta_id", "texto"]], on="meta_id", how="left")
    rows = []
    for r in ind.to_dict("records"):
        fecha = r.get("linea_base_fecha")
        base = fmt_indicator_value(r["linea_base_valor"], r["unidad"])
        if base != MISSING_TEXT and fecha is not None and not pd.isna(fecha):
            base += f" al {fmt_date(pd.Timestamp(fecha).date())}"
        elif base == MISSING_TEXT and fecha is not None and not pd.isna(fecha):
            base = f"{MISSING_TEXT} (saldo al {fmt_date(pd.Timestamp(fecha).date())})"
        target = fmt_indicator_value(r["meta_valor"], r["unidad"], r["meta_tipo"], r["sentido"])
        anio = r.get("meta_anio")
        has_year = anio is not None and not pd.isna(anio)
        if target == MISSING_TEXT:
            target = MISSING_TEXT + (f" (plazo: {int(anio)})" if has_year else "")
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
        ("Plazo en el texto", "; ".join(deadline_text(p) for p in deadlines) or "el texto no da plazo"),
        (
            "Último valor observado",
            last if r["n_observaciones"] else f"{MISSING_TEXT} (ninguna observación citada)",
        ),
        ("Brecha cerrada", _share_text(r["brecha_cerrada"])),
        ("Lo que pedía a esa fecha", _share_text(r["trayectoria_esperada"])),
        ("Tendencia al año meta", trend),
        ("Estado", r["estado"]),
    ]
    if len(r["avisos"]):
        rows.append(("Qué falta", warnings_text(r["avisos"])))
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
            f'<h3><a href="#{e(mid)}">{e(mid)}</a> · {e(r["indicador"])}</h3><dl>{rows}</dl>'
            f"{reading_notes_html(pei, mid, of_field=True)}</article>"
        )
    out.append("</div>")
    return HtmlTable("".join(out))
