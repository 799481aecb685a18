package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.web.LockProblemDetailsHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In a Spring MVC or WebFlux application, answers lock exceptions that escape an annotated request
 * handler with RFC 9457 problem details ({@link LockProblemDetailsHandler}): 409 for a lock held
 * elsewhere, 503 for an unreachable lock store. Off with {@code
 * dimutex.web.problem-details.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@ConditionalOnClass(name = "org.springframework.http.ProblemDetail")
@ConditionalOnProperty(
    prefix = "dimutex.web.problem-details",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class DimutexWebAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexWebAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  LockProblemDetailsHandler dimutexLockProblemDetailsHandler() {
    return new LockProblemDetailsHandler();
  }
}
