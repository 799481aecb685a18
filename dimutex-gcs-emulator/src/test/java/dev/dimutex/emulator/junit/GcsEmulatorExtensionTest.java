package dev.dimutex.emulator.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.dimutex.emulator.GcsEmulator;
import dev.dimutex.emulator.Operation;
import dev.dimutex.emulator.RequestMatcher;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(GcsEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GcsEmulatorExtensionTest {

  @Test
  @Order(1)
  @Tag("C-EMU-11")
  void injectsARunningEmulatorWithTheDefaultBucketAndAClient(
      GcsEmulator emulator, Storage storage) {
    assertThat(emulator.baseUrl()).isEqualTo("http://127.0.0.1:" + emulator.port());
    assertThat(storage.get(GcsEmulatorExtension.DEFAULT_BUCKET)).isNotNull();

    storage.create(
        BlobInfo.newBuilder(GcsEmulatorExtension.DEFAULT_BUCKET, "kept").build(), new byte[] {1});
    emulator.faults().failNext(5, 503, RequestMatcher.any());
  }

  @Test
  @Order(2)
  @Tag("C-EMU-11")
  void faultsAndTheLogAreClearedBeforeEachTestButObjectsPersist(
      GcsEmulator emulator, Storage storage) {
    assertThat(emulator.requestLog().entries()).isEmpty();

    assertThat(storage.get(GcsEmulatorExtension.DEFAULT_BUCKET, "kept")).isNotNull();
    assertThat(emulator.requestLog().count(Operation.OBJECT_GET)).isEqualTo(1);
  }

  @Nested
  class NestedTests {
    @Test
    @Tag("C-EMU-11")
    void shareTheEnclosingClassesEmulator(GcsEmulator emulator, Storage storage) {
      assertThat(storage.get(GcsEmulatorExtension.DEFAULT_BUCKET, "kept")).isNotNull();
      assertThat(emulator.requestLog().count(Operation.OBJECT_GET)).isEqualTo(1);
    }
  }
}
