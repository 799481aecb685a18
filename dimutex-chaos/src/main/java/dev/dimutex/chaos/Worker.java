package dev.dimutex.chaos;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.dimutex.Lease;
import dev.dimutex.LockException;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import dev.dimutex.Mutex;
import dev.dimutex.gcs.GcsLockRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One chaos worker process: loops acquiring the lock, incrementing the shared counter with a
 * generation precondition inside the critical section, and recording every section to its history
 * file. Stops (after finishing its section) when its standard input is closed.
 *
 * <p>Standard output carries one line per transition, which the harness reads to know who holds the
 * lock: {@code ENTER <seq> <token>} and {@code EXIT <seq>}.
 */
public final class Worker {

  /** Metadata key of the counter value. */
  static final String COUNT = ChaosStorage.COUNT;

  /** Metadata key of the nonce of the write that produced the value. */
  static final String WRITER = ChaosStorage.WRITER;

  private final String id;
  private final String bucket;
  private final String counterName;
  private final Storage storage;
  private final HistoryWriter history;
  private final SplittableRandom random;
  private final Duration holdMin;
  private final Duration holdMax;
  private final PrintStream out;
  private volatile boolean stopping;

  private Worker(
      String id,
      String bucket,
      String counterName,
      Storage storage,
      HistoryWriter history,
      long seed,
      Duration holdMin,
      Duration holdMax,
      PrintStream out) {
    this.id = id;
    this.bucket = bucket;
    this.counterName = counterName;
    this.storage = storage;
    this.history = history;
    this.random = new SplittableRandom(seed);
    this.holdMin = holdMin;
    this.holdMax = holdMax;
    this.out = out;
  }

  /**
   * Runs a worker. Options: {@code --emulator URL --bucket B --id W --history FILE} and optionally
   * {@code --lock NAME --counter NAME --ttl 4s --refresh 500ms --backoff-min 50ms --backoff-max 1s
   * --clock-offset 10m --hold-min 100ms --hold-max 600ms --seed N --no-lock}.
   *
   * @param args the options
   * @throws Exception if the worker cannot start
   */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    String id = o.required("id");
    String bucket = o.required("bucket");
    Storage storage = ChaosStorage.create(o.required("emulator"), id);
    Duration offset = o.duration("clock-offset", Duration.ZERO);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (HistoryWriter history = new HistoryWriter(Path.of(o.required("history")))) {
      Worker worker =
          new Worker(
              id,
              bucket,
              o.string("counter", "chaos/counter"),
              storage,
              history,
              o.number("seed", System.nanoTime()),
              o.duration("hold-min", Duration.ofMillis(100)),
              o.duration("hold-max", Duration.ofMillis(600)),
              out);
      worker.stopWhenStdinCloses(System.in);
      GcsLockRegistry registry =
          GcsLockRegistry.builder(storage, bucket)
              .prefix("locks/")
              .ttl(o.duration("ttl", Duration.ofSeconds(4)))
              .refreshInterval(o.duration("refresh", Duration.ofMillis(500)))
              .backoff(
                  o.duration("backoff-min", Duration.ofMillis(50)),
                  o.duration("backoff-max", Duration.ofSeconds(1)),
                  2.0,
                  0.2)
              .clock(Clock.offset(Clock.systemUTC(), offset))
              .ownerId("chaos-" + id)
              .listener(worker.lostListener())
              .build();
      try {
        Mutex mutex = registry.obtain(o.string("lock", "counter"));
        worker.run(o.has("no-lock") ? new NoLock(mutex) : mutex::acquire);
      } finally {
        registry.close();
      }
      out.println("STOPPED");
    }
    storage.close();
  }

  private LockListener lostListener() {
    return new LockListener() {
      @Override
      public void onLost(Lease lease, LockLostException cause) {
        event(HistoryEvent.LOST, 0, lease.fencingToken(), String.valueOf(cause.getMessage()));
      }
    };
  }

  private void stopWhenStdinCloses(InputStream in) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (in.read() >= 0) {
                  // the harness never writes; only end of stream matters
                }
              } catch (IOException e) {
                // treat a broken pipe like end of stream
              }
              stopping = true;
            },
            "stdin-watch");
    t.setDaemon(true);
    t.start();
  }

  /** How the worker gets a lease: the real mutex, or the sabotage that skips it. */
  @FunctionalInterface
  private interface LeaseSource {
    Lease acquire(Duration waitAtMost);
  }

  /** Sabotage for {@code --no-lock}: a lease that was never acquired and is always "healthy". */
  private record NoLock(Mutex mutex) implements LeaseSource {
    @Override
    public Lease acquire(Duration waitAtMost) {
      long token = System.nanoTime();
      java.time.Instant now = java.time.Instant.now();
      String name = mutex.name();
      return new Lease() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public long fencingToken() {
          return token;
        }

        @Override
        public java.time.Instant acquiredAt() {
          return now;
        }

        @Override
        public boolean isHealthy() {
          return true;
        }

        @Override
        public void checkHealthy() {}

        @Override
        public void refresh() {}

        @Override
        public void release() {}

        @Override
        public void close() {}
      };
    }
  }

  private void run(LeaseSource mutex) throws InterruptedException {
    long seq = 0;
    while (!stopping) {
      Lease lease;
      try {
        lease = mutex.acquire(Duration.ofSeconds(30));
      } catch (LockTimeoutException e) {
        event(HistoryEvent.TIMEOUT, seq, 0, String.valueOf(e.getMessage()));
        continue;
      } catch (LockException e) {
        event(HistoryEvent.ERROR, seq, 0, "acquire: " + e);
        Thread.sleep(200);
        continue;
      }
      seq++;
      section(seq, lease);
      Thread.sleep(random.nextLong(20, 200));
    }
  }

  private void section(long seq, Lease lease) throws InterruptedException {
    long token = lease.fencingToken();
    String nonce = id + "-" + seq;
    history.write(
        new HistoryEvent(
            HistoryEvent.ENTER,
            id,
            seq,
            token,
            System.nanoTime(),
            nonce,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    out.println("ENTER " + seq + " " + token);

    Counter read = readCounter();
    if (read != null) {
      // Flushed before the write, so that a SIGKILL after it still leaves what was read: the
      // checker needs every reader of a nonce to tell an overwritten increment from a read one.
      history.write(
          new HistoryEvent(
              HistoryEvent.READ,
              id,
              seq,
              token,
              System.nanoTime(),
              nonce,
              read.count,
              read.generation,
              read.writer,
              null,
              null,
              null,
              null));
    }
    Thread.sleep(random.nextLong(holdMin.toMillis(), holdMax.toMillis() + 1));
    long checkedAt = System.nanoTime();
    boolean healthy = lease.isHealthy();
    WriteOutcome outcome = read == null ? WriteOutcome.NOT_ATTEMPTED : increment(read, nonce);
    long exit = System.nanoTime();

    String release;
    try {
      lease.release();
      release = "released";
    } catch (LockLostException e) {
      release = "lost: " + e.getMessage();
    } catch (LockException e) {
      release = "release failed: " + e;
    }
    history.write(
        new HistoryEvent(
            HistoryEvent.EXIT,
            id,
            seq,
            token,
            exit,
            nonce,
            read == null ? null : read.count,
            read == null ? null : read.generation,
            read == null ? null : read.writer,
            healthy,
            checkedAt,
            outcome,
            release));
    out.println("EXIT " + seq);
  }

  private record Counter(long count, long generation, @Nullable String writer) {}

  private @Nullable Counter readCounter() {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Blob blob = storage.get(BlobId.of(bucket, counterName));
        if (blob == null) {
          return new Counter(0, 0, null);
        }
        Map<String, String> metadata = blob.getMetadata();
        String count = metadata == null ? null : metadata.get(COUNT);
        return new Counter(
            count == null ? 0 : Long.parseLong(count),
            blob.getGeneration(),
            metadata == null ? null : metadata.get(WRITER));
      } catch (StorageException e) {
        // transient despite the client's retries: try again, the section is still ours
      }
    }
    return null;
  }

  private WriteOutcome increment(Counter read, String nonce) {
    long next = read.count + 1;
    BlobInfo info =
        BlobInfo.newBuilder(BlobId.of(bucket, counterName))
            .setContentType("text/plain")
            .setMetadata(Map.of(COUNT, Long.toString(next), WRITER, nonce))
            .build();
    try {
      storage.create(
          info,
          Long.toString(next).getBytes(StandardCharsets.UTF_8),
          Storage.BlobTargetOption.generationMatch(read.generation));
      return WriteOutcome.ACCEPTED;
    } catch (StorageException e) {
      // A 412 may hide our own write whose response was lost and which the client retried; any
      // other failure is ambiguous. Read back to decide.
      Counter now = readCounter();
      if (now == null) {
        return WriteOutcome.UNKNOWN;
      }
      if (nonce.equals(now.writer)) {
        return WriteOutcome.ACCEPTED;
      }
      if (e.getCode() == 412) {
        return WriteOutcome.REJECTED;
      }
      return now.generation == read.generation ? WriteOutcome.FAILED : WriteOutcome.UNKNOWN;
    }
  }

  private void event(String type, long seq, long token, String detail) {
    history.write(
        new HistoryEvent(
            type,
            id,
            seq,
            token,
            System.nanoTime(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            detail));
  }
}
