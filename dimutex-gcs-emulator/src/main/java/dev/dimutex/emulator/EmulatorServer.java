package dev.dimutex.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The running parts of one {@link GcsEmulator}, wired from its {@link EmulatorOptions}: the object
 * store with the pre-created buckets, the fault injection, the request log, the optional admin API,
 * and the HTTP transport that serves them all through one {@link GcsHandler}.
 */
final class EmulatorServer implements AutoCloseable {
  final ObjectStore store;
  final Faults faults;
  final RequestLog requestLog;
  final String baseUrl;
  final int port;
  private final HttpTransport transport;

  private EmulatorServer(EmulatorOptions o) throws IOException {
    this.faults = new Faults(System::nanoTime, o.seed);
    this.requestLog = new RequestLog(o.logCapacity);
    this.store = new ObjectStore(o.clock);
    for (String bucket : o.buckets) {
      store.createBucket(bucket);
    }
    InetAddress address = InetAddress.getByName(o.host);
    this.transport =
        new HttpTransport(new InetSocketAddress(address, o.port), o.transportSettings());
    this.port = transport.port();
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : (address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress());
    this.baseUrl = "http://" + host + ":" + port;
    AdminApi admin = o.adminApi ? new AdminApi(faults, requestLog, o.clock, store) : null;
    transport.start(
        new GcsHandler(store, faults, requestLog, admin, o.uploadLimits(), o.nanoTime, baseUrl));
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws UncheckedIOException if the server cannot bind
   */
  static EmulatorServer start(EmulatorOptions options) {
    try {
      return new EmulatorServer(options);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the GCS emulator on " + options.host + ":" + options.port, e);
    }
  }

  /** Stops serving (open connections are closed) and frees the port. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }
}
