package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.LockRegistries;
import dev.dimutex.spring.integration.DimutexIntegrationLockRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code spring-integration-core} on the classpath, a Spring Integration {@code LockRegistry}
 * backed by dimutex, unless the application defines one.
 */
@AutoConfiguration(after = DimutexAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.integration.support.locks.LockRegistry")
@ConditionalOnBean(LockRegistries.class)
public class DimutexIntegrationAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexIntegrationAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(org.springframework.integration.support.locks.LockRegistry.class)
  DimutexIntegrationLockRegistry dimutexIntegrationLockRegistry(LockRegistries registries) {
    return new DimutexIntegrationLockRegistry(registries);
  }
}
