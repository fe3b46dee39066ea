# `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test venv clean

# setuptools prints a notice on every editable install of a flat layout ("Editable installation.
# Please be careful with folders in your working directory with the same name as your package"):
# information, not a problem here (that folder is the package), so the installs hide it.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation:UserWarning"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo needs only the runtime dependencies (flake8, libcst); the linter never imports jax.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	@echo "== flake8 --select=JXL examples/"
	@$(BIN)/flake8 --select=JXL examples/; status=$$?; \
	  if [ $$status -eq 1 ]; then echo "(exit 1: findings, as expected for the anti-pattern examples)"; \
	  else exit $$status; fi
	@echo
	@echo "== jaxloop-fix --diff examples/   (safe fixes; add --unsafe-fixes for the rest)"
	@$(BIN)/jaxloop-fix --diff examples/; status=$$?; \
	  if [ $$status -eq 1 ]; then echo "(exit 1: findings remain, as expected)"; \
	  else exit $$status; fi

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: $(VENV)/.installed-test
	@$(BIN)/python -m pytest -q; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache
