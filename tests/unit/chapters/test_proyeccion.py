"""The projection chapter's words and per-program sections (pei_analysis.chapters.proyeccion)."""

from __future__ import annotations

import html

import pandas as pd

from pei_analysis.chapters import proyeccion
from pei_analysis.chapters.display import HtmlTable
from pei_analysis.chapters.methods import INTERVAL_DESCRIPTIONS, METHOD_DESCRIPTIONS, with_method_labels
from pei_analysis.chapters.sections import FigureBlock
from pei_analysis.model import attainment


def test_thresholds_table_describes_the_rules_with_the_thresholds_in_use():
    rules = proyeccion.thresholds_table(attainment.Thresholds(satisfactory=85, at_risk=60)).set_index(
        "estado"
    )["regla"]
    assert "85%" in rules[attainment.SATISFACTORIO]
    assert "menor que 60%" in rules[attainment.CRITICO]
    assert list(rules.index) == list(attainment.ESTADOS)


def test_a_threshold_with_decimals_reads_the_same_in_the_rules_and_in_the_notes_as_the_analyst_set_it():
    from pei_analysis.chapters.status_notes import status_note

    thresholds = attainment.Thresholds(satisfactory=92.5, at_risk=60, small_target=7.5)
    rules = proyeccion.thresholds_table(thresholds).set_index("estado")["regla"]
    assert rules[attainment.SATISFACTORIO] == "proyección de 92.5% a 120%"
    assert rules[attainment.META_PEQUENA].startswith("programado menor que 7.5:")
    row = {
        "estado": attainment.EN_RIESGO,
        "estado_incierto": False,
        "programado": 100,
        "pct_proyectado": 80.0,
    }
    assert status_note(row, thresholds).endswith("(entre 60% y 92.5%).")


def test_projection_overview_states_the_cut_off_the_level_and_counts_that_add_up(shipped):
    text = proyeccion.projection_overview(shipped)
    assert "hasta el **30 de abril de 2024**" in text
    assert "predicción al 80%" in text
    assert (
        f"{int((~shipped.table['estado'].isin(proyeccion.SCORED_STATES)).sum())} productos no se califican"
        in text
    )


def test_the_overview_names_the_methods_that_projected_and_says_apart_which_products_were_not(shipped):
    text = proyeccion.projection_overview(shipped)
    assert (
        "Método: «parte típica del año, sin historia propia \\(intervalo\\: series de referencia\\)»;" in text
    )
    assert "«no se proyecta" not in text
    assert text.endswith(
        "5 productos no se proyectan: no tienen nada ejecutado en lo que va del año ni años anteriores."
    )


def test_one_projection_section_per_program_with_its_anchors_caption_and_alt_text(shipped):
    sections = proyeccion.program_sections(shipped)
    assert [s.heading for s in sections] == [
        "## Programa 11",
        "## Programa 12",
        "## Programa 15",
        "## Programa 94",
    ]
    for section in sections:
        programa = section.heading.split()[-1]
        figure, table = section.blocks
        assert isinstance(figure, FigureBlock) and isinstance(table, HtmlTable)
        assert figure.name == f"fig-proyeccion-{programa}"
        assert figure.caption.startswith(f"Programa {programa}: producción proyectada al cierre")
        assert f"uno por producto del programa {programa}," in figure.alt and len(figure.alt) > 40
        products = shipped.table.loc[shipped.table["programa"] == programa, "producto"]
        assert all(f'id="proyeccion-{p}"' in table.html for p in products)


def test_each_program_table_names_its_products_by_short_name_with_the_whole_description_in_the_title(shipped):
    tables = "".join(section.blocks[1].html for section in proyeccion.program_sections(shipped))
    for row in shipped.table.to_dict("records"):
        assert f'title="{html.escape(row["descripcion"])}">{html.escape(row["nombre_corto"])}' in tables
    assert sum(tables.count(f">{html.escape(d)}<") for d in shipped.table["descripcion"]) == 0


def test_the_methods_used_are_counted_by_the_name_readers_see_and_cover_every_product(shipped):
    methods = proyeccion.methods_used(shipped.table)
    assert methods["productos"].sum() == len(shipped.table)
    assert methods["metodo"].is_unique
    assert set(methods["metodo"]) == set(with_method_labels(shipped.table)["metodo"])
    assert not set(methods["metodo"]) & {"ritmo", "perfil", "suavizado"}  # names, not the engine's codes
    # the shipped edition has no past years: every product rests on the reference series, but the five
    # with nothing executed, which are not projected
    described = dict(zip(methods["descripcion"], methods["productos"], strict=True))
    assert described == {
        f"{METHOD_DESCRIPTIONS['ritmo']} {INTERVAL_DESCRIPTIONS['referencia']}": 31,
        METHOD_DESCRIPTIONS["sin_base"]: 5,
    }


def test_the_projection_table_shows_the_percentage_and_the_semaforo_right_after_the_product():
    """At 1280 px only the first columns show without scrolling: they must be the ones a reader looks for."""
    fields = [c.field if hasattr(c, "field") else c for c in proyeccion.COLUMNS]
    assert fields[:4] == ["producto", "descripcion", "pct_proyectado", "estado"]


def test_the_projection_table_puts_the_figures_behind_the_percentage_before_the_note_with_one_interval_column(
    shipped,
):
    """Programado and the projection (what the % divides), then the interval: all in view at 1280 px."""
    columns = proyeccion.table_columns(0.8)
    assert [c.field for c in columns][4:] == [
        "programado",
        "proyeccion",
        "limite_inferior",
        "ejecutado_acumulado",
        "nota",
    ]
    assert columns[6].kind == "range" and columns[6].end == "limite_superior"
    assert columns[6].title() == "Intervalo al 80%"
    assert proyeccion.table_columns(0.9)[6].title() == "Intervalo al 90%"
    table = proyeccion.program_sections(shipped)[0].blocks[-1].html
    row = shipped.table[shipped.table["producto"] == 1].iloc[0]
    low, high = (f"{round(row[c]):,}" for c in ("limite_inferior", "limite_superior"))
    assert f'<span class="extremo">{low} a</span> <span class="extremo">{high}</span>' in table
    assert "Límite inferior" not in table and ">Intervalo al 80%</th>" in table


def test_the_projection_chapter_opens_saying_nothing_rests_on_igss_history_in_the_shipped_data(shipped):
    assert "Ninguna proyección se apoya en la historia propia del IGSS" in proyeccion.projection_overview(
        shipped
    )


def test_with_past_years_the_projection_chapter_says_how_many_rest_on_their_own_history(with_history):
    text = proyeccion.projection_overview(with_history)
    assert "se apoyan en la historia propia de su producto" in text
    assert "Ninguna proyección se apoya" not in text


def test_the_overview_names_few_methods_one_by_one_and_many_by_the_commonest():
    few = pd.DataFrame({"metodo": ["ritmo", "año completo"], "productos": [30, 1]})
    assert proyeccion.methods_phrase(few) == "«ritmo», «año completo»"
    many = pd.DataFrame(
        {"metodo": ["perfil medio", "remanente", "suavizado", "combinación"], "productos": [24, 5, 4, 2]}
    )
    assert proyeccion.methods_phrase(many.head(3)).endswith(
        "de 33 productos, y otros 2 métodos en los 9 restantes (en la tabla «Método de proyección usado», "
        "con lo que hace cada uno)"
    )
    assert proyeccion.methods_phrase(many) == (
        "«perfil medio» en 24 de 35 productos, y otros 3 métodos en los 11 restantes (en la tabla «Método "
        "de proyección usado», con lo que hace cada uno)"
    )
