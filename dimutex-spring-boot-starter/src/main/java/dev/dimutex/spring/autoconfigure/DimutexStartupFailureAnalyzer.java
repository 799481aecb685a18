package dev.dimutex.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@link DimutexStartupException}: a missing bucket, invalid durations, no Storage. */
class DimutexStartupFailureAnalyzer extends AbstractFailureAnalyzer<DimutexStartupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, DimutexStartupException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
