#!/usr/bin/env bash
# Runs every benchmark, from the repository root, and writes the results under benchmarks/target/:
#   jmh-results.json, jmh-output.txt, jmh-report.md (micro), macro-report.md (macro),
#   memory-report.md (the agent's heap with the backend down) and export-report.md (export
#   throughput; the MLflow server part needs python3, see README.md).
#
#   benchmarks/run.sh          the full run (about 35 minutes on a quiet 4-core machine)
#   benchmarks/run.sh smoke    tiny settings: checks that everything runs; its numbers mean nothing
#
# Builds the jars when they are missing (run `mvn -q -DskipTests package` yourself after a change).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-full}" in
  full)
    jmh_settings=()
    macro_settings=()
    memory_settings=()
    export_settings=()
    ;;
  smoke)
    jmh_settings=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
    macro_settings=(--rounds 1 --scale 0.05)
    memory_settings=(--duration 10 --rate 200 --gc-interval 2)
    export_settings=(--warmup 1 --seconds 3 --senders 1,2)
    ;;
  *)
    echo "usage: $0 [full|smoke]" >&2
    exit 2
    ;;
esac

if [[ ! -f agent/target/mlflow-tracing-agent.jar || ! -f benchmarks/target/benchmarks.jar
      || ! -f benchmarks/target/overhead-app.jar ]]; then
  mvn -B -q -DskipTests package
fi
if [[ ! -f benchmarks/target/opentelemetry-javaagent.jar ]]; then
  mvn -B -q -pl benchmarks dependency:copy@opentelemetry-javaagent
fi

java -jar benchmarks/target/benchmarks.jar "${jmh_settings[@]}" -prof gc \
  -rf json -rff benchmarks/target/jmh-results.json | tee benchmarks/target/jmh-output.txt
java -cp benchmarks/target/benchmarks.jar org.mlflow.agent.benchmarks.report.JmhReport \
  benchmarks/target/jmh-results.json | tee benchmarks/target/jmh-report.md
java -cp benchmarks/target/benchmarks.jar org.mlflow.agent.benchmarks.macro.OverheadHarness \
  "${macro_settings[@]}" | tee benchmarks/target/macro-report.md
java -cp benchmarks/target/benchmarks.jar org.mlflow.agent.benchmarks.macro.MemoryHarness \
  "${memory_settings[@]}" | tee benchmarks/target/memory-report.md
java -cp benchmarks/target/benchmarks.jar org.mlflow.agent.benchmarks.export.ExportThroughput \
  "${export_settings[@]}" | tee benchmarks/target/export-report.md
