"""The spreadsheets the project writes: the same tables give the same bytes."""

import time
import zipfile

import pandas as pd

from pei_analysis.chapters.downloads import export_tables
from pei_analysis.ingest.template import write_template
from pei_analysis.spreadsheet import FIXED_DATE, fix_xlsx_dates
from pei_analysis.tables.poa import load_poa


def _entries(path):
    with zipfile.ZipFile(path) as z:
        return {info.filename: (info.date_time, z.read(info)) for info in z.infolist()}


def test_fixing_the_dates_keeps_every_part_but_the_save_time(tmp_path):
    path = tmp_path / "t.xlsx"
    pd.DataFrame({"producto": ["Consultas"], "valor": [3]}).to_excel(path, index=False)
    before = _entries(path)
    fix_xlsx_dates(path)
    after = _entries(path)
    assert list(after) == list(before)
    assert {stamp for stamp, _ in after.values()} == {FIXED_DATE}
    for name, (_, data) in after.items():
        if name != "docProps/core.xml":
            assert data == before[name][1]
    core = after["docProps/core.xml"][1].decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    assert str(time.gmtime().tm_year) not in core
    assert pd.read_excel(path).to_dict("list") == {"producto": ["Consultas"], "valor": [3]}


def test_downloads_written_at_different_times_have_the_same_bytes(tmp_path):
    table = pd.DataFrame({"producto": ["Consultas", "=1+1"], "valor": [3.5, 4.0]})
    export_tables({"poa_ejecucion": table}, tmp_path / "a")
    time.sleep(2.1)  # the zip's clock counts in steps of 2 s
    export_tables({"poa_ejecucion": table}, tmp_path / "b")
    for name in ("poa_ejecucion.xlsx", "todas_las_tablas.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert {stamp for stamp, _ in _entries(tmp_path / "a" / name).values()} == {FIXED_DATE}


def test_the_capture_template_carries_the_fixed_date(tmp_path):
    _, xlsx = write_template(load_poa(), 2024, 2, tmp_path)
    assert {stamp for stamp, _ in _entries(xlsx).values()} == {FIXED_DATE}
