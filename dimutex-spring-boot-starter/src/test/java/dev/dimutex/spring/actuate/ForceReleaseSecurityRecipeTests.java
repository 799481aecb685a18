package dev.dimutex.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.dimutex.Lease;
import dev.dimutex.LockLostException;
import dev.dimutex.LockRegistry;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.gcs.GcsLockRegistry;
import dev.dimutex.spring.TestEmulator;
import dev.dimutex.testing.Claim;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** The README's Spring Security recipe for force-release, exactly as written there. */
@SpringBootTest(
    properties = {
      "spring.autoconfigure.exclude=",
      "dimutex.gcs.bucket=" + TestEmulator.BUCKET,
      "dimutex.gcs.prefix=security-recipe/",
      "dimutex.actuator.force-release-enabled=true",
      "management.endpoints.web.exposure.include=health,locks"
    })
class ForceReleaseSecurityRecipeTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {

    // --- README: securing force-release ---
    @Bean
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
      http.securityMatcher(EndpointRequest.toAnyEndpoint())
          .authorizeHttpRequests(
              requests ->
                  requests
                      .requestMatchers(EndpointRequest.to("locks").withHttpMethod(HttpMethod.POST))
                      .hasRole("ACTUATOR_ADMIN")
                      .requestMatchers(EndpointRequest.to("health"))
                      .permitAll()
                      .anyRequest()
                      .authenticated())
          .httpBasic(Customizer.withDefaults())
          // Scripts call the actuator with HTTP Basic, not with a browser session cookie, so
          // there is no CSRF token to send: without this line every POST answers 403.
          .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()));
      return http.build();
    }

    // --- end of README ---

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}ops-secret").roles("ACTUATOR_ADMIN").build(),
          User.withUsername("viewer").password("{noop}viewer-secret").roles("VIEWER").build());
    }
  }

  private static LockRegistry otherInstance;

  @Autowired WebApplicationContext context;

  @DynamicPropertySource
  static void emulator(DynamicPropertyRegistry properties) {
    properties.add("dimutex.gcs.emulator-host", TestEmulator::hostPort);
  }

  private MockMvc mvc;

  @BeforeAll
  static void startOtherInstance() {
    otherInstance =
        GcsLockRegistry.builder(EmulatorStorage.create(TestEmulator.get()), TestEmulator.BUCKET)
            .prefix("security-recipe/")
            .build();
  }

  @AfterAll
  static void stopOtherInstance() {
    otherInstance.close();
  }

  @BeforeEach
  void mockMvc() {
    mvc =
        MockMvcBuilders.webAppContextSetup(context)
            .apply(SecurityMockMvcConfigurers.springSecurity())
            .build();
  }

  @Test
  void anOperatorForceReleasesWithHttpBasicAndNoCsrfToken() throws Exception {
    Lease stuck = otherInstance.obtain("stuck/job").acquire(Duration.ofSeconds(5));
    mvc.perform(post("/actuator/locks/stuck/job").with(httpBasic("ops", "ops-secret")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.forceReleased").value(true))
        .andExpect(jsonPath("$.fencingToken").value(stuck.fencingToken()));
    assertThat(otherInstance.obtain("stuck/job").isLocked()).isFalse();
    try {
      stuck.release();
    } catch (LockLostException expected) {
      // the holder learns that its lock was taken away
    }
  }

  @Test
  void forceReleasingALockThatDoesNotExistAnswersFalse() throws Exception {
    mvc.perform(post("/actuator/locks/never-taken").with(httpBasic("ops", "ops-secret")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.forceReleased").value(false));
  }

  @Test
  @Claim("C-SEC-4")
  void aUserWithoutTheRoleIsForbidden() throws Exception {
    Lease held = otherInstance.obtain("kept").acquire(Duration.ofSeconds(5));
    try {
      mvc.perform(post("/actuator/locks/kept").with(httpBasic("viewer", "viewer-secret")))
          .andExpect(status().isForbidden());
      assertThat(otherInstance.obtain("kept").isLocked()).isTrue();
    } finally {
      held.release();
    }
  }

  @Test
  @Claim("C-SEC-4")
  void anAnonymousCallerMustAuthenticate() throws Exception {
    mvc.perform(post("/actuator/locks/kept")).andExpect(status().isUnauthorized());
  }

  @Test
  void readingTheEndpointNeedsAnyAuthenticatedUserAndHealthNone() throws Exception {
    mvc.perform(get("/actuator/locks").with(httpBasic("viewer", "viewer-secret")))
        .andExpect(status().isOk());
    mvc.perform(get("/actuator/health")).andExpect(status().isOk());
  }
}
