package dev.parley.server.sfu;

/**
 * One m-section of a server offer to a receiver (S8, S9): a forwarded track, or a detached
 * one ({@code active} false) kept so that mids stay stable across renegotiations.
 * {@code rtxSsrc} is 0 when no RTX (RFC 4588) is offered.
 */
public record DownSection(String mid, String kind, CodecTable.Entry codec, long ssrc, String cname,
                          String streamId, String trackId, boolean active, long rtxSsrc) {
    /** A section without RTX. */
    public DownSection(String mid, String kind, CodecTable.Entry codec, long ssrc, String cname,
                       String streamId, String trackId, boolean active) {
        this(mid, kind, codec, ssrc, cname, streamId, trackId, active, 0);
    }
}
