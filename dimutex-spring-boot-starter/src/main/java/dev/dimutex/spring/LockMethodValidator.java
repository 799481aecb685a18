package dev.dimutex.spring;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks, when the application has started, every annotated method of every bean: its attributes,
 * its TTL override (whose registry is created now) and its name, when it has no expressions.
 */
final class LockMethodValidator {

  private final LockMethods methods;

  LockMethodValidator(LockMethods methods) {
    this.methods = methods;
  }

  /**
   * Checks every bean of the factory.
   *
   * @throws InvalidLockAnnotationException naming each method whose annotation cannot work
   */
  void validate(ListableBeanFactory beans) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (String beanName : beans.getBeanDefinitionNames()) {
      Class<?> type;
      try {
        type = beans.getType(beanName, false);
      } catch (RuntimeException e) {
        continue;
      }
      if (type == null || Proxy.isProxyClass(type)) {
        continue;
      }
      Class<?> userClass = ClassUtils.getUserClass(type);
      if (!seen.add(userClass) || userClass.getName().startsWith("org.springframework.")) {
        continue;
      }
      ReflectionUtils.doWithMethods(
          userClass,
          method -> {
            if (method.isBridge() || LockMethodSpec.findAnnotation(method) == null) {
              return;
            }
            try {
              methods.checkAtStart(methods.spec(method, userClass));
            } catch (InvalidLockAnnotationException e) {
              problems.addAll(e.problems());
            }
          });
    }
    if (!problems.isEmpty()) {
      throw new InvalidLockAnnotationException(List.copyOf(new LinkedHashSet<>(problems)));
    }
  }
}
