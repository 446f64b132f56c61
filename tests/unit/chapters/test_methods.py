"""Nombres de los métodos de proyección: los códigos del motor se leen con las mismas palabras de siempre."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pei_analysis.chapters import methods
from pei_analysis.chapters.methods import (
    INTERVAL_DESCRIPTIONS,
    METHOD_DESCRIPTIONS,
    method_label,
    method_labels,
    with_method_labels,
)
from pei_analysis.model.projection import (
    INTERVALO_OTRAS_SERIES,
    INTERVALO_REFERENCIA,
    INTERVALS,
    METHODS,
    PERFIL,
    REMANENTE,
    RITMO,
    SUAVIZADO,
    project_year_end,
)
from pei_analysis.paths import REPO_DIR

from .method_label_cases import cases

#: The Spanish names the engine itself wrote before it returned codes, for the calls of method_label_cases.py.
NAMES_BEFORE = REPO_DIR / "tests" / "fixtures" / "nombres_de_metodos.json"


@pytest.fixture(scope="module")
def projections():
    return {name: project_year_end(history, **options) for name, (history, options) in cases().items()}


def test_every_projection_is_named_exactly_as_the_engine_named_it_before(projections):
    before = json.loads(NAMES_BEFORE.read_text(encoding="utf-8"))
    assert set(before) == set(projections)
    for name, out in projections.items():
        assert method_labels(out).tolist() == before[name], name


def test_the_simulated_calls_cover_every_way_a_name_is_composed(projections):
    out = pd.concat(projections.values(), ignore_index=True)
    assert out["ponderado"].any() and (~out["ponderado"]).any()
    assert out["con_suavizado"].any() and (~out["con_suavizado"]).any()
    assert set(out["intervalo"]) == set(INTERVALS)
    assert {PERFIL, SUAVIZADO, REMANENTE, RITMO} <= set(out["metodo"])


def test_a_method_name_does_not_name_the_smoothing_twice():
    h = cases()["c1_200_series"][0]
    names = set(method_labels(project_year_end(h)))
    assert "ponderado, sobre todo suavizado exponencial (Holt-Winters)" in names
    assert not any(name.count("suavizado exponencial") > 1 for name in names)


def test_a_name_says_what_the_interval_rests_on_unless_it_is_the_calls_own_errors():
    without_history = "parte típica del año, sin historia propia"
    assert (
        method_label(RITMO, intervalo=INTERVALO_OTRAS_SERIES)
        == f"{without_history} (intervalo: otros productos)"
    )
    assert (
        method_label(RITMO, intervalo=INTERVALO_REFERENCIA)
        == f"{without_history} (intervalo: series de referencia)"
    )
    assert (
        method_label(PERFIL, con_suavizado=True)
        == "perfil intraanual, combinado con el suavizado exponencial"
    )
    assert (
        method_label(REMANENTE, intervalo=INTERVALO_REFERENCIA)
        == "remanente histórico (intervalo: series de referencia)"
    )


def test_every_code_the_engine_returns_is_described_for_the_book():
    assert set(METHOD_DESCRIPTIONS) == set(METHODS)
    assert set(INTERVAL_DESCRIPTIONS) == set(INTERVALS)
    assert all(text.strip() for text in [*METHOD_DESCRIPTIONS.values(), *INTERVAL_DESCRIPTIONS.values()])


def test_a_product_without_projection_keeps_no_name_and_the_flags_are_folded_into_the_name():
    table = pd.DataFrame(
        {
            "producto": [1, 2],
            "metodo": [PERFIL, None],
            "ponderado": [True, None],
            "con_suavizado": [True, None],
            "intervalo": ["propio", None],
        }
    )
    named = with_method_labels(table)
    assert list(named.columns) == ["producto", "metodo"]
    assert (
        named.loc[0, "metodo"]
        == "ponderado, sobre todo perfil intraanual, combinado con el suavizado exponencial"
    )
    assert pd.isna(named.loc[1, "metodo"])


def test_the_basis_sentence_counts_each_basis_and_says_when_none_rests_on_own_history():
    import pandas as pd

    from pei_analysis.chapters.methods import basis_sentence
    from pei_analysis.model import board

    mixed = pd.DataFrame(
        {
            "base": [board.BASE_OTROS, board.BASE_REFERENCIA],
            "productos": [3, 1],
            "medio_ancho_mediano_pct": [20.04, 11.6],
        }
    )
    text = basis_sentence(mixed, 0.8)
    assert text.startswith(
        "De las 4 proyecciones, 3 se apoyan en la parte del año que llevan los otros productos"
    )
    assert (
        "±20.0%; 1 se apoya solo en la parte del año que suelen llevar series públicas de referencia, ±11.6%"
        in text
    )
    assert text.endswith("Ninguna se apoya en la historia propia de su producto.")
    own = pd.DataFrame(
        {
            "base": [board.BASE_PROPIA, board.BASE_OTROS],
            "productos": [5, 1],
            "medio_ancho_mediano_pct": [4.0, 9.0],
        }
    )
    assert "Ninguna" not in basis_sentence(own)


def test_the_products_without_base_are_said_apart_not_counted_among_the_projections():
    import pandas as pd

    from pei_analysis.chapters.methods import basis_sentence
    from pei_analysis.model import board

    bases = pd.DataFrame(
        {
            "base": [board.BASE_REFERENCIA, board.BASE_NINGUNA],
            "productos": [31, 5],
            "medio_ancho_mediano_pct": [11.6, float("nan")],
        }
    )
    text = basis_sentence(bases, 0.8)
    assert text.startswith("Ninguna proyección se apoya en la historia propia del IGSS")
    assert text.endswith(
        "(±11.6% de la proyección en la mediana). 5 productos no se proyectan: no tienen nada ejecutado "
        "en lo que va del año ni años anteriores."
    )
    assert basis_sentence(bases, 0.8, name_unprojected=False).endswith("en la mediana).")
    alone = basis_sentence(bases.iloc[[1]].assign(productos=1), 0.8)
    assert (
        alone
        == "Un producto no se proyecta: no tiene nada ejecutado en lo que va del año ni años anteriores."
    )


def test_the_basis_sentence_is_empty_without_projections():
    import pandas as pd

    from pei_analysis.chapters.methods import basis_sentence

    assert basis_sentence(pd.DataFrame(columns=["base", "productos", "medio_ancho_mediano_pct"])) == ""


def test_what_readers_see_of_a_method_speaks_of_products_not_of_the_programs_internals():
    texts = list(methods.METHOD_DESCRIPTIONS.values()) + list(methods.INTERVAL_DESCRIPTIONS.values())
    texts += list(methods.INTERVAL_SUFFIXES.values())
    for word in ("llamada", "parámetro", "reference", "statsmodels", "grilla", "serie,", "por serie"):
        assert not [t for t in texts if word in t], word


def test_a_method_without_an_interval_is_described_by_its_own_words_only():
    from pei_analysis.chapters.methods import method_description

    for code in ("anio_completo", "sin_base"):
        assert method_description({"metodo": code, "intervalo": "ninguno"}) == METHOD_DESCRIPTIONS[code]
    with_interval = method_description({"metodo": RITMO, "intervalo": INTERVALO_REFERENCIA})
    assert with_interval == f"{METHOD_DESCRIPTIONS[RITMO]} {INTERVAL_DESCRIPTIONS[INTERVALO_REFERENCIA]}"
