package dev.dimutex.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * dimutex-core excludes the GCS client's gRPC transport and its metrics exporter (dimutex uses the
 * JSON API only). This application gets the starter the way users do and must still lock, on its
 * embedded emulator, without any of those jars.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"sample.instance-id=footprint", "sample.report.cron=-"})
class JsonApiOnlyClasspathTest {

  @Autowired LockRegistry registry;

  @ParameterizedTest(name = "{0} is not on the classpath")
  @ValueSource(
      strings = {
        "io.grpc.internal.ManagedChannelImplBuilder", // grpc-core
        "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder", // grpc-netty-shaded
        "io.grpc.xds.XdsNameResolverProvider", // grpc-xds
        "org.conscrypt.Conscrypt", // conscrypt-openjdk-uber
        "com.google.storage.v2.StorageGrpc", // grpc-google-cloud-storage-v2
        "io.opentelemetry.sdk.OpenTelemetrySdk", // opentelemetry-sdk
        "com.google.cloud.monitoring.v3.MetricServiceClient" // google-cloud-monitoring
      })
  void theGrpcTransportAndItsMetricsExporterAreNotOnTheClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className, false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void anApplicationWithoutThemStillAcquiresRefreshesAndReleasesALock() {
    Mutex mutex = registry.obtain("footprint-json-only");

    try (Lease lease = mutex.tryAcquire().orElseThrow()) {
      lease.refresh();

      assertThat(lease.isHealthy()).isTrue();
      assertThat(mutex.isLocked()).isTrue();
    }
    assertThat(mutex.isLocked()).isFalse();
  }
}
