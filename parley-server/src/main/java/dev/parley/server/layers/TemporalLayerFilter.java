package dev.parley.server.layers;

import dev.parley.rtc.codec.PacketFlags;

/**
 * Temporal-layer selection for one receiver of a VP8, VP9 or AV1 track (MD7): frames of temporal
 * layers above the current limit are not forwarded. The limit goes down at the next frame,
 * and up only where the stream allows decoding to resume at that layer (a keyframe, or a
 * layer-sync frame of the next layer), so that the receiver never gets a frame whose
 * references it lacks. Decisions are per frame: all packets of a frame share its fate.
 * Single-threaded (the media loop); no allocation.
 */
public final class TemporalLayerFilter {
    public static final int ALL = 7;

    private int limit = ALL;
    private int target = ALL;
    private int highestSeen;
    private long frameTimestamp = -1;
    private boolean dropFrame;

    /** Whether the packet described by {@code flags}, with this RTP timestamp, is forwarded. */
    public boolean accept(PacketFlags flags, long timestamp) {
        return accept(flags.tid(), flags.keyframe(), flags.tidUpSync(), timestamp);
    }

    /**
     * Whether a packet of temporal layer {@code tid} with this RTP timestamp is forwarded;
     * {@code upSync} when its frame lets decoding resume at its own layer (VP8 Y, VP9 U).
     */
    public boolean accept(int tid, boolean keyframe, boolean upSync, long timestamp) {
        return acceptSwitching(tid, keyframe, upSync ? tid : -1, timestamp);
    }

    /**
     * {@link #accept(int, boolean, boolean, long)} where the frame names the layer that decoding
     * may switch up to from this frame on, {@code switchTo} (-1: none), whatever its own layer: an
     * AV1 frame's dependency descriptor says "switch" for a decode target, and a base-layer frame
     * can be where the next layer starts. The limit rises by one layer at such a frame.
     */
    public boolean acceptSwitching(int tid, boolean keyframe, int switchTo, long timestamp) {
        if (timestamp != frameTimestamp) {
            frameTimestamp = timestamp;
            highestSeen = Math.max(highestSeen, tid);
            if (target < limit) {
                limit = target;
            } else if (target > limit && (keyframe || switchTo >= 0 && switchTo == limit + 1)) {
                limit = keyframe ? target : limit + 1;
            }
            dropFrame = tid > limit;
        }
        return !dropFrame;
    }

    /** One layer fewer (congestion); returns false when already at the base layer. */
    public boolean down() {
        int current = Math.min(Math.min(limit, target), highestSeen);
        if (current == 0) {
            return false;
        }
        target = current - 1;
        return true;
    }

    /** One layer more (bandwidth available); returns false when everything is forwarded. */
    public boolean up() {
        target = Math.min(target, highestSeen);
        if (target >= highestSeen) {
            target = ALL;
            return false;
        }
        target++;
        return true;
    }

    /**
     * All temporal layers wanted again: a spatial layer was just dropped, and on the way down
     * temporal layers go first at each spatial level (MD7).
     */
    public void wantAll() {
        target = ALL;
    }

    /** Only the base temporal layer wanted: a spatial layer was just added, and climbs its temporal layers next (MD7). */
    public void wantBase() {
        target = 0;
    }

    public int highest() {
        return highestSeen;
    }

    public int limit() {
        return Math.min(limit, highestSeen);
    }
}
