"""Seguimiento del PEI y del POA del IGSS: datos validados, proyecciones y cumplimiento de metas.

The public API every notebook uses: ``load_poa`` for the POA execution table, ``load_pei``
for the strategic plan, ``load_linkage`` for the POA ↔ PEI links.
"""

from pei_analysis.errors import DataError
from pei_analysis.tables.linkage import load_linkage
from pei_analysis.tables.pei import PEI, load_pei
from pei_analysis.tables.poa import load_poa

__all__ = ["PEI", "DataError", "load_linkage", "load_pei", "load_poa"]
__version__ = "0.1.0"
