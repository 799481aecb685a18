package dev.dimutex.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample application. By default it starts an embedded GCS emulator (see {@link
 * EmbeddedEmulatorInitializer}), so it needs no cloud account and no Docker.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

  /** Creates the application; Spring calls this. */
  public SampleApplication() {}

  /**
   * Starts the application.
   *
   * @param args command-line arguments, e.g. {@code --server.port=8081 --sample.instance-id=B}
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
