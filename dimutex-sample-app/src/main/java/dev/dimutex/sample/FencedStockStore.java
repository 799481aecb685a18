package dev.dimutex.sample;

import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Stands in for a downstream system (a database, another service) that protects itself with fencing
 * tokens: it remembers the highest token that wrote each item and rejects writes that carry a lower
 * one. A client that lost its lock while paused (a long GC pause, a frozen VM) and then wakes up to
 * write is refused, because its successor has written with a newer token.
 *
 * <p>It relies on dimutex tokens increasing from one holder of a lock to the next. The token is the
 * generation of the GCS lock object: GCS documents generations as unique per object name and they
 * are timestamps that increase in practice, but the documentation does not promise order. A store
 * that wants to rely only on what is documented can reject any token different from the one it last
 * accepted (see {@link dev.dimutex.Lease#fencingToken()}).
 *
 * <p>This one lives in memory, per instance; a real one would be shared by all instances.
 */
@Component
public class FencedStockStore {

  private final Map<String, Entry> items = new HashMap<>();

  /** Creates an empty store. */
  public FencedStockStore() {}

  /**
   * Reads the quantity of an item.
   *
   * @param sku the item
   * @return its quantity, 0 if never written
   */
  public synchronized int quantity(String sku) {
    Entry entry = items.get(sku);
    return entry == null ? 0 : entry.quantity();
  }

  /**
   * Writes the quantity of an item if the token is not older than the last one that wrote it.
   *
   * @param sku the item
   * @param quantity the new quantity
   * @param fencingToken the writer's fencing token
   * @throws StaleTokenException if a writer with a newer token has written this item
   */
  public synchronized void write(String sku, int quantity, long fencingToken) {
    Entry entry = items.get(sku);
    if (entry != null && fencingToken < entry.fencingToken()) {
      throw new StaleTokenException(sku, fencingToken, entry.fencingToken());
    }
    items.put(sku, new Entry(quantity, fencingToken));
  }

  private record Entry(int quantity, long fencingToken) {}

  /** A write carried a fencing token older than one the store has already accepted. */
  public static final class StaleTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param sku the item
     * @param token the rejected token
     * @param newest the newest token the store has accepted for the item
     */
    StaleTokenException(String sku, long token, long newest) {
      super(
          "rejected write of '"
              + sku
              + "' with fencing token "
              + token
              + ": a later lock holder already wrote with token "
              + newest);
    }
  }
}
