package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.emulator.RawHttp.Answer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Careless and hostile clients (issue 13): bounded resumable-upload memory, header-unsafe metadata,
 * bounded connections, strict parsing, JSON errors for malformed HTTP, links from the configured
 * base URL.
 */
class HostileClientTest {
  private static final String BUCKET = "hostile-bucket";
  private static final String UPLOAD = "/upload/storage/v1/b/" + BUCKET + "/o";
  private static final String OBJECT = "/storage/v1/b/" + BUCKET + "/o/existing";
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

  static String exchange(int port, byte[] request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Nested
  class ResumableMemory {
    private String startSession(RawHttp client, String name) {
      Answer start = client.send("POST", UPLOAD + "?uploadType=resumable&name=" + name, "");
      assertThat(start.status()).isEqualTo(200);
      return start.header("Location").replaceFirst("^http://[^/]+", "");
    }

    @Test
    @Tag("C-EMU-16")
    void manyAbandonedSessionsCannotHoldMoreThanTheTotalCap() {
      try (GcsEmulator small =
          GcsEmulator.builder().bucket(BUCKET).maxResumableBuffer(10_000).start()) {
        RawHttp client = new RawHttp(small.baseUrl());
        String chunk = "x".repeat(1_000);
        int accepted = 0;
        Answer refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
          String session = startSession(client, "abandoned-" + i);
          Answer a = client.send("PUT", session, chunk, "Content-Range", "bytes 0-999/*");
          if (a.status() == 308) {
            accepted++;
          } else {
            refused = a;
          }
        }

        assertThat(accepted).isEqualTo(10);
        assertThat(refused).isNotNull();
        assertThat(refused.assertGcsError(503)).isEqualTo("backendError");
        assertThat(refused.body()).contains("unfinished resumable uploads");
      }
    }

    @Test
    @Tag("C-EMU-6")
    @Tag("C-EMU-15")
    void oneSessionCannotGrowBeyondTheObjectSizeLimit() {
      try (GcsEmulator small = GcsEmulator.builder().bucket(BUCKET).maxObjectSize(1_500).start()) {
        RawHttp client = new RawHttp(small.baseUrl());
        String session = startSession(client, "big");
        String chunk = "y".repeat(1_000);

        assertThat(client.send("PUT", session, chunk, "Content-Range", "bytes 0-999/*").status())
            .isEqualTo(308);
        assertThat(
                client
                    .send("PUT", session, chunk, "Content-Range", "bytes 1000-1999/*")
                    .assertGcsError(413))
            .isEqualTo("uploadTooLarge");
        String other = startSession(client, "declared");
        client.send("PUT", other, "", "Content-Range", "bytes */5000").assertGcsError(413);
      }
    }

    @Test
    @Tag("C-EMU-17")
    void idleSessionsExpireAndFreeTheirBytes() {
      AtomicLong now = new AtomicLong();
      try (GcsEmulator small =
          GcsEmulator.builder()
              .bucket(BUCKET)
              .maxResumableBuffer(2_000)
              .resumableSessionTimeout(Duration.ofMinutes(1))
              .nanoTime(now::get)
              .start()) {
        RawHttp client = new RawHttp(small.baseUrl());
        String first = startSession(client, "idle-1");
        String second = startSession(client, "idle-2");
        String chunk = "z".repeat(1_000);
        client.send("PUT", first, chunk, "Content-Range", "bytes 0-999/*");
        client.send("PUT", second, chunk, "Content-Range", "bytes 0-999/*");
        String third = startSession(client, "idle-3");
        client.send("PUT", third, chunk, "Content-Range", "bytes 0-999/*").assertGcsError(503);

        now.addAndGet(Duration.ofSeconds(61).toNanos());

        String fourth = startSession(client, "idle-4");
        assertThat(client.send("PUT", fourth, chunk, "Content-Range", "bytes 0-999/*").status())
            .isEqualTo(308);
        assertThat(client.send("PUT", first, "", "Content-Range", "bytes */*").assertGcsError(404))
            .isEqualTo("notFound");
      }
    }
  }

  @Nested
  class HeaderUnsafeMetadata {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "contentType",
          "cacheControl",
          "contentDisposition",
          "contentEncoding",
          "contentLanguage"
        })
    @Tag("C-EMU-30")
    void controlCharactersInAHeaderFieldAreRefusedOnPatchUpdateAndUpload(String field) {
      for (String value :
          List.of("a\\r\\nSet-Cookie: x=y", "text/plain\\u0000", "a\\tb", "\\u007f")) {
        String json = "{\"" + field + "\":\"" + value + "\"}";

        assertThat(http.send("PATCH", OBJECT, json).assertGcsError(400)).isEqualTo("invalid");
        assertThat(http.send("PUT", OBJECT, json).assertGcsError(400)).isEqualTo("invalid");
        multipart(json).assertGcsError(400);
        http.send("POST", UPLOAD + "?uploadType=resumable&name=unsafe", json).assertGcsError(400);
      }
      assertThat(http.get(OBJECT + "?alt=media").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"{\"metadata\":{\"k\\r\\n\":\"v\"}}", "{\"metadata\":{\"k\":\"v\\u0000\"}}"})
    @Tag("C-EMU-30")
    void controlCharactersInCustomMetadataAreRefused(String json) {
      http.send("PATCH", OBJECT, json).assertGcsError(400);
      http.send("PUT", OBJECT, json).assertGcsError(400);
      multipart(json).assertGcsError(400);
    }

    @Test
    @Tag("C-EMU-30")
    void aMediaUploadWithAControlCharacterInItsContentTypeIsRefused() throws Exception {
      String answer =
          exchange(
              emulator.port(),
              ("POST "
                      + UPLOAD
                      + "?uploadType=media&name=nul HTTP/1.1\r\nHost: x\r\n"
                      + "Content-Type: text/\u0001plain\r\nContent-Length: 1\r\n"
                      + "Connection: close\r\n\r\nd")
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
    }

    private Answer multipart(String json) {
      String body =
          "--b\r\nContent-Type: application/json\r\n\r\n"
              + json
              + "\r\n--b\r\nContent-Type: text/plain\r\n\r\ndata\r\n--b--";
      return http.send(
          "POST",
          UPLOAD + "?uploadType=multipart&name=mp-unsafe",
          body,
          "Content-Type",
          "multipart/related; boundary=b");
    }
  }

  @Nested
  class StrictParsing {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "ifGenerationMatch=%D9%A0",
          "ifMetagenerationMatch=%EF%BC%91",
          "ifGenerationMatch=+1",
          "ifGenerationMatch=%201",
          "generation=%D9%A1",
          "maxResults=%D9%A3"
        })
    void numericParametersAcceptAsciiDigitsOnly(String query) {
      String path = query.startsWith("maxResults") ? "/storage/v1/b/" + BUCKET + "/o" : OBJECT;

      assertThat(http.get(path + "?" + query).assertGcsError(400)).isEqualTo("invalid");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "GET /storage/v1/b/" + BUCKET + "/o/bad%zz HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /storage/v1/b/" + BUCKET + "/o/trailing% HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /storage/v1/b HTTP/9.9\r\nHost: x\r\n\r\n",
          "GET\r\n\r\n",
          "GET /storage/v1/b/" + BUCKET + "/o/a b HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET http://x/storage/v1/b HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /storage/v1/b HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
          "GET /storage/v1/b HTTP/1.1\r\n folded: header\r\n\r\n",
          "POST " + UPLOAD + "?uploadType=media&name=cl HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
          "POST " + UPLOAD + "?uploadType=media&name=cl HTTP/1.1\r\nContent-Length: 1x\r\n\r\nd",
          "POST "
              + UPLOAD
              + "?uploadType=media&name=cl HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nd",
          "POST "
              + UPLOAD
              + "?uploadType=media&name=te HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
          "POST "
              + UPLOAD
              + "?uploadType=media&name=te HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
              + "Content-Length: 3\r\n\r\n0\r\n\r\n"
        })
    @Tag("C-EMU-1")
    void malformedHttpIsAnsweredInGcsJsonShape(String request) throws Exception {
      String answer = exchange(emulator.port(), request.getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer).startsWith("HTTP/1.1 400 ");
      assertJsonError(answer, 400);
    }

    @Test
    @Tag("C-EMU-1")
    @Tag("C-EMU-6")
    @Tag("C-EMU-14")
    @Tag("C-EMU-20")
    void unsupportedTransferEncodingsHugeBodiesAndHugeHeadersAnswerJson() throws Exception {
      String gzipTe =
          exchange(
              emulator.port(),
              ("POST "
                      + UPLOAD
                      + "?uploadType=media&name=te HTTP/1.1\r\n"
                      + "Transfer-Encoding: gzip\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      assertJsonError(gzipTe, 501);
      String huge =
          exchange(
              emulator.port(),
              ("POST "
                      + UPLOAD
                      + "?uploadType=media&name=big HTTP/1.1\r\n"
                      + "Content-Length: 99999999999\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      assertJsonError(huge, 413);
      String bigHeaders =
          exchange(
              emulator.port(),
              ("GET /storage/v1/b HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      assertJsonError(bigHeaders, 431);
    }

    @Test
    void aChunkedRequestBodyIsDecoded() throws Exception {
      String answer =
          exchange(
              emulator.port(),
              ("POST "
                      + UPLOAD
                      + "?uploadType=media&name=chunked HTTP/1.1\r\nHost: x\r\n"
                      + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                      + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(http.get("/storage/v1/b/" + BUCKET + "/o/chunked?alt=media").body())
          .isEqualTo("abcde");
    }

    @Test
    void anExpectContinueRequestGetsTheInterimAnswerBeforeItSendsItsBody() throws Exception {
      try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(
            ("POST "
                    + UPLOAD
                    + "?uploadType=media&name=expect HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        byte[] interim = in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
        out.write("abc".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);

        assertThat(new String(interim, StandardCharsets.ISO_8859_1))
            .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
      }
    }

    private static void assertJsonError(String answer, int status) {
      assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
      int split = answer.indexOf("\r\n\r\n");
      String head = answer.substring(0, split);
      assertThat(head).containsIgnoringCase("Content-Type: application/json");
      Map<String, Object> json;
      try {
        json = Json.parseObject(answer.substring(split + 4));
      } catch (Json.ParseException e) {
        throw new AssertionError("not JSON: " + answer, e);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) json.get("error");
      assertThat(error.get("code")).isEqualTo((long) status);
      assertThat((List<?>) error.get("errors")).isNotEmpty();
    }
  }

  @Nested
  class SendFailures {
    @Test
    @Tag("C-EMU-31")
    void aResponseTheClientNeverTookIsLoggedAsNotAnswered() throws Exception {
      byte[] big = new byte[8 * 1024 * 1024];
      assertThat(http.send("POST", UPLOAD + "?uploadType=media&name=big", big).status())
          .isEqualTo(200);
      emulator.requestLog().clear();

      try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
        socket.setReceiveBufferSize(4096);
        socket
            .getOutputStream()
            .write(
                ("GET /storage/v1/b/" + BUCKET + "/o/big?alt=media HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        socket.getInputStream().read();
        socket.setSoLinger(true, 0); // close with a reset, mid-response
      }

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<LoggedRequest> entries = emulator.requestLog().entries();
      while (entries.stream().noneMatch(LoggedRequest::responseDropped)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
        entries = emulator.requestLog().entries();
      }
      assertThat(entries).hasSize(1);
      assertThat(entries.get(0).status()).isEqualTo(200);
      assertThat(entries.get(0).responseDropped()).as("the client saw no complete answer").isTrue();
      assertThat(entries.get(0).faultInjected()).isFalse();
    }
  }

  @Nested
  class Links {
    @Test
    @Tag("C-EMU-29")
    void selfLinkMediaLinkAndLocationComeFromTheConfiguredBaseUrlNotTheHostHeader()
        throws Exception {
      String answer =
          exchange(
              emulator.port(),
              ("GET " + OBJECT + " HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String resumable =
          exchange(
              emulator.port(),
              ("POST "
                      + UPLOAD
                      + "?uploadType=resumable&name=r HTTP/1.1\r\n"
                      + "Host: evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(answer)
          .doesNotContain("evil.example")
          .contains("\"selfLink\":\"" + emulator.baseUrl() + "/storage/v1/")
          .contains("\"mediaLink\":\"" + emulator.baseUrl() + "/download/storage/v1/");
      assertThat(resumable)
          .doesNotContain("evil.example")
          .contains("Location: " + emulator.baseUrl() + "/upload/storage/v1/");
    }
  }

  @Nested
  class Connections {
    @Test
    @Tag("C-EMU-18")
    @Tag("C-EMU-19")
    void slowClientsAreCutOffWhileOthersKeepBeingServed() throws Exception {
      try (GcsEmulator bounded =
          GcsEmulator.builder()
              .bucket(BUCKET)
              .maxConnections(50)
              .readTimeout(Duration.ofSeconds(2))
              .start()) {
        RawHttp client = new RawHttp(bounded.baseUrl());
        List<Socket> slow = new ArrayList<>();
        try {
          for (int i = 0; i < 200; i++) {
            Socket s = new Socket("127.0.0.1", bounded.port());
            s.getOutputStream().write("GET /storage/v1/b/".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
          }
          long threads = emulatorThreads(bounded);

          assertThat(client.get("/storage/v1/b/" + BUCKET).status()).isEqualTo(200);
          assertThat(threads).isLessThanOrEqualTo(50 + 5);
          // The surviving slow clients are closed once their read timeout passes.
          Socket last = slow.get(slow.size() - 1);
          last.setSoTimeout(10_000);
          long started = System.nanoTime();
          assertThat(last.getInputStream().read()).isEqualTo(-1);
          assertThat(Duration.ofNanos(System.nanoTime() - started))
              .isLessThan(Duration.ofSeconds(9));
        } finally {
          for (Socket s : slow) {
            s.close();
          }
        }
      }
    }

    /** Threads are named gcs-emulator-PORT-N. */
    private long emulatorThreads(GcsEmulator e) {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("gcs-emulator-" + e.port() + "-"))
          .count();
    }
  }
}
