#!/usr/bin/env bash
# Runs every benchmark, from the repository root, and writes the results under benchmarks/target/:
#   jmh-results.json, jmh-output.txt, jmh-report.md (micro) and macro-report.md (macro).
#
#   benchmarks/run.sh          the full run (about 30 minutes on a quiet 4-core machine)
#   benchmarks/run.sh smoke    tiny settings: checks that everything runs; its numbers mean nothing
#
# Builds the jars when they are missing (run `mvn -q -DskipTests package` yourself after a change).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-full}" in
  full)
    jmh_settings=()
    macro_settings=()
    ;;
  smoke)
    jmh_settings=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
    macro_settings=(--rounds 1 --scale 0.05)
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
