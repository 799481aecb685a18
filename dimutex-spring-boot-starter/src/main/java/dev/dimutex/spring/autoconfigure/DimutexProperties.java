package dev.dimutex.spring.autoconfigure;

import dev.dimutex.spring.DistributedLockMode;
import dev.dimutex.spring.OnHeld;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of dimutex, under {@code dimutex.*}. Validated when the registry is created; an invalid
 * value fails the start with a message naming the property and what is allowed.
 */
@ConfigurationProperties("dimutex")
public class DimutexProperties {

  /** Creates properties with the documented defaults; Spring binds them. */
  public DimutexProperties() {}

  /** Whether to auto-configure dimutex at all. */
  private boolean enabled = true;

  /**
   * Lease TTL: how long a lock survives its holder's crash before another instance may take it
   * over. At least 1s.
   */
  private Duration ttl = Duration.ofSeconds(60);

  /**
   * How often held leases are refreshed: at least 50ms and shorter than half the TTL. Defaults to a
   * sixth of the TTL (10s for the default TTL).
   */
  private @Nullable Duration refreshInterval;

  /**
   * Identity of this registry in lock objects. Defaults to a random id per application start; two
   * processes must never share one.
   */
  private @Nullable String ownerId;

  private final Gcs gcs = new Gcs();

  private final Backoff backoff = new Backoff();

  private final Annotation annotation = new Annotation();

  private final Actuator actuator = new Actuator();

  /**
   * Returns whether dimutex is auto-configured.
   *
   * @return whether dimutex is enabled
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether dimutex is auto-configured.
   *
   * @param enabled whether dimutex is enabled
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns the lease TTL.
   *
   * @return the TTL
   */
  public Duration getTtl() {
    return ttl;
  }

  /**
   * Sets the lease TTL.
   *
   * @param ttl the TTL
   */
  public void setTtl(Duration ttl) {
    this.ttl = ttl;
  }

  /**
   * Returns the refresh interval, or null for a sixth of the TTL.
   *
   * @return the refresh interval
   */
  public @Nullable Duration getRefreshInterval() {
    return refreshInterval;
  }

  /**
   * Sets the refresh interval.
   *
   * @param refreshInterval the refresh interval, or null for a sixth of the TTL
   */
  public void setRefreshInterval(@Nullable Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }

  /**
   * Returns the owner id, or null for a random one.
   *
   * @return the owner id
   */
  public @Nullable String getOwnerId() {
    return ownerId;
  }

  /**
   * Sets the owner id.
   *
   * @param ownerId the owner id, or null for a random one
   */
  public void setOwnerId(@Nullable String ownerId) {
    this.ownerId = ownerId;
  }

  /**
   * Returns the Google Cloud Storage settings.
   *
   * @return the GCS settings
   */
  public Gcs getGcs() {
    return gcs;
  }

  /**
   * Returns the settings of the waiters' backoff.
   *
   * @return the backoff settings
   */
  public Backoff getBackoff() {
    return backoff;
  }

  /**
   * Returns the defaults of the {@code @DistributedLock} annotation.
   *
   * @return the annotation defaults
   */
  public Annotation getAnnotation() {
    return annotation;
  }

  /**
   * Returns the actuator settings.
   *
   * @return the actuator settings
   */
  public Actuator getActuator() {
    return actuator;
  }

  /** Google Cloud Storage settings. */
  public static class Gcs {

    /** Creates GCS settings with the documented defaults. */
    public Gcs() {}

    /** Bucket that holds the lock objects. Required. */
    private @Nullable String bucket;

    /** Prefix of the lock objects' names in the bucket. */
    private String prefix = "locks/";

    /**
     * GCS emulator to use instead of Google Cloud Storage, as host:port or http://host:port; takes
     * precedence over the environment variable STORAGE_EMULATOR_HOST. When either is set, the
     * application's Storage bean (unless it defines its own) and the lock registry use the
     * emulator, without credentials.
     */
    private @Nullable String emulatorHost;

    /** Project id sent to the emulator. */
    private String emulatorProjectId = "dimutex-emulator";

    /**
     * Whether to check at startup that the bucket exists and is accessible, failing the start with
     * a clear message if not.
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

  /**
   * Backoff of callers waiting for a held lock, and of retries after transient store errors:
   * exponential with jitter, capped, and never beyond the caller's wait.
   */
  public static class Backoff {

    /** Creates backoff settings with the documented defaults. */
    public Backoff() {}

    /** First delay between attempts. Must be positive. */
    private Duration min = Duration.ofMillis(50);

    /** Largest delay between attempts. Must not be shorter than the minimum. */
    private Duration max = Duration.ofSeconds(1);

    /** Factor by which the delay grows after each attempt. Must be at least 1. */
    private double multiplier = 2.0;

    /**
     * Fraction of each delay that is randomised away, so that waiters spread out; at least 0 and
     * below 1.
     */
    private double jitter = 0.5;

    /**
     * Returns the first delay.
     *
     * @return the first delay
     */
    public Duration getMin() {
      return min;
    }

    /**
     * Sets the first delay.
     *
     * @param min the first delay
     */
    public void setMin(Duration min) {
      this.min = min;
    }

    /**
     * Returns the largest delay.
     *
     * @return the largest delay
     */
    public Duration getMax() {
      return max;
    }

    /**
     * Sets the largest delay.
     *
     * @param max the largest delay
     */
    public void setMax(Duration max) {
      this.max = max;
    }

    /**
     * Returns the growth factor.
     *
     * @return the factor
     */
    public double getMultiplier() {
      return multiplier;
    }

    /**
     * Sets the growth factor.
     *
     * @param multiplier the factor
     */
    public void setMultiplier(double multiplier) {
      this.multiplier = multiplier;
    }

    /**
     * Returns the jitter fraction.
     *
     * @return the jitter
     */
    public double getJitter() {
      return jitter;
    }

    /**
     * Sets the jitter fraction.
     *
     * @param jitter the jitter
     */
    public void setJitter(double jitter) {
      this.jitter = jitter;
    }
  }

  /** Defaults of the {@code @DistributedLock} annotation. */
  public static class Annotation {

    /** Creates annotation defaults with the documented values. */
    public Annotation() {}

    /**
     * How long an annotated call waits for a lock held by someone else, when the annotation does
     * not say. Zero means a single attempt.
     */
    private Duration waitFor = Duration.ZERO;

    /**
     * What an annotated call does when the lock stays held, when the annotation does not say: FAIL
     * throws LockTimeoutException, SKIP does not run the method.
     */
    private OnHeld onHeld = OnHeld.FAIL;

    /**
     * How annotated methods are intercepted: PROXY (Spring AOP proxies; public methods called from
     * another bean) or ASPECTJ (the woven DistributedLockAspect; also self-invocations and
     * non-public methods).
     */
    private DistributedLockMode mode = DistributedLockMode.PROXY;

    /**
     * Returns how annotated methods are intercepted.
     *
     * @return the mode
     */
    public DistributedLockMode getMode() {
      return mode;
    }

    /**
     * Sets how annotated methods are intercepted.
     *
     * @param mode the mode
     */
    public void setMode(DistributedLockMode mode) {
      this.mode = mode;
    }

    /**
     * Returns the default wait.
     *
     * @return the default wait
     */
    public Duration getWaitFor() {
      return waitFor;
    }

    /**
     * Sets the default wait.
     *
     * @param waitFor the default wait
     */
    public void setWaitFor(Duration waitFor) {
      this.waitFor = waitFor;
    }

    /**
     * Returns the default policy when the lock stays held.
     *
     * @return the policy
     */
    public OnHeld getOnHeld() {
      return onHeld;
    }

    /**
     * Sets the default policy when the lock stays held.
     *
     * @param onHeld the policy
     */
    public void setOnHeld(OnHeld onHeld) {
      this.onHeld = onHeld;
    }
  }

  /** Actuator settings. */
  public static class Actuator {

    /** Creates actuator settings with the documented defaults. */
    public Actuator() {}

    /**
     * Whether the locks actuator endpoint offers the write operation that force-releases a lock by
     * name, whoever holds it. An operator action: the holder's protected work may still be running.
     */
    private boolean forceReleaseEnabled = false;

    /**
     * Returns whether force-release is offered.
     *
     * @return whether force-release is enabled
     */
    public boolean isForceReleaseEnabled() {
      return forceReleaseEnabled;
    }

    /**
     * Sets whether force-release is offered.
     *
     * @param forceReleaseEnabled whether force-release is enabled
     */
    public void setForceReleaseEnabled(boolean forceReleaseEnabled) {
      this.forceReleaseEnabled = forceReleaseEnabled;
    }
  }
}
