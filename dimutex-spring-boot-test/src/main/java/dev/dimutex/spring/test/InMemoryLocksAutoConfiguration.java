package dev.dimutex.spring.test;

import dev.dimutex.InspectableLockRegistry;
import dev.dimutex.LockRegistry;
import dev.dimutex.spring.autoconfigure.DimutexAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexDisabledAutoConfiguration;
import dev.dimutex.spring.autoconfigure.DimutexEmulatorStorageAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The in-memory {@link LockRegistry} of {@link AutoConfigureInMemoryLocks}. Runs before the
 * starter's auto-configuration, whose GCS registry then backs off.
 */
@AutoConfiguration(
    before = {
      DimutexAutoConfiguration.class,
      DimutexEmulatorStorageAutoConfiguration.class,
      DimutexDisabledAutoConfiguration.class
    })
public class InMemoryLocksAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public InMemoryLocksAutoConfiguration() {}

  /**
   * The registry, closed with the context.
   *
   * @return an in-memory registry
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(LockRegistry.class)
  public InspectableLockRegistry dimutexInMemoryLockRegistry() {
    return InMemoryLockRegistries.create();
  }
}
