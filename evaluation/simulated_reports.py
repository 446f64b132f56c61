"""Reportes de SICOIN simulados de años anteriores: DATOS SIMULADOS, NO SON CIFRAS DEL IGSS.

IGSS holds years of the same «Reporte Analítico de Ejecución Física» we have one cuatrimestre of
(2024-C1, the only real report in data/). Until those arrive, the import of a history and the
projection from it are exercised on simulated past reports, written here and never in data/.

Every simulated extract is built from the real 2024-C1 report's product list (same programmes,
subprogrammes, descriptions and siglas) and has the layout the SICOIN reader
(:mod:`pei_analysis.ingest.sicoin`) parses: page header with the period in the title
(«Plan Operativo Anual (POA) 2022 Segundo Cuatrimestre»), column headers whose words give the
unit (PAGOS for Prestaciones pecuniarias), «PROGRAMA:» lines, subprogram subtotals that add up,
percentages that match ejecutado / programado, and the «Fuente:» footer with the months covered
(«(de mayo a agosto 2022)»). The title ends with «(DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)», like
the test fixtures' «DATOS DE PRUEBA» mark, and the footer says it again.

How the figures are made (:class:`Simulation`): each product has a level, the year total, and a
within-year profile known by construction (by default 30 % of the year in cuatrimestre 1 and 35 %
in each of the others, so the pace so far ×3 after the first cuatrimestre is 10 % low). The 2024
level is the real 2024-C1 figure divided by the profile's first share, so the right 2024 total
is ``c1_2024 / 0.30``; earlier years move it by a mild yearly trend of the product's own, and each
cuatrimestre's figure carries a small multiplicative noise, all from a fixed seed. Products that
executed nothing in 2024-C1 (the PRECAPI payments, the vaccine codes: tiny or lumpy targets) get
the late profile (0 %, 50 %, 50 %) and their 2024 programado as level, so their 2024 total is
not ``0 / 0.30``: see :func:`right_totals`.

The figures of a product depend only on the seed and the product, never on how the reports are
laid out, so a run with a variant (two products trading numbers, a product that appears or
disappears, a missing cuatrimestre, a year given as annual totals only) and a run without it
describe the same production.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pei_analysis.ingest import sicoin
from pei_analysis.paths import DATA_DIR

#: The real report the simulated ones copy their products from.
REAL_REPORT = DATA_DIR / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt"
#: Closes every simulated title (as «DATOS DE PRUEBA» closes the test fixtures').
MARK = "(DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)"
#: Share of the year in each cuatrimestre: the pace ×3 after the first is 0.30 × 3 = 0.90 of the year.
DEFAULT_PROFILE = (0.30, 0.35, 0.35)
#: Profile of the products with nothing in 2024-C1: nothing in the first cuatrimestre, as in 2024.
LATE_PROFILE = (0.0, 0.5, 0.5)
ANNUAL = 0
_ORDINAL = {1: "Primer", 2: "Segundo", 3: "Tercer"}
_MONTHS = {
    1: ("enero", "abril"),
    2: ("mayo", "agosto"),
    3: ("septiembre", "diciembre"),
    ANNUAL: ("enero", "diciembre"),
}
_TITLE = (
    "INSTITUTO GUATEMALTECO DE SEGURIDAD SOCIAL -IGSSSubgerencia de Planificación y Desarrollo "
    "Departamento de Planificación Plan Operativo Anual (POA) {anio} {periodo} " + MARK
)
_FOOTER = (
    "Fuente: DATOS SIMULADOS a partir del reporte de 2024-C1, NO SON CIFRAS DEL IGSS. Seguimiento Físico "
    "Cuatrimestral "
    "-Reportes Analítico de Ejecución Física (de {desde} a {hasta} {anio}) de SICOIN ."
)


@dataclass(frozen=True)
class RetiredProduct:
    """A simulated product that is not in the 2024 report: it closes its subprogram until *last_year*."""

    clave: str
    programa: str
    subprograma: str
    descripcion: str
    nivel: float
    last_year: int


#: A product that disappears: COVID-19 tests, listed after the COVID-19 interventions until 2022.
COVID_TESTS = RetiredProduct(
    clave="R1",
    programa="94",
    subprograma="01",
    descripcion="Pruebas de detección de COVID-19 realizadas a afiliados, beneficiarios y población no "
    "afiliada, por personal sanitario de las unidades médicas del Instituto.",
    nivel=12_000,
    last_year=2022,
)


@dataclass(frozen=True)
class Simulation:
    """What to simulate: the years, the known profile, trend and noise, the figures' form and the variants.

    ``swaps`` holds (year, a, b): products a and b (their 2024 numbers, same subprogram) trade numbers
    and lines in every report of that year. ``appears`` maps a product's 2024 number to the first year
    it is reported. ``retired`` are products not in 2024 (see :class:`RetiredProduct`). ``missing``
    lists (year, cuatrimestre) reports not written; ``annual`` the years written as one annual extract.
    """

    years: tuple[int, ...] = (2021, 2022, 2023)
    profile: tuple[float, float, float] = DEFAULT_PROFILE
    trend: float = 0.03
    trend_spread: float = 0.02
    noise: float = 0.02
    seed: int = 19
    cifras: str = "periodo"
    swaps: tuple[tuple[int, int, int], ...] = ()
    appears: Mapping[int, int] = field(default_factory=dict)
    retired: tuple[RetiredProduct, ...] = ()
    missing: tuple[tuple[int, int], ...] = ()
    annual: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if abs(sum(self.profile) - 1) > 1e-9 or min(self.profile) <= 0:
            raise ValueError(f"el perfil debe tener tres partes positivas que sumen 1: {self.profile}")
        if self.cifras not in ("periodo", "acumulado"):
            raise ValueError(f"cifras debe ser «periodo» o «acumulado»: {self.cifras}")


def real_products(report: Path = REAL_REPORT) -> pd.DataFrame:
    """The real 2024-C1 report's products, as the reader parses them, with their key «clave» (their
    number)."""
    table = sicoin.parse(report)
    return table.assign(clave=table["producto"].astype(str))


def _products(sim: Simulation, real: pd.DataFrame) -> pd.DataFrame:
    """One row per simulated product (the 2024 ones and the retired ones) with its level, profile and
    trend."""
    rows = []
    for p in real.itertuples():
        late = p.ejecutado == 0
        rows.append(
            {
                "clave": p.clave,
                "programa": p.programa,
                "subprograma": p.subprograma,
                "descripcion": p.descripcion,
                "nivel_2024": float(p.programado if late else p.ejecutado / sim.profile[0]),
                "perfil": LATE_PROFILE if late else sim.profile,
                "programado_2024": int(p.programado),
                "ultimo_anio": 2024,
            }
        )
    for r in sim.retired:
        rows.append(
            {
                "clave": r.clave,
                "programa": r.programa,
                "subprograma": r.subprograma,
                "descripcion": r.descripcion,
                "nivel_2024": float(r.nivel),
                "perfil": sim.profile,
                "programado_2024": int(np.rint(r.nivel)),
                "ultimo_anio": r.last_year,
            }
        )
    return pd.DataFrame(rows)


def _rng(sim: Simulation, clave: str) -> np.random.Generator:
    """The product's own random stream: its figures do not depend on which other products are simulated."""
    return np.random.default_rng([sim.seed, *clave.encode()])


def simulated_history(sim: Simulation, real: pd.DataFrame | None = None) -> pd.DataFrame:
    """The simulated production: one row per product, year and cuatrimestre (period figures, whole units).

    Columns ``clave``, ``descripcion``, ``anio``, ``cuatrimestre``, ``ejecutado`` and ``programado`` (the
    year's vigente, scaled from 2024's with the level). All cuatrimestres of the years a product is
    reported in (not before it appears, not after a retired one's last year), whether or not a report
    is written for them (``missing``, ``annual``).
    """
    real = real_products() if real is None else real
    rows = []
    for p in _products(sim, real).itertuples():
        rng = _rng(sim, p.clave)
        growth = sim.trend + sim.trend_spread * rng.uniform(-1, 1)
        for anio in sim.years:
            noise = np.exp(sim.noise * rng.standard_normal(3))
            if not _reported(sim, p.clave, p.ultimo_anio, anio):
                continue  # after drawing its noise, so the other years' figures stay the same
            level = p.nivel_2024 * (1 + growth) ** (anio - 2024)
            programado = max(1, int(np.rint(p.programado_2024 * level / p.nivel_2024)))
            for c, share in enumerate(p.perfil, start=1):
                rows.append(
                    {
                        "clave": p.clave,
                        "programa": p.programa,
                        "subprograma": p.subprograma,
                        "descripcion": p.descripcion,
                        "anio": anio,
                        "cuatrimestre": c,
                        "ejecutado": int(np.rint(level * share * noise[c - 1])),
                        "programado": programado,
                    }
                )
    return pd.DataFrame(rows)


def right_totals(sim: Simulation, real: pd.DataFrame | None = None) -> pd.DataFrame:
    """The right 2024 total of each 2024 product, known by construction.

    ``total_correcto`` is ``c1_2024 / profile[0]``. A product with nothing in 2024-C1 would get a right
    total of 0, and a relative error against 0 means nothing; it follows the late profile, its right total
    is its simulated 2024 level (the 2024 programado) and ``medible`` is False: the check shows it but
    leaves it out of the share of products within 3 % (they are tiny targets: 1 to 22 units a year).
    """
    real = real_products() if real is None else real
    late = real["ejecutado"] == 0
    total = np.where(late, real["programado"].astype(float), real["ejecutado"] / sim.profile[0])
    return pd.DataFrame(
        {
            "clave": real["clave"],
            "producto": real["producto"],
            "descripcion": real["descripcion"],
            "ejecutado_c1": real["ejecutado"],
            "total_correcto": total,
            "medible": ~late,
        }
    )


def _layout(sim: Simulation, products: pd.DataFrame, anio: int) -> list[str]:
    """The claves reported in *anio*, in report order: 2024's order, retired products where they were,
    products not yet reported left out, and the year's swapped pairs trading places."""
    order = [
        k
        for k, last in zip(products["clave"], products["ultimo_anio"], strict=True)
        if _reported(sim, k, last, anio)
    ]
    for year, a, b in sim.swaps:
        if year == anio:
            i, j = order.index(str(a)), order.index(str(b))
            order[i], order[j] = order[j], order[i]
    return order


def _reported(sim: Simulation, clave: str, last_year: int, anio: int) -> bool:
    """Whether the product is in *anio*'s reports: not before it appears, not after its last year."""
    first = sim.appears.get(int(clave), 0) if clave.isdigit() else 0
    return first <= anio <= last_year


def report_text(
    sim: Simulation,
    anio: int,
    cuatrimestre: int,
    real: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
) -> str:
    """The text of one simulated extract; ``cuatrimestre`` :data:`ANNUAL` (0) for the year's totals."""
    real = real_products() if real is None else real
    history = simulated_history(sim, real) if history is None else history
    products = _products(sim, real)
    year = history[history["anio"] == anio]
    if cuatrimestre == ANNUAL or sim.cifras == "acumulado":
        shown = year[year["cuatrimestre"] <= (cuatrimestre or 3)]
    else:
        shown = year[year["cuatrimestre"] == cuatrimestre]
    figures = shown.groupby("clave").agg(ejecutado=("ejecutado", "sum"), programado=("programado", "first"))
    order = _layout(sim, products, anio)
    subprograms = real.drop_duplicates(["programa", "subprograma"])
    lines = ["", "", _title(anio, cuatrimestre), "", "", "", "", ""]
    numero = 0
    for programa, subs in subprograms.groupby("programa", sort=False):
        first = subs.iloc[0]
        lines += _program_header(anio, cuatrimestre, programa, first["programa_nombre"], first["unidad"])
        for sub in subs.itertuples():
            claves = [k for k in order if _in(products, k, programa, sub.subprograma)]
            if not claves:
                continue
            subtotal = int(figures.loc[claves, "ejecutado"].sum())
            lines.append(f"{sub.subprograma}\t{sub.subprograma_nombre}\t\t{subtotal:,}\t")
            for clave in claves:
                numero += 1
                lines.append(_product_line(numero, products, clave, figures.loc[clave]))
        lines.append("")
    desde, hasta = _months(cuatrimestre, sim.cifras)
    lines.append(_FOOTER.format(desde=desde, hasta=hasta, anio=anio))
    return "\n".join(lines) + "\n"


def _in(products: pd.DataFrame, clave: str, programa: str, subprograma: str) -> bool:
    row = products[products["clave"] == clave].iloc[0]
    return row["programa"] == programa and row["subprograma"] == subprograma


def _title(anio: int, cuatrimestre: int) -> str:
    periodo = "Anual" if cuatrimestre == ANNUAL else f"{_ORDINAL[cuatrimestre]} Cuatrimestre"
    return _TITLE.format(anio=anio, periodo=periodo)


def _months(cuatrimestre: int, cifras: str) -> tuple[str, str]:
    """The months the figures cover: the cuatrimestre's, from January when cumulative, the year when
    annual."""
    desde, hasta = _MONTHS[cuatrimestre]
    return ("enero", hasta) if cifras == "acumulado" else (desde, hasta)


def _program_header(anio: int, cuatrimestre: int, programa: str, nombre: str, unidad: str) -> list[str]:
    """The column header SICOIN repeats above each programme; its words give the unit (PAGOS or
    producción)."""
    periodo = (
        f"ANUAL {anio}" if cuatrimestre == ANNUAL else f"{_ORDINAL[cuatrimestre].upper()} CUATRIMESTRE {anio}"
    )
    if unidad == "pagos":
        first, second = (
            "PAGOS PROGRAMADOS INICIALES ANUALES (VIGENTE)",
            "PAGOS REALIZADOS\tPORCENTAJE DE PAGOS REALIZADOS",
        )
    else:
        first, second = (
            "PROGRAMACIÓN INICIAL ANUAL (VIGENTE)",
            "PRODUCCIÓN REALIZADA\t% DE AVANCE CON RELACIÓN AL VIGENTE",
        )
    return [
        f"\tp. PRODUCTOS\t{first}\t{periodo}\t",
        f"No.\t\t\t{second}",
        f"\tPROGRAMA: {programa} {nombre}\t\t\t",
    ]


def _product_line(numero: int, products: pd.DataFrame, clave: str, figures: pd.Series) -> str:
    descripcion = products.loc[products["clave"] == clave, "descripcion"].iloc[0]
    programado, ejecutado = int(figures["programado"]), int(figures["ejecutado"])
    pct = ejecutado / programado * 100
    return f"{numero}\t{descripcion}\t{programado:,}\t{ejecutado:,}\t{pct:.2f}%"


def report_name(anio: int, cuatrimestre: int) -> str:
    """The file name of a simulated extract: poa_2022_c2_simulado.txt, poa_2021_anual_simulado.txt."""
    return f"poa_{anio}_{'anual' if cuatrimestre == ANNUAL else f'c{cuatrimestre}'}_simulado.txt"


def report_periods(sim: Simulation) -> list[tuple[int, int]]:
    """The (year, cuatrimestre) of every report the simulation writes, in time order (annual as 0)."""
    periods: Iterable[tuple[int, int]] = (
        [(anio, ANNUAL)] if anio in sim.annual else [(anio, c) for c in (1, 2, 3)] for anio in sim.years
    )
    return [p for year in periods for p in year if p not in sim.missing]


def write_reports(sim: Simulation, folder: str | Path, real: pd.DataFrame | None = None) -> list[Path]:
    """Write every simulated extract of *sim* to *folder* (created if needed); return their paths in time
    order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    real = real_products() if real is None else real
    history = simulated_history(sim, real)
    paths = []
    for anio, cuatrimestre in report_periods(sim):
        path = folder / report_name(anio, cuatrimestre)
        path.write_text(report_text(sim, anio, cuatrimestre, real, history), encoding="utf-8")
        paths.append(path)
    return paths
