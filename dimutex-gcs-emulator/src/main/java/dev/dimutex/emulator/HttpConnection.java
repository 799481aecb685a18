package dev.dimutex.emulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * One client connection: reads requests (keep-alive), hands them to the {@link GcsHandler} and
 * writes the answers. Its {@link State} tells the {@link HttpTransport}'s watchdog which deadline
 * applies and whether the connection may be evicted.
 */
final class HttpConnection {
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  /**
   * IDLE (waiting for a request) → HEADERS → BODY → HANDLING → WRITING → IDLE ...; CLOSED from any
   * state. Only this class assigns it; the deadline belongs to IDLE, HEADERS, BODY and WRITING.
   */
  enum State {
    IDLE,
    HEADERS,
    BODY,
    HANDLING,
    WRITING,
    CLOSED
  }

  private final Socket socket;
  private final GcsHandler handler;
  private final HttpTransport.Settings settings;
  private final LongSupplier nanoTime;
  private volatile State state = State.IDLE;
  private volatile long deadline;
  private volatile long waitingSince;

  HttpConnection(
      Socket socket, GcsHandler handler, HttpTransport.Settings settings, LongSupplier nanoTime) {
    this.socket = socket;
    this.handler = handler;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.waitingSince = nanoTime.getAsLong();
    this.deadline = waitingSince + settings.readTimeout().toNanos();
  }

  boolean evictable() {
    State s = state;
    return s == State.IDLE || s == State.HEADERS;
  }

  long waitingSince() {
    return waitingSince;
  }

  boolean overdue(long now) {
    State s = state;
    return s != State.HANDLING && s != State.CLOSED && now - deadline > 0;
  }

  void abort() {
    state = State.CLOSED;
    HttpTransport.closeQuietly(socket);
  }

  private void enter(State next, Duration timeout) {
    deadline = nanoTime.getAsLong() + timeout.toNanos();
    state = next;
  }

  void serve() {
    try {
      socket.setTcpNoDelay(true);
      // Small per-connection buffers: a slow client costs its thread and 8 KiB, and every answer is
      // written as one serialized array, so output needs no buffer.
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
      OutputStream out = socket.getOutputStream();
      boolean first = true;
      while (state != State.CLOSED) {
        waitingSince = nanoTime.getAsLong();
        enter(State.IDLE, first ? settings.readTimeout() : settings.idleTimeout());
        first = false;
        int b = in.read();
        if (b < 0) {
          return;
        }
        enter(State.HEADERS, settings.readTimeout());
        if (!exchange(in, out, b)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away, or the watchdog closed the connection
    } finally {
      abort();
    }
  }

  /** Serves one request; returns whether the connection stays open. */
  private boolean exchange(InputStream in, OutputStream out, int firstByte) throws IOException {
    HttpHead head;
    try {
      head = HttpHead.read(in, firstByte);
    } catch (GcsException e) {
      writeFinal(out, errorBytes(e));
      return false;
    }
    if (head == null) {
      return false;
    }
    String connection = String.valueOf(head.header("Connection")).toLowerCase(Locale.ROOT);
    boolean keepAlive =
        head.http10() ? connection.contains("keep-alive") : !connection.contains("close");
    byte[] body = new byte[0];
    GcsException error = null;
    String te = head.header("Transfer-Encoding");
    String cl = head.header("Content-Length");
    try {
      long length = 0;
      if (te != null) {
        if (!te.strip().equalsIgnoreCase("chunked")) {
          throw GcsException.notImplemented("Transfer-Encoding '" + te + "' (chunked is served)");
        }
        if (cl != null) {
          throw GcsException.invalid("Both Content-Length and Transfer-Encoding were sent.");
        }
      } else if (cl != null) {
        length = Numbers.parse("Content-Length", cl);
        if (length > MAX_BODY_BYTES) {
          throw bodyTooLarge();
        }
      }
      if ((te != null || length > 0)
          && "100-continue".equalsIgnoreCase(String.valueOf(head.header("Expect")).strip())) {
        out.write(HttpHead.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        out.flush();
      }
      enter(State.BODY, settings.readTimeout());
      body = te != null ? Chunked.read(in, MAX_BODY_BYTES) : in.readNBytes((int) length);
      if (body.length < length) {
        return false; // the client closed mid-body
      }
    } catch (GcsException e) {
      // The body is not (fully) read, so the connection cannot be reused.
      error = e;
      keepAlive = false;
    }
    enter(State.HANDLING, settings.readTimeout());
    Request request = request(head, body, error);
    GcsHandler.Outcome outcome = handler.handle(request);
    if (outcome.drop()) {
      return false;
    }
    enter(State.WRITING, settings.readTimeout());
    try {
      out.write(serialize(outcome.response(), request.method().equals("HEAD"), !keepAlive));
      out.flush();
    } catch (IOException e) {
      handler.sendFailed(outcome, e);
      return false;
    }
    return keepAlive;
  }

  private void writeFinal(OutputStream out, byte[] bytes) throws IOException {
    enter(State.WRITING, settings.readTimeout());
    out.write(bytes);
    out.flush();
  }

  private static Request request(HttpHead head, byte[] body, @Nullable GcsException error) {
    String method = head.method().toUpperCase(Locale.ROOT);
    String override = head.header("X-HTTP-Method-Override");
    if (override != null && method.equals("POST")) {
      method = override.strip().toUpperCase(Locale.ROOT);
    }
    String target = head.target();
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = Map.of();
    try {
      query = Urls.parseQuery(q < 0 ? null : target.substring(q + 1));
      if (error == null) {
        body = inflate(head, body);
      }
    } catch (GcsException e) {
      error = error == null ? e : error;
    }
    return new Request(method, rawPath, query, head.headers(), body, error);
  }

  private static byte[] inflate(HttpHead head, byte[] raw) {
    String encoding = head.header("Content-Encoding");
    if (encoding == null || !encoding.strip().equalsIgnoreCase("gzip") || raw.length == 0) {
      return raw;
    }
    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      byte[] inflated = gz.readNBytes(MAX_BODY_BYTES + 1);
      if (inflated.length > MAX_BODY_BYTES) {
        throw bodyTooLarge();
      }
      return inflated;
    } catch (IOException e) {
      throw GcsException.invalid("The gzip-encoded request body is corrupt.");
    }
  }

  static GcsException bodyTooLarge() {
    return new GcsException(
        413, "uploadTooLarge", "Request bodies are limited to " + MAX_BODY_BYTES + " bytes.");
  }

  /** An error answer that closes the connection. */
  static byte[] errorBytes(GcsException e) {
    return serialize(Response.error(e), false, true);
  }

  static byte[] serialize(Response response, boolean head, boolean close) {
    int status = response.status;
    boolean noBody = status == 204 || status == 304;
    StringBuilder sb = new StringBuilder(256);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    response.headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    if (!noBody) {
      sb.append("Content-Length: ").append(response.body.length).append("\r\n");
    }
    if (close) {
      sb.append("Connection: close\r\n");
    }
    sb.append("\r\n");
    byte[] headBytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (noBody || head || response.body.length == 0) {
      return headBytes;
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream(headBytes.length + response.body.length);
    all.writeBytes(headBytes);
    all.writeBytes(response.body);
    return all.toByteArray();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 304 -> "Not Modified";
      case 308 -> "Resume Incomplete";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 413 -> "Payload Too Large";
      case 416 -> "Requested Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> "Status " + status;
    };
  }
}
