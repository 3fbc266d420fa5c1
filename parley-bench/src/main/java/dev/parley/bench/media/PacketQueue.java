package dev.parley.bench.media;

/**
 * A publisher's pacer queue: a FIFO ring of preallocated packet slots, so that queueing and
 * sending a packet allocate nothing. Each packet carries a small tag (the simulcast layer).
 * Not thread-safe: one thread produces and sends.
 */
public final class PacketQueue {
    private final byte[][] slots;
    private final int[] lengths;
    private final int[] tags;
    private int head, size;

    public PacketQueue(int capacity, int slotBytes) {
        slots = new byte[capacity][slotBytes];
        lengths = new int[capacity];
        tags = new int[capacity];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == slots.length;
    }

    public int size() {
        return size;
    }

    /** Copies a packet to the tail; false if the queue is full. */
    public boolean offer(byte[] buf, int len, int tag) {
        if (size == slots.length) {
            return false;
        }
        int i = (head + size) % slots.length;
        System.arraycopy(buf, 0, slots[i], 0, len);
        lengths[i] = len;
        tags[i] = tag;
        size++;
        return true;
    }

    /** The oldest packet's bytes (valid until {@link #pop}); the queue must not be empty. */
    public byte[] headBuffer() {
        return slots[head];
    }

    public int headLength() {
        return lengths[head];
    }

    public int headTag() {
        return tags[head];
    }

    public void pop() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        head = (head + 1) % slots.length;
        size--;
    }
}
