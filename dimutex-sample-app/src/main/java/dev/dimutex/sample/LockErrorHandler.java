package dev.dimutex.sample;

import dev.dimutex.InvalidLockNameException;
import dev.dimutex.LockException;
import dev.dimutex.LockLostException;
import dev.dimutex.LockTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns lock outcomes into HTTP problem responses. */
@RestControllerAdvice
public class LockErrorHandler {

  /** Creates the handler. */
  public LockErrorHandler() {}

  /**
   * The lock stayed held by someone else for the whole wait.
   *
   * @param e the exception
   * @return 409 Conflict
   */
  @ExceptionHandler(LockTimeoutException.class)
  public ProblemDetail lockHeld(LockTimeoutException e) {
    return problem(HttpStatus.CONFLICT, "Lock held elsewhere", e);
  }

  /**
   * The downstream store refused an old fencing token.
   *
   * @param e the exception
   * @return 409 Conflict
   */
  @ExceptionHandler(FencedStockStore.StaleTokenException.class)
  public ProblemDetail staleToken(FencedStockStore.StaleTokenException e) {
    return problem(HttpStatus.CONFLICT, "Stale fencing token", e);
  }

  /**
   * The lease was lost while the work ran.
   *
   * @param e the exception
   * @return 503 Service Unavailable
   */
  @ExceptionHandler(LockLostException.class)
  public ProblemDetail lockLost(LockLostException e) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock lost", e);
  }

  /**
   * The key in the request makes a lock name that GCS does not accept.
   *
   * @param e the exception
   * @return 400 Bad Request
   */
  @ExceptionHandler(InvalidLockNameException.class)
  public ProblemDetail invalidName(InvalidLockNameException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid lock name", e);
  }

  /**
   * Any other lock failure (store unavailable, configuration).
   *
   * @param e the exception
   * @return 503 Service Unavailable
   */
  @ExceptionHandler(LockException.class)
  public ProblemDetail lockFailed(LockException e) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock failure", e);
  }

  private static ProblemDetail problem(HttpStatus status, String title, RuntimeException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(status, String.valueOf(e.getMessage()));
    problem.setTitle(title);
    return problem;
  }
}
