package dev.dimutex.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.sample.OrderService;
import dev.dimutex.sample.SampleApplication;
import dev.dimutex.spring.test.AutoConfigureGcsEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

// --- README: a @SpringBootTest on the emulator (dimutex-spring-boot-test, test scope) ---
@SpringBootTest(
    classes = SampleApplication.class,
    properties = {"sample.embedded-emulator=false", "sample.orders.work=0s"})
@AutoConfigureGcsEmulator
class ReadmeSpringBootTestExampleTest {

  @Autowired OrderService orders;
  @Autowired GcsEmulator emulator; // started for this test context, stopped with it

  @Test
  void anOrderIsProcessedUnderItsOwnLockOnTheEmulator() {
    OrderService.OrderResult result = orders.process("42", System.nanoTime());

    assertThat(result.lock()).isEqualTo("order-42");
    assertThat(emulator.requestLog().entries())
        .extracting(entry -> entry.request().object())
        .contains("locks/order-42");
  }
}
