package dev.dimutex.spi;

/**
 * One state of a lock object: the generation identifies the acquisition (the object's content
 * version), the metageneration counts metadata updates within that generation.
 *
 * @param generation the object generation; never 0 for an existing object
 * @param metageneration the metageneration within that generation, starting at 1
 */
public record ObjectVersion(long generation, long metageneration) {

  /**
   * Validates the components.
   *
   * @param generation see the record description
   * @param metageneration see the record description
   * @throws IllegalArgumentException if the generation is 0 or the metageneration is below 1
   */
  public ObjectVersion {
    if (generation == 0) {
      throw new IllegalArgumentException("generation must not be 0 (0 means 'no live object')");
    }
    if (metageneration < 1) {
      throw new IllegalArgumentException(
          "metageneration must be at least 1, was " + metageneration);
    }
  }

  @Override
  public String toString() {
    return generation + "/" + metageneration;
  }
}
