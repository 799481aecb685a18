package dev.dimutex.emulator;

import java.nio.charset.StandardCharsets;

/** GCS object-name rules. */
final class ObjectNames {
  private ObjectNames() {}

  static void validate(String name) {
    if (name.isEmpty()) {
      throw GcsException.required("object name");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > 1024) {
      throw GcsException.invalid(
          "The object name is " + bytes + " bytes long in UTF-8; the maximum is 1024.");
    }
    if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
      throw GcsException.invalid("Object names cannot contain carriage returns or line feeds.");
    }
    if (name.equals(".") || name.equals("..")) {
      throw GcsException.invalid("Object names cannot be '.' or '..'.");
    }
    if (name.startsWith(".well-known/acme-challenge/")) {
      throw GcsException.invalid("Object names cannot start with '.well-known/acme-challenge/'.");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < name.length()
            && Character.isLowSurrogate(name.charAt(i + 1))) {
          i++;
        } else {
          throw GcsException.invalid("The object name is not valid UTF-8.");
        }
      }
    }
  }
}
