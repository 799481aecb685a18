package dev.dimutex.chaos;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the checker looks at after a run.
 *
 * @param sections every critical section of every worker process
 * @param finalCount the counter value read from the emulator after all workers stopped
 * @param finalWriter the nonce stored with that value ({@code null} for the initial value)
 * @param lastConfirmedRefreshNanos per fencing token, when the last refresh of that lease that the
 *     emulator applied arrived there (shared clock); tokens never refreshed are absent
 * @param faults every fault injected
 * @param workerRequests per worker process, its requests from the emulator's request log
 * @param totalRequests all non-admin requests the emulator served
 * @param runEndNanos when the workers were told to stop (shared clock)
 * @param unexpectedExits worker processes that died without being killed, or did not stop cleanly
 *     when asked, with their exit status
 */
public record ChaosHistory(
    List<Section> sections,
    long finalCount,
    @Nullable String finalWriter,
    Map<Long, Long> lastConfirmedRefreshNanos,
    List<FaultEvent> faults,
    List<WorkerRequests> workerRequests,
    long totalRequests,
    long runEndNanos,
    List<String> unexpectedExits) {

  /**
   * Copies the collections.
   *
   * @param sections see the record description
   * @param finalCount see the record description
   * @param finalWriter see the record description
   * @param lastConfirmedRefreshNanos see the record description
   * @param faults see the record description
   * @param workerRequests see the record description
   * @param totalRequests see the record description
   * @param runEndNanos see the record description
   * @param unexpectedExits see the record description
   */
  public ChaosHistory {
    sections = List.copyOf(sections);
    lastConfirmedRefreshNanos = Map.copyOf(lastConfirmedRefreshNanos);
    faults = List.copyOf(faults);
    workerRequests = List.copyOf(workerRequests);
    unexpectedExits = List.copyOf(unexpectedExits);
  }
}
