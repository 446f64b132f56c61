"""The PEI chapter tells the source's words from this publication's readings, filters the tree by unit
or partner, and shows every indicator's progress as a card (pei_analysis.chapters.pei)."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from pei_analysis.chapters import pei as pei_report
from pei_analysis.chapters import pei_indicators as pei_cards
from pei_analysis.chapters import pei_readings
from pei_analysis.model import edition as report
from pei_analysis.model.indicators import indicator_progress


@pytest.fixture(scope="module")
def shipped():
    from pei_analysis.tables.linkage import load_linkage
    from pei_analysis.tables.pei import load_pei

    return report.load_edition(2024, 1), load_pei(), load_linkage()


def _obs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["meta_id", "fecha", "valor"])


def test_the_chapter_says_the_plan_ended_in_2022_and_the_links_are_this_publications_reading(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.plan_horizon_html(pei, 2024))
    assert "terminó en 2022" in out and "POA 2024" in out
    assert "lectura de esta publicación, no una alineación oficial" in out
    assert 'data-lectura="tipos-vinculo"' in out and 'data-lectura="comparacion-poa-2024"' in out


def test_the_plans_horizon_is_said_only_by_its_reading_with_no_prose_repeating_it(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.plan_horizon_html(pei, 2024))
    assert out.count("terminó en 2022") == 1
    assert out.count("no una alineación oficial") == 1
    assert re.search(r'data-lectura="comparacion-poa-2024"[^<]*><p>.*terminó en 2022', out)


def test_an_edition_within_the_plans_period_has_no_horizon_to_explain_but_keeps_the_links_note(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.plan_horizon_html(pei, 2021))
    assert "comparacion-poa-2024" not in out and "terminó" not in out
    assert 'data-lectura="tipos-vinculo"' in out


def test_mission_and_vision_carry_the_low_confidence_note_on_which_is_which(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.mission_vision_html(pei))
    assert "Ser la institución líder" in out and "Para el año 2022" in out
    assert 'data-lectura="mision-vision" data-confianza="baja"' in out
    assert "Lectura de esta publicación" in out and "(confianza baja)" in out


def test_the_eje_map_note_mentions_the_second_graphic(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.ejes_reading_html(pei))
    assert 'data-lectura="mapa-ejes"' in out and "209-229" in out


def test_every_interpretation_is_listed_with_its_confidence(shipped):
    _, pei, _ = shipped
    out = str(pei_readings.interpretations_table(pei))
    for row in pei.interpretaciones.itertuples():
        assert f'id="lectura-tabla-{row.interpretacion_id}"' in out
    assert out.count("<tr id=") == len(pei.interpretaciones)
    assert "tabla-apilada" in out  # a card per reading on a phone: its reason was off screen


def test_the_tree_shows_deadlines_and_named_units_under_their_element(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    meta = out[out.index('<li id="O4-E2-M1"') :]
    assert "Plazo: «para el primer semestre del 2018» (hasta 30 de junio de 2018)" in meta[:600]
    action = out[out.index('<li id="O4-E2-M1-AE1"') :]
    assert action.startswith('<li id="O4-E2-M1-AE1" data-actores="Contraloría General del IGSS">')
    assert "Nombra a: Contraloría General del IGSS." in action[:800]


def test_every_named_unit_is_in_the_tree_filter_and_on_each_element_that_names_it(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    offered = set(re.findall(r'<li data-actor="([^"]+)">', out))
    assert offered == {n.replace("&", "&amp;") for n in pei.actores["actor"]}
    for element, names in pei.actores.groupby("elemento_id")["actor"]:
        attribute = re.search(rf'<li id="{re.escape(element)}" data-actores="([^"]*)"', out)
        assert attribute is not None, element
        assert set(attribute.group(1).split("|")) == set(names), element
    assert '<ul class="pei-filtro-actores" hidden>' in out  # without JS the list stays out of sight


def test_the_tree_puts_an_element_reading_beside_its_strategy(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    strategy = out[out.index('id="O1-E2.1"') :]
    assert 'data-lectura="acciones-o1-e2-1"' in strategy[:2000]


def test_the_filter_script_is_in_the_book_and_uses_no_network():
    from pei_analysis.paths import REPO_DIR as REPO_ROOT

    script = (REPO_ROOT / "book" / "_static" / "arbol_pei.js").read_text(encoding="utf-8")
    config = (REPO_ROOT / "book" / "_config.yml").read_text(encoding="utf-8")
    assert "arbol_pei.js" in config
    assert "http" not in script and "innerHTML" not in script and "data-actores" in script


def test_every_indicator_has_a_card_that_says_sin_datos_without_observations(shipped):
    _, pei, _ = shipped
    progress = indicator_progress(pei, _obs())
    out = str(pei_cards.indicator_cards_html(pei, progress))
    assert out.count('<article class="pei-tarjeta"') == len(pei.indicadores) == 12
    for meta_id in pei.indicadores["meta_id"]:
        card = out[out.index(f'id="avance-{meta_id}"') :]
        card = card[: card.index("</article>")]
        assert "Línea base → meta" in card and "Brecha cerrada" in card and "Tendencia al año meta" in card
        assert 'data-estado="sin datos"' in out[out.index(f'id="avance-{meta_id}"') - 60 :][:200]
    assert 'data-lectura="indicadores-derivados"' in out


def test_a_card_shows_the_gap_closed_the_milestone_due_and_the_reading_of_its_meta(shipped):
    _, pei, _ = shipped
    progress = indicator_progress(pei, _obs(("O3-E2-M2", "2019-12-31", -50.0)))
    out = str(pei_cards.indicator_cards_html(pei, progress))
    card = out[out.index('id="avance-O3-E2-M2"') :]
    card = card[: card.index("</article>")]
    assert "<dt>Brecha cerrada</dt><dd>50.0%</dd>" in card
    assert "<dt>Lo que pedía a esa fecha</dt><dd>60.0%</dd>" in card
    assert "<dt>Estado</dt><dd>rezagada</dd>" in card
    assert 'data-lectura="indicador-o3-e2-m2-hitos"' in card


def test_a_card_keeps_the_year_of_the_debt_meta_as_a_deadline(shipped):
    _, pei, _ = shipped
    out = str(pei_cards.indicator_cards_html(pei, indicator_progress(pei, _obs())))
    card = out[out.index('id="avance-O2-E3-M1"') :]
    card = card[: card.index("</article>")]
    assert "«para el año 2019» (hasta 2019)" in card and "plazo: 2019" not in card
    assert "disminuir (el texto no fija hasta cuánto)" in card


def test_readings_and_cards_escape_text_from_the_plan(shipped):
    _, pei, _ = shipped
    readings = pei.interpretaciones.copy()
    readings.loc[readings["afecta"] == "mision_vision", "interpretacion"] = "<script>x</script>"
    out = str(pei_readings.mission_vision_html(replace(pei, interpretaciones=readings)))
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_a_card_says_whether_the_threshold_itself_meets_the_meta(shipped):
    _, pei, _ = shipped
    out = str(pei_cards.indicator_cards_html(pei, indicator_progress(pei, _obs())))
    surplus = out[out.index('id="avance-O2-E5-M1"') :]
    debt = out[out.index('id="avance-O2-E2-M4"') :]
    assert (
        "mantenerse por encima de la meta (la meta misma no cumple)" in surplus[: surplus.index("</article>")]
    )
    assert "no superar la meta (la meta misma cumple)" in debt[: debt.index("</article>")]
