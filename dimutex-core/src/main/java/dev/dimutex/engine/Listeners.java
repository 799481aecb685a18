package dev.dimutex.engine;

import dev.dimutex.Lease;
import dev.dimutex.LockListener;
import dev.dimutex.LockLostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composite through which every {@link LockListener} is called. A listener that throws (an
 * exception or an {@link Error} other than a {@link VirtualMachineError}) is logged and skipped, so
 * it can neither end a refresh chain nor keep the other listeners from hearing the event.
 *
 * <p>Order, fixed by the callers: a lease's {@code onAcquired} comes before its caller's dependent
 * actions run (so before any {@code onReleased} or {@code onLost} of it), and in a local hand-over
 * the predecessor's {@code onReleased} comes before the successor's {@code onAcquired}. Callers
 * never hold a lease's or a slot's lock while they notify.
 */
final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<LockListener> listeners;

  Listeners(List<LockListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void acquired(Lease lease, Duration waited) {
    each("onAcquired", l -> l.onAcquired(lease, waited));
  }

  void staleTakeover(Lease lease, long previousFencingToken) {
    each("onStaleTakeover", l -> l.onStaleTakeover(lease, previousFencingToken));
  }

  void released(Lease lease, Duration held) {
    each("onReleased", l -> l.onReleased(lease, held));
  }

  void refreshFailed(Lease lease, Throwable cause) {
    each("onRefreshFailed", l -> l.onRefreshFailed(lease, cause));
  }

  void lost(Lease lease, LockLostException cause) {
    each("onLost", l -> l.onLost(lease, cause));
  }

  private void each(String event, Consumer<LockListener> call) {
    for (LockListener l : listeners) {
      try {
        call.accept(l);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        log.warn("LockListener {} failed in {}: {}", l, event, t.toString());
      }
    }
  }
}
