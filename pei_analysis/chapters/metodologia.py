"""El capítulo «Metodología y fuentes»: las verificaciones repetidas al construir, en palabras.

The projection overview and the semáforo's rules it also shows are those of
:mod:`pei_analysis.chapters.proyeccion`, so both chapters always say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from pei_analysis.chapters.display import md_escape


def checks_markdown(lines: Iterable[str]) -> str:
    """The validation summary as a Markdown list, one ✔ per check passed (text escaped)."""
    return "\n".join(f"- ✔ {md_escape(line)}" for line in lines)
