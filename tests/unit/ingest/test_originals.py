"""The originals in data/raw/: the period in their names, and which files of a batch they already keep."""

from __future__ import annotations

import pytest

from pei_analysis.errors import DataError
from pei_analysis.ingest.originals import already_imported, check_still_kept, original_period
from tests.conftest import RAW_POA


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("poa_2024_c1_sicoin_ejecucion_fisica.txt", (2024, 1)),
        ("poa_2023_c3_plantilla_0a1b2c3d.csv", (2023, 3)),
        ("poa_2022_anual_plantilla.xlsx", (2022, None)),
        ("pei_2018_2022_texto.txt", None),
        ("poa_2024_c4_sicoin_ejecucion_fisica.txt", None),
    ],
)
def test_the_period_of_an_original_is_read_from_its_name(name, period):
    assert original_period(name) == period


def test_a_file_with_the_bytes_of_an_original_is_left_out_whatever_its_name(tmp_path, data_copy):
    copy = tmp_path / "reporte_enero_abril.txt"
    copy.write_bytes(RAW_POA.read_bytes())
    other = tmp_path / "otro.txt"
    other.write_bytes(RAW_POA.read_bytes() + b"\n")
    keep, kept = already_imported([copy, other], data_copy)
    assert keep == [other]
    assert kept == {copy: RAW_POA.name}


def test_an_original_gone_since_the_file_was_left_out_is_refused_naming_the_file(tmp_path, data_copy):
    copy = tmp_path / "reporte.txt"
    copy.write_bytes(RAW_POA.read_bytes())
    _, kept = already_imported([copy], data_copy)
    check_still_kept(kept, data_copy)
    (data_copy / "raw" / RAW_POA.name).unlink()
    with pytest.raises(DataError, match="vuelva a dar la misma orden") as refused:
        check_still_kept(kept, data_copy)
    assert refused.value.path == copy
