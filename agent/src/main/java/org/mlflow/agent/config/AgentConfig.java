package org.mlflow.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mlflow.agent.methods.MethodPattern;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Every setting the agent reads, parsed once at start-up.
 *
 * <p>A bad value never stops the application: it becomes one line in {@link #problems()} naming
 * the variable and what it accepts, and the setting keeps its default.
 */
public final class AgentConfig {

  /** One switch per integration, {@code <NAME>} being its name in upper case. */
  public static final String INTEGRATION_SWITCH = "MLFLOW_AGENT_<NAME>_ENABLED";

  /** Every variable the agent reads, in the order of the README's configuration table. */
  public static final List<String> VARIABLES =
      List.of(
          "ENABLE_MLFLOW_TRACING",
          "MLFLOW_TRACKING_URI",
          "MLFLOW_EXPERIMENT_ID",
          "MLFLOW_EXPERIMENT_NAME",
          "MLFLOW_TRACKING_TOKEN",
          "MLFLOW_TRACKING_USERNAME",
          "MLFLOW_TRACKING_PASSWORD",
          "MLFLOW_TRACKING_INSECURE_TLS",
          "MLFLOW_WORKSPACE",
          "DATABRICKS_HOST",
          "DATABRICKS_TOKEN",
          "DATABRICKS_CLIENT_ID",
          "DATABRICKS_CLIENT_SECRET",
          "MLFLOW_TRACE_SAMPLING_RATIO",
          "MLFLOW_TRACE_TIMEOUT_SECONDS",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
          "OTEL_SERVICE_NAME",
          "MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT",
          "MLFLOW_AGENT_TRACES_DIR",
          "MLFLOW_AGENT_RING_SIZE",
          "MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS",
          "MLFLOW_AGENT_SPOOL_MAX_MB",
          "MLFLOW_AGENT_SENDER_THREADS",
          "MLFLOW_AGENT_CAPTURE_CONTENT",
          "MLFLOW_AGENT_MAX_CONTENT_CHARS",
          "MLFLOW_AGENT_TRACE_METHODS",
          "MLFLOW_AGENT_TRACE_METADATA",
          "MLFLOW_AGENT_USER_HEADER",
          "MLFLOW_AGENT_SESSION_HEADER",
          "MLFLOW_AGENT_REDACT_PATTERNS",
          INTEGRATION_SWITCH);


  /** OpenTelemetry's name for a service that does not say its name, in Java. */
  public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";

  public static final int MIN_RING_SIZE = 16;
  public static final int MAX_RING_SIZE = 1 << 20;
  public static final int DEFAULT_SENDER_THREADS = 4;
  public static final int MAX_SENDER_THREADS = 16;

  private final boolean enabled;
  private final URI trackingUri;
  private final String experimentId;
  private final String experimentName;
  private final String trackingToken;
  private final String trackingUsername;
  private final String trackingPassword;
  private final boolean insecureTls;
  private final String workspace;
  private final boolean databricks;
  private final String databricksToken;
  private final String databricksClientId;
  private final String databricksClientSecret;
  private final double samplingRatio;
  private final long traceTimeoutSeconds;
  private final URI otlpTracesEndpoint;
  private final Map<String, String> otlpHeaders;
  private final String serviceName;
  private final boolean otlpDualExport;
  private final Path tracesDir;
  private final int ringSize;
  private final long flushTimeoutSeconds;
  private final long spoolMaxBytes;
  private final int senderThreads;
  private final boolean captureContent;
  private final int maxContentChars;
  private final List<MethodPattern> tracedMethods;
  private final Map<String, String> traceMetadata;
  private final String userHeader;
  private final String sessionHeader;
  private final Pattern redactPattern;
  private final Set<String> disabledIntegrations;
  private final List<String> problems;

  private AgentConfig(SettingSource source, List<String> integrationNames) {
    Parser parser = new Parser(source);
    enabled = parser.bool("ENABLE_MLFLOW_TRACING", true);
    databricks = "databricks".equalsIgnoreCase(source.raw("MLFLOW_TRACKING_URI"));
    URI serverUri = databricks ? null : parser.trackingUri("MLFLOW_TRACKING_URI");
    experimentId = parser.experimentId("MLFLOW_EXPERIMENT_ID", "0");
    experimentName = source.raw("MLFLOW_EXPERIMENT_NAME");
    trackingToken = source.raw("MLFLOW_TRACKING_TOKEN");
    trackingUsername = source.raw("MLFLOW_TRACKING_USERNAME");
    trackingPassword = source.raw("MLFLOW_TRACKING_PASSWORD");
    insecureTls = parser.bool("MLFLOW_TRACKING_INSECURE_TLS", false);
    workspace = source.raw("MLFLOW_WORKSPACE");
    String databricksHost = source.raw("DATABRICKS_HOST");
    trackingUri = databricks ? parser.databricksHost("DATABRICKS_HOST", databricksHost)
        : serverUri;
    databricksToken = source.raw("DATABRICKS_TOKEN");
    String clientId = source.raw("DATABRICKS_CLIENT_ID");
    String clientSecret = source.raw("DATABRICKS_CLIENT_SECRET");
    boolean oauth = clientId != null && clientSecret != null;
    databricksClientId = oauth ? clientId : null;
    databricksClientSecret = oauth ? clientSecret : null;
    samplingRatio = parser.ratio("MLFLOW_TRACE_SAMPLING_RATIO", 1.0);
    traceTimeoutSeconds = parser.positiveLong("MLFLOW_TRACE_TIMEOUT_SECONDS", 300, "seconds");
    otlpTracesEndpoint = parser.otlpTracesEndpoint();
    otlpHeaders = parser.headers("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
    String service = source.raw("OTEL_SERVICE_NAME");
    serviceName = service == null || service.isBlank() ? DEFAULT_SERVICE_NAME : service;
    otlpDualExport = parser.bool("MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", false);
    tracesDir = parser.path("MLFLOW_AGENT_TRACES_DIR", Paths.get("mlflow-traces"));
    ringSize = parser.powerOfTwo("MLFLOW_AGENT_RING_SIZE", 8192, MIN_RING_SIZE, MAX_RING_SIZE);
    flushTimeoutSeconds = parser.positiveLong("MLFLOW_AGENT_FLUSH_TIMEOUT_SECONDS", 5, "seconds");
    spoolMaxBytes = parser.positiveLong("MLFLOW_AGENT_SPOOL_MAX_MB", 512, "megabytes") * 1024 * 1024;
    senderThreads = parser.wholeNumber("MLFLOW_AGENT_SENDER_THREADS", DEFAULT_SENDER_THREADS, 1,
        MAX_SENDER_THREADS);
    boolean contentWanted = parser.bool("MLFLOW_AGENT_CAPTURE_CONTENT", true);
    maxContentChars = (int) Math.min(Integer.MAX_VALUE,
        parser.positiveLong("MLFLOW_AGENT_MAX_CONTENT_CHARS", 1_000_000, "characters"));
    tracedMethods = parser.methodPatterns("MLFLOW_AGENT_TRACE_METHODS");
    traceMetadata = parser.metadata("MLFLOW_AGENT_TRACE_METADATA");
    userHeader = parser.headerName("MLFLOW_AGENT_USER_HEADER");
    sessionHeader = parser.headerName("MLFLOW_AGENT_SESSION_HEADER");
    redactPattern = parser.pattern("MLFLOW_AGENT_REDACT_PATTERNS");
    // Content the user asked to redact is not kept at all when the patterns cannot be used.
    captureContent = contentWanted
        && (redactPattern != null || source.raw("MLFLOW_AGENT_REDACT_PATTERNS") == null);
    Set<String> disabled = new TreeSet<>();
    for (String name : integrationNames) {
      if (!parser.bool(integrationSwitch(name), true)) {
        disabled.add(name);
      }
    }
    disabledIntegrations = Collections.unmodifiableSet(disabled);
    if ((trackingUsername == null) != (trackingPassword == null)) {
      parser.problems.add("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD go together:"
          + " set both for basic authentication, or neither; sending no credentials.");
    }
    if (trackingToken != null && trackingUsername != null && trackingPassword != null) {
      parser.problems.add("both MLFLOW_TRACKING_TOKEN and MLFLOW_TRACKING_USERNAME /"
          + " MLFLOW_TRACKING_PASSWORD are set: sending basic credentials, as MLflow's Python"
          + " client does; unset the ones you do not mean.");
    }
    if ((clientId == null) != (clientSecret == null)) {
      parser.problems.add("DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET go together: set both"
          + " for OAuth (machine to machine), or neither.");
    }
    if (databricks && trackingUri != null && databricksToken == null && !oauth) {
      parser.problems.add("MLFLOW_TRACKING_URI=databricks needs credentials: set DATABRICKS_TOKEN,"
          + " or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET; sending none.");
    }
    problems = Collections.unmodifiableList(parser.problems);
  }

  /**
   * @param integrationNames the integrations whose switches to read
   */
  public static AgentConfig load(SettingSource source, List<String> integrationNames) {
    return new AgentConfig(source, integrationNames);
  }

  /** The switch variable of one integration, e.g. {@code MLFLOW_AGENT_OPENAI_ENABLED}. */
  public static String integrationSwitch(String integrationName) {
    return INTEGRATION_SWITCH.replace("<NAME>",
        integrationName.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** {@code ENABLE_MLFLOW_TRACING}; when false the agent installs nothing. */
  public boolean enabled() {
    return enabled;
  }

  /** The http(s) tracking server, or null: traces then go to {@link #tracesDir()}. */
  public URI trackingUri() {
    return trackingUri;
  }

  /** The tracking URI fit for a log line: any user:password@ part is masked. */
  public String trackingUriForDisplay() {
    return trackingUri == null ? null : withoutUserInfo(trackingUri.toString());
  }

  static String withoutUserInfo(String uri) {
    return uri.replaceFirst("//[^/@]*@", "//***@");
  }

  /** {@code MLFLOW_TRACKING_INSECURE_TLS}: accept any TLS certificate (test servers only). */
  public boolean insecureTls() {
    return insecureTls;
  }

  /** {@code MLFLOW_WORKSPACE}: sent as header {@code X-MLFLOW-WORKSPACE}; null if unset. */
  public String workspace() {
    return workspace;
  }

  /**
   * {@code MLFLOW_TRACKING_URI=databricks}: traces go to the Databricks workspace at
   * {@code DATABRICKS_HOST}, which {@link #trackingUri()} then is.
   */
  public boolean databricks() {
    return databricks;
  }

  /** {@code DATABRICKS_TOKEN}, a personal access token; wins over OAuth. Null if unset. */
  public String databricksToken() {
    return databricksToken;
  }

  /** {@code DATABRICKS_CLIENT_ID}, only when the secret is set too. */
  public String databricksClientId() {
    return databricksClientId;
  }

  public String databricksClientSecret() {
    return databricksClientSecret;
  }

  /**
   * Where an OTLP collector takes traces: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as it is, or
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT} with {@code /v1/traces} appended, as the OpenTelemetry
   * specification says; null when neither is set.
   */
  public URI otlpTracesEndpoint() {
    return otlpTracesEndpoint;
  }

  /** {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS}: headers sent to the collector; never logged. */
  public Map<String, String> otlpHeaders() {
    return otlpHeaders;
  }

  /** {@code OTEL_SERVICE_NAME}: the {@code service.name} of the spans sent over OTLP. */
  public String serviceName() {
    return serviceName;
  }

  /**
   * {@code MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT}: with a collector and a tracking server both
   * set, traces go to both; otherwise only to the collector, as in MLflow's Python client.
   */
  public boolean otlpDualExport() {
    return otlpDualExport;
  }

  public String experimentId() {
    return experimentId;
  }

  /**
   * {@code MLFLOW_EXPERIMENT_NAME}: the experiment to file traces under, found or created by name;
   * when set it wins over {@code MLFLOW_EXPERIMENT_ID}, as in MLflow's Python client. Null if unset.
   */
  public String experimentName() {
    return experimentName;
  }

  /** The most the spool of undelivered traces may hold on disk. */
  public long spoolMaxBytes() {
    return spoolMaxBytes;
  }

  /** How many traces are sent to the server (or collector) at once. */
  public int senderThreads() {
    return senderThreads;
  }

  public String trackingToken() {
    return trackingToken;
  }

  /** Basic-auth user, only when the password is set too. */
  public String trackingUsername() {
    return trackingPassword == null ? null : trackingUsername;
  }

  public String trackingPassword() {
    return trackingUsername == null ? null : trackingPassword;
  }

  public double samplingRatio() {
    return samplingRatio;
  }

  public long traceTimeoutSeconds() {
    return traceTimeoutSeconds;
  }

  public Path tracesDir() {
    return tracesDir;
  }

  public int ringSize() {
    return ringSize;
  }

  public long flushTimeoutSeconds() {
    return flushTimeoutSeconds;
  }

  /** Whether spans keep the calls' inputs and outputs. */
  public boolean captureContent() {
    return captureContent;
  }

  /** The longest inputs or outputs a span keeps, in characters of JSON. */
  public int maxContentChars() {
    return maxContentChars;
  }

  /** The application methods that become spans; empty unless {@code MLFLOW_AGENT_TRACE_METHODS}. */
  public List<MethodPattern> tracedMethods() {
    return tracedMethods;
  }

  /** The user's own metadata for every trace ({@code MLFLOW_AGENT_TRACE_METADATA}), in order. */
  public Map<String, String> traceMetadata() {
    return traceMetadata;
  }

  /** The inbound request header naming the request's user, or null. */
  public String userHeader() {
    return userHeader;
  }

  /** The inbound request header naming the request's session, or null. */
  public String sessionHeader() {
    return sessionHeader;
  }

  /**
   * {@code MLFLOW_AGENT_REDACT_PATTERNS}: what to replace with {@code [REDACTED]} in span inputs,
   * outputs and stream chunks before export; null when unset or invalid.
   */
  public Pattern redactPattern() {
    return redactPattern;
  }

  public boolean integrationEnabled(String integrationName) {
    return !disabledIntegrations.contains(integrationName);
  }

  /** One line per bad setting, ready to print. */
  public List<String> problems() {
    return problems;
  }

  /** A value as it can be quoted in one log line: control characters (a newline) escaped. */
  static String printable(String value) {
    StringBuilder text = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      if (Character.isISOControl(c)) {
        text.append(String.format("\\u%04x", (int) c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static final class Parser {
    private final SettingSource source;
    private final List<String> problems = new ArrayList<>();

    Parser(SettingSource source) {
      this.source = source;
    }

    private void reject(String variable, String value, String accepts, Object fallback) {
      problems.add(variable + "=\"" + printable(value) + "\" is not valid: expected " + accepts
          + "; using " + fallback + ".");
    }

    boolean bool(String variable, boolean fallback) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      switch (value.toLowerCase(Locale.ROOT)) {
        case "true":
        case "1":
        case "yes":
          return true;
        case "false":
        case "0":
        case "no":
          return false;
        default:
          reject(variable, value, "true or false", fallback);
          return fallback;
      }
    }

    double ratio(String variable, double fallback) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      try {
        double parsed = Double.parseDouble(value);
        if (parsed >= 0.0 && parsed <= 1.0) {
          return parsed;
        }
      } catch (NumberFormatException notANumber) {
        // reported below
      }
      reject(variable, value, "a number from 0.0 to 1.0", fallback);
      return fallback;
    }

    /** @param unit what the number counts, e.g. {@code seconds} */
    long positiveLong(String variable, long fallback, String unit) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value);
        if (parsed > 0) {
          return parsed;
        }
      } catch (NumberFormatException notANumber) {
        // reported below
      }
      reject(variable, value, "a whole number of " + unit + " above 0", fallback);
      return fallback;
    }

    int wholeNumber(String variable, int fallback, int min, int max) {
      return intWithin(variable, fallback, min, max, false);
    }

    int powerOfTwo(String variable, int fallback, int min, int max) {
      return intWithin(variable, fallback, min, max, true);
    }

    /** A whole number from {@code min} to {@code max}, a power of two when so asked. */
    private int intWithin(String variable, int fallback, int min, int max,
        boolean powerOfTwoOnly) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed >= min && parsed <= max
            && (!powerOfTwoOnly || Integer.bitCount(parsed) == 1)) {
          return parsed;
        }
      } catch (NumberFormatException notANumber) {
        // reported below
      }
      reject(variable, value, (powerOfTwoOnly ? "a power of two" : "a whole number") + " from "
          + min + " to " + max, fallback);
      return fallback;
    }

    Path path(String variable, Path fallback) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      try {
        return Paths.get(value);
      } catch (RuntimeException invalid) {
        reject(variable, value, "a folder path", fallback);
        return fallback;
      }
    }

    /** One Java regular expression; several patterns are joined with {@code |}. */
    Pattern pattern(String variable) {
      String value = source.raw(variable);
      if (value == null) {
        return null;
      }
      try {
        return Pattern.compile(value);
      } catch (PatternSyntaxException invalid) {
        problems.add(variable + "=\"" + printable(value) + "\" is not valid: expected a Java"
            + " regular expression (" + printable(invalid.getDescription()) + " at index "
            + invalid.getIndex() + "); keeping no inputs or outputs, so nothing unredacted is"
            + " exported.");
        return null;
      }
    }

    URI otlpTracesEndpoint() {
      String traces = source.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
      if (traces != null) {
        return httpUri("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces,
            "the http:// or https:// URL of an OTLP/HTTP traces endpoint");
      }
      String base = source.raw("OTEL_EXPORTER_OTLP_ENDPOINT");
      if (base == null) {
        return null;
      }
      URI uri = httpUri("OTEL_EXPORTER_OTLP_ENDPOINT", base,
          "the http:// or https:// base URL of an OTLP/HTTP collector");
      return uri == null ? null : URI.create(base.replaceAll("/+$", "") + "/v1/traces");
    }

    private URI httpUri(String variable, String value, String accepts) {
      try {
        URI uri = new URI(value);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return uri;
        }
      } catch (java.net.URISyntaxException invalid) {
        // reported below
      }
      problems.add(variable + "=\"" + withoutUserInfo(value) + "\" is not valid: expected "
          + accepts + "; traces are not sent over OTLP.");
      return null;
    }

    /** {@code key=value,key2=value2}, values URL-encoded, as the OpenTelemetry spec says. */
    Map<String, String> headers(String variable) {
      String value = source.raw(variable);
      Map<String, String> headers = new LinkedHashMap<>();
      if (value == null || value.isBlank()) {
        return Collections.unmodifiableMap(headers);
      }
      for (String pair : value.split(",")) {
        int equals = pair.indexOf('=');
        String name = equals > 0 ? pair.substring(0, equals).trim() : "";
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
          // the value may hold a secret: name only the variable
          problems.add(variable + " has an entry that is not name=value; that entry is not sent.");
          continue;
        }
        String header;
        try {
          header = java.net.URLDecoder.decode(pair.substring(equals + 1).trim(),
              java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
          header = null;
        }
        if (header == null || !header.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127))) {
          problems.add(variable + " has a value for " + name + " that is not URL-encoded"
              + " printable text; that header is not sent.");
          continue;
        }
        headers.put(name, header);
      }
      return Collections.unmodifiableMap(headers);
    }

    String experimentId(String variable, String fallback) {
      String value = source.raw(variable);
      if (value == null) {
        return fallback;
      }
      if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return value;
      }
      reject(variable, value, "the numeric id of an MLflow experiment", fallback);
      return fallback;
    }

    List<MethodPattern> methodPatterns(String variable) {
      String value = source.raw(variable);
      if (value == null) {
        return List.of();
      }
      try {
        return MethodPattern.parseAll(value);
      } catch (IllegalArgumentException invalid) {
        problems.add(variable + "=\"" + value + "\" is not valid (" + invalid.getMessage()
            + "): expected " + MethodPattern.ACCEPTS + "; tracing no application method.");
        return List.of();
      }
    }

    /**
     * {@code key=value} pairs separated by commas; keys starting with {@code mlflow.} are MLflow's
     * own (the agent sets them) and make the whole value invalid.
     */
    Map<String, String> metadata(String variable) {
      String value = source.raw(variable);
      if (value == null) {
        return Map.of();
      }
      Map<String, String> pairs = new LinkedHashMap<>();
      for (String pair : value.split(",")) {
        int equals = pair.indexOf('=');
        String key = equals < 0 ? "" : pair.substring(0, equals).trim();
        if (key.isEmpty() || key.startsWith("mlflow.")) {
          problems.add(variable + "=\"" + value + "\" is not valid: expected comma-separated"
              + " key=value pairs, keys not starting with mlflow. (MLflow's own), e.g."
              + " env=prod,app_version=1.4; adding no metadata.");
          return Map.of();
        }
        pairs.put(key, pair.substring(equals + 1).trim());
      }
      return Collections.unmodifiableMap(pairs);
    }

    /** An HTTP header name; never one that carries credentials. */
    String headerName(String variable) {
      String value = source.raw(variable);
      if (value == null) {
        return null;
      }
      String name = value.trim();
      boolean credentials = Set.of("authorization", "proxy-authorization", "cookie")
          .contains(name.toLowerCase(Locale.ROOT));
      if (name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") && !credentials) {
        return name;
      }
      problems.add(variable + "=\"" + value + "\" is not valid: expected the name of a request"
          + " header, not one that carries credentials (Authorization, Cookie); reading none.");
      return null;
    }

    /** The workspace URL; {@code https://} is assumed when the scheme is left out. */
    URI databricksHost(String variable, String value) {
      if (value == null) {
        problems.add("MLFLOW_TRACKING_URI=databricks needs " + variable + ", the workspace URL"
            + " (https://<workspace>.cloud.databricks.com); traces go to the local folder.");
        return null;
      }
      String url = value.contains("://") ? value : "https://" + value;
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return uri;
        }
      } catch (java.net.URISyntaxException invalid) {
        // reported below
      }
      problems.add(variable + "=\"" + withoutUserInfo(value) + "\" is not valid: expected the"
          + " https:// URL of a Databricks workspace; traces go to the local folder.");
      return null;
    }

    URI trackingUri(String variable) {
      String value = source.raw(variable);
      if (value == null) {
        return null;
      }
      if (value.toLowerCase(Locale.ROOT).startsWith("databricks")) {
        problems.add(variable + "=\"" + value + "\" is not supported: the agent reads no"
            + " Databricks profiles; set " + variable + "=databricks with DATABRICKS_HOST and"
            + " DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET); traces go"
            + " to the local folder.");
        return null;
      }
      try {
        URI uri = new URI(value);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return uri;
        }
      } catch (java.net.URISyntaxException invalid) {
        // reported below
      }
      problems.add(variable + "=\"" + printable(withoutUserInfo(value))
          + "\" is not supported: expected the http:// or https:// address of an MLflow tracking"
          + " server, or databricks; traces go to the local folder.");
      return null;
    }
  }
}
