#!/usr/bin/env bash
# Runs one standalone GCS emulator and three instances of the sample app that share it, so you can
# watch the scheduled report job run on exactly one instance at a time. Ctrl-C stops everything.
#
#   ./mvnw -B -q install -DskipTests && dimutex-sample-app/run-fleet.sh
#
# Instances A, B and C listen on ports 8081, 8082 and 8083; the emulator on 9023 (EMULATOR_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."

emulator_jar=dimutex-gcs-emulator/target/dimutex-gcs-emulator.jar
app_jar=dimutex-sample-app/target/dimutex-sample-app.jar
emulator_port=${EMULATOR_PORT:-9023}
for jar in "$emulator_jar" "$app_jar"; do
  if [[ ! -f $jar ]]; then
    echo "$jar is missing: build first with ./mvnw -B -q install -DskipTests" >&2
    exit 1
  fi
done

pids=()
stop() {
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM

java -jar "$emulator_jar" --port "$emulator_port" --bucket dimutex-sample &
pids+=($!)
for _ in $(seq 50); do
  (echo >"/dev/tcp/127.0.0.1/$emulator_port") 2>/dev/null && break
  sleep 0.2
done

port=8081
for id in A B C; do
  STORAGE_EMULATOR_HOST="127.0.0.1:$emulator_port" java -jar "$app_jar" \
    --server.port="$port" --sample.instance-id="$id" &
  pids+=($!)
  port=$((port + 1))
done
wait
