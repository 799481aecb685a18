package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.actuate.LockObservations;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link LockObservations} (a wait and a hold observation per {@code @DistributedLock}
 * call) when Micrometer Observation and an {@link ObservationRegistry} bean are present, unless
 * {@code dimutex.observations.enabled=false}.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnProperty(
    prefix = "dimutex",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class DimutexObservationAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexObservationAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "dimutex.observations",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  LockObservations dimutexLockObservations(ObservationRegistry registry) {
    return new LockObservations(registry);
  }
}
