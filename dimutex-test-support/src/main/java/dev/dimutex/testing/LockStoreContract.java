package dev.dimutex.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.spi.LockRecord;
import dev.dimutex.spi.LockStore;
import dev.dimutex.spi.LockStore.DeleteOutcome;
import dev.dimutex.spi.ObjectVersion;
import dev.dimutex.spi.StoreException;
import dev.dimutex.spi.StoredLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract of the {@link LockStore} SPI, one test per rule of its Javadoc: create-if-absent,
 * conditional replace, conditional update, conditional delete (by version and by generation), read,
 * list, name validation and the classification of failures. Run against every store; passing it on
 * the in-memory store and on the GCS store (on the emulator) shows that the in-memory store used by
 * the simulator behaves like GCS.
 *
 * <p>Each test uses its own lock name, so a store may keep objects across tests.
 */
public abstract class LockStoreContract {

  private static final AtomicLong SEQ = new AtomicLong();

  private String name = "x";

  /** Creates the suite; subclasses supply the store and the fault hooks. */
  protected LockStoreContract() {}

  /**
   * Returns the store under test. May return the same instance on every call.
   *
   * @return the store
   */
  protected abstract LockStore store();

  /**
   * Makes the next request to the store fail with the given HTTP status, without applying it.
   *
   * @param status an HTTP error status, such as 429, 503, 403 or 400
   */
  protected abstract void failNextRequest(int status);

  /** Applies the next request to the store, then loses its answer (a dropped connection). */
  protected abstract void loseNextAnswer();

  @BeforeEach
  void pickName(TestInfo info) {
    name =
        "store-contract-"
            + info.getTestMethod().map(m -> m.getName()).orElse("x")
            + "-"
            + SEQ.incrementAndGet();
  }

  private static LockRecord record(String owner, String nonce, long refreshes) {
    return new LockRecord(
        owner,
        "host-1 pid 42",
        nonce,
        Duration.ofMillis(30_500),
        Instant.parse("2026-01-02T03:04:05.123456789Z"),
        refreshes);
  }

  private StoredLock created() {
    return store().create(name, record("owner-1", "nonce-1", 0), null).orElseThrow();
  }

  @Nested
  class CreateIfAbsent {
    @Test
    void createsAnAbsentObjectAtMetagenerationOne() {
      StoredLock s = created();

      assertThat(s.name()).isEqualTo(name);
      assertThat(s.version().metageneration()).isEqualTo(1);
      assertThat(s.record()).isEqualTo(record("owner-1", "nonce-1", 0));
      assertThat(s.created()).isNotNull();
      assertThat(s.updated()).isEqualTo(s.created());
    }

    @Test
    void refusesWhenTheObjectExists() {
      StoredLock first = created();

      assertThat(store().create(name, record("owner-2", "nonce-2", 0), null)).isEmpty();
      assertThat(store().read(name)).map(StoredLock::version).contains(first.version());
    }

    @Test
    void givesEveryNewObjectOfOneNameANewGeneration() {
      StoredLock first = created();
      assertThat(store().delete(name, first.version())).isEqualTo(DeleteOutcome.DELETED);

      StoredLock second = created();

      assertThat(second.version().generation()).isNotEqualTo(first.version().generation());
    }
  }

  @Nested
  class ConditionalReplace {
    @Test
    void replacesTheExactVersionByANewGeneration() {
      StoredLock first = created();

      StoredLock next =
          store().create(name, record("owner-2", "nonce-2", 0), first.version()).orElseThrow();

      assertThat(next.version().generation()).isNotEqualTo(first.version().generation());
      assertThat(next.version().metageneration()).isEqualTo(1);
      assertThat(store().read(name)).map(StoredLock::record).contains(next.record());
    }

    @Test
    void refusesAnotherMetagenerationOfTheSameGeneration() {
      StoredLock first = created();
      store().update(name, first.version(), record("owner-1", "nonce-1", 1)).orElseThrow();

      assertThat(store().create(name, record("owner-2", "nonce-2", 0), first.version())).isEmpty();
    }

    @Test
    void refusesWhenTheObjectIsAbsent() {
      StoredLock first = created();
      store().delete(name, first.version());

      assertThat(store().create(name, record("owner-2", "nonce-2", 0), first.version())).isEmpty();
      assertThat(store().read(name)).isEmpty();
    }
  }

  @Nested
  class ConditionalUpdate {
    @Test
    void raisesTheMetagenerationAndKeepsTheGeneration() {
      StoredLock first = created();

      StoredLock next =
          store().update(name, first.version(), record("owner-1", "nonce-1", 1)).orElseThrow();

      assertThat(next.version())
          .isEqualTo(
              new ObjectVersion(
                  first.version().generation(), first.version().metageneration() + 1));
      assertThat(next.record()).isEqualTo(record("owner-1", "nonce-1", 1));
      assertThat(next.updated()).isAfterOrEqualTo(first.updated());
      assertThat(next.created()).isEqualTo(first.created());
    }

    @Test
    void refusesAStaleMetageneration() {
      StoredLock first = created();
      store().update(name, first.version(), record("owner-1", "nonce-1", 1)).orElseThrow();

      assertThat(store().update(name, first.version(), record("owner-1", "nonce-1", 2))).isEmpty();
    }

    @Test
    void refusesAnotherGenerationAtTheSameMetageneration() {
      StoredLock first = created();
      store().delete(name, first.version());
      created();

      assertThat(store().update(name, first.version(), record("owner-1", "nonce-1", 1))).isEmpty();
    }

    @Test
    void refusesWhenTheObjectIsAbsent() {
      StoredLock first = created();
      store().delete(name, first.version());

      assertThat(store().update(name, first.version(), record("owner-1", "nonce-1", 1))).isEmpty();
    }
  }

  @Nested
  class ConditionalDelete {
    @Test
    void deletesTheExactVersion() {
      StoredLock first = created();

      assertThat(store().delete(name, first.version())).isEqualTo(DeleteOutcome.DELETED);
      assertThat(store().read(name)).isEmpty();
    }

    @Test
    void failsItsPreconditionOnAnotherMetageneration() {
      StoredLock first = created();
      store().update(name, first.version(), record("owner-1", "nonce-1", 1)).orElseThrow();

      assertThat(store().delete(name, first.version()))
          .isEqualTo(DeleteOutcome.PRECONDITION_FAILED);
      assertThat(store().read(name)).isPresent();
    }

    @Test
    void failsItsPreconditionOnASuccessorGenerationAtTheSameMetageneration() {
      StoredLock first = created();
      store().delete(name, first.version());
      created();

      assertThat(store().delete(name, first.version()))
          .isEqualTo(DeleteOutcome.PRECONDITION_FAILED);
      assertThat(store().read(name)).isPresent();
    }

    @Test
    void reportsAnAbsentObjectAsNotFound() {
      StoredLock first = created();
      store().delete(name, first.version());

      assertThat(store().delete(name, first.version())).isEqualTo(DeleteOutcome.NOT_FOUND);
    }
  }

  @Nested
  class DeleteByGeneration {
    @Test
    void deletesTheGenerationWhateverItsMetageneration() {
      StoredLock first = created();
      store().update(name, first.version(), record("owner-1", "nonce-1", 1)).orElseThrow();

      assertThat(store().deleteGeneration(name, first.version().generation()))
          .isEqualTo(DeleteOutcome.DELETED);
      assertThat(store().read(name)).isEmpty();
    }

    @Test
    void failsItsPreconditionOnAnotherGeneration() {
      StoredLock first = created();
      store().delete(name, first.version());
      created();

      assertThat(store().deleteGeneration(name, first.version().generation()))
          .isEqualTo(DeleteOutcome.PRECONDITION_FAILED);
    }

    @Test
    void reportsAnAbsentObjectAsNotFound() {
      StoredLock first = created();
      store().delete(name, first.version());

      assertThat(store().deleteGeneration(name, first.version().generation()))
          .isEqualTo(DeleteOutcome.NOT_FOUND);
    }
  }

  @Nested
  class Read {
    @Test
    void readsAnAbsentObjectAsEmpty() {
      assertThat(store().read(name)).isEmpty();
    }

    @Test
    void readsBackExactlyWhatWasWritten() {
      StoredLock first = created();

      Optional<StoredLock> back = store().read(name);

      assertThat(back).map(StoredLock::version).contains(first.version());
      assertThat(back).map(StoredLock::record).contains(record("owner-1", "nonce-1", 0));
      assertThat(back.orElseThrow().hasNonce("nonce-1")).isTrue();
      assertThat(back.orElseThrow().created()).isEqualTo(first.created());
    }
  }

  @Nested
  class ListAll {
    @Test
    void listsLiveObjectsByLockNameAndLeavesDeletedOnesOut() {
      StoredLock first = created();
      String other = name + "-other";
      store().create(other, record("owner-2", "nonce-2", 0), null).orElseThrow();
      store().delete(other, store().read(other).orElseThrow().version());

      assertThat(store().list()).extracting(StoredLock::name).contains(name).doesNotContain(other);
      assertThat(store().list())
          .filteredOn(s -> s.name().equals(name))
          .extracting(StoredLock::version)
          .containsExactly(first.version());
    }
  }

  @Nested
  class Names {
    @Test
    void rejectsAnEmptyName() {
      assertThatThrownBy(() -> store().validateName(""))
          .isInstanceOf(InvalidLockNameException.class);
    }

    @Test
    void acceptsAPlainName() {
      store().validateName(name);
      assertThat(store().read(name)).isEmpty();
    }
  }

  @Nested
  class Failures {
    @Test
    void classifiesRateLimitsAsTransient() {
      failNextRequest(429);
      assertThatThrownBy(() -> store().read(name))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TRANSIENT));
    }

    @Test
    void classifiesServerErrorsAsTransientAndDoesNotApplyTheWrite() {
      failNextRequest(503);
      assertThatThrownBy(() -> store().create(name, record("owner-1", "nonce-1", 0), null))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TRANSIENT));
      assertThat(store().read(name)).isEmpty();
    }

    @Test
    void classifiesPermissionDenialsAsConfiguration() {
      failNextRequest(403);
      assertThatThrownBy(() -> store().read(name))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CONFIGURATION));
    }

    @Test
    void classifiesOtherRefusalsAsFatal() {
      failNextRequest(400);
      assertThatThrownBy(() -> store().read(name))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    }

    @Test
    void reportsAWriteWhoseAnswerIsLostAsTransientThoughItApplied() {
      loseNextAnswer();
      assertThatThrownBy(() -> store().create(name, record("owner-1", "nonce-1", 0), null))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TRANSIENT));
      assertThat(store().read(name)).map(s -> s.hasNonce("nonce-1")).contains(true);
    }
  }
}
