package dev.parley.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Range} header (RFC 9110 §14.2) resolved against a file's size, the way the reference
 * (Go's {@code http.ServeContent}) resolves it: out-of-file ranges are dropped, the rest are
 * clipped; a request whose ranges add up to more than the file is served whole (so overlapping
 * ranges cannot multiply the bytes sent).
 */
sealed interface ByteRanges {
    /** No usable Range: serve the whole file with 200. */
    record Whole() implements ByteRanges {
    }

    /** 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements ByteRanges {
    }

    /** 206: one range as such, several as {@code multipart/byteranges}. */
    record Parts(List<Range> ranges) implements ByteRanges {
    }

    /** Inclusive first and last byte positions. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    static ByteRanges parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();                     // RFC 9110: ignore a range unit we do not know
        }
        List<Range> ranges = new ArrayList<>();
        boolean anySpec = false;
        long total = 0;
        for (String raw : h.substring(6).split(",", -1)) {
            String spec = raw.trim();
            if (spec.isEmpty()) {
                continue;
            }
            anySpec = true;
            Range r;
            try {
                r = one(spec, size);
            } catch (NumberFormatException e) {
                return new Unsatisfiable();         // syntax error: rejected, as the reference does
            }
            if (r != null) {
                ranges.add(r);
                total += r.length();
            }
        }
        if (!anySpec) {
            return new Whole();
        }
        if (ranges.isEmpty()) {
            return new Unsatisfiable();
        }
        return total > size ? new Whole() : new Parts(List.copyOf(ranges));
    }

    /** One spec, or null when it lies outside the file; throws on bad syntax. */
    private static Range one(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw new NumberFormatException(spec);
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            long suffix = digits(to);
            // A zero-length suffix selects nothing (RFC 9110 §14.1.3).
            return suffix == 0 || size == 0 ? null : new Range(size - Math.min(suffix, size), size - 1);
        }
        long first = digits(from);
        long last = to.isEmpty() ? size - 1 : digits(to);
        if (last < first) {
            throw new NumberFormatException(spec);
        }
        return first >= size ? null : new Range(first, Math.min(last, size - 1));
    }

    /** A non-negative decimal number (no sign, no spaces inside). */
    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }
}
