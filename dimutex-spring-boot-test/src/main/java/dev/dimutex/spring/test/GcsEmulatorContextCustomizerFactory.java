package dev.dimutex.spring.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registers a {@link GcsEmulatorContextCustomizer} for test classes annotated with {@link
 * AutoConfigureGcsEmulator}. Listed in {@code META-INF/spring.factories}.
 */
final class GcsEmulatorContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    AutoConfigureGcsEmulator annotation =
        TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureGcsEmulator.class);
    return annotation == null ? null : new GcsEmulatorContextCustomizer(annotation.bucket());
  }
}
