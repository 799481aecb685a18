package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import dev.dimutex.emulator.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: objects.rewrite and objects.copy (within and across buckets, exact preconditions),
 * resumable uploads at the discovery document's path, buckets.getStorageLayout, and a 501 naming
 * every discovery method the emulator does not implement.
 */
class CopyRewriteAndLayoutTest {
  private static final String A = "copy-a";
  private static final String B = "copy-b";
  private static GcsEmulator emulator;
  private static Storage storage;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.builder().bucket(A).bucket(B).start();
    storage = EmulatorStorage.create(emulator);
    http = new RawHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  private static Blob put(String bucket, String name, byte[] data) {
    return storage.create(
        BlobInfo.newBuilder(bucket, name)
            .setContentType("text/plain")
            .setMetadata(Map.of("k", "v"))
            .build(),
        data);
  }

  @Nested
  class WithTheJavaClient {
    @Test
    void aRewriteOfThreeMegabytesInOneMegabyteChunksTakesThreeCallsAcrossBuckets() {
      byte[] data = new byte[3 * 1024 * 1024 + 5];
      new Random(15).nextBytes(data);
      put(A, "big", data);
      emulator.requestLog().clear();

      CopyWriter writer =
          storage.copy(
              Storage.CopyRequest.newBuilder()
                  .setSource(BlobId.of(A, "big"))
                  .setTarget(BlobId.of(B, "big-copy"), BlobTargetOption.doesNotExist())
                  .setMegabytesCopiedPerChunk(1L)
                  .build());
      Blob copy = writer.getResult();

      assertThat(writer.isDone()).isTrue();
      assertThat(emulator.requestLog().count(Operation.OBJECT_REWRITE)).isEqualTo(4);
      assertThat(copy.getBucket()).isEqualTo(B);
      assertThat(copy.getGeneration()).isNotEqualTo(storage.get(A, "big").getGeneration());
      assertThat(copy.getMetageneration()).isEqualTo(1);
      assertThat(copy.getMetadata()).containsEntry("k", "v");
      assertThat(copy.getContentType()).isEqualTo("text/plain");
      assertThat(storage.readAllBytes(B, "big-copy")).isEqualTo(data);
    }

    @Test
    void aRewriteHonoursDestinationAndSourcePreconditions() {
      Blob source = put(A, "src-pre", "one".getBytes(StandardCharsets.UTF_8));
      Blob existing = put(A, "dst-pre", "old".getBytes(StandardCharsets.UTF_8));

      assertThatThrownBy(
              () ->
                  storage.copy(
                      Storage.CopyRequest.newBuilder()
                          .setSource(BlobId.of(A, "src-pre"))
                          .setTarget(BlobId.of(A, "dst-pre"), BlobTargetOption.doesNotExist())
                          .build()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
      assertThatThrownBy(
              () ->
                  storage.copy(
                      Storage.CopyRequest.newBuilder()
                          .setSource(BlobId.of(A, "src-pre"))
                          .setSourceOptions(
                              BlobSourceOption.generationMatch(source.getGeneration() + 1))
                          .setTarget(BlobId.of(A, "dst-pre"))
                          .build()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
      Blob copied =
          storage
              .copy(
                  Storage.CopyRequest.newBuilder()
                      .setSource(BlobId.of(A, "src-pre"))
                      .setSourceOptions(BlobSourceOption.generationMatch(source.getGeneration()))
                      .setTarget(
                          BlobInfo.newBuilder(A, "dst-pre").setContentType("text/x-new").build(),
                          BlobTargetOption.generationMatch(existing.getGeneration()))
                      .build())
              .getResult();

      assertThat(copied.getContentType()).isEqualTo("text/x-new");
      assertThat(copied.getMetadata()).isNull();
      assertThat(new String(storage.readAllBytes(A, "dst-pre"), StandardCharsets.UTF_8))
          .isEqualTo("one");
    }
  }

  @Nested
  class OverRawHttpAsGcloudSendsThem {
    private String rewrite(String src, String dst) {
      return "/storage/v1/b/"
          + A
          + "/o/"
          + Urls.encode(src)
          + "/rewriteTo/b/"
          + B
          + "/o/"
          + Urls.encode(dst);
    }

    @Test
    void aRewriteContinuesWithItsTokenUntilDone() {
      byte[] data = new byte[2 * 1024 * 1024 + 1];
      Arrays.fill(data, (byte) 7);
      put(A, "dir/tok", data);
      String path = rewrite("dir/tok", "dir/tok-copy") + "?maxBytesRewrittenPerCall=1048576";

      Answer first = http.send("POST", path, "{}", "Content-Type", "application/json");
      Map<String, Object> one = first.json();
      assertThat(one)
          .containsEntry("done", false)
          .containsEntry("totalBytesRewritten", "1048576")
          .containsEntry("objectSize", Integer.toString(data.length));
      String token = (String) one.get("rewriteToken");
      Map<String, Object> two = http.send("POST", path + "&rewriteToken=" + token, "{}").json();
      Map<String, Object> three =
          http.send("POST", path + "&rewriteToken=" + two.get("rewriteToken"), "{}").json();

      assertThat(two).containsEntry("done", false);
      assertThat(three).containsEntry("done", true).containsKey("resource");
      assertThat(http.get("/storage/v1/b/" + B + "/o/dir%2Ftok-copy").json())
          .containsEntry("size", Integer.toString(data.length))
          .containsEntry("md5Hash", ObjectOps.md5(data));
      http.send("POST", path + "&rewriteToken=forged", "{}").assertGcsError(400);
      http.send("POST", rewrite("dir/tok", "x") + "?rewriteToken=" + token, "{}")
          .assertGcsError(400);
      http.send("POST", rewrite("dir/tok", "x") + "?maxBytesRewrittenPerCall=1000", "")
          .assertGcsError(400);
    }

    @Test
    void aRewriteTakesTheDestinationMetadataFromTheBodyAndChecksSourceConditions() {
      Blob src = put(A, "meta-src", "data".getBytes(StandardCharsets.UTF_8));
      String path = rewrite("meta-src", "meta-dst");

      http.send("POST", path + "?sourceGeneration=" + (src.getGeneration() + 1), "")
          .assertGcsError(404);
      http.send("POST", path + "?ifSourceMetagenerationMatch=2", "").assertGcsError(412);
      http.send("POST", path + "?ifSourceGenerationNotMatch=" + src.getGeneration(), "")
          .assertGcsError(412);
      http.send("POST", path + "?ifGenerationMatch=%D9%A0", "").assertGcsError(400);
      Map<String, Object> done =
          http.send(
                  "POST",
                  path + "?ifGenerationMatch=0&sourceGeneration=" + src.getGeneration(),
                  "{\"contentType\":\"application/x-dst\",\"metadata\":{\"d\":\"1\"}}")
              .json();
      @SuppressWarnings("unchecked")
      Map<String, Object> resource = (Map<String, Object>) done.get("resource");

      assertThat(resource)
          .containsEntry("bucket", B)
          .containsEntry("name", "meta-dst")
          .containsEntry("contentType", "application/x-dst")
          .containsEntry("metadata", Map.of("d", "1"));
      http.send("POST", path + "?ifGenerationMatch=0", "").assertGcsError(412);
      http.send("POST", path + "?ifMetagenerationMatch=2", "").assertGcsError(412);
      http.send("POST", rewrite("missing", "x"), "").assertGcsError(404);
    }

    @Test
    void aCopyCopiesDataAndMetadataWithExactPreconditions() {
      Blob src = put(A, "c-src", "copy me".getBytes(StandardCharsets.UTF_8));
      String path = "/storage/v1/b/" + A + "/o/c-src/copyTo/b/" + A + "/o/c-dst";

      Answer copied = http.send("POST", path + "?ifGenerationMatch=0", "");
      http.send("POST", path + "?ifGenerationMatch=0", "").assertGcsError(412);
      http.send("POST", path + "?ifSourceGenerationMatch=" + (src.getGeneration() + 1), "")
          .assertGcsError(412);

      assertThat(copied.status()).isEqualTo(200);
      assertThat(copied.json())
          .containsEntry("name", "c-dst")
          .containsEntry("contentType", "text/plain")
          .containsEntry("metadata", Map.of("k", "v"))
          .containsEntry("md5Hash", src.getMd5());
      assertThat(
              emulator
                  .requestLog()
                  .entries()
                  .get(emulator.requestLog().entries().size() - 1)
                  .request()
                  .operation())
          .isEqualTo(Operation.OBJECT_COPY);
    }

    @Test
    void aResumableUploadStartsAtTheDiscoveryDocumentsPath() {
      Answer start =
          http.send(
              "POST",
              "/resumable/upload/storage/v1/b/" + A + "/o?uploadType=resumable&ifGenerationMatch=0",
              "{\"name\":\"via-resumable-path\",\"contentType\":\"text/plain\"}",
              "Content-Type",
              "application/json");
      String session = start.header("Location").substring(emulator.baseUrl().length());
      Answer done = http.send("PUT", session, "hello", "Content-Range", "bytes 0-4/5");

      assertThat(start.status()).isEqualTo(200);
      assertThat(done.status()).isEqualTo(200);
      assertThat(http.get("/storage/v1/b/" + A + "/o/via-resumable-path?alt=media").body())
          .isEqualTo("hello");
    }

    @Test
    void theStorageLayoutIsThatOfAFlatNamespaceBucket() {
      Map<String, Object> layout = http.get("/storage/v1/b/" + A + "/storageLayout").json();

      assertThat(layout)
          .containsEntry("kind", "storage#storageLayout")
          .containsEntry("bucket", A)
          .containsEntry("location", "US")
          .containsEntry("locationType", "multi-region")
          .containsEntry("hierarchicalNamespace", Map.of("enabled", false));
      http.get("/storage/v1/b/no-such-bucket/storageLayout").assertGcsError(404);
    }
  }

  @Nested
  class DiscoveryCoverage {
    private static final List<String> IMPLEMENTED =
        List.of(
            "storage.buckets.delete",
            "storage.buckets.get",
            "storage.buckets.getStorageLayout",
            "storage.buckets.insert",
            "storage.buckets.list",
            "storage.objects.copy",
            "storage.objects.delete",
            "storage.objects.get",
            "storage.objects.insert",
            "storage.objects.list",
            "storage.objects.patch",
            "storage.objects.rewrite",
            "storage.objects.update");

    @Test
    @Tag("C-EMU-13")
    void everyUnimplementedDiscoveryMethodAnswers501NamingIt() {
      assertThat(DiscoveryMethods.ALL).hasSize(81);
      int unimplemented = 0;
      for (DiscoveryMethods.Method m : DiscoveryMethods.ALL) {
        if (IMPLEMENTED.contains(m.id())) {
          continue;
        }
        String path =
            "/storage/v1/"
                + m.path()
                    .replaceAll("\\{bucket}|\\{[a-zA-Z]*Bucket}", A)
                    .replaceAll("\\{[a-zA-Z]+}", "x");
        Answer a = http.send(m.httpMethod(), path, "{}", "Content-Type", "application/json");

        assertThat(a.assertGcsError(501)).as(m.id()).isEqualTo("notImplemented");
        assertThat(a.body()).as(m.id()).contains(m.id());
        unimplemented++;
      }
      assertThat(unimplemented).isEqualTo(81 - IMPLEMENTED.size());
    }
  }
}
