"""The PEI chapter's tables and tree (pei_analysis.chapters.pei), on the shipped plan and linkage."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pei_analysis.chapters import pei as pei_report
from pei_analysis.model import edition as report


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
    assert pei_report.fmt_indicator_value(value, unidad, tipo, sentido) == expected


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


def test_pei_tree_escapes_text_from_the_plan(shipped):
    edition, pei, linkage = shipped
    objetivos = pei.objetivos.copy()
    objetivos.loc[0, "nombre"] = "<script>x</script>"

    out = str(pei_report.pei_tree_html(replace(pei, objetivos=objetivos), linkage, edition.table))
    assert "<script>" not in out and "&lt;script&gt;x&lt;/script&gt;" in out


def test_pei_overview_counts_match_the_plan_and_the_linkage(shipped):
    edition, pei, linkage = shipped
    overview = pei_report.pei_overview(pei, linkage, edition.table)
    assert overview["metas"].sum() == len(pei.metas)
    assert overview["acciones"].sum() == len(pei.acciones)
    assert overview["metas_con_indicador"].sum() == len(pei.indicadores)
    by_objective = linkage.groupby("objetivo_id")["clave"].nunique()
    assert overview.set_index("objetivo_id")["productos_poa"].to_dict() == {
        o: int(by_objective.get(o, 0)) for o in pei.objetivos["objetivo_id"]
    }


def test_indicator_table_keeps_every_indicator_and_says_sin_datos_where_the_text_gives_none(shipped):
    _, pei, _ = shipped
    table = pei_report.indicator_table(pei)
    assert len(table) == len(pei.indicadores)
    assert table["linea_base"].str.contains("sin datos").any()
    assert table["linea_base"].str.contains("Q 39,238,919,512.27").any()


def test_indicator_progress_lists_every_indicator_with_sin_datos_where_nothing_was_observed():
    import datetime as dt

    from pei_analysis.model.indicators import indicator_progress
    from pei_analysis.tables.observations import OBSERVATION_COLUMNS
    from pei_analysis.tables.pei import load_pei

    pei = load_pei()
    meta = pei.indicadores.iloc[0]
    observed = pd.DataFrame(
        [[meta["meta_id"], pd.Timestamp("2020-12-31"), 10.0, meta["unidad"], "Fuente de prueba (simulada)", ""]],
        columns=OBSERVATION_COLUMNS,
    )
    table = pei_report.indicator_progress_table(pei, indicator_progress(pei, observed, as_of=dt.date(2024, 4, 30)))
    assert list(table["meta_id"]) == list(pei.indicadores["meta_id"])
    first, rest = table.iloc[0], table.iloc[1:]
    assert first["observaciones"] == 1 and first["ultimo_valor"].endswith("al 31 de diciembre de 2020")
    assert (rest["ultimo_valor"] == "sin datos").all() and (rest["estado"] == "sin datos").all()
    assert rest["brecha_cerrada"].isna().all()
