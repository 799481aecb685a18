package dev.dimutex.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the claim ids that a Java test source names. */
public final class TestSources {

  /**
   * {@code @Claim("C-REL-3")}, or {@code @Tag("C-REL-3")} in modules that cannot depend on the
   * test-support module (the emulator).
   */
  private static final Pattern ANNOTATION =
      Pattern.compile("@(?:Claim|Tag)\\(\\s*\"(C-[A-Z]+-[0-9]+)\"\\s*\\)");

  /** The declaration an annotation belongs to: the next method or class. */
  private static final Pattern TARGET =
      Pattern.compile("\\b(?:void|class|record|interface)\\s+([A-Za-z_$][A-Za-z0-9_$]*)");

  private TestSources() {}

  /**
   * Returns every claim the source names, each with the test it marks.
   *
   * @param module the module the file is in, for example {@code dimutex-core}
   * @param className the file's top-level class
   * @param source the file's text
   * @return the references, in source order
   */
  public static List<TestReference> scan(String module, String className, String source) {
    String code = withoutComments(source);
    List<TestReference> references = new ArrayList<>();
    Matcher m = ANNOTATION.matcher(code);
    while (m.find()) {
      Matcher target = TARGET.matcher(code);
      String test = className;
      if (target.find(m.end())) {
        boolean isMethod = code.startsWith("void", target.start());
        String name = target.group(1);
        test = isMethod ? className + "#" + name : name;
      }
      references.add(new TestReference(m.group(1), module + ": " + test));
    }
    return references;
  }

  /** The source with comments blanked out; string literals are kept as they are. */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = endOfLiteral(source, i, c);
        out.append(source, i, end);
        i = end;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int endOfLiteral(String source, int start, char quote) {
    if (quote == '"' && source.startsWith("\"\"\"", start)) {
      int end = source.indexOf("\"\"\"", start + 3);
      return end < 0 ? source.length() : end + 3;
    }
    int i = start + 1;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote || c == '\n') {
        return i + 1;
      } else {
        i++;
      }
    }
    return source.length();
  }
}
