#!/usr/bin/env bash
# The quickstart's second command: the whole test suite on the default JDK, the integration tests
# again on the oldest supported version of each library, and the whole suite again on the second
# JDK installed beside it (SECOND_JAVA_HOME, or the newest /usr/lib/jvm/temurin-*). Unit tests,
# forked-JVM tests with the built agent jar, and tests against a real MLflow server, which the tests
# install (a cached Python venv under ~/.cache/mlflow-tracing-agent) and start on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"

second_jdk="${SECOND_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-* 2>/dev/null | sort -V | tail -n 1 || true)}"

echo "== tests on $(java -version 2>&1 | head -n 1)"
mvn -B verify

# The oldest supported version of each library, on the default JDK (for Spring AI: 1.1, with its
# own OpenAI client, beside the default 2.0 over openai-java). -am builds what the tests attach
# (the agent jar) in the same reactor; the unit tests already ran above.
echo "== integration tests on the oldest supported library versions"
mvn -B verify -pl it-tests/openai,it-tests/anthropic,it-tests/google-genai,it-tests/bedrock,it-tests/langchain4j,it-tests/spring-ai -am \
  -Popenai-oldest,anthropic-oldest,google-genai-oldest,bedrock-oldest,langchain4j-oldest,spring-ai-1.1 \
  -Dtest=no-unit-tests -Dsurefire.failIfNoSpecifiedTests=false

if [[ -n "$second_jdk" && -x "$second_jdk/bin/java" ]]; then
  echo "== tests on $("$second_jdk/bin/java" -version 2>&1 | head -n 1) ($second_jdk)"
  JAVA_HOME="$second_jdk" PATH="$second_jdk/bin:$PATH" mvn -B verify
elif [[ "${CI:-}" == "true" ]]; then
  echo "test.sh: no second JDK found; set SECOND_JAVA_HOME (CI tests both JDKs)" >&2
  exit 1
else
  echo "test.sh: WARNING no second JDK found (set SECOND_JAVA_HOME); tested on one JDK only" >&2
fi
