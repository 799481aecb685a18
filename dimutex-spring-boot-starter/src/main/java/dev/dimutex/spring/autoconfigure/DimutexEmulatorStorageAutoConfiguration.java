package dev.dimutex.spring.autoconfigure;

import com.google.cloud.spring.autoconfigure.storage.GcpStorageAutoConfiguration;
import com.google.cloud.storage.Storage;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * When {@code STORAGE_EMULATOR_HOST} or {@code dimutex.gcs.emulator-host} is set, makes the
 * application's {@link Storage} bean a client of that emulator, without credentials, as the Go,
 * Python and Node GCS clients do for that variable. It runs before spring-cloud-gcp's storage
 * auto-configuration, whose own {@code Storage} bean (which needs Google credentials) then backs
 * off. An application that defines its own {@code Storage} bean keeps it.
 */
@AutoConfiguration(before = GcpStorageAutoConfiguration.class)
@ConditionalOnClass(Storage.class)
@ConditionalOnProperty(
    prefix = "dimutex",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@Conditional(DimutexEmulatorStorageAutoConfiguration.OnEmulatorHost.class)
public class DimutexEmulatorStorageAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexEmulatorStorageAutoConfiguration() {}

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Storage.class)
  Storage dimutexEmulatorStorage(Environment environment) {
    String projectId =
        environment.getProperty("dimutex.gcs.emulator-project-id", "dimutex-emulator");
    return GcsStorageFactory.emulatorStorage(emulatorHost(environment), projectId, "Storage bean");
  }

  private static String emulatorHost(Environment environment) {
    String host = GcsStorageFactory.emulatorHost(environment);
    return host == null ? "" : host;
  }

  /** Matches when an emulator host is configured. */
  static class OnEmulatorHost extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      String host = emulatorHost(context.getEnvironment());
      return host.isBlank()
          ? ConditionOutcome.noMatch(
              "neither dimutex.gcs.emulator-host nor " + GcsStorageFactory.EMULATOR_ENV + " is set")
          : ConditionOutcome.match("GCS emulator host " + host);
    }
  }
}
