package dev.dimutex.emulator;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips each test of a class that needs Docker when there is no Docker engine, so that the build
 * output counts every one of them as skipped, with this reason. (A class disabled as a whole, as
 * {@code @Testcontainers(disabledWithoutDocker = true)} does, shows up as "Tests run: 0" instead.)
 * The class itself stays enabled: it must start its containers only when {@link #available()}.
 */
final class RequiresDocker implements ExecutionCondition {

  /**
   * Whether a Docker engine is reachable (asked once per JVM by Testcontainers).
   *
   * @return true when containers can be started
   */
  static boolean available() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      return ConditionEvaluationResult.enabled("each test decides for itself");
    }
    return available()
        ? ConditionEvaluationResult.enabled("Docker is available")
        : ConditionEvaluationResult.disabled(
            "needs a Docker engine (fake-gcs-server in a container); Testcontainers found none");
  }
}
