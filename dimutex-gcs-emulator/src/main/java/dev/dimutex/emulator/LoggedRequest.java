package dev.dimutex.emulator;

import java.util.Objects;

/**
 * One handled request in the {@link RequestLog}.
 *
 * @param sequence position in the log: 1 for the first request the emulator completed, increasing
 *     in order of completion (and never reset)
 * @param request what was requested
 * @param status the HTTP status answered (for a dropped response: the status that would have been
 *     sent)
 * @param startNanos {@link System#nanoTime()} of this JVM when the request arrived
 * @param durationNanos time from arrival until the response was ready to send (including injected
 *     latency); the entry is logged before the response is sent, so a client that has its answer
 *     finds the request in the log
 * @param faultInjected whether an injected fault decided the outcome (a failure, a rate-limit 429
 *     or a dropped response)
 * @param responseDropped whether the request was applied and the client got no (complete) answer:
 *     an injected drop, or sending the response failed (for example, the client closed the
 *     connection first)
 */
public record LoggedRequest(
    long sequence,
    RequestInfo request,
    int status,
    long startNanos,
    long durationNanos,
    boolean faultInjected,
    boolean responseDropped) {

  /**
   * Validates the entry.
   *
   * @param sequence the sequence number
   * @param request the request
   * @param status the status
   * @param startNanos arrival time
   * @param durationNanos duration
   * @param faultInjected whether a fault decided the outcome
   * @param responseDropped whether the response was dropped
   * @throws NullPointerException if {@code request} is {@code null}
   */
  public LoggedRequest {
    Objects.requireNonNull(request, "request");
  }
}
