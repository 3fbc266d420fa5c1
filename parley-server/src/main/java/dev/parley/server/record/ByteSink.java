package dev.parley.server.record;

/**
 * Where a container writer's bytes go: appended in order, with earlier bytes patched in place
 * (element sizes known only later). Implementations own the bytes they are given.
 */
interface ByteSink {
    /** Appends {@code len} bytes of {@code chunk}, which the sink now owns. */
    void append(byte[] chunk, int len);

    /** Overwrites bytes already appended, at absolute position {@code position}. */
    void patch(long position, byte[] bytes);

    void close();
}
