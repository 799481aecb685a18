package dev.dimutex.spring.autoconfigure;

import com.google.cloud.spring.autoconfigure.storage.GcpStorageAutoConfiguration;
import com.google.cloud.storage.Storage;
import dev.dimutex.LockConfigurationException;
import dev.dimutex.LockException;
import dev.dimutex.LockListener;
import dev.dimutex.LockRegistry;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.DistributedLockObserver;
import dev.dimutex.spring.DistributedLocking;
import dev.dimutex.spring.LockRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configures dimutex from {@code dimutex.*}: a {@link LockRegistry} on Google Cloud Storage
 * (or on the emulator named by {@code dimutex.gcs.emulator-host} or {@code STORAGE_EMULATOR_HOST}),
 * the {@link LockRegistries} behind the annotation, and the {@code @DistributedLock} advisor. Every
 * bean backs off when the application defines one of the same type.
 */
@AutoConfiguration(after = GcpStorageAutoConfiguration.class)
@ConditionalOnClass({GcsLockRegistry.class, Storage.class})
@ConditionalOnProperty(
    prefix = "dimutex",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(DimutexProperties.class)
@Import(DimutexAutoConfiguration.AutoProxyRegistrar.class)
public class DimutexAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DimutexAutoConfiguration.class);

  /** Creates the configuration; called by Spring. */
  public DimutexAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean({GcsRegistryFactory.class, LockRegistry.class})
  GcsRegistryFactory dimutexGcs(
      DimutexProperties properties,
      ObjectProvider<Storage> storage,
      ObjectProvider<LockListener> listeners,
      Environment environment) {
    String bucket = DimutexPropertiesValidator.validate(properties);
    GcsStorageFactory client =
        GcsStorageFactory.create(
            properties.getGcs(),
            storage.getIfUnique(),
            environment.getProperty(GcsStorageFactory.EMULATOR_ENV));
    return new GcsRegistryFactory(client, bucket, properties, listeners.orderedStream().toList());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(LockRegistry.class)
  GcsLockRegistry dimutexLockRegistry(GcsRegistryFactory gcs, DimutexProperties properties) {
    GcsLockRegistry registry = gcs.build(null, properties.getOwnerId());
    if (properties.getGcs().isVerifyOnStartup()) {
      try {
        registry.verifyAccess();
      } catch (LockException e) {
        registry.close();
        String emulator = gcs.storage().emulatorUrl();
        if (emulator != null && !(e instanceof LockConfigurationException)) {
          throw new DimutexStartupException(
              "The GCS emulator at "
                  + emulator
                  + " is not running or cannot be reached: "
                  + e.getMessage(),
              "Start the emulator (java -jar dimutex-gcs-emulator.jar --port <port> --bucket "
                  + gcs.bucket()
                  + "), or point dimutex.gcs.emulator-host or STORAGE_EMULATOR_HOST at a running"
                  + " one. In a @SpringBootTest, @AutoConfigureGcsEmulator (dimutex-spring-boot-test)"
                  + " starts one for the test context. To start without this check, set"
                  + " dimutex.gcs.verify-on-startup=false.",
              e);
        }
        throw e;
      }
    }
    log.info(
        "dimutex lock registry: bucket '{}', prefix '{}', ttl {}, owner {}",
        registry.bucket(),
        registry.prefix(),
        registry.ttl(),
        registry.ownerId());
    return registry;
  }

  @Bean
  @ConditionalOnMissingBean
  LockRegistries dimutexLockRegistries(
      LockRegistry registry, ObjectProvider<GcsRegistryFactory> gcs) {
    return new DefaultLockRegistries(registry, gcs.getIfAvailable());
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnMissingBean
  static DistributedLocking dimutexLocking(
      ObjectProvider<LockRegistries> registries,
      ObjectProvider<DistributedLockObserver> observers,
      Environment environment) {
    // Bound here rather than injected: advisors are created while bean post-processors are still
    // being registered, too early for @ConfigurationProperties beans.
    AnnotationProperties defaults =
        Binder.get(environment)
            .bind("dimutex.annotation", AnnotationProperties.class)
            .orElseGet(AnnotationProperties::new);
    DimutexPropertiesValidator.validateAnnotationDefaults(defaults);
    return new DistributedLocking(
        registries, observers, defaults.getWaitFor(), defaults.getOnHeld(), defaults.getMode());
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnProperty(
      prefix = "dimutex.annotation",
      name = "mode",
      havingValue = "proxy",
      matchIfMissing = true)
  static Advisor dimutexLockAdvisor(DistributedLocking locking) {
    return locking.advisor();
  }

  /** Makes sure an auto-proxy creator exists, so that the advisor is applied. */
  static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    }
  }
}
