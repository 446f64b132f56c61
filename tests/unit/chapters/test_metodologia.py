"""The methodology chapter's list of checks (pei_analysis.chapters.metodologia)."""

from __future__ import annotations

from pei_analysis.chapters import metodologia


def test_checks_are_a_list_of_ticks_with_the_text_escaped():
    text = metodologia.checks_markdown(["poa: 36 filas", "<b>raro</b> *x*"])
    assert text.splitlines()[0] == "- ✔ poa: 36 filas".replace(":", "\\:")
    assert "<b>" not in text and "\\*x\\*" in text


def test_the_shipped_datasets_checks_are_each_one_line(shipped):
    text = metodologia.checks_markdown(shipped.checks)
    assert len(text.splitlines()) == len(shipped.checks) == 7
