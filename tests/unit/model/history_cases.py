"""SIMULATED multi-year POA tables for the history tests (DATOS SIMULADOS, NO SON CIFRAS DEL IGSS).

Four products in one program, years 2021-2024 (the edition is 2024-c1):

- product 1 follows a known within-year profile (30 %, 30 %, 40 % of the year) and grows 10 % a year;
- product 2 has the profile 20 %, 40 %, 40 % and a flat level;
- product 3 appears in 2023 (no earlier row);
- product 4 disappears after 2022 (not in 2023 nor in the edition);
- 2022 is incomplete: its third cuatrimestre is missing for every product;
- 2020 is annual-only (:func:`annual_totals`).
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.tables.poa import PRODUCT_KEY

PROFILES = {1: (0.30, 0.30, 0.40), 2: (0.20, 0.40, 0.40), 3: (0.25, 0.35, 0.40), 4: (0.30, 0.30, 0.40)}
LEVELS = {1: 1000.0, 2: 600.0, 3: 400.0, 4: 200.0}
YEARS = {1: (2021, 2022, 2023, 2024), 2: (2021, 2022, 2023, 2024), 3: (2023, 2024), 4: (2021, 2022)}
GROWTH = {1: 1.10, 2: 1.0, 3: 1.0, 4: 1.0}


def key(producto: int):
    """The product's identity in the table: its number today, a text key once PRODUCT_KEY is the
    catalogue's."""
    return producto if PRODUCT_KEY == "producto" else f"clave-{producto}"


def year_total(producto: int, anio: int) -> float:
    return LEVELS[producto] * GROWTH[producto] ** (anio - 2021)


def _row(producto: int, anio: int, cuatrimestre: int) -> dict:
    ejecutado = round(year_total(producto, anio) * PROFILES[producto][cuatrimestre - 1])
    programado = round(year_total(producto, anio))
    return {
        "anio": anio,
        "cuatrimestre": cuatrimestre,
        "programa": "11",
        "programa_nombre": "PROGRAMA SIMULADO",
        "subprograma": "01",
        "subprograma_nombre": "SUBPROGRAMA SIMULADO",
        "producto": producto,
        PRODUCT_KEY: key(producto),
        "descripcion": f"Producto simulado {producto}",
        "sigla": "SIM",
        "unidad": "producción",
        "programado": programado,
        "ejecutado": ejecutado,
        "porcentaje_reportado": round(ejecutado * 100 / programado, 2),
        "cifras_origen": "periodo",
        "archivo_origen": "simulado.txt",
        "linea_origen": producto,
    }


def simulated_poa(missing_2022_c3: bool = True) -> pd.DataFrame:
    """The simulated tidy POA table described in the module docstring."""
    rows = [
        _row(p, anio, c)
        for p, years in YEARS.items()
        for anio in years
        for c in ((1,) if anio == 2024 else (1, 2) if anio == 2022 and missing_2022_c3 else (1, 2, 3))
    ]
    return pd.DataFrame(rows).sort_values(["anio", "cuatrimestre", "producto"]).reset_index(drop=True)


def annual_totals() -> pd.DataFrame:
    """2020, annual-only, for products 1 and 2 (simulated)."""
    return pd.DataFrame({PRODUCT_KEY: [key(1), key(2)], "anio": [2020, 2020], "ejecutado": [900.0, 600.0]})
