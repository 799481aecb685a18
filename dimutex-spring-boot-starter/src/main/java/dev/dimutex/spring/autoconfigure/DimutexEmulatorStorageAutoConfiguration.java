package dev.dimutex.spring.autoconfigure;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.spring.autoconfigure.storage.GcpStorageAutoConfiguration;
import com.google.cloud.spring.core.GcpProjectIdProvider;
import com.google.cloud.storage.Storage;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * When {@code STORAGE_EMULATOR_HOST} or {@code dimutex.gcs.emulator-host} is set, makes the
 * application's {@link Storage} bean a client of that emulator, without credentials, as the Go,
 * Python and Node GCS clients do for that variable. It runs before spring-cloud-gcp's storage
 * auto-configuration, whose own {@code Storage} bean (which needs Google credentials) then backs
 * off. An application that defines its own {@code Storage} bean keeps it.
 *
 * <p>It also runs before spring-cloud-gcp's core auto-configuration and gives it a {@code
 * CredentialsProvider} of no credentials and a project id, so that it neither looks up Application
 * Default Credentials (which logs "No core credentials are set" with a stack trace on a machine
 * without them) nor probes the Compute Engine metadata server. An application that defines either
 * bean, or names credentials with {@code spring.cloud.gcp.credentials.location} or {@code
 * spring.cloud.gcp.credentials.encoded-key} (for other Google Cloud services), keeps them.
 */
@AutoConfiguration(
    before = GcpStorageAutoConfiguration.class,
    beforeName = "com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration")
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

  /** No credentials for spring-cloud-gcp's core, unless the application names some. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "com.google.api.gax.core.NoCredentialsProvider")
  @Conditional(NoExplicitCredentials.class)
  static class EmulatorCredentialsConfiguration {

    @Bean
    @ConditionalOnMissingBean(CredentialsProvider.class)
    CredentialsProvider dimutexEmulatorCredentialsProvider() {
      return NoCredentialsProvider.create();
    }
  }

  /** A project id for spring-cloud-gcp's core that needs no lookup. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "com.google.cloud.spring.core.GcpProjectIdProvider")
  static class EmulatorProjectIdConfiguration {

    @Bean
    @ConditionalOnMissingBean(GcpProjectIdProvider.class)
    GcpProjectIdProvider dimutexEmulatorProjectIdProvider(Environment environment) {
      String projectId =
          environment.getProperty(
              "spring.cloud.gcp.project-id",
              environment.getProperty("dimutex.gcs.emulator-project-id", "dimutex-emulator"));
      return () -> projectId;
    }
  }

  /** Matches unless spring-cloud-gcp's core credentials are named by a property. */
  static class NoExplicitCredentials extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment environment = context.getEnvironment();
      for (String property :
          List.of(
              "spring.cloud.gcp.credentials.location",
              "spring.cloud.gcp.credentials.encoded-key")) {
        String value = environment.getProperty(property);
        if (value != null && !value.isBlank()) {
          return ConditionOutcome.noMatch(property + " is set");
        }
      }
      return ConditionOutcome.match("no spring.cloud.gcp.credentials.* property is set");
    }
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
