package dev.dimutex.sample;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample application, under {@code sample.*}. The embedded emulator is configured
 * by {@code sample.embedded-emulator} and {@code sample.embedded-emulator-port}, read by {@link
 * EmbeddedEmulatorInitializer} before the context starts.
 *
 * @param instanceId the name this instance uses in its logs and responses; defaults to {@code
 *     pid-<process id>}. Give each instance its own when running several.
 * @param report the scheduled report job
 * @param orders the per-order REST work
 * @param migration the long migration job
 */
@ConfigurationProperties("sample")
public record SampleProperties(
    @Nullable String instanceId,
    @DefaultValue Report report,
    @DefaultValue Orders orders,
    @DefaultValue Migration migration) {

  /**
   * Fills in the default instance id.
   *
   * @param instanceId see the record description
   * @param report see the record description
   * @param orders see the record description
   * @param migration see the record description
   */
  public SampleProperties {
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = "pid-" + ProcessHandle.current().pid();
    }
  }

  /**
   * Returns the instance id, never blank.
   *
   * @return the instance id
   */
  public String instance() {
    return instanceId == null ? "unknown" : instanceId;
  }

  /**
   * The scheduled report job.
   *
   * @param cron when every instance tries to run it (Spring cron, with seconds); all instances fire
   *     at the same moment and exactly one of them runs the job
   * @param work how long one run takes
   * @param holdAtLeast how long the lock stays held at least, counted from the start of a run; read
   *     by the annotation on {@link ReportJob#generate()}
   */
  public record Report(
      @DefaultValue("*/10 * * * * *") String cron,
      @DefaultValue("2s") Duration work,
      @DefaultValue("5s") Duration holdAtLeast) {}

  /**
   * The per-order work behind {@code POST /orders/{id}/process}.
   *
   * @param work how long processing one order takes while holding its lock
   */
  public record Orders(@DefaultValue("1s") Duration work) {}

  /**
   * The long migration job behind {@code POST /migration}.
   *
   * @param steps how many steps it has; it checks its lease before each
   * @param stepDuration how long one step takes
   */
  public record Migration(
      @DefaultValue("5") int steps, @DefaultValue("500ms") Duration stepDuration) {}
}
