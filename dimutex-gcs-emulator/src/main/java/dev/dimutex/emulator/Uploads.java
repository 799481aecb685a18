package dev.dimutex.emulator;

import dev.dimutex.emulator.StoredObject.ObjectMeta;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Media, multipart and resumable uploads (the sessions themselves are {@link ResumableUploads}).
 */
final class Uploads {
  private final ObjectStore store;
  private final ObjectOps objects;
  private final ResumableUploads resumable;
  private final String baseUrl;

  Uploads(ObjectStore store, ObjectOps objects, ResumableUploads resumable, String baseUrl) {
    this.store = store;
    this.objects = objects;
    this.resumable = resumable;
    this.baseUrl = baseUrl;
  }

  Response upload(Request request, Route route) {
    UploadBody body = Objects.requireNonNull(route.upload());
    if (route.operation() == Operation.RESUMABLE_START) {
      return startResumable(request, route, body);
    }
    StoredObject o =
        objects.create(
            route.bucket(),
            route.object(),
            ObjectOps.uploaded(body.metadata(), body.data(), body.dataContentType()),
            Preconditions.parse(request.query()));
    return Response.json(200, Resources.object(o, baseUrl));
  }

  Response chunk(Request request) {
    return resumable.chunk(request, Objects.requireNonNull(request.param("upload_id")));
  }

  /** The object name of a resumable session, or {@code null} for an unknown id. */
  @Nullable String sessionObjectName(String uploadId) {
    return resumable.objectName(uploadId);
  }

  private Response startResumable(Request request, Route route, UploadBody body) {
    Bucket b = store.bucket(route.bucket());
    String name = route.object();
    if (name == null) {
      throw GcsException.required("name");
    }
    ObjectNames.validate(name);
    Resources.merge(ObjectMeta.EMPTY, body.metadata()); // validates now rather than at the end
    if (body.dataContentType() != null) {
      Resources.checkHeaderSafe("X-Upload-Content-Type", body.dataContentType());
    }
    return resumable.start(
        b.name,
        name,
        body.metadata(),
        body.dataContentType(),
        Preconditions.parse(request.query()));
  }
}
