package dev.dimutex.emulator;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.util.Arrays;

/**
 * Measures the loopback cost of one request: the median of N metadata GETs with the official Java
 * client after a warm-up, plus PATCH and create-if-absent. Not a test (no timing is asserted); the
 * command that runs it is in EMULATOR.md ("Cost of one request").
 */
final class RequestCostMain {
  private RequestCostMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    try (GcsEmulator emulator = GcsEmulator.builder().bucket("bench-bucket").start()) {
      Storage storage = EmulatorStorage.create(emulator);
      BlobId id = BlobId.of("bench-bucket", "locks/bench");
      storage.create(BlobInfo.newBuilder(id).build(), new byte[] {1, 2, 3});
      for (int i = 0; i < 500; i++) {
        storage.get(id);
      }
      long[] get = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        storage.get(id);
        get[i] = System.nanoTime() - t0;
      }
      long[] patch = new long[Math.max(1, n / 4)];
      for (int i = 0; i < patch.length; i++) {
        long t0 = System.nanoTime();
        storage.update(
            BlobInfo.newBuilder(id)
                .setMetadata(java.util.Map.of("i", Integer.toString(i)))
                .build());
        patch[i] = System.nanoTime() - t0;
      }
      long[] create = new long[Math.max(1, n / 4)];
      for (int i = 0; i < create.length; i++) {
        long t0 = System.nanoTime();
        storage.create(
            BlobInfo.newBuilder(BlobId.of("bench-bucket", "c/" + i)).build(),
            new byte[] {1},
            Storage.BlobTargetOption.doesNotExist());
        create[i] = System.nanoTime() - t0;
      }
      report("GET metadata", get);
      report("PATCH metadata", patch);
      report("multipart create ifGenerationMatch=0", create);
      storage.close();
    }
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%s: n=%d median=%.3f ms p90=%.3f ms p99=%.3f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.9)] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6);
  }
}
