package dev.parley.server.sfu;

import dev.parley.rtc.sdp.Msid;

import java.util.List;

/**
 * One accepted m-section of a presenter's offer: what the server needs to recognise and
 * forward its packets. Extension ids are -1 when not negotiated.
 *
 * @param transportCcExtensionId the transport-wide sequence number extension, when transport-cc
 *                               was accepted
 * @param rtx                    retransmissions accepted from the presenter (RFC 4588), or null
 * @param dependencyDescriptorExtensionId the AV1 dependency descriptor extension (docs/svc.md),
 *                               accepted for AV1 sections only
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
        int transportCcExtensionId,
        Rtx rtx,
        int dependencyDescriptorExtensionId) {
    /**
     * RTX from the presenter: its payload type, the RTX SSRC → media SSRC pairs of the offer's
     * FID groups, and the repaired-rid extension id (-1 if none) that names a layer's RTX stream.
     */
    public record Rtx(int payloadType, java.util.Map<Long, Long> mediaSsrcByRtxSsrc, int repairedRidExtensionId) {
        public Rtx {
            mediaSsrcByRtxSsrc = java.util.Map.copyOf(mediaSsrcByRtxSsrc);
        }
    }

    /** A section without the dependency descriptor (not AV1, or not offered). */
    public UpSection(String mid, String kind, CodecTable.Entry codec, int payloadType, List<String> rids, Msid msid,
                     List<Long> ssrcs, int midExtensionId, int ridExtensionId, boolean nack, boolean pli,
                     boolean remb, int transportCcExtensionId, Rtx rtx) {
        this(mid, kind, codec, payloadType, rids, msid, ssrcs, midExtensionId, ridExtensionId, nack, pli, remb,
                transportCcExtensionId, rtx, -1);
    }

    /** A section without transport-wide congestion control or RTX. */
    public UpSection(String mid, String kind, CodecTable.Entry codec, int payloadType, List<String> rids, Msid msid,
                     List<Long> ssrcs, int midExtensionId, int ridExtensionId, boolean nack, boolean pli,
                     boolean remb) {
        this(mid, kind, codec, payloadType, rids, msid, ssrcs, midExtensionId, ridExtensionId, nack, pli, remb, -1, null);
    }
}
