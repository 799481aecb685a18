package dev.dimutex.emulator;

import com.sun.net.httpserver.Headers;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One parsed request: what it addresses, its body, and an early error if it is malformed. */
final class Call {
  enum Route {
    BUCKETS,
    BUCKET,
    OBJECTS,
    OBJECT,
    UPLOAD,
    DOWNLOAD,
    /** {@code GET/HEAD /{bucket}/{object}}: the XML API's object read, used by Go and Node. */
    XML_DOWNLOAD,
    ADMIN,
    UNSUPPORTED
  }

  final String method;
  final String rawPath;
  final Map<String, String> query;
  final Headers headers;
  final byte[] body;
  Route route = Route.UNSUPPORTED;
  Operation operation = Operation.OTHER;
  @Nullable String bucket;
  @Nullable String object;

  /** For admin requests: the path below {@code /_emulator}. */
  String adminPath = "";

  /** Set when the request is malformed or unsupported; answered without applying anything. */
  @Nullable GcsException error;

  /** For multipart uploads: the parsed JSON metadata part and the data part. */
  @Nullable Map<String, @Nullable Object> uploadMetadata;

  byte @Nullable [] uploadData;
  @Nullable String uploadContentType;

  Call(String method, String rawPath, Map<String, String> query, Headers headers, byte[] body) {
    this.method = method;
    this.rawPath = rawPath;
    this.query = query;
    this.headers = headers;
    this.body = body;
  }

  RequestInfo info() {
    return new RequestInfo(method, rawPath, query, operation, bucket, object);
  }

  @Nullable String header(String name) {
    return headers.getFirst(name);
  }
}
