package dev.parley.server.record;

/** Receives the frames that a {@link Depacketizer} rebuilds; buffers are valid during the call only. */
interface FrameSink {
    void frame(byte[] buf, int off, int len, long rtpTimestamp, boolean keyframe);

    /** A frame was lost: what follows cannot be decoded until the next keyframe. */
    void frameLost();
}
