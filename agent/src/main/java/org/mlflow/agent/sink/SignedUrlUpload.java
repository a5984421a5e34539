package org.mlflow.agent.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Writes a trace's {@code traces.json} to the cloud storage URL Databricks signs for it
 * ({@code credential_info} of {@code GET /api/2.0/mlflow/traces/{id}/credentials-for-data-upload}),
 * as MLflow's Python client does: one PUT for AWS and GCP signed URLs, one PUT of a block blob for
 * Azure Blob SAS URLs, and create-then-append-and-flush for Azure Data Lake Gen2. The headers the
 * credential lists are sent with each request. The URL carries its own signature: the agent's
 * Authorization header is never sent to storage.
 */
final class SignedUrlUpload {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final byte[] EMPTY = new byte[0];

  private final OkHttpClient http;

  SignedUrlUpload(OkHttpClient http) {
    this.http = http;
  }

  void upload(JsonNode credential, byte[] spans) throws DeliveryException {
    String type = credential.path("type").asText("");
    HttpUrl url = HttpUrl.parse(credential.path("signed_uri").asText(""));
    if (url == null) {
      throw new DeliveryException("the upload credential has no usable signed_uri (type "
          + type + ")", false, -1, null);
    }
    switch (type) {
      case "AWS_PRESIGNED_URL":
      case "GCP_SIGNED_URL":
        send(credential, url, "PUT", spans, false);
        break;
      case "AZURE_SAS_URI":
        send(credential, url, "PUT", spans, true);
        break;
      case "AZURE_ADLS_GEN2_SAS_URI":
        send(credential, url.newBuilder().addQueryParameter("resource", "file").build(),
            "PUT", EMPTY, false);
        send(credential, url.newBuilder()
            .addQueryParameter("action", "append")
            .addQueryParameter("position", "0")
            .addQueryParameter("flush", "true")
            .build(), "PATCH", spans, false);
        break;
      default:
        throw new DeliveryException("the upload credential has a storage type the agent does"
            + " not know: " + type, false, -1, null);
    }
  }

  private void send(JsonNode credential, HttpUrl url, String method, byte[] body,
      boolean blockBlob) throws DeliveryException {
    Request.Builder request = new Request.Builder().url(url)
        .method(method, RequestBody.create(body, JSON));
    credential.path("headers").forEach(header ->
        request.header(header.path("name").asText(), header.path("value").asText()));
    if (blockBlob) {
      request.header("x-ms-blob-type", "BlockBlob");
    }
    // The signature is in the query: logs and messages name the storage host only.
    String what = "upload of traces.json to " + url.scheme() + "://" + url.host();
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody reply = response.body();
      String text = reply == null ? "" : reply.string();
      int code = response.code();
      if (!response.isSuccessful()) {
        // An expired or refused signature is answered 403: a new credential may work, so the
        // whole delivery is tried again.
        throw DeliveryException.httpStatus(what + " answered HTTP " + code + ": "
            + HttpErrors.shorten(text), code, code == 403 || code == 408 || code == 429
            || code >= 500, MlflowRestClient.retryAfterMillis(response.header("Retry-After")));
      }
    } catch (DeliveryException refused) {
      throw refused;
    } catch (IOException unreachable) {
      throw HttpErrors.transportFailure(what, unreachable);
    }
  }
}
