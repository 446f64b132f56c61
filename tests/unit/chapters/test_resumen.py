"""The executive summary's words (pei_analysis.chapters.resumen)."""

from __future__ import annotations

import copy
import re

import pandas as pd

from pei_analysis.chapters import resumen
from pei_analysis.format import fmt_int, fmt_pct
from pei_analysis.model import board
from pei_analysis.model import edition as report
from pei_analysis.model.projection import SIN_BASE
from pei_analysis.model.year_change import change_summary


def test_the_pace_intro_states_the_even_pace_and_counts_that_add_up_with_its_caveat(shipped):
    text = resumen.pace_intro(shipped)
    assert "el 33.3% de la meta" in text and "33.33%" not in text and "(enero-abril de 2024)" in text
    assert "De los 36 productos del POA 2024 en 4 programas" in text
    behind = int((shipped.table["brecha_pp"] < 0).sum())
    assert f"{36 - behind} llevan esa parte de su meta o más y {behind} menos" in text
    assert "Es solo una referencia" in text and "decide el semáforo" in text


def test_the_gaps_table_leads_with_pace_projection_and_semaforo_and_stacks_on_a_phone(shipped):
    html = str(resumen.gaps_table(shipped))
    assert 'class="tabla-pei tabla-apilada"' in html
    headings = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    leading = ["Producto", "Descripción", "% de avance", "Brecha (puntos)", "% proyectado", "Semáforo"]
    assert headings[:6] == leading
    shown = [int(n) for n in re.findall(r'#producto-(\d+)">\d+</a>', html)]
    assert shown == shipped.gaps["producto"].astype(int).tolist() and len(shown) >= 3
    assert html.count('data-etiqueta="Semáforo"') == len(shown)


def test_the_summarys_semaforo_figure_carries_caption_alt_text_counts_and_source(shipped):
    block = resumen.status_figure(shipped)
    assert block.name == "fig-resumen-semaforo" and block.csv_name == "grafico_resumen_semaforo.csv"
    assert block.caption.startswith("Productos del POA por estado del semáforo") and len(block.alt) > 40
    counts = report.status_counts(shipped.table)
    assert block.data["productos"].sum() == counts["productos"].sum() == len(shipped.table)
    assert block.source.startswith("Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024")


def test_the_board_has_one_card_per_off_track_product_in_the_boards_order(shipped, monkeypatch):
    monkeypatch.setattr(resumen, "BOARD_OPEN", 3)
    html = str(resumen.decision_board(shipped))
    expected = shipped.board.off_track["producto"].tolist()
    shown = [int(n) for n in re.findall(r'#producto-(\d+)">Producto', html)]
    assert shown == expected and len(expected) > 3
    opened, folded = html.split("<details", 1)
    assert opened.count('class="tarjeta"') == 3 and folded.count('class="tarjeta"') == len(expected) - 3


def test_a_card_gives_the_shortfall_in_the_products_unit_the_needed_pace_and_the_range(shipped):
    row = shipped.board.off_track.iloc[0]
    html = str(resumen.decision_board(shipped))
    assert (
        f"Le faltarían cerca de <strong>{fmt_int(row['faltante'])} {row['unidad_medida']}</strong> "
        f"({fmt_pct(row['faltante_pct'], 1)} de la meta"
    ) in html
    assert f"necesita {row['veces_ritmo']:.1f} veces su ritmo actual" in html
    assert f"Cerraría entre {fmt_int(row['limite_inferior'])} y {fmt_int(row['limite_superior'])}" in html


def test_payments_and_demand_products_read_as_fewer_payments_or_lower_demand_not_as_critical(shipped):
    html = str(resumen.decision_board(shipped))
    assert "menos pagos de lo previsto" in html and "menor demanda de lo previsto" in html
    assert "crítico" not in html


def test_two_off_track_products_with_the_same_opening_words_get_different_names(shipped):
    named = resumen.with_names(shipped)
    assert named["nombre"].is_unique


def test_a_product_without_a_unit_in_the_catalogue_says_units_and_that_the_catalogue_lacks_it(shipped):
    dataset = copy.copy(shipped)
    products = shipped.board.products.assign(unidad_medida="")
    dataset.board = board.Board(
        products,
        board.off_track(products),
        shipped.board.bases,
        shipped.board.next_cutoff,
    )
    html = str(resumen.decision_board(dataset))
    assert f"{resumen.NO_UNIT}</strong>" in html and "El catálogo no da su unidad de medida." in html


def test_a_needed_pace_not_above_the_current_one_is_not_called_needing_more():
    assert resumen.pace_text(0.9).startswith("le bastaría su ritmo actual (0.9 veces)")
    assert resumen.pace_text(1.64) == "necesita 1.6 veces su ritmo actual"


def test_the_main_points_are_three_to_five_sentences_that_lead_with_the_count_and_the_largest_shortfall(
    shipped,
):
    points = resumen.main_points(shipped).splitlines()
    assert 3 <= len(points) <= 5
    off = shipped.board.off_track
    assert (
        f"{len(off)} de los" in points[0] and "se proyectan por debajo del 90% de su meta anual" in points[0]
    )
    top = off.iloc[0]
    assert points[1].startswith(
        f"- El mayor faltante como parte de la meta es el del producto {int(top['producto'])}"
    )
    assert (
        f"{fmt_int(top['faltante'])} {top['unidad_medida']}, el {fmt_pct(top['faltante_pct'], 1)}"
        in points[1]
    )


def test_the_summary_says_nothing_rests_on_igss_history_when_the_data_hold_no_past_year(shipped):
    text = resumen.summary_points(shipped)
    assert "Ninguna proyección se apoya en la historia propia del IGSS" in text
    width = shipped.board.bases["medio_ancho_mediano_pct"].iloc[0]
    assert f"±{fmt_pct(width, 1)} de la proyección en la mediana" in text
    assert text.endswith("La próxima edición tendrá datos al 31 de agosto de 2024.")


def test_with_past_years_the_summary_counts_the_projections_resting_on_their_own_history(with_history):
    text = resumen.honesty_sentence(with_history)
    bases = with_history.board.bases.set_index("base")
    own = int(bases.loc[board.BASE_PROPIA, "productos"])
    assert own == len(with_history.table)  # every product of the simulated copy has past years
    assert f"Las {own} proyecciones se apoyan en la historia propia de su producto" in text
    assert "Ninguna" not in text


def test_the_line_above_the_cards_counts_the_products_that_would_close_short(shipped):
    scored = int(shipped.table["estado"].isin(report.SCORED_STATES).sum())
    text = resumen.board_intro(shipped)
    assert text.startswith(
        f"**{len(shipped.board.off_track)} de los {scored} productos calificados** cerrarían"
    )


def test_the_main_points_say_when_no_product_short_of_its_goal_is_programmed_production(shipped):
    off = shipped.board.off_track
    assert not (
        off["lectura"] == board.FALTA_PRODUCCION
    ).any()  # the shipped 2024-c1: demand and payments only
    demand = int((off["lectura"] == board.MENOR_DEMANDA).sum())
    assert f"Ninguno es de producción programada: {demand} se atienden a la demanda" in resumen.main_points(
        shipped
    )
    mixed = copy.copy(shipped)
    products = shipped.board.products.assign(lectura=board.FALTA_PRODUCCION)
    mixed.board = board.Board(
        products,
        board.off_track(products),
        shipped.board.bases,
        shipped.board.next_cutoff,
    )
    assert f"Los {len(off)} son de producción programada" in resumen.main_points(mixed)


def test_all_products_are_one_sortable_table_that_becomes_cards_on_a_phone(shipped):
    table = resumen.all_products_table(shipped).html
    assert 'class="tabla-pei tabla-interactiva tabla-apilada"' in table
    assert table.count("<tr") == len(shipped.table) + 1  # the heading and one row per product
    assert all(f'href="ejecucion_poa.html#producto-{p}"' in table for p in shipped.table["producto"])


def test_with_past_years_each_card_gives_last_years_total_and_the_goal_and_projection_against_it(
    with_history,
):
    off = resumen.with_names(with_history)
    assert len(off) and off["total_anterior"].notna().all()  # every simulated product has a whole 2023
    html = str(resumen.decision_board(with_history))
    for row in off.to_dict("records"):
        meta, proj = row["meta_vs_anterior_pct"], row["proyeccion_vs_anterior_pct"]
        line = (
            f"En {int(row['anio_anterior'])} registró {fmt_int(row['total_anterior'])} "
            f"{resumen.unit_of(row)} en todo el año: la meta es {fmt_pct(abs(meta), 1)} "
            f"{'mayor' if meta > 0 else 'menor'} y la "
            f"proyección, {fmt_pct(abs(proj), 1)} {'mayor' if proj > 0 else 'menor'}."
        )
        assert line in html, line


def test_without_past_years_the_cards_and_the_line_above_them_say_nothing_of_last_year(shipped):
    assert "registró" not in str(resumen.decision_board(shipped))
    assert "cerrarían con" not in resumen.board_intro(shipped)


def test_the_line_above_the_cards_says_how_many_would_close_with_as_much_as_last_year(with_history):
    off = with_history.board.off_track
    assert (off["proyeccion_vs_anterior_pct"] >= 0).all()  # the simulated copy: goals above its history
    assert resumen.board_intro(with_history).endswith(
        f"De los {len(off)}, todos cerrarían con tanto o más que en 2023: sus metas crecieron más que su "
        "producción."
    )


def _off(*changes, year=2023):
    """Off-track rows with only what :func:`resumen.last_year_sentence` reads (None: no earlier year)."""
    return pd.DataFrame(
        {
            "anio_anterior": [None if c is None else year for c in changes],
            "proyeccion_vs_anterior_pct": [float("nan") if c is None else c for c in changes],
        }
    )


def test_the_last_year_sentence_reads_right_for_one_all_none_or_some_products():
    assert resumen.last_year_sentence(_off(5.0)) == (
        "Ese producto cerraría con tanto o más que en 2023: su meta creció más que su producción."
    )
    assert resumen.last_year_sentence(_off(-5.0, None)) == (
        "El único con un año completo anterior cerraría con menos que en 2023."
    )
    assert resumen.last_year_sentence(_off(1.0, 0.0)) == (
        "De los 2, todos cerrarían con tanto o más que en 2023: sus metas crecieron más que su producción."
    )
    assert resumen.last_year_sentence(_off(-1.0, -2.0, None)) == (
        "De los 2 con un año completo anterior, todos cerrarían con menos que en 2023."
    )
    assert resumen.last_year_sentence(_off(3.0, -1.0, 2.0)) == (
        "De los 3, 2 cerrarían con tanto o más que en 2023 (sus metas crecieron más que su producción) y 1 "
        "con menos."
    )
    assert resumen.last_year_sentence(_off(None, None)) == ""
    assert resumen.last_year_sentence(pd.DataFrame({"producto": [1]})) == ""


def test_with_past_years_the_main_points_add_the_change_from_the_same_months_of_last_year(with_history):
    points = resumen.main_points(with_history).splitlines()
    summary = change_summary(with_history.history.comparison)
    line = (
        f"- De enero a abril de 2024, frente a los mismos meses de 2023: {summary.suben} de "
        f"{summary.comparados} productos registraron más, {summary.bajan} menos"
    )
    assert len(points) <= 6 and sum(p.startswith(line) for p in points) == 1
    assert "**" not in "".join(points)


def test_without_past_years_the_main_points_say_nothing_of_last_year(shipped):
    assert "frente a los mismos meses" not in resumen.main_points(shipped)


def test_the_summary_names_the_unscored_and_unprojected_products_once_when_they_are_the_same(shipped):
    flagged = shipped.flagged
    assert len(flagged) == 5 and flagged["proyeccion"].isna().all()  # 2024-c1: the same five products
    text = resumen.summary_points(shipped)
    assert (
        "- 5 productos no se califican como porcentaje (metas muy pequeñas o sin ejecución registrada en el "
        "año) y tampoco se proyectan: no tienen nada ejecutado ni años anteriores." in text
    )
    assert "no se proyectan" not in text and text.count("5 productos") == 1


def test_the_unscored_sentence_counts_apart_those_that_are_projected_all_the_same():
    rows = pd.DataFrame({"metodo": [SIN_BASE, "remanente", SIN_BASE]})
    assert resumen.unscored_sentence(rows) == (
        "3 productos no se califican como porcentaje: metas muy pequeñas o sin ejecución registrada en el "
        "año; 2 de ellos tampoco se proyectan: nada ejecutado y sin años anteriores."
    )
    assert resumen.unscored_sentence(rows.iloc[:2]).endswith(
        "; uno de ellos tampoco se proyecta: nada ejecutado y sin años anteriores."
    )
    assert resumen.unscored_sentence(rows.iloc[[1]]) == (
        "1 producto no se califica como porcentaje: metas muy pequeñas o sin ejecución registrada en el año."
    )
    assert resumen.unscored_sentence(rows.iloc[[0]]).endswith(
        "y tampoco se proyecta: no tiene nada ejecutado ni años anteriores."
    )
    assert resumen.unscored_sentence(rows.iloc[[]]) == ""


def test_the_pace_sentence_counts_those_needing_half_again_their_pace_out_of_the_off_track_ones():
    def sentence(*times):
        return resumen._pace_sentence(pd.DataFrame({"veces_ritmo": list(times)}))

    assert sentence(1.2, 1.6, 1.8, float("nan")) == (
        "Para cumplir su meta, la mitad de ellos necesitaría al menos 1.6 veces su ritmo actual en el resto "
        "del año; 2 de los 3 necesitan 1.5 veces o más."
    )
    assert sentence(1.2, 1.6).endswith("; 1 de los 2 necesita 1.5 veces o más.")
    assert sentence(1.2, 1.3).endswith("; ninguno necesita 1.5 veces o más.")
    assert sentence(1.5, 3.0).endswith("; los 2 necesitan 1.5 veces o más.")
    # counted as the cards print it: 1.47 reads «1.5 veces» there, so it counts; 1.44 reads «1.4»
    assert sentence(1.2, 1.47).endswith("; 1 de los 2 necesita 1.5 veces o más.")
    assert sentence(1.2, 1.44).endswith("; ninguno necesita 1.5 veces o más.")
    assert sentence(2.04) == "Para cumplir su meta necesitaría 2.0 veces su ritmo actual en el resto del año."
    assert sentence(float("nan")) == ""


def test_the_nature_sentence_names_only_the_causes_its_products_can_have():
    def sentence(*lecturas):
        return resumen._nature_sentence(pd.DataFrame({"lectura": list(lecturas)}))

    demand_only = sentence(board.MENOR_DEMANDA, board.MENOR_DEMANDA)
    assert demand_only == (
        "Ninguno es de producción programada: 2 se atienden a la demanda; en ellos, quedar por debajo puede "
        "deberse a menor demanda de lo previsto, no a un incumplimiento."
    )
    both = sentence(board.MENOR_DEMANDA, board.MENOS_PAGOS, board.FALTA_PRODUCCION)
    assert both.startswith("De ellos, 1 se atiende a la demanda y 1 es pago de prestaciones; ")
    assert "puede deberse a menor demanda o a menos pagos de lo previsto" in both
    assert "menor demanda" not in sentence(board.MENOS_PAGOS)
