package dev.parley.server.sfu;

import dev.parley.rtc.sdp.Msid;

import java.util.List;

/**
 * One accepted m-section of a presenter's offer: what the server needs to recognise and
 * forward its packets. Extension ids are -1 when not negotiated.
 *
 * @param transportCcExtensionId the transport-wide sequence number extension, when transport-cc
 *                               was accepted
 */
public record UpSection(
        String mid,
        String kind,
        CodecTable.Entry codec,
        int payloadType,
        List<String> rids,
        Msid msid,
        List<Long> ssrcs,
        int midExtensionId,
        int ridExtensionId,
        boolean nack,
        boolean pli,
        boolean remb,
        int transportCcExtensionId) {
    /** A section without transport-wide congestion control. */
    public UpSection(String mid, String kind, CodecTable.Entry codec, int payloadType, List<String> rids, Msid msid,
                     List<Long> ssrcs, int midExtensionId, int ridExtensionId, boolean nack, boolean pli,
                     boolean remb) {
        this(mid, kind, codec, payloadType, rids, msid, ssrcs, midExtensionId, ridExtensionId, nack, pli, remb, -1);
    }
}
