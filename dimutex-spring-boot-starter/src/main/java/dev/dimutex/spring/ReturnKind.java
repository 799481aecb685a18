package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Nullness;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/** How a locked method's result is held and what a skipped call returns. */
enum ReturnKind {
  /** {@code void}: released on return; skipped calls return nothing. */
  VOID(true),
  /** {@code Optional}: released on return; skipped calls return {@code Optional.empty()}. */
  OPTIONAL(true),
  /** A reference declared nullable: released on return; skipped calls return {@code null}. */
  NULLABLE(true),
  /** A {@code CompletionStage}: released when the stage completes; cannot be skipped. */
  STAGE(false),
  /** A Reactor {@code Mono}: held from subscription to termination; skipped as {@code empty()}. */
  MONO(true),
  /** A Reactor {@code Flux}: held from subscription to termination; skipped as {@code empty()}. */
  FLUX(true),
  /** Another reactive type, which would be released before subscription: rejected at start. */
  UNSUPPORTED_REACTIVE(false),
  /** Any other value: released on return; cannot be skipped. */
  OTHER(false);

  static final boolean REACTOR_PRESENT =
      ClassUtils.isPresent("reactor.core.publisher.Mono", ReturnKind.class.getClassLoader());

  /** Deferred types known by name, so that they are recognised without their adapters. */
  private static final Set<String> REACTIVE_TYPE_NAMES =
      Set.of(
          "org.reactivestreams.Publisher",
          "kotlinx.coroutines.flow.Flow",
          "kotlinx.coroutines.Deferred",
          "io.reactivex.rxjava3.core.Observable",
          "io.reactivex.rxjava3.core.Flowable",
          "io.reactivex.rxjava3.core.Single",
          "io.reactivex.rxjava3.core.Maybe",
          "io.reactivex.rxjava3.core.Completable",
          "io.smallrye.mutiny.Uni",
          "io.smallrye.mutiny.Multi");

  final boolean skippable;

  ReturnKind(boolean skippable) {
    this.skippable = skippable;
  }

  static ReturnKind of(Method method) {
    Class<?> type = method.getReturnType();
    if (type == void.class || type == Void.class) {
      return lastParameterIsContinuation(method) ? UNSUPPORTED_REACTIVE : VOID;
    }
    if (type == Optional.class) {
      return OPTIONAL;
    }
    if (CompletionStage.class.isAssignableFrom(type)) {
      return STAGE;
    }
    if (REACTOR_PRESENT) {
      ReturnKind reactor = ReactorTypes.kindOf(type);
      if (reactor != null) {
        return reactor;
      }
    }
    if (isOtherReactiveType(type) || lastParameterIsContinuation(method)) {
      return UNSUPPORTED_REACTIVE;
    }
    if (!type.isPrimitive() && Nullness.forMethodReturnType(method) == Nullness.NULLABLE) {
      return NULLABLE;
    }
    return OTHER;
  }

  private static boolean isOtherReactiveType(Class<?> type) {
    if (Flow.Publisher.class.isAssignableFrom(type) || hasReactiveSupertype(type)) {
      return true;
    }
    return REACTOR_PRESENT && ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null;
  }

  private static boolean hasReactiveSupertype(Class<?> type) {
    if (REACTIVE_TYPE_NAMES.contains(type.getName())) {
      return true;
    }
    Class<?> superclass = type.getSuperclass();
    if (superclass != null && hasReactiveSupertype(superclass)) {
      return true;
    }
    for (Class<?> implemented : type.getInterfaces()) {
      if (hasReactiveSupertype(implemented)) {
        return true;
      }
    }
    return false;
  }

  /** A Kotlin {@code suspend} function, which completes after the proxy has returned. */
  private static boolean lastParameterIsContinuation(Method method) {
    Class<?>[] types = method.getParameterTypes();
    return types.length > 0
        && types[types.length - 1].getName().equals("kotlin.coroutines.Continuation");
  }

  /** Touches Reactor types only when Reactor is present. */
  private static final class ReactorTypes {
    static @Nullable ReturnKind kindOf(Class<?> type) {
      if (type == reactor.core.publisher.Mono.class) {
        return MONO;
      }
      if (type == reactor.core.publisher.Flux.class) {
        return FLUX;
      }
      return null;
    }
  }
}
