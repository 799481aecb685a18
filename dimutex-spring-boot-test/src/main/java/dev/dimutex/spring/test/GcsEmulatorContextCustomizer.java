package dev.dimutex.spring.test;

import dev.dimutex.emulator.GcsEmulator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a GCS emulator for one test application context and points dimutex at it. Equal
 * customizers (same bucket attribute) let the test framework reuse a cached context.
 */
final class GcsEmulatorContextCustomizer implements ContextCustomizer {

  /** The name of the emulator bean. */
  static final String BEAN_NAME = "dimutexTestGcsEmulator";

  private final String bucket;

  GcsEmulatorContextCustomizer(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    ConfigurableEnvironment environment = context.getEnvironment();
    String name = bucket;
    if (name.isBlank()) {
      name = environment.getProperty("dimutex.gcs.bucket", AutoConfigureGcsEmulator.DEFAULT_BUCKET);
    }
    GcsEmulator emulator = GcsEmulator.builder().host("127.0.0.1").bucket(name).start();
    Runnable stop = stopOnce(emulator);
    try {
      environment
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  BEAN_NAME,
                  Map.of(
                      "dimutex.gcs.emulator-host",
                      emulator.baseUrl(),
                      "dimutex.gcs.bucket",
                      name)));
      ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
      if (!(beanFactory instanceof DefaultSingletonBeanRegistry registry)) {
        throw new IllegalStateException(
            "Cannot register the GCS emulator for shutdown with " + beanFactory);
      }
      beanFactory.registerSingleton(BEAN_NAME, emulator);
      // Registered before any other bean, hence destroyed after all of them: the lock registry
      // still releases its leases on the running emulator.
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
  }

  private static Runnable stopOnce(GcsEmulator emulator) {
    AtomicBoolean stopped = new AtomicBoolean();
    return () -> {
      if (stopped.compareAndSet(false, true)) {
        emulator.close();
      }
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GcsEmulatorContextCustomizer that && bucket.equals(that.bucket);
  }

  @Override
  public int hashCode() {
    return bucket.hashCode();
  }
}
