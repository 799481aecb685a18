package dev.dimutex.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the claims a Markdown document defines. */
public final class Documents {

  /** A claim marker: {@code [C-REL-3]} or {@code [C-PERF-1: bench scale_held_locks]}. */
  static final Pattern MARKER =
      Pattern.compile("\\[(C-[A-Z]+-[0-9]+)(?::\\s*bench\\s+([A-Za-z0-9_]+))?\\]");

  private static final int MAX_STATEMENT = 110;

  private Documents() {}

  /**
   * Returns every claim marker outside fenced code blocks, in document order, each with the
   * sentence that ends at it.
   *
   * @param document the document's path relative to the repository root, used in the result
   * @param text the document's text
   * @return the claims, in order; an id that occurs twice is returned twice
   */
  public static List<DocumentClaim> scan(String document, String text) {
    List<DocumentClaim> claims = new ArrayList<>();
    for (String unit : units(text)) {
      Matcher m = MARKER.matcher(unit);
      while (m.find()) {
        String before = unit.substring(0, m.start());
        String statement = unit.startsWith("|") ? cellStatement(before) : statement(before);
        claims.add(new DocumentClaim(m.group(1), document, statement, m.group(2)));
      }
    }
    return claims;
  }

  /** Paragraphs, list items and table rows, each joined into one line; code blocks left out. */
  private static List<String> units(String text) {
    List<String> units = new ArrayList<>();
    StringBuilder unit = new StringBuilder();
    boolean fenced = false;
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("```")) {
        fenced = !fenced;
        flush(units, unit);
        continue;
      }
      if (fenced) {
        continue;
      }
      if (line.isEmpty() || startsUnit(line)) {
        flush(units, unit);
      }
      if (!line.isEmpty()) {
        unit.append(unit.length() == 0 ? "" : " ").append(line);
      }
    }
    flush(units, unit);
    return units;
  }

  private static boolean startsUnit(String line) {
    return line.startsWith("- ")
        || line.startsWith("* ")
        || line.startsWith("|")
        || line.startsWith("#")
        || line.startsWith(">")
        || line.matches("[0-9]+\\. .*");
  }

  private static void flush(List<String> units, StringBuilder unit) {
    if (unit.length() > 0) {
      units.add(unit.toString());
      unit.setLength(0);
    }
  }

  /**
   * In a table row: the row's first cell (what the row is about), then the cell that ends at the
   * marker.
   */
  static String cellStatement(String before) {
    String[] cells = before.substring(1).split("(?<!\\\\)\\|", -1);
    String cell = cells[cells.length - 1];
    String label = cells[0].strip();
    String text = cells.length > 1 && !label.isEmpty() ? label + ": " + cell.strip() : cell;
    return statement(text.replace("|", " "));
  }

  /** The last sentence of the text before a marker, without other markers. */
  static String statement(String before) {
    String text = MARKER.matcher(before).replaceAll("").strip();
    while (!text.isEmpty() && ".;:,".indexOf(text.charAt(text.length() - 1)) >= 0) {
      text = text.substring(0, text.length() - 1).strip();
    }
    int start = 0;
    for (String boundary : List.of(". ", "? ", "! ")) {
      int at = text.lastIndexOf(boundary);
      if (at >= 0) {
        start = Math.max(start, at + boundary.length());
      }
    }
    String sentence = text.substring(start).replaceFirst("^([-*>#]+|[0-9]+\\.)\\s+", "").strip();
    sentence = sentence.replace("**", "").replace("|", "\\|");
    return sentence.length() <= MAX_STATEMENT
        ? sentence
        : sentence.substring(0, MAX_STATEMENT - 1).strip() + "…";
  }
}
