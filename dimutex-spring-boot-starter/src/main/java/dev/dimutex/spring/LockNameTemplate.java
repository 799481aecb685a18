package dev.dimutex.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.common.CompositeStringExpression;
import org.springframework.expression.common.LiteralExpression;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The lock name of one annotated method: literal text, with {@code ${...}} placeholders resolved
 * once, and {@code #{...}} SpEL parts evaluated per call.
 *
 * <p>The template is split into literal and expression parts <em>before</em> placeholders are
 * resolved, and placeholders are resolved in the literal parts only: a property value is always
 * literal text, even if it contains {@code #{...}}, so configuration can never inject code.
 */
final class LockNameTemplate {

  private static final SpelExpressionParser PARSER = new SpelExpressionParser();
  private static final TemplateParserContext TEMPLATE = new TemplateParserContext();
  private static final ParameterNameDiscoverer PARAMETER_NAMES =
      new DefaultParameterNameDiscoverer();

  /** One part of the template: literal text ({@code expression == null}) or an expression. */
  private record Part(String literal, @Nullable Expression expression) {}

  private final Method method;
  private final String text;
  private final List<Part> parts;

  private LockNameTemplate(Method method, String text, List<Part> parts) {
    this.method = method;
    this.text = text;
    this.parts = parts;
  }

  /**
   * Parses an annotation's name, or builds the default name when it is blank.
   *
   * @throws IllegalArgumentException with the reason, if a placeholder cannot be resolved or the
   *     SpEL is invalid
   */
  static LockNameTemplate parse(Method method, String raw, UnaryOperator<String> placeholders) {
    if (raw.isBlank()) {
      String name = defaultName(method);
      return new LockNameTemplate(method, name, List.of(new Part(name, null)));
    }
    Expression parsed;
    try {
      parsed = PARSER.parseExpression(raw, TEMPLATE);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("is not a valid SpEL template: " + e.getMessage(), e);
    }
    Expression[] pieces =
        parsed instanceof CompositeStringExpression composite
            ? composite.getExpressions()
            : new Expression[] {parsed};
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Expression piece : pieces) {
      if (piece instanceof LiteralExpression literal) {
        String resolved = resolve(placeholders, literal.getExpressionString());
        parts.add(new Part(resolved, null));
        text.append(resolved);
      } else {
        parts.add(new Part("", piece));
        text.append(TEMPLATE.getExpressionPrefix())
            .append(piece.getExpressionString())
            .append(TEMPLATE.getExpressionSuffix());
      }
    }
    return new LockNameTemplate(method, text.toString(), List.copyOf(parts));
  }

  private static String resolve(UnaryOperator<String> placeholders, String literal) {
    try {
      return placeholders.apply(literal);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "has a placeholder that cannot be resolved: " + e.getMessage(), e);
    }
  }

  /**
   * The name used when the annotation names none: the fully qualified class name and the method
   * name, then the parameter types in parentheses when the class declares another method of the
   * same name, for example {@code com.example.Jobs.run} and {@code
   * com.example.Jobs.run(java.lang.String,int)}. Array types are written with {@code ...} instead
   * of {@code []}, which GCS advises against in object names.
   */
  static String defaultName(Method method) {
    Class<?> type = method.getDeclaringClass();
    String base = type.getName() + "." + method.getName();
    boolean overloaded =
        Arrays.stream(type.getDeclaredMethods())
            .anyMatch(
                other ->
                    !other.equals(method)
                        && !other.isBridge()
                        && !other.isSynthetic()
                        && other.getName().equals(method.getName()));
    if (!overloaded) {
      return base;
    }
    StringBuilder name = new StringBuilder(base).append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      name.append(i == 0 ? "" : ",").append(types[i].getTypeName().replace("[]", "..."));
    }
    return name.append(')').toString();
  }

  /** The template as written, with placeholders resolved: the tag of the metrics. */
  String text() {
    return text;
  }

  boolean isConstant() {
    return parts.stream().allMatch(part -> part.expression() == null);
  }

  /**
   * Resolves the lock name for one call. Arguments are exposed as SpEL variables only; their values
   * are never parsed as expressions.
   *
   * @throws org.springframework.expression.EvaluationException if an expression fails
   */
  String resolve(@Nullable Object[] arguments, @Nullable BeanFactory beanFactory) {
    if (isConstant()) {
      return text;
    }
    MethodBasedEvaluationContext context =
        new MethodBasedEvaluationContext(new Object(), method, arguments, PARAMETER_NAMES);
    if (beanFactory != null) {
      context.setBeanResolver(new BeanFactoryResolver(beanFactory));
    }
    StringBuilder name = new StringBuilder();
    for (Part part : parts) {
      Expression expression = part.expression();
      if (expression == null) {
        name.append(part.literal());
      } else {
        String value = expression.getValue(context, String.class);
        name.append(value == null ? "" : value);
      }
    }
    return name.toString();
  }
}
