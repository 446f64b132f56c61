"""The names and descriptions of the projection methods, in Spanish, from the engine's codes.

The engine (:mod:`pei_analysis.model.projection`) says how it projected each
serie with codes and flags (``metodo``, ``ponderado``, ``con_suavizado``,
``intervalo``); what readers see, in the tables, the downloads and the method
chapter, is written here and only here, so the wording can change without
touching the engine and no program ever has to parse a sentence back. The
names are the ones the book has always printed.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.format import MISSING_TEXT, fmt_pct
from pei_analysis.model.board import BASE_COMPLETO, BASE_NINGUNA, BASE_OTROS, BASE_PROPIA, BASE_REFERENCIA
from pei_analysis.model.projection import (
    ANIO_COMPLETO,
    COMBINACION,
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_PROPIO,
    INTERVALO_REFERENCIA,
    METHOD_COLUMNS,
    PERFIL,
    PERFIL_IMPULSO,
    PERFIL_MEDIO,
    PERFIL_NIVEL,
    PERFIL_RECIENTE,
    PERFIL_TENDENCIA,
    REMANENTE,
    RITMO,
    SIN_BASE,
    SUAVIZADO,
)

#: Short name of each method code.
METHOD_NAMES = {
    PERFIL: "perfil intraanual",
    PERFIL_MEDIO: "perfil intraanual medio",
    PERFIL_TENDENCIA: "perfil intraanual con tendencia",
    PERFIL_NIVEL: "perfil intraanual y nivel anual",
    PERFIL_RECIENTE: "perfil del último cuatrimestre",
    PERFIL_IMPULSO: "perfil del último cuatrimestre con impulso",
    SUAVIZADO: "suavizado exponencial (Holt-Winters)",
    COMBINACION: "combinación de perfiles",
    REMANENTE: "remanente histórico",
    RITMO: "parte típica del año, sin historia propia",
    SIN_BASE: "no se proyecta: nada ejecutado y sin historia propia",
    ANIO_COMPLETO: "año completo",
}
#: Prefix of the name when the variants were weighed (``ponderado``): the method named weighed most.
WEIGHTED_PREFIX = "ponderado, sobre todo "
#: Suffix of the name when the smoothing took its share (``con_suavizado``).
BLEND_SUFFIX = ", combinado con el suavizado exponencial"
#: Suffix of the name by what the interval rests on (``intervalo``); the call's own errors go unsaid.
INTERVAL_SUFFIXES = {
    INTERVALO_PROPIO: "",
    INTERVALO_OTRAS_SERIES: " (intervalo: otros productos)",
    INTERVALO_REFERENCIA: " (intervalo: series de referencia)",
    INTERVALO_NINGUNO: "",
}
#: The columns of the engine's result that :func:`method_labels` reads besides ``metodo``.
FLAG_COLUMNS = tuple(c for c in METHOD_COLUMNS if c != "metodo")

#: What each method does, for the method chapter.
METHOD_DESCRIPTIONS = {
    PERFIL: "Lo observado dividido entre la proporción del año alcanzada a esta altura en años anteriores "
    "(promedio con más peso en los años recientes).",
    PERFIL_MEDIO: "Como el perfil intraanual, con todos los años pasados con el mismo peso (más estable "
    "cuando la serie es ruidosa y su perfil no cambia).",
    PERFIL_TENDENCIA: "Como el perfil intraanual, corregido por la tendencia: si la serie crece más que en "
    "años anteriores, a esta altura del año lleva una proporción menor de su total.",
    PERFIL_NIVEL: "Combina el perfil intraanual con el total anual extrapolado de la tendencia "
    "de años anteriores; el peso de cada uno depende de cuánto han variado en el pasado el "
    "perfil y el crecimiento anual.",
    PERFIL_RECIENTE: "Tras dos cuatrimestres: el segundo cuatrimestre multiplicado por la razón entre el "
    "tercero y el segundo en años anteriores (sigue mejor un cambio de nivel reciente).",
    PERFIL_IMPULSO: "Como el perfil del último cuatrimestre, corregido por el impulso: si del "
    "primer al segundo cuatrimestre la serie creció más de lo usual, se supone que parte de ese "
    "ritmo sigue en el tercero.",
    SUAVIZADO: "Suavizado exponencial de Holt-Winters (tendencia amortiguada y estacionalidad por "
    "cuatrimestre): cada producto toma las constantes con las que mejor habría previsto su cuatrimestre "
    "siguiente en el pasado. Aporta el 40% del resultado tras un cuatrimestre (y además es una variante "
    "de la ponderación) y la mitad tras dos.",
    COMBINACION: "Promedio de las variantes de perfil y del suavizado exponencial.",
    REMANENTE: "Lo observado más lo que en años anteriores se produjo en el resto del año (cuando lo "
    "observado o la proporción histórica es cero y el perfil no puede usarse).",
    RITMO: "Sin historia propia: lo observado dividido entre la parte del año que los otros productos (o las "
    "series de referencia) suelen llevar a esta altura (la mediana de esas partes).",
    SIN_BASE: "Sin nada ejecutado en lo que va del año ni años anteriores propios, no hay de dónde "
    "proyectar: cero dividido entre la parte del año que suele llevarse a esta altura da cero, que no dice "
    "cómo cerrará el año. No se publica proyección ni intervalo.",
    ANIO_COMPLETO: "El año ya está completo: la proyección es lo observado.",
}
#: What each basis of the interval means, for the method chapter.
INTERVAL_DESCRIPTIONS = {
    INTERVALO_PROPIO: "El intervalo sale de los errores que el procedimiento habría cometido en los años "
    "anteriores de los mismos datos, a la escala de cada producto.",
    INTERVALO_OTRAS_SERIES: "Sin historia propia: el intervalo sale de cuánto habría fallado esa misma "
    "regla con los otros productos en sus años anteriores (con pocos años, de las partes del año que "
    "llevaban a esta altura, todas juntas).",
    INTERVALO_REFERENCIA: "Sin años anteriores suficientes para medir sus propios errores: el intervalo "
    "supone que la parte del año que se lleva a esta altura varía como en un conjunto de series mensuales "
    "reales publicadas (un supuesto explícito, descrito en el anexo técnico).",
    INTERVALO_NINGUNO: "Sin intervalo: el año está completo, o no hay proyección.",
}


def method_label(
    metodo: str, ponderado: bool = False, con_suavizado: bool = False, intervalo: str = INTERVALO_PROPIO
) -> str:
    """The Spanish name of one projection's method, as the book and the downloads print it.

    The smoothing is not named twice: where it is itself the variant that
    weighed most, its share goes unsaid.
    """
    name = METHOD_NAMES[metodo]
    if ponderado:
        name = WEIGHTED_PREFIX + name
    if con_suavizado and not (ponderado and metodo == SUAVIZADO):
        name += BLEND_SUFFIX
    return name + INTERVAL_SUFFIXES[intervalo]


def method_description(row) -> str:
    """What a projection's method does and what its interval rests on, in words (``MISSING_TEXT`` without a
    method; without an interval, the method's words alone, which say why).

    *row* carries the engine's ``metodo`` and ``intervalo`` codes (a row of its result).
    """
    if pd.isna(row["metodo"]):
        return MISSING_TEXT
    if row["intervalo"] == INTERVALO_NINGUNO:  # the method's own words say why there is none
        return METHOD_DESCRIPTIONS[row["metodo"]]
    return f"{METHOD_DESCRIPTIONS[row['metodo']]} {INTERVAL_DESCRIPTIONS[row['intervalo']]}"


def method_labels(projection: pd.DataFrame, method_column: str = "metodo") -> pd.Series:
    """The Spanish name of the method of every row of the engine's result (same index; NaN stays NaN).

    ``method_column`` names the code column (the backtest calls it ``metodo_motor``).
    """
    columns = [method_column, *FLAG_COLUMNS]
    keys = projection[columns].astype(object)
    known = keys[method_column].notna()
    labels = {
        key: method_label(key[0], bool(key[1]), bool(key[2]), key[3])
        for key in keys[known].drop_duplicates().itertuples(index=False, name=None)
    }
    named = [labels[key] for key in keys[known].itertuples(index=False, name=None)]
    return pd.Series(named, index=keys.index[known]).reindex(keys.index)


def with_method_labels(projection: pd.DataFrame) -> pd.DataFrame:
    """The engine's result with ``metodo`` as readers see it (the Spanish name) and the flag columns folded
    in."""
    return projection.assign(metodo=method_labels(projection)).drop(columns=list(FLAG_COLUMNS))


def _width(value) -> str:
    """Half an interval's width as a percentage of its projection: «±12.3%» (or nothing when unknown)."""
    return "" if pd.isna(value) else f"±{fmt_pct(value, 1)}"


def basis_sentence(bases: pd.DataFrame, level: float = 0.8, name_unprojected: bool = True) -> str:
    """One plain sentence: what the edition's projections rest on and how uncertain that is.

    *bases* is :func:`pei_analysis.model.board.bases` (one row per basis code with its count and the
    median half-width of the interval as % of the projection). Issue #20 asks that a reader learns
    this where they look, not in an appendix; above all, that nothing rests on IGSS's own history
    when that is the case. Written from the codes, so it changes as soon as past years are imported.
    The products with no base get no projection, so they are not counted among the projections but
    said apart, unless *name_unprojected* is false: the summary says it of the products it does not
    score, which include them, so a director does not read of the same five products twice.
    """
    rows = {r["base"]: r for r in bases.to_dict("records")}
    unfounded = rows.pop(BASE_NINGUNA, None)
    text = _projections_sentence(rows, level) if rows else ""
    if unfounded is not None and name_unprojected:
        text += (" " if text else "") + _unfounded_sentence(int(unfounded["productos"]))
    return text


def _projections_sentence(rows: dict, level: float) -> str:
    """:func:`basis_sentence` for the products that have a projection (*rows*: basis code → its row)."""
    level_text = fmt_pct(level * 100, 0)
    if set(rows) == {BASE_REFERENCIA}:
        width = _width(rows[BASE_REFERENCIA]["medio_ancho_mediano_pct"])
        return (
            "Ninguna proyección se apoya en la historia propia del IGSS: sin años anteriores en los datos, "
            "cada una es lo ejecutado dividido entre la parte del año que series públicas de referencia "
            f"suelen llevar a esta altura; por eso sus intervalos al {level_text} son anchos"
            + (f" ({width} de la proyección en la mediana)." if width else ".")
        )
    total = sum(int(row["productos"]) for row in rows.values())
    if len(rows) == 1:
        code, row = next(iter(rows.items()))
        width = _width(row["medio_ancho_mediano_pct"])
        text = (
            f"{'La proyección' if total == 1 else f'Las {total} proyecciones'} "
            f"{_BASIS_WHAT[code][1 if total > 1 else 0]}"
        )
        text += (
            f"; sus intervalos al {level_text} son de {width} de la proyección en la mediana."
            if width
            else "."
        )
    else:
        parts = [_basis_part(code, row) for code, row in rows.items()]
        text = f"De las {total} proyecciones, " + "; ".join(parts)
        text += f" (intervalos al {level_text}, la mitad de su ancho como % de la proyección, en la mediana)."
    if BASE_PROPIA not in rows:
        text += " Ninguna se apoya en la historia propia de su producto."
    return text


def _unfounded_sentence(n: int) -> str:
    """«5 productos no se proyectan: …», for the products with nothing executed and no earlier year."""
    if n == 1:
        return "Un producto no se proyecta: no tiene nada ejecutado en lo que va del año ni años anteriores."
    return f"{n} productos no se proyectan: no tienen nada ejecutado en lo que va del año ni años anteriores."


#: What a projection rests on, by basis code, in the singular and the plural.
_BASIS_WHAT = {
    code: (f"se apoya {what}", f"se apoyan {what}")
    for code, what in {
        BASE_PROPIA: "en la historia propia de su producto (lo que sus años "
        "anteriores llevaban a esta altura)",
        BASE_OTROS: "en la parte del año que llevan los otros productos, porque no "
        "tienen años anteriores propios",
        BASE_REFERENCIA: "solo en la parte del año que suelen llevar series públicas de referencia",
        BASE_COMPLETO: "en el año ya completo",
    }.items()
}


def _basis_part(code: str, row: dict) -> str:
    """«12 se apoyan en …, ±8.1%» for one basis code."""
    n = int(row["productos"])
    width = _width(row["medio_ancho_mediano_pct"])
    return f"{n} {_BASIS_WHAT[code][n != 1]}" + (f", {width}" if width and code != BASE_COMPLETO else "")
