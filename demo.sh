#!/usr/bin/env bash
# The quickstart's first command: builds the agent and the demo app, then runs the demo with the
# agent attached. With nothing configured, traces go to ./mlflow-traces; the agent's last line says
# where they are and how to list them.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests package
echo "+ java -javaagent:agent/target/mlflow-tracing-agent.jar -jar examples/target/mlflow-agent-demo.jar"
java -javaagent:agent/target/mlflow-tracing-agent.jar -jar examples/target/mlflow-agent-demo.jar
echo "+ java -jar agent/target/mlflow-tracing-agent.jar show ${MLFLOW_AGENT_TRACES_DIR:-mlflow-traces}"
java -jar agent/target/mlflow-tracing-agent.jar show "${MLFLOW_AGENT_TRACES_DIR:-mlflow-traces}"
