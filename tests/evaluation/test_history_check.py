"""The done-check of #19 on SIMULATED past years (evaluation/history_check.py): its core on small cases.

These import simulated reports (DATOS SIMULADOS, NO SON CIFRAS DEL IGSS) into temporary copies of
data/ through the command line, so they take seconds each; the full check is the last test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation import history_check
from evaluation.simulated_reports import Simulation, real_products, simulated_history, write_reports
from pei_analysis.tables.poa import POA_CSV, PRODUCT_KEY, load_poa


def test_two_past_years_project_2024_within_3_percent_where_the_pace_is_10_percent_low(tmp_path):
    result = history_check.run_check(Simulation(years=(2022, 2023)), tmp_path)
    assert result.share_within >= history_check.TARGET_SHARE
    assert result.pace_median_error == pytest.approx(-0.10, abs=0.002)
    assert result.identity_ok and result.passed
    assert result.table["proyeccion"].notna().all()


def test_the_pace_so_far_is_10_percent_low_and_never_within_3_percent_of_the_right_total():
    sim = Simulation(years=(2023,))
    truth = history_check.right_totals(sim, real_products())
    pace = truth.assign(
        ejecutado_acumulado=truth["ejecutado_c1"], proyeccion=truth["ejecutado_c1"] * 3.0, metodo="ritmo"
    )
    table = history_check.compare(pace, truth)
    assert not table.loc[table["medible"], "dentro_3"].any()
    assert table.loc[table["medible"], "error"].median() == pytest.approx(-0.10)


def test_a_series_spliced_with_another_product_is_reported(tmp_path):
    sim = Simulation(years=(2022,), swaps=((2022, 9, 10),))
    datos, _ = history_check.build_history(Simulation(years=(2022,)), tmp_path)
    history = simulated_history(sim, real_products())
    assert history_check.series_identity(datos, sim, history) == []
    poa = load_poa(datos)
    rows_9 = (poa[PRODUCT_KEY] == poa.loc[poa["producto"] == 9, PRODUCT_KEY].iloc[0]) & (poa["anio"] == 2022)
    rows_10 = (poa[PRODUCT_KEY] == poa.loc[poa["producto"] == 10, PRODUCT_KEY].iloc[0]) & (
        poa["anio"] == 2022
    )
    table = pd.read_csv(datos / POA_CSV, dtype=str, keep_default_na=False)
    table.loc[rows_9.to_numpy(), "ejecutado"], table.loc[rows_10.to_numpy(), "ejecutado"] = (
        table.loc[rows_10.to_numpy(), "ejecutado"].to_numpy(),
        table.loc[rows_9.to_numpy(), "ejecutado"].to_numpy(),
    )
    table.to_csv(datos / POA_CSV, index=False)
    problems = history_check.series_identity(datos, sim, history)
    assert len(problems) == 2 and "producto 9" in problems[0] and "producto 10" in problems[1]


def test_a_report_that_does_not_add_up_stops_the_check_with_its_name(tmp_path, data_copy):
    files = write_reports(Simulation(years=(2023,)), tmp_path / "bandeja")
    broken = files[1].read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(broken) if line.startswith("02\t"))
    cells = broken[at].split("\t")
    cells[3] = "9" + cells[3]
    broken[at] = "\t".join(cells)
    files[1].write_text("\n".join(broken) + "\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=files[1].name):
        history_check.import_reports(files, data_copy, "periodo")


def test_nine_past_reports_with_two_products_trading_numbers_meet_the_done_check(tmp_path, capsys):
    code = history_check.main(["--carpeta", str(tmp_path)])
    assert code == 0, capsys.readouterr().out


def test_the_same_nine_reports_as_pdfs_meet_the_done_check_and_data_raw_keeps_the_pdfs(tmp_path, capsys):
    code = history_check.main(["--carpeta", str(tmp_path), "--pdf"])
    assert code == 0, capsys.readouterr().out
    kept = sorted(p.name for p in tmp_path.glob("historia_*/con_intercambio/datos/raw/poa_202[123]_*"))
    assert len(kept) == 9 and all(name.endswith("_sicoin_ejecucion_fisica.pdf") for name in kept)


def test_the_same_nine_reports_as_workbooks_meet_the_done_check_and_data_raw_keeps_the_workbooks(
    tmp_path, capsys
):
    code = history_check.main(["--carpeta", str(tmp_path), "--xlsx"])
    assert code == 0, capsys.readouterr().out
    kept = sorted(p.name for p in tmp_path.glob("historia_*/con_intercambio/datos/raw/poa_202[123]_*"))
    assert len(kept) == 9 and all(name.endswith("_sicoin_ejecucion_fisica.xlsx") for name in kept)
