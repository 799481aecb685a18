package dev.dimutex.simulation;

import dev.dimutex.spi.LockStore;
import dev.dimutex.testing.LockStoreContract;
import java.util.EnumSet;

/**
 * The store contract on the simulator's store (one registry's view, faults off except the scripted
 * ones): the same suite passes on GcsLockStore over the emulator, so the simulated store behaves
 * like GCS.
 */
class SimulatedStoreContractTest extends LockStoreContract {

  private final World world = new World(1, Knobs.named("today"), EnumSet.noneOf(Breakage.class));
  private final Node node = newNode();

  private Node newNode() {
    Checker checker = new Checker(world, 0);
    return new Node(
        world,
        "contract",
        new NodeClock(world, 1.0, 0, 0),
        0,
        java.time.Duration.ofSeconds(2),
        java.time.Duration.ofMillis(10),
        java.time.Duration.ofMillis(100),
        checker);
  }

  @Override
  protected LockStore store() {
    return node.store;
  }

  @Override
  protected void failNextRequest(int status) {
    node.store.failNextRequest(status);
  }

  @Override
  protected void loseNextAnswer() {
    node.store.failNextRequest(0);
  }
}
