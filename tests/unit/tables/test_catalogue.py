"""The product catalogue (data/catalogo/): what it holds for the 2024 report and what an analyst's edit must
respect."""

from __future__ import annotations

import pytest

from pei_analysis.errors import DataError
from pei_analysis.ingest.validation import validate_all
from pei_analysis.tables.catalogue import CORRESPONDENCES_CSV, PRODUCTS_CSV, YEARS_CSV, load_catalogue
from pei_analysis.tables.poa import POA_CSV, load_poa


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_product_of_the_2024_report_has_one_key_with_its_number_and_description():
    catalogue, poa = load_catalogue(), load_poa()
    year = catalogue.por_anio[catalogue.por_anio["anio"] == 2024].set_index("producto")
    assert len(catalogue.productos) == len(year) == len(poa) == 36
    assert year.loc[poa["producto"], "clave"].tolist() == poa["clave"].tolist()
    assert year.loc[poa["producto"], "descripcion"].tolist() == poa["descripcion"].tolist()


def test_the_payments_programme_is_payments_and_each_judgement_says_so_in_its_note():
    productos = load_catalogue().productos
    assert set(productos.loc[productos["programa"] == "12", "naturaleza"]) == {"pago_de_prestaciones"}
    assert set(productos.loc[productos["programa"] == "12", "unidad_medida"]) == {"pagos"}
    emergencies = productos[productos["unidad_medida"].isin(["atenciones de emergencia", "egresos"])]
    assert len(emergencies) == 9 and set(emergencies["naturaleza"]) == {"a_la_demanda"}
    assert productos["unidad_medida"].notna().all() and productos["naturaleza"].notna().all()
    assert productos["nota"].str.startswith("«").all()  # each note quotes the description


def test_a_key_by_year_that_is_not_in_the_products_table_is_refused_naming_the_line(data_copy):
    _edit(data_copy / YEARS_CSV, "\n11-02-ENF-2,2024,4,", "\n11-02-ENF-7,2024,4,")
    with pytest.raises(
        DataError, match=r"productos_por_anio\.csv, línea 5, campo «clave»: «11-02-ENF-7» no existe"
    ):
        load_catalogue(data_copy)


def test_a_number_given_to_two_products_in_one_year_is_refused(data_copy):
    _edit(data_copy / YEARS_CSV, "\n11-02-ENF-2,2024,4,", "\n11-02-ENF-2,2024,3,")
    with pytest.raises(DataError, match=r"línea 5.*el número de producto 3 ya tiene otra clave en 2024"):
        load_catalogue(data_copy)


def test_a_key_that_does_not_match_its_subprogramme_is_refused(data_copy):
    _edit(data_copy / PRODUCTS_CSV, "\n11-02-ENF-2,11,02,", "\n11-02-ENF-2,11,03,")
    with pytest.raises(
        DataError, match=r"productos\.csv, línea 5, campo «clave»: la clave 11-02-ENF-2 no corresponde"
    ):
        load_catalogue(data_copy)


def test_a_nature_outside_the_closed_list_is_refused(data_copy):
    _edit(data_copy / PRODUCTS_CSV, ",pago_de_prestaciones,", ",pagos_de_prestaciones,")
    with pytest.raises(DataError, match=r"productos\.csv, línea 21, campo «naturaleza»"):
        load_catalogue(data_copy)


def test_a_correspondence_to_an_unknown_key_is_refused(data_copy):
    (data_copy / CORRESPONDENCES_CSV).write_text(
        "anio,programa,subprograma,descripcion,clave\n2023,11,02,Algo,11-02-ENF-9\n", encoding="utf-8"
    )
    with pytest.raises(
        DataError, match=r"correspondencias\.csv, línea 2, campo «clave»: la clave «11-02-ENF-9»"
    ):
        load_catalogue(data_copy)


def test_a_poa_key_that_is_not_in_the_catalogue_is_refused(data_copy):
    _edit(data_copy / POA_CSV, ",11-02-ENF-2,", ",11-02-ENF-8,")
    with pytest.raises(
        DataError, match=r"poa_ejecucion\.csv, línea 5, campo «clave»: la clave «11-02-ENF-8» no está"
    ):
        load_poa(data_copy)


def test_validar_catches_two_keys_swapped_by_hand_in_the_poa_table(data_copy):
    _edit(data_copy / POA_CSV, ",11-02-ENF-1,", ",11-02-ENF-X,")
    _edit(data_copy / POA_CSV, ",11-02-ENF-2,", ",11-02-ENF-1,")
    _edit(data_copy / POA_CSV, ",11-02-ENF-X,", ",11-02-ENF-2,")
    with pytest.raises(
        DataError,
        match=r"producto 3 \(2024, cuatrimestre 1\): la tabla dice 11-02-ENF-2 y el original .* dice "
        r"11-02-ENF-1",
    ):
        validate_all(data_copy)


def test_every_product_has_a_short_name_of_its_own_that_keeps_its_distinguishing_words():
    productos = load_catalogue().productos.set_index("clave")
    names = productos["nombre_corto"]
    assert names.notna().all() and names.is_unique and (names.str.len() <= 45).all()
    assert names[["12-01-SN-4", "12-11-SN-4", "12-21-SN-3"]].tolist() == [
        "Cuota mortuoria EMA",
        "Cuota mortuoria IVS",
        "Cuota mortuoria PRECAPI",
    ]
    assert "COVID-19" in names["94-01-SN-1"]


def test_two_products_with_the_same_short_name_are_refused_naming_the_line(data_copy):
    _edit(data_copy / PRODUCTS_CSV, ",Cuota mortuoria IVS,", ",cuota mortuoria EMA.,")
    with pytest.raises(
        DataError,
        match=r"productos\.csv, línea 28, campo «nombre_corto»: el nombre corto "
        r"«cuota mortuoria EMA\.» ya es el de 12-01-SN-4",
    ):
        load_catalogue(data_copy)


def test_a_product_without_a_short_name_is_accepted(data_copy):
    _edit(data_copy / PRODUCTS_CSV, ",Atención COVID-19,", ",,")
    productos = load_catalogue(data_copy).productos
    assert productos["nombre_corto"].isna().sum() == 1
