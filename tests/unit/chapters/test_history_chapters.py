"""The past years in the book's words and figures (ejecucion_poa, proyeccion, figures, downloads), on the
shipped data (no past year) and on a copy with SIMULATED past years (fixture ``with_history``, DATOS
SIMULADOS)."""

from __future__ import annotations

import dataclasses
import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from pei_analysis.chapters import downloads, ejecucion_poa, figures, proyeccion
from pei_analysis.chapters.sections import FigureBlock
from pei_analysis.model import history
from pei_analysis.model.track_record import record_overall
from pei_analysis.model.year_change import change_summary
from pei_analysis.tables.poa import PRODUCT_KEY
from tests.unit.chapters.test_figures import drawn_box


def test_without_past_years_each_section_says_so_in_one_sentence_and_shows_no_table(shipped):
    assert ejecucion_poa.past_years_text(shipped.history, 2024, 1).startswith(
        "Los datos no tienen años anteriores"
    )
    assert proyeccion.profile_text(shipped.history, 1).startswith("Los datos no tienen años anteriores:")
    assert proyeccion.record_text(shipped.history, 1).startswith("Los datos no tienen años anteriores:")
    for table in (
        ejecucion_poa.comparison_table(shipped.history, 2024, 1),
        proyeccion.profile_table(shipped.history, 1),
        proyeccion.record_tables(shipped.history),
    ):
        assert str(table) == ""


def test_without_past_years_the_projection_sections_have_no_history_figure(shipped):
    for section in proyeccion.program_sections(shipped):
        names = [b.name for b in section.blocks if isinstance(b, FigureBlock)]
        assert not any(name.startswith("fig-historia") for name in names)


def test_the_opening_names_each_earlier_year_with_what_it_holds_and_the_products_gone(with_history):
    text = ejecucion_poa.past_years_text(with_history.history, 2024, 1)
    assert "2021 (completo), 2022 (incompleto: solo los cuatrimestres 1, 2), 2023 (completo)" in text
    assert "1 producto de años anteriores ya no está en el catálogo: 99, «Producto simulado" in text
    assert "(hasta 2022)" in text


def test_the_comparison_table_gives_each_years_figure_and_change_or_why_there_is_none(with_history):
    past = with_history.history
    frame = ejecucion_poa.comparison_frame(past, 2024, 1)
    row = past.comparison[
        (past.comparison[PRODUCT_KEY] == frame[PRODUCT_KEY].iloc[0])
        & (past.comparison["anio_anterior"] == 2023)
    ].iloc[0]
    assert frame["y2023"].iloc[0] == f"{round(row['ejecutado_anterior']):,}"
    assert frame["c2023"].iloc[0] == f"{row['cambio']:+,.0f} ({row['cambio_pct']:+,.1f}%)"
    last = frame[frame["producto"] == frame["producto"].max()].iloc[0]  # appears in 2023 (simulated)
    assert last["y2021"] == "sin datos (el producto no existía)" and last["c2021"] == ""
    html = str(ejecucion_poa.comparison_table(past, 2024, 1))
    assert "ene-abr 2022 (año incompleto)" in html and "Cambio 2023→2024" in html
    assert html.count('<span class="unidad">') == len(frame)  # what the figures count, under each name
    assert '<span class="unidad">unidad: consultas</span>' in html


def test_the_comparison_opens_with_one_line_on_the_change_from_last_year_then_the_years_held(with_history):
    past = with_history.history
    summary = change_summary(past.comparison)
    text = ejecucion_poa.past_years_text(past, 2024, 1)
    head, years = text.split("\n\n")
    assert head.startswith(
        f"De enero a abril de 2024, frente a los mismos meses de 2023: **{summary.suben} de "
        f"{summary.comparados} productos registraron más**, {summary.bajan} menos"
    )
    assert f"(cambio mediano: {summary.cambio_pct_mediano:+.1f}%)" in head
    # the simulated copy keeps the real 2024-c1, whose zeros the simulated years repeat
    assert summary.en_cero > 0 and f"{summary.en_cero} sin nada ejecutado en ninguno de los dos años" in head
    assert years.startswith("Años anteriores en los datos: 2021 (completo)")


def test_the_opening_names_the_steepest_falls_by_number_and_short_name_with_their_change(with_history):
    past = with_history.history
    falls = change_summary(past.comparison).caidas
    assert len(falls) == 3  # the simulated history has products that fell
    text = ejecucion_poa.change_text(past, 2024, 1)
    listed = text.split("Los que más cayeron: los productos ")[1]
    # «35 (Vacunas adquiridas a través de la OPS \\(PRO\\), -100.0%), 19 (…, -100.0%) y 28 (…)»
    starts = [listed.index(f"{int(r.producto)} ({r.nombre_corto}") for r in falls.itertuples()]
    assert starts[0] == 0 and starts == sorted(starts) and listed.endswith(").")
    for r in falls.itertuples():
        assert f", {r.cambio_acumulado_pct:+.1f}%)" in listed
    assert "; " not in listed and "%), " in listed and "%) y " in listed  # «a, b y c», not «a; b; c»
    assert falls["cambio_acumulado_pct"].is_monotonic_increasing


def test_every_history_table_names_each_product_by_its_short_name(with_history):
    past = with_history.history
    names = past.profile.set_index(PRODUCT_KEY)["nombre_corto"].dropna()
    assert len(names) > 10
    for html in (
        str(ejecucion_poa.comparison_table(past, 2024, 1)),
        str(proyeccion.profile_table(past, 1)),
        str(proyeccion.record_tables(past)),
    ):
        assert all(str(name) in html for name in names), [n for n in names if str(n) not in html]


def test_the_profile_opening_counts_the_products_behind_their_own_profile(with_history):
    profile = with_history.history.profile
    behind = int((profile["brecha_perfil_pp"] < 0).sum())
    text = proyeccion.profile_text(with_history.history, 1)
    # product 30 (Cuota mortuoria PRECAPI) executed nothing in its complete simulated years: no profile
    assert profile.loc[profile["producto"] == 30, "cuota_media"].isna().all()
    assert f"**{behind} de 35 productos con perfil van por debajo de él**" in text
    assert text.endswith(" 1 producto no ejecutó nada en sus años anteriores completos: no tiene perfil.")
    assert "33.3%" in text and "33.33%" not in text


def test_the_profile_table_shows_each_complete_year_its_mean_and_this_years_pace(with_history):
    html = str(proyeccion.profile_table(with_history.history, 1))
    assert ">2021<" in html.replace(" ", "") or "2021" in html
    assert "2022" not in html.split("<tbody>")[0]  # an incomplete year has no profile
    assert "Media" in html and "Frente a su perfil" in html


def test_the_profile_table_puts_the_usual_share_this_years_advance_and_the_gap_before_the_years(with_history):
    html = str(proyeccion.profile_table(with_history.history, 1))
    headings = [re.sub(r"<[^>]+>|↕", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html)]
    assert headings[:5] == [
        "Producto",
        "Descripción",
        "Media a abril",
        "Este año (% de lo programado)",
        "Frente a su perfil (puntos)",
    ], headings
    # 2022 lacks a cuatrimestre
    assert headings[5:] == ["2021, a abril", "2023, a abril", "Media a agosto"], headings


def test_the_record_opening_gives_the_median_error_the_pace_and_the_coverage(with_history):
    overall = record_overall(with_history.history.record).iloc[-1]
    text = proyeccion.record_text(with_history.history, 1, 0.8)
    assert f"**{overall['error_mediano_pct']:.1f}%**" in text
    assert f"{overall['error_ritmo_mediano_pct']:.1f}%" in text
    assert f"**{overall['cobertura_pct']:.0f}%**" in text and "se busca 80%" in text


def test_each_projection_section_draws_the_programs_history_when_there_is_one(with_history):
    for section in proyeccion.program_sections(with_history):
        programa = section.heading.split()[-1]
        blocks = [b for b in section.blocks if isinstance(b, FigureBlock)]
        assert [b.name for b in blocks] == [f"fig-proyeccion-{programa}", f"fig-historia-{programa}"]
        assert len(blocks[1].alt) > 40 and blocks[1].caption.startswith(f"Programa {programa}")


def test_the_history_figure_has_a_panel_per_product_with_every_year_and_the_projection(with_history):
    table = with_history.table
    fig = figures.history_chart(with_history.history.totals, table, "15")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == int((table["programa"] == "15").sum())
    assert [t.get_text() for t in panels[0].get_xticklabels()] == ["2021", "2022", "2023", "2024"]
    assert any(t.get_text() == "incompleto" for t in panels[0].texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "proyección al cierre e intervalo al 80%" in legend and "programado (meta) del año" in legend


def test_a_product_without_a_year_says_sin_datos_in_its_panel(with_history):
    table = with_history.table
    fig = figures.history_chart(
        with_history.history.totals, table, "94"
    )  # product 36 appears in 2023 (simulated)
    assert [t.get_text() for t in fig.axes[0].texts].count("sin\ndatos") == 2


@pytest.mark.parametrize(
    ("value", "text"), [(1_250_000, "1.25 M"), (350_000, "350 mil"), (950, "950"), (2.5, "2.5"), (12, "12")]
)
def test_axis_numbers_are_short_and_spanish(value, text):
    assert figures.compact_number(value) == text


def test_the_history_downloads_appear_only_with_past_years_and_every_column_is_described(
    shipped, with_history
):
    assert not set(downloads.HISTORY_EXPORTS) & set(downloads.edition_exports(shipped))
    tables = downloads.edition_exports(with_history)
    assert set(downloads.HISTORY_EXPORTS) <= set(tables)
    assert "proyeccion_y_semaforo" in tables
    meanings = {**downloads.COLUMN_MEANINGS, **downloads.schema_meanings(with_history.poa_columns)}
    for name in downloads.HISTORY_EXPORTS:
        assert [c for c in tables[name].columns if c not in meanings] == []
    assert set(tables["historia_por_producto"]["dato"]) <= {
        history.COMPARABLE,
        history.SIN_PRODUCTO,
        history.SIN_CUATRIMESTRE,
        history.SOLO_ANUAL,
    }


def test_the_projection_opening_names_the_complete_years_it_rests_on_and_those_left_out(
    shipped, with_history
):
    assert "Se apoya" not in proyeccion.projection_overview(shipped)
    text = proyeccion.projection_overview(with_history)
    assert "Se apoya en los años anteriores completos de cada producto (2021 y 2023)." in text
    assert "2022 no entra en la proyección porque le faltan cuatrimestres; se muestra igual" in text


def test_the_years_left_out_of_the_projection_are_named_in_good_spanish():
    past = history.History(
        years=pd.DataFrame(
            {
                "anio": [2019, 2020, 2021, 2022],
                "cuatrimestres": ["1", "", "1, 2, 3", "1"],
                "productos": [1, 1, 1, 1],
                "tipo": ["incompleto", "anual", "completo", "incompleto"],
            }
        )
    )
    text = proyeccion.history_basis(past)
    assert text == (
        " Se apoya en el año anterior completo de cada producto (2021). De 2020 solo se tiene el total "
        "del año: da el nivel de cada producto, no su reparto entre cuatrimestres. 2019 y 2022 no entran "
        "en la proyección porque les faltan cuatrimestres; se muestran igual frente a la historia."
    )


def test_from_the_second_cuatrimestre_the_cumulative_comparison_has_its_own_table(with_history):
    html = str(ejecucion_poa.comparison_table(with_history.history, 2024, 1, cumulative=True))
    assert "Cada producto en lo acumulado desde enero" in html and "ene-abr 2024" in html


def test_an_open_upper_limit_is_drawn_to_the_panels_top_and_says_so(with_history):
    import numpy as np

    table = with_history.table
    totals = with_history.history.totals.copy()
    current = (totals["anio"] == 2024) & totals[PRODUCT_KEY].isin(
        table.loc[table["programa"] == "94", PRODUCT_KEY]
    )
    totals.loc[current, ["proyeccion", "limite_inferior", "limite_superior"]] = [0.0, 0.0, np.inf]
    fig = figures.history_chart(totals, table, "94")
    assert "sin límite" in [t.get_text() for t in fig.axes[0].texts]
    assert np.isfinite(fig.axes[0].get_ylim()[1])


def test_the_record_tables_give_each_earlier_year_and_each_product_linked_to_its_projection(with_history):
    html = str(proyeccion.record_tables(with_history.history))
    assert "2021, con datos a abril" in html and "2023, con datos a abril" in html and "Todos" in html
    assert 'href="proyeccion.html#proyeccion-1"' in html
    assert "<details" in html and "Mediana del error del ritmo parejo" in html


def test_with_past_years_but_none_complete_the_sections_say_none_is_complete():
    import pandas as pd

    from pei_analysis.model import edition as report
    from tests.unit.model.history_cases import simulated_poa

    poa = simulated_poa()
    poa = poa[(poa["anio"] >= 2022)]
    poa = poa[~((poa["anio"] == 2023) & (poa["cuatrimestre"] == 3))]
    past = history.edition_history(poa, report.projection_table(poa, 2024, 1), 2024, 1)
    assert past.has_past and not past.has_profiles
    assert proyeccion.profile_text(past, 1).startswith("Los datos no tienen años anteriores completos:")
    assert proyeccion.record_text(past, 1).startswith("Los datos no tienen años anteriores completos:")
    assert isinstance(past.comparison, pd.DataFrame) and not past.comparison.empty


def test_an_annual_only_year_is_marked_in_its_column_heading_and_its_cells_say_why_there_is_no_figure():
    from pei_analysis.model import edition as report
    from tests.unit.model.history_cases import annual_totals, simulated_poa

    poa = simulated_poa()
    poa = poa[poa["anio"] != 2021]  # 2020 (annual only), 2022 and 2023 are the three most recent years
    past = history.edition_history(
        poa, report.projection_table(poa, 2024, 1), 2024, 1, annual=annual_totals()
    )
    html = str(ejecucion_poa.comparison_table(past, 2024, 1))
    assert "ene-abr 2020 (solo total anual)" in html and "sin datos (solo el total anual)" in html


def test_the_phone_history_figure_stacks_one_panel_a_row_with_letters_of_11px_or_more(with_history):
    table = with_history.table
    phone = figures.phone_figure(figures.history_chart(with_history.history.totals, table, "15"))
    panels = [ax for ax in phone.axes if ax.get_visible()]
    assert len(panels) == int((table["programa"] == "15").sum())
    assert phone.get_figwidth() == figures.PHONE_WIDTH
    assert len({round(ax.get_position().x0, 3) for ax in panels}) == 1  # one column
    phone.canvas.draw()
    texts = phone.findobj(lambda a: hasattr(a, "get_fontsize"))
    sizes = [t.get_fontsize() for t in texts if t.get_text().strip()]
    assert sizes and min(sizes) * 4 / 3 >= 11


def test_the_change_line_escapes_the_names_it_takes_from_the_data(with_history):
    past = with_history.history
    tampered = past.change.caidas.assign(nombre_corto="<b>*Vacunas*</b> [x](y)")
    text = ejecucion_poa.change_text(
        dataclasses.replace(past, change=dataclasses.replace(past.change, caidas=tampered)), 2024, 1
    )
    assert "Los que más cayeron" in text
    assert "<b>" not in text and "[x](y)" not in text
    assert "\\*Vacunas\\*" in text


def test_every_column_of_the_product_downloads_says_what_it_holds(shipped):
    """A column the catalogue adds (nombre_corto, unidad_medida) is described in the data package too."""
    tables = downloads.edition_exports(shipped)
    meanings = {**downloads.COLUMN_MEANINGS, **downloads.schema_meanings(shipped.poa_columns)}
    columns = tables["proyeccion_y_semaforo"].columns
    assert "unidad_medida" in columns
    assert [c for c in columns if c not in meanings] == []


@pytest.mark.parametrize("programa", ["11", "12", "15", "94"])
def test_every_history_figure_draws_all_its_text_inside_the_figure(with_history, programa):
    wide = figures.history_chart(with_history.history.totals, with_history.table, programa)
    for fig in (wide, figures.phone_figure(wide)):
        drawn, page = drawn_box(fig)
        assert page.x0 - 0.01 <= drawn.x0 and drawn.x1 <= page.x1 + 0.01, (programa, drawn, page)
        assert page.y0 - 0.01 <= drawn.y0 and drawn.y1 <= page.y1 + 0.01, (programa, drawn, page)


def test_the_profile_opening_says_why_the_products_without_a_profile_have_none():
    from types import SimpleNamespace

    import pandas as pd

    profile = pd.DataFrame(
        {
            "anios": [2, 2, 0, 0, 3],
            "cuota_media": [30.0, 31.0, float("nan"), float("nan"), float("nan")],
            "brecha_perfil_pp": [-1.0, 2.0, float("nan"), float("nan"), float("nan")],
        }
    )
    text = proyeccion.profile_text(SimpleNamespace(has_profiles=True, profile=profile), 1)
    assert "**1 de 2 productos con perfil van por debajo de él**." in text
    assert text.endswith(
        " 2 productos no tienen un año anterior completo. 1 producto no ejecutó nada en sus años "
        "anteriores completos: no tiene perfil."
    )
    both_zero = profile.assign(anios=[2, 2, 1, 1, 3])
    assert proyeccion.profile_text(SimpleNamespace(has_profiles=True, profile=both_zero), 1).endswith(
        "**. 3 productos no ejecutaron nada en sus años anteriores completos: no tienen perfil."
    )


def test_the_history_panels_tick_whole_units_even_when_a_product_counts_one_or_two(with_history):
    table = with_history.table
    for chart in (
        figures.history_chart(with_history.history.totals, table, "12"),
        figures.phone_figure(figures.history_chart(with_history.history.totals, table, "12")),
    ):
        chart.canvas.draw()
        small = [ax for ax in chart.axes if ax.get_visible() and 0 < ax.get_ylim()[1] < 5]
        assert small, "el programa 12 de la copia simulada ya no tiene un producto de metas de 1 a 3"
        for ax in (ax for ax in chart.axes if ax.get_visible()):
            ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
            assert all(float(t).is_integer() for t in ticks), (ax.get_title(), ticks)
