package dev.parley.server.recordings;

import io.netty.handler.codec.http.FullHttpResponse;

import java.nio.file.Path;

/** What the recordings handler decided: a finished response, or a file for the static-file machinery. */
public sealed interface RecordingsAnswer {
    record Ready(FullHttpResponse response) implements RecordingsAnswer {
    }

    /** Serve {@code file} with GET/HEAD semantics, an H13 ETag and this Cache-Control (H43). */
    record ServeFile(Path file, String cacheControl) implements RecordingsAnswer {
    }
}
