package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.LockRegistries;
import dev.dimutex.spring.actuate.DimutexHealthIndicator;
import dev.dimutex.spring.actuate.ForceReleaseLocksEndpoint;
import dev.dimutex.spring.actuate.LocksEndpoint;
import dev.dimutex.spring.actuate.LostLeases;
import dev.dimutex.spring.actuate.StoreReachability;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
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

  // Each optional part is nested twice: the outer class checks that the library is present, so
  // that the inner class's conditions (whose classes live in that library) are never loaded
  // without it.

  /** The health contributor, when spring-boot-health is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("dimutex")
    static class Enabled {
      @Bean
      @ConditionalOnMissingBean
      StoreReachability dimutexStoreReachability() {
        return new StoreReachability(Clock.systemUTC(), Duration.ofSeconds(60));
      }

      @Bean
      @ConditionalOnMissingBean
      LostLeases dimutexLostLeases(ObjectProvider<DimutexProperties> properties) {
        DimutexProperties dimutex = properties.getIfAvailable();
        return new LostLeases(
            Clock.systemUTC(), dimutex != null ? dimutex.getTtl() : Duration.ofSeconds(60));
      }

      @Bean
      @ConditionalOnMissingBean(name = "dimutexHealthIndicator")
      DimutexHealthIndicator dimutexHealthIndicator(
          LockRegistries registries, StoreReachability reachability, LostLeases lostLeases) {
        return new DimutexHealthIndicator(registries, reachability, lostLeases);
      }
    }
  }

  /** The endpoint, read-only unless force-release is enabled, when the actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
      })
  static class LocksConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(endpoint = LocksEndpoint.class)
    static class Available {
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
}
