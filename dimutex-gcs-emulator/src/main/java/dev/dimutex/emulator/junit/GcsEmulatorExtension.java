package dev.dimutex.emulator.junit;

import com.google.cloud.storage.Storage;
import dev.dimutex.emulator.EmulatorStorage;
import dev.dimutex.emulator.GcsEmulator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link GcsEmulator} per test class (127.0.0.1, free port, bucket {@value
 * #DEFAULT_BUCKET}) and stops it after the class. Test and lifecycle methods can declare parameters
 * of type {@link GcsEmulator} and {@link Storage} (a client built by {@link EmulatorStorage},
 * shared by the class). Before each test, fault rules and the request log are cleared; objects
 * persist across the tests of a class.
 *
 * <pre>{@code
 * @ExtendWith(GcsEmulatorExtension.class)
 * class MyTest {
 *   @Test
 *   void works(Storage storage, GcsEmulator emulator) { ... }
 * }
 * }</pre>
 *
 * <p>Register it with {@code @ExtendWith} or as a {@code static} {@code @RegisterExtension} field.
 * Nested test classes share the emulator of their enclosing class.
 */
public final class GcsEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

  /** The bucket every emulator of this extension pre-creates. */
  public static final String DEFAULT_BUCKET = "test-bucket";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GcsEmulatorExtension.class);

  /** Creates the extension. */
  public GcsEmulatorExtension() {}

  /**
   * Starts the class's emulator unless an enclosing class already did.
   *
   * @param context the class context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (find(context) != null) {
      return;
    }
    GcsEmulator emulator = GcsEmulator.builder().bucket(DEFAULT_BUCKET).start();
    context.getStore(NAMESPACE).put(GcsEmulator.class, new Resources(emulator));
  }

  /**
   * Stops the emulator that this class started, and closes its client.
   *
   * @param context the class context
   * @throws Exception if closing fails
   */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Resources own = context.getStore(NAMESPACE).remove(GcsEmulator.class, Resources.class);
    if (own != null) {
      own.close();
    }
  }

  /**
   * Clears fault rules and the request log.
   *
   * @param context the test context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    Resources resources = find(context);
    if (resources != null) {
      resources.emulator.faults().clear();
      resources.emulator.requestLog().clear();
    }
  }

  /**
   * Supports parameters of type {@link GcsEmulator} and {@link Storage}.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return whether the parameter can be resolved
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == GcsEmulator.class || type == Storage.class;
  }

  /**
   * Resolves the class's emulator or its shared client.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return the emulator or the client
   * @throws ParameterResolutionException if no emulator runs for this context
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Resources resources = find(extensionContext);
    if (resources == null) {
      throw new ParameterResolutionException(
          "No GcsEmulator is running: register GcsEmulatorExtension with @ExtendWith or a static"
              + " @RegisterExtension field.");
    }
    Class<?> type = parameterContext.getParameter().getType();
    return type == GcsEmulator.class ? resources.emulator : resources.storage();
  }

  private static @Nullable Resources find(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Resources r = c.getStore(NAMESPACE).get(GcsEmulator.class, Resources.class);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static final class Resources {
    final GcsEmulator emulator;
    private @Nullable Storage storage;

    Resources(GcsEmulator emulator) {
      this.emulator = emulator;
    }

    synchronized Storage storage() {
      if (storage == null) {
        storage = EmulatorStorage.create(emulator);
      }
      return storage;
    }

    synchronized void close() throws Exception {
      try {
        if (storage != null) {
          storage.close();
        }
      } finally {
        emulator.close();
      }
    }
  }
}
