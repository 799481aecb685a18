package dev.dimutex.spring;

import dev.dimutex.Lease;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The lease of the {@link DistributedLock} method whose {@code Mono} or {@code Flux} is running,
 * read from the Reactor context: the reactive counterpart of {@link CurrentLease}, which is bound
 * to a thread and therefore empty inside most reactive operators.
 *
 * <pre>{@code
 * @DistributedLock("report-#{#day}")
 * public Mono<Report> build(LocalDate day) {
 *   return ReactiveCurrentLease.get()
 *       .flatMap(lease -> repository.save(day, lease.fencingToken()));
 * }
 * }</pre>
 *
 * <p>With nested locked publishers, the innermost lease is returned. Needs Reactor on the
 * classpath.
 */
public final class ReactiveCurrentLease {

  /** The context key; its value is an immutable {@link Held}. */
  private static final Object KEY = ReactiveCurrentLease.class;

  /** The leases held by the enclosing locked publishers: the innermost one, and all by name. */
  private record Held(Lease innermost, Map<String, Lease> byName) {}

  private ReactiveCurrentLease() {}

  /**
   * Returns a {@code Mono} of the lease of the innermost locked publisher that this one runs in.
   *
   * @return a {@code Mono} that emits the lease, or fails with {@link IllegalStateException} when
   *     subscribed outside a {@link DistributedLock} method's {@code Mono} or {@code Flux}
   */
  public static Mono<Lease> get() {
    return Mono.deferContextual(
        context ->
            find(context)
                .map(Mono::just)
                .orElseGet(
                    () ->
                        Mono.error(
                            new IllegalStateException(
                                "No @DistributedLock Mono or Flux encloses this subscription;"
                                    + " ReactiveCurrentLease is available only inside one"))));
  }

  /**
   * Returns the lease of the innermost locked publisher, read from a Reactor context (for example
   * in {@code Mono.deferContextual} or {@code transformDeferredContextual}).
   *
   * @param context the subscriber context
   * @return the lease, or empty outside a {@link DistributedLock} method's publisher
   */
  public static Optional<Lease> find(ContextView context) {
    return context.<Held>getOrEmpty(KEY).map(Held::innermost);
  }

  /**
   * Returns the lease of the given lock if an enclosing locked publisher holds it.
   *
   * @param context the subscriber context
   * @param name the resolved lock name
   * @return the lease, or empty if no enclosing locked publisher holds that lock
   */
  public static Optional<Lease> find(ContextView context, String name) {
    return context.<Held>getOrEmpty(KEY).map(held -> held.byName().get(name));
  }

  /** Returns the context with the lease added as the innermost one. */
  static Context with(Context context, Lease lease) {
    Map<String, Lease> byName = new HashMap<>();
    context.<Held>getOrEmpty(KEY).ifPresent(held -> byName.putAll(held.byName()));
    byName.put(lease.name(), lease);
    return context.put(KEY, new Held(lease, Map.copyOf(byName)));
  }
}
