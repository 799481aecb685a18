package dev.dimutex.sample;

import dev.dimutex.emulator.GcsEmulator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an in-process GCS emulator before the dimutex starter builds its {@code Storage}, and
 * points the starter at it through {@code dimutex.gcs.emulator-host}. This is what lets the sample
 * run with one command, with no cloud account and no Docker.
 *
 * <p>Registered in {@code META-INF/spring.factories}. It starts nothing when an emulator is already
 * configured through the {@code STORAGE_EMULATOR_HOST} environment variable or {@code
 * dimutex.gcs.emulator-host}, or when {@code sample.embedded-emulator=false} (the {@code gcs}
 * profile sets that: real Google Cloud Storage). On either emulator the starter keeps
 * spring-cloud-gcp from looking up Google credentials, so nothing here turns it off. The emulator
 * listens on 127.0.0.1, on {@code sample.embedded-emulator-port} (default 0: a free port), with the
 * bucket {@code dimutex.gcs.bucket} created. It is registered as a bean named {@value #BEAN_NAME}
 * and stopped after every other bean when the context closes, so that the lock registry can still
 * release its leases on shutdown; it is also stopped if the application fails to start.
 */
public final class EmbeddedEmulatorInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /** The name of the emulator bean in the application context. */
  public static final String BEAN_NAME = "embeddedGcsEmulator";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedEmulatorInitializer.class);

  /** Creates the initializer; Spring Boot calls this. */
  public EmbeddedEmulatorInitializer() {}

  /**
   * Starts the emulator unless it is switched off or an external one is configured.
   *
   * @param context the application context about to be refreshed
   * @throws IllegalStateException if the context's bean factory cannot take a destroy callback
   */
  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment environment = context.getEnvironment();
    String external =
        firstNonBlank(environment, "dimutex.gcs.emulator-host", "STORAGE_EMULATOR_HOST");
    if (external != null) {
      log.info("Using the GCS emulator at {}; not starting the embedded one", external);
      return;
    }
    if (!environment.getProperty("sample.embedded-emulator", Boolean.class, true)) {
      log.info("Embedded GCS emulator off (sample.embedded-emulator=false): using Google Cloud");
      return;
    }
    int port = environment.getProperty("sample.embedded-emulator-port", Integer.class, 0);
    GcsEmulator.Builder builder = GcsEmulator.builder().host("127.0.0.1").port(port);
    String bucket = environment.getProperty("dimutex.gcs.bucket");
    if (bucket != null && !bucket.isBlank()) {
      builder.bucket(bucket);
    }
    GcsEmulator emulator = builder.start();
    Runnable stop = stopOnce(emulator);
    try {
      environment
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  BEAN_NAME, Map.of("dimutex.gcs.emulator-host", emulator.baseUrl())));
      ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
      if (!(beanFactory instanceof DefaultSingletonBeanRegistry registry)) {
        throw new IllegalStateException(
            "Cannot register the embedded GCS emulator for shutdown with " + beanFactory);
      }
      beanFactory.registerSingleton(BEAN_NAME, emulator);
      // Registered before any other bean, hence destroyed after all of them.
      registry.registerDisposableBean(BEAN_NAME, stop::run);
      context.addApplicationListener(
          event -> {
            if (event instanceof ApplicationFailedEvent) {
              stop.run();
            }
          });
    } catch (RuntimeException e) {
      stop.run();
      throw e;
    }
    log.info(
        "Embedded GCS emulator listening on {} with bucket '{}' (no GCP account needed)",
        emulator.baseUrl(),
        bucket);
  }

  private static @Nullable String firstNonBlank(
      ConfigurableEnvironment environment, String... keys) {
    for (String key : keys) {
      String value = environment.getProperty(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static Runnable stopOnce(GcsEmulator emulator) {
    AtomicBoolean stopped = new AtomicBoolean();
    return () -> {
      if (stopped.compareAndSet(false, true)) {
        emulator.close();
        log.info("Embedded GCS emulator stopped");
      }
    };
  }
}
