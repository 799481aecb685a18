package dev.dimutex.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/** Google Cloud Storage settings. */
public class GcsProperties {

  /** Creates GCS settings with the documented defaults. */
  public GcsProperties() {}

  /** Bucket that holds the lock objects. Required. */
  private @Nullable String bucket;

  /** Prefix of the lock objects' names in the bucket. */
  private String prefix = "locks/";

  /**
   * GCS emulator to use instead of Google Cloud Storage, as host:port or http://host:port; takes
   * precedence over the environment variable STORAGE_EMULATOR_HOST. When either is set, the
   * application's Storage bean (unless it defines its own) and the lock registry use the emulator,
   * without credentials.
   */
  private @Nullable String emulatorHost;

  /** Project id sent to the emulator. */
  private String emulatorProjectId = "dimutex-emulator";

  /**
   * Whether to check at startup that the bucket exists and is accessible, failing the start with a
   * clear message if not.
   */
  private boolean verifyOnStartup = true;

  /**
   * Returns the bucket.
   *
   * @return the bucket, or null if not set
   */
  public @Nullable String getBucket() {
    return bucket;
  }

  /**
   * Sets the bucket.
   *
   * @param bucket the bucket
   */
  public void setBucket(@Nullable String bucket) {
    this.bucket = bucket;
  }

  /**
   * Returns the object name prefix.
   *
   * @return the prefix
   */
  public String getPrefix() {
    return prefix;
  }

  /**
   * Sets the object name prefix.
   *
   * @param prefix the prefix
   */
  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Returns the emulator host.
   *
   * @return the emulator host, or null
   */
  public @Nullable String getEmulatorHost() {
    return emulatorHost;
  }

  /**
   * Sets the emulator host.
   *
   * @param emulatorHost the emulator host, or null
   */
  public void setEmulatorHost(@Nullable String emulatorHost) {
    this.emulatorHost = emulatorHost;
  }

  /**
   * Returns the project id sent to the emulator.
   *
   * @return the project id
   */
  public String getEmulatorProjectId() {
    return emulatorProjectId;
  }

  /**
   * Sets the project id sent to the emulator.
   *
   * @param emulatorProjectId the project id
   */
  public void setEmulatorProjectId(String emulatorProjectId) {
    this.emulatorProjectId = emulatorProjectId;
  }

  /**
   * Returns whether the bucket is checked at startup.
   *
   * @return whether to verify
   */
  public boolean isVerifyOnStartup() {
    return verifyOnStartup;
  }

  /**
   * Sets whether the bucket is checked at startup.
   *
   * @param verifyOnStartup whether to verify
   */
  public void setVerifyOnStartup(boolean verifyOnStartup) {
    this.verifyOnStartup = verifyOnStartup;
  }
}
