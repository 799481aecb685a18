package dev.dimutex.gcs;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each test of a class that needs real GCS unless {@code DIMUTEX_TEST_GCS_BUCKET} names a
 * bucket, so that the build output counts every one of them as skipped, with this reason (a class
 * disabled as a whole shows up as "Tests run: 0" instead). The class itself stays enabled: it must
 * connect only when {@link #bucket()} is set.
 */
final class RequiresGcsBucket implements ExecutionCondition {

  /**
   * The bucket to test against.
   *
   * @return the bucket, or null when none is configured
   */
  static @Nullable String bucket() {
    String bucket = System.getenv("DIMUTEX_TEST_GCS_BUCKET");
    return bucket == null || bucket.isBlank() ? null : bucket;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      return ConditionEvaluationResult.enabled("each test decides for itself");
    }
    return bucket() != null
        ? ConditionEvaluationResult.enabled("DIMUTEX_TEST_GCS_BUCKET is set")
        : ConditionEvaluationResult.disabled(
            "needs real GCS: set DIMUTEX_TEST_GCS_BUCKET and Application Default Credentials");
  }
}
