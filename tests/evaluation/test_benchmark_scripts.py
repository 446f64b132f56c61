"""The evaluation scripts in evaluation/ speak to the analyst in Spanish, like the rest of the tools."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from evaluation.backtest_report import table
from evaluation.short_history import (
    calls_of,
    coverage_by_year,
    coverage_distance,
    igss_sized,
    last_years,
    projected_years,
    render,
    render_by_year,
    short_history,
    short_history_results,
)
from evaluation.simulate import simulate_history
from pei_analysis.paths import REPO_DIR

SCRIPTS = (
    "backtest_report.py",
    "speed.py",
    "history_check.py",
    "short_history.py",
    "profile_bound.py",
    "smoothing_share.py",
    "small_counts.py",
)


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", f"evaluation.{script.removesuffix('.py')}", *args],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_help_of_a_benchmark_script_is_in_spanish(script):
    result = run(script, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("uso: ")
    assert "opciones:" in result.stdout and "muestra esta ayuda y termina" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


@pytest.mark.parametrize(
    ("script", "args"),
    [
        ("backtest_report.py", ()),
        ("speed.py", ("ratio",)),
        ("history_check.py", ()),
        ("short_history.py", ()),
        ("profile_bound.py", ()),
        ("smoothing_share.py", ()),
        ("small_counts.py", ()),
    ],
)
def test_a_wrong_option_is_refused_in_spanish_and_runs_nothing(script, args):
    result = run(script, *args, "--no-existe")
    assert result.returncode == 2
    assert result.stderr.startswith("uso: ")
    assert "error: argumentos no reconocidos: --no-existe" in result.stderr
    assert result.stdout == ""


def test_a_missing_mode_is_named_in_spanish():
    result = run("speed.py")
    assert result.returncode == 2
    assert "error: faltan argumentos obligatorios: modo" in result.stderr


def test_a_coverage_in_the_report_says_how_many_series_and_years_back_it():
    summary = pd.DataFrame(
        {
            "observados": [1, 2],
            "metodo": ["motor", "motor"],
            "n": [1, 520],
            "mape_mediana": [1.0, 2.0],
            "mape_media": [1.0, 2.0],
            "cobertura": [100.0, 75.4],
            "cobertura_ic_inf": [100.0, 63.9],
            "cobertura_ic_sup": [100.0, 85.7],
            "n_series": [1, 46],
            "n_anios": [1, 13],
        }
    )
    rows = table(summary).splitlines()[2:]
    assert rows[0].endswith("| 100.0 (100.0–100.0; 1 serie, 1 año) |")
    assert rows[1].endswith("| 75.4 (63.9–85.7; 46 series, 13 años) |")


def test_the_speed_benchmark_runs_at_a_small_size_and_prints_the_ratio():
    result = run("speed.py", "ratio", "--series", "4", "--years", "2")
    assert result.returncode == 0, result.stderr
    assert "razón motor/Holt-Winters" in result.stdout


def test_a_short_history_keeps_each_series_last_years_whatever_year_it_ends():
    data = pd.DataFrame(
        {
            "serie": ["a"] * 5 + ["b"] * 3,
            "anio": [2000, 2001, 2002, 2003, 2004, 1990, 1991, 1992],
            "cuatrimestre": 1,
            "valor": 1.0,
        }
    )
    kept = last_years(data, 3)
    assert kept.groupby("serie")["anio"].apply(list).to_dict() == {
        "a": [2002, 2003, 2004],
        "b": [1990, 1991, 1992],
    }


def test_the_short_history_table_says_for_each_figure_its_target_and_whether_it_is_met():
    full = simulate_history(12, 5, seed=3)
    rows = short_history("simuladas", full, 2, rolling=False)
    assert {r["métrica"] for r in rows} == {
        "APE motor / participación media",
        "cobertura 80%",
        "máx. límite sup. / proyección",
    }
    for r in rows:
        met = {
            "APE motor / participación media": r["valor"] <= 0.90,
            "cobertura 80%": 78 <= r["valor"] <= 82,
            "máx. límite sup. / proyección": r["valor"] <= 5,
        }[r["métrica"]]
        assert r["cumple"] == ("sí" if met else "NO")
        assert r["n"] == 12
    assert "| meta |" in render(rows)


def test_the_summary_distance_from_80_counts_only_the_short_history_coverages():
    def row(section, metric, value):
        return {"sección": section, "métrica": metric, "valor": value}

    rows = [
        row("a) historia completa", "cobertura 80%", 50.0),
        row("b) 2 pasados + el proyectado", "cobertura 80%", 84.0),
        row("b) ventanas de 3", "cobertura 80%", 78.0),
        row("b) ventanas de 3", "máx. límite sup. / proyección", 3.0),
        row("c) mixta, sin historia", "cobertura 80%", 60.0),
    ]
    assert coverage_distance(rows) == 3.0


def test_one_year_coverage_is_shown_for_years_with_enough_series_with_its_spread_between_years():
    real = [10.0] * 4
    res = pd.DataFrame(
        {
            "serie": list("abcd") * 3,
            "anio": [2001] * 4 + [2002] * 4 + [2003] * 4,
            "observados": 1,
            "metodo": ["motor"] * 11 + ["participación media"],
            "real": real * 3,
            # 2001: all inside; 2002: half inside; 2003: three series only (the fourth row is a baseline)
            "limite_inferior": [9.0] * 4 + [9.0, 9.0, 11.0, 11.0] + [9.0] * 4,
            "limite_superior": [11.0] * 12,
        }
    )
    rows = coverage_by_year("simuladas", res, min_series=4)
    assert len(rows) == 1
    row = rows[0]
    assert row["años"] == 2 and row["media"] == 75.0 and row["mín."] == 50.0 and row["máx."] == 100.0
    assert row["años en 78–82"] == 0.0
    assert row["DE entre años"] == pytest.approx(35.355, abs=1e-3)
    assert "| simuladas | 1 | 2 | 75.0 | 35.4 | 50.0 | 100.0 | 0% |" in render_by_year(rows)


def test_the_years_a_last_year_line_measures_are_listed_commonest_first_with_the_rest_counted():
    res = pd.DataFrame(
        {
            "serie": list("abcdefg") + list("abcdefg"),
            "anio": [2018, 2018, 2018, 1994, 1994, 2007, 1960] * 2,
            "metodo": ["motor"] * 7 + ["participación media"] * 7,
        }
    )
    assert (
        projected_years("r", "s", res, shown=3)["años (series)"]
        == "2018 (3), 1994 (2), 1960 (1); 1 año más (1)"
    )
    row = projected_years("reales", "b) 2 pasados", res, shown=2)
    assert row == {
        "grupo": "reales",
        "sección": "b) 2 pasados",
        "series": 7,
        "años (series)": "2018 (3), 1994 (2); 2 años más (2)",
    }


def test_an_igss_sized_run_splits_the_series_at_random_into_calls_of_36_and_leaves_out_a_tiny_last_one():
    calls = calls_of(simulate_history(36 * 2 + 9, 3, seed=2), 36)
    assert [c["serie"].nunique() for c in calls] == [36, 36]  # the 9 left over make no IGSS-sized call
    first, second = (set(c["serie"]) for c in calls)
    assert first.isdisjoint(second)
    assert first | second != set(range(72))  # drawn at random, not the first 72
    assert [c["serie"].nunique() for c in calls_of(simulate_history(36 + 12, 3, seed=2), 36)] == [36, 12]


def test_an_igss_sized_call_holds_only_series_that_span_the_same_years():
    early = simulate_history(20, 4, seed=1, first_year=1970)
    late = simulate_history(20, 4, seed=2, first_year=2000).assign(serie=lambda d: d["serie"] + 100)
    calls = calls_of(pd.concat([early, late]), 36)
    assert sorted(c["serie"].nunique() for c in calls) == [20, 20]
    assert all(c["anio"].nunique() == 4 for c in calls)


def test_the_igss_sized_table_puts_each_window_beside_the_same_window_in_one_call():
    data = simulate_history(24, 5, seed=4)
    whole = {past: short_history_results(data, past, rolling=True)[1] for past in (2, 3)}
    rows = igss_sized("simuladas", data, whole, size=12)
    assert [(r["ventanas de"], r["obs"]) for r in rows] == [(2, 1), (2, 2), (3, 1), (3, 2)]
    assert set(rows[0]) == {
        "grupo",
        "ventanas de",
        "obs",
        "APE / part. media, de 12",
        "cobertura, de 12",
        "APE / part. media, todas",
        "cobertura, todas",
    }
    assert all(0 <= r["cobertura, de 12"] <= 100 and r["APE / part. media, todas"] > 0 for r in rows)


def test_a_report_written_with_out_is_the_one_printed(tmp_path):
    out = tmp_path / "informe.md"
    result = run("small_counts.py", "--semillas", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "menos de 100 al año" in result.stdout
    assert out.read_text(encoding="utf-8") + "\n" == result.stdout


def test_a_report_asked_for_no_seeds_is_refused_in_spanish():
    result = run("small_counts.py", "--semillas", "0")
    assert result.returncode == 2
    assert "error: --semillas debe ser al menos 1" in result.stderr
