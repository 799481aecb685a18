package dev.dimutex.testing;

import dev.dimutex.spi.LockStore;

/** The store contract on the in-memory store that the simulator and the unit tests use. */
class InMemoryLockStoreContractTest extends LockStoreContract {

  private final FakeTime time = new FakeTime();
  private final InMemoryLockStore store =
      new InMemoryLockStore(time.clock(java.time.Duration.ZERO));

  @Override
  protected LockStore store() {
    time.advance(java.time.Duration.ofMillis(1));
    return store;
  }

  @Override
  protected void failNextRequest(int status) {
    store.failNextRequest(status);
  }

  @Override
  protected void loseNextAnswer() {
    store.dropNextRequest();
  }
}
