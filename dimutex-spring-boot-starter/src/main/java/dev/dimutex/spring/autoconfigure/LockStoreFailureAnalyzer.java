package dev.dimutex.spring.autoconfigure;

import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link LockException} raised while the application starts, typically by the bucket
 * check ({@code dimutex.gcs.verify-on-startup}): a missing bucket, missing permissions, or a store
 * that cannot be reached.
 */
class LockStoreFailureAnalyzer extends AbstractFailureAnalyzer<LockException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, LockException cause) {
    if (cause instanceof LockConfigurationException) {
      return new FailureAnalysis(
          "dimutex cannot use its lock bucket: " + cause.getMessage(),
          "Check that the bucket named in dimutex.gcs.bucket exists and that the application's"
              + " credentials may create, read, update, delete and list objects in it (for"
              + " example roles/storage.objectUser on the bucket). This startup check also reads"
              + " the bucket itself, which needs storage.buckets.get: roles/storage.objectUser"
              + " does not include it, so grant it as well (a custom role, or"
              + " roles/storage.legacyBucketReader on the bucket), or start without this check by"
              + " setting dimutex.gcs.verify-on-startup=false.",
          cause);
    }
    return new FailureAnalysis(
        "dimutex could not reach its lock store while the application started: "
            + cause.getMessage(),
        "Check the network path to Google Cloud Storage, or that the emulator named by"
            + " dimutex.gcs.emulator-host or STORAGE_EMULATOR_HOST is running. To start without"
            + " this check, set dimutex.gcs.verify-on-startup=false.",
        cause);
  }
}
