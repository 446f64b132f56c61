"""Regenerate the bad-input corpus from the shipped raw extract: python -m tests.corpus.generar

Each case is a file here plus its expected outcome in casos.yaml. The files are committed; this
script documents how each was made and rebuilds them if the corpus must change.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from fpdf import FPDF

from evaluation.report_pdf import CREATED, extract_to_pdf
from evaluation.report_sheet import extract_to_xlsx

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[1] / "data" / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt"
TEXT = RAW.read_bytes().decode("utf-8")
LINES = TEXT.split("\n")


def line_starting(prefix: str) -> str:
    return next(x for x in LINES if x.startswith(prefix))


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def sicoin_cases() -> None:
    write("ok_bom.txt", "\ufeff" + TEXT)
    write("ok_cp1252_crlf.txt", TEXT.replace("\n", "\r\n"), "cp1252")
    write("ok_espacios_y_tabs_al_final.txt", "\n".join(x + "  \t " if x else x for x in LINES))
    write("ok_porcentajes_sin_signo.txt", TEXT.replace("%", ""))
    write("ok_columnas_vacias_extra.txt", "\n".join(x + "\t\t\t" if x[:1].isdigit() else x for x in LINES))
    header = "\n".join(LINES[27:30])
    write(
        "ok_encabezado_repetido.txt", TEXT.replace(line_starting("9\t"), header + "\n" + line_starting("9\t"))
    )
    write(
        "ok_descripcion_con_html.txt",
        TEXT.replace("del Instituto. (SALI)", "del Instituto <script>alert(1)</script>. (SALI)"),
    )
    write("mal_porcentaje.txt", TEXT.replace("30.61%", "31.61%"))
    write("mal_subtotal.txt", TEXT.replace("191,181", "191,118"))
    line = line_starting("15\t")
    write("mal_producto_duplicado.txt", TEXT.replace(line, line + "\n" + line))
    write("mal_producto_faltante.txt", TEXT.replace(line_starting("30\t") + "\n", ""))
    write("mal_negativo.txt", TEXT.replace("\t73,511\t", "\t-73,511\t"))
    write("mal_no_numerico.txt", TEXT.replace("\t73,511\t", "\t73,5x1\t"))
    write("mal_vacio.txt", "")
    (HERE / "mal_binario.txt").write_bytes(bytes(range(256)) * 4)
    write(
        "mal_linea_desconocida.txt",
        TEXT.replace(line_starting("20\t"), "texto suelto\t12\n" + line_starting("20\t")),
    )
    write("mal_columna_de_menos.txt", TEXT.replace("\t5,103,866\t", "\t"))


def template_frame() -> pd.DataFrame:
    from pei_analysis.ingest import sicoin

    t = sicoin.parse(RAW)
    return pd.DataFrame(
        {
            "año": 2024,
            "cuatrimestre": 2,
            "programa": t["programa"],
            "nombre del programa": t["programa_nombre"],
            "subprograma": t["subprograma"],
            "nombre del subprograma": t["subprograma_nombre"],
            "producto": t["producto"],
            "descripción": t["descripcion"],
            "sigla": t["sigla"].fillna(""),
            "unidad": t["unidad"],
            "programado anual vigente": t["programado"],
            # test data, not IGSS figures: the first cuatrimestre's production, 5% higher
            "ejecutado": (t["ejecutado"] * 1.05).round().astype(int),
            "% de avance": "",
        }
    )


def template_cases() -> None:
    frame = template_frame()
    frame.to_csv(HERE / "ok_plantilla_c2.csv", index=False)
    frame.assign(**{"programado anual vigente": frame["programado anual vigente"].map("{:,}".format)}).to_csv(
        HERE / "ok_plantilla_c2_excel_punto_y_coma.csv", index=False, sep=";", encoding="cp1252"
    )
    with_extra = frame.assign(**{"": ""})
    with_extra.to_csv(HERE / "ok_plantilla_c2_columna_vacia_extra.csv", index=False)
    frame.to_excel(HERE / "ok_plantilla_c2.xlsx", index=False)
    (HERE / "mal_plantilla_no_es_excel.xlsx").write_bytes(b"esto no es un libro de Excel\n" * 10)
    frame.assign(ejecutado=frame["ejecutado"].astype(str).mask(frame["producto"] == 7, "")).to_csv(
        HERE / "mal_plantilla_ejecutado_vacio.csv", index=False
    )
    frame.rename(columns={"sigla": "siglas raras"}).to_csv(
        HERE / "mal_plantilla_columna_desconocida.csv", index=False
    )
    frame[frame["producto"] != 12].to_csv(HERE / "mal_plantilla_producto_faltante.csv", index=False)
    frame.assign(ejecutado=frame["ejecutado"] * 2).to_csv(
        HERE / "mal_plantilla_acumulado_como_periodo.csv", index=False
    )
    frame.assign(ejecutado=frame["ejecutado"].mask(frame["producto"] == 4, frame["ejecutado"] * 40)).to_csv(
        HERE / "mal_plantilla_atipico.csv", index=False
    )
    frame.assign(**{"% de avance": "99.00%"}).to_csv(HERE / "mal_plantilla_porcentaje.csv", index=False)
    frame.assign(ejecutado=frame["ejecutado"].astype(str).mask(frame["producto"] == 3, "-5")).to_csv(
        HERE / "mal_plantilla_negativo.csv", index=False
    )
    frame.assign(cuatrimestre=3).to_csv(HERE / "mal_plantilla_otro_cuatrimestre.csv", index=False)


def pdf_cases() -> None:
    """The report as IGSS publishes it, a PDF table, drawn from the extract (evaluation/report_pdf.py:
    the layout the extract shows, not IGSS's own file), and the ways a PDF goes wrong."""
    (HERE / "ok_reporte.pdf").write_bytes(extract_to_pdf(TEXT))
    (HERE / "mal_pdf_porcentaje.pdf").write_bytes(extract_to_pdf(TEXT.replace("30.61%", "31.61%")))
    (HERE / "mal_pdf_subtotal.pdf").write_bytes(extract_to_pdf(TEXT.replace("191,181", "191,118")))
    (HERE / "ok_pdf_sin_lineas.pdf").write_bytes(extract_to_pdf(TEXT, borders="NONE", v_align="BOTTOM"))
    loose = FPDF()  # figures in lines of text, without the column header that says their columns
    loose.set_creation_date(CREATED)
    loose.add_page()
    loose.set_font("Helvetica", size=9)
    for line in (x for x in LINES[:30] if "PRODUCTOS" not in x.upper()):
        cells = [c for c in line.split("\t") if c.strip()]
        text = " ".join([*cells[:1], *(c[:50] for c in cells[1:2]), *cells[2:]])
        loose.cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
        loose.ln()
    (HERE / "mal_pdf_sin_encabezado.pdf").write_bytes(bytes(loose.output()))
    (HERE / "mal_pdf_danado.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    blank = FPDF()
    blank.set_creation_date(CREATED)
    blank.add_page()  # a scanned report: pages without text
    (HERE / "mal_pdf_sin_texto.pdf").write_bytes(bytes(blank.output()))
    locked = FPDF()
    locked.set_creation_date(CREATED)
    locked.set_encryption(owner_password="igss", user_password="clave")
    locked.add_page()
    (HERE / "mal_pdf_con_clave.pdf").write_bytes(bytes(locked.output()))


def workbook_cases() -> None:
    """The report as the planning department keeps it, the workbook the PDF is printed from, drawn from the
    extract (evaluation/report_sheet.py: the layout the extract shows, not IGSS's own file), and the ways a
    workbook goes wrong."""
    (HERE / "ok_reporte.xlsx").write_bytes(extract_to_xlsx(TEXT))
    (HERE / "mal_libro_porcentaje.xlsx").write_bytes(
        extract_to_xlsx(TEXT.replace("30.61%", "31.61%"), percent="texto")
    )
    without = extract_to_xlsx(TEXT, percent="formula_sin_valor")
    (HERE / "mal_libro_formula_sin_valor.xlsx").write_bytes(without)
    two = HERE / "mal_libro_dos_hojas.xlsx"
    two.write_bytes(extract_to_xlsx(TEXT, percent="valor"))
    book = openpyxl.load_workbook(two)
    book.copy_worksheet(book["POA"]).title = "POA (2)"
    book.save(two)
    (HERE / "mal_libro_excel_97.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


if __name__ == "__main__":
    sicoin_cases()
    template_cases()
    pdf_cases()
    workbook_cases()
