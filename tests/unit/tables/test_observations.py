"""The observations of the PEI indicators (data/pei/observaciones_indicadores.csv): loading and refusals.

Every observation here is written inside the test (a CSV under tmp_path): the shipped file has no rows,
because no public source for them is in the project yet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.model.indicators import indicator_progress
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.observations import (
    OBSERVATION_COLUMNS,
    OBSERVATIONS_CSV,
    OBSERVATIONS_SCHEMA,
    load_observations,
)
from pei_analysis.tables.pei import PEI_SCHEMA, PEI_YAML, load_pei

HEADER = ",".join(OBSERVATION_COLUMNS)
CITA = "Memoria de labores 2020, IGSS, p. 12 (ficticia: solo para la prueba)"


def _data_with(tmp_path: Path, *lines: str) -> Path:
    """A data dir with the real PEI and schema and an observations CSV made of *lines* after the header."""
    data = tmp_path / "data"
    (data / "pei").mkdir(parents=True)
    shutil.copy(DATA_DIR / PEI_YAML, data / PEI_YAML)
    shutil.copy(DATA_DIR / PEI_SCHEMA, data / PEI_SCHEMA)
    shutil.copy(DATA_DIR / OBSERVATIONS_SCHEMA, data / OBSERVATIONS_SCHEMA)
    (data / OBSERVATIONS_CSV).write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return data


def test_a_cited_observation_file_loads_sorted_and_feeds_the_progress_table(tmp_path):
    data = _data_with(
        tmp_path,
        f'O3-E2-M3,2021-12-31,30,días,"{CITA}",',
        f'O3-E2-M3,2020-12-31,36,días,"{CITA}",promedio anual',
    )
    observations = load_observations(data)
    assert observations["fecha"].tolist() == [pd.Timestamp("2020-12-31"), pd.Timestamp("2021-12-31")]
    assert str(observations["valor"].dtype) == "float64"
    row = indicator_progress(load_pei(data), observations).set_index("meta_id").loc["O3-E2-M3"]
    assert row["brecha_cerrada"] == pytest.approx((30 - 50) / (15 - 50))  # 50 → 15 días (PEI)
    assert row["estado"] == "en avance"  # the PEI gives no year for this meta


def test_the_loader_refuses_an_unknown_meta_naming_the_line(tmp_path):
    data = _data_with(
        tmp_path, f'O3-E2-M3,2020-12-31,36,días,"{CITA}",', f'O3-E9-M1,2020-12-31,1,días,"{CITA}",'
    )
    with pytest.raises(DataError, match=r"línea 3.*meta_id.*O3-E9-M1.*no existe"):
        load_observations(data)


def test_the_loader_refuses_a_meta_that_has_no_indicator(tmp_path):
    data = _data_with(tmp_path, f'O2-E4-M1,2020-12-31,5,porcentaje,"{CITA}",')
    with pytest.raises(DataError, match=r"línea 2.*meta_id.*no tiene indicador"):
        load_observations(data)


def test_the_loader_refuses_a_date_that_does_not_exist_naming_the_line(tmp_path):
    data = _data_with(
        tmp_path, f'O3-E2-M3,2020-12-31,36,días,"{CITA}",', f'O3-E2-M3,2021-02-30,30,días,"{CITA}",'
    )
    with pytest.raises(DataError, match=r"línea 3.*fecha.*2021-02-30"):
        load_observations(data)


def test_the_loader_refuses_a_date_not_written_as_iso(tmp_path):
    data = _data_with(tmp_path, f'O3-E2-M3,31/12/2020,36,días,"{CITA}",')
    with pytest.raises(DataError, match=r"línea 2.*fecha"):
        load_observations(data)


def test_the_loader_refuses_a_date_in_the_future(tmp_path):
    data = _data_with(tmp_path, f'O3-E2-M3,2999-12-31,36,días,"{CITA}",')
    with pytest.raises(DataError, match=r"línea 2.*fecha.*futuro"):
        load_observations(data)


def test_the_loader_refuses_a_unit_other_than_the_indicators(tmp_path):
    data = _data_with(
        tmp_path, f'O3-E2-M3,2020-12-31,36,días,"{CITA}",', f'O3-E2-M3,2021-12-31,4,semanas,"{CITA}",'
    )
    with pytest.raises(DataError, match=r"línea 3.*unidad.*semanas.*días"):
        load_observations(data)


def test_the_loader_refuses_an_observation_without_its_citation(tmp_path):
    data = _data_with(tmp_path, "O3-E2-M3,2020-12-31,36,días,,")
    with pytest.raises(DataError, match=r"línea 2.*fuente"):
        load_observations(data)


def test_the_loader_refuses_two_values_for_the_same_indicator_and_date(tmp_path):
    data = _data_with(
        tmp_path, f'O3-E2-M3,2020-12-31,36,días,"{CITA}",', f'O3-E2-M3,2020-12-31,35,días,"{CITA}",'
    )
    with pytest.raises(DataError, match=r"línea 3.*fecha.*ya tiene un valor.*línea 2"):
        load_observations(data)
