package dev.dimutex.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's data: buckets and their live objects, and the generation counter. Shared by every
 * operation class and the admin API. It applies no GCS rules (preconditions, rate limits): {@link
 * ObjectOps} does, inside {@link #apply}.
 */
final class ObjectStore {
  private final ConcurrentSkipListMap<String, Bucket> buckets = new ConcurrentSkipListMap<>();
  private final AtomicLong lastGeneration = new AtomicLong();
  private final Clock clock;

  ObjectStore(Clock clock) {
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  /** A generation unique in this store: the clock in microseconds, bumped to stay increasing. */
  long nextGeneration() {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return lastGeneration.updateAndGet(prev -> Math.max(prev + 1, micros));
  }

  /** Creates a bucket unless it exists; the caller has validated the name. */
  void createBucket(String name) {
    buckets.computeIfAbsent(name, n -> new Bucket(n, clock.instant()));
  }

  /** Adds a new bucket; 409 {@code conflict} if the name exists. */
  Bucket insertBucket(String name) {
    Bucket created = new Bucket(name, clock.instant());
    if (buckets.putIfAbsent(name, created) != null) {
      throw new GcsException(
          409,
          "conflict",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    return created;
  }

  /** The bucket of that name; 404 if there is none. */
  Bucket bucket(@Nullable String name) {
    Bucket b = name == null ? null : buckets.get(name);
    if (b == null) {
      throw GcsException.bucketNotFound(String.valueOf(name));
    }
    return b;
  }

  Collection<Bucket> buckets() {
    return buckets.values();
  }

  /** Deletes an empty bucket; 409 {@code conflict} if it holds objects. */
  void deleteBucket(Bucket b) {
    b.lifecycle.writeLock().lock();
    try {
      if (b.deleted) {
        throw GcsException.bucketNotFound(b.name);
      }
      if (!b.objects.isEmpty()) {
        throw new GcsException(409, "conflict", "The bucket you tried to delete is not empty.");
      }
      b.deleted = true;
      buckets.remove(b.name, b);
    } finally {
      b.lifecycle.writeLock().unlock();
    }
  }

  /**
   * Replaces the live object of a name with what {@code change} returns for it ({@code null} in:
   * none; {@code null} out: delete), atomically per name and never racing with the bucket's
   * deletion. {@code change} may throw to abort without a change.
   */
  @Nullable StoredObject apply(
      String bucketName, String name, UnaryOperator<@Nullable StoredObject> change) {
    Bucket b = bucket(bucketName);
    b.lifecycle.readLock().lock();
    try {
      if (b.deleted) {
        throw GcsException.bucketNotFound(b.name);
      }
      synchronized (b.stripe(name)) {
        StoredObject next = change.apply(b.objects.get(name));
        if (next == null) {
          b.objects.remove(name);
        } else {
          b.objects.put(name, next);
        }
        return next;
      }
    } finally {
      b.lifecycle.readLock().unlock();
    }
  }
}
