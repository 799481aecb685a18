package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A minimal raw HTTP client for requests the official client never sends. */
final class RawHttp {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String baseUrl;

  RawHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  record Answer(int status, String body, HttpResponse<String> raw) {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> json() {
      try {
        return Json.parseObject(body);
      } catch (Json.ParseException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /** Asserts GCS's error shape and returns the first reason. */
    @SuppressWarnings("unchecked")
    String assertGcsError(int expectedStatus) {
      assertThat(status).as("status of " + body).isEqualTo(expectedStatus);
      Map<String, Object> error = (Map<String, Object>) json().get("error");
      assertThat(error).as("error object in " + body).isNotNull();
      assertThat(error.get("code")).isEqualTo((long) expectedStatus);
      assertThat((String) error.get("message")).isNotBlank();
      List<Map<String, Object>> errors = (List<Map<String, Object>>) error.get("errors");
      assertThat(errors).isNotEmpty();
      String reason = (String) errors.get(0).get("reason");
      assertThat(reason).isNotBlank();
      return reason;
    }

    @Nullable String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Answer send(String method, String pathAndQuery, byte @Nullable [] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r =
          client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Answer get(String pathAndQuery) {
    return send("GET", pathAndQuery, (byte[]) null);
  }

  Answer send(String method, String pathAndQuery, String body, String... headers) {
    return send(method, pathAndQuery, body.getBytes(StandardCharsets.UTF_8), headers);
  }
}
