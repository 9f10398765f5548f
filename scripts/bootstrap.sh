# Sourced by ./thscp-kg and ./run-tests: make sure .venv holds this checkout's dependencies.
# Sets THSCP_PYTHON. Re-installs only when pyproject.toml changes (a stamp file records it).
here="${here:?}"
venv="$here/.venv"
stamp="$venv/.installed-$(sha256sum "$here/pyproject.toml" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$stamp" ]; then
  echo "thscp-kg: setting up $venv (first run only) ..." >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$here[test]" >&2
  rm -f "$venv"/.installed-* && touch "$stamp"
fi
THSCP_PYTHON="$venv/bin/python"
export THSCP_PYTHON
