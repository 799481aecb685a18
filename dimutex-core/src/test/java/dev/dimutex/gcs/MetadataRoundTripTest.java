package dev.dimutex.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimutex.spi.LockRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The store hands back the record it sent instead of parsing the echoed metadata again; that is
 * only equivalent because parsing what {@code toMetadata} wrote gives the same record whenever the
 * TTL is a whole number of milliseconds.
 */
class MetadataRoundTripTest {

  @Test
  void parsingWrittenMetadataGivesTheSameRecordForWholeMillisecondTtls() {
    LockRecord r =
        new LockRecord(
            "owner-1",
            "host (pid 42)",
            "nonce-1",
            Duration.ofMillis(60_001),
            Instant.ofEpochSecond(1_795_000_000L, 123_456_789),
            7);
    assertThat(LockMetadata.fromMetadata(LockMetadata.toMetadata(r))).isEqualTo(r);

    LockRecord wholeSecond =
        new LockRecord(
            "o", "", "n", Duration.ofSeconds(5), Instant.ofEpochSecond(1_795_000_000L), 0);
    assertThat(LockMetadata.fromMetadata(LockMetadata.toMetadata(wholeSecond)))
        .isEqualTo(wholeSecond);
  }

  @Test
  void aSubMillisecondTtlDoesNotRoundTripSoItIsAlwaysParsed() {
    LockRecord r =
        new LockRecord(
            "o", "", "n", Duration.ofMillis(1500).plusNanos(1), Instant.ofEpochSecond(1), 0);
    assertThat(LockMetadata.fromMetadata(LockMetadata.toMetadata(r))).isNotEqualTo(r);
  }
}
