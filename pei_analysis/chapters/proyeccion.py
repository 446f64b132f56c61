"""El capítulo «Proyección al cierre y cumplimiento de metas»: apertura, reglas del semáforo y una
sección por programa.

The sections come from the programs present in the data, each with the heading, chart caption,
alt text, anchors and table a reader saw when they were written by hand. The methodology
chapter shows the same overview and rules, from here.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from pei_analysis.calendar import ORDINALES, month_end, share_of_year
from pei_analysis.chapters import figures
from pei_analysis.chapters.display import (
    NOT_PROJECTED_TEXT,
    PRODUCT_LINK,
    PROJECTION_LINK,
    STATUS_STYLE,
    Column,
    HtmlTable,
    collapsible,
    html_table,
    md_escape,
    plural,
)
from pei_analysis.chapters.ejecucion_poa import UNIT, sections_by_program
from pei_analysis.chapters.methods import basis_sentence, method_description, method_labels
from pei_analysis.chapters.sections import FigureBlock, Section
from pei_analysis.chapters.status_notes import threshold_number, threshold_pct, with_status_notes
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_pct, join_es
from pei_analysis.model import attainment, history
from pei_analysis.model.edition import SCORED_STATES, Edition, status_counts
from pei_analysis.model.projection import SIN_BASE
from pei_analysis.model.track_record import record_by_product, record_cuatrimestres, record_overall
from pei_analysis.tables.poa import PRODUCT_KEY

#: Columns of each program's table: the product, then what a reader looks for (% proyectado and
#: semáforo), then the figures behind them, the two the % divides first. The product goes by
#: its short name (the whole SICOIN description in its title, and one click away in the execution
#: chapter, where its number links): the full paragraph made each row ten lines tall on a laptop and
#: twenty on a phone, and pushed the semáforo below the fold. The interval's two limits share one
#: column (:func:`~pei_analysis.chapters.display.range_text`), so that at 1280 px everything up to it
#: shows without scrolling sideways; the note, which says in words what those columns say, comes last.
COLUMNS = [
    Column("producto", kind="int", link=PRODUCT_LINK),
    Column("descripcion", kind="short", unit=UNIT),
    Column("pct_proyectado", kind="pct", scored_only=True),
    Column("estado", kind="status"),
    Column("programado", kind="int"),
    Column("proyeccion", kind="int", missing=NOT_PROJECTED_TEXT),
    Column(
        "limite_inferior",
        kind="range",
        end="limite_superior",
        heading="Intervalo al {nivel}",
        missing=NOT_PROJECTED_TEXT,
    ),
    Column("ejecutado_acumulado", kind="int"),
    Column("nota", css="nota-larga"),  # wider than other text: at 13rem its five lines set each row's height
]
FIGURE_CAPTION = (
    "Programa {programa}: producción proyectada al cierre del año como % de lo programado, "
    "con su intervalo de predicción, sobre las franjas del semáforo."
)
FIGURE_ALT = (
    "Gráfico de puntos, uno por producto del programa {programa}, con el porcentaje proyectado "
    "de lo programado escrito junto a cada punto y una línea horizontal para el intervalo; "
    "la forma y el color del punto indican el estado del semáforo y las líneas verticales "
    "marcan los umbrales y el 100% de la meta. Los productos no calificados se nombran "
    "con su marca."
)


def methods_used(table: pd.DataFrame) -> pd.DataFrame:
    """Which projection methods produced this edition's figures, by the name readers see, how many products
    each, and what the method and its interval rest on (``descripcion``).

    Counted by name, not by the engine's codes: two code combinations can read the same.
    """
    labels = method_labels(table).fillna(MISSING_TEXT)
    counts = labels.value_counts()
    first = table.assign(nombre=labels).drop_duplicates("nombre").set_index("nombre")
    return pd.DataFrame(
        {
            "metodo": counts.index,
            "productos": counts.to_numpy(),
            "descripcion": [method_description(first.loc[name]) for name in counts.index],
        }
    )


def projection_overview(edition: Edition) -> str:
    """The Markdown that opens the projection chapter: what the projection rests on and what it says."""
    t = edition.table
    counts = status_counts(t).set_index("estado")["productos"]
    methods = methods_phrase(methods_used(t[t["metodo"] != SIN_BASE]))  # the basis sentence names those
    scored = ", ".join(f"{counts[e]} {STATUS_STYLE[e]['simbolo']} {e}" for e in SCORED_STATES)
    return (
        (
            f"La proyección parte de lo ejecutado hasta el **{fmt_date(edition.fecha_corte)}** "
            f"({fmt_pct(edition.pct_esperado)} del año transcurrido). Método: {methods}; el intervalo es de "
            f"predicción al {fmt_pct(edition.level * 100, 0)} (cuando el método puede darlo). Resultado: "
            f"{scored}; {int(counts[[e for e in attainment.ESTADOS if e not in SCORED_STATES]].sum())} "
            "productos no se califican como porcentaje."
        )
        + history_basis(getattr(edition, "history", None))
        + _basis(edition)
    )


#: Methods the overview names one by one; with more, it names the commonest and points to the table.
NAMED_METHODS = 2


def methods_phrase(used: pd.DataFrame) -> str:
    """The overview's words on the methods: each one when few, else the commonest and how many others.

    With history the engine weighs its variants per product and five or six names came out in one
    sentence; the chapter's table «Método de proyección usado» lists them all with what each does.
    """
    if len(used) <= NAMED_METHODS:
        return ", ".join(f"«{md_escape(m)}»" for m in used["metodo"])
    top = used.iloc[0]
    total = int(used["productos"].sum())
    return (
        f"«{md_escape(top['metodo'])}» en {top['productos']} de {total} productos, y otros "
        f"{len(used) - 1} métodos en los {total - int(top['productos'])} restantes (en la tabla «Método de "
        "proyección usado», con lo que hace cada uno)"
    )


def _basis(edition: Edition) -> str:
    """The summary's sentence on what the projections rest on and how wide they are (needs the board)."""
    board = getattr(edition, "board", None)
    sentence = basis_sentence(board.bases, edition.level) if board is not None else ""
    return f"\n\n{sentence}" if sentence else ""


def history_basis(past: history.History | None) -> str:
    """The sentence that says which earlier years the projection rests on (none when the data hold none).

    The engine learns the within-year profile from complete years and the yearly level also from
    years known only by their total; a year with a cuatrimestre missing is left out, and named.
    """
    if past is None or not past.has_past:
        return ""
    years = past.years
    used = years.loc[years["tipo"] == history.COMPLETO, "anio"].tolist()
    totals = years.loc[years["tipo"] == history.ANUAL, "anio"].tolist()
    unused = years.loc[~years["tipo"].isin([history.COMPLETO, history.ANUAL]), "anio"].tolist()
    text = (
        f" Se apoya en {'el año anterior completo' if len(used) == 1 else 'los años anteriores completos'} "
        f"de cada producto ({join_es(used)})."
        if used
        else " Ningún año anterior está completo: la proyección no tiene un perfil propio en que apoyarse."
    )
    if totals:
        one = len(totals) == 1
        text += (
            f" De {join_es(totals)} solo se tiene el total del año: {'da' if one else 'dan'} el nivel de "
            "cada producto, no su reparto entre cuatrimestres."
        )
    if unused:
        one = len(unused) == 1
        text += (
            f" {join_es(unused)} no {'entra' if one else 'entran'} en la proyección porque "
            f"{'le' if one else 'les'} faltan cuatrimestres; {'se muestra' if one else 'se muestran'} igual "
            "frente a la historia."
        )
    return text


def thresholds_table(thresholds: attainment.Thresholds) -> pd.DataFrame:
    """The semáforo's rules in words, from the thresholds actually used (so the book never disagrees with
    them)."""
    t = thresholds
    rules = [
        (
            attainment.SOBRE_EJECUCION,
            (
                f"proyección mayor que {threshold_pct(t.over_execution)} de lo programado "
                "(alerta de planificación: la meta pudo quedar baja)"
            ),
        ),
        (
            attainment.SATISFACTORIO,
            f"proyección de {threshold_pct(t.satisfactory)} a {threshold_pct(t.over_execution)}",
        ),
        (
            attainment.EN_RIESGO,
            f"proyección de {threshold_pct(t.at_risk)} a menos de {threshold_pct(t.satisfactory)}",
        ),
        (attainment.CRITICO, f"proyección menor que {threshold_pct(t.at_risk)}"),
        (
            attainment.META_PEQUENA,
            f"programado menor que {threshold_number(t.small_target)}: no se califica como porcentaje",
        ),
        (attainment.SIN_EJECUCION, "nada ejecutado en lo que va del año: no se califica como porcentaje"),
        (attainment.SIN_DATOS, "falta lo programado, lo ejecutado o la proyección"),
    ]
    return pd.DataFrame([{"estado": e, "simbolo": STATUS_STYLE[e]["simbolo"], "regla": r} for e, r in rules])


def table_columns(level: float) -> list[Column]:
    """:data:`COLUMNS` with the interval's heading at the edition's level («Intervalo al 80%»)."""
    nivel = f"{level * 100:g}%"
    return [replace(c, heading=c.heading.format(nivel=nivel)) if c.heading else c for c in COLUMNS]


def program_sections(edition: Edition) -> list[Section]:
    """One section per program in the data: heading, chart of the projected % with its interval, the
    projection drawn against the products' past years (when the data hold any), table with a row anchor
    per product."""
    return sections_by_program(
        with_status_notes(edition.table, edition.thresholds),
        lambda table, programa: figures.projection_chart(table, programa, edition.thresholds),
        table_columns(edition.level),
        caption=FIGURE_CAPTION,
        alt=FIGURE_ALT,
        figure_name="fig-proyeccion-{programa}",
        row_id="proyeccion-{producto}",
        extra=lambda programa: history_figures(edition, programa),
        data=figures.projection_data,
        stacked=True,  # at 375 px the semáforo was off screen, behind the product's fixed columns
    )


HISTORY_CAPTION = (
    "Programa {programa}: cada producto en sus años anteriores (total del año), este año lo ejecutado hasta "
    "ahora con la proyección al cierre y su intervalo, y lo programado de cada año."
)
HISTORY_ALT = (
    "Gráficos pequeños, uno por producto del programa {programa}: una barra por año con el total ejecutado "
    "(rayada si al año le falta un cuatrimestre), la barra de este año con lo ejecutado hasta ahora, un "
    "rombo con la proyección al cierre y una línea vertical con su intervalo, y una raya discontinua con "
    "lo programado de cada año."
)
#: What the profile and record sections say when the data hold no earlier complete year.
#: ``{anios}`` is «años anteriores» or, when some exist but none is complete, «años anteriores completos».
NO_PROFILE = (
    "Los datos no tienen {anios}: el perfil de cada producto dentro del año (qué parte del total suele "
    "llevar a esta altura) aparecerá cuando se importen los tres cuatrimestres de un año pasado."
)
NO_RECORD = (
    "Los datos no tienen {anios}: no hay proyecciones pasadas que comparar con lo que ocurrió. Esta "
    "sección dirá cuánto erró el método en cada año anterior cuando se importen."
)


def _missing_years(past: history.History) -> str:
    return "años anteriores completos" if past.has_past else "años anteriores"


def history_figures(edition, programa: str) -> list:
    """The history figure of *programa* (a :class:`FigureBlock`), or nothing when the data hold no past
    year."""
    past = getattr(edition, "history", None)
    if past is None or not past.has_past:
        return []
    chart = figures.history_chart(past.totals, edition.table, programa, level=edition.level)
    first = int(past.totals["anio"].min())
    return [
        FigureBlock(
            chart,
            HISTORY_CAPTION.format(programa=programa),
            HISTORY_ALT.format(programa=programa),
            f"fig-historia-{programa}",
            figures.history_data(past.totals, edition.table, programa),
            figures.source_line(edition.anio, edition.cuatrimestre, first),
        )
    ]


def profile_text(past: history.History, cuatrimestre: int) -> str:
    """Opening of the within-year profile section: what the profile is and how many products are off it."""
    if not past.has_profiles:
        return NO_PROFILE.format(anios=_missing_years(past))
    if cuatrimestre == 3:
        return (
            "El año está completo: el perfil de cada producto (qué parte del año llevaba al cierre del "
            "primer y del segundo cuatrimestre en los años anteriores completos) se muestra como referencia."
        )
    profile = past.profile
    rows = profile[profile["cuota_media"].notna()]
    behind = int((rows["brecha_perfil_pp"] < 0).sum())
    return (
        f"En los años anteriores completos, al cierre del {ORDINALES[cuatrimestre]} cuatrimestre cada "
        "producto llevaba una parte de su total que no siempre es "
        f"{fmt_pct(share_of_year(cuatrimestre))} (el ritmo parejo). Si este año sigue su perfil habitual "
        f"y cumple lo programado, su avance al cierre del cuatrimestre sería esa parte; **{behind} de "
        f"{len(rows)} productos con perfil van por debajo de él**." + _without_profile(profile)
    )


def _without_profile(profile) -> str:
    """Why the other products have no profile: no complete earlier year, or nothing executed in any (a share
    of a zero total is no share)."""
    no_year = int((profile["anios"] == 0).sum())
    zero = int(((profile["anios"] > 0) & profile["cuota_media"].isna()).sum())
    text = (
        f" {plural(no_year, 'producto no tiene', 'productos no tienen')} un año anterior completo."
        if no_year
        else ""
    )
    if zero:
        none = ("producto no ejecutó", "no tiene") if zero == 1 else ("productos no ejecutaron", "no tienen")
        text += f" {zero} {none[0]} nada en sus años anteriores completos: {none[1]} perfil."
    return text


def profile_table(past: history.History, cuatrimestre: int) -> HtmlTable:
    """Each product's share of the year at this cuatrimestre in every complete past year, its mean, and this
    year's advance against it; nothing without a profile (the opening says so)."""
    if not past.has_profiles:
        return HtmlTable("")
    k = min(cuatrimestre, 2)
    column = f"cuota_c{k}"
    by_year = past.profiles.pivot_table(index=PRODUCT_KEY, columns="anio", values=column)
    frame = past.profile.merge(by_year.add_prefix("a"), left_on=PRODUCT_KEY, right_index=True, how="left")
    # What a reader compares comes first, in view at 1280 px: the usual share by now, this year's
    # advance and the gap; the year-by-year detail follows, as wide as the years loaded.
    columns = [Column("producto", kind="int", link=PROJECTION_LINK), Column("descripcion", kind="short")]
    columns.append(Column(f"cuota_c{k}_media", f"Media a {month_end(k)}", kind="pct"))
    if cuatrimestre < 3:
        columns += [
            Column("pct_avance", "Este año (% de lo programado)", kind="pct"),
            Column("brecha_perfil_pp", "Frente a su perfil", kind="pp"),
        ]
    columns += [Column(f"a{year}", f"{year}, a {month_end(k)}", kind="pct") for year in by_year.columns]
    columns.append(Column(f"cuota_c{3 - k}_media", f"Media a {month_end(3 - k)}", kind="pct"))
    return html_table(
        frame,
        columns,
        caption=f"Parte del total del año alcanzada al cierre del {ORDINALES[k]} "
        "cuatrimestre en cada año anterior completo, y su media a fin de abril y a fin de agosto",
        interactive=True,
        stacked=True,  # a card per product on a phone: «Frente a su perfil» was off screen at 375 px
    )


def record_text(past: history.History, cuatrimestre: int, level: float = 0.8) -> str:
    """Opening of the track-record section: the engine's median error and coverage in earlier years."""
    if not past.has_record:
        return NO_RECORD.format(anios=_missing_years(past))
    overall = record_overall(past.record).iloc[-1]
    at = " y ".join(ORDINALES[k] for k in record_cuatrimestres(cuatrimestre))
    return (
        f"Con los datos que había al cierre del {at} cuatrimestre de cada año anterior completo, el mismo "
        f"método habría errado el total del año en **{fmt_pct(overall['error_mediano_pct'])}** (mediana, en "
        f"valor absoluto, de {plural(int(overall['proyecciones']), 'proyección', 'proyecciones')}); el "
        "ritmo parejo (lo ejecutado hasta entonces, extendido al año entero) habría errado en "
        f"{fmt_pct(overall['error_ritmo_mediano_pct'])}. El intervalo contuvo el total real en "
        f"**{fmt_pct(overall['cobertura_pct'], 0)}** de los casos (se busca {fmt_pct(100 * level, 0)}, el "
        "nivel del intervalo)."
    )


def record_tables(past: history.History) -> HtmlTable:
    """The record per earlier year, and per product folded below it; nothing without a record."""
    if not past.has_record:
        return HtmlTable("")
    overall = record_overall(past.record)
    overall["anio_texto"] = [
        f"{int(a)}, con datos a {month_end(int(c))}" if pd.notna(a) else "Todos"
        for a, c in zip(overall["anio"], overall["cuatrimestre"], strict=True)
    ]
    stats = [
        Column("proyecciones", "Proyecciones", kind="int"),
        Column("error_mediano_pct", "Mediana del error", kind="pct"),
        Column("error_ritmo_mediano_pct", "Mediana del error del ritmo parejo", kind="pct"),
        Column("cobertura_pct", "Dentro del intervalo", kind="pct"),
    ]
    years = html_table(
        overall,
        [Column("anio_texto", "Año proyectado"), *stats],
        caption="Cada año anterior, proyectado con lo que se sabía entonces",
        stacked=True,  # at 375 px «Dentro del intervalo» was off screen
    )
    by_product = record_by_product(past.record)
    # The link, number and short name shown are the product's in this edition (a renumbered product keeps
    # its key); one the edition no longer has keeps its old number and its description.
    current = past.profile.drop_duplicates(PRODUCT_KEY).set_index(PRODUCT_KEY)
    by_product["producto"] = (
        by_product[PRODUCT_KEY].map(current["producto"]).fillna(by_product["producto"]).astype("int64")
    )
    for name in ("nombre_corto", "sigla"):
        if name in current.columns:
            by_product[name] = by_product[PRODUCT_KEY].map(current[name])
    products = html_table(
        by_product,
        [Column("producto", kind="int", link=PROJECTION_LINK), Column("descripcion", kind="short"), *stats],
        caption="Por producto",
        interactive=True,
        stacked=True,
    )
    return HtmlTable(f"{years}\n{collapsible('El error de cada producto en los años anteriores', products)}")
