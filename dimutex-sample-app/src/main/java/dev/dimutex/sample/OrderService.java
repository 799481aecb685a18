package dev.dimutex.sample;

import dev.dimutex.Lease;
import dev.dimutex.spring.CurrentLease;
import dev.dimutex.spring.DistributedLock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Processes orders, one order at a time across the whole fleet: two requests for the same order
 * queue behind one lock, requests for different orders run in parallel.
 */
@Service
public class OrderService {

  private static final Logger log = LoggerFactory.getLogger(OrderService.class);

  private final SampleProperties properties;
  private final CriticalSectionLog history;

  /**
   * Creates the service.
   *
   * @param properties the sample settings (instance id, how long processing takes)
   * @param history where finished work is recorded
   */
  public OrderService(SampleProperties properties, CriticalSectionLog history) {
    this.properties = properties;
    this.history = history;
  }

  /**
   * Processes one order under the lock {@code order-<id>}, waiting up to 30 seconds for it.
   *
   * @param id the order id; it becomes part of the lock name
   * @param requestedAtNanos {@link System#nanoTime()} when the request arrived, to report the wait
   * @return what happened
   * @throws dev.dimutex.LockTimeoutException if the order stayed locked for 30 seconds
   */
  @DistributedLock(value = "order-#{#id}", waitFor = "30s")
  public OrderResult process(String id, long requestedAtNanos) {
    Lease lease = CurrentLease.get();
    Instant startedAt = Instant.now();
    long enter = System.nanoTime();
    Duration waited = Duration.ofNanos(enter - requestedAtNanos);
    log.info(
        "order {}: lock '{}' acquired on instance {} after waiting {} ms (fencing token {})",
        id,
        lease.name(),
        properties.instance(),
        waited.toMillis(),
        lease.fencingToken());
    Work.simulate(properties.orders().work());
    long exit = System.nanoTime();
    history.record(
        new CriticalSection(
            lease.name(), properties.instance(), lease.fencingToken(), startedAt, enter, exit));
    log.info(
        "order {}: processed on instance {}, releasing '{}'",
        id,
        properties.instance(),
        lease.name());
    return new OrderResult(
        id,
        lease.name(),
        properties.instance(),
        Thread.currentThread().getName(),
        lease.fencingToken(),
        waited.toMillis(),
        Duration.ofNanos(exit - enter).toMillis());
  }

  /**
   * The outcome of processing one order.
   *
   * @param order the order id
   * @param lock the lock name that guarded it
   * @param instance the instance that processed it
   * @param thread the request thread
   * @param fencingToken the lease's fencing token
   * @param waitedMs how long the request waited for the lock
   * @param workedMs how long the work took while holding it
   */
  public record OrderResult(
      String order,
      String lock,
      String instance,
      String thread,
      long fencingToken,
      long waitedMs,
      long workedMs) {}
}
