package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.Nullness;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/** One annotated method's lock settings, parsed and validated once. */
final class LockMethodSpec {

  private static final SpelExpressionParser PARSER = new SpelExpressionParser();
  private static final TemplateParserContext TEMPLATE = new TemplateParserContext();
  private static final ParameterNameDiscoverer PARAMETER_NAMES =
      new DefaultParameterNameDiscoverer();

  /** What a skipped call returns. */
  enum ReturnKind {
    VOID,
    OPTIONAL,
    NULLABLE,
    OTHER
  }

  final Method method;
  final String description;
  final String template;
  private final @Nullable Expression expression;
  final Duration waitFor;
  final OnHeld onHeld;
  final @Nullable Duration ttl;
  final @Nullable Duration holdAtLeast;
  final ReturnKind returnKind;
  final boolean stageReturn;

  private LockMethodSpec(
      Method method,
      String description,
      String template,
      @Nullable Expression expression,
      Duration waitFor,
      OnHeld onHeld,
      @Nullable Duration ttl,
      @Nullable Duration holdAtLeast,
      ReturnKind returnKind) {
    this.method = method;
    this.description = description;
    this.template = template;
    this.expression = expression;
    this.waitFor = waitFor;
    this.onHeld = onHeld;
    this.ttl = ttl;
    this.holdAtLeast = holdAtLeast;
    this.returnKind = returnKind;
    this.stageReturn = CompletionStage.class.isAssignableFrom(method.getReturnType());
  }

  /** Returns the annotation of a method, searching interfaces and superclasses. */
  static @Nullable DistributedLock findAnnotation(Method method) {
    return AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
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
      OnHeld defaultOnHeld) {
    String description = describe(method);
    List<String> problems = new ArrayList<>();
    int modifiers = method.getModifiers();
    if (!Modifier.isPublic(modifiers)) {
      problems.add(
          description
              + " is not public: Spring proxies intercept public methods only, so the lock would"
              + " never be taken. Make the method public.");
    }
    if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
      problems.add(
          description
              + " is static or final: proxies cannot intercept it, so the lock would never be"
              + " taken. Remove the modifier.");
    }

    String rawName = annotation.name();
    String template =
        rawName.isBlank()
            ? method.getDeclaringClass().getSimpleName() + "." + method.getName()
            : resolve(placeholders, rawName, "name", description, problems);
    Expression expression = null;
    if (template.contains(TEMPLATE.getExpressionPrefix())) {
      try {
        expression = PARSER.parseExpression(template, TEMPLATE);
      } catch (ParseException | IllegalStateException e) {
        problems.add(
            problem(
                description,
                "lock name template",
                template,
                "is not a valid SpEL template: " + e.getMessage()));
      }
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

    ReturnKind returnKind = returnKind(method);
    if (onHeld == OnHeld.SKIP && returnKind == ReturnKind.OTHER) {
      problems.add(
          description
              + " returns "
              + method.getGenericReturnType().getTypeName()
              + " and cannot be skipped when lock '"
              + template
              + "' is held: onHeld = SKIP is allowed only for methods returning void, Optional or a"
              + " reference type declared @Nullable. Use onHeld = FAIL, or change the return"
              + " type.");
    }
    if (!problems.isEmpty()) {
      throw new InvalidLockAnnotationException(problems);
    }
    return new LockMethodSpec(
        method,
        description,
        template,
        expression,
        waitFor,
        onHeld,
        ttl,
        holdAtLeast == null || holdAtLeast.isZero() ? null : holdAtLeast,
        returnKind);
  }

  private static ReturnKind returnKind(Method method) {
    Class<?> type = method.getReturnType();
    if (type == void.class || type == Void.class) {
      return ReturnKind.VOID;
    }
    if (type == Optional.class) {
      return ReturnKind.OPTIONAL;
    }
    if (!type.isPrimitive() && Nullness.forMethodReturnType(method) == Nullness.NULLABLE) {
      return ReturnKind.NULLABLE;
    }
    return ReturnKind.OTHER;
  }

  private static String resolve(
      UnaryOperator<String> placeholders,
      String value,
      String attribute,
      String description,
      List<String> problems) {
    try {
      return placeholders.apply(value);
    } catch (IllegalArgumentException e) {
      problems.add(
          problem(
              description,
              attribute,
              value,
              "has a placeholder that cannot be resolved: " + e.getMessage()));
      return value;
    }
  }

  private static Duration duration(
      UnaryOperator<String> placeholders,
      String value,
      String attribute,
      String description,
      List<String> problems,
      boolean zeroAllowed) {
    String resolved = resolve(placeholders, value, attribute, description, problems);
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
      String description, String attribute, String value, String whatIsWrong) {
    return description + ": " + attribute + " '" + value + "' " + whatIsWrong;
  }

  /**
   * Resolves the lock name for one call. Arguments are exposed as SpEL variables only; their values
   * are never parsed as expressions.
   */
  String resolveName(@Nullable Object[] arguments, @Nullable BeanFactory beanFactory) {
    if (expression == null) {
      return template;
    }
    MethodBasedEvaluationContext context =
        new MethodBasedEvaluationContext(new Object(), method, arguments, PARAMETER_NAMES);
    if (beanFactory != null) {
      context.setBeanResolver(new BeanFactoryResolver(beanFactory));
    }
    String name = expression.getValue(context, String.class);
    return name == null ? "" : name;
  }

  @Nullable Object skipValue() {
    return returnKind == ReturnKind.OPTIONAL ? Optional.empty() : null;
  }
}
