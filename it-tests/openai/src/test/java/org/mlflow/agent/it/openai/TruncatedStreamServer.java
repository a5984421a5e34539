package org.mlflow.agent.it.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An OpenAI-compatible endpoint whose connection drops in the middle of a stream: it answers any
 * request with the first events of a chat completion stream, then closes the connection without
 * ending the chunked body, as a proxy or a server that dies half-way would. WireMock cannot cut a
 * body short, hence this bare socket server.
 */
public final class TruncatedStreamServer implements AutoCloseable {

  private final ServerSocket socket;
  private final String events;

  public TruncatedStreamServer(String events) throws IOException {
    this.events = events;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::serve, "truncated-stream-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        readRequest(connection);
        OutputStream out = connection.getOutputStream();
        byte[] chunk = events.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Closing here, without the last zero-length chunk, cuts the stream.
      } catch (IOException closedOrReset) {
        // the next connection, or the end of the test
      }
    }
  }

  private static void readRequest(Socket connection) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
