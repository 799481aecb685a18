package dev.dimutex.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import dev.dimutex.spring.autoconfigure.DimutexWebAutoConfiguration;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import reactor.core.publisher.Mono;

/** The same handler in a WebFlux application, for an error signalled by a {@code Mono}. */
class LockProblemDetailsWebFluxTests {

  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class App {
    @RestController
    static class Jobs {
      @GetMapping("/held")
      Mono<String> held() {
        return Mono.error(new LockTimeoutException("Lock 'nightly' is held elsewhere"));
      }

      @GetMapping("/down")
      Mono<String> down() {
        return Mono.error(
            new StoreUnavailableException("Lock 'nightly': store unavailable", new IOException()));
      }
    }
  }

  private final ReactiveWebApplicationContextRunner runner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DimutexWebAutoConfiguration.class))
          .withUserConfiguration(App.class, App.Jobs.class);

  @Test
  void aLockHeldElsewhereSignalledByAMonoAnswers409ProblemDetails() {
    runner.run(
        context -> {
          WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
          client
              .get()
              .uri("/held")
              .exchange()
              .expectStatus()
              .isEqualTo(409)
              .expectHeader()
              .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
              .expectBody()
              .jsonPath("$.title")
              .isEqualTo("Lock held elsewhere")
              .jsonPath("$.detail")
              .isEqualTo("Lock 'nightly' is held elsewhere");
          client.get().uri("/down").exchange().expectStatus().isEqualTo(503);
        });
  }

  @Test
  void switchedOffTheHandlerIsNotRegistered() {
    runner
        .withPropertyValues("dimutex.web.problem-details.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(LockProblemDetailsHandler.class));
  }
}
