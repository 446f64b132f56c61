"""How the book names a product in little room: a table cell, a chart axis, a sentence.

SICOIN descriptions are long and products of one subprogram share long
openings, so cutting them at a fixed length makes siblings read the same.
The catalogue's ``nombre_corto`` (written by an analyst, distinct within the
catalogue) wins wherever the table has it; without it, a description is cut
at a word and, among rows that would still read the same, jumps to what
tells each apart. Only text here: escaping and HTML are :mod:`.display`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

#: Characters a ``short`` column keeps of a text (a description: about two lines of a narrow column).
SHORT_TEXT = 80
#: Opening words a shortened text keeps before jumping to what tells it apart from its twins.
HEAD_WORDS = 3


def short_texts(table: pd.DataFrame, field: str, limit: int = SHORT_TEXT) -> pd.Series:
    """Each row's *field* cut to about *limit* characters so that no two rows read the same.

    A description is shown by the product's ``nombre_corto`` from the catalogue when the table has
    it (see :func:`short_names`); only a product without one falls back to the cut below.
    A description is cut at a word (see :func:`short_description`); SICOIN descriptions often
    share long openings («Beneficiario que recibe pago oportuno por cuota mortuoria por el
    fallecimiento de un…»), so rows that would read the same keep their first words and then
    jump to what tells them apart (see :func:`distinctive_text`): «Beneficiario que recibe…
    afiliado por Enfermedad, Maternidad y Accidente (EMA)…». The (SIGLA) is added when the
    table has one. Indexed like *table*.
    """
    texts = table[field].astype(str).tolist()
    natural = [short_description(text, limit) for text in texts]
    shown = list(natural)
    named = short_names(table) if field == "descripcion" else [None] * len(texts)
    for cut in set(natural):
        twins = [i for i, n in enumerate(natural) if n == cut]
        if len(twins) < 2:
            continue
        group = [texts[i] for i in twins]
        for i in twins:
            head = " ".join(_words(texts[i])[:HEAD_WORDS]).rstrip(",;:.")
            tail = distinctive_text(texts[i], group)
            first = tail.split(" ", 1)[0]
            if not (len(first) > 1 and first.isupper()):  # «O permanente…» → «o permanente…»; «IVS» stays
                tail = tail[:1].lower() + tail[1:]
            if tail.startswith(head):
                continue
            shown[i] = f"{head}… {short_description(tail, max(limit - len(head) - 2, 20))}"
    shown = [name or text for name, text in zip(named, shown, strict=True)]
    siglas = table["sigla"].tolist() if "sigla" in table.columns else [None] * len(texts)
    return pd.Series(
        [
            text + (f" ({sigla})" if isinstance(sigla, str) and sigla else "")
            for text, sigla in zip(shown, siglas, strict=True)
        ],
        index=table.index,
    )


def short_names(table: pd.DataFrame) -> list[str | None]:
    """Each row's ``nombre_corto`` (the catalogue's short name), or None where the table or the row has none.

    Written by an analyst and distinct within the catalogue, it is what tells products apart in a
    narrow column or a chart axis; cutting SICOIN descriptions made products 23, 27 and 30 read
    the same («…cuota mortuoria…») and dropped «COVID-19» from product 36.
    """
    if "nombre_corto" not in table.columns:
        return [None] * len(table)
    return [
        name.strip() if isinstance(name, str) and name.strip() else None for name in table["nombre_corto"]
    ]


def product_name(record: Mapping, limit: int = 60) -> str:
    """One product's short name for a sentence: its ``nombre_corto``, or its description cut to *limit*."""
    name = record.get("nombre_corto")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return short_description(record["descripcion"], limit)


def short_description(text: str, limit: int = 70) -> str:
    """The description without its closing (SIGLA), cut at a word boundary to *limit* characters."""
    text = re.sub(r"\s*\([A-ZÁÉÍÓÚÑ]{2,6}\)\s*\.?\s*$", "", str(text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _words(text: str) -> list[str]:
    return re.sub(r"\s*\([A-ZÁÉÍÓÚÑ]{2,6}\)\s*\.?\s*$", "", str(text)).strip().rstrip(".").split()


def distinctive_text(description: str, siblings: Sequence[str]) -> str:
    """What tells a product apart from its siblings (the other products of its subprogram).

    SICOIN descriptions within a subprogram share long openings («Afiliados, beneficiarios
    (adultos y niños) y pensionados…»); the opening shared with the most similar sibling is
    dropped, and so is a «servicio de» near the start, so that the label begins with what
    differs (hospitalización, consulta externa, emergencia; Enfermedad, Maternidad…).
    """
    words = _words(description)
    others = [_words(s) for s in siblings if s != description]
    prefix = max((len(_common_prefix(words, o)) for o in others), default=0)
    start = prefix if prefix < len(words) - 2 else 0
    text = " ".join(words[start:]).strip(" ,;:")
    found = re.search(r"\bservicios? (?:de |del )?(.+)", text)
    if found and found.start() < 60 and len(found.group(1)) > 10:
        text = found.group(1)
    return text[:1].upper() + text[1:] if text else " ".join(words)


def _common_prefix(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return out


def short_labels(table: pd.DataFrame, limit: int = 55) -> pd.Series:
    """A short label per product for chart axes: '4 ENF · Consulta externa por enfermedad'.

    The catalogue's ``nombre_corto`` when the table has it; otherwise what tells the product apart
    from the others of its subprogram (see :func:`distinctive_text`). Indexed like *table*.
    """
    labels = {}
    for _, group in table.groupby(["programa", "subprograma"], sort=False):
        descriptions = group["descripcion"].astype(str).tolist()
        for index, record, name in zip(
            group.index, group.to_dict("records"), short_names(group), strict=True
        ):
            text = name or short_description(distinctive_text(record["descripcion"], descriptions), limit)
            sigla = record.get("sigla")
            head = (
                f"{int(record['producto'])} {sigla}"
                if isinstance(sigla, str) and sigla
                else str(int(record["producto"]))
            )
            labels[index] = f"{head} · {text}"
    return pd.Series(labels).reindex(table.index)
