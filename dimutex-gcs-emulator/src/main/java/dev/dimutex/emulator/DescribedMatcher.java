package dev.dimutex.emulator;

/** A matcher with a readable {@code toString()}, shown by the admin API. */
final class DescribedMatcher implements RequestMatcher {
  private final RequestMatcher delegate;
  private final String description;

  DescribedMatcher(RequestMatcher delegate, String description) {
    this.delegate = delegate;
    this.description = description;
  }

  @Override
  public boolean matches(RequestInfo request) {
    return delegate.matches(request);
  }

  @Override
  public String toString() {
    return description;
  }
}
