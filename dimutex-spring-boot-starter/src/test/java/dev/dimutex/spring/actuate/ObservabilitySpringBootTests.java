package dev.dimutex.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.DistributedLock;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.spring.autoconfigure.DimutexWebAutoConfiguration;
import dev.dimutex.spring.web.LockProblemDetailsHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;

@SpringBootTest(
    properties = {"dimutex.gcs.bucket=" + TestEmulator.BUCKET, "dimutex.gcs.prefix=observed/"})
class ObservabilitySpringBootTests {

  static final SimpleTracer TRACER = new SimpleTracer();

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(TRACER));
      return registry;
    }

    @Bean
    Reports reports() {
      return new Reports();
    }
  }

  @RestController
  static class Reports {
    @GetMapping("/reports/{id}")
    @DistributedLock("report-#{#id}")
    public String build(@PathVariable("id") String id) {
      return "report " + id;
    }
  }

  @DynamicPropertySource
  static void emulator(DynamicPropertyRegistry properties) {
    properties.add("dimutex.gcs.emulator-host", TestEmulator::hostPort);
  }

  private static LockRegistry otherInstance;

  @Autowired WebApplicationContext context;

  private MockMvc mvc;

  @BeforeAll
  static void startOtherInstance() {
    otherInstance =
        GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
            .prefix("observed/")
            .build();
  }

  @AfterAll
  static void stopOtherInstance() {
    otherInstance.close();
  }

  @BeforeEach
  void mockMvc() {
    mvc = MockMvcBuilders.webAppContextSetup(context).build();
    TRACER.getSpans().clear();
  }

  @Test
  void aTraceShowsTheWaitForTheLockAndTheCriticalSectionAsSpans() throws Exception {
    mvc.perform(get("/reports/7")).andExpect(status().isOk());

    assertThat(TRACER.getSpans())
        .filteredOn(span -> span.getName().equals("lock wait report-#{#id}"))
        .singleElement()
        .satisfies(
            span ->
                assertThat(span.getTags())
                    .containsEntry("lock", "report-#{#id}")
                    .containsEntry("outcome", "acquired"));
    assertThat(TRACER.getSpans())
        .filteredOn(span -> span.getName().equals("lock hold report-#{#id}"))
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getTags()).containsEntry("lock", "report-#{#id}");
              assertThat(span.getEndTimestamp()).isAfterOrEqualTo(span.getStartTimestamp());
            });
    assertThat(TRACER.getSpans()).extracting(SimpleSpan::getName).doesNotContain("report-7");
  }

  @Test
  void aLockHeldElsewhereAnswers409WithProblemDetails() throws Exception {
    try (Lease held = otherInstance.obtain("report-8").acquire(Duration.ofSeconds(5))) {
      mvc.perform(get("/reports/8"))
          .andExpect(status().isConflict())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.title").value("Lock held elsewhere"))
          .andExpect(jsonPath("$.status").value(409))
          .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("report-8")));
      assertThat(held.isHealthy()).isTrue();
    }
  }

  @Test
  void problemDetailsCanBeSwitchedOff() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DimutexWebAutoConfiguration.class))
        .withPropertyValues("dimutex.web.problem-details.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(LockProblemDetailsHandler.class));
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DimutexWebAutoConfiguration.class))
        .run(context -> assertThat(context).hasSingleBean(LockProblemDetailsHandler.class));
  }
}
