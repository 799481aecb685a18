package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GCS JSON-API contract, driven by the official Java client (HTTP transport). Subclasses bind
 * it to a server; what a server does not implement is skipped with {@code assumeTrue} and a reason.
 * Every test works under its own name prefix in one shared bucket.
 */
abstract class AbstractGcsApiContractTest {

  /** A client for the server under test. */
  abstract Storage storage();

  /** An existing bucket the tests may fill. */
  abstract String bucket();

  /** fake-gcs-server 1.55.1 ignores preconditions on delete and patch. */
  boolean enforcesPreconditionsOnDeleteAndPatch() {
    return true;
  }

  /** fake-gcs-server 1.55.1 reports metageneration 1 forever. */
  boolean tracksMetageneration() {
    return true;
  }

  /** Whether failed ...NotMatch preconditions on reads answer 304. */
  boolean answersNotModifiedOnReads() {
    return true;
  }

  /** Whether resumable uploads work through the client. */
  boolean supportsResumableUploads() {
    return true;
  }

  /** Whether deleting a non-empty bucket answers 409. */
  boolean refusesDeletingNonEmptyBuckets() {
    return true;
  }

  private static final AtomicInteger TESTS = new AtomicInteger();
  String prefix = "";

  @BeforeEach
  void uniquePrefix(TestInfo info) {
    prefix =
        "t"
            + TESTS.incrementAndGet()
            + "-"
            + info.getTestMethod().map(m -> m.getName()).orElse("x")
            + "-"
            + UUID.randomUUID().toString().substring(0, 8)
            + "/";
  }

  BlobId id(String name) {
    return BlobId.of(bucket(), prefix + name);
  }

  Blob create(String name, String content, BlobTargetOption... options) {
    return storage()
        .create(
            BlobInfo.newBuilder(id(name)).setContentType("text/plain").build(),
            content.getBytes(StandardCharsets.UTF_8),
            options);
  }

  static int statusOf(Throwable t) {
    assertThat(t).isInstanceOf(StorageException.class);
    return ((StorageException) t).getCode();
  }

  static void assertStatus(ThrowingRunnable call, int status) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(status));
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Nested
  class Uploads {
    @Test
    @Tag("C-EMU-3")
    void createIfAbsentSucceedsWhenTheNameIsFree() {
      Blob blob = create("a", "hello", BlobTargetOption.doesNotExist());

      assertThat(blob.getName()).isEqualTo(prefix + "a");
      assertThat(blob.getBucket()).isEqualTo(bucket());
      assertThat(blob.getGeneration()).isPositive();
      assertThat(blob.getMetageneration()).isEqualTo(1L);
      assertThat(blob.getSize()).isEqualTo(5L);
      assertThat(blob.getContentType()).isEqualTo("text/plain");
    }

    @Test
    void createIfAbsentFailsWith412WhenTheNameIsTaken() {
      create("a", "first", BlobTargetOption.doesNotExist());

      assertStatus(() -> create("a", "second", BlobTargetOption.doesNotExist()), 412);
      assertThat(storage().readAllBytes(id("a"))).asString().isEqualTo("first");
    }

    @Test
    @Tag("C-EMU-3")
    void createWithGenerationMatchReplacesOnlyTheExpectedGeneration() {
      Blob first = create("a", "first");

      Blob second = create("a", "second", BlobTargetOption.generationMatch(first.getGeneration()));
      assertStatus(
          () -> create("a", "third", BlobTargetOption.generationMatch(first.getGeneration())), 412);

      assertThat(second.getGeneration()).isGreaterThan(first.getGeneration());
      assertThat(storage().readAllBytes(id("a"))).asString().isEqualTo("second");
    }

    @Test
    void createWithGenerationMatchOnAMissingObjectFailsWith412() {
      assertStatus(() -> create("missing", "x", BlobTargetOption.generationMatch(12345)), 412);
      assertThat(storage().get(id("missing"))).isNull();
    }

    @Test
    void createWithGenerationNotMatchFailsOnTheCurrentGenerationOnly() {
      Blob first = create("a", "first");

      assertStatus(
          () -> create("a", "x", BlobTargetOption.generationNotMatch(first.getGeneration())), 412);
      Blob second =
          create("a", "y", BlobTargetOption.generationNotMatch(first.getGeneration() + 1));

      assertThat(second.getGeneration()).isNotEqualTo(first.getGeneration());
    }

    @Test
    void createWithMetagenerationMatchChecksTheLiveMetageneration() {
      Blob first = create("a", "first");

      assertStatus(() -> create("a", "x", BlobTargetOption.metagenerationMatch(7)), 412);
      Blob second = create("a", "y", BlobTargetOption.metagenerationMatch(1));
      assertStatus(() -> create("a", "z", BlobTargetOption.metagenerationNotMatch(1)), 412);
      Blob third = create("a", "w", BlobTargetOption.metagenerationNotMatch(7));

      assertThat(second.getGeneration()).isGreaterThan(first.getGeneration());
      assertThat(third.getGeneration()).isGreaterThan(second.getGeneration());
    }

    @Test
    @Tag("C-EMU-4")
    void everyNewVersionGetsAHigherGenerationAndMetagenerationOne() {
      List<Long> generations = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Blob blob = create("a", "v" + i);
        generations.add(blob.getGeneration());
        assertThat(blob.getMetageneration()).isEqualTo(1L);
      }

      assertThat(generations).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void resumableUploadThroughAWriterCreatesTheObject() throws Exception {
      assumeTrue(supportsResumableUploads(), "server's resumable sessions are unreachable");
      byte[] data = new byte[300_000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 31);
      }
      BlobInfo info = BlobInfo.newBuilder(id("big")).setContentType("application/x-test").build();
      try (WriteChannel writer = storage().writer(info, BlobWriteOption.doesNotExist())) {
        writer.setChunkSize(256 * 1024);
        writer.write(ByteBuffer.wrap(data));
      }

      Blob blob = storage().get(id("big"));
      assertThat(blob.getSize()).isEqualTo(data.length);
      assertThat(blob.getContentType()).isEqualTo("application/x-test");
      assertThat(storage().readAllBytes(id("big"))).isEqualTo(data);
    }

    @Test
    void resumableUploadHonoursIfGenerationMatchZero() throws Exception {
      assumeTrue(supportsResumableUploads(), "server's resumable sessions are unreachable");
      create("a", "taken");
      BlobInfo info = BlobInfo.newBuilder(id("a")).build();

      assertThatThrownBy(
              () -> {
                try (WriteChannel writer = storage().writer(info, BlobWriteOption.doesNotExist())) {
                  writer.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
                }
              })
          .satisfies(
              t -> {
                Throwable cause = t;
                while (!(cause instanceof StorageException) && cause.getCause() != null) {
                  cause = cause.getCause();
                }
                assertThat(statusOf(cause)).isEqualTo(412);
              });
      assertThat(storage().readAllBytes(id("a"))).asString().isEqualTo("taken");
    }

    @Test
    void hashesAndSizeDescribeTheData() throws Exception {
      byte[] data = "checksum me".getBytes(StandardCharsets.UTF_8);
      Blob blob = storage().create(BlobInfo.newBuilder(id("h")).build(), data);

      CRC32C crc = new CRC32C();
      crc.update(data);
      long v = crc.getValue();
      byte[] crcBytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
      assertThat(blob.getMd5())
          .isEqualTo(
              Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data)));
      assertThat(blob.getCrc32c()).isEqualTo(Base64.getEncoder().encodeToString(crcBytes));
      assertThat(blob.getEtag()).isNotBlank();
      assertThat(blob.getSize()).isEqualTo(data.length);
    }

    @Test
    void emptyObjectsAreAllowed() {
      Blob blob = storage().create(BlobInfo.newBuilder(id("empty")).build(), new byte[0]);

      assertThat(blob.getSize()).isZero();
      assertThat(storage().readAllBytes(id("empty"))).isEmpty();
    }

    @Test
    void uploadToAMissingBucketFailsWith404() {
      assertStatus(
          () ->
              storage()
                  .create(
                      BlobInfo.newBuilder("no-such-bucket-" + UUID.randomUUID(), "x").build(),
                      new byte[] {1},
                      BlobTargetOption.doesNotExist()),
          404);
    }
  }

  @Nested
  class Reads {
    @Test
    void getOfAMissingObjectReturnsNull() {
      assertThat(storage().get(id("missing"))).isNull();
    }

    @Test
    void getReturnsServerTimesAndCustomMetadata() {
      Blob created =
          storage()
              .create(
                  BlobInfo.newBuilder(id("a"))
                      .setMetadata(Map.of("owner", "me", "nonce", "42"))
                      .setCacheControl("no-store")
                      .build(),
                  new byte[] {1, 2, 3});

      Blob blob = storage().get(id("a"));

      assertThat(blob.getMetadata())
          .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "me", "nonce", "42"));
      assertThat(blob.getCacheControl()).isEqualTo("no-store");
      assertThat(blob.getCreateTimeOffsetDateTime()).isNotNull();
      assertThat(blob.getUpdateTimeOffsetDateTime()).isEqualTo(blob.getCreateTimeOffsetDateTime());
      assertThat(blob.getGeneration()).isEqualTo(created.getGeneration());
    }

    @Test
    void getWithGenerationMatchSucceedsOnlyForTheLiveGeneration() {
      Blob blob = create("a", "x");

      assertThat(storage().get(id("a"), BlobGetOption.generationMatch(blob.getGeneration())))
          .isNotNull();
      assertStatus(
          () -> storage().get(id("a"), BlobGetOption.generationMatch(blob.getGeneration() + 1)),
          412);
    }

    @Test
    void getWithMetagenerationMatchSucceedsOnlyForTheLiveMetageneration() {
      create("a", "x");

      assertThat(storage().get(id("a"), BlobGetOption.metagenerationMatch(1))).isNotNull();
      assertStatus(() -> storage().get(id("a"), BlobGetOption.metagenerationMatch(2)), 412);
    }

    @Test
    void getWithNotMatchConditionsAnswers304WhenTheyFail() {
      assumeTrue(answersNotModifiedOnReads(), "server does not answer 304 to failed reads");
      Blob blob = create("a", "x");

      assertThat(storage().get(id("a"), BlobGetOption.generationNotMatch(blob.getGeneration() + 1)))
          .isNotNull();
      assertThat(storage().get(id("a"), BlobGetOption.metagenerationNotMatch(2))).isNotNull();
      assertStatus(
          () -> storage().get(id("a"), BlobGetOption.generationNotMatch(blob.getGeneration())),
          304);
      assertStatus(() -> storage().get(id("a"), BlobGetOption.metagenerationNotMatch(1)), 304);
    }

    @Test
    void readAllBytesReturnsTheData() {
      create("a", "päyload ✓");

      assertThat(new String(storage().readAllBytes(id("a")), StandardCharsets.UTF_8))
          .isEqualTo("päyload ✓");
    }

    @Test
    void readWithGenerationMatchChecksTheLiveGeneration() {
      Blob blob = create("a", "x");

      assertThat(
              storage()
                  .readAllBytes(id("a"), BlobSourceOption.generationMatch(blob.getGeneration())))
          .asString()
          .isEqualTo("x");
      assertThatThrownBy(
              () ->
                  storage()
                      .readAllBytes(
                          id("a"), BlobSourceOption.generationMatch(blob.getGeneration() + 1)))
          .isInstanceOf(StorageException.class)
          .satisfies(e -> assertThat(((StorageException) e).getCode()).isEqualTo(412));
    }

    @Test
    void readOfAMissingObjectFailsWith404() {
      assertStatus(() -> storage().readAllBytes(id("missing")), 404);
    }
  }

  @Nested
  class MetadataUpdates {
    @Test
    void updateMergesCustomMetadataAndIncrementsMetageneration() {
      assumeTrue(tracksMetageneration(), "server does not track metageneration");
      Blob blob =
          storage()
              .create(
                  BlobInfo.newBuilder(id("a")).setMetadata(Map.of("a", "1", "b", "2")).build(),
                  new byte[] {1});
      Map<String, String> change = new HashMap<>();
      change.put("b", "two");
      change.put("c", "3");

      Blob updated = storage().update(blob.toBuilder().setMetadata(change).build());

      assertThat(updated.getMetadata())
          .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "two", "c", "3"));
      assertThat(updated.getMetageneration()).isEqualTo(2L);
      assertThat(updated.getGeneration()).isEqualTo(blob.getGeneration());
      assertThat(updated.getUpdateTimeOffsetDateTime())
          .isAfterOrEqualTo(blob.getUpdateTimeOffsetDateTime());
    }

    @Test
    void updateWithANullValueRemovesThatKey() {
      Blob blob =
          storage()
              .create(
                  BlobInfo.newBuilder(id("a")).setMetadata(Map.of("a", "1", "b", "2")).build(),
                  new byte[] {1});
      Map<String, String> change = new HashMap<>();
      change.put("a", null);

      Blob updated = storage().update(blob.toBuilder().setMetadata(change).build());

      assertThat(updated.getMetadata()).containsExactly(Map.entry("b", "2"));
    }

    @Test
    @Tag("C-EMU-3")
    void updateWithGenerationAndMetagenerationMatchAppliesOnlyToTheExpectedVersion() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores patch preconditions");
      assumeTrue(tracksMetageneration(), "server does not track metageneration");
      Blob blob = create("a", "x");
      BlobInfo change = blob.toBuilder().setMetadata(Map.of("k", "v")).build();

      Blob updated =
          storage()
              .update(
                  change,
                  BlobTargetOption.generationMatch(blob.getGeneration()),
                  BlobTargetOption.metagenerationMatch(1));
      assertStatus(
          () ->
              storage()
                  .update(
                      change,
                      BlobTargetOption.generationMatch(blob.getGeneration()),
                      BlobTargetOption.metagenerationMatch(1)),
          412);
      assertStatus(
          () ->
              storage()
                  .update(
                      change,
                      BlobTargetOption.generationMatch(blob.getGeneration() + 1),
                      BlobTargetOption.metagenerationMatch(2)),
          412);

      assertThat(updated.getMetageneration()).isEqualTo(2L);
      assertThat(storage().get(id("a")).getMetageneration()).isEqualTo(2L);
    }

    @Test
    void updateWithNotMatchConditionsAnswers412WhenTheyFail() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores patch preconditions");
      Blob blob = create("a", "x");
      BlobInfo change = blob.toBuilder().setMetadata(Map.of("k", "v")).build();

      assertStatus(
          () -> storage().update(change, BlobTargetOption.generationNotMatch(blob.getGeneration())),
          412);
      assertStatus(() -> storage().update(change, BlobTargetOption.metagenerationNotMatch(1)), 412);
      assertThat(storage().update(change, BlobTargetOption.metagenerationNotMatch(5)).getMetadata())
          .containsEntry("k", "v");
    }

    @Test
    void updateOfAMissingObjectFailsWith404() {
      assertStatus(
          () ->
              storage()
                  .update(
                      BlobInfo.newBuilder(id("missing")).setMetadata(Map.of("k", "v")).build(),
                      BlobTargetOption.metagenerationMatch(1)),
          404);
    }

    @Test
    void contentTypeCacheControlAndCustomTimeCanBeChanged() {
      Blob blob = create("a", "x");
      OffsetDateTime custom = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

      Blob updated =
          storage()
              .update(
                  blob.toBuilder()
                      .setContentType("application/json")
                      .setCacheControl("no-store")
                      .setCustomTimeOffsetDateTime(custom)
                      .build());

      assertThat(updated.getContentType()).isEqualTo("application/json");
      assertThat(updated.getCacheControl()).isEqualTo("no-store");
      assertThat(updated.getCustomTimeOffsetDateTime()).isEqualTo(custom);
    }
  }

  @Nested
  class Deletes {
    @Test
    void deleteOfAMissingObjectReturnsFalse() {
      assertThat(storage().delete(id("missing"))).isFalse();
    }

    @Test
    void deleteRemovesTheObject() {
      create("a", "x");

      assertThat(storage().delete(id("a"))).isTrue();
      assertThat(storage().get(id("a"))).isNull();
    }

    @Test
    @Tag("C-EMU-3")
    void deleteWithGenerationMatchRemovesOnlyTheExpectedGeneration() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores delete preconditions");
      Blob first = create("a", "first");
      Blob second = create("a", "second");

      assertStatus(
          () -> storage().delete(id("a"), BlobSourceOption.generationMatch(first.getGeneration())),
          412);
      assertThat(storage().get(id("a")).getGeneration()).isEqualTo(second.getGeneration());
      assertThat(
              storage().delete(id("a"), BlobSourceOption.generationMatch(second.getGeneration())))
          .isTrue();
      assertThat(storage().get(id("a"))).isNull();
    }

    @Test
    @Tag("C-EMU-3")
    void deleteWithMetagenerationMatchRemovesOnlyTheExpectedMetageneration() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores delete preconditions");
      assumeTrue(tracksMetageneration(), "server does not track metageneration");
      Blob blob = create("a", "x");
      storage().update(blob.toBuilder().setMetadata(Map.of("k", "v")).build());

      assertStatus(() -> deleteIfAt("a", blob.getGeneration(), 1), 412);
      assertThat(deleteIfAt("a", blob.getGeneration(), 2)).isTrue();
    }

    @Test
    void deleteWithNotMatchConditionsAnswers412WhenTheyFail() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores delete preconditions");
      Blob blob = create("a", "x");

      assertStatus(
          () ->
              storage().delete(id("a"), BlobSourceOption.generationNotMatch(blob.getGeneration())),
          412);
      assertStatus(
          () -> storage().delete(id("a"), BlobSourceOption.metagenerationNotMatch(1)), 412);
      assertThat(storage().delete(id("a"), BlobSourceOption.metagenerationNotMatch(9))).isTrue();
    }

    @Test
    void aStaleHolderCannotDeleteItsSuccessorsObject() {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores delete preconditions");
      // The ABA case: same name, metageneration 1 again, but a new generation.
      Blob old = create("lock", "old");
      assertThat(storage().delete(id("lock"))).isTrue();
      Blob successor = create("lock", "new", BlobTargetOption.doesNotExist());

      assertThat(successor.getMetageneration()).isEqualTo(old.getMetageneration());
      assertStatus(() -> deleteIfAt("lock", old.getGeneration(), 1), 412);
      assertThat(storage().readAllBytes(id("lock"))).asString().isEqualTo("new");
    }

    /** A lock release: delete conditioned on both generation and metageneration. */
    private boolean deleteIfAt(String name, long generation, long metageneration) {
      return storage()
          .delete(
              id(name),
              BlobSourceOption.generationMatch(generation),
              BlobSourceOption.metagenerationMatch(metageneration));
    }
  }

  @Nested
  class Listing {
    @Test
    void listWithPrefixReturnsMatchingObjectsInNameOrder() {
      for (String n : List.of("c", "a", "b/1", "b/2")) {
        create(n, n);
      }

      List<String> names =
          StreamSupport.stream(
                  storage()
                      .list(bucket(), BlobListOption.prefix(prefix))
                      .iterateAll()
                      .spliterator(),
                  false)
              .map(Blob::getName)
              .toList();

      assertThat(names).containsExactly(prefix + "a", prefix + "b/1", prefix + "b/2", prefix + "c");
    }

    @Test
    void listWithADelimiterCollapsesSubPrefixes() {
      for (String n : List.of("a", "dir/x", "dir/y", "other/z", "z")) {
        create(n, n);
      }

      List<String> entries = new ArrayList<>();
      for (Blob b :
          storage()
              .list(bucket(), BlobListOption.prefix(prefix), BlobListOption.delimiter("/"))
              .iterateAll()) {
        entries.add(b.isDirectory() ? "dir:" + b.getName() : b.getName());
      }

      assertThat(entries)
          .containsExactlyInAnyOrder(
              prefix + "a", "dir:" + prefix + "dir/", "dir:" + prefix + "other/", prefix + "z");
    }

    @Test
    void paginationVisitsEveryObjectExactlyOnce() {
      for (int i = 0; i < 7; i++) {
        create("o" + i, "x");
      }

      var page =
          storage().list(bucket(), BlobListOption.prefix(prefix), BlobListOption.pageSize(3));
      List<String> firstPage = new ArrayList<>();
      page.getValues().forEach(b -> firstPage.add(b.getName()));
      List<String> all = new ArrayList<>();
      page.iterateAll().forEach(b -> all.add(b.getName()));

      assertThat(firstPage).hasSize(3);
      assertThat(page.hasNextPage()).isTrue();
      assertThat(all).hasSize(7).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void paginationWithADelimiterDoesNotRepeatPrefixes() {
      for (String n : List.of("a/1", "a/2", "a/3", "b", "c/1", "d")) {
        create(n, "x");
      }

      List<String> entries = new ArrayList<>();
      storage()
          .list(
              bucket(),
              BlobListOption.prefix(prefix),
              BlobListOption.delimiter("/"),
              BlobListOption.pageSize(1))
          .iterateAll()
          .forEach(b -> entries.add(b.getName()));

      assertThat(entries).containsExactly(prefix + "a/", prefix + "b", prefix + "c/", prefix + "d");
    }

    @Test
    void listOfAnEmptyPrefixIsEmpty() {
      assertThat(storage().list(bucket(), BlobListOption.prefix(prefix)).iterateAll()).isEmpty();
    }
  }

  @Nested
  class Buckets {
    @Test
    void bucketsCanBeCreatedReadListedAndDeleted() {
      String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);

      Bucket created = storage().create(BucketInfo.of(name));
      Bucket read = storage().get(name);
      List<String> listed = new ArrayList<>();
      storage().list().iterateAll().forEach(b -> listed.add(b.getName()));
      boolean deleted = storage().delete(name);

      assertThat(created.getName()).isEqualTo(name);
      assertThat(read.getName()).isEqualTo(name);
      assertThat(listed).contains(name, bucket());
      assertThat(deleted).isTrue();
      assertThat(storage().get(name)).isNull();
    }

    @Test
    void creatingAnExistingBucketFailsWith409() {
      assertStatus(() -> storage().create(BucketInfo.of(bucket())), 409);
    }

    @Test
    void deletingANonEmptyBucketFailsWith409() {
      assumeTrue(refusesDeletingNonEmptyBuckets(), "server deletes non-empty buckets");
      create("keep", "x");

      assertStatus(() -> storage().delete(bucket()), 409);
      assertThat(storage().get(bucket())).isNotNull();
    }

    @Test
    void aMissingBucketReadsAsNull() {
      assertThat(storage().get("missing-" + UUID.randomUUID().toString().substring(0, 8))).isNull();
    }
  }

  @Nested
  class Names {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "with space",
          "slash/in/name",
          "percent%20literal",
          "plus+sign",
          "hash#and?query&amp=",
          "ünïcödé-名前-🔒",
          "tilde~star*paren(x)",
          "trailing-slash/",
          "quote\"and'apostrophe",
          "semicolon;comma,colon:at@"
        })
    void objectNamesRoundTripThroughEveryOperation(String suffix) {
      String name = prefix + suffix;
      BlobId id = BlobId.of(bucket(), name);

      Blob created =
          storage()
              .create(
                  BlobInfo.newBuilder(id).build(),
                  suffix.getBytes(StandardCharsets.UTF_8),
                  BlobTargetOption.doesNotExist());
      Blob read = storage().get(id);
      byte[] data = storage().readAllBytes(id);
      List<String> listed = new ArrayList<>();
      storage()
          .list(bucket(), BlobListOption.prefix(prefix))
          .iterateAll()
          .forEach(b -> listed.add(b.getName()));
      Blob updated = storage().update(read.toBuilder().setMetadata(Map.of("k", "v")).build());
      boolean deleted =
          storage().delete(id, BlobSourceOption.generationMatch(created.getGeneration()));

      assertThat(created.getName()).isEqualTo(name);
      assertThat(read.getName()).isEqualTo(name);
      assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(suffix);
      assertThat(listed).containsExactly(name);
      assertThat(updated.getMetadata()).containsEntry("k", "v");
      assertThat(deleted).isTrue();
    }
  }

  @Nested
  class Concurrency {
    @Test
    @Tag("C-EMU-5")
    void exactlyOneOfManyRacingCreateIfAbsentCallsWins() throws Exception {
      int threads = 16;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int round = 0; round < 5; round++) {
          String name = "race-" + round;
          List<Integer> statuses =
              race(
                  pool, threads, t -> create(name, "writer-" + t, BlobTargetOption.doesNotExist()));

          assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
          assertThat(statuses).filteredOn(s -> s != 200).containsOnly(412);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @Tag("C-EMU-5")
    void conditionalReadModifyWriteIncrementsLoseNoUpdate() throws Exception {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores patch preconditions");
      assumeTrue(tracksMetageneration(), "server does not track metageneration");
      storage()
          .create(
              BlobInfo.newBuilder(id("counter")).setMetadata(Map.of("n", "0")).build(),
              new byte[0]);
      int threads = 6;
      int incrementsEach = 10;
      AtomicInteger conflicts = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < incrementsEach; ) {
                      Blob current = storage().get(id("counter"));
                      int n = Integer.parseInt(current.getMetadata().get("n"));
                      try {
                        storage()
                            .update(
                                current.toBuilder()
                                    .setMetadata(Map.of("n", Integer.toString(n + 1)))
                                    .build(),
                                BlobTargetOption.generationMatch(current.getGeneration()),
                                BlobTargetOption.metagenerationMatch(current.getMetageneration()));
                        i++;
                      } catch (StorageException e) {
                        assertThat(e.getCode()).isEqualTo(412);
                        conflicts.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      Blob counter = storage().get(id("counter"));
      assertThat(counter.getMetadata())
          .containsEntry("n", Integer.toString(threads * incrementsEach));
      assertThat(counter.getMetageneration()).isEqualTo(1L + threads * incrementsEach);
    }

    @Test
    @Tag("C-EMU-5")
    void racingConditionalUpdatesOfOneMetagenerationHaveOneWinner() throws Exception {
      assumeTrue(enforcesPreconditionsOnDeleteAndPatch(), "server ignores patch preconditions");
      Blob blob = create("a", "x");
      int threads = 12;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      Set<String> winners = ConcurrentHashMap.newKeySet();
      try {
        List<Integer> statuses =
            race(
                pool,
                threads,
                t -> {
                  String me = "t" + t;
                  storage()
                      .update(
                          blob.toBuilder().setMetadata(Map.of("owner", me)).build(),
                          BlobTargetOption.generationMatch(blob.getGeneration()),
                          BlobTargetOption.metagenerationMatch(1));
                  winners.add(me);
                });

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).containsOnly(412);
        assertThat(storage().get(id("a")).getMetadata())
            .containsEntry("owner", winners.iterator().next());
      } finally {
        pool.shutdownNow();
      }
    }

    /**
     * Runs {@code write} for writers 0..threads-1 on {@code pool}, released together; returns the
     * status each got: 200 when it returned, the {@link StorageException} code when it threw.
     */
    private List<Integer> race(ExecutorService pool, int threads, IntConsumer write)
        throws Exception {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int writer = t;
        Callable<Integer> task =
            () -> {
              start.await();
              try {
                write.accept(writer);
                return 200;
              } catch (StorageException e) {
                return e.getCode();
              }
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : results) {
        statuses.add(f.get(30, TimeUnit.SECONDS));
      }
      return statuses;
    }
  }
}
