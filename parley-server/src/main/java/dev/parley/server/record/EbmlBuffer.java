package dev.parley.server.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that speaks EBML (RFC 8794): element ids, variable-length sizes and
 * the scalar element types. Master elements get an 8-byte size that is patched when they end,
 * so nothing needs to be known in advance. Reused between flushes: no allocation once grown.
 */
final class EbmlBuffer {
    /** The 8-byte "unknown size" (all value bits set). */
    static final long UNKNOWN_SIZE = 0x00FFFFFFFFFFFFFFL;

    private byte[] bytes;
    private int length;

    EbmlBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    void clear() {
        length = 0;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    void put(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    void put(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    /** An element id: ids carry their own length marker, so they are written as their bytes. */
    void id(int id) {
        int n = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = n - 1; i >= 0; i--) {
            put(id >>> (8 * i));
        }
    }

    /** The shortest size vint for {@code size}. */
    void size(long size) {
        int n = 1;
        while (n < 8 && size >= (1L << (7 * n)) - 1) {
            n++;
        }
        writeVint(size, n);
    }

    private void writeVint(long value, int n) {
        long marked = value | (1L << (7 * n));
        for (int i = n - 1; i >= 0; i--) {
            put((int) (marked >>> (8 * i)));
        }
    }

    /** Writes {@code size} as an 8-byte vint at {@code pos} of {@code dst}. */
    static void putSize8(byte[] dst, int pos, long size) {
        long marked = size | (1L << 56);
        for (int i = 0; i < 8; i++) {
            dst[pos + i] = (byte) (marked >>> (8 * (7 - i)));
        }
    }

    /** Starts a master element with an unknown 8-byte size; returns where the size is. */
    int startMaster(int id) {
        id(id);
        int at = length;
        ensure(8);
        putSize8(bytes, at, UNKNOWN_SIZE);
        length += 8;
        return at;
    }

    /** Ends a master element started in this buffer at {@code sizeAt}. */
    void endMaster(int sizeAt) {
        putSize8(bytes, sizeAt, length - sizeAt - 8);
    }

    void uint(int id, long value) {
        int n = 1;
        while (n < 8 && (value >>> (8 * n)) != 0) {
            n++;
        }
        id(id);
        size(n);
        for (int i = n - 1; i >= 0; i--) {
            put((int) (value >>> (8 * i)));
        }
    }

    void float64(int id, double value) {
        id(id);
        size(8);
        float64Value(value);
    }

    /** The 8 bytes of a float element's value, without id or size. */
    void float64Value(double value) {
        long bits = Double.doubleToLongBits(value);
        for (int i = 7; i >= 0; i--) {
            put((int) (bits >>> (8 * i)));
        }
    }

    void string(int id, String value) {
        binary(id, value.getBytes(StandardCharsets.UTF_8));
    }

    void binary(int id, byte[] value) {
        id(id);
        size(value.length);
        put(value, 0, value.length);
    }
}
