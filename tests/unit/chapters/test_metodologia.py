"""The methodology chapter's list of checks (pei_analysis.chapters.metodologia)."""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters import metodologia


def test_checks_are_a_list_of_ticks_with_the_text_escaped():
    text = metodologia.checks_markdown(["poa: 36 filas", "<b>raro</b> *x*"])
    assert text.splitlines()[0] == "- ✔ poa: 36 filas".replace(":", "\\:")
    assert "<b>" not in text and "\\*x\\*" in text


def test_the_shipped_datasets_checks_are_each_one_line(shipped):
    text = metodologia.checks_markdown(shipped.checks)
    assert len(text.splitlines()) == len(shipped.checks) == 7


def test_each_original_says_its_length_in_its_own_unit_and_one_without_any_says_sin_datos():
    sources = pd.DataFrame(
        {
            "lineas": [934, None, None, 1, None],
            "paginas": [None, 4, None, None, None],
            "filas": [None, None, None, None, 70],
        },
        dtype="Int64",
    )
    assert metodologia.sources_display(sources)["extension"].tolist() == [
        "934 líneas",
        "4 páginas",
        "sin datos",
        "1 línea",
        "70 filas",
    ]


def test_the_shipped_originals_are_two_texts_counted_in_lines(shipped):
    shown = metodologia.sources_display(shipped.sources).set_index("archivo")["extension"]
    assert shown["pei_2018_2022_texto.txt"] == "934 líneas"
    assert shown.str.endswith("líneas").all()
