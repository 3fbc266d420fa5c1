package dev.parley.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Static files with GET/HEAD semantics whatever the method (H10), directory rules (H12),
 * ETag and cache headers (H13), conditional requests and byte ranges (RFC 9110), streamed from disk.
 */
final class StaticFiles {
    private final StaticRoot root;

    StaticFiles(StaticRoot root) {
        this.root = root;
    }

    HttpResponse serve(FullHttpRequest req, String path) throws IOException {
        Path p = root.resolve(path);
        if (p == null) {
            return HttpResponses.notFound(root);
        }
        if (Files.isDirectory(p)) {
            if (!path.endsWith("/")) {
                return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, path + "/");   // H12
            }
            Path index = p.resolve("index.html");
            if (!Files.isRegularFile(index)) {
                return HttpResponses.text(HttpResponseStatus.FORBIDDEN, "Forbidden");
            }
            p = index;
        }
        String cache = path.startsWith("/third-party/") ? "max-age=86400" : "max-age=1800";
        return file(req, p, cache);
    }

    /**
     * Serves one file with the H6/H13 headers; also used for the group page (H22). Stats and
     * opens the file: call it off the event loop. The body is streamed from disk by
     * {@link FileSender}, so a file of any size costs no heap.
     */
    HttpResponse file(FullHttpRequest req, Path p, String cacheControl) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            return HttpResponses.notFound(root);    // a FIFO or device would block the reader forever
        }
        long size = attrs.size();
        long mtimeNanos = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        String etag = "\"" + size + "-" + mtimeNanos + "\"";
        Instant mtime = attrs.lastModifiedTime().toInstant();
        HttpResponse r;
        String ifMatch = req.headers().get(HttpHeaderNames.IF_MATCH);
        if (ifMatch != null && !dev.parley.server.api.Preconditions.matches(etag, ifMatch)) {
            r = HttpResponses.response(HttpResponseStatus.PRECONDITION_FAILED, null, null);
        } else if (notModified(req, etag, mtime)) {
            r = HttpResponses.response(HttpResponseStatus.NOT_MODIFIED, null, null);
        } else {
            String range = ifRangeHolds(req, etag, mtime) ? req.headers().get(HttpHeaderNames.RANGE) : null;
            r = body(req, p, size, ByteRanges.parse(range, size));
            r.headers().set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }
        r.headers().set(HttpHeaderNames.ETAG, etag);
        r.headers().set(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(mtime.atZone(ZoneOffset.UTC)));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        return r;
    }

    /** 200, 206 or 416; the file is opened only when its bytes are to be sent (not for HEAD). */
    private static HttpResponse body(FullHttpRequest req, Path p, long size, ByteRanges ranges) throws IOException {
        String type = ContentTypes.of(p.getFileName().toString());
        if (ranges instanceof ByteRanges.Unsatisfiable) {
            HttpResponse r = HttpResponses.response(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, null, null);
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            return r;
        }
        HttpResponseStatus status;
        List<FileResponse.Piece> pieces;
        String contentType = type;
        String contentRange = null;
        if (ranges instanceof ByteRanges.Parts parts && parts.ranges().size() == 1) {
            ByteRanges.Range one = parts.ranges().getFirst();
            status = HttpResponseStatus.PARTIAL_CONTENT;
            pieces = List.of(new FileResponse.Region(one.first(), one.length()));
            contentRange = one.contentRange(size);
        } else if (ranges instanceof ByteRanges.Parts parts) {
            MultipartRanges multipart = MultipartRanges.of(parts.ranges(), type, size);
            status = HttpResponseStatus.PARTIAL_CONTENT;
            pieces = multipart.pieces();
            contentType = multipart.contentType();
        } else {
            status = HttpResponseStatus.OK;
            pieces = List.of(new FileResponse.Region(0, size));
        }
        OpenFile file = req.method().equals(HttpMethod.HEAD) ? null
                : OpenFile.open(p);
        FileResponse r = new FileResponse(status, file, pieces);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (contentRange != null) {
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
        }
        return r;
    }

    /**
     * RFC 9110 §13.1.5: a Range is honoured only if If-Range, when present, still names this
     * version of the file (a strong ETag match, or exactly its date), so that a resumed
     * download never splices two versions.
     */
    private static boolean ifRangeHolds(FullHttpRequest req, String etag, Instant mtime) {
        String ifRange = req.headers().get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        try {
            Instant date = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return date.equals(mtime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean notModified(FullHttpRequest req, String etag, Instant mtime) {
        String inm = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null) {
            return dev.parley.server.api.Preconditions.matches(etag, inm);
        }
        String ims = req.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ims != null) {
            try {
                Instant since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return !mtime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }
}
