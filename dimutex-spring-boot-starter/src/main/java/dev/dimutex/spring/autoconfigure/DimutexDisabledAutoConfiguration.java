package dev.dimutex.spring.autoconfigure;

import dev.dimutex.LockRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With {@code dimutex.enabled=false}: no Google Cloud Storage, no {@code @DistributedLock} advice,
 * and a {@link LockRegistry} bean that refuses every lock with a message naming the property, so
 * that beans which inject a registry still start.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "dimutex", name = "enabled", havingValue = "false")
public class DimutexDisabledAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexDisabledAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(LockRegistry.class)
  LockRegistry dimutexDisabledLockRegistry() {
    return new DisabledLockRegistry();
  }
}
