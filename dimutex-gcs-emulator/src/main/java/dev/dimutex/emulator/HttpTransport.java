package dev.dimutex.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's HTTP/1.1 server: one accept thread, one thread per open connection, and a watchdog
 * that closes connections whose current read or write outlives its deadline (request line and
 * headers, body, response, keep-alive idle). At most {@link Settings#maxConnections} are open: a
 * new connection beyond that evicts the oldest one that is idle or still sending its request, or is
 * answered 503 if every connection is being served. So slow or idle clients cannot hold more than
 * that many threads, and cannot keep others out. Every answer, including to a malformed request, is
 * in GCS's JSON error shape.
 */
final class HttpTransport implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HttpTransport.class.getName());

  /**
   * Connection bounds.
   *
   * @param maxConnections the most connections open at once
   * @param readTimeout the longest a request's line and headers, or its body, or the writing of a
   *     response, may take
   * @param idleTimeout the longest a keep-alive connection may wait for its next request
   */
  record Settings(int maxConnections, Duration readTimeout, Duration idleTimeout) {
    static final Settings DEFAULT =
        new Settings(256, Duration.ofSeconds(30), Duration.ofSeconds(60));

    Settings {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
      }
      if (readTimeout.isNegative() || readTimeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive, got " + readTimeout);
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
      }
    }
  }

  private final ServerSocket serverSocket;
  private final Settings settings;
  private final LongSupplier nanoTime = System::nanoTime;
  private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final ScheduledExecutorService watchdog;
  private final Thread acceptor;
  private volatile boolean closed;
  private volatile @Nullable GcsHandler handler;

  HttpTransport(InetSocketAddress address, Settings settings) throws IOException {
    this.settings = settings;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(address, 512);
    int id = serverSocket.getLocalPort();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t =
              new Thread(
                  null, r, "gcs-emulator-" + id + "-" + threads.incrementAndGet(), 512 * 1024);
          t.setDaemon(true);
          return t;
        };
    // At most one thread per admitted connection: a connection admitted while an evicted one's
    // thread is still winding down waits in the queue for it.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            settings.maxConnections(),
            settings.maxConnections(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            factory);
    pool.allowCoreThreadTimeOut(true);
    this.workers = pool;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gcs-emulator-" + id + "-watchdog");
              t.setDaemon(true);
              return t;
            });
    this.acceptor = factory.newThread(this::acceptLoop);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Starts serving with the handler. */
  void start(GcsHandler handler) {
    this.handler = handler;
    watchdog.scheduleWithFixedDelay(this::expire, 50, 50, TimeUnit.MILLISECONDS);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // For example, out of file descriptors: log and back off rather than spin.
        LOG.log(Level.WARNING, "accept failed", e);
        try {
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        continue;
      }
      try {
        admit(socket);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not serve a connection", e);
        closeQuietly(socket);
      }
    }
  }

  private void admit(Socket socket) {
    if (open.size() >= settings.maxConnections() && !evictOne()) {
      refuse(socket);
      return;
    }
    HttpConnection connection =
        new HttpConnection(socket, Objects.requireNonNull(handler), settings, nanoTime);
    open.add(connection);
    workers.execute(
        () -> {
          try {
            connection.serve();
          } finally {
            open.remove(connection);
          }
        });
  }

  /** Closes the connection waiting longest for a request; false if every one is being served. */
  private boolean evictOne() {
    return open.stream()
        .filter(HttpConnection::evictable)
        .min(Comparator.comparingLong(HttpConnection::waitingSince))
        .map(
            c -> {
              c.abort();
              open.remove(c);
              return true;
            })
        .orElse(false);
  }

  private static void refuse(Socket socket) {
    try (socket) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write(
          HttpConnection.errorBytes(
              new GcsException(
                  503, "backendError", "The emulator serves too many connections; retry later.")));
      out.flush();
    } catch (IOException e) {
      // the client is gone
    }
  }

  private void expire() {
    long now = nanoTime.getAsLong();
    for (HttpConnection c : open) {
      if (c.overdue(now)) {
        c.abort();
      }
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      // nothing to do
    }
    open.forEach(HttpConnection::abort);
    watchdog.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
