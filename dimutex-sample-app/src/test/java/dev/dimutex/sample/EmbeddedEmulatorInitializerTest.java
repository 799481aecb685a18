package dev.dimutex.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.emulator.GcsEmulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

class EmbeddedEmulatorInitializerTest {

  private final MockEnvironment environment =
      new MockEnvironment().withProperty("dimutex.gcs.bucket", "dimutex-sample");
  private final GenericApplicationContext context = new GenericApplicationContext();

  {
    context.setEnvironment(environment);
  }

  @Nested
  class ByDefault {

    @Test
    void startsAnEmulatorAndPointsDimutexAtIt() {
      new EmbeddedEmulatorInitializer().initialize(context);
      context.refresh();
      try {
        GcsEmulator emulator =
            context.getBean(EmbeddedEmulatorInitializer.BEAN_NAME, GcsEmulator.class);

        assertThat(environment.getProperty("dimutex.gcs.emulator-host"))
            .isEqualTo(emulator.baseUrl());
        assertThat(accepts(emulator.port())).isTrue();
        assertThat(environment.getProperty("spring.cloud.gcp.storage.enabled")).isNull();
      } finally {
        context.close();
      }
    }

    @Test
    void stopsTheEmulatorWhenTheContextCloses() {
      new EmbeddedEmulatorInitializer().initialize(context);
      context.refresh();
      int port = context.getBean(GcsEmulator.class).port();

      context.close();

      assertThat(accepts(port)).isFalse();
    }

    @Test
    void stopsTheEmulatorWhenTheContextFailsToStart() {
      new EmbeddedEmulatorInitializer().initialize(context);
      int port =
          Integer.parseInt(
              environment.getRequiredProperty("dimutex.gcs.emulator-host").replaceAll(".*:", ""));
      context.registerBean(
          "broken",
          Object.class,
          () -> {
            throw new IllegalStateException("broken bean");
          });

      assertThatThrownBy(context::refresh).isInstanceOf(BeanCreationException.class);
      assertThat(accepts(port)).isFalse();
    }
  }

  @Nested
  class WithAnExternalEmulator {

    @Test
    void startsNoEmulatorWhenStorageEmulatorHostIsSet() {
      environment.setProperty("STORAGE_EMULATOR_HOST", "127.0.0.1:9023");

      new EmbeddedEmulatorInitializer().initialize(context);

      assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorInitializer.BEAN_NAME))
          .isFalse();
      assertThat(environment.getProperty("dimutex.gcs.emulator-host")).isNull();
      assertThat(environment.getProperty("spring.cloud.gcp.core.enabled")).isNull();
    }

    @Test
    void startsNoEmulatorWhenTheDimutexEmulatorHostIsSet() {
      environment.setProperty("dimutex.gcs.emulator-host", "http://127.0.0.1:9023");

      new EmbeddedEmulatorInitializer().initialize(context);

      assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorInitializer.BEAN_NAME))
          .isFalse();
      assertThat(environment.getProperty("dimutex.gcs.emulator-host"))
          .isEqualTo("http://127.0.0.1:9023");
    }
  }

  @Nested
  class SwitchedOff {

    @Test
    void startsNothingAndLeavesGoogleCloudClientsOn() {
      environment.setProperty("sample.embedded-emulator", "false");

      new EmbeddedEmulatorInitializer().initialize(context);

      assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorInitializer.BEAN_NAME))
          .isFalse();
      assertThat(environment.getProperty("spring.cloud.gcp.storage.enabled")).isNull();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
