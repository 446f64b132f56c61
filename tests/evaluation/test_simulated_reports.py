"""The simulated past SICOIN reports (DATOS SIMULADOS, NO SON CIFRAS DEL IGSS): what the generator writes.

They live in evaluation/ and in temporary folders, never in data/. Each file must parse with the
project's own SICOIN reader (so subtotals add up and percentages match), state that it is
simulated, and carry the profile and the variants it was asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.simulated_reports import (
    ANNUAL,
    COVID_TESTS,
    MARK,
    Simulation,
    real_products,
    report_name,
    right_totals,
    simulated_history,
    write_reports,
)
from pei_analysis import cli
from pei_analysis.ingest.readers import parse_any
from pei_analysis.tables.poa import load_poa

VARIANTS = Simulation(appears={34: 2022}, retired=(COVID_TESTS,), missing=((2022, 3),), annual=(2021,))


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return real_products()


def _period(path):
    anio, rest = int(path.name[4:8]), path.name[9:].split("_")[0]
    return anio, (ANNUAL if rest == "anual" else int(rest[1:]))


def _parse(path):
    anio, cuatrimestre = _period(path)
    return parse_any(path, anio, cuatrimestre or 3)


@pytest.mark.parametrize(
    "sim",
    [Simulation(), Simulation(cifras="acumulado", swaps=((2022, 9, 10),)), VARIANTS],
    ids=["periodo", "acumulado_con_intercambio", "variantes"],
)
def test_every_simulated_report_parses_with_the_sicoin_reader_and_says_it_is_simulated(sim, tmp_path, real):
    paths = write_reports(sim, tmp_path, real)
    assert paths
    for path in paths:
        table = _parse(path)  # raises DataError if a subtotal or a percentage did not add up
        text = path.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("INSTITUTO"))
        footer = next(line for line in text.splitlines() if line.startswith("Fuente:"))
        assert title.endswith(MARK)
        assert "SIMULADOS" in footer
        assert set(table["descripcion"]) <= set(real["descripcion"]) | {COVID_TESTS.descripcion}


def test_the_reports_keep_the_real_programmes_subprogrammes_siglas_and_units(tmp_path, real):
    path = write_reports(Simulation(years=(2023,)), tmp_path, real)[1]
    table = _parse(path)
    columns = ["producto", "programa", "programa_nombre", "subprograma", "descripcion", "sigla", "unidad"]
    pd.testing.assert_frame_equal(table[columns], real[columns])


def test_each_report_states_its_period_in_the_title_header_and_footer(tmp_path, real):
    path = write_reports(Simulation(years=(2022,)), tmp_path, real)[1]
    text = path.read_text(encoding="utf-8")
    assert "Plan Operativo Anual (POA) 2022 Segundo Cuatrimestre" in text
    assert "SEGUNDO CUATRIMESTRE 2022" in text
    assert "(de mayo a agosto 2022)" in text
    assert _parse(path)["cuatrimestre"].eq(2).all()


def test_the_figures_in_the_reports_are_the_simulated_history(tmp_path, real):
    sim = Simulation(years=(2021, 2022))
    history = simulated_history(sim, real)
    for path in write_reports(sim, tmp_path, real):
        anio, cuatrimestre = _period(path)
        got = _parse(path).set_index("descripcion")["ejecutado"].sort_index()
        want = history[(history["anio"] == anio) & (history["cuatrimestre"] == cuatrimestre)]
        assert got.to_dict() == want.set_index("descripcion")["ejecutado"].to_dict()


def test_the_known_within_year_profile_is_recovered_from_the_simulated_years(real):
    history = simulated_history(Simulation(), real)
    totals = history.groupby(["clave", "anio"])["ejecutado"].transform("sum")
    big = history[totals >= 1000].assign(share=lambda h: h["ejecutado"] / totals[totals >= 1000])
    shares = big.groupby("cuatrimestre")["share"].median()
    np.testing.assert_allclose(shares.to_numpy(), [0.30, 0.35, 0.35], atol=0.005)
    other = simulated_history(Simulation(profile=(0.25, 0.40, 0.35)), real)
    first = other[other["cuatrimestre"] == 1].merge(
        other.groupby(["clave", "anio"], as_index=False)["ejecutado"].sum(), on=["clave", "anio"]
    )
    assert (first["ejecutado_x"] / first["ejecutado_y"])[
        first["ejecutado_y"] >= 1000
    ].median() == pytest.approx(0.25, abs=0.005)


def test_the_right_2024_total_is_the_first_cuatrimestre_over_its_share(real):
    truth = right_totals(Simulation(), real)
    measured = truth[truth["medible"]]
    np.testing.assert_allclose(measured["total_correcto"] * 0.30, measured["ejecutado_c1"])
    nothing_in_c1 = truth[~truth["medible"]]
    assert sorted(nothing_in_c1["producto"]) == [19, 28, 29, 30, 35]
    assert (nothing_in_c1["total_correcto"] > 0).all()


def test_the_figures_of_a_product_do_not_depend_on_the_variants(real):
    plain = simulated_history(Simulation(), real)
    varied = simulated_history(Simulation(swaps=((2022, 9, 10),), retired=(COVID_TESTS,)), real)
    pd.testing.assert_frame_equal(plain, varied[varied["clave"] != COVID_TESTS.clave].reset_index(drop=True))
    reseeded = simulated_history(Simulation(seed=7), real)
    assert not plain["ejecutado"].equals(reseeded["ejecutado"])


def test_two_swapped_products_trade_numbers_and_lines_only_in_their_year(tmp_path, real):
    paths = write_reports(Simulation(swaps=((2022, 9, 10),)), tmp_path, real)
    by_number = {p.name: _parse(p).set_index("producto")["descripcion"] for p in paths}
    real_9, real_10 = real.set_index("producto")["descripcion"][[9, 10]]
    for name, descriptions in by_number.items():
        swapped = name.startswith("poa_2022")
        assert descriptions[9] == (real_10 if swapped else real_9)
        assert descriptions[10] == (real_9 if swapped else real_10)


def test_a_product_that_appears_renumbers_the_ones_after_it_and_a_retired_one_disappears(tmp_path, real):
    paths = {p.name: p for p in write_reports(VARIANTS, tmp_path, real)}
    assert report_name(2022, 3) not in paths
    annual = _parse(paths[report_name(2021, ANNUAL)]).set_index("descripcion")["producto"]
    later = _parse(paths[report_name(2023, 1)]).set_index("descripcion")["producto"]
    product_35 = real.set_index("producto").loc[35, "descripcion"]
    assert real.set_index("producto").loc[34, "descripcion"] not in annual.index
    assert annual[product_35] == 34 and later[product_35] == 35
    assert COVID_TESTS.descripcion in annual.index
    assert COVID_TESTS.descripcion in _parse(paths[report_name(2022, 1)])["descripcion"].to_list()
    assert COVID_TESTS.descripcion not in later.index
    history = simulated_history(VARIANTS, real)
    assert sorted(set(history.loc[history["clave"] == "34", "anio"])) == [2022, 2023]
    assert sorted(set(history.loc[history["clave"] == COVID_TESTS.clave, "anio"])) == [2021, 2022]


def test_an_annual_only_year_says_so_and_carries_the_year_totals(tmp_path, real):
    sim = Simulation(years=(2021,), annual=(2021,))
    (path,) = write_reports(sim, tmp_path, real)
    text = path.read_text(encoding="utf-8")
    assert "Plan Operativo Anual (POA) 2021 Anual " in text
    assert "(de enero a diciembre 2021)" in text
    assert "CUATRIMESTRE" not in text.upper().replace("FÍSICO CUATRIMESTRAL", "")
    totals = simulated_history(sim, real).groupby("descripcion")["ejecutado"].sum()
    assert parse_any(path, 2021, 3).set_index("descripcion")["ejecutado"].to_dict() == totals.to_dict()


def test_cumulative_reports_add_the_year_so_far(tmp_path, real):
    sim = Simulation(years=(2022,), cifras="acumulado")
    paths = write_reports(sim, tmp_path, real)
    assert "(de enero a agosto 2022)" in paths[1].read_text(encoding="utf-8")
    history = simulated_history(sim, real)
    third = _parse(paths[2]).set_index("descripcion")["ejecutado"]
    assert third.to_dict() == history.groupby("descripcion")["ejecutado"].sum().to_dict()


@pytest.mark.parametrize(
    "sim",
    [Simulation(missing=((2022, 3),)), Simulation(cifras="acumulado")],
    ids=["periodo_con_un_cuatrimestre_faltante", "acumulado"],
)
def test_the_reports_without_renumbering_import_one_by_one_with_the_current_command_line(
    sim, tmp_path, data_copy, real, capsys
):
    history = simulated_history(sim, real)
    for path in write_reports(sim, tmp_path / "bandeja", real):
        anio, cuatrimestre = _period(path)
        code = cli.main(
            [
                "importar",
                str(path),
                "--anio",
                str(anio),
                "--cuatrimestre",
                str(cuatrimestre),
                "--cifras",
                sim.cifras,
                "--datos",
                str(data_copy),
            ]
        )
        assert code == 0, capsys.readouterr().err
    poa = load_poa(data_copy)
    past = poa[poa["anio"] < 2024]
    assert sorted(set(zip(past["anio"], past["cuatrimestre"], strict=True))) == [
        (a, c) for a in (2021, 2022, 2023) for c in (1, 2, 3) if (a, c) not in sim.missing
    ]
    imported = past.set_index(["descripcion", "anio", "cuatrimestre"])["ejecutado"]
    written = [
        (a, c) not in sim.missing for a, c in zip(history["anio"], history["cuatrimestre"], strict=True)
    ]
    want = history[written].set_index(["descripcion", "anio", "cuatrimestre"])["ejecutado"]
    assert imported.sort_index().to_dict() == want.sort_index().to_dict()
