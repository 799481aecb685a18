package dev.dimutex.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Parses the admin API's fault RULE and MATCH objects (see {@link AdminApi}) into {@link Faults}.
 */
final class FaultRules {
  private FaultRules() {}

  /** Adds the rules and/or rate limit of an admin POST, after validating all of them. */
  static void add(Faults faults, Map<String, @Nullable Object> json) {
    List<Map<String, @Nullable Object>> rules = new ArrayList<>();
    if (json.containsKey("type")) {
      rules.add(json);
    }
    if (json.get("rules") instanceof List<?> list) {
      for (Object item : list) {
        rules.add(asObject(item, "rules[]"));
      }
    } else if (json.containsKey("rules")) {
      throw GcsException.invalid("'rules' must be an array of rule objects.");
    }
    Double rate = null;
    if (json.containsKey("objectMutationRateLimit")) {
      rate = number(json, "objectMutationRateLimit");
    }
    if (rules.isEmpty() && rate == null) {
      throw GcsException.invalid(
          "Expected a rule object with \"type\", {\"rules\":[...]} or"
              + " {\"objectMutationRateLimit\":N}.");
    }
    // Validate everything before changing anything.
    List<Runnable> actions = new ArrayList<>();
    for (Map<String, @Nullable Object> rule : rules) {
      actions.add(parseRule(faults, rule));
    }
    if (rate != null) {
      double r = rate;
      actions.add(() -> faults.objectMutationRateLimit(r));
    }
    actions.forEach(Runnable::run);
  }

  private static Runnable parseRule(Faults faults, Map<String, @Nullable Object> rule) {
    if (!(rule.get("type") instanceof String type)) {
      throw GcsException.invalid("A fault rule needs a string \"type\".");
    }
    RequestMatcher matcher = matcher(rule.get("match"));
    try {
      switch (type) {
        case "failNext" -> {
          int count = intValue(rule, "count");
          int status = intValue(rule, "status");
          FaultRule.requirePositive(count);
          FaultRule.requireErrorStatus(status);
          return () -> faults.failNext(count, status, matcher);
        }
        case "failRate" -> {
          double p = number(rule, "probability");
          int[] statuses = statuses(rule);
          FaultRule.requireProbability(p);
          FaultRule.requireErrorStatuses(statuses);
          return () -> faults.failRate(p, statuses, matcher);
        }
        case "dropResponseNext" -> {
          int count = intValue(rule, "count");
          FaultRule.requirePositive(count);
          return () -> faults.dropResponseNext(count, matcher);
        }
        case "dropRate" -> {
          double p = number(rule, "probability");
          FaultRule.requireProbability(p);
          return () -> faults.dropRate(p, matcher);
        }
        case "delay" -> {
          double min;
          double max;
          if (rule.containsKey("millis")) {
            min = number(rule, "millis");
            max = min;
          } else {
            min = number(rule, "minMillis");
            max = number(rule, "maxMillis");
          }
          Duration dmin = Duration.ofNanos((long) (min * 1_000_000));
          Duration dmax = Duration.ofNanos((long) (max * 1_000_000));
          FaultRule.requireLatency(dmin, dmax);
          return () -> faults.delay(dmin, dmax, matcher);
        }
        case "objectMutationRateLimit" -> {
          double perSecond = number(rule, "perSecond");
          return () -> faults.objectMutationRateLimit(perSecond);
        }
        default ->
            throw GcsException.invalid(
                "Unknown fault type '"
                    + type
                    + "' (known: failNext, failRate, dropResponseNext, dropRate, delay,"
                    + " objectMutationRateLimit).");
      }
    } catch (IllegalArgumentException e) {
      throw GcsException.invalid("Invalid " + type + " rule: " + e.getMessage());
    }
  }

  static RequestMatcher matcher(@Nullable Object json) {
    RequestMatcher matcher = RequestMatcher.any();
    if (json == null) {
      return matcher;
    }
    Map<String, @Nullable Object> m = asObject(json, "match");
    for (String key : m.keySet()) {
      if (!Set.of("operations", "objectMutations", "methods", "bucket", "object", "objectPrefix")
          .contains(key)) {
        throw GcsException.invalid(
            "Unknown match field '"
                + key
                + "' (known: operations, objectMutations, methods, bucket, object,"
                + " objectPrefix).");
      }
    }
    if (m.get("operations") instanceof List<?> ops) {
      Set<Operation> set = EnumSet.noneOf(Operation.class);
      for (Object op : ops) {
        try {
          set.add(Operation.valueOf(String.valueOf(op)));
        } catch (IllegalArgumentException e) {
          throw GcsException.invalid(
              "Unknown operation '"
                  + op
                  + "' (known: "
                  + EnumSet.allOf(Operation.class).stream()
                      .map(Operation::name)
                      .collect(Collectors.joining(", "))
                  + ").");
        }
      }
      if (!set.isEmpty()) {
        matcher = matcher.and(RequestMatcher.operation(set.toArray(new Operation[0])));
      }
    }
    if (Boolean.TRUE.equals(m.get("objectMutations"))) {
      matcher = matcher.and(RequestMatcher.objectMutations());
    }
    if (m.get("methods") instanceof List<?> methods) {
      Set<String> set = new java.util.HashSet<>();
      for (Object method : methods) {
        set.add(String.valueOf(method).toUpperCase(Locale.ROOT));
      }
      matcher = matcher.and(new DescribedMatcher(r -> set.contains(r.method()), "methods" + set));
    }
    Object bucket = m.get("bucket");
    if (bucket != null) {
      String b = String.valueOf(bucket);
      matcher = matcher.and(new DescribedMatcher(r -> b.equals(r.bucket()), "bucket(" + b + ")"));
    }
    Object object = m.get("object");
    if (object != null) {
      String o = String.valueOf(object);
      matcher = matcher.and(new DescribedMatcher(r -> o.equals(r.object()), "object(" + o + ")"));
    }
    Object objectPrefix = m.get("objectPrefix");
    if (objectPrefix != null) {
      String p = String.valueOf(objectPrefix);
      matcher =
          matcher.and(
              new DescribedMatcher(
                  r -> r.object() != null && r.object().startsWith(p), "objectPrefix(" + p + ")"));
    }
    return matcher;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> asObject(@Nullable Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, @Nullable Object>) map;
    }
    throw GcsException.invalid("'" + what + "' must be a JSON object.");
  }

  private static double number(Map<String, @Nullable Object> json, String key) {
    Object v = json.get(key);
    double d = Double.NaN;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    if (Double.isFinite(d)) {
      return d;
    }
    throw GcsException.invalid("'" + key + "' must be a number.");
  }

  private static int intValue(Map<String, @Nullable Object> json, String key) {
    double d = number(json, key);
    if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
      throw GcsException.invalid("'" + key + "' must be an integer.");
    }
    return (int) d;
  }

  private static int[] statuses(Map<String, @Nullable Object> json) {
    if (json.get("statuses") instanceof List<?> list) {
      int[] out = new int[list.size()];
      for (int i = 0; i < out.length; i++) {
        Object v = list.get(i);
        if (!(v instanceof Number n)) {
          throw GcsException.invalid("'statuses' must be an array of integers.");
        }
        out[i] = n.intValue();
      }
      return out;
    }
    return new int[] {intValue(json, "status")};
  }
}
