package dev.dimutex.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test (or a test class) as evidence for a claim that the documentation makes.
 *
 * <p>A claim is a checkable sentence in {@code README.md}, {@code dimutex-core/SEMANTICS.md},
 * {@code dimutex-spring-boot-starter/STARTER.md} or {@code dimutex-gcs-emulator/EMULATOR.md} that
 * carries an id in square brackets, for example {@code [C-REL-3]}. The {@code dimutex-claims}
 * module's check fails the build when a claim id has no test, when a test names an id that no
 * document defines, or when a document defines an id twice; {@code CLAIMS.md} at the repository
 * root lists every claim with its tests.
 *
 * <p>The check reads source files, so the annotation has no effect at run time. A test that backs
 * several claims repeats the annotation. Tests in {@code dimutex-gcs-emulator}, which cannot depend
 * on this module, name their claim with a JUnit tag of the same id instead.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(Claim.List.class)
public @interface Claim {

  /**
   * The claim's id as the document writes it inside the brackets, for example {@code C-REL-3}.
   *
   * @return the claim id
   */
  String value();

  /** Holds repeated {@link Claim} annotations; written by the compiler, not by hand. */
  @Documented
  @Retention(RetentionPolicy.SOURCE)
  @Target({ElementType.METHOD, ElementType.TYPE})
  @interface List {

    /**
     * The repeated claims.
     *
     * @return the claims, in source order
     */
    Claim[] value();
  }
}
