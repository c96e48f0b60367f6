#!/usr/bin/env bash
# Print the path of a Python interpreter that can run the bpy wheel of Blender version $1.
#   scripts/bpy_python.sh 4.2.23   ->  a python3.11 (bpy 4.2-5.0 wheels are built for 3.11)
#   scripts/bpy_python.sh 5.3.0    ->  a python3.13 (bpy 5.1+ wheels are built for 3.13)
# Looks for python3.X on PATH, then in pyenv (~/.pyenv/versions/3.X*), then installs it:
# apt-get (python3.11 + venv, Debian/Ubuntu) or `pyenv install 3.X` (3.13 is not in Debian 12).
set -euo pipefail
bpy=${1:?usage: scripts/bpy_python.sh BPY_VERSION}
IFS=. read -r major minor _ <<<"$bpy"
if [ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -ge 1 ]; }; then py=3.13; else py=3.11; fi

usable() {  # a working interpreter of version $py with venv + ensurepip
  "$1" -c "import sys, venv, ensurepip; assert '%d.%d' % sys.version_info[:2] == '$py'" \
    >/dev/null 2>&1
}
resolve() { "$1" -c 'import sys; print(sys.executable)'; }

find_python() {
  local cand
  if command -v "python$py" >/dev/null 2>&1 && usable "python$py"; then resolve "python$py"; return; fi
  for cand in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$py"*/bin/"python$py"; do
    if [ -x "$cand" ] && usable "$cand"; then echo "$cand"; return; fi
  done
  return 1
}

if find_python; then exit 0; fi
echo "bpy_python: no usable python$py found; installing it" >&2
if [ "$py" = 3.11 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv >&2
elif command -v pyenv >/dev/null 2>&1; then
  pyenv install -s "$py" >&2
else
  echo "bpy_python: cannot find or install Python $py for bpy $bpy: install it (e.g. pyenv install $py)" \
       "and put python$py on PATH" >&2
  exit 1
fi
find_python
