package dev.dimutex.sample;

import dev.dimutex.Lease;
import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Uses the {@link LockRegistry} bean directly, without the annotation: a read-modify-write of stock
 * under a lease held in try-with-resources, with the lease's fencing token passed to the downstream
 * store so that it can reject a holder that lost the lock.
 */
@Service
public class InventoryService {

  private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

  private final LockRegistry locks;
  private final FencedStockStore store;
  private final SampleProperties properties;

  /**
   * Creates the service.
   *
   * @param locks the registry from the dimutex starter
   * @param store the downstream store that checks fencing tokens
   * @param properties the sample settings (instance id)
   */
  public InventoryService(LockRegistry locks, FencedStockStore store, SampleProperties properties) {
    this.locks = locks;
    this.store = store;
    this.properties = properties;
  }

  /**
   * Adds stock to an item under the lock {@code inventory-<sku>}, waiting up to 10 seconds for it.
   *
   * @param sku the item
   * @param amount how much to add
   * @return the quantities before and after, and the fencing token used
   * @throws dev.dimutex.LockTimeoutException if the item stayed locked for 10 seconds
   * @throws FencedStockStore.StaleTokenException if the store has seen a newer holder
   */
  public Restock restock(String sku, int amount) {
    Mutex mutex = locks.obtain("inventory-" + sku);
    try (Lease lease = mutex.acquire(Duration.ofSeconds(10))) {
      int before = store.quantity(sku);
      store.write(sku, before + amount, lease.fencingToken());
      log.info(
          "inventory {}: {} -> {} on instance {} (fencing token {})",
          sku,
          before,
          before + amount,
          properties.instance(),
          lease.fencingToken());
      return new Restock(sku, before, before + amount, lease.fencingToken(), properties.instance());
    }
  }

  /**
   * Writes as a "zombie" would: a former holder that lost its lock during a pause and now writes
   * with its old token, without holding the lock. The store refuses it when a later holder has
   * written.
   *
   * @param sku the item
   * @param quantity the quantity the zombie wants to write
   * @param staleToken the fencing token of the zombie's lost lease
   * @throws FencedStockStore.StaleTokenException if a later holder has written this item
   */
  public void zombieWrite(String sku, int quantity, long staleToken) {
    log.info("inventory {}: zombie write with fencing token {}", sku, staleToken);
    store.write(sku, quantity, staleToken);
  }

  /**
   * Reads the current quantity of an item.
   *
   * @param sku the item
   * @return the quantity
   */
  public int quantity(String sku) {
    return store.quantity(sku);
  }

  /**
   * The outcome of a restock.
   *
   * @param sku the item
   * @param before its quantity before
   * @param after its quantity after
   * @param fencingToken the fencing token of the lease that guarded the write
   * @param instance the instance that wrote it
   */
  public record Restock(String sku, int before, int after, long fencingToken, String instance) {}
}
