package org.mlflow.agent.it.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An app on old versions of what the agent shades: OkHttp 3.14, Jackson 2.13, Kotlin 1.8 (run with
 * those jars, compiled against the API they share with the newer ones). Fetches and parses JSON.
 *
 * <p>Arguments: a URL that answers JSON with a {@code data} array.
 */
public final class OldLibrariesApp {

  private OldLibrariesApp() {}

  public static void main(String[] args) throws Exception {
    // okhttp3.internal.Version is OkHttp 3's (compiled against 4, which names it otherwise).
    Object okhttp = Class.forName("okhttp3.internal.Version").getMethod("userAgent").invoke(null);
    System.out.println(okhttp + ", jackson "
        + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + ", kotlin "
        + kotlin.KotlinVersion.CURRENT);
    OkHttpClient client = new OkHttpClient();
    try (Response response = client.newCall(new Request.Builder().url(args[0]).build()).execute()) {
      JsonNode models = new ObjectMapper().readTree(response.body().string());
      System.out.println(response.code() + ": " + models.path("data").size() + " models, first "
          + models.path("data").path(0).path("id").asText());
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
