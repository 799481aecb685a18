package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.actuate.DimutexMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** Registers {@link DimutexMetrics} when Micrometer and a {@link MeterRegistry} are present. */
@AutoConfiguration(
    before = DimutexAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = "dimutex",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class DimutexMetricsAutoConfiguration {

  /** Creates the configuration; called by Spring. */
  public DimutexMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  DimutexMetrics dimutexMetrics(MeterRegistry registry) {
    return new DimutexMetrics(registry);
  }
}
