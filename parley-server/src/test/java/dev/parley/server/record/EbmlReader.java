package dev.parley.server.record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A minimal EBML reader for tests: parses elements strictly, failing on any inconsistency. */
final class EbmlReader {
    private EbmlReader() {
    }

    record Element(int id, byte[] file, int dataStart, int dataEnd) {
        List<Element> children() {
            return parse(file, dataStart, dataEnd);
        }

        List<Element> all(int childId) {
            return children().stream().filter(e -> e.id() == childId).toList();
        }

        Element one(int childId) {
            List<Element> found = all(childId);
            if (found.size() != 1) {
                throw new AssertionError(String.format("expected one 0x%X in 0x%X, found %d", childId, id, found.size()));
            }
            return found.get(0);
        }

        Optional<Element> optional(int childId) {
            return all(childId).stream().findFirst();
        }

        long uint() {
            long v = 0;
            for (int i = dataStart; i < dataEnd; i++) {
                v = v << 8 | (file[i] & 0xFF);
            }
            return v;
        }

        double float64() {
            return Double.longBitsToDouble(uint());
        }

        String string() {
            return new String(file, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8);
        }

        byte[] bytes() {
            return Arrays.copyOfRange(file, dataStart, dataEnd);
        }

        int size() {
            return dataEnd - dataStart;
        }
    }

    /** A SimpleBlock's header fields and payload. */
    record Block(int track, int relativeTime, boolean keyframe, byte[] data) {
        static Block of(Element e) {
            byte[] b = e.bytes();
            if ((b[0] & 0x80) == 0) {
                throw new AssertionError("track numbers above 127 are not expected");
            }
            int track = b[0] & 0x7F;
            int rel = (short) ((b[1] & 0xFF) << 8 | (b[2] & 0xFF));
            return new Block(track, rel, (b[3] & 0x80) != 0, Arrays.copyOfRange(b, 4, b.length));
        }
    }

    static List<Element> parse(byte[] file) {
        return parse(file, 0, file.length);
    }

    static List<Element> parse(byte[] file, int start, int end) {
        List<Element> out = new ArrayList<>();
        int p = start;
        while (p < end) {
            int first = file[p] & 0xFF;
            int idLength = Integer.numberOfLeadingZeros(first) - 23;
            if (first == 0 || idLength > 4) {
                throw new AssertionError("bad element id at " + p);
            }
            int id = 0;
            for (int i = 0; i < idLength; i++) {
                id = id << 8 | (file[p + i] & 0xFF);
            }
            p += idLength;
            int s0 = file[p] & 0xFF;
            int sizeLength = Integer.numberOfLeadingZeros(s0) - 23;
            if (s0 == 0 || sizeLength > 8) {
                throw new AssertionError("bad size at " + p);
            }
            long size = s0 & (0xFF >> sizeLength);
            for (int i = 1; i < sizeLength; i++) {
                size = size << 8 | (file[p + i] & 0xFF);
            }
            p += sizeLength;
            boolean unknown = size == (1L << (7 * sizeLength)) - 1;
            int dataEnd = unknown ? end : (int) (p + size);
            if (dataEnd > end) {
                throw new AssertionError(String.format("element 0x%X at %d overruns its parent (%d > %d)", id, p, dataEnd, end));
            }
            out.add(new Element(id, file, p, dataEnd));
            p = dataEnd;
        }
        return out;
    }
}
