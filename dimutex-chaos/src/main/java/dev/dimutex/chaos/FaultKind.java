package dev.dimutex.chaos;

/** The kinds of fault the harness injects. */
public enum FaultKind {
  /** A random share of emulator requests answered 429, 500 or 503 (not applied). */
  ERROR_RATE,
  /** Extra latency on every emulator request. */
  LATENCY,
  /** A random share of requests applied, then the connection closed without a response. */
  DROP_RATE,
  /** The emulator's per-object mutation rate limit (429 beyond it). */
  RATE_LIMIT,
  /** SIGKILL of a worker process while it held the lock. */
  CRASH,
  /** SIGSTOP of the holder for longer than the TTL, then SIGCONT. */
  FREEZE,
  /** A worker whose lock registry runs on a clock shifted by minutes. */
  CLOCK_OFFSET
}
