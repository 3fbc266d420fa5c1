package dev.parley.server.sfu;

/**
 * One m-section of a server offer to a receiver (S8, S9): a forwarded track, or a detached
 * one ({@code active} false) kept so that mids stay stable across renegotiations.
 */
public record DownSection(String mid, String kind, CodecTable.Entry codec, long ssrc, String cname,
                          String streamId, String trackId, boolean active) {
}
