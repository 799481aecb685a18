package dev.dimutex.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryValueKind() throws Exception {
    Object value =
        Json.parse(
            " {\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\udd12\",\"i\":-12,\"d\":1.5e3,\"t\":true,"
                + "\"f\":false,\"n\":null,\"a\":[1,[],{}],\"big\":12345678901234567890} ");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c\né🔒");
    expected.put("i", -12L);
    expected.put("d", new BigDecimal("1.5e3"));
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("a", Arrays.asList(1L, List.of(), Map.of()));
    expected.put("big", new BigDecimal("12345678901234567890"));
    assertThat(value).isEqualTo(expected);
  }

  @Test
  void writesWhatItReads() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("text", "quote\" slash\\ nl\n tab\t ctl\u0001 ünï 🔒");
    map.put("n", 5L);
    map.put("nul", null);
    map.put("list", List.of("x", true));

    String json = Json.write(map);

    assertThat(Json.parse(json)).isEqualTo(map);
    assertThat(json).contains("\\u0001").doesNotContain("\n");
  }

  @Test
  void rejectsMalformedText() {
    for (String bad :
        List.of(
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "tru",
            "\"\\q\"",
            "\"a",
            "{} {}",
            "\"\u0001\"")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class);
    }
  }
}
