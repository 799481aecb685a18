package dev.dimutex.spring;

import dev.dimutex.emulator.GcsEmulator;

/** One GCS emulator for the whole test run, with the test bucket created. */
public final class TestEmulator {

  public static final String BUCKET = "starter-test";

  private static final GcsEmulator EMULATOR = GcsEmulator.builder().bucket(BUCKET).start();

  private TestEmulator() {}

  public static GcsEmulator get() {
    return EMULATOR;
  }

  /** The {@code host:port} form, as STORAGE_EMULATOR_HOST is often set. */
  public static String hostPort() {
    return "127.0.0.1:" + EMULATOR.port();
  }

  /** The {@code http://host:port} form. */
  public static String url() {
    return EMULATOR.baseUrl();
  }
}
