"""How the book writes tables and text (pei_analysis.chapters.display): numbers, labels, escaping, links."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from pei_analysis.chapters import display as presentation
from pei_analysis.chapters import product_names
from pei_analysis.model import attainment


def test_short_labels_start_with_what_tells_sibling_products_apart():
    table = pd.DataFrame(
        {
            "programa": ["11", "11", "11"],
            "subprograma": ["02", "02", "02"],
            "producto": [3, 4, 5],
            "sigla": ["ENF"] * 3,
            "descripcion": [
                "Afiliados y pensionados egresados del servicio de hospitalización por "
                "enfermedad, atendidos. (ENF)",
                "Afiliados y pensionados atendidos en el servicio de consulta externa por enfermedad. (ENF)",
                "Afiliados y pensionados atendidos en el servicio de emergencia "
                "general por enfermedad. (ENF)",
            ],
        }
    )
    labels = product_names.short_labels(table).tolist()
    assert labels[0].startswith("3 ENF · Hospitalización por enfermedad")
    assert labels[1].startswith("4 ENF · Consulta externa por enfermedad")
    assert labels[2].startswith("5 ENF · Emergencia general por enfermedad")
    assert len(set(labels)) == 3


def test_short_description_drops_the_sigla_and_cuts_at_a_word():
    text = "Dosis de vacunas administradas a los afiliados y beneficiarios del Instituto (PREV)"
    assert product_names.short_description(text, 40) == "Dosis de vacunas administradas a los…"
    assert product_names.short_description("Corto (PREV)") == "Corto"


def test_html_table_writes_numbers_as_the_source_does_and_escapes_text_from_the_data():
    table = pd.DataFrame(
        {
            "producto": [4],
            "descripcion": ["<script>alert('x')</script> & consulta"],
            "programado": [3958200],
            "pct_avance": [34.554],
            "brecha_pp": [-3.06],
            "limite_superior": [math.inf],
            "estado": [attainment.EN_RIESGO],
            "estado_incierto": [True],
        }
    )
    out = str(
        presentation.html_table(
            table,
            [
                presentation.Column("producto", kind="int"),
                "descripcion",
                presentation.Column("programado", kind="int"),
                presentation.Column("pct_avance", kind="pct"),
                presentation.Column("brecha_pp", kind="pp"),
                presentation.Column("limite_superior", kind="int"),
                presentation.Column("estado", kind="status"),
            ],
            row_id="producto-{producto}",
            caption="Prueba <b>",
        )
    )
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "Prueba &lt;b&gt;" in out
    assert "3,958,200" in out and "34.6%" in out and ">-3.1<" in out and "sin límite" in out
    assert '<tr id="producto-4">' in out
    assert "! en riesgo (incierto)" in out
    assert '<th scope="col" class="num ">Programado (vigente)</th>' in out


def test_html_table_links_a_column_to_the_rows_own_anchor():
    out = str(
        presentation.html_table(
            pd.DataFrame({"producto": [4]}),
            [presentation.Column("producto", kind="int", link=presentation.PRODUCT_LINK)],
        )
    )
    assert '<a href="ejecucion_poa.html#producto-4">4</a>' in out


def test_html_table_writes_sin_datos_for_a_missing_number():
    out = str(presentation.html_table(pd.DataFrame({"x": [np.nan]}), [presentation.Column("x", kind="int")]))
    assert "sin datos" in out


def test_a_column_can_say_why_its_number_is_missing_and_it_still_sorts_last():
    table = pd.DataFrame({"proyeccion": [np.nan, 120.0], "bajo": [np.nan, 100.0], "alto": [np.nan, 150.0]})
    columns = [
        presentation.Column("proyeccion", kind="int", missing="no se proyecta"),
        presentation.Column("bajo", kind="range", end="alto", missing="no se proyecta"),
    ]
    out = str(presentation.html_table(table, columns, interactive=True))
    cells = re.findall(r'<td class="num[^"]*" data-valor="([^"]*)">(.*?)</td>', out)
    assert cells[:2] == [("", "no se proyecta"), ("", "no se proyecta")]
    assert cells[2] == ("120.0", "120") and "sin datos" not in out


def test_md_escape_makes_data_text_inert_in_markdown():
    text = presentation.md_escape("<img src=x onerror=alert(1)> *negrita* [enlace](http://x) `código`")
    assert "<img" not in text
    assert "\\*negrita\\*" in text and "\\[enlace\\]" in text and "\\`código\\`" in text


def test_an_interactive_table_carries_raw_values_to_sort_by_and_keeps_text_escaped():
    table = pd.DataFrame(
        {
            "producto": [10, 9],
            "descripcion": ["<script>alert(1)</script>", "Dosis de vacunas"],
            "programado": [1367720, np.nan],
            "limite_superior": [math.inf, 3.5],
            "estado": [attainment.CRITICO, attainment.SATISFACTORIO],
        }
    )
    out = str(
        presentation.html_table(
            table,
            [
                presentation.Column("producto", kind="int"),
                "descripcion",
                presentation.Column("programado", kind="int"),
                presentation.Column("limite_superior", kind="int"),
                presentation.Column("estado", kind="status"),
            ],
            row_id="producto-{producto}",
            interactive=True,
        )
    )
    assert 'class="tabla-pei tabla-interactiva"' in out
    assert '<tr id="producto-10">' in out and '<tr id="producto-9">' in out
    assert 'data-valor="1367720.0">1,367,720</td>' in out
    assert 'data-valor="">sin datos</td>' in out  # a missing number sorts last, shown as «sin datos»
    assert 'data-valor="1e308">sin límite</td>' in out
    order = presentation.STATUS_ORDER
    assert order[attainment.SATISFACTORIO] < order[attainment.CRITICO] < order[attainment.SIN_DATOS]
    assert f'data-valor="{order[attainment.CRITICO]}"' in out
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "data-valor" not in str(presentation.html_table(table, ["descripcion", "programado"]))


def test_a_range_column_writes_both_limits_in_one_cell_that_sorts_by_the_lower_one():
    table = pd.DataFrame(
        {"producto": [1, 2, 3], "bajo": [212234.4, np.nan, 5.0], "alto": [268014.0, 9.0, math.inf]}
    )
    column = presentation.Column("bajo", kind="range", end="alto", heading="Intervalo al 80%")
    out = str(presentation.html_table(table, ["producto", column], interactive=True, stacked=True))
    cells = re.findall(r'<td class="num rango[^"]*"([^>]*)>(.*?)</td>', out)
    assert len(cells) == 3
    ends = '<span class="extremo">212,234 a</span> <span class="extremo">268,014</span>'
    assert cells[0][1] == f"<span>{ends}</span>"
    assert 'data-valor="212234.4"' in cells[0][0] and 'data-etiqueta="Intervalo al 80%"' in cells[0][0]
    assert cells[1][1] == "sin datos" and 'data-valor=""' in cells[1][0]  # one end missing: no interval
    assert "5 a</span>" in cells[2][1] and ">sin límite</span>" in cells[2][1]
    assert '<th scope="col" class="num ">Intervalo al 80%</th>' in out
    assert presentation.range_text(1.0, 2.6) == "1 a 3"


def test_a_percentage_the_semaforo_does_not_score_reads_no_se_califica_and_sorts_last():
    table = pd.DataFrame(
        {
            "producto": [19, 28, 4, 7],
            "pct_proyectado": [0.0, 200.0, 112.6, np.nan],
            "estado": [
                attainment.SIN_EJECUCION,
                attainment.META_PEQUENA,
                attainment.SATISFACTORIO,
                attainment.SIN_DATOS,
            ],
        }
    )
    scored = presentation.Column("pct_proyectado", kind="pct", scored_only=True)
    out = str(presentation.html_table(table, ["producto", scored], interactive=True))
    cells = re.findall(r'<td class="num[^"]*" data-valor="([^"]*)">(.*?)</td>', out)
    assert cells == [("", "no se califica"), ("", "no se califica"), ("112.6", "112.6%"), ("", "sin datos")]
    plain = str(presentation.html_table(table, ["producto", "pct_proyectado"]))
    assert "no se califica" not in plain  # only a column that asks for it


def test_a_unit_goes_escaped_under_the_cell_text_and_nothing_goes_when_the_catalogue_has_none():
    table = pd.DataFrame({"descripcion": ["Consulta", "Nuevo", "Otro"], "u": ["<b>consultas</b>", "", None]})
    out = str(presentation.html_table(table, [presentation.Column("descripcion", unit="u")], stacked=True))
    cells = re.findall(r"<td [^>]*>(.*?)</td>", out)
    assert (
        cells[0] == '<span>Consulta <span class="unidad">unidad: &lt;b&gt;consultas&lt;/b&gt;</span></span>'
    )
    assert cells[1:] == ["Nuevo", "Otro"]


def test_table_cells_are_separated_so_search_never_glues_two_cells_into_one_word():
    out = str(
        presentation.html_table(
            pd.DataFrame({"x": [2], "d": ["Dosis"]}), [presentation.Column("x", kind="int"), "d"]
        )
    )
    text = re.sub(r"<[^<]+?>", "", out)  # what Sphinx's search index keeps of raw HTML
    assert re.search(r"\b2\s+Dosis\b", text)


def test_collapsible_folds_trusted_html_under_an_escaped_summary():
    inner = presentation.html_table(pd.DataFrame({"x": [1]}), ["x"])
    out = str(presentation.collapsible("Los <36> productos", inner))
    assert out.startswith('<details class="plegable"><summary>Los &lt;36&gt; productos</summary>')
    assert str(inner) in out and out.endswith("</details>")
    assert '<details class="plegable" open>' in str(presentation.collapsible("x", inner, open=True))


def test_a_short_column_cuts_a_long_description_and_keeps_the_whole_escaped_in_its_tooltip():
    long = (
        "Dosis de vacunas <b>administradas</b> a los afiliados, beneficiarios, "
        "pensionados, jubilados y otros (PREV)"
    )
    out = str(
        presentation.html_table(
            pd.DataFrame({"descripcion": [long]}), [presentation.Column("descripcion", kind="short")]
        )
    )
    shown = re.search(r'<span title="[^"]*">([^<]*)</span>', out).group(1)
    assert shown.startswith("Dosis de vacunas &lt;b&gt;administradas&lt;/b&gt;") and shown.endswith("…")
    assert len(shown) < len(long)
    assert (
        'title="Dosis de vacunas &lt;b&gt;administradas&lt;/b&gt; a los afiliados' in out and "<b>" not in out
    )


def test_a_short_column_never_shows_two_products_the_same_and_keeps_their_sigla():
    opening = "Beneficiario que recibe pago oportuno por cuota mortuoria por el fallecimiento de un"
    table = pd.DataFrame(
        {
            "sigla": ["EMA", "IVS", None],
            "descripcion": [
                f"{opening} afiliado por Enfermedad, Maternidad y Accidente, gestionado "
                "por personal administrativo.",
                f"{opening} pensionado por Invalidez, Vejez y Sobrevivencia, gestionado "
                "por personal administrativo.",
                "Intervenciones realizadas para la atención por la emergencia COVID-19",
            ],
        }
    )
    out = str(presentation.html_table(table, [presentation.Column("descripcion", kind="short")]))
    shown = re.findall(r'<span title="[^"]*">([^<]*)</span>', out)
    assert shown[0].startswith("Beneficiario que recibe… afiliado por Enfermedad") and shown[0].endswith(
        "(EMA)"
    )
    assert shown[1].startswith("Beneficiario que recibe… pensionado por Invalidez") and shown[1].endswith(
        "(IVS)"
    )
    assert shown[2] == "Intervenciones realizadas para la atención por la emergencia COVID-19"
    assert f'title="{opening} afiliado por Enfermedad' in out


def test_a_product_table_keeps_its_number_and_description_fixed_and_no_other_column():
    table = pd.DataFrame({"producto": [1], "descripcion": ["Raciones"], "programado": [10.0]})
    html = presentation.html_table(
        table, ["producto", "descripcion", presentation.Column("programado", kind="int")]
    ).html
    assert re.findall(r'<th scope="col" class="[^"]*\bfija (fija-\d)', html) == ["fija-1", "fija-2"]
    assert html.count("fija-1") == 2 and html.count("fija-2") == 2  # heading and cell
    other = presentation.html_table(table, ["descripcion", "producto"]).html
    assert "fija" not in other  # a table that does not start with the product has nothing to fix


def test_a_short_description_column_shows_the_catalogues_short_name_and_keeps_the_whole_in_a_tooltip(shipped):
    rows = shipped.table[shipped.table["producto"].isin([23, 27, 30, 36])]
    out = str(presentation.html_table(rows, [presentation.Column("descripcion", kind="short")]))
    for name in (
        "Cuota mortuoria EMA",
        "Cuota mortuoria IVS",
        "Cuota mortuoria PRECAPI",
        "Atención COVID-19",
    ):
        assert f">{name}</span>" in out
    assert 'title="Intervenciones realizadas para la atención por la emergencia COVID-19"' in out
    labels = product_names.short_labels(rows)
    assert labels.is_unique and labels.str.contains("COVID-19").sum() == 1


def test_a_product_without_a_short_name_falls_back_to_its_cut_description():
    rows = pd.DataFrame(
        {
            "producto": [1, 2],
            "programa": ["11", "11"],
            "subprograma": ["01", "01"],
            "descripcion": ["Raciones de prueba servidas a pacientes", "Consultas de prueba"],
            "nombre_corto": [None, "Consulta de prueba"],
        }
    )
    assert product_names.short_texts(rows, "descripcion").tolist() == [
        "Raciones de prueba servidas a pacientes",
        "Consulta de prueba",
    ]
    assert product_names.product_name(rows.iloc[0].to_dict()) == "Raciones de prueba servidas a pacientes"


def test_a_table_in_cards_labels_every_cell_and_is_marked_as_cards_on_every_screen():
    frame = pd.DataFrame({"producto": [1, 2], "razon": ["larga <b>", "otra"]})
    columns = [
        presentation.Column("producto", kind="int"),
        presentation.Column("razon", "Razón", css="ancho"),
    ]
    stacked = str(presentation.html_table(frame, columns, stacked=True))
    cards = str(presentation.html_table(frame, columns, cards=True))
    assert 'class="tabla-pei tabla-apilada"' in stacked  # cards only on a narrow screen
    assert 'class="tabla-pei tabla-apilada tabla-tarjetas"' in cards  # cards on every screen
    assert cards.count('data-etiqueta="Razón"') == 2 and cards.count('data-etiqueta="Producto"') == 2
    assert "larga &lt;b&gt;" in cards


def test_a_column_of_percentage_points_names_its_unit_once_in_the_heading_not_in_every_cell():
    table = pd.DataFrame({"brecha_pp": [-3.06], "brecha_perfil_pp": [4.81]})
    out = str(
        presentation.html_table(
            table,
            [
                presentation.Column("brecha_pp", kind="pp"),
                presentation.Column("brecha_perfil_pp", "Frente a su perfil", kind="pp"),
            ],
            stacked=True,
        )
    )
    assert ">Brecha (puntos)<" in out and ">Frente a su perfil (puntos)<" in out
    assert 'data-etiqueta="Frente a su perfil (puntos)"' in out  # a phone's card labels the cell with it
    assert ">-3.1<" in out and ">+4.8<" in out and "puntos puntos" not in out
    assert out.count("puntos") == 4  # two headings, two card labels


def test_a_gap_reads_as_the_difference_of_the_two_percentages_the_table_prints():
    table = pd.DataFrame({"pct_avance": [13.27, 40.0], "pct_esperado": [100 / 3] * 2})
    table["brecha_pp"] = table["pct_avance"] - table["pct_esperado"]
    html = str(
        presentation.html_table(
            table,
            [presentation.Column("pct_avance", kind="pct"), presentation.Column("brecha_pp", kind="pp")],
        )
    )
    assert "13.3%" in html and "-20.0" in html and "-20.1" not in html  # 13.3 − 33.3, as printed
    assert "+6.7" in html
    assert table["brecha_pp"].iloc[0] == 13.27 - 100 / 3  # the data keep the exact gap
