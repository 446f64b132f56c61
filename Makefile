# Seguimiento del PEI y del POA del IGSS. `make help` lista los objetivos.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.instalado
# Todo lo que se instala, con su versión exacta y el hash de cada archivo; `make bloquear` lo rehace.
LOCK := requirements.lock

.DEFAULT_GOAL := help

.PHONY: help install test test-unit validar lint clean book publicar test-book cuadernos registro-datos bloquear ganchos

help: ## Muestra esta ayuda
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Falta $(PYTHON): instale Python 3.11 (o 3.12, 3.13)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (pei-analysis)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Crea .venv e instala el proyecto con las versiones exactas de requirements.lock

# uv parte del candado anterior (conserva cada versión que sigue valiendo; ARGS=--upgrade las renueva todas) y
# escribe versiones para Linux, macOS y Windows y para cada Python que admite pyproject.toml (--universal).
bloquear: $(STAMP) ## Rehace requirements.lock desde pyproject.toml (versiones exactas y hashes)
	cp $(LOCK) $(LOCK).nuevo
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra evaluacion --universal --generate-hashes \
	  --custom-compile-command "make bloquear" --quiet $(ARGS) --output-file $(LOCK).nuevo
	@if cmp -s $(LOCK) $(LOCK).nuevo; then rm $(LOCK).nuevo; echo "$(LOCK) ya estaba al día."; \
	else mv $(LOCK).nuevo $(LOCK); echo "$(LOCK) cambió: revise git diff $(LOCK) y corra make install."; fi

validar: $(STAMP) ## Valida todos los datos de data/ e imprime un resumen
	$(PY) -m pei_analysis validar

test: $(STAMP) ## Instala si hace falta y corre todas las pruebas
	$(PY) -m pytest

test-unit: $(STAMP) ## Corre solo las pruebas de la biblioteca (tests/unit)
	$(PY) -m pytest tests/unit

lint: $(STAMP) ## Revisa el código con ruff (reglas y formato de pyproject.toml); `.ci/run` lo corre
	$(VENV)/bin/ruff check pei_analysis tests evaluation
	$(VENV)/bin/ruff format --check pei_analysis tests evaluation

book: $(STAMP) ## Construye la última edición del libro en site/<A>-c<C>/ (papermill + Jupyter Book)
	$(PY) -m pei_analysis edicion

publicar: $(STAMP) ## La corrida programada: importa lo que llegó a bandeja/entrada/ y publica (nada, si no llegó nada)
	$(PY) -m pei_analysis bandeja

test-book: $(STAMP) ## Corre solo las pruebas de los cuadernos y del libro (tests/notebooks, tests/e2e)
	$(PY) -m pytest tests/notebooks tests/e2e

cuadernos: $(STAMP) ## Pone de acuerdo cada cuaderno .md con su .ipynb (jupytext --sync, el más reciente manda)
	$(VENV)/bin/jupytext --sync notebooks/*.md

registro-datos: $(STAMP) ## Reescribe data/README.md (columnas, licencia) y data/datapackage.json desde los esquemas
	$(PY) -m pei_analysis.cli.data_log --escribir

ganchos: $(STAMP) ## Instala los ganchos de git de .pre-commit-config.yaml (ruff, cuadernos; sin red)
	$(VENV)/bin/pre-commit install

clean: ## Borra .venv y los artefactos de construcción
	rm -rf $(VENV) book/_build build .pytest_cache
