package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;

/** One annotated method's lock settings, parsed and validated once. */
final class LockMethodSpec {

  final Method method;
  final String description;
  final LockNameTemplate name;
  final Duration waitFor;
  final OnHeld onHeld;
  final @Nullable Duration ttl;
  final @Nullable Duration holdAtLeast;
  final ReturnKind returnKind;

  private LockMethodSpec(
      Method method,
      String description,
      LockNameTemplate name,
      Duration waitFor,
      OnHeld onHeld,
      @Nullable Duration ttl,
      @Nullable Duration holdAtLeast,
      ReturnKind returnKind) {
    this.method = method;
    this.description = description;
    this.name = name;
    this.waitFor = waitFor;
    this.onHeld = onHeld;
    this.ttl = ttl;
    this.holdAtLeast = holdAtLeast;
    this.returnKind = returnKind;
  }

  /**
   * Returns the annotation of a method, directly present or as a meta-annotation (with its
   * {@code @AliasFor} overrides merged), searching interfaces and superclasses.
   */
  static @Nullable DistributedLock findAnnotation(Method method) {
    MergedAnnotation<DistributedLock> merged =
        MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).get(DistributedLock.class);
    return merged.isPresent() ? merged.synthesize() : null;
  }

  static String describe(Method method) {
    StringBuilder sb = new StringBuilder();
    sb.append(method.getDeclaringClass().getName())
        .append('.')
        .append(method.getName())
        .append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
    }
    return sb.append(')').toString();
  }

  /** The template as written (placeholders resolved), the tag of the metrics. */
  String template() {
    return name.text();
  }

  /**
   * Parses and validates the annotation of a method.
   *
   * @throws InvalidLockAnnotationException naming the method and every problem found
   */
  static LockMethodSpec parse(
      Method method,
      DistributedLock annotation,
      UnaryOperator<String> placeholders,
      Duration defaultWaitFor,
      OnHeld defaultOnHeld,
      DistributedLockMode mode) {
    String description = describe(method);
    List<String> problems = new ArrayList<>();
    int modifiers = method.getModifiers();
    if (mode == DistributedLockMode.PROXY && !Modifier.isPublic(modifiers)) {
      problems.add(
          description
              + " is not public: Spring proxies intercept public methods only, so the lock would"
              + " never be taken. Make the method public, or use dimutex.annotation.mode=aspectj"
              + " with AspectJ weaving.");
    }
    if (mode == DistributedLockMode.PROXY
        && (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers))) {
      problems.add(
          description
              + " is static or final: proxies cannot intercept it, so the lock would never be"
              + " taken. Remove the modifier.");
    }

    LockNameTemplate name;
    try {
      name = LockNameTemplate.parse(method, annotation.name(), placeholders);
    } catch (IllegalArgumentException e) {
      problems.add(problem(description, "lock name template", annotation.name(), e.getMessage()));
      name = LockNameTemplate.parse(method, "", UnaryOperator.identity());
    }

    Duration waitFor =
        annotation.waitFor().isBlank()
            ? defaultWaitFor
            : duration(placeholders, annotation.waitFor(), "waitFor", description, problems, true);
    OnHeld onHeld = annotation.onHeld() == OnHeld.DEFAULT ? defaultOnHeld : annotation.onHeld();
    Duration ttl =
        annotation.ttl().isBlank()
            ? null
            : duration(placeholders, annotation.ttl(), "ttl", description, problems, false);
    Duration holdAtLeast =
        annotation.holdAtLeast().isBlank()
            ? null
            : duration(
                placeholders, annotation.holdAtLeast(), "holdAtLeast", description, problems, true);

    ReturnKind returnKind = ReturnKind.of(method);
    if (returnKind == ReturnKind.UNSUPPORTED_REACTIVE) {
      problems.add(
          description
              + " returns "
              + method.getGenericReturnType().getTypeName()
              + ", a reactive type that @DistributedLock does not support: the lock would be"
              + " taken and released before anyone subscribes. Return a Reactor Mono or Flux"
              + " (locked from subscription to completion), or a CompletableFuture.");
    } else if (onHeld == OnHeld.SKIP && !returnKind.skippable) {
      problems.add(
          description
              + " returns "
              + method.getGenericReturnType().getTypeName()
              + " and cannot be skipped when lock '"
              + name.text()
              + "' is held: onHeld = SKIP is allowed only for methods returning void, Optional,"
              + " Mono, Flux or a reference type declared @Nullable. Use onHeld = FAIL, or change"
              + " the return type.");
    }
    if (!problems.isEmpty()) {
      throw new InvalidLockAnnotationException(problems);
    }
    return new LockMethodSpec(
        method,
        description,
        name,
        waitFor,
        onHeld,
        ttl,
        holdAtLeast == null || holdAtLeast.isZero() ? null : holdAtLeast,
        returnKind);
  }

  private static Duration duration(
      UnaryOperator<String> placeholders,
      String value,
      String attribute,
      String description,
      List<String> problems,
      boolean zeroAllowed) {
    String resolved;
    try {
      resolved = placeholders.apply(value);
    } catch (IllegalArgumentException e) {
      problems.add(
          problem(
              description,
              attribute,
              value,
              "has a placeholder that cannot be resolved: " + e.getMessage()));
      return Duration.ZERO;
    }
    try {
      Duration duration = DurationStyle.detectAndParse(resolved.trim());
      if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
        problems.add(
            problem(
                description,
                attribute,
                resolved,
                "must be " + (zeroAllowed ? "zero or positive" : "positive")));
      }
      return duration;
    } catch (IllegalArgumentException e) {
      problems.add(
          problem(
              description,
              attribute,
              resolved,
              "is not a duration; use a form like '500ms', '5s', '2m' or 'PT5S'"));
      return Duration.ZERO;
    }
  }

  /** {@code "com.example.Jobs.run(): waitFor '5x' is not a duration; ..."}. */
  private static String problem(
      String description, String attribute, String value, @Nullable String whatIsWrong) {
    return description + ": " + attribute + " '" + value + "' " + whatIsWrong;
  }

  /** What a skipped call returns when the method is not reactive. */
  @Nullable Object skipValue() {
    return returnKind == ReturnKind.OPTIONAL ? Optional.empty() : null;
  }
}
