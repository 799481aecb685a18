package dev.dimutex.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Checks {@code dimutex.*} at start-up; every message names the property and what is allowed. */
final class DimutexPropertiesValidator {

  private DimutexPropertiesValidator() {}

  /**
   * Checks every property that the registry needs.
   *
   * @return the trimmed bucket name
   * @throws DimutexStartupException naming the property and what is allowed
   */
  static String validate(DimutexProperties properties) {
    String bucket = properties.getGcs().getBucket();
    if (bucket == null || bucket.isBlank()) {
      throw new DimutexStartupException(
          "No bucket is configured for dimutex: the property 'dimutex.gcs.bucket' is not set.",
          "Set dimutex.gcs.bucket to the name of the Google Cloud Storage bucket that holds the"
              + " lock objects (in application.yml: dimutex: gcs: bucket: my-locks), or set"
              + " dimutex.enabled=false to turn dimutex off.");
    }
    Duration ttl = properties.getTtl();
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw invalid("dimutex.ttl", ttl, "must be positive", "Set dimutex.ttl to, say, 60s.");
    }
    Duration refresh = properties.getRefreshInterval();
    if (refresh != null) {
      if (refresh.isZero() || refresh.isNegative()) {
        throw invalid(
            "dimutex.refresh-interval",
            refresh,
            "must be positive",
            "Set dimutex.refresh-interval below half of dimutex.ttl, or remove it to use a sixth"
                + " of the TTL.");
      }
      if (refresh.multipliedBy(2).compareTo(ttl) >= 0) {
        throw invalid(
            "dimutex.refresh-interval",
            refresh,
            "must be shorter than half of dimutex.ttl (" + ttl + ")",
            "Set dimutex.refresh-interval below "
                + ttl.dividedBy(2)
                + ", or remove it to use a"
                + " sixth of the TTL.");
      }
    }
    BackoffProperties backoff = properties.getBackoff();
    Duration min = backoff.getMin();
    Duration max = backoff.getMax();
    if (min == null || min.isZero() || min.isNegative()) {
      throw invalid("dimutex.backoff.min", min, "must be positive", "Set it to, say, 50ms.");
    }
    if (max == null || max.compareTo(min) < 0) {
      throw invalid(
          "dimutex.backoff.max",
          max,
          "must not be shorter than dimutex.backoff.min (" + min + ")",
          "Raise dimutex.backoff.max or lower dimutex.backoff.min.");
    }
    if (!(backoff.getMultiplier() >= 1.0)) {
      throw invalid(
          "dimutex.backoff.multiplier",
          backoff.getMultiplier(),
          "must be at least 1",
          "Set it to, say, 2.");
    }
    if (!(backoff.getJitter() >= 0.0 && backoff.getJitter() < 1.0)) {
      throw invalid(
          "dimutex.backoff.jitter",
          backoff.getJitter(),
          "must be at least 0 and below 1",
          "Set it to, say, 0.5.");
    }
    validateAnnotationDefaults(properties.getAnnotation());
    String ownerId = properties.getOwnerId();
    if (ownerId != null && ownerId.isBlank()) {
      throw invalid(
          "dimutex.owner-id",
          "'" + ownerId + "'",
          "must not be blank",
          "Remove it to use a random id per start.");
    }
    return bucket.trim();
  }

  /**
   * Checks {@code dimutex.annotation.*}. The advisor binds these properties itself, before the
   * properties bean exists, so it calls this too.
   *
   * @throws DimutexStartupException naming the property and what is allowed
   */
  static void validateAnnotationDefaults(AnnotationProperties annotation) {
    Duration waitFor = annotation.getWaitFor();
    if (waitFor == null || waitFor.isNegative()) {
      throw invalid(
          "dimutex.annotation.wait-for",
          waitFor,
          "must be zero or positive",
          "Set it to 0s for a single attempt, or to the longest acceptable wait.");
    }
    if (annotation.getOnHeld() == dev.dimutex.spring.OnHeld.DEFAULT) {
      throw invalid(
          "dimutex.annotation.on-held",
          "DEFAULT",
          "must be FAIL or SKIP",
          "Set it to FAIL (throw LockTimeoutException) or SKIP (do not run the method).");
    }
  }

  private static DimutexStartupException invalid(
      String property, @Nullable Object value, String rule, String action) {
    return new DimutexStartupException(
        "Invalid dimutex configuration: '" + property + "' (" + value + ") " + rule + ".", action);
  }
}
