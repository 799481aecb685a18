package dev.dimutex.spring;

import dev.dimutex.LockRegistry;
import dev.dimutex.Mutex;
import dev.dimutex.StoreUnavailableException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;

/** A {@link LockRegistry} whose store is down: every acquisition fails as an outage. */
final class LockTestDoubles {

  private LockTestDoubles() {}

  /** The last store error that the unreachable registry reports. */
  static final IOException STORE_ERROR = new IOException("503 Service Unavailable (emulated)");

  static LockRegistry unreachableStore() {
    return new LockRegistry() {
      @Override
      public Mutex obtain(String name) {
        return unreachableMutex(name);
      }

      @Override
      public void close() {}
    };
  }

  private static Mutex unreachableMutex(String name) {
    return (Mutex)
        Proxy.newProxyInstance(
            Mutex.class.getClassLoader(),
            new Class<?>[] {Mutex.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "name" -> name;
                  case "tryAcquire", "acquire", "isLocked" -> throw outage(name);
                  case "acquireAsync" -> CompletableFuture.failedFuture(outage(name));
                  case "toString" -> "unreachable mutex " + name;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static StoreUnavailableException outage(String name) {
    return new StoreUnavailableException(
        "Lock '" + name + "': every attempt failed with a store error", STORE_ERROR);
  }
}
