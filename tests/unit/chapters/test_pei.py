"""The PEI chapter's tables and tree (pei_analysis.chapters.pei), on the shipped plan and linkage."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from pei_analysis.chapters import pei as pei_report
from pei_analysis.chapters import pei_indicators as pei_cards
from pei_analysis.chapters import pei_links
from pei_analysis.model import edition as report
from pei_analysis.tables.poa import PRODUCT_KEY


@pytest.mark.parametrize(
    ("value", "unidad", "tipo", "sentido", "expected"),
    [
        (39238919512.27, "quetzales", "nivel", "disminuir", "Q 39,238,919,512.27"),
        (25.0, "porcentaje", "variacion_porcentual", "disminuir", "-25%"),
        (15.0, "porcentaje", "variacion_porcentual", "aumentar", "+15%"),
        (50.0, "días", "nivel", "disminuir", "50 días"),
        (12.5, "porcentaje", "nivel", "aumentar", "12.5%"),
        (float("nan"), "días", "nivel", "disminuir", "sin datos"),
    ],
)
def test_indicator_values_are_written_in_their_unit(value, unidad, tipo, sentido, expected):
    assert pei_cards.fmt_indicator_value(value, unidad, tipo, sentido) == expected


@pytest.fixture(scope="module")
def shipped():
    from pei_analysis.tables.linkage import load_linkage
    from pei_analysis.tables.pei import load_pei

    return report.load_edition(2024, 1), load_pei(), load_linkage()


def test_pei_tree_has_an_anchor_for_every_objective_strategy_meta_and_action(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    assert out.count('<details class="pei-objetivo"') == len(pei.objetivos)
    for ids in (pei.estrategias["estrategia_id"], pei.metas["meta_id"], pei.acciones["accion_id"]):
        for element in ids:
            assert f'id="{element}"' in out
    number = edition.table.set_index("clave")["producto"]
    for clave in linkage["clave"].unique():  # a link names the key; the reader sees this year's number
        assert f'href="ejecucion_poa.html#producto-{int(number[clave])}"' in out


def test_the_pei_tables_are_cards_on_a_phone_with_an_anchor_per_strategy_and_per_meta(shipped):
    edition, pei, linkage = shipped
    tables = {
        "objetivos": pei_report.overview_table(pei, linkage, edition.table),
        "estrategias": pei_report.strategy_table(pei, linkage, edition.table),
        "metas": pei_cards.targets_table(pei),
        "vínculos": pei_links.links_table(linkage, edition.table, pei),
    }
    for name, table in tables.items():
        assert "tabla-apilada" in str(table), name
    assert (
        str(tables["objetivos"]).count("<tr") == len(pei.objetivos) + 1
    )  # the heading and one per objective
    for strategy in pei.estrategias["estrategia_id"]:
        assert f'id="estrategia-{strategy}"' in str(tables["estrategias"])
    for meta in pei.indicadores["meta_id"]:
        assert f'id="indicador-{meta}"' in str(tables["metas"])
    assert (
        "tabla-interactiva" in str(tables["vínculos"])
        and str(tables["vínculos"]).count("<tr") == len(linkage) + 1
    )


def test_pei_tree_escapes_text_from_the_plan(shipped):
    edition, pei, linkage = shipped
    objetivos = pei.objetivos.copy()
    objetivos.loc[0, "nombre"] = "<script>x</script>"

    out = str(pei_report.pei_tree_html(replace(pei, objetivos=objetivos), linkage, edition.table))
    assert "<script>" not in out and "&lt;script&gt;x&lt;/script&gt;" in out


def test_pei_overview_counts_match_the_plan_and_the_direct_links(shipped):
    edition, pei, linkage = shipped
    overview = pei_report.pei_overview(pei, linkage, edition.table)
    assert overview["metas"].sum() == len(pei.metas)
    assert overview["acciones"].sum() == len(pei.acciones)
    assert overview["metas_con_indicador"].sum() == len(pei.indicadores)
    direct = linkage[linkage["tipo"] == "contribucion_directa"].groupby("objetivo_id")["clave"].nunique()
    assert overview.set_index("objetivo_id")["productos_directos"].to_dict() == {
        o: int(direct.get(o, 0)) for o in pei.objetivos["objetivo_id"]
    }


def test_objectives_served_only_by_context_links_show_no_figure_in_the_shipped_book(shipped):
    # Issue #21: O1 had a 0 % from four PRECAPI products and O2 33.5 % from care for State retirees.
    edition, pei, linkage = shipped
    overview = pei_report.pei_overview(pei, linkage, edition.table).set_index("objetivo_id")
    for objective in ("O1", "O2"):
        assert overview.loc[objective, "avance"] == pei_report.NO_DIRECT_TEXT
        assert overview.loc[objective, "semaforo"] == overview.loc[objective, "productos"] == "—"
        assert "contexto" in overview.loc[objective, "otros_vinculos"]


def _made_up(tipo_o1: str):
    """The shipped plan with two made-up products (NOT IGSS figures) and links to O1 and O3."""
    table = pd.DataFrame(
        {
            "clave": ["A", "B"],
            "producto": [1, 2],
            "nombre_corto": ["Uno", "Dos"],
            "pct_avance": [0.0, 40.0],
            "estado": ["crítico", "satisfactorio"],
            "estado_incierto": [False, False],
        }
    )
    links = pd.DataFrame(
        {
            "clave": ["A", "B"],
            "objetivo_id": ["O1", "O3"],
            "estrategia_id": [None, "O3-E1"],
            "meta_id": [None, None],
            "tipo": [tipo_o1, "contribucion_directa"],
            "razon": ["«a» «b»"] * 2,
            "fuente_externa": ["no", "no"],
        }
    )
    return links, table


def test_an_objective_with_only_context_links_says_sin_productos_vinculados_directamente(shipped):
    _, pei, _ = shipped
    links, table = _made_up("contexto")
    overview = pei_report.pei_overview(pei, links, table).set_index("objetivo_id")
    assert overview.loc["O1", "avance"] == "sin productos vinculados directamente"
    assert overview.loc["O1", "semaforo"] == "—"  # no semáforo drawn from the context link
    assert overview.loc["O1", "productos_directos"] == 0
    assert "0" not in overview.loc["O1", "avance"]  # the 0 % of product A is not shown as the objective's
    assert overview.loc["O3", "avance"] == "40.0%"
    assert overview.loc["O3", "productos"] == "2 Dos"


def test_the_same_product_linked_directly_gives_the_objective_its_figure(shipped):
    _, pei, _ = shipped
    links, table = _made_up("contribucion_directa")
    overview = pei_report.pei_overview(pei, links, table).set_index("objetivo_id")
    assert overview.loc["O1", "avance"] == "0.0%"
    assert overview.loc["O1", "productos"] == "1 Uno"


def test_strategy_overview_names_the_products_behind_each_figure(shipped):
    _, pei, _ = shipped
    links, table = _made_up("contexto")
    strategies = pei_report.strategy_overview(pei, links, table).set_index("estrategia_id")
    assert len(strategies) == len(pei.estrategias)
    assert strategies.loc["O3-E1", "productos"] == "2 Dos"
    assert strategies.loc["O3-E1", "productos_directos"] == 1
    assert strategies.loc["O3-E2", "avance"] == pei_report.NO_DIRECT_TEXT


def test_the_link_table_writes_each_link_type_in_words(shipped):
    edition, pei, linkage = shipped
    table = pei_links.linked_products(linkage, edition.table, pei)
    assert set(table["tipo"]) == {"contribución directa", "apoyo", "contexto"}
    assert len(table) == len(linkage)
    first_of_o3 = table[table["objetivo_id"] == "O3"]["tipo"].iloc[0]
    assert first_of_o3 == "contribución directa"  # the links a figure rests on come first
    o1 = table[table["objetivo_id"] == "O1"]
    assert set(o1["elemento"]) == {"el objetivo en general"}  # PRECAPI: no strategy of O1 names it
    assert "O3-E1-M2" in set(table["elemento"])


def test_the_link_table_shows_each_links_confidence_in_words_beside_its_type(shipped):
    edition, pei, linkage = shipped
    table = pei_links.linked_products(linkage, edition.table, pei)
    columns = list(table.columns)
    assert columns.index("confianza") == columns.index("tipo") + 1
    assert set(table["confianza"]) == {"alta", "media", "baja"}
    ids = [PRODUCT_KEY, "objetivo_id", "estrategia_id", "meta_id"]
    pairs = table[[*ids, "confianza"]].merge(linkage[[*ids, "confianza"]], on=ids, suffixes=("", "_csv"))
    assert len(pairs) == len(linkage)
    assert (pairs["confianza"] == pairs["confianza_csv"]).all()  # each link keeps its own confidence
    precapi_coverage = table[(table[PRODUCT_KEY] == "12-21-SN-1") & (table["objetivo_id"] == "O1")]
    assert precapi_coverage["confianza"].item() == "baja"


def test_the_confidence_of_a_direct_link_does_not_change_the_objectives_figures(shipped):
    edition, pei, linkage = shipped
    before = pei_report.pei_overview(pei, linkage, edition.table)
    all_low = linkage.assign(confianza="baja")
    assert before.equals(pei_report.pei_overview(pei, all_low, edition.table))


def test_the_tree_gives_each_linked_product_its_links_confidence(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    meta = out[out.index('id="O3-E2-M3"') : out.index('id="O3-E3"')]  # the last meta of O3-E2
    assert "confianza del vínculo alta" in meta  # «subsidios por incapacidad temporal», products 18-19
    assert "confianza del vínculo media" in meta  # mixed with pensions or permanent incapacity
    objective_1 = out[out.index('id="O1"') : out.index('id="O2"')]
    assert "confianza del vínculo baja" in objective_1 and "confianza del vínculo alta" not in objective_1


def test_the_tree_labels_each_linked_product_with_its_link_type(shipped):
    edition, pei, linkage = shipped
    out = str(pei_report.pei_tree_html(pei, linkage, edition.table))
    assert "Productos del POA vinculados (contribución directa)" in out
    assert "Productos del POA vinculados (contexto)" in out
    objective_1 = out[out.index('id="O1"') : out.index('id="O2"')]
    assert "sin productos vinculados directamente" in objective_1


def test_the_chapter_says_the_links_are_this_publications_reading():
    sentence = pei_links.links_are_a_reading()
    assert "lectura" in sentence and "no una alineación oficial" in sentence


def test_indicator_table_keeps_every_indicator_and_says_sin_datos_where_the_text_gives_none(shipped):
    _, pei, _ = shipped
    table = pei_cards.indicator_table(pei)
    assert len(table) == len(pei.indicadores)
    assert table["linea_base"].str.contains("sin datos").any()
    assert table["linea_base"].str.contains("Q 39,238,919,512.27").any()
    # the text dates a baseline or sets a deadline without giving the figure: «sin datos», with the date
    rows = table.set_index("meta_id")
    assert rows.loc["O2-E2-M1", "linea_base"] == "sin datos (saldo al 31 de diciembre de 2017)"
    assert rows.loc["O2-E3-M1", "meta_cuantitativa"] == "sin datos"
    assert not table.apply(lambda c: c.astype(str).str.contains("no da|no dado")).any().any()


def test_every_indicator_has_a_progress_card_with_sin_datos_where_nothing_was_observed():
    import datetime as dt

    from pei_analysis.model.indicators import indicator_progress
    from pei_analysis.tables.observations import OBSERVATION_COLUMNS
    from pei_analysis.tables.pei import load_pei

    pei = load_pei()
    meta = pei.indicadores.iloc[0]
    observed = pd.DataFrame(
        [
            [
                meta["meta_id"],
                pd.Timestamp("2020-12-31"),
                10.0,
                meta["unidad"],
                "Fuente de prueba (simulada)",
                "",
            ]
        ],
        columns=OBSERVATION_COLUMNS,
    )
    out = str(
        pei_cards.indicator_cards_html(pei, indicator_progress(pei, observed, as_of=dt.date(2024, 4, 30)))
    )
    cards = re.findall(
        r'<article class="pei-tarjeta" id="avance-([^"]+)" data-estado="([^"]+)">(.*?)</article>', out
    )
    assert [c[0] for c in cards] == list(pei.indicadores["meta_id"])
    (_, _, first), rest = cards[0], cards[1:]
    assert "<dt>Último valor observado</dt><dd>" in first and "al 31 de diciembre de 2020</dd>" in first
    assert all(state == "sin datos" for _, state, _ in rest)
    assert all("<dd>sin datos (ninguna observación citada)</dd>" in card for _, _, card in rest)
    assert all("<dt>Brecha cerrada</dt><dd>sin datos</dd>" in card for _, _, card in rest)


def test_every_warning_the_model_can_raise_has_its_sentence_and_a_card_joins_them_in_order():
    from pei_analysis.model import indicators as ind

    assert set(pei_cards.AVISO_TEXT) == set(ind.AVISOS)
    assert pei_cards.warnings_text((ind.SIN_OBSERVACIONES, ind.SIN_ANIO_META)) == (
        "sin datos: ninguna observación con fuente citada; "
        "sin año meta: el PEI no fija el año, no hay trayectoria ni tendencia al plazo"
    )


def test_a_card_says_what_is_missing_only_when_the_model_flags_something(shipped):
    from pei_analysis.model.indicators import indicator_progress
    from pei_analysis.tables.observations import load_observations
    from pei_analysis.tables.pei import load_pei

    pei = load_pei()
    progress = indicator_progress(pei, load_observations())
    out = str(pei_cards.indicator_cards_html(pei, progress))
    assert out.count("<dt>Qué falta</dt>") == int(progress["avisos"].map(len).gt(0).sum()) > 0
    assert "<dd>sin datos: ninguna observación con fuente citada" in out


def test_the_objectives_summary_names_the_products_behind_each_figure_or_says_there_are_none(shipped):
    _, pei, _ = shipped
    links, table = _made_up("contexto")
    lines = pei_report.objectives_summary(pei, links, table).split("\n")
    assert len(lines) == len(pei.objetivos)
    assert "sin productos vinculados directamente" in lines[0] and "1 de contexto" in lines[0]
    assert "%" not in lines[0]
    o3 = next(line for line in lines if "Prestaciones de Calidad" in line)
    assert "1 producto con contribución directa" in o3 and "40\\.0%" in o3 and "2 Dos" in o3


def test_the_eje_map_is_a_matrix_of_marks_that_a_phone_reads_as_a_card_per_eje(shipped):
    _, pei, _ = shipped
    out = str(pei_report.ejes_table(pei))
    assert '<table class="tabla-pei matriz tabla-apilada">' in out
    marks = re.findall(r'data-etiqueta="(O\d)[^"]*">(✔?)</td>', out)
    assert {mark for _, mark in marks} == {"✔", ""}  # an empty cell stays empty: its card leaves it out
