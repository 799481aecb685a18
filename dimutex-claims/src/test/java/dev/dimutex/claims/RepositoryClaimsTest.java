package dev.dimutex.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The gate: every claim of the four documents names a test or a benchmark key, every test names a
 * claim that exists, and CLAIMS.md is the table the sources give.
 */
class RepositoryClaimsTest {

  private static final Path ROOT = Path.of(System.getProperty("claims.root", "..")).normalize();

  @Test
  void everyClaimIsBackedAndEveryTestNamesAKnownClaim() {
    Ledger ledger = Repository.read(ROOT);
    System.out.println(ledger.table());

    assertThat(ledger.problems()).as("claims ledger problems").isEmpty();
  }

  @Test
  void claimsFileIsTheGeneratedTable() throws IOException {
    String table = Repository.read(ROOT).table();
    Path file = ROOT.resolve("CLAIMS.md");
    if (Boolean.getBoolean("claims.write")) {
      Files.writeString(file, table, StandardCharsets.UTF_8);
    }

    assertThat(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "")
        .as("CLAIMS.md differs from the sources; regenerate it with: " + Ledger.WRITE_COMMAND)
        .isEqualTo(table);
  }
}
