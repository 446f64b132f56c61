"""evaluation.smoothing_share on SIMULATED series (evaluation.simulate; DATOS SIMULADOS)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from evaluation.simulate import simulate_history
from evaluation.smoothing_share import METRICS, compare, render, smoothing_share
from pei_analysis.model.projection import weighting
from pei_analysis.paths import REPO_DIR


def test_the_share_holds_inside_the_block_and_the_engines_comes_back_even_after_an_error():
    engine = dict(weighting.SMOOTHING_SHARE)
    with pytest.raises(RuntimeError), smoothing_share(0.1, 0.2):
        assert weighting.SMOOTHING_SHARE == {1: 0.1, 2: 0.2}
        raise RuntimeError
    assert engine == weighting.SMOOTHING_SHARE


def test_each_share_gets_a_column_of_section_b_and_a_different_share_gives_different_errors():
    data = {"simuladas": simulate_history(24, 8, seed=3)}
    table = compare([(0.4, 0.5), (0.0, 0.0)], data)
    assert list(table.columns) == ["grupo", "sección", "obs", "métrica", "0.4 / 0.5", "0 / 0"]
    assert set(table["métrica"]) == set(METRICS)
    assert len(table) == 4 * 2 * len(METRICS)  # last year and windows, 2 and 3 past years; k = 1, 2
    ape = table[table["métrica"] == METRICS[0]]
    assert (ape["0.4 / 0.5"] != ape["0 / 0"]).any()
    assert "| 0.4 / 0.5 |" in render(table)


@pytest.mark.parametrize(
    ("value", "message"), [("0.4", "no es un par de partes"), ("0.4,2", "cada parte va de 0 a 1")]
)
def test_a_share_that_is_not_a_pair_from_0_to_1_is_refused_in_spanish_and_runs_nothing(value, message):
    result = subprocess.run(
        [sys.executable, "-m", "evaluation.smoothing_share", "--partes", value],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and result.stderr.startswith("uso: ")
