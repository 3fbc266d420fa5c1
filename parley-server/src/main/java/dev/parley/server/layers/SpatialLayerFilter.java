package dev.parley.server.layers;

import dev.parley.rtc.codec.PacketFlags;

/**
 * Spatial-layer selection for one receiver of a VP9 or AV1 SVC track (MD7, MD10): packets of spatial
 * layers above the limit in force are not forwarded.
 *
 * <p>The limit goes down at the next picture (superframe): the layers kept never reference
 * the ones dropped, so the receiver can go on decoding at once. It goes up only at a
 * keyframe: an upper layer's frames reference that layer's earlier frames, which the receiver
 * never got (in {@code L3T3_KEY} that is all there is between keyframes), so only a keyframe
 * picture, whose upper layers are predicted from the lower ones of the same picture, lets it
 * start. Whoever raises the wanted layer must ask the presenter for that keyframe
 * ({@link #awaitsKeyframe()}).
 *
 * <p>What is wanted is the lower of two things: the ceiling set by the receiver's request
 * ({@link #cap}; spatial layer 0 for {@code video-low} of a single-track stream, MD10) and the
 * target from its bandwidth estimate ({@link #down}, {@link #up}).
 *
 * <p>Pictures are told apart by their RTP timestamp, shared by every layer of a superframe; VP9
 * picture ids are shared too, so dropping layers leaves them contiguous and they are never
 * rewritten. The receiver assembles a picture up to the RTP marker, which the presenter sets
 * on the last packet of the top layer only: when the layers above the limit are dropped, the
 * packet that ends the limit layer's frame must carry it ({@link #endsForwardedPicture}).
 *
 * <p>Single-threaded (the media loop); no allocation.
 */
public final class SpatialLayerFilter {
    public static final int ALL = 7;
    /**
     * Pictures in a row without the highest layer seen after which it counts as gone: about a
     * second at 30 fps. Encoders stop sending their top layers when their bandwidth estimate
     * falls (libwebrtc does); a step down the estimate's ladder onto a layer that is not sent
     * would drop nothing.
     */
    public static final int FORGET_AFTER_PICTURES = 30;

    private int ceiling = ALL;
    private int target = ALL;
    private int limit = ALL;
    private int highestSeen;
    private int highestInPicture;
    private int picturesWithoutHighest;
    private long pictureTimestamp = -1;

    /** Whether the packet described by {@code flags}, with this RTP timestamp, is forwarded. */
    public boolean accept(PacketFlags flags, long timestamp) {
        return accept(flags.sid(), flags.keyframe(), timestamp);
    }

    /**
     * Whether a packet of spatial layer {@code sid} with this RTP timestamp is forwarded;
     * {@code keyframe} for the first packet of a keyframe picture. The codec-neutral form: AV1
     * gives the layer from its dependency descriptor.
     */
    public boolean accept(int sid, boolean keyframe, long timestamp) {
        if (timestamp != pictureTimestamp) {
            pictureEnded();
            highestInPicture = sid;
            pictureTimestamp = timestamp;
            int wanted = wanted();
            if (wanted < limit || wanted > limit && keyframe) {
                limit = wanted;
            }
        } else if (sid > highestInPicture) {
            highestInPicture = sid;
        }
        if (sid > highestSeen) {
            highestSeen = sid;
        }
        return sid <= limit;
    }

    private void pictureEnded() {
        if (highestInPicture >= highestSeen) {
            picturesWithoutHighest = 0;
        } else if (++picturesWithoutHighest >= FORGET_AFTER_PICTURES) {
            highestSeen = highestInPicture;
            picturesWithoutHighest = 0;
        }
    }

    /**
     * Whether a forwarded packet must carry the RTP marker: it ends the frame of the highest
     * layer forwarded, and the presenter's marker is on a layer above it. (The presenter's own
     * marker is kept anyway: this only ever adds one.)
     */
    public boolean endsForwardedPicture(PacketFlags flags) {
        return endsForwardedPicture(flags.end(), flags.sid());
    }

    /** {@link #endsForwardedPicture(PacketFlags)} for a packet ending ({@code end}) a frame of layer {@code sid}. */
    public boolean endsForwardedPicture(boolean end, int sid) {
        return end && sid == limit;
    }

    /**
     * Sets the ceiling from the receiver's request: {@code 0} for the base layer only (MD10),
     * {@link #ALL} for no ceiling.
     *
     * @return true when this raised what is wanted above the limit in force: a keyframe is needed
     */
    public boolean cap(int layer) {
        if (layer == ceiling) {
            return false;
        }
        ceiling = layer;
        return awaitsKeyframe();
    }

    /** One spatial layer fewer (congestion); returns false when already at the base layer. */
    public boolean down() {
        int current = Math.min(Math.min(limit, wanted()), highestSeen);
        if (current == 0) {
            return false;
        }
        target = current - 1;
        return true;
    }

    /**
     * One spatial layer more (bandwidth available), up to the ceiling; returns false when there
     * is none to add. The new layer then waits for a keyframe ({@link #awaitsKeyframe()}), which
     * the caller asks the presenter for.
     */
    public boolean up() {
        int top = Math.min(ceiling, highestSeen);
        int current = Math.min(target, highestSeen);
        if (current >= top) {
            if (ceiling >= highestSeen) {
                target = ALL;                   // layers that appear later are wanted too
            }
            return false;
        }
        target = current + 1 >= highestSeen ? ALL : current + 1;
        return true;
    }

    /** Whether more layers are wanted than forwarded, until a keyframe lets them in. */
    public boolean awaitsKeyframe() {
        return Math.min(wanted(), highestSeen) > limit;
    }

    /** The highest spatial layer the presenter sends (seen in the last {@value #FORGET_AFTER_PICTURES} pictures). */
    public int highest() {
        return highestSeen;
    }

    /** The highest spatial layer forwarded now. */
    public int limit() {
        return Math.min(limit, highestSeen);
    }

    private int wanted() {
        return Math.min(ceiling, target);
    }
}
