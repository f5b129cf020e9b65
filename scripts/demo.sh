#!/usr/bin/env bash
# The main job: builds the mesh, starts the control plane on its embedded SQLite store (./.mesh),
# applies the example configuration in examples/bookinfo and shows what was stored.
# In a terminal it keeps the control plane running until Ctrl+C; otherwise it stops it and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
GRPC_PORT=${MESH_GRPC_PORT:-15010}
HTTP_PORT=${MESH_HTTP_PORT:-15014}
DATA_DIR=${MESH_DATA_DIR:-.mesh}

echo "==> building"
dotnet build Runtime.sln -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"

out=Release/net10.0
silo="src/Runtime.Silo/bin/$out/Runtime.Silo.dll"
meshctl() { dotnet "src/Runtime.Cli/bin/$out/meshctl.dll" --server "http://127.0.0.1:$GRPC_PORT" "$@"; }

echo "==> starting the control plane (gRPC 127.0.0.1:$GRPC_PORT, HTTP 127.0.0.1:$HTTP_PORT, store $DATA_DIR/mesh.db)"
mkdir -p "$DATA_DIR"
dotnet "$silo" --grpc-port "$GRPC_PORT" --http-port "$HTTP_PORT" --data-dir "$DATA_DIR" >"$DATA_DIR/silo.log" 2>&1 &
silo_pid=$!
stop() { kill "$silo_pid" 2>/dev/null && wait "$silo_pid" 2>/dev/null || true; }
trap stop EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$silo_pid" 2>/dev/null; then
    echo "the control plane exited during start-up:" >&2; cat "$DATA_DIR/silo.log" >&2; exit 1
  fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null || { echo "the control plane did not become ready; see $DATA_DIR/silo.log" >&2; exit 1; }

echo "==> meshctl version"
meshctl version
echo "==> meshctl validate -f examples/bookinfo (offline)"
meshctl validate -f examples/bookinfo
echo "==> meshctl apply -f examples/bookinfo"
meshctl apply -f examples/bookinfo
echo "==> meshctl get all -A"
meshctl get all -A
echo "==> meshctl get vs reviews -n bookinfo -o yaml"
meshctl get vs reviews -n bookinfo -o yaml

if [ -t 0 ]; then
  echo
  echo "The control plane keeps running: try"
  echo "  dotnet src/Runtime.Cli/bin/$out/meshctl.dll get dr -n bookinfo"
  echo "Press Ctrl+C to stop it."
  wait "$silo_pid"
fi
