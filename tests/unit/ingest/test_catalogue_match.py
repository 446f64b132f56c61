"""Products are recognised by their description, not their number (pei_analysis.ingest.catalogue_match).

The reports here are SIMULATED (tests/unit/ingest/simulated_reports.py): the real 2024-C1 extract as
a report of another year, with two products that trade numbers, a product renamed or a new one.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest.catalogue_match import assign_keys
from pei_analysis.ingest.history_checks import check_outliers
from pei_analysis.ingest.importer import import_file
from pei_analysis.ingest.sicoin import parse
from pei_analysis.tables.catalogue import (
    CORRESPONDENCES_CSV,
    YEARS_CSV,
    load_catalogue,
    normalise_description,
)
from pei_analysis.tables.poa import load_poa
from tests.conftest import snapshot
from tests.unit.ingest import simulated_reports as sim

EMERGENCIA = "atendidos en el servicio de emergencia general por enfermedad"


def _append_csv_row(path, row: list) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(out.getvalue())


def test_a_description_is_compared_without_case_accents_punctuation_spacing_or_its_final_sigla():
    a = "Afiliados, beneficiarios  (adultos y niños) atendidos por personal del Instituto . (ENF)"
    b = "AFILIADOS beneficiarios (adultos y ninos) atendidos por personal del instituto."
    assert normalise_description(a) == normalise_description(b)
    assert normalise_description(a) != normalise_description(b.replace("atendidos", "egresados"))


def test_the_shipped_report_gets_the_shipped_keys_and_adds_nothing_to_the_catalogue():
    keys = assign_keys(parse(sim.RAW), load_catalogue(), sim.RAW)
    assert keys.rows["clave"].tolist() == load_poa()["clave"].tolist()
    assert keys.productos.empty and keys.por_anio.empty and keys.aviso == ""


def test_a_renumbered_report_is_recognised_by_description_and_reported_in_one_line(data_copy, tmp_path):
    report = sim.write(tmp_path, "simulado_2023.txt", sim.swap_numbers(sim.report_of_year(2023), 3, 4))
    result = import_file(report, anio=2023, cuatrimestre=1, data_dir=data_copy)
    assert result.catalogo == (
        "2023: 2 productos cambiaron de número respecto de 2024 (3↔4); se reconocieron por su descripción."
    )
    poa = load_poa(data_copy)
    year = poa[poa["anio"] == 2023].set_index("producto")
    assert year.loc[3, "clave"] == "11-02-ENF-2" and year.loc[4, "clave"] == "11-02-ENF-1"
    numbers = load_catalogue(data_copy).por_anio.query("anio == 2023").set_index("clave")["producto"]
    assert (numbers["11-02-ENF-1"], numbers["11-02-ENF-2"]) == (4, 3)


def test_two_products_that_trade_numbers_keep_their_series_and_pass_the_outlier_guard(data_copy, tmp_path):
    # Egresos (26,919) and consultas (1,367,720) of ENF: matched by number, each is 50 times the other.
    report = sim.write(tmp_path, "simulado_2023.txt", sim.swap_numbers(sim.report_of_year(2023), 3, 4))
    import_file(report, anio=2023, cuatrimestre=1, data_dir=data_copy)  # the guard is on (factor 5)
    series = load_poa(data_copy).groupby("clave")["ejecutado"].apply(list)
    assert series["11-02-ENF-1"] == [26919, 26919] and series["11-02-ENF-2"] == [1367720, 1367720]
    by_number = load_poa(data_copy).assign(clave=lambda t: t["producto"])
    with pytest.raises(DataError, match="fuera de línea con su historia"):  # what comparing numbers did
        check_outliers(
            by_number[by_number["anio"] == 2023], by_number[by_number["anio"] == 2024], 5.0, report
        )


def test_an_unmatched_description_is_refused_with_the_row_to_add_and_nothing_is_written(data_copy, tmp_path):
    text = sim.rename(sim.report_of_year(2023), 5, EMERGENCIA, "atendidos en urgencias por enfermedad")
    report = sim.write(tmp_path, "simulado_2023.txt", text)
    before = snapshot(data_copy)
    with pytest.raises(DataError) as err:
        import_file(report, anio=2023, cuatrimestre=1, data_dir=data_copy)
    message = str(err.value)
    assert message.startswith(
        "simulado_2023.txt, línea 18, campo «descripcion»: producto 5 «Afiliados, beneficiarios"
    )
    assert 'agregue a data/catalogo/correspondencias.csv la fila 2023,11,02,"Afiliados' in message
    assert "atendidos en urgencias por enfermedad" in message and ",11-02-ENF-3 ;" in message
    # the product left without a match is named by its key and what it is, from the catalogue
    assert "sin pareja en este reporte: 11-02-ENF-3 «Emergencia por enfermedad»)" in message
    assert "importe con --producto-nuevo" in message
    assert snapshot(data_copy) == before


def test_the_correspondence_file_resolves_a_renamed_product(data_copy, tmp_path):
    text = sim.rename(sim.report_of_year(2023), 5, EMERGENCIA, "atendidos en urgencias por enfermedad")
    report = sim.write(tmp_path, "simulado_2023.txt", text)
    description = parse(report)["descripcion"][4]
    _append_csv_row(data_copy / CORRESPONDENCES_CSV, [2023, "11", "02", description, "11-02-ENF-3"])
    result = import_file(report, anio=2023, cuatrimestre=1, data_dir=data_copy)
    assert result.catalogo == ""
    poa = load_poa(data_copy)
    assert poa.query("anio == 2023 and producto == 5")["clave"].item() == "11-02-ENF-3"
    years = load_catalogue(data_copy).por_anio.query("anio == 2023").set_index("clave")
    assert "urgencias" in years.loc["11-02-ENF-3", "descripcion"]


def test_an_ambiguous_description_is_refused_and_the_correspondence_file_resolves_it(data_copy, tmp_path):
    # The catalogue (edited for the test) says 2023 described 11-02-ENF-3 as 2024 describes 11-02-ENF-2.
    catalogue = load_catalogue(data_copy)
    consultas = catalogue.por_anio.query("clave == '11-02-ENF-2'")["descripcion"].item()
    _append_csv_row(data_copy / YEARS_CSV, ["11-02-ENF-3", 2023, 5, consultas])
    report = sim.write(tmp_path, "simulado_2022.txt", sim.report_of_year(2022))
    before = snapshot(data_copy)
    with pytest.raises(DataError) as err:
        import_file(report, anio=2022, cuatrimestre=1, data_dir=data_copy)
    assert str(err.value).startswith("simulado_2022.txt, línea 17, campo «descripcion»")
    assert "producto 4 «Afiliados" in str(err.value)
    assert "coincide con más de un producto del catálogo (11-02-ENF-2, 11-02-ENF-3)" in str(err.value)
    assert snapshot(data_copy) == before
    _append_csv_row(data_copy / CORRESPONDENCES_CSV, [2022, "11", "02", consultas, "11-02-ENF-2"])
    import_file(report, anio=2022, cuatrimestre=1, data_dir=data_copy)
    assert load_poa(data_copy).query("anio == 2022 and producto == 4")["clave"].item() == "11-02-ENF-2"


def test_producto_nuevo_adds_a_product_with_a_new_key_and_a_unit_for_the_analyst_to_fill(
    data_copy, tmp_path, capsys
):
    text = sim.rename(
        sim.report_of_year(2023),
        36,
        "Intervenciones realizadas para la atención por la emergencia COVID-19",
        "Intervenciones realizadas para la atención de la tormenta tropical",
    )
    report = sim.write(tmp_path, "simulado_2023.txt", text)
    code = main(
        [
            "--datos",
            str(data_copy),
            "importar",
            str(report),
            "--anio",
            "2023",
            "--cuatrimestre",
            "1",
            "--producto-nuevo",
        ]
    )
    assert code == 0
    assert "2023: 1 producto nuevo en el catálogo (94-01-SN-2)" in capsys.readouterr().out
    catalogue = load_catalogue(data_copy)
    added = catalogue.productos.set_index("clave").loc["94-01-SN-2"]
    assert pd.isna(added["unidad_medida"]) and pd.isna(added["naturaleza"])
    assert load_poa(data_copy).query("anio == 2023 and producto == 36")["clave"].item() == "94-01-SN-2"
    assert "94-01-SN-1" not in set(catalogue.por_anio.query("anio == 2023")["clave"])


def test_the_notice_names_the_new_products_in_the_same_line(data_copy, tmp_path):
    text = sim.rename(sim.report_of_year(2023), 36, "COVID-19", "dengue")
    report = sim.write(tmp_path, "simulado_2023.txt", text)
    result = import_file(report, anio=2023, cuatrimestre=1, accept_new_products=True, data_dir=data_copy)
    assert result.catalogo == (
        "2023: 1 producto nuevo en el catálogo (94-01-SN-2): falta su unidad de medida y su naturaleza."
    )


def test_the_renumbering_is_said_once_for_a_year_not_again_with_its_next_cuatrimestre(data_copy, tmp_path):
    first = sim.write(tmp_path, "simulado_2023.txt", sim.swap_numbers(sim.report_of_year(2023), 3, 4))
    import_file(first, anio=2023, cuatrimestre=1, data_dir=data_copy)
    text = sim.swap_numbers(sim.report_of_year(2023), 3, 4).replace(
        "PRIMER CUATRIMESTRE", "SEGUNDO CUATRIMESTRE"
    )
    second = sim.write(
        tmp_path, "simulado_2023_c2.txt", text.replace("Primer Cuatrimeste", "Segundo Cuatrimestre")
    )
    result = import_file(second, anio=2023, cuatrimestre=2, cifras="periodo", data_dir=data_copy)
    assert result.catalogo == ""
    assert load_poa(data_copy).query("anio == 2023 and cuatrimestre == 2 and producto == 3")[
        "clave"
    ].item() == ("11-02-ENF-2")
