package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.LockRegistries;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support: the {@code dimutex} health contributor and the {@code locks} endpoint, each
 * when its part of the actuator is on the classpath.
 */
@AutoConfiguration(after = DimutexAutoConfiguration.class)
@ConditionalOnBean(LockRegistries.class)
public class DimutexActuatorAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexActuatorAutoConfiguration() {}

  /** The health contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("dimutex")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "dimutexHealthIndicator")
    DimutexHealthIndicator dimutexHealthIndicator(LockRegistries registries) {
      return new DimutexHealthIndicator(registries);
    }
  }

  /** The endpoint, read-only unless force-release is enabled. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  @ConditionalOnAvailableEndpoint(endpoint = LocksEndpoint.class)
  static class LocksConfiguration {
    @Bean
    @ConditionalOnMissingBean(LocksEndpoint.class)
    @ConditionalOnProperty(
        prefix = "dimutex.actuator",
        name = "force-release-enabled",
        havingValue = "true")
    ForceReleaseLocksEndpoint dimutexForceReleaseLocksEndpoint(LockRegistries registries) {
      return new ForceReleaseLocksEndpoint(registries, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean(LocksEndpoint.class)
    LocksEndpoint dimutexLocksEndpoint(LockRegistries registries) {
      return new LocksEndpoint(registries, Clock.systemUTC());
    }
  }
}
