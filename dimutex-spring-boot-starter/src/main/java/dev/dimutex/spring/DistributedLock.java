package dev.dimutex.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Runs a method of a Spring bean under a distributed lock: the lock is acquired before the call,
 * refreshed while it runs and released after it returns or throws.
 *
 * <p><b>Names.</b> The name is a template of literal text, {@code ${...}} placeholders and {@code
 * #{...}} SpEL expressions: {@code "order-#{#id}"}, {@code "#{@tenant.id}-sync"}, {@code
 * "${app.name}-nightly"}. Expressions are evaluated per call with the method's parameters as
 * variables ({@code #id}, or {@code #p0}/{@code #a0}). Placeholders are resolved once, at start,
 * and only in the literal text: a property value is always literal, even if it contains {@code
 * #{...}}, and is never evaluated. Argument values are only ever used as values, never parsed as
 * expressions.
 *
 * <p>Like Spring's {@code @Cacheable} keys, expressions run with the application's privileges: they
 * may call any bean ({@code @beanName}), any method of the arguments and any static member ({@code
 * T(java.lang.Math).abs(#id)}). Write templates as code, never build them from input. A resolved
 * name that breaks an object-name rule fails the call with {@link
 * dev.dimutex.InvalidLockNameException}, naming the template and the method.
 *
 * <p><b>Default name.</b> Without a name, the lock is named after the fully qualified class name
 * and the method name, {@code com.example.billing.Jobs.run}; when the class declares another method
 * of the same name, the parameter types follow, {@code
 * com.example.billing.Jobs.run(java.lang.String,int)} (arrays written {@code java.lang.String...}).
 * Two distinct annotated methods never share a default name. Applications that share a bucket must
 * use distinct {@code dimutex.gcs.prefix} values unless they mean to share locks.
 *
 * <p><b>When the lock is held.</b> The call waits up to {@link #waitFor()}, then follows {@link
 * #onHeld()}: {@link OnHeld#FAIL} (the default) throws {@link dev.dimutex.LockTimeoutException};
 * {@link OnHeld#SKIP} does not run the method, which is allowed only for methods returning {@code
 * void}, {@code Optional}, {@code Mono}, {@code Flux} or a nullable reference, and checked when the
 * application starts.
 *
 * <p><b>When the store cannot be reached.</b> An outage is not contention: when every attempt
 * failed with a store error, {@link OnHeld#FAIL} throws {@link
 * dev.dimutex.StoreUnavailableException} (a {@link dev.dimutex.LockException}, not a {@code
 * LockTimeoutException}) with the last store error as its cause, and {@link OnHeld#SKIP} skips the
 * call with a WARN log line and the metric outcome {@code unavailable}.
 *
 * <p><b>Reentrancy.</b> A call made by a thread that already holds the lock of the same resolved
 * name (a nested call) runs at once under the outer lease; so does a {@code Mono} or {@code Flux}
 * subscribed inside a locked publisher of the same name.
 *
 * <p><b>Asynchronous methods.</b> A method returning {@link java.util.concurrent.CompletableFuture}
 * or {@link java.util.concurrent.CompletionStage} keeps the lock until the returned stage
 * completes; the caller gets a stage that completes after the release.
 *
 * <p><b>Reactive methods.</b> With Reactor on the classpath, a method returning {@code Mono} or
 * {@code Flux} is locked from subscription until the publisher completes, fails or is cancelled:
 * the method runs at subscription, under the lock, and nothing happens for a publisher that is
 * never subscribed. No thread blocks while waiting for the lock; a cancelled subscription abandons
 * the pending acquisition or releases the lock. Inside the pipeline the lease is read with {@link
 * ReactiveCurrentLease}. Other reactive types (RxJava, {@code java.util.concurrent.Flow.Publisher},
 * a plain {@code org.reactivestreams.Publisher}, Kotlin {@code Flow} and {@code suspend} functions)
 * fail the application start.
 *
 * <p><b>Transactions.</b> The lock advice runs outside {@code @Transactional}: the lock is released
 * only after the transaction has committed or rolled back.
 *
 * <p><b>Meta-annotation.</b> The annotation may be placed on an annotation of your own, whose
 * attributes can override it through {@link AliasFor}:
 *
 * <pre>{@code
 * @Retention(RetentionPolicy.RUNTIME)
 * @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
 * @DistributedLock(onHeld = OnHeld.SKIP, holdAtLeast = "1m")
 * public @interface NightlyJob {
 *   @AliasFor(annotation = DistributedLock.class, attribute = "name")
 *   String value() default "";
 * }
 * }</pre>
 *
 * <p><b>Proxies.</b> By default the lock is applied by a Spring AOP proxy: public methods called
 * from another bean. Set {@code dimutex.annotation.mode=aspectj} and weave {@link
 * DistributedLockAspect} to lock self-invocations and non-public methods too.
 *
 * <p>The running method reads its lease through {@link CurrentLease}. Durations accept the Spring
 * Boot forms ({@code "500ms"}, {@code "5s"}, {@code "1m"}) and ISO-8601 ({@code "PT5S"}); all
 * attributes may use {@code ${...}} placeholders. Invalid attributes fail the application start.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLock {

  /**
   * Alias for {@link #name()}.
   *
   * @return the lock name template
   */
  @AliasFor("name")
  String value() default "";

  /**
   * The lock name template; see the type description.
   *
   * @return the lock name template
   */
  @AliasFor("value")
  String name() default "";

  /**
   * How long to wait for a lock held by someone else. Empty means the property {@code
   * dimutex.annotation.wait-for}, which defaults to {@code 0s}: one attempt.
   *
   * @return a duration, or empty for the default
   */
  String waitFor() default "";

  /**
   * What to do when the lock is still held after {@link #waitFor()}.
   *
   * @return the policy; {@link OnHeld#DEFAULT} means the property {@code
   *     dimutex.annotation.on-held} (default {@link OnHeld#FAIL})
   */
  OnHeld onHeld() default OnHeld.DEFAULT;

  /**
   * The lease TTL for this lock, overriding {@code dimutex.ttl}: how long the lock survives a crash
   * of this process. Empty means the registry's TTL.
   *
   * @return a duration, or empty for the default
   */
  String ttl() default "";

  /**
   * The minimum time the lock stays held, counted from its acquisition, even when the method
   * returns sooner; the release is then scheduled without blocking the caller. Use it for scheduled
   * jobs on a fleet whose clocks differ, so that another instance does not run the same job again
   * moments later (like ShedLock's {@code lockAtLeastFor}). Empty means no minimum.
   *
   * @return a duration, or empty for none
   */
  String holdAtLeast() default "";
}
