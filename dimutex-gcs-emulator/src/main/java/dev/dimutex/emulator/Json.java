package dev.dimutex.emulator;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON reader and writer: objects become {@code LinkedHashMap<String, Object>} (JSON {@code
 * null} values kept as {@code null} entries, so "absent" and "null" stay distinguishable), arrays
 * {@code List}, numbers {@code Long} or {@code BigDecimal}, plus {@code String} and {@code
 * Boolean}.
 */
final class Json {
  private Json() {}

  /** Thrown for text that is not one complete JSON value. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /**
   * Parses one complete JSON value.
   *
   * @param text the JSON text
   * @return the value, {@code null} for JSON {@code null}
   * @throws ParseException if the text is not exactly one JSON value
   */
  static @Nullable Object parse(String text) throws ParseException {
    return JsonReader.read(text);
  }

  /** Parses a JSON object, rejecting any other top-level value. */
  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> parseObject(String text) throws ParseException {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new ParseException("expected a JSON object");
    }
    return (Map<String, @Nullable Object>) value;
  }

  /**
   * Writes a value as compact JSON.
   *
   * @param value a map, iterable, string, number, boolean or null
   * @return the JSON text
   */
  static String write(@Nullable Object value) {
    return JsonWriter.write(value);
  }
}
