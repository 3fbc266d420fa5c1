package dev.parley.server.http;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * A response whose body comes from a file: pieces of literal bytes (multipart headers) and
 * regions of the file, sent by {@link FileSender} without ever holding the file in the heap.
 * Without an open file (a HEAD request) only the headers are sent, with the body's length.
 */
final class FileResponse extends DefaultHttpResponse {
    /** One piece of the body. */
    sealed interface Piece {
        long length();
    }

    record Bytes(byte[] bytes) implements Piece {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    record Region(long offset, long length) implements Piece {
    }

    private final OpenFile file;
    private final List<Piece> body;

    /** @param file the open file the regions read, or null to send the headers only */
    FileResponse(HttpResponseStatus status, OpenFile file, List<Piece> body) {
        super(HttpVersion.HTTP_1_1, status);
        this.file = file;
        this.body = List.copyOf(body);
        headers().set(HttpHeaderNames.CONTENT_LENGTH, this.body.stream().mapToLong(Piece::length).sum());
    }

    /** Null when only the headers are to be sent. */
    OpenFile file() {
        return file;
    }

    List<Piece> body() {
        return body;
    }
}
