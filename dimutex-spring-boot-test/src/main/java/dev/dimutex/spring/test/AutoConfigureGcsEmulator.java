package dev.dimutex.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} (or any Spring test context) against the in-JVM GCS emulator: one
 * emulator is started for each test application context, on 127.0.0.1 and a free port, with the
 * bucket created; {@code dimutex.gcs.emulator-host} and {@code dimutex.gcs.bucket} point the
 * starter at it; and it stops when the context closes, after the lock registry has released its
 * leases. No Docker, no {@code @DynamicPropertySource}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureGcsEmulator
 * class OrderServiceTests {
 *   @Autowired OrderService orders;
 *   @Autowired GcsEmulator emulator; // for fault injection and the request log
 * }
 * }</pre>
 *
 * <p>The emulator is a bean of type {@link dev.dimutex.emulator.GcsEmulator}. Test classes with the
 * same annotation attributes (and otherwise the same configuration) share the cached context, and
 * hence its emulator and its lock objects.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureGcsEmulator {

  /** The bucket used when neither this annotation nor {@code dimutex.gcs.bucket} names one. */
  String DEFAULT_BUCKET = "test-bucket";

  /**
   * The bucket to create and to set as {@code dimutex.gcs.bucket}. Empty (the default) means the
   * test's {@code dimutex.gcs.bucket} if it sets one, else {@value #DEFAULT_BUCKET}.
   *
   * @return the bucket name, or empty
   */
  String bucket() default "";
}
