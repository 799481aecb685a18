package dev.dimutex.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The sample's HTTP endpoints; {@code GET /} lists them. */
@RestController
public class SampleController {

  private final OrderService orders;
  private final InventoryService inventory;
  private final MigrationJob migration;
  private final CriticalSectionLog history;
  private final SampleProperties properties;

  /**
   * Creates the controller.
   *
   * @param orders per-order work under {@code @DistributedLock("order-#{#id}")}
   * @param inventory stock updates under a lease taken from the {@code LockRegistry}
   * @param migration the long job that checks its lease between steps
   * @param history this instance's recent critical sections
   * @param properties the sample settings
   */
  public SampleController(
      OrderService orders,
      InventoryService inventory,
      MigrationJob migration,
      CriticalSectionLog history,
      SampleProperties properties) {
    this.orders = orders;
    this.inventory = inventory;
    this.migration = migration;
    this.history = history;
    this.properties = properties;
  }

  /**
   * Lists the endpoints.
   *
   * @return endpoint descriptions keyed by method and path
   */
  @GetMapping("/")
  public Map<String, String> index() {
    Map<String, String> index = new LinkedHashMap<>();
    index.put("instance", properties.instance());
    index.put(
        "POST /orders/{id}/process", "per-order work under @DistributedLock(\"order-#{#id}\")");
    index.put("POST /inventory/{sku}/restock?amount=N", "LockRegistry + try-with-resources lease");
    index.put("GET /inventory/{sku}", "current quantity");
    index.put(
        "POST /inventory/{sku}/zombie-write?quantity=Q&token=T",
        "a write with an old fencing token, refused by the store");
    index.put("POST /migration", "long job that calls checkHealthy() between steps");
    index.put("GET /history", "this instance's recent critical sections");
    index.put("GET /actuator/health", "health, with the dimutex contributor");
    index.put("GET /actuator/locks", "leases held here and lock objects in the bucket");
    return index;
  }

  /**
   * Processes an order; concurrent calls for the same id run one after the other.
   *
   * @param id the order id
   * @return what happened, including how long the call waited for the lock
   */
  @PostMapping("/orders/{id}/process")
  public OrderService.OrderResult processOrder(@PathVariable String id) {
    return orders.process(id, System.nanoTime());
  }

  /**
   * Adds stock to an item.
   *
   * @param sku the item
   * @param amount how much to add
   * @return quantities before and after, and the fencing token
   */
  @PostMapping("/inventory/{sku}/restock")
  public InventoryService.Restock restock(
      @PathVariable String sku, @RequestParam(defaultValue = "1") int amount) {
    return inventory.restock(sku, amount);
  }

  /**
   * Reads the quantity of an item.
   *
   * @param sku the item
   * @return the item and its quantity
   */
  @GetMapping("/inventory/{sku}")
  public Map<String, Object> quantity(@PathVariable String sku) {
    return Map.of("sku", sku, "quantity", inventory.quantity(sku));
  }

  /**
   * Writes with an old fencing token, as a former holder that lost its lock would.
   *
   * @param sku the item
   * @param quantity the quantity to write
   * @param token the old fencing token
   * @return the item and its quantity, if the store accepted the write
   */
  @PostMapping("/inventory/{sku}/zombie-write")
  public Map<String, Object> zombieWrite(
      @PathVariable String sku, @RequestParam int quantity, @RequestParam long token) {
    inventory.zombieWrite(sku, quantity, token);
    return Map.of("sku", sku, "quantity", inventory.quantity(sku), "acceptedToken", token);
  }

  /**
   * Runs the long migration job; fails with 409 if it is already running.
   *
   * @return a summary of the run
   */
  @PostMapping("/migration")
  public MigrationJob.Migration runMigration() {
    return migration.run();
  }

  /**
   * Returns this instance's recent critical sections, oldest first.
   *
   * @return the sections
   */
  @GetMapping("/history")
  public List<CriticalSection> history() {
    return history.sections();
  }
}
