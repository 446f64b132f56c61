"""El capítulo «Metodología y fuentes»: las verificaciones repetidas al construir, en palabras.

The projection overview and the semáforo's rules it also shows are those of
:mod:`pei_analysis.chapters.proyeccion`, so both chapters always say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from pei_analysis.chapters.display import md_escape, plural
from pei_analysis.format import join_es
from pei_analysis.model.projection import INTERVALO_REFERENCIA, RITMO


def checks_markdown(lines: Iterable[str]) -> str:
    """The validation summary as a Markdown list, one ✔ per check passed (text escaped)."""
    return "\n".join(f"- ✔ {md_escape(line)}" for line in lines)


def projection_basis(table: pd.DataFrame) -> str:
    """One plain sentence on what this edition's projections rest on: own history, other products or the
    public reference series (the engine's ``metodo`` and ``intervalo`` codes, counted).

    The method page is static and cannot know whether the data hold earlier years; this sentence can.
    """
    without = table["metodo"] == RITMO
    reference = int((without & (table["intervalo"] == INTERVALO_REFERENCIA)).sum())
    others = int((without & (table["intervalo"] != INTERVALO_REFERENCIA)).sum())
    own = int((table["metodo"].notna() & ~without).sum())
    total = len(table)
    if reference == total:
        return (
            f"En esta edición ningún producto tiene años anteriores en los datos: las {total} proyecciones "
            "descansan en series públicas de referencia, no en la experiencia del IGSS. Qué implica eso está "
            "en {doc}`metodo_proyeccion`."
        )
    parts = [
        (own, "con sus propios años anteriores"),
        (others, "con la parte del año típica de otros productos"),
        (reference, "con series públicas de referencia"),
    ]
    said = [f"{plural(n, 'producto', 'productos')} {how}" for n, how in parts if n]
    return f"En esta edición se proyectan {join_es(said)} (de {total})."
