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
        "Fix the annotations listed above. With dimutex.annotation.mode=proxy (the default),"
            + " @DistributedLock applies to public, non-final methods of Spring beans called from"
            + " another bean; for self-invocations and non-public methods set"
            + " dimutex.annotation.mode=aspectj and weave DistributedLockAspect (compile-time, or"
            + " load-time with -javaagent:aspectjweaver.jar). Of the reactive types, only Reactor's"
            + " Mono and Flux are supported (locked from subscription to termination); return one"
            + " of them or a CompletionStage instead of any other Publisher. onHeld = SKIP needs a"
            + " method returning void, Optional, Mono, Flux or a @Nullable reference. Durations"
            + " look like '500ms', '5s' or 'PT5S'.",
        cause);
  }
}
