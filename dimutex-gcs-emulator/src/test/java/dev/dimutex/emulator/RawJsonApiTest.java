package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.emulator.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The documented JSON API beyond what the Java client sends, over raw HTTP. */
class RawJsonApiTest {
  private static final String BUCKET = "raw-bucket";
  private static GcsEmulator emulator;
  private static RawHttp http;
  private String name = "";

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket(BUCKET).start();
    http = new RawHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void uniqueName() {
    name = "raw/" + UUID.randomUUID() + " x+y%z";
  }

  private String objectPath() {
    return "/storage/v1/b/" + BUCKET + "/o/" + Urls.encode(name);
  }

  private Answer mediaUpload(String content, String query) {
    return http.send(
        "POST",
        "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=" + Urls.encode(name) + query,
        content,
        "Content-Type",
        "text/plain");
  }

  private Answer multipartUpload(String body, String contentType) {
    return http.send(
        "POST",
        "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=multipart",
        body,
        "Content-Type",
        contentType);
  }

  /** Uploads {@code x} to {@code objectName}, with no content type. */
  private void uploadX(String objectName) {
    http.send(
        "POST",
        "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=" + Urls.encode(objectName),
        "x");
  }

  /** The data of the test's object, as {@code alt=media} serves it. */
  private String storedData() {
    return http.get(objectPath() + "?alt=media").body();
  }

  @Nested
  class Uploads {
    @Test
    void mediaUploadTakesTheNameFromTheQueryAndTheTypeFromTheHeader() {
      Answer a = mediaUpload("hello", "&ifGenerationMatch=0");

      assertThat(a.status()).isEqualTo(200);
      Map<String, Object> o = a.json();
      assertThat(o.get("name")).isEqualTo(name);
      assertThat(o.get("contentType")).isEqualTo("text/plain");
      assertThat(o.get("size")).isEqualTo("5");
      assertThat(o.get("generation")).isInstanceOf(String.class);
      assertThat(o.get("metageneration")).isEqualTo("1");
      assertThat(o.get("kind")).isEqualTo("storage#object");
      assertThat(o.get("id")).isEqualTo(BUCKET + "/" + name + "/" + o.get("generation"));
      assertThat((String) o.get("selfLink")).startsWith(emulator.baseUrl());
      String mediaLink = (String) o.get("mediaLink");
      assertThat(mediaLink).startsWith(emulator.baseUrl() + "/download/storage/v1/");
      assertThat(http.get(mediaLink.substring(emulator.baseUrl().length())).body())
          .isEqualTo("hello");
    }

    @Test
    void multipartUploadWithAQuotedBoundaryAndMetadata() {
      String body =
          "--abc\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
              + "{\"name\":\""
              + name.replace("\"", "\\\"")
              + "\",\"metadata\":{\"k\":\"v\"},\"cacheControl\":\"no-store\"}\r\n"
              + "--abc\r\nContent-Type: application/octet-stream\r\n\r\n"
              + "DATA\r\n--abc--\r\n";
      Answer a = multipartUpload(body, "multipart/related; boundary=\"abc\"");

      assertThat(a.status()).as(a.body()).isEqualTo(200);
      assertThat(a.json().get("metadata")).isEqualTo(Map.of("k", "v"));
      assertThat(a.json().get("cacheControl")).isEqualTo("no-store");
      assertThat(storedData()).isEqualTo("DATA");
    }

    @Test
    void multipartWithBareLineFeedsAndASingleQuotedBoundaryAsPythonSendsIt() {
      String body =
          "--===1==\nContent-Type: application/json\nMIME-Version: 1.0\n\n"
              + "{\"name\": \""
              + name
              + "\"}\n--===1==\nContent-Type: text/plain\n\nline\n\n--===1==--\n";
      Answer a = multipartUpload(body, "multipart/related; boundary='===1=='");

      assertThat(a.status()).as(a.body()).isEqualTo(200);
      assertThat(a.json().get("contentType")).isEqualTo("text/plain");
      assertThat(storedData()).isEqualTo("line\n");
    }

    @Test
    void resumableUploadInChunksWithStatusQueries() {
      Answer start =
          http.send(
              "POST",
              "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=resumable&ifGenerationMatch=0",
              "{\"name\":\"" + name + "\",\"contentType\":\"text/csv\"}",
              "Content-Type",
              "application/json");
      assertThat(start.status()).isEqualTo(200);
      String location = start.header("Location");
      assertThat(location).contains("upload_id=");
      String session = location.substring(emulator.baseUrl().length());

      Answer first = http.send("PUT", session, "abc", "Content-Range", "bytes 0-2/*");
      Answer query = http.send("PUT", session, "", "Content-Range", "bytes */*");
      Answer last = http.send("PUT", session, "def", "Content-Range", "bytes 3-5/6");
      Answer again = http.send("PUT", session, "", "Content-Range", "bytes */6");

      assertThat(first.status()).isEqualTo(308);
      assertThat(first.header("Range")).isEqualTo("bytes=0-2");
      assertThat(query.status()).isEqualTo(308);
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.json().get("size")).isEqualTo("6");
      assertThat(last.json().get("contentType")).isEqualTo("text/csv");
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("generation")).isEqualTo(last.json().get("generation"));
      assertThat(storedData()).isEqualTo("abcdef");
      assertThat(emulator.requestLog().count(Operation.RESUMABLE_START)).isPositive();
    }

    @Test
    void aSingleRequestResumableUploadOfUnknownSizeCompletes() {
      Answer start =
          http.send(
              "POST",
              "/upload/storage/v1/b/"
                  + BUCKET
                  + "/o?uploadType=resumable&name="
                  + Urls.encode(name),
              "");
      String session = start.header("Location").substring(emulator.baseUrl().length());

      Answer done = http.send("PUT", session, "streamed", "Content-Range", "bytes 0-*/*");

      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(done.json().get("size")).isEqualTo("8");
      assertThat(storedData()).isEqualTo("streamed");
    }

    @Test
    void aResumableUploadChecksItsPreconditionWhenItCompletes() {
      Answer start =
          http.send(
              "POST",
              "/upload/storage/v1/b/"
                  + BUCKET
                  + "/o?uploadType=resumable&ifGenerationMatch=0&name="
                  + Urls.encode(name),
              "");
      mediaUpload("someone else", "");

      Answer finish =
          http.send(
              "PUT",
              start.header("Location").substring(emulator.baseUrl().length()),
              "mine",
              "Content-Range",
              "bytes 0-3/4");

      assertThat(finish.assertGcsError(412)).isEqualTo("conditionNotMet");
      assertThat(storedData()).isEqualTo("someone else");
    }

    @Test
    void gzipEncodedRequestBodiesAreInflated() throws Exception {
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
        gz.write("compressed data".getBytes(StandardCharsets.UTF_8));
      }

      Answer a =
          http.send(
              "POST",
              "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=media&name=" + Urls.encode(name),
              zipped.toByteArray(),
              "Content-Encoding",
              "gzip");

      assertThat(a.json().get("size")).isEqualTo("15");
      assertThat(storedData()).isEqualTo("compressed data");
    }

    @Test
    void aMismatchedMd5IsRefused() {
      String body =
          "--b\r\nContent-Type: application/json\r\n\r\n{\"name\":\"x-md5\",\"md5Hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"
              + "\r\n--b\r\n\r\nDATA\r\n--b--";
      Answer a = multipartUpload(body, "multipart/related; boundary=b");

      a.assertGcsError(400);
    }
  }

  @Nested
  class ReadsAndUpdates {
    @Test
    void failedNotMatchConditionsOnDownloadsAnswer304() {
      String generation = (String) mediaUpload("x", "").json().get("generation");

      assertThat(http.get(objectPath() + "?alt=media&ifGenerationNotMatch=" + generation).status())
          .isEqualTo(304);
      assertThat(http.get(objectPath() + "?alt=media&ifMetagenerationNotMatch=1").status())
          .isEqualTo(304);
      assertThat(http.get(objectPath() + "?ifGenerationMatch=1").assertGcsError(412))
          .isEqualTo("conditionNotMet");
    }

    @Test
    void rangeRequestsAnswerPartialContent() {
      mediaUpload("0123456789", "");

      Answer a = http.send("GET", objectPath() + "?alt=media", (byte[]) null, "Range", "bytes=2-4");

      assertThat(a.status()).isEqualTo(206);
      assertThat(a.body()).isEqualTo("234");
      assertThat(a.header("Content-Range")).isEqualTo("bytes 2-4/10");
    }

    @Test
    void downloadsCarryGenerationAndHashHeaders() {
      Map<String, Object> o = mediaUpload("x", "").json();

      Answer a = http.get("/download/storage/v1/b/" + BUCKET + "/o/" + Urls.encode(name));

      assertThat(a.header("X-Goog-Generation")).isEqualTo(o.get("generation"));
      assertThat(a.header("X-Goog-Metageneration")).isEqualTo("1");
      assertThat(a.header("X-Goog-Hash")).contains("crc32c=" + o.get("crc32c"));
    }

    @Test
    void xmlApiReadsServeDataWithGenerationHeadersAndXmlErrors() {
      Map<String, Object> o = mediaUpload("xml read", "").json();
      String path = "/" + BUCKET + "/" + Urls.encode(name).replace("%2F", "/");

      Answer read = http.get(path);
      Answer stale = http.send("GET", path, (byte[]) null, "x-goog-if-generation-match", "1");
      Answer missing = http.get("/" + BUCKET + "/no-such-object");
      Answer noBucket = http.get("/no-such-bucket/x");

      assertThat(read.status()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("xml read");
      assertThat(read.header("x-goog-generation")).isEqualTo(o.get("generation"));
      assertThat(read.header("Last-Modified")).isNotBlank();
      assertThat(stale.status()).isEqualTo(412);
      assertThat(stale.body()).contains("<Code>PreconditionFailed</Code>");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("<Code>NoSuchKey</Code>");
      assertThat(noBucket.body()).contains("<Code>NoSuchBucket</Code>");
      assertThat(emulator.requestLog().count(Operation.OBJECT_DOWNLOAD)).isPositive();
    }

    @Test
    void putReplacesAllWritableMetadata() {
      mediaUpload("x", "");
      http.send(
          "PATCH", objectPath(), "{\"metadata\":{\"a\":\"1\"},\"cacheControl\":\"no-store\"}");

      Answer put =
          http.send(
              "PUT", objectPath() + "?ifMetagenerationMatch=2", "{\"metadata\":{\"b\":\"2\"}}");

      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(put.json().get("metadata")).isEqualTo(Map.of("b", "2"));
      assertThat(put.json()).doesNotContainKey("cacheControl");
      assertThat(put.json().get("metageneration")).isEqualTo("3");
      assertThat(emulator.requestLog().count(Operation.OBJECT_UPDATE)).isPositive();
    }

    @Test
    void patchWithANullMetadataClearsIt() {
      mediaUpload("x", "");
      http.send("PATCH", objectPath(), "{\"metadata\":{\"a\":\"1\"}}");

      Answer a = http.send("PATCH", objectPath(), "{\"metadata\":null}");

      assertThat(a.json()).doesNotContainKey("metadata");
    }

    @Test
    void customTimeCannotMoveBackwardsOrBeRemoved() {
      mediaUpload("x", "");
      assertThat(
              http.send("PATCH", objectPath(), "{\"customTime\":\"2030-01-01T00:00:00Z\"}")
                  .status())
          .isEqualTo(200);

      http.send("PATCH", objectPath(), "{\"customTime\":\"2029-01-01T00:00:00Z\"}")
          .assertGcsError(400);
      http.send("PATCH", objectPath(), "{\"customTime\":null}").assertGcsError(400);
      assertThat(http.get(objectPath()).json().get("customTime"))
          .isEqualTo("2030-01-01T00:00:00.000Z");
    }

    @Test
    void methodOverrideTurnsAPostIntoAPatch() {
      mediaUpload("x", "");

      Answer a =
          http.send(
              "POST",
              objectPath(),
              "{\"metadata\":{\"k\":\"v\"}}",
              "X-HTTP-Method-Override",
              "PATCH");

      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json().get("metageneration")).isEqualTo("2");
    }
  }

  @Nested
  class Listing {
    @Test
    void maxResultsAndPageTokensPageThroughItemsAndPrefixes() {
      String p = "list-" + UUID.randomUUID() + "/";
      for (String n : List.of("a", "b/1", "b/2", "c", "d/1")) {
        uploadX(p + n);
      }
      List<String> seen = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        Answer a =
            http.get(
                "/storage/v1/b/"
                    + BUCKET
                    + "/o?maxResults=2&delimiter=/&prefix="
                    + Urls.encode(p)
                    + (token == null ? "" : "&pageToken=" + Urls.encode(token)));
        Map<String, Object> json = a.json();
        if (json.get("prefixes") instanceof List<?> prefixes) {
          prefixes.forEach(x -> seen.add("prefix:" + x));
        }
        if (json.get("items") instanceof List<?> items) {
          for (Object item : items) {
            seen.add((String) ((Map<?, ?>) item).get("name"));
          }
        }
        token = (String) json.get("nextPageToken");
        pages++;
      } while (token != null && pages < 10);

      assertThat(pages).isEqualTo(2);
      assertThat(seen)
          .containsExactlyInAnyOrder(p + "a", "prefix:" + p + "b/", p + "c", "prefix:" + p + "d/");
    }

    @Test
    void startAndEndOffsetBoundTheListing() {
      String p = "offs-" + UUID.randomUUID() + "/";
      for (String n : List.of("a", "b", "c", "d")) {
        uploadX(p + n);
      }

      Answer a =
          http.get(
              "/storage/v1/b/"
                  + BUCKET
                  + "/o?prefix="
                  + Urls.encode(p)
                  + "&startOffset="
                  + Urls.encode(p + "b")
                  + "&endOffset="
                  + Urls.encode(p + "d"));

      List<Object> names = new ArrayList<>();
      ((List<?>) a.json().get("items")).forEach(i -> names.add(((Map<?, ?>) i).get("name")));
      assertThat(names).containsExactly(p + "b", p + "c");
    }
  }

  @Nested
  class BucketsOverRawHttp {
    @Test
    void bucketInsertNeedsAProjectAndAValidName() {
      http.send("POST", "/storage/v1/b", "{\"name\":\"ok-name\"}").assertGcsError(400);
      http.send("POST", "/storage/v1/b?project=p", "{\"name\":\"Bad_Name!\"}").assertGcsError(400);
      assertThat(http.send("POST", "/storage/v1/b?project=p", "{\"name\":\"ok-name-2\"}").status())
          .isEqualTo(200);
      assertThat(http.send("DELETE", "/storage/v1/b/ok-name-2", "").status()).isEqualTo(204);
    }

    @Test
    void bucketMetagenerationPreconditions() {
      assertThat(http.get("/storage/v1/b/" + BUCKET + "?ifMetagenerationMatch=1").status())
          .isEqualTo(200);
      http.get("/storage/v1/b/" + BUCKET + "?ifMetagenerationMatch=2").assertGcsError(412);
      assertThat(http.get("/storage/v1/b/" + BUCKET + "?ifMetagenerationNotMatch=1").status())
          .isEqualTo(304);
    }
  }

  @Test
  void bodiesAreUtf8Json() {
    mediaUpload("x", "");
    Answer a = http.send("PATCH", objectPath(), "{\"metadata\":{\"ключ\":\"значение ✓\"}}");

    assertThat(a.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(a.json().get("metadata")).isEqualTo(Map.of("ключ", "значение ✓"));
    assertThat(a.body().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(a.body().length());
  }
}
