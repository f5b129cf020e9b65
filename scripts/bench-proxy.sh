#!/usr/bin/env bash
# Sidecar data-path benchmark: direct vs nginx vs haproxy vs one sidecar hop vs the client+server sidecar pair,
# plaintext and with mTLS + AuthorizationPolicy, in the same run.
#
# Run by hand (never by the test suite), as root on Debian/Ubuntu, from anywhere:
#   ./scripts/bench-proxy.sh                 # builds Release, runs every topology once, prints Markdown tables
#   DURATION=10 WARMUP=5 RATES="1000 5000" BASE_PORT=18000 NO_BUILD=1 ./scripts/bench-proxy.sh
#   MTLS=0 RESILIENCE=0 OBS=0 ./scripts/bench-proxy.sh   # skip the mTLS, resilience or observability rows
#   OUT=bench/proxy/results-$(date -u +%F).txt ./scripts/bench-proxy.sh   # also keep the raw output (tee)
#
# Topologies (all on 127.0.0.1; the same upstream for every one):
#   direct   wrk/hey -> upstream                          (nginx, worker_processes 1, `return 200` 100-byte body)
#   nginx    wrk/hey -> nginx proxy -> upstream           (worker_processes 1, upstream keepalive 32, HTTP/1.1)
#   haproxy  wrk/hey -> haproxy -> upstream               (nbthread 1, http-reuse always)
#   sidecar  wrk/hey -> server sidecar INBOUND -> upstream  (one sidecar hop; what a client sidecar forwards to)
#   pair     wrk/hey -> client sidecar OUTBOUND (Host: echo) -> server sidecar INBOUND -> upstream   (plaintext: no tokens)
#   pair+mtls        the same path through a second pair whose sidecars have bootstrap tokens (`meshctl token
#            create`, --token-file): workload certificates from the control plane's CA, auto mTLS between them,
#            and a PeerAuthentication STRICT on the server (plaintext refused). Host: echo-mtls. Measured last,
#            after pair+res and pair-again.
#   pair+mtls+authz  that pair after `meshctl apply` of an AuthorizationPolicy on the server: ALLOW GET/HEAD on
#            /api/v1/* from the client's principal only. The run fails unless, before measuring, the client's
#            identity reaches the app in x-forwarded-client-cert over that hop, plaintext to the server's inbound
#            port is refused, and (with the policy) another path answers 403 while the measured path answers 200.
#            MTLS=0 skips both.
#   pair+res the same pair after `meshctl apply` of a VirtualService with retries (attempts 3, perTryTimeout,
#            retryOn 5xx,reset,connect-failure) and a route timeout, and a DestinationRule with outlierDetection
#            and connectionPool limits high enough never to trip: the happy-path cost of resilience.
#            Followed by pair-again: the bare pair after `meshctl delete` of that config. RESILIENCE=0 skips both.
#   pair-bare / pair+obs  the observability cost (issue 6), measured last, back to back, on a third plaintext pair
#            (client-obs -> echo-obs, same shape as pair) started with --access-log-path (a file) and
#            --tracing-endpoint (OTLP/HTTP to a receiver on loopback: an nginx answering POST /v1/traces with 200 and
#            an empty application/x-protobuf body, which is an empty ExportTraceServiceResponse: full success, the
#            answer the test suite's OTLP receiver gives).
#            pair-bare: a mesh-wide Telemetry disabling ALL_METRICS, tracing randomSamplingPercentage 0, no access
#            log. Checked before measuring: no istio_requests_total sample on either sidecar, nothing at the receiver,
#            no access-log line. pair+obs: that Telemetry replaced by one with access logging on and 100% sampling,
#            metrics on (the default). Checked: access-log lines and OTLP requests appear; after the measurement the
#            run prints how many access-log lines were written, how many OTLP requests the receiver answered and how
#            many requests the metrics counted, and fails if any is 0. Then pair-bare-again: the bare Telemetry once
#            more, so the bare rows bracket pair+obs (pair-bare is the first load those processes serve). OBS=0
#            skips the three.
#
# Every topology requests $BENCH_PATH (default /api/v1/items); the upstream answers 200 with the same body for any path.
# Measurements per topology: saturation with `wrk -t1 -c32 -d${DURATION}s --latency` (rps, p50/p90/p99);
# fixed rate with hey (`-c N -q R/N -z ${DURATION}s`: hey's -q is per worker) at each of $RATES;
# CPU of each proxy process from /proc/<pid>/stat (utime+stime, the process and its direct children)
# before/after each measurement, divided by the requests it served; RSS (VmRSS) of each proxy at the end.
# Everything started here is stopped by PID on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
RATES="${RATES:-1000 5000}"
BASE_PORT="${BASE_PORT:-18000}"
NO_BUILD="${NO_BUILD:-0}"
RESILIENCE="${RESILIENCE:-1}"
MTLS="${MTLS:-1}"
OBS="${OBS:-1}"
BENCH_PATH="${BENCH_PATH:-/api/v1/items}"
OUT="${OUT:-}"

if [[ -n "$OUT" ]]; then
  mkdir -p "$(dirname "$OUT")"
  exec > >(tee "$OUT") 2>&1
fi

P_UPSTREAM=$((BASE_PORT + 1))
P_NGINX=$((BASE_PORT + 2))
P_HAPROXY=$((BASE_PORT + 3))
P_SILO_GRPC=$((BASE_PORT + 10))
P_SILO_HTTP=$((BASE_PORT + 11))
P_SRV_IN=$((BASE_PORT + 20)); P_SRV_OUT=$((BASE_PORT + 21)); P_SRV_ADMIN=$((BASE_PORT + 22))
P_CLI_IN=$((BASE_PORT + 30)); P_CLI_OUT=$((BASE_PORT + 31)); P_CLI_ADMIN=$((BASE_PORT + 32))
P_MSRV_IN=$((BASE_PORT + 40)); P_MSRV_OUT=$((BASE_PORT + 41)); P_MSRV_ADMIN=$((BASE_PORT + 42))
P_MCLI_IN=$((BASE_PORT + 50)); P_MCLI_OUT=$((BASE_PORT + 51)); P_MCLI_ADMIN=$((BASE_PORT + 52))
P_OTLP=$((BASE_PORT + 4))
P_OSRV_IN=$((BASE_PORT + 60)); P_OSRV_OUT=$((BASE_PORT + 61)); P_OSRV_ADMIN=$((BASE_PORT + 62))
P_OCLI_IN=$((BASE_PORT + 70)); P_OCLI_OUT=$((BASE_PORT + 71)); P_OCLI_ADMIN=$((BASE_PORT + 72))

WORK="$(mktemp -d /tmp/bench-proxy.XXXXXX)"
PIDS=()

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "==> $*" >&2; }

# ---------------------------------------------------------------- tools
need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  [[ $(id -u) -eq 0 ]] || { echo "need root to apt-get install ${need[*]}" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"

if [[ "$NO_BUILD" != 1 ]]; then
  log "building Release"
  dotnet build "$ROOT/Runtime.sln" -c Release -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
fi
SILO_DLL="$ROOT/src/Runtime.Silo/bin/Release/net10.0/Runtime.Silo.dll"
SIDECAR_DLL="$ROOT/src/Runtime.Sidecar/bin/Release/net10.0/Runtime.Sidecar.dll"
MESHCTL_DLL="$ROOT/src/Runtime.Cli/bin/Release/net10.0/meshctl.dll"

# ---------------------------------------------------------------- helpers
wait_http() { # url [expected-status] [seconds] [host]
  local url=$1 want=${2:-200} secs=${3:-60} host=${4:-}
  for _ in $(seq $((secs * 10))); do
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' ${host:+-H "Host: $host"} "$url" || true)
    [[ "$code" == "$want" ]] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $url ($want)" >&2; return 1
}

# CPU ticks (utime+stime) of a process and its direct children (nginx master+worker).
cpu_ticks() {
  local total=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
rss_kib() {
  local total=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    total=$((total + $(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

# wrk latency "123.45us|1.23ms|1.02s" -> microseconds
to_us() { awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) m=1; else if (v ~ /ms$/) m=1000; else if (v ~ /s$/) m=1000000; else m=1; printf "%.0f", n*m }'; }

# ---------------------------------------------------------------- upstream + peers
BODY=$(printf 'x%.0s' $(seq 99))  # 99 x's + "\n" = 100 bytes
mkdir -p "$WORK/nginx-up/logs" "$WORK/nginx-px/logs" "$WORK/haproxy"

cat >"$WORK/nginx-up/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx-up/nginx.pid;
error_log $WORK/nginx-up/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$P_UPSTREAM;
    location / { default_type text/plain; return 200 "$BODY\n"; }
    # What the app sees of the caller over the last hop (checked before measuring, never measured).
    location = /xfcc { default_type text/plain; return 200 "xfcc=\$http_x_forwarded_client_cert\n"; }
  }
}
EOF

cat >"$WORK/nginx-px/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx-px/nginx.pid;
error_log $WORK/nginx-px/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$P_UPSTREAM; keepalive 32; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$P_NGINX;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF

cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$P_HAPROXY
  default_backend be
backend be
  server app 127.0.0.1:$P_UPSTREAM
EOF

log "starting upstream nginx on :$P_UPSTREAM, nginx proxy on :$P_NGINX, haproxy on :$P_HAPROXY"
nginx -p "$WORK/nginx-up" -c "$WORK/nginx-up/nginx.conf" >"$WORK/nginx-up/logs/stdout" 2>&1 & PID_UP=$!; PIDS+=("$PID_UP")
nginx -p "$WORK/nginx-px" -c "$WORK/nginx-px/nginx.conf" >"$WORK/nginx-px/logs/stdout" 2>&1 & PID_NGINX=$!; PIDS+=("$PID_NGINX")
haproxy -db -f "$WORK/haproxy/haproxy.cfg" >"$WORK/haproxy/log" 2>&1 & PID_HAPROXY=$!; PIDS+=("$PID_HAPROXY")
wait_http "http://127.0.0.1:$P_UPSTREAM/" 200 20
wait_http "http://127.0.0.1:$P_NGINX/" 200 20
wait_http "http://127.0.0.1:$P_HAPROXY/" 200 20

if [[ "$OBS" == 1 ]]; then
  # The OTLP/HTTP receiver for pair+obs: its own nginx (its CPU is not the upstream's), one log line per export.
  mkdir -p "$WORK/nginx-otlp/logs"
  cat >"$WORK/nginx-otlp/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx-otlp/nginx.pid;
error_log $WORK/nginx-otlp/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_max_body_size 64m;
  log_format otlp '\$request_method \$uri \$status "\$http_content_type"';
  server {
    listen 127.0.0.1:$P_OTLP;
    # An empty ExportTraceServiceResponse: full success for the OTLP exporter.
    location = /v1/traces { access_log $WORK/nginx-otlp/logs/exports.log otlp; default_type application/x-protobuf; return 200 ""; }
    location / { return 404; }
  }
}
EOF
  log "starting the OTLP/HTTP receiver (nginx) on :$P_OTLP"
  nginx -p "$WORK/nginx-otlp" -c "$WORK/nginx-otlp/nginx.conf" >"$WORK/nginx-otlp/logs/stdout" 2>&1 & PID_OTLP=$!; PIDS+=("$PID_OTLP")
  wait_http "http://127.0.0.1:$P_OTLP/" 404 20
fi

# ---------------------------------------------------------------- control plane + sidecars
log "starting control plane (grpc :$P_SILO_GRPC) and sidecars (echo in :$P_SRV_IN, client out :$P_CLI_OUT)"
mkdir -p "$WORK/silo" "$WORK/sc-echo" "$WORK/sc-client"
dotnet "$SILO_DLL" --grpc-port "$P_SILO_GRPC" --http-port "$P_SILO_HTTP" --data-dir "$WORK/silo" --log-level warning \
  >"$WORK/silo.log" 2>&1 & PID_SILO=$!; PIDS+=("$PID_SILO")
wait_http "http://127.0.0.1:$P_SILO_HTTP/readyz" 200 60 || { cat "$WORK/silo.log"; exit 1; }

CP="http://127.0.0.1:$P_SILO_GRPC"
dotnet "$SIDECAR_DLL" --service echo --app-port "$P_UPSTREAM" --control-plane "$CP" \
  --inbound-port "$P_SRV_IN" --outbound-port "$P_SRV_OUT" --admin-port "$P_SRV_ADMIN" \
  --data-dir "$WORK/sc-echo" --log-level warning >"$WORK/sc-echo.log" 2>&1 & PID_SRV=$!; PIDS+=("$PID_SRV")
dotnet "$SIDECAR_DLL" --service client --control-plane "$CP" \
  --inbound-port "$P_CLI_IN" --outbound-port "$P_CLI_OUT" --admin-port "$P_CLI_ADMIN" \
  --data-dir "$WORK/sc-client" --log-level warning >"$WORK/sc-client.log" 2>&1 & PID_CLI=$!; PIDS+=("$PID_CLI")
wait_http "http://127.0.0.1:$P_SRV_ADMIN/ready" 200 60 || { cat "$WORK/sc-echo.log"; exit 1; }
wait_http "http://127.0.0.1:$P_CLI_ADMIN/ready" 200 60 || { cat "$WORK/sc-client.log"; exit 1; }
for _ in $(seq 300); do
  curl -s "http://127.0.0.1:$P_CLI_ADMIN/clusters" | grep -q "$P_SRV_IN" && break
  sleep 0.1
done
curl -s "http://127.0.0.1:$P_CLI_ADMIN/clusters" | grep -q "$P_SRV_IN" \
  || { echo "client sidecar never listed the echo endpoint (:$P_SRV_IN)" >&2; curl -s "http://127.0.0.1:$P_CLI_ADMIN/clusters" >&2; exit 1; }
wait_http "http://127.0.0.1:$P_SRV_IN$BENCH_PATH" 200 20
wait_http "http://127.0.0.1:$P_CLI_OUT$BENCH_PATH" 200 20 echo
meshctl() { dotnet "$MESHCTL_DLL" --server "$CP" "$@"; }
# The plaintext pair must really be plaintext: no certificate, so no caller identity reaches the app.
xfcc=$(curl -s -H 'Host: echo' "http://127.0.0.1:$P_CLI_OUT/xfcc")
[[ "$xfcc" == "xfcc=" ]] || { echo "the plaintext pair delivered an x-forwarded-client-cert ($xfcc): it is not plaintext" >&2; exit 1; }

# Applies or deletes a manifest and waits until the sidecar on admin port $3 changed config (/ready names its version).
apply_and_wait() { # verb file admin-port
  local before; before=$(curl -s "http://127.0.0.1:$3/ready")
  meshctl "$1" -f "$2" >&2
  for _ in $(seq 300); do
    [[ "$(curl -s "http://127.0.0.1:$3/ready")" != "$before" ]] && return 0
    sleep 0.1
  done
  echo "the sidecar on admin :$3 never took the config of $2" >&2; return 1
}

# STRICT on echo-mtls: a plaintext request straight to its inbound port gets no HTTP answer at all.
expect_plaintext_refused() {
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P_MSRV_IN$BENCH_PATH" || true)
  [[ "$code" == 000 ]] || { echo "plaintext to the STRICT echo-mtls inbound port answered $code; it must be refused" >&2; exit 1; }
}

if [[ "$MTLS" == 1 ]]; then
  # The second pair: each sidecar proves its identity with a bootstrap token, gets a SPIFFE certificate from the
  # control plane's CA and speaks mTLS to the other. The server requires mTLS (STRICT) from the start.
  log "starting the mTLS pair (echo-mtls in :$P_MSRV_IN, client-mtls out :$P_MCLI_OUT) with bootstrap tokens"
  mkdir -p "$WORK/sc-echo-mtls" "$WORK/sc-client-mtls"
  meshctl token create --namespace default --service-account echo-mtls >"$WORK/echo-mtls.token"
  meshctl token create --namespace default --service-account bench-client >"$WORK/client-mtls.token"
  cat >"$WORK/strict.yaml" <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: echo-mtls-strict, namespace: default}
spec:
  selector: {matchLabels: {app: echo-mtls}}
  mtls: {mode: STRICT}
EOF
  meshctl apply -f "$WORK/strict.yaml" >&2
  dotnet "$SIDECAR_DLL" --service echo-mtls --label app=echo-mtls --service-account echo-mtls --token-file "$WORK/echo-mtls.token" \
    --app-port "$P_UPSTREAM" --control-plane "$CP" --inbound-port "$P_MSRV_IN" --outbound-port "$P_MSRV_OUT" --admin-port "$P_MSRV_ADMIN" \
    --data-dir "$WORK/sc-echo-mtls" --log-level warning >"$WORK/sc-echo-mtls.log" 2>&1 & PID_MSRV=$!; PIDS+=("$PID_MSRV")
  dotnet "$SIDECAR_DLL" --service client-mtls --label app=client-mtls --service-account bench-client --token-file "$WORK/client-mtls.token" \
    --control-plane "$CP" --inbound-port "$P_MCLI_IN" --outbound-port "$P_MCLI_OUT" --admin-port "$P_MCLI_ADMIN" \
    --data-dir "$WORK/sc-client-mtls" --log-level warning >"$WORK/sc-client-mtls.log" 2>&1 & PID_MCLI=$!; PIDS+=("$PID_MCLI")
  wait_http "http://127.0.0.1:$P_MSRV_ADMIN/ready" 200 60 || { cat "$WORK/sc-echo-mtls.log"; exit 1; }
  wait_http "http://127.0.0.1:$P_MCLI_ADMIN/ready" 200 60 || { cat "$WORK/sc-client-mtls.log"; exit 1; }
  # Proof that the measured hop is mTLS: the app receives the client's SPIFFE identity in x-forwarded-client-cert
  # (only a verified TLS peer produces it; an incoming one is stripped), and plaintext to the server is refused.
  want_uri="URI=spiffe://cluster.local/ns/default/sa/bench-client"
  for _ in $(seq 300); do
    xfcc=$(curl -s -H 'Host: echo-mtls' "http://127.0.0.1:$P_MCLI_OUT/xfcc" || true)
    [[ "$xfcc" == *"$want_uri"* ]] && break
    sleep 0.1
  done
  [[ "$xfcc" == *"$want_uri"* && "$xfcc" == *"By=spiffe://cluster.local/ns/default/sa/echo-mtls"* ]] \
    || { echo "no mTLS on the echo-mtls hop: the app saw '$xfcc', expected $want_uri" >&2; cat "$WORK/sc-client-mtls.log" "$WORK/sc-echo-mtls.log" >&2; exit 1; }
  log "mTLS check: the app behind echo-mtls sees $xfcc"
  expect_plaintext_refused
  wait_http "http://127.0.0.1:$P_MCLI_OUT$BENCH_PATH" 200 20 echo-mtls
fi

if [[ "$OBS" == 1 ]]; then
  # The third plaintext pair, for pair-bare and pair+obs: access logs go to files, spans to the receiver once a
  # Telemetry samples them. Until then (the default 1% with no traffic) it only idles.
  log "starting the observability pair (echo-obs in :$P_OSRV_IN, client-obs out :$P_OCLI_OUT), access logs and OTLP on"
  mkdir -p "$WORK/sc-echo-obs" "$WORK/sc-client-obs"
  OBS_LOG_SRV="$WORK/echo-obs.access.log"; OBS_LOG_CLI="$WORK/client-obs.access.log"
  dotnet "$SIDECAR_DLL" --service echo-obs --label app=echo-obs --app-port "$P_UPSTREAM" --control-plane "$CP" \
    --inbound-port "$P_OSRV_IN" --outbound-port "$P_OSRV_OUT" --admin-port "$P_OSRV_ADMIN" \
    --access-log-path "$OBS_LOG_SRV" --tracing-endpoint "http://127.0.0.1:$P_OTLP" \
    --data-dir "$WORK/sc-echo-obs" --log-level warning >"$WORK/sc-echo-obs.log" 2>&1 & PID_OSRV=$!; PIDS+=("$PID_OSRV")
  dotnet "$SIDECAR_DLL" --service client-obs --label app=client-obs --control-plane "$CP" \
    --inbound-port "$P_OCLI_IN" --outbound-port "$P_OCLI_OUT" --admin-port "$P_OCLI_ADMIN" \
    --access-log-path "$OBS_LOG_CLI" --tracing-endpoint "http://127.0.0.1:$P_OTLP" \
    --data-dir "$WORK/sc-client-obs" --log-level warning >"$WORK/sc-client-obs.log" 2>&1 & PID_OCLI=$!; PIDS+=("$PID_OCLI")
  wait_http "http://127.0.0.1:$P_OSRV_ADMIN/ready" 200 60 || { cat "$WORK/sc-echo-obs.log"; exit 1; }
  wait_http "http://127.0.0.1:$P_OCLI_ADMIN/ready" 200 60 || { cat "$WORK/sc-client-obs.log"; exit 1; }
  wait_http "http://127.0.0.1:$P_OCLI_OUT$BENCH_PATH" 200 30 echo-obs
  xfcc=$(curl -s -H 'Host: echo-obs' "http://127.0.0.1:$P_OCLI_OUT/xfcc")
  [[ "$xfcc" == "xfcc=" ]] || { echo "the observability pair delivered an x-forwarded-client-cert ($xfcc): it is not plaintext" >&2; exit 1; }
fi

# ---------------------------------------------------------------- machine
echo "# Sidecar data-path benchmark, $(date -u '+%F %T UTC')"
echo "git: $(git -C "$ROOT" rev-parse --short HEAD) ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD))"
echo "nproc: $(nproc); cpu: $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2; exit}')"
echo "memory: $(free -h | awk '/^Mem:/{print $2}'); kernel: $(uname -r); os: $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "dotnet: sdk $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/{v=$2} END{print v}')"
echo "nginx: $(nginx -v 2>&1 | sed 's/.*\///'); haproxy: $(haproxy -v | head -1 | awk '{print $3}'); wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}'); hey: Debian $(dpkg-query -W -f='${Version}' hey 2>/dev/null)"
echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "duration ${DURATION}s per measurement, warm-up ${WARMUP}s per topology, rates: $RATES"
echo

# topology: name url host proxy-pids...
declare -A URL HOSTH PROCS
URL[direct]="http://127.0.0.1:$P_UPSTREAM$BENCH_PATH"; PROCS[direct]=""
URL[nginx]="http://127.0.0.1:$P_NGINX$BENCH_PATH"; PROCS[nginx]="nginx:$PID_NGINX"
URL[haproxy]="http://127.0.0.1:$P_HAPROXY$BENCH_PATH"; PROCS[haproxy]="haproxy:$PID_HAPROXY"
URL[sidecar]="http://127.0.0.1:$P_SRV_IN$BENCH_PATH"; PROCS[sidecar]="server-sidecar:$PID_SRV"
URL[pair]="http://127.0.0.1:$P_CLI_OUT$BENCH_PATH"; PROCS[pair]="client-sidecar:$PID_CLI server-sidecar:$PID_SRV"; HOSTH[pair]="echo"
TOPOS=(direct nginx haproxy sidecar pair)
if [[ "$MTLS" == 1 ]]; then
  URL[pair+mtls]="http://127.0.0.1:$P_MCLI_OUT$BENCH_PATH"; PROCS[pair+mtls]="client-sidecar:$PID_MCLI server-sidecar:$PID_MSRV"; HOSTH[pair+mtls]="echo-mtls"
fi

declare -A R  # results: R[topo,metric]

snapshot_cpu() { # topo -> "t1 t2 ..." ticks per proxy process (and the upstream)
  local t=$1 out="" e
  for e in ${PROCS[$t]} "upstream:$PID_UP"; do out+="$(cpu_ticks "${e#*:}") "; done
  echo "$out"
}
record_cpu() { # topo tag before after requests
  local t=$1 tag=$2 before=($3) after=($4) n=$5 i=0 e total=0
  for e in ${PROCS[$t]} "upstream:$PID_UP"; do
    local d=$((after[i] - before[i]))
    local us; us=$(awk -v d="$d" -v hz="$HZ" -v n="$n" 'BEGIN{ if (n>0) printf "%.1f", d/hz*1e6/n; else print "n/a" }')
    R[$t,$tag,cpu,${e%%:*}]=$us
    echo "    cpu ${e%%:*}: $d ticks for $n requests = $us µs/request (= ms CPU per 1,000 requests)"
    [[ ${e%%:*} != upstream ]] && total=$((total + d))
    i=$((i + 1))
  done
  R[$t,$tag,cpu,proxies]=$(awk -v d="$total" -v hz="$HZ" -v n="$n" 'BEGIN{ if (n>0) printf "%.1f", d/hz*1e6/n; else print "n/a" }')
}

# After a measurement with failures: one request's status and x-mesh-reason, so the table's errors have a cause.
sample_failure() { # topo
  local host=${HOSTH[$1]:-}
  echo "    sample after failures: $(curl -s -o /dev/null -D - ${host:+-H "Host: $host"} "${URL[$1]}" | grep -iE '^HTTP/|^x-mesh-reason' | tr -d '\r' | tr '\n' ' ')"
}

run_wrk() { # topo
  # Two statements: in `local t=$1 host=${HOSTH[$t]}` the $t would be expanded before t is set (the caller's t).
  local t=$1; local host=${HOSTH[$1]:-}
  log "$t: warm-up ${WARMUP}s"
  wrk -t1 -c32 -d"${WARMUP}s" ${host:+-H "Host: $host"} "${URL[$t]}" >/dev/null
  log "$t: wrk -t1 -c32 -d${DURATION}s"
  local b a out
  b=$(snapshot_cpu "$t")
  out=$(wrk -t1 -c32 -d"${DURATION}s" --latency ${host:+-H "Host: $host"} "${URL[$t]}")
  a=$(snapshot_cpu "$t")
  echo "--- $t: wrk -t1 -c32 -d${DURATION}s --latency ${host:+-H 'Host: $host' }${URL[$t]}"
  echo "$out" | sed 's/^/    /'
  local n rps errs
  n=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/^Requests\/sec/{printf "%.0f", $2}')
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{s=s $0 "; "} END{print s}')
  R[$t,sat,rps]=$rps
  R[$t,sat,err]=${errs:-none}
  [[ -z "$errs" ]] || sample_failure "$t"
  for p in 50 90 99; do
    R[$t,sat,p$p]=$(to_us "$(echo "$out" | awk -v p="$p%" '$1==p{print $2}')")
  done
  record_cpu "$t" sat "$b" "$a" "$n"
}

run_hey() { # topo rate
  local t=$1 rate=$2 c q; local host=${HOSTH[$1]:-}
  c=$((rate / 100)); ((c < 1)) && c=1; q=$((rate / c))
  log "$t: hey -c $c -q $q -z ${DURATION}s (target $rate rps)"
  local b a out
  b=$(snapshot_cpu "$t")
  out=$(hey -c "$c" -q "$q" -z "${DURATION}s" ${host:+-host "$host"} "${URL[$t]}")
  a=$(snapshot_cpu "$t")
  echo "--- $t: hey -c $c -q $q -z ${DURATION}s ${host:+-host $host }${URL[$t]}   (target $rate rps)"
  echo "$out" | grep -E 'Requests/sec|Slowest|Fastest|Average|% in|\[[0-9]+\]|Error|error' | sed 's/^/    /'
  local n ok
  # status lines look like "  [200]  49931 responses"; histogram lines like "  0.013 [200]  |" must not match
  n=$(echo "$out" | awk '/^[[:space:]]*\[[0-9]+\][[:space:]]+[0-9]+ responses/{s+=$2} END{print s+0}')
  ok=$(echo "$out" | awk '/^[[:space:]]*\[200\][[:space:]]+[0-9]+ responses/{print $2}')
  R[$t,$rate,rps]=$(echo "$out" | awk '/Requests\/sec/{printf "%.0f", $2}')
  R[$t,$rate,non200]=$((n - ${ok:-0}))
  ((R[$t,$rate,non200] == 0)) || sample_failure "$t"
  for p in 50 90 99; do
    R[$t,$rate,p$p]=$(echo "$out" | awk -v p="$p%" '$1==p{printf "%.0f", $3*1e6}')
  done
  record_cpu "$t" "$rate" "$b" "$a" "$n"
}

# Idle cost: CPU each process burns in ${DURATION}s with no traffic (heartbeats, timers, GC, certificate renewal timers).
IDLE_NAMES=(nginx haproxy server-sidecar client-sidecar upstream); IDLE_PIDS=("$PID_NGINX" "$PID_HAPROXY" "$PID_SRV" "$PID_CLI" "$PID_UP")
if [[ "$MTLS" == 1 ]]; then IDLE_NAMES+=(mtls-server-sidecar mtls-client-sidecar); IDLE_PIDS+=("$PID_MSRV" "$PID_MCLI"); fi
if [[ "$OBS" == 1 ]]; then IDLE_NAMES+=(obs-server-sidecar obs-client-sidecar); IDLE_PIDS+=("$PID_OSRV" "$PID_OCLI"); fi
ib=(); for p in "${IDLE_PIDS[@]}"; do ib+=("$(cpu_ticks "$p")"); done
sleep "$DURATION"
echo "--- idle for ${DURATION}s (before any load)"
for i in "${!IDLE_NAMES[@]}"; do
  name=${IDLE_NAMES[i]}
  R[idle,$name]=$(awk -v d="$(( $(cpu_ticks "${IDLE_PIDS[i]}") - ib[i] ))" -v hz="$HZ" -v s="$DURATION" 'BEGIN{printf "%.1f", d/hz*1000/s}')
  echo "    $name: ${R[idle,$name]} ms CPU per second idle"
done
echo

run_topology() {
  run_wrk "$1"
  for rate in $RATES; do run_hey "$1" "$rate"; done
  echo "    loadavg after $1: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
}
for t in "${TOPOS[@]}"; do run_topology "$t"; done


if [[ "$RESILIENCE" == 1 ]]; then
  # Same processes, same run: configure retries, timeouts, outlier detection and pool limits for echo, wait until
  # the client sidecar applied it, and measure the pair again.
  cat >"$WORK/resilience.yaml" <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo, namespace: default}
spec:
  hosts: [echo]
  http:
  - route:
    - destination: {host: echo}
    timeout: 10s
    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset,connect-failure"}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo, namespace: default}
spec:
  host: echo
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 10000, connectTimeout: 1s}
      http: {http1MaxPendingRequests: 10000, http2MaxRequests: 10000, maxRetries: 100}
    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100}
EOF
  log "applying retries + timeout + outlier detection + pool limits for echo"
  apply_and_wait apply "$WORK/resilience.yaml" "$P_CLI_ADMIN"
  curl -s "http://127.0.0.1:$P_CLI_ADMIN/config_dump" | grep -q '"outlierDetection"' \
    || { echo "client sidecar never applied the resilience config" >&2; exit 1; }
  URL[pair+res]="${URL[pair]}"; PROCS[pair+res]="${PROCS[pair]}"; HOSTH[pair+res]="echo"
  TOPOS+=("pair+res")
  run_topology "pair+res"

  # The bare pair once more, after deleting the resilience config: brackets pair+res so JIT warm-up and drift
  # over the run are visible instead of being read as a resilience effect.
  apply_and_wait delete "$WORK/resilience.yaml" "$P_CLI_ADMIN"
  ! curl -s "http://127.0.0.1:$P_CLI_ADMIN/config_dump" | grep -q '"outlierDetection"' \
    || { echo "client sidecar still has the resilience config" >&2; exit 1; }
  URL[pair-again]="${URL[pair]}"; PROCS[pair-again]="${PROCS[pair]}"; HOSTH[pair-again]="echo"
  TOPOS+=("pair-again")
  run_topology "pair-again"
fi

if [[ "$MTLS" == 1 ]]; then
  # The mTLS pair last, right after pair-again: the plaintext pair's figures bracket drift before it.
  TOPOS+=("pair+mtls")
  run_topology "pair+mtls"

  # Same processes, same run: an AuthorizationPolicy on the mTLS server that allows only the client's principal,
  # GET/HEAD, on /api/v1/*. Measured only once another path is denied (403) and the measured one still answers 200.
  cat >"$WORK/authz.yaml" <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: echo-mtls-allow, namespace: default}
spec:
  selector: {matchLabels: {app: echo-mtls}}
  action: ALLOW
  rules:
  - from:
    - source: {principals: ["cluster.local/ns/default/sa/bench-client"]}
    to:
    - operation: {methods: ["GET", "HEAD"], paths: ["/api/v1/*"]}
EOF
  log "applying an AuthorizationPolicy on echo-mtls (ALLOW bench-client, GET/HEAD, /api/v1/*)"
  apply_and_wait apply "$WORK/authz.yaml" "$P_MSRV_ADMIN"
  for _ in $(seq 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: echo-mtls' "http://127.0.0.1:$P_MCLI_OUT/xfcc")" == 403 ]] && break
    sleep 0.1
  done
  denied=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: echo-mtls' "http://127.0.0.1:$P_MCLI_OUT/xfcc")
  denied_method=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Host: echo-mtls' "http://127.0.0.1:$P_MCLI_OUT$BENCH_PATH")
  allowed=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: echo-mtls' "http://127.0.0.1:$P_MCLI_OUT$BENCH_PATH")
  [[ "$denied" == 403 && "$denied_method" == 403 && "$allowed" == 200 ]] \
    || { echo "the AuthorizationPolicy is not in force: /xfcc $denied, DELETE $denied_method (want 403), GET $BENCH_PATH $allowed (want 200)" >&2; exit 1; }
  expect_plaintext_refused
  log "authz check: other path 403, DELETE 403, GET $BENCH_PATH 200; plaintext still refused"
  URL[pair+mtls+authz]="${URL[pair+mtls]}"; PROCS[pair+mtls+authz]="${PROCS[pair+mtls]}"; HOSTH[pair+mtls+authz]="echo-mtls"
  TOPOS+=("pair+mtls+authz")
  run_topology "pair+mtls+authz"
fi

if [[ "$OBS" == 1 ]]; then
  # Issue 6: the cost of metrics + access logging + tracing, on the observability pair, bare first, then with all
  # three on; the same processes, back to back.
  prom_requests() { # admin-port -> the sum of istio_requests_total on that sidecar
    curl -s "http://127.0.0.1:$1/stats/prometheus" | awk '/^istio_requests_total[{ ]/{s+=$NF} END{printf "%d", s+0}'
  }
  otlp_exports() { if [[ -f "$WORK/nginx-otlp/logs/exports.log" ]]; then wc -l <"$WORK/nginx-otlp/logs/exports.log"; else echo 0; fi; }
  log_lines() { cat "$OBS_LOG_SRV" "$OBS_LOG_CLI" 2>/dev/null | wc -l; }
  wait_config() { # admin-port text 1 (until present) | 0 (until absent)
    local found
    for _ in $(seq 300); do
      found=0; curl -s "http://127.0.0.1:$1/config_dump" | grep -q "$2" && found=1
      [[ $found == "$3" ]] && return 0
      sleep 0.1
    done
    echo "the sidecar on admin :$1 never $([[ $3 == 1 ]] && echo took || echo dropped) $2" >&2; return 1
  }
  cat >"$WORK/obs-bare.yaml" <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: mesh-bare, namespace: istio-system}
spec:
  metrics:
  - providers: [{name: prometheus}]
    overrides:
    - match: {metric: ALL_METRICS, mode: CLIENT_AND_SERVER}
      disabled: true
  tracing: [{randomSamplingPercentage: 0}]
EOF
  cat >"$WORK/obs-on.yaml" <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: mesh-obs, namespace: istio-system}
spec:
  accessLogging: [{providers: [{name: envoy}]}]
  tracing: [{randomSamplingPercentage: 100}]
EOF
  log "applying a mesh-wide Telemetry: ALL_METRICS disabled, sampling 0, no access log"
  meshctl apply -f "$WORK/obs-bare.yaml" >&2
  wait_config "$P_OCLI_ADMIN" mesh-bare 1; wait_config "$P_OSRV_ADMIN" mesh-bare 1
  # The readiness requests above may have been sampled at the default 1%: let such a span leave first. The span
  # exporter sends a batch every 5 s.
  sleep 6
  exports_before=$(otlp_exports)
  for _ in $(seq 20); do curl -s -o /dev/null -H 'Host: echo-obs' "http://127.0.0.1:$P_OCLI_OUT$BENCH_PATH"; done
  sleep 6
  bare_counts="istio_requests_total samples: client $(prom_requests "$P_OCLI_ADMIN"), server $(prom_requests "$P_OSRV_ADMIN"); OTLP requests $(( $(otlp_exports) - exports_before )); access-log lines $(log_lines)"
  [[ "$bare_counts" == "istio_requests_total samples: client 0, server 0; OTLP requests 0; access-log lines 0" ]] \
    || { echo "pair-bare is not bare after 20 requests: $bare_counts" >&2; exit 1; }
  log "pair-bare check after 20 requests: $bare_counts"
  URL[pair-bare]="http://127.0.0.1:$P_OCLI_OUT$BENCH_PATH"; PROCS[pair-bare]="client-sidecar:$PID_OCLI server-sidecar:$PID_OSRV"; HOSTH[pair-bare]="echo-obs"
  TOPOS+=("pair-bare")
  run_topology "pair-bare"

  log "replacing it with a mesh-wide Telemetry: metrics on, access log on, sampling 100%"
  meshctl delete -f "$WORK/obs-bare.yaml" >&2
  meshctl apply -f "$WORK/obs-on.yaml" >&2
  for port in "$P_OCLI_ADMIN" "$P_OSRV_ADMIN"; do wait_config "$port" mesh-obs 1; wait_config "$port" mesh-bare 0; done
  curl -s -o /dev/null -H 'Host: echo-obs' "http://127.0.0.1:$P_OCLI_OUT$BENCH_PATH"
  for _ in $(seq 150); do (( $(otlp_exports) > 0 && $(log_lines) >= 2 )) && break; sleep 0.1; done
  (( $(otlp_exports) > 0 && $(log_lines) >= 2 )) \
    || { echo "pair+obs is not observed after one request: OTLP requests $(otlp_exports), access-log lines $(log_lines)" >&2; exit 1; }
  obs_before=("$(otlp_exports)" "$(log_lines)" "$(prom_requests "$P_OCLI_ADMIN")" "$(prom_requests "$P_OSRV_ADMIN")")
  URL[pair+obs]="${URL[pair-bare]}"; PROCS[pair+obs]="${PROCS[pair-bare]}"; HOSTH[pair+obs]="echo-obs"
  TOPOS+=("pair+obs")
  run_topology "pair+obs"
  sleep 6  # the last span batch and access-log lines are written after the load stops
  # Every export the receiver saw was a protobuf POST it answered 200: what the OTLP exporter takes as full success.
  if awk '$1 != "POST" || $3 != 200 || $4 != "\"application/x-protobuf\""' "$WORK/nginx-otlp/logs/exports.log" | grep -q .; then
    echo "the OTLP receiver saw exports that were not protobuf POSTs answered 200:" >&2; head "$WORK/nginx-otlp/logs/exports.log" >&2; exit 1
  fi
  R[obs,exports]=$(( $(otlp_exports) - obs_before[0] ))
  R[obs,lines]=$(( $(log_lines) - obs_before[1] ))
  R[obs,counted_cli]=$(( $(prom_requests "$P_OCLI_ADMIN") - obs_before[2] ))
  R[obs,counted_srv]=$(( $(prom_requests "$P_OSRV_ADMIN") - obs_before[3] ))
  R[obs,dropped]=$(for port in "$P_OCLI_ADMIN" "$P_OSRV_ADMIN"; do curl -s "http://127.0.0.1:$port/stats/prometheus"; done | awk '/^mesh_sidecar_access_log_dropped_total /{s+=$NF} END{printf "%d", s+0}')
  echo "--- pair+obs did the work: ${R[obs,counted_cli]} requests counted by client-obs and ${R[obs,counted_srv]} by echo-obs (istio_requests_total)," \
    "${R[obs,lines]} access-log lines written (${R[obs,dropped]} dropped), ${R[obs,exports]} OTLP export requests answered 200"
  echo
  (( R[obs,exports] > 0 && R[obs,lines] > 0 && R[obs,counted_cli] > 0 && R[obs,counted_srv] > 0 )) \
    || { echo "pair+obs did not observe its load: see the line above" >&2; exit 1; }

  # The bare pair once more: pair-bare ran on processes that had served no load yet (JIT tiering, pools), so the
  # two bare rows bracket pair+obs and show how much of a difference is warm-up or drift.
  log "back to the bare Telemetry"
  meshctl delete -f "$WORK/obs-on.yaml" >&2
  meshctl apply -f "$WORK/obs-bare.yaml" >&2
  for port in "$P_OCLI_ADMIN" "$P_OSRV_ADMIN"; do wait_config "$port" mesh-bare 1; wait_config "$port" mesh-obs 0; done
  URL[pair-bare-again]="${URL[pair-bare]}"; PROCS[pair-bare-again]="${PROCS[pair-bare]}"; HOSTH[pair-bare-again]="echo-obs"
  TOPOS+=("pair-bare-again")
  run_topology "pair-bare-again"
fi

echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS after the run: nginx proxy $(( $(rss_kib "$PID_NGINX") / 1024 )) MiB (master+worker), haproxy $(( $(rss_kib "$PID_HAPROXY") / 1024 )) MiB," \
  "server sidecar $(( $(rss_kib "$PID_SRV") / 1024 )) MiB, client sidecar $(( $(rss_kib "$PID_CLI") / 1024 )) MiB, control plane $(( $(rss_kib "$PID_SILO") / 1024 )) MiB"
R[rss,nginx]=$(( $(rss_kib "$PID_NGINX") / 1024 )); R[rss,haproxy]=$(( $(rss_kib "$PID_HAPROXY") / 1024 ))
R[rss,srv]=$(( $(rss_kib "$PID_SRV") / 1024 )); R[rss,cli]=$(( $(rss_kib "$PID_CLI") / 1024 ))
if [[ "$MTLS" == 1 ]]; then R[rss,msrv]=$(( $(rss_kib "$PID_MSRV") / 1024 )); R[rss,mcli]=$(( $(rss_kib "$PID_MCLI") / 1024 )); fi
if [[ "$OBS" == 1 ]]; then R[rss,osrv]=$(( $(rss_kib "$PID_OSRV") / 1024 )); R[rss,ocli]=$(( $(rss_kib "$PID_OCLI") / 1024 )); fi
echo

# ---------------------------------------------------------------- tables
diff_us() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="") print "n/a"; else printf "%+d", a-b }'; }
cpu_cells() { # topo tag -> "proxy µs | upstream µs"
  local t=$1 tag=$2 cells=""
  if [[ -z "${PROCS[$t]}" ]]; then cells="—"; else
    local e parts=()
    for e in ${PROCS[$t]}; do parts+=("${e%%:*} ${R[$t,$tag,cpu,${e%%:*}]}"); done
    if ((${#parts[@]} > 1)); then cells="${R[$t,$tag,cpu,proxies]} ($(IFS=,; echo "${parts[*]}" | sed 's/,/ + /g'))"; else cells="${R[$t,$tag,cpu,proxies]}"; fi
  fi
  echo "$cells | ${R[$t,$tag,cpu,upstream]}"
}

echo "## Saturation: wrk -t1 -c32 -d${DURATION}s"
echo
echo "| topology | rps | p50 µs | p90 µs | p99 µs | p50 over direct | p99 over direct | proxy CPU µs/req (= ms per 1k req) | upstream CPU µs/req | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for t in "${TOPOS[@]}"; do
  echo "| $t | ${R[$t,sat,rps]} | ${R[$t,sat,p50]} | ${R[$t,sat,p90]} | ${R[$t,sat,p99]} | $(diff_us "${R[$t,sat,p50]}" "${R[direct,sat,p50]}") | $(diff_us "${R[$t,sat,p99]}" "${R[direct,sat,p99]}") | $(cpu_cells "$t" sat) | ${R[$t,sat,err]} |"
done
echo
for rate in $RATES; do
  c=$((rate / 100)); ((c < 1)) && c=1
  echo "## Fixed rate: hey -c $c -q $((rate / c)) -z ${DURATION}s (target $rate rps)"
  echo
  echo "| topology | achieved rps | p50 µs | p90 µs | p99 µs | p50 over direct | p90 over direct | p99 over direct | proxy CPU µs/req | upstream CPU µs/req | non-200 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in "${TOPOS[@]}"; do
    echo "| $t | ${R[$t,$rate,rps]} | ${R[$t,$rate,p50]} | ${R[$t,$rate,p90]} | ${R[$t,$rate,p99]} | $(diff_us "${R[$t,$rate,p50]}" "${R[direct,$rate,p50]}") | $(diff_us "${R[$t,$rate,p90]}" "${R[direct,$rate,p90]}") | $(diff_us "${R[$t,$rate,p99]}" "${R[direct,$rate,p99]}") | $(cpu_cells "$t" "$rate") | ${R[$t,$rate,non200]} |"
  done
  echo
done
echo "## Memory after the run (VmRSS) and idle CPU (${DURATION}s with no traffic, before the load)"
echo
echo "| process | RSS MiB | idle CPU ms/s |"
echo "|---|---:|---:|"
echo "| nginx proxy (master + 1 worker) | ${R[rss,nginx]} | ${R[idle,nginx]} |"
echo "| haproxy (nbthread 1) | ${R[rss,haproxy]} | ${R[idle,haproxy]} |"
echo "| server sidecar (echo) | ${R[rss,srv]} | ${R[idle,server-sidecar]} |"
echo "| client sidecar | ${R[rss,cli]} | ${R[idle,client-sidecar]} |"
if [[ "$MTLS" == 1 ]]; then
  echo "| mTLS server sidecar (echo-mtls, certificate, STRICT, policy) | ${R[rss,msrv]} | ${R[idle,mtls-server-sidecar]} |"
  echo "| mTLS client sidecar (client-mtls, certificate) | ${R[rss,mcli]} | ${R[idle,mtls-client-sidecar]} |"
fi
if [[ "$OBS" == 1 ]]; then
  echo "| observability server sidecar (echo-obs, after pair+obs) | ${R[rss,osrv]} | ${R[idle,obs-server-sidecar]} |"
  echo "| observability client sidecar (client-obs, after pair+obs) | ${R[rss,ocli]} | ${R[idle,obs-client-sidecar]} |"
fi
echo

if [[ "$MTLS" == 1 ]]; then
  # The figure issue 5 asks for: what mTLS, then mTLS plus authorization, add over the plaintext pair, same run.
  echo "## mTLS and authorization on the sidecar pair, over the plaintext pair (same run)"
  echo
  echo "| measurement | topology | p50 µs | p90 µs | p99 µs | p50 over pair | p90 over pair | p99 over pair | proxy CPU µs/req | CPU over pair |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for tag in sat $RATES; do
    label=$([[ $tag == sat ]] && echo "saturation (wrk -c32)" || echo "$tag rps (hey)")
    for t in pair pair+mtls pair+mtls+authz; do
      echo "| $label | $t | ${R[$t,$tag,p50]} | ${R[$t,$tag,p90]} | ${R[$t,$tag,p99]} | $(diff_us "${R[$t,$tag,p50]}" "${R[pair,$tag,p50]}") | $(diff_us "${R[$t,$tag,p90]}" "${R[pair,$tag,p90]}") | $(diff_us "${R[$t,$tag,p99]}" "${R[pair,$tag,p99]}") | ${R[$t,$tag,cpu,proxies]} | $(awk -v a="${R[$t,$tag,cpu,proxies]}" -v b="${R[pair,$tag,cpu,proxies]}" 'BEGIN{printf "%+.1f", a-b}') |"
    done
  done
  echo
fi
if [[ "$OBS" == 1 ]]; then
  # The figure issue 6 asks for: what metrics + access logging + tracing add over the bare pair, same run.
  echo "## Metrics + access logging + tracing on the sidecar pair, over the bare pair (same run)"
  echo
  echo "pair+obs did the work: ${R[obs,counted_cli]} + ${R[obs,counted_srv]} requests counted (client + server), ${R[obs,lines]} access-log lines (${R[obs,dropped]} dropped), ${R[obs,exports]} OTLP exports."
  echo "pair-bare-again is pair-bare once more, after pair+obs. pair (metrics on, no access log, tracing 1% with no endpoint: the default) is another process pair, measured earlier."
  echo
  echo "| measurement | topology | p50 µs | p90 µs | p99 µs | p50 over pair-bare | p90 over pair-bare | p99 over pair-bare | proxy CPU µs/req | CPU over pair-bare |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for tag in sat $RATES; do
    label=$([[ $tag == sat ]] && echo "saturation (wrk -c32)" || echo "$tag rps (hey)")
    for t in pair-bare pair+obs pair-bare-again pair; do
      echo "| $label | $t | ${R[$t,$tag,p50]} | ${R[$t,$tag,p90]} | ${R[$t,$tag,p99]} | $(diff_us "${R[$t,$tag,p50]}" "${R[pair-bare,$tag,p50]}") | $(diff_us "${R[$t,$tag,p90]}" "${R[pair-bare,$tag,p90]}") | $(diff_us "${R[$t,$tag,p99]}" "${R[pair-bare,$tag,p99]}") | ${R[$t,$tag,cpu,proxies]} | $(awk -v a="${R[$t,$tag,cpu,proxies]}" -v b="${R[pair-bare,$tag,cpu,proxies]}" 'BEGIN{printf "%+.1f", a-b}') |"
    done
  done
  echo
fi
echo
# Warnings the sidecars logged during the run (a refused handshake, a rejected config, ...): part of the record.
echo "## Sidecar warnings during the run"
echo
for f in "$WORK"/sc-*.log; do
  n=$(grep -c -E ' (warn|fail|crit):' "$f" || true)
  echo "- $(basename "$f" .log): $n"
  { grep -E ' (warn|fail|crit):' "$f" || true; } | cut -d' ' -f2- | sed -E 's/[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+/ADDR/g' | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'
done
echo
log "done; stopping everything started here"
