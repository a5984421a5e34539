package org.mlflow.agent.it.safety;

import static net.bytebuddy.matcher.ElementMatchers.named;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import org.mlflow.agent.it.support.TestSecrets;

/**
 * An OpenAI SDK app that also uses its own copies of what the agent shades: Byte Buddy 1.10 (it
 * generates a class), the SDK's Jackson, OkHttp and Kotlin. Prints what it made and got.
 *
 * <p>Arguments: the OpenAI base URL.
 */
public final class ChatApp {

  private ChatApp() {}

  public static void main(String[] args) throws Exception {
    Object made = new ByteBuddy(ClassFileVersion.JAVA_V8)
        .subclass(Object.class)
        .method(named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
        .make()
        .load(ChatApp.class.getClassLoader())
        .getLoaded().getDeclaredConstructor().newInstance();
    System.out.println(made + "; jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
        + ", okhttp " + okhttp3.OkHttp.VERSION + ", kotlin " + kotlin.KotlinVersion.CURRENT);
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey(TestSecrets.OPENAI_API_KEY)
        .maxRetries(0)
        .build();
    for (String question : new String[] {"What is MLflow?", "And tracing?"}) {
      ChatCompletion completion = client.chat().completions().create(
          ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(question).build());
      System.out.println(question + " " + completion.choices().get(0).message().content().orElse(""));
    }
    client.close();
  }
}
