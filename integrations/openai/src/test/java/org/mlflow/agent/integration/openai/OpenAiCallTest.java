package org.mlflow.agent.integration.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.azure.AzureUrlPathMode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.EmbeddingCreateParams;
import org.junit.jupiter.api.Test;
import org.mlflow.agent.integration.RecordedSpans;

/** Which provider served a call, decided as the SDK decides it talks to Azure. */
class OpenAiCallTest {

  private static final EmbeddingCreateParams PARAMS =
      EmbeddingCreateParams.builder().model("text-embedding-3-small").input("hi").build();

  private static String providerOf(OpenAIClient client) throws Exception {
    try {
      Object[] blocking = {PARAMS, client.embeddings().withRawResponse()};
      Object[] async = {PARAMS, client.async().embeddings()};
      String provider = OpenAiCall.of(RecordedSpans.call(blocking, null, null)).provider();
      assertEquals(provider, OpenAiCall.of(RecordedSpans.call(async, null, null)).provider(),
          "blocking and async services read the same client options");
      return provider;
    } finally {
      client.close();
    }
  }

  @Test
  void openAiAndAnyOtherHostIsOpenAi() throws Exception {
    assertEquals("openai", providerOf(Sdk.openAi()));
    assertEquals("openai", providerOf(Sdk.client("http://127.0.0.1:8080/v1")));
  }

  @Test
  void anAzureHostIsAzure() throws Exception {
    assertEquals("azure", providerOf(Sdk.client("https://my-resource.openai.azure.com")));
    assertEquals("azure",
        providerOf(Sdk.client("https://my-resource.cognitiveservices.azure.com/openai/v1")));
  }

  @Test
  void aClientBuiltForAzurePathsIsAzureWhateverItsHost() throws Exception {
    assertEquals("azure", providerOf(OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:8080")
        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
        .apiKey(Sdk.API_KEY)
        .build()));
  }
}
