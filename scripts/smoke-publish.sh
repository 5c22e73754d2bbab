#!/usr/bin/env bash
# Publishes the operator and the data plane as CI would ship them (dotnet publish -c Release) and smoke-starts each:
# its health endpoint must answer, and SIGTERM must make it exit 0 within the grace period.
# Docker cannot run on the project's machines; this is the image entrypoint without the image.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_for_url <url> <seconds>: polls until the URL answers 200.
wait_for_url() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "smoke: $url did not answer within $2 s" >&2; return 1; fi
    sleep 0.2
  done
}

# stop_and_check <pid> <name> <seconds>: SIGTERM, then the process must exit 0 within the limit.
stop_and_check() {
  local pid=$1 name=$2 deadline=$((SECONDS + $3))
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "smoke: $name did not exit within $3 s of SIGTERM" >&2; return 1; fi
    sleep 0.2
  done
  local status=0
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then echo "smoke: $name exited with $status after SIGTERM" >&2; sed 's/^/  | /' "$work/$name.log" >&2; return 1; fi
  echo "smoke: $name answered its health check and exited cleanly on SIGTERM"
}

echo "smoke: publishing"
dotnet publish dataplane/Wavelet.DataPlane/Wavelet.DataPlane.csproj -c Release -o "$work/dataplane" --nologo -v quiet
dotnet publish operator/Wavelet.Operator/Wavelet.Operator.csproj -c Release -o "$work/operator" --nologo -v quiet

# Data plane: the config README's local-development command uses, with a database URL nothing listens on: health must
# answer while the feeds retry (readiness is the data plane's business).
port=$(free_port)
WAVELET_DATABASE_URL="postgres://smoke@127.0.0.1:1/dev" WAVELET_JWT_SECRET="smoke-test-signing-key-of-32-bytes!!" \
  ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet "$work/dataplane/Wavelet.DataPlane.dll" --config dataplane/examples/leaderboard.config.json >"$work/dataplane.log" 2>&1 &
pids+=($!)
wait_for_url "http://127.0.0.1:$port/v1/health" 60
stop_and_check "${pids[-1]}" dataplane 60

# Operator: a kubeconfig pointing at an address nothing listens on; liveness must still answer.
health=$(free_port)
metrics=$(free_port)
cat > "$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: smoke, cluster: {server: "http://127.0.0.1:1"}}]
users: [{name: smoke, user: {token: smoke}}]
contexts: [{name: smoke, context: {cluster: smoke, user: smoke}}]
current-context: smoke
YAML
KUBECONFIG="$work/kubeconfig" Operator__HealthPort=$health Operator__MetricsPort=$metrics \
  Operator__LeaderElection__Enabled=false POD_NAMESPACE=smoke \
  dotnet "$work/operator/Wavelet.Operator.dll" >"$work/operator.log" 2>&1 &
pids+=($!)
wait_for_url "http://127.0.0.1:$health/healthz" 60
stop_and_check "${pids[-1]}" operator 60
