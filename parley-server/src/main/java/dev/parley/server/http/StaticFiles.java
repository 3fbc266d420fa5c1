package dev.parley.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Static files with GET/HEAD semantics whatever the method (H10), directory rules (H12),
 * ETag and cache headers (H13), conditional requests and single byte ranges.
 */
final class StaticFiles {
    private final StaticRoot root;

    StaticFiles(StaticRoot root) {
        this.root = root;
    }

    FullHttpResponse serve(FullHttpRequest req, String path) throws IOException {
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

    /** Serves one file with the H6/H13 headers; also used for the group page (H22). */
    FullHttpResponse file(FullHttpRequest req, Path p, String cacheControl) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        long mtimeNanos = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        String etag = "\"" + attrs.size() + "-" + mtimeNanos + "\"";
        Instant mtime = attrs.lastModifiedTime().toInstant();
        FullHttpResponse r;
        String ifMatch = req.headers().get(HttpHeaderNames.IF_MATCH);
        if (ifMatch != null && !dev.parley.server.api.Preconditions.matches(etag, ifMatch)) {
            r = HttpResponses.response(HttpResponseStatus.PRECONDITION_FAILED, null, null);
        } else if (notModified(req, etag, mtime)) {
            r = HttpResponses.response(HttpResponseStatus.NOT_MODIFIED, null, null);
        } else {
            byte[] body = Files.readAllBytes(p);
            long[] range = range(req.headers().get(HttpHeaderNames.RANGE), body.length);
            if (range != null && range.length == 0) {
                r = HttpResponses.response(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, null, null);
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + body.length);
            } else if (range != null) {
                r = HttpResponses.response(HttpResponseStatus.PARTIAL_CONTENT, ContentTypes.of(p.getFileName().toString()),
                        Arrays.copyOfRange(body, (int) range[0], (int) range[1] + 1));
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + body.length);
            } else {
                r = HttpResponses.response(HttpResponseStatus.OK, ContentTypes.of(p.getFileName().toString()), body);
            }
            r.headers().set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }
        r.headers().set(HttpHeaderNames.ETAG, etag);
        r.headers().set(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(mtime.atZone(ZoneOffset.UTC)));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        return r;
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

    /** A single "bytes=a-b" range: null = whole file, empty array = unsatisfiable. */
    static long[] range(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            long start, end;
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(spec.substring(0, dash));
                end = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
            }
            if (start >= size || start > end) {
                return new long[0];
            }
            return new long[]{start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
