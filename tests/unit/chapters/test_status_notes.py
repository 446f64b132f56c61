"""La nota del semáforo: la escriben los capítulos a partir de los códigos del modelo."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pei_analysis.chapters.status_notes import status_note, with_status_notes
from pei_analysis.model.attainment import Thresholds, classify
from pei_analysis.model.projection import REMANENTE, SIN_BASE


def scored(programado, ejecutado, proyeccion, lo, hi):
    return classify(
        pd.DataFrame(
            {
                "programado": programado,
                "ejecutado": ejecutado,
                "proyeccion": np.asarray(proyeccion, dtype=float),
                "limite_inferior": lo,
                "limite_superior": hi,
            }
        )
    )


def test_a_note_says_the_projected_percentage_and_the_threshold_it_passes_in_the_books_convention():
    table = with_status_notes(scored([100], [30], [95], [91], [99]), Thresholds())
    assert table.loc[0, "nota"] == "Proyección de 95.0% de lo programado (al menos 90%)."


def test_an_uncertain_state_names_the_interval_that_crosses_a_threshold():
    note = with_status_notes(scored([100], [30], [92], [85], [99]), Thresholds()).loc[0, "nota"]
    assert note.endswith("Estado incierto: el intervalo (85.0% a 99.0%) cruza un umbral.")


def test_flagged_products_say_why_they_are_not_scored():
    table = with_status_notes(
        scored([9, 50, np.nan], [1, 0, 3], [3, 0, 9], [3, 0, 9], [3, math.inf, 9]), Thresholds()
    )
    assert table["nota"].tolist()[0].startswith("Meta pequeña (programado 9, menos de 10)")
    assert table["nota"].tolist()[1].startswith("Sin ejecución registrada")
    assert table["nota"].tolist()[2].startswith("Sin datos: falta lo programado")


def test_a_product_without_a_base_to_project_says_it_is_not_projected():
    table = scored(
        [50, 3, 50], [0, 0, 0], [np.nan, np.nan, 0], [np.nan, np.nan, 0], [np.nan, np.nan, math.inf]
    )
    table["metodo"] = [SIN_BASE, SIN_BASE, REMANENTE]
    notes = with_status_notes(table, Thresholds())["nota"].tolist()
    suffix = " No se proyecta: sin nada ejecutado ni años anteriores, no hay base para proyectar."
    assert (
        notes[0] == "Sin ejecución registrada en lo que va del año; no se califica como porcentaje." + suffix
    )
    assert notes[1].startswith("Meta pequeña (programado 3") and notes[1].endswith(suffix)
    assert not notes[2].endswith(suffix)  # with history the rest of the year is projected from it


def test_the_notes_follow_the_thresholds_an_analyst_chose():
    row = {"estado": "en riesgo", "estado_incierto": False, "programado": 100, "pct_proyectado": 66.4}
    assert status_note(row, Thresholds(at_risk=60, satisfactory=85)) == (
        "Proyección de 66.4% de lo programado (entre 60% y 85%)."
    )
    # a threshold keeps the decimals the analyst gave it: the rule must read as it was set
    assert status_note(row, Thresholds(at_risk=60, satisfactory=92.5)).endswith("(entre 60% y 92.5%).")


def test_an_unbounded_upper_limit_reads_as_without_limit():
    row = {
        "estado": "sobre-ejecución",
        "estado_incierto": True,
        "programado": 100,
        "pct_proyectado": 130.0,
        "pct_inferior": 110.0,
        "pct_superior": math.inf,
    }
    assert "(110.0% a sin límite)" in status_note(row, Thresholds())


def test_the_note_sits_right_after_the_flag_it_explains():
    table = with_status_notes(scored([100], [30], [95], [91], [99]).assign(nombre_corto="x"), Thresholds())
    columns = list(table.columns)
    assert columns[columns.index("estado_incierto") + 1] == "nota" and columns[-1] == "nombre_corto"


def test_a_note_at_a_threshold_keeps_the_decimal_that_puts_it_on_its_side():
    row = {"estado": "sobre-ejecución", "estado_incierto": False, "programado": 100, "pct_proyectado": 120.3}
    assert status_note(row, Thresholds()).startswith("Proyección de 120.3% de lo programado, sobre el 120%")
