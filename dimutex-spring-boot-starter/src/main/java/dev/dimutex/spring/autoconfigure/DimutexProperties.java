package dev.dimutex.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

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

  @NestedConfigurationProperty private final GcsProperties gcs = new GcsProperties();

  @NestedConfigurationProperty private final BackoffProperties backoff = new BackoffProperties();

  @NestedConfigurationProperty
  private final AnnotationProperties annotation = new AnnotationProperties();

  @NestedConfigurationProperty private final ActuatorProperties actuator = new ActuatorProperties();

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
  public GcsProperties getGcs() {
    return gcs;
  }

  /**
   * Returns the settings of the waiters' backoff.
   *
   * @return the backoff settings
   */
  public BackoffProperties getBackoff() {
    return backoff;
  }

  /**
   * Returns the defaults of the {@code @DistributedLock} annotation.
   *
   * @return the annotation defaults
   */
  public AnnotationProperties getAnnotation() {
    return annotation;
  }

  /**
   * Returns the actuator settings.
   *
   * @return the actuator settings
   */
  public ActuatorProperties getActuator() {
    return actuator;
  }
}
