package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.InvalidLockAnnotationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidLockAnnotationException}, listing every offending method. */
class InvalidLockAnnotationFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidLockAnnotationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidLockAnnotationException cause) {
    return new FailureAnalysis(
        "@DistributedLock is used in a way that cannot work:\n\n    - "
            + String.join("\n    - ", cause.problems()),
        "Fix the annotations listed above. @DistributedLock applies to public, non-final methods"
            + " of Spring beans; onHeld = SKIP needs a method returning void, Optional or a"
            + " @Nullable reference; durations look like '500ms', '5s' or 'PT5S'.",
        cause);
  }
}
