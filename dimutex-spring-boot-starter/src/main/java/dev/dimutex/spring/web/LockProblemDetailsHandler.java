package dev.dimutex.spring.web;

import dev.dimutex.LockTimeoutException;
import dev.dimutex.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a lock exception that escapes an annotated Spring MVC or WebFlux handler (including one
 * signalled by a {@code Mono} or {@code Flux}) with RFC 9457 problem details instead of a 500 and
 * an ERROR stack trace:
 *
 * <ul>
 *   <li>{@link LockTimeoutException} (the lock stayed held by someone else): {@code 409 Conflict},
 *       title "Lock held elsewhere";
 *   <li>{@link StoreUnavailableException} (the lock store could not be reached): {@code 503 Service
 *       Unavailable}, title "Lock store unavailable".
 * </ul>
 *
 * <p>The detail is the exception's message, which names the lock. Registered by the
 * auto-configuration unless {@code dimutex.web.problem-details.enabled=false}; it has the lowest
 * precedence, so handlers of the application for the same exceptions win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class LockProblemDetailsHandler {

  private static final Logger log = LoggerFactory.getLogger(LockProblemDetailsHandler.class);

  /** Creates the handler. */
  public LockProblemDetailsHandler() {}

  /**
   * The lock stayed held by someone else for the whole wait.
   *
   * @param e the exception
   * @return a 409 problem
   */
  @ExceptionHandler(LockTimeoutException.class)
  public ProblemDetail lockHeldElsewhere(LockTimeoutException e) {
    log.debug("Answering 409: {}", e.getMessage());
    return problem(HttpStatus.CONFLICT, "Lock held elsewhere", e);
  }

  /**
   * The lock store could not be reached, so nobody knows whether the lock is held.
   *
   * @param e the exception
   * @return a 503 problem
   */
  @ExceptionHandler(StoreUnavailableException.class)
  public ProblemDetail lockStoreUnavailable(StoreUnavailableException e) {
    log.warn("Answering 503: {}", e.getMessage());
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock store unavailable", e);
  }

  private static ProblemDetail problem(HttpStatus status, String title, RuntimeException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(status, String.valueOf(e.getMessage()));
    problem.setTitle(title);
    return problem;
  }
}
