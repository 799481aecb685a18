package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.emulator.RawHttp.Answer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input: every malformed request answers 4xx (with GCS's error body where the request got as
 * far as the JSON API) or 501 for unimplemented features, and the server keeps serving.
 */
class MalformedRequestTest {
  private static final String BUCKET = "fuzz-bucket";
  private static final String UPLOAD = "/upload/storage/v1/b/" + BUCKET + "/o";
  private static GcsEmulator emulator;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket(BUCKET).start();
    http = new RawHttp(emulator.baseUrl());
    http.send("POST", UPLOAD + "?uploadType=media&name=existing", "x");
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void serverStillServes() {
    assertThat(http.get("/storage/v1/b/" + BUCKET + "/o/existing").status()).isEqualTo(200);
  }

  @Nested
  class Json {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "{",
          "{\"metadata\":",
          "[1,2]",
          "\"str\"",
          "{\"metadata\":{\"k\":[1]}}",
          "{\"metadata\":\"notAnObject\"}",
          "{\"contentType\":5}",
          "{\"customTime\":\"yesterday\"}",
          "{\"a\":1}garbage",
          "{'single':'quotes'}",
          "{\"a\":01}",
          "{\"a\":\"\\x\"}",
          "{\"a\":\"\\ud800\"}x",
          "nul"
        })
    void badJsonInAPatchAnswers400(String body) {
      Answer a = http.send("PATCH", "/storage/v1/b/" + BUCKET + "/o/existing", body);

      assertThat(a.assertGcsError(400)).isEqualTo("invalid");
    }

    @Test
    void deeplyNestedJsonAnswers400() {
      String body = "[".repeat(10_000) + "]".repeat(10_000);

      http.send("PATCH", "/storage/v1/b/" + BUCKET + "/o/existing", body).assertGcsError(400);
    }

    @Test
    void invalidUtf8InJsonAnswers400() {
      byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

      http.send("PATCH", "/storage/v1/b/" + BUCKET + "/o/existing", body).assertGcsError(400);
    }

    @Test
    @Tag("C-EMU-2")
    void unimplementedFieldsAnswer501() {
      http.send(
              "PATCH",
              "/storage/v1/b/" + BUCKET + "/o/existing",
              "{\"acl\":[{\"entity\":\"allUsers\",\"role\":\"READER\"}]}")
          .assertGcsError(501);
      http.send("PATCH", "/storage/v1/b/" + BUCKET + "/o/existing", "{\"temporaryHold\":true}")
          .assertGcsError(501);
    }
  }

  @Nested
  class Multipart {
    private Answer multipart(String contentType, String body) {
      return http.send("POST", UPLOAD + "?uploadType=multipart", body, "Content-Type", contentType);
    }

    @Test
    void aMissingBoundaryAnswers400() {
      multipart("multipart/related", "--x\r\n\r\n{}\r\n--x\r\n\r\nd\r\n--x--").assertGcsError(400);
    }

    @Test
    void aWrongContentTypeAnswers400() {
      multipart("application/json", "{}").assertGcsError(400);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "no boundary at all",
          "--b\r\n\r\n{\"name\":\"m1\"}\r\n--b--",
          "--b\r\n\r\n{\"name\":\"m1\"}",
          "--b\r\n\r\n{\"name\":\"m1\"}\r\n--b\r\n\r\nd1\r\n--b\r\n\r\nd2\r\n--b--",
          "--bXX\r\n\r\n{}\r\n--b\r\n\r\nd\r\n--b--",
          "--b\r\nno-colon-header\r\n\r\n{}\r\n--b\r\n\r\nd\r\n--b--",
          "--b\r\n\r\nnot json\r\n--b\r\n\r\nd\r\n--b--",
          "--b\r\n\r\n{}\r\n--b\r\n\r\nd\r\n--b--"
        })
    void malformedBodiesAnswer400(String body) {
      multipart("multipart/related; boundary=b", body).assertGcsError(400);
    }

    @Test
    void randomBytesAnswer4xx() {
      Random random = new Random(42);
      for (int i = 0; i < 50; i++) {
        byte[] body = new byte[random.nextInt(400)];
        random.nextBytes(body);
        Answer a =
            http.send(
                "POST",
                UPLOAD + "?uploadType=multipart",
                body,
                "Content-Type",
                "multipart/related; boundary=" + (char) ('a' + random.nextInt(26)));
        assertThat(a.status()).as("attempt %d: %s", i, a.body()).isBetween(400, 499);
      }
    }
  }

  @Nested
  class Addressing {
    @Test
    void anUnknownBucketAnswers404() {
      assertThat(http.get("/storage/v1/b/no-such-bucket/o/x").assertGcsError(404))
          .isEqualTo("notFound");
      http.get("/storage/v1/b/no-such-bucket/o").assertGcsError(404);
      http.send("POST", "/upload/storage/v1/b/no-such-bucket/o?uploadType=media&name=x", "d")
          .assertGcsError(404);
    }

    @Test
    void anUnknownObjectAnswers404() {
      assertThat(http.get("/storage/v1/b/" + BUCKET + "/o/nope").assertGcsError(404))
          .isEqualTo("notFound");
      http.send("DELETE", "/storage/v1/b/" + BUCKET + "/o/nope", "").assertGcsError(404);
      http.send("PATCH", "/storage/v1/b/" + BUCKET + "/o/nope", "{}").assertGcsError(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad%0Aname", "bad%0Dname", "%FF%FE", "%C3%28", "%E0%80%80", "."})
    void invalidObjectNamesAnswer400(String encodedName) {
      http.send("POST", UPLOAD + "?uploadType=media&name=" + encodedName, "d").assertGcsError(400);
      http.get("/storage/v1/b/" + BUCKET + "/o/" + encodedName).status();
    }

    @Test
    void tooLongNamesAnswer400() {
      http.send("POST", UPLOAD + "?uploadType=media&name=" + "n".repeat(1025), "d")
          .assertGcsError(400);
      assertThat(
              http.send("POST", UPLOAD + "?uploadType=media&name=" + "n".repeat(1024), "d")
                  .status())
          .isEqualTo(200);
    }

    @Test
    void aMissingNameOrUploadTypeAnswers400() {
      assertThat(http.send("POST", UPLOAD + "?uploadType=media", "d").assertGcsError(400))
          .isEqualTo("required");
      http.send("POST", UPLOAD + "?name=x", "d").assertGcsError(400);
      http.send("POST", UPLOAD + "?uploadType=chunked&name=x", "d").assertGcsError(400);
    }

    @Test
    @Tag("C-EMU-2")
    void unimplementedFeaturesAnswer501NamingThem() {
      Answer compose = http.send("POST", "/storage/v1/b/" + BUCKET + "/o/existing/compose", "{}");
      assertThat(compose.assertGcsError(501)).isEqualTo("notImplemented");
      assertThat(compose.body()).contains("compose");
      http.get("/storage/v1/b/" + BUCKET + "/iam").assertGcsError(501);
      http.get("/storage/v1/b/" + BUCKET + "/o?matchGlob=*.txt").assertGcsError(501);
      http.send("PUT", "/" + BUCKET + "/existing", "xml upload").assertGcsError(501);
      http.send("POST", "/batch/storage/v1", "").assertGcsError(501);
      http.send("PATCH", "/storage/v1/b/" + BUCKET, "{}").assertGcsError(501);
    }

    @Test
    void theAdminApiIsOffByDefault() {
      http.get("/_emulator/faults").assertGcsError(404);
    }

    @Test
    void unknownMethodsAnswer405() {
      http.send("BREW", "/storage/v1/b/" + BUCKET + "/o/existing", "").assertGcsError(405);
    }
  }

  @Nested
  class Parameters {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "ifGenerationMatch=abc",
          "ifGenerationMatch=-1",
          "ifGenerationMatch=99999999999999999999999",
          "ifGenerationMatch=",
          "ifGenerationNotMatch=1.5",
          "ifMetagenerationMatch=0x10",
          "ifMetagenerationNotMatch=-9223372036854775808"
        })
    void badPreconditionValuesAnswer400OnEveryOperation(String query) {
      String object = "/storage/v1/b/" + BUCKET + "/o/existing?" + query;
      http.get(object).assertGcsError(400);
      http.get(object + "&alt=media").assertGcsError(400);
      http.send("PATCH", object, "{}").assertGcsError(400);
      http.send("DELETE", object, "").assertGcsError(400);
      http.send("POST", UPLOAD + "?uploadType=media&name=p&" + query, "d").assertGcsError(400);
    }

    @Test
    void aBadGenerationParameterAnswers400() {
      String object = "/storage/v1/b/" + BUCKET + "/o/existing?generation=nope";
      http.get(object).assertGcsError(400);
      http.send("DELETE", object, "").assertGcsError(400);
    }

    @Test
    void aHugeButValidGenerationSimplyDoesNotMatch() {
      String q = "?ifGenerationMatch=" + Long.MAX_VALUE;
      http.get("/storage/v1/b/" + BUCKET + "/o/existing" + q).assertGcsError(412);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxResults=0", "maxResults=-5", "maxResults=x", "pageToken=%25%25"})
    void badListParametersAnswer400(String query) {
      http.get("/storage/v1/b/" + BUCKET + "/o?" + query).assertGcsError(400);
    }

    @Test
    void aForgedPageTokenAnswers400() {
      http.get("/storage/v1/b/" + BUCKET + "/o?pageToken=bm90LWEtdG9rZW4").assertGcsError(400);
    }

    @Test
    void badContentRangesOnAResumableSessionAnswer400() {
      Answer start = http.send("POST", UPLOAD + "?uploadType=resumable&name=resumable-bad", "");
      String session = start.header("Location").substring(emulator.baseUrl().length());

      http.send("PUT", session, "abc", "Content-Range", "bytes 0-9/10").assertGcsError(400);
      http.send("PUT", session, "abc", "Content-Range", "bytes 5-7/10").assertGcsError(400);
      http.send("PUT", session, "abc", "Content-Range", "octets 0-2/3").assertGcsError(400);
      http.send("PUT", session, "abc", "Content-Range", "bytes x-y/z").assertGcsError(400);
      http.send("PUT", session.replaceAll("upload_id=[^&]+", "upload_id=nope"), "abc")
          .assertGcsError(404);
      assertThat(http.send("PUT", session, "abc", "Content-Range", "bytes 0-2/3").status())
          .isEqualTo(200);
    }

    @Test
    void aGzipBodyThatIsNotGzipAnswers400() {
      http.send(
              "PATCH", "/storage/v1/b/" + BUCKET + "/o/existing", "{}", "Content-Encoding", "gzip")
          .assertGcsError(400);
    }
  }

  @Nested
  class RandomRequests {
    private final String[] pathParts = {
      "/storage/v1/b",
      "/upload/storage/v1/b",
      "/download/storage/v1/b",
      "/_emulator",
      "/" + BUCKET,
      "/o",
      "/existing",
      "/%2F",
      "/%FF",
      "/..",
      "/compose",
      "/acl",
      "/x%20y",
      "/%C3%A9",
      "/b",
      "/",
      "/faults",
      "/requests",
      "/storage",
      "/v1"
    };
    private final String[] queryParts = {
      "uploadType=media",
      "uploadType=multipart",
      "uploadType=resumable",
      "name=fz",
      "name=",
      "ifGenerationMatch=-1",
      "ifGenerationMatch=0",
      "ifMetagenerationMatch=1",
      "alt=media",
      "alt=json",
      "upload_id=zz",
      "maxResults=0",
      "maxResults=2",
      "pageToken=abc",
      "prefix=%25",
      "delimiter=/",
      "generation=1",
      "project=p",
      "startOffset=a",
      "after=-1",
      "limit=x"
    };
    private final String[] bodies = {
      "",
      "{}",
      "{\"name\":\"fz\"}",
      "{\"metadata\":{\"k\":null}}",
      "[",
      "null",
      "\u0000",
      "--b\r\n\r\n{}\r\n--b\r\n\r\nd\r\n--b--",
      "{\"type\":\"delay\",\"millis\":-1}",
      "{\"customTime\":\"2020-01-01T00:00:00Z\"}"
    };
    private final String[] contentTypes = {
      "application/json",
      "multipart/related; boundary=b",
      "text/plain",
      "multipart/related",
      "application/octet-stream"
    };
    private final String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

    @Test
    void randomCombinationsNeverCrashTheServer() {
      GcsEmulator admin = GcsEmulator.builder().bucket(BUCKET).adminApi(true).start();
      try {
        RawHttp target = new RawHttp(admin.baseUrl());
        target.send("POST", UPLOAD + "?uploadType=media&name=existing", "x");
        Random random = new Random(20261126);
        for (int i = 0; i < 400; i++) {
          StringBuilder path = new StringBuilder();
          for (int n = random.nextInt(6) + 1; n > 0; n--) {
            path.append(pathParts[random.nextInt(pathParts.length)]);
          }
          StringBuilder query = new StringBuilder();
          for (int n = random.nextInt(4); n > 0; n--) {
            query.append(query.length() == 0 ? "?" : "&");
            query.append(queryParts[random.nextInt(queryParts.length)]);
          }
          String method = methods[random.nextInt(methods.length)];
          String body =
              method.equals("GET") || method.equals("HEAD")
                  ? ""
                  : bodies[random.nextInt(bodies.length)];
          Answer a =
              target.send(
                  method,
                  path.toString() + query,
                  body,
                  "Content-Type",
                  contentTypes[random.nextInt(contentTypes.length)]);

          assertThat(a.status())
              .as("%s %s%s with %s -> %s", method, path, query, body, a.body())
              .isNotIn(500, 502, 503, 504)
              .isLessThan(600);
        }
        target.send("DELETE", "/_emulator/faults", "");
        assertThat(target.get("/storage/v1/b/" + BUCKET + "/o/existing").status()).isEqualTo(200);
        assertThat(admin.requestLog().count(r -> r.operation() != Operation.ADMIN)).isPositive();
      } finally {
        admin.close();
      }
    }
  }

  @Nested
  class RawSockets {
    private String exchange(byte[] request) throws Exception {
      try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        socket.shutdownOutput();
        InputStream in = socket.getInputStream();
        try {
          return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
          return "reset: " + e.getMessage();
        }
      }
    }

    @Test
    void garbageInsteadOfHttpDoesNotStopTheServer() throws Exception {
      Random random = new Random(7);
      for (int i = 0; i < 20; i++) {
        byte[] junk = new byte[random.nextInt(2000) + 1];
        random.nextBytes(junk);
        exchange(junk);
      }
      String answer =
          exchange(
              ("GET /storage/v1/b/"
                      + BUCKET
                      + "/o/existing HTTP/1.1\r\nHost: x\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer).startsWith("HTTP/1.1 200");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=trailing%",
          "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=bad%zzescape",
          "/storage/v1/b/" + BUCKET + "/o/bad%zz",
          "/storage/v1/b/" + BUCKET + "/o?pageToken=%%%"
        })
    @Tag("C-EMU-1")
    void malformedPercentEncodingAnswers400(String target) throws Exception {
      String answer =
          exchange(
              ("POST "
                      + target
                      + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                      + "Connection: close\r\n\r\nd")
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer).startsWith("HTTP/1.1 400");
      // in GCS's JSON error shape, not the HTTP server's own text/html page
      assertThat(answer)
          .containsIgnoringCase("Content-Type: application/json")
          .contains("\"code\":400");
    }

    @Test
    void unencodedUtf8InTheRequestLineIsDecodedAsUtf8() throws Exception {
      byte[] request =
          ("POST "
                  + UPLOAD
                  + "?uploadType=media&name=raw-é HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Length: 1\r\nConnection: close\r\n\r\nd")
              .getBytes(StandardCharsets.UTF_8);

      String answer = exchange(request);

      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(http.get("/storage/v1/b/" + BUCKET + "/o/raw-%C3%A9").status()).isEqualTo(200);
    }

    @Test
    void malformedRequestLinesAndHeadersAnswer4xxOrClose() throws Exception {
      String[] requests = {
        "GET\r\n\r\n",
        "GET /storage/v1/b HTTP/9.9\r\n\r\n",
        "GET /storage/v1/b/" + BUCKET + "/o/a b HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST "
            + UPLOAD
            + "?uploadType=media&name=cl HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST "
            + UPLOAD
            + "?uploadType=media&name=cl HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET /storage/v1/b HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
        "POST "
            + UPLOAD
            + "?uploadType=media&name=te HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n"
      };
      for (String request : requests) {
        String answer = exchange(request.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(
                answer.isEmpty() || answer.startsWith("reset") || answer.startsWith("HTTP/1.1 4"))
            .as("answer to %s: %s", request, answer)
            .isTrue();
      }
    }
  }
}
