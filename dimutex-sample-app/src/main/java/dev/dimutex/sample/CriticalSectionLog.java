package dev.dimutex.sample;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The most recent critical sections of this instance, newest last. Served by {@code GET /history}
 * and read by the tests to check that no two holders of a lock overlapped.
 */
@Component
public class CriticalSectionLog {

  private static final int CAPACITY = 1000;

  private final Deque<CriticalSection> sections = new ArrayDeque<>();

  /** Creates an empty log. */
  public CriticalSectionLog() {}

  /**
   * Records a finished critical section, dropping the oldest beyond the capacity of 1000.
   *
   * @param section the section
   */
  public synchronized void record(CriticalSection section) {
    if (sections.size() == CAPACITY) {
      sections.removeFirst();
    }
    sections.addLast(section);
  }

  /**
   * Returns the recorded sections, oldest first.
   *
   * @return a snapshot
   */
  public synchronized List<CriticalSection> sections() {
    return List.copyOf(sections);
  }

  /**
   * Returns the recorded sections of one lock, oldest first.
   *
   * @param lock the lock name
   * @return a snapshot
   */
  public synchronized List<CriticalSection> sections(String lock) {
    return sections.stream().filter(s -> s.lock().equals(lock)).toList();
  }
}
