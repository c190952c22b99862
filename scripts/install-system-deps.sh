#!/usr/bin/env bash
# Installs the Debian packages that buildout-ts' tests and benches need: a base Python with
# venv and headers, libev's headers, the version-control programs and the load generators
# used by `npm run bench`. No Python library comes from Debian: the tests install them from
# PyPI. Safe to run again. Needs root (or sudo).
set -euo pipefail
PKGS=(
  python3 python3-venv python3-dev
  # libev's headers: bjoern compiles against them (the Python distributions come from PyPI)
  libev-dev
  wrk hyperfine
  # the version-control programs of mr.developer's sources (its tests make local repositories)
  git mercurial subversion
  # PostgreSQL for the RelStorage tests (they start their own cluster with initdb/pg_ctl)
  postgresql
  # scale-out (buildout-ts:haproxy, buildout-ts:site): the balancer, and systemd-analyze for the
  # generated units (`systemd-analyze verify` works without systemd running as PID 1)
  haproxy systemd
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
