package dev.dimutex.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Gives a {@code @SpringBootTest} a {@link dev.dimutex.LockRegistry} whose locks live in the test's
 * JVM ({@link InMemoryLockRegistries}): no bucket, no emulator, no Google Cloud. Beans that inject
 * {@code LockRegistry} start, and {@code @DistributedLock} methods still lock, against each other
 * within the test. The GCS registry of the starter backs off.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(InMemoryLocksAutoConfiguration.class)
public @interface AutoConfigureInMemoryLocks {}
