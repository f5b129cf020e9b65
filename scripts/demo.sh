#!/usr/bin/env bash
# The main job: the demo mesh on loopback. Builds everything, starts the control plane on its embedded
# store (./.mesh), the Bookinfo sample (productpage -> reviews v1/v2/v3 -> ratings) with a sidecar in front
# of each workload, applies the seeds' header routing and canary split, then drives traffic and shows the
# live result until Ctrl+C. Stops everything it started on exit.
#
# Without a terminal (CI, pipes) it runs the traffic for DEMO_WARMUP (default 15, not counted) + DEMO_SECONDS
# (default 10) and exits.
# Ports: control plane 15010 (gRPC) / 15014 (HTTP); workloads from DEMO_PORT_BASE (default 16000).
# DEMO_MTLS=0 starts the sidecars without bootstrap tokens: no certificates, plaintext between sidecars (for A/B).
# Prometheus (Debian's 'prometheus', when installed) scrapes every sidecar and the control plane on 127.0.0.1 port
# DEMO_PROMETHEUS_PORT (default 9090), data under the data directory; without a terminal the demo ends with its
# answer to the canary query.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
GRPC_PORT=${MESH_GRPC_PORT:-15010}
HTTP_PORT=${MESH_HTTP_PORT:-15014}
DATA_DIR=${MESH_DATA_DIR:-.mesh}
BASE=${DEMO_PORT_BASE:-16000}
PROM_PORT=${DEMO_PROMETHEUS_PORT:-9090}
LOGS=$DATA_DIR/demo-logs

echo "==> building"
dotnet build Runtime.sln -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"

out=Release/net10.0
meshctl() { dotnet "src/Runtime.Cli/bin/$out/meshctl.dll" --server "http://127.0.0.1:$GRPC_PORT" "$@"; }
pids=()
stop_all() {
  # Sidecars and apps first (sidecars deregister on SIGTERM), the control plane last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_http() { # url what pid
  for _ in $(seq 1 150); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited during start-up; its log:" >&2; cat "$LOGS/$2.log" >&2; exit 1; fi
    sleep 0.2
  done
  echo "$2 did not become ready at $1; see $LOGS/$2.log" >&2; exit 1
}

mkdir -p "$LOGS"
echo "==> control plane: gRPC 127.0.0.1:$GRPC_PORT, HTTP 127.0.0.1:$HTTP_PORT, store $DATA_DIR/mesh.db"
dotnet "src/Runtime.Silo/bin/$out/Runtime.Silo.dll" --grpc-port "$GRPC_PORT" --http-port "$HTTP_PORT" --data-dir "$DATA_DIR" --log-level warning >"$LOGS/control-plane.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$HTTP_PORT/readyz" control-plane "$!"

echo "==> meshctl apply -f examples/demo/reviews-routing.yaml"
meshctl apply -f examples/demo/reviews-routing.yaml

# workload: name service version app-role slot
start_workload() {
  local name=$1 service=$2 version=$3 role=$4 slot=$5
  local admin=$((BASE + slot * 10)) outbound=$((BASE + slot * 10 + 1)) app=$((BASE + slot * 10 + 5)) inbound=$((BASE + slot * 10 + 6))
  local app_flag=()
  if [ "$role" != none ]; then
    HTTP_PROXY="http://127.0.0.1:$outbound" dotnet "samples/Bookinfo/bin/$out/Bookinfo.dll" "$role" --version "$version" --port "$app" >"$LOGS/$name-app.log" 2>&1 &
    pids+=($!)
    app_flag=(--app-port "$app")
  fi
  # Identity: a bootstrap token for the workload's service account; the sidecar makes its key, gets its SPIFFE
  # certificate from the control plane's CA and speaks mTLS to the other sidecars (auto mTLS).
  mkdir -p "$DATA_DIR/sidecars"
  local token_flag=()
  if [ "${DEMO_MTLS:-1}" != 0 ]; then
    meshctl token create --namespace default --service-account "$service" >"$DATA_DIR/sidecars/$name.token"
    token_flag=(--token-file "$DATA_DIR/sidecars/$name.token")
  fi
  dotnet "src/Runtime.Sidecar/bin/$out/Runtime.Sidecar.dll" --service "$service" --label "app=$service" --label "version=$version" \
    --service-account "$service" "${token_flag[@]}" \
    --control-plane "http://127.0.0.1:$GRPC_PORT" --instance "$name" "${app_flag[@]}" \
    --inbound-port "$inbound" --outbound-port "$outbound" --admin-port "$admin" \
    --data-dir "$DATA_DIR/sidecars/$name" --log-level warning >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$admin/ready" "$name" "$!"
  echo "    $name: sidecar outbound 127.0.0.1:$outbound, inbound 127.0.0.1:$inbound, admin 127.0.0.1:$admin${app_flag:+, app 127.0.0.1:$app}"
}

echo "==> starting the Bookinfo sample, each workload with its sidecar"
start_workload productpage productpage v1 productpage 0
start_workload reviews-v1 reviews v1 reviews 1
start_workload reviews-v2 reviews v2 reviews 2
start_workload reviews-v3 reviews v3 reviews 3
start_workload ratings ratings v1 ratings 4
start_workload traffic traffic v1 none 5

# Prometheus: every sidecar's admin /stats/prometheus (Istio's metrics) and the control plane's /metrics.
WORKLOADS=(productpage reviews-v1 reviews-v2 reviews-v3 ratings traffic) # by slot, as started above
prometheus_url=
start_prometheus() {
  local binary
  binary=$(command -v prometheus || true)
  if [ -z "$binary" ]; then
    echo "==> prometheus not installed (Debian package 'prometheus', see scripts/install-deps.sh): going on without it"
    return
  fi
  local dir=$DATA_DIR/prometheus targets=() slot
  mkdir -p "$dir"
  for slot in "${!WORKLOADS[@]}"; do targets+=("\"127.0.0.1:$((BASE + slot * 10))\""); done
  cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
- job_name: mesh-sidecars
  metrics_path: /stats/prometheus
  static_configs:
  - targets: [$(IFS=,; echo "${targets[*]}")]
- job_name: mesh-control-plane
  static_configs:
  - targets: ["127.0.0.1:$HTTP_PORT"]
YAML
  "$binary" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$PROM_PORT" >"$LOGS/prometheus.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" prometheus "$!"
  prometheus_url="http://127.0.0.1:$PROM_PORT"
  echo "==> Prometheus $prometheus_url (scraping ${#targets[@]} sidecars every 2s and the control plane; log $LOGS/prometheus.log)"
}

CANARY_QUERY='sum(rate(istio_requests_total{destination_service=~"reviews.*"}[1m])) by (destination_version)'
# Prints Prometheus' answer to the canary query: each version's rate and share, then the non-jason split.
print_canary_answer() {
  [ -n "$prometheus_url" ] || return 0
  sleep 5 # two more scrapes, so the last traffic is in Prometheus
  local json
  json=$(curl -fsS --get "$prometheus_url/api/v1/query" --data-urlencode "query=$CANARY_QUERY") || { echo "prometheus query failed"; return 0; }
  echo "==> Prometheus: $CANARY_QUERY"
  grep -o '"destination_version":"[^"]*"},"value":\[[^,]*,"[^"]*"' <<<"$json" | sed -E 's/.*"destination_version":"([^"]*)".*,"([^"]*)"$/\1 \2/' | sort |
    awk '{ order[NR] = $1; v[$1] = $2; total += $2 }
      END {
        if (total == 0) { print "    no reviews traffic in the last minute"; exit }
        for (i = 1; i <= NR; i++) { k = order[i]; printf "    %-8s %8.2f req/s  %5.1f%%\n", k, v[k], 100 * v[k] / total }
        # One of the driver'"'"'s users is jason (all v2, header routing); the others split 90/10 between v1 and v3.
        if (v["v1"] + v["v3"] > 0) printf "    jason (v2) %.1f%% of the traffic; the rest: v1 %.1f%% / v3 %.1f%% (VirtualService: 90/10)\n", 100 * v["v2"] / total, 100 * v["v1"] / (v["v1"] + v["v3"]), 100 * v["v3"] / (v["v1"] + v["v3"])
      }'
}

start_prometheus

echo "==> dashboard: http://127.0.0.1:$HTTP_PORT/dashboard/ (live service graph, config, proxies; or: meshctl dashboard)"
echo "==> meshctl proxy-status"
meshctl proxy-status
echo "==> meshctl ca status"
meshctl ca status
echo "==> meshctl get vs; meshctl get dr"
meshctl get vs
meshctl get dr

traffic_proxy="http://127.0.0.1:$((BASE + 51))"
if [ -t 1 ]; then
  echo
  echo "Driving traffic. In another terminal, shift the canary and watch it move within a second:"
  echo "  dotnet src/Runtime.Cli/bin/$out/meshctl.dll apply -f examples/demo/reviews-50-50.yaml"
  [ -z "$prometheus_url" ] || echo "Prometheus: $prometheus_url/graph — try $CANARY_QUERY"
  sleep 3
  dotnet "samples/Bookinfo/bin/$out/Bookinfo.dll" traffic --proxy "$traffic_proxy" || true
else
  # The summary shows the warm mesh: the first DEMO_WARMUP seconds after start-up (JIT, connection pools, each
  # process's first TLS handshakes) are tens of ms slower and are reported on a line of their own.
  echo "==> driving traffic for ${DEMO_WARMUP:-15}s of warm-up, then ${DEMO_SECONDS:-10}s (no terminal: a summary at the end)"
  dotnet "samples/Bookinfo/bin/$out/Bookinfo.dll" traffic --proxy "$traffic_proxy" --seconds "${DEMO_SECONDS:-10}" --warmup "${DEMO_WARMUP:-15}"
  print_canary_answer
fi
