package org.mlflow.agent.it.openai;

import org.mlflow.agent.it.support.TestSecrets;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.InetSocketAddress;
import java.net.Proxy;

/**
 * A plain app on Azure OpenAI through the OpenAI SDK's Azure mode (an {@code *.openai.azure.com}
 * base URL, an Azure API key), with no tracing code. The fake is reached as an HTTP proxy, so the
 * SDK sees the Azure host it would see in production.
 *
 * <p>Arguments: the port of the OpenAI fake on 127.0.0.1.
 */
public final class AzureOpenAiApp {

  public static final String AZURE_BASE_URL = "http://my-resource.openai.azure.com";
  public static final String AZURE_API_KEY = TestSecrets.AZURE_API_KEY;

  private AzureOpenAiApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(AZURE_BASE_URL)
        .credential(AzureApiKeyCredential.create(AZURE_API_KEY))
        .proxy(new Proxy(Proxy.Type.HTTP,
            new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]))))
        .maxRetries(0)
        .build();
    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder()
            .model(OpenAiChatApp.MODEL)
            .addUserMessage("What is MLflow?")
            .build());
    System.out.println("azure answer: " + completion.choices().get(0).message().content().get());
    client.close();
  }
}
