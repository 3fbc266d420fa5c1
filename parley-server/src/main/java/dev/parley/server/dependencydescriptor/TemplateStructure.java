package dev.parley.server.dependencydescriptor;

/**
 * A template dependency structure (spec A.8.3 template_dependency_structure): the frame templates
 * a stream's descriptors refer to by id, each with its spatial and temporal layer, decode target
 * indications, frame differences and chain differences, plus the chains protecting each decode
 * target and the resolution of each spatial layer. A sender attaches it to the first packet of a
 * keyframe; every later descriptor until the next one is read against it.
 *
 * <p>Arrays are sized for the format's limits once, so reading a new structure allocates nothing.
 * The limits beyond the format's own (at most 4 spatial layers, {@value #MAX_FDIFFS} frame
 * differences per template) are those of libwebrtc, the only sender we know of; a structure
 * beyond them is treated as malformed.
 */
final class TemplateStructure {
    static final int MAX_TEMPLATES = 64;
    static final int MAX_DECODE_TARGETS = 32;
    static final int MAX_SPATIAL = 4;
    static final int MAX_TEMPORAL = 8;
    static final int MAX_FDIFFS = 16;

    /** Decode target indications (spec A.8.2). */
    static final int NOT_PRESENT = 0, DISCARDABLE = 1, SWITCH = 2, REQUIRED = 3;

    int idOffset;
    int decodeTargets;
    int templates;
    int chains;
    int spatialLayers;
    boolean hasResolutions;
    final int[] spatialId = new int[MAX_TEMPLATES];
    final int[] temporalId = new int[MAX_TEMPLATES];
    final byte[] dtis = new byte[MAX_TEMPLATES * MAX_DECODE_TARGETS];
    final int[] fdiffCount = new int[MAX_TEMPLATES];
    final int[] fdiffs = new int[MAX_TEMPLATES * MAX_FDIFFS];
    final int[] protectedBy = new int[MAX_DECODE_TARGETS];
    final int[] chainFdiffs = new int[MAX_TEMPLATES * MAX_DECODE_TARGETS];
    final int[] width = new int[MAX_SPATIAL];
    final int[] height = new int[MAX_SPATIAL];
    /** The decode target whose layers are exactly (spatial, temporal), or -1: index spatial * MAX_TEMPORAL + temporal. */
    final int[] targetOfLayer = new int[MAX_SPATIAL * MAX_TEMPORAL];

    /** Reads a structure; false (and this structure is then garbage) when it is malformed. */
    boolean read(BitReader in) {
        idOffset = in.bits(6);
        decodeTargets = in.bits(5) + 1;
        if (!readLayers(in)) {
            return false;
        }
        for (int t = 0; t < templates; t++) {
            for (int d = 0; d < decodeTargets; d++) {
                dtis[t * MAX_DECODE_TARGETS + d] = (byte) in.bits(2);
            }
        }
        for (int t = 0; t < templates; t++) {
            int n = 0;
            while (in.flag()) {
                if (n == MAX_FDIFFS) {
                    return false;
                }
                fdiffs[t * MAX_FDIFFS + n++] = in.bits(4) + 1;
            }
            fdiffCount[t] = n;
        }
        chains = in.nonSymmetric(decodeTargets + 1);
        if (chains > 0) {
            for (int d = 0; d < decodeTargets; d++) {
                protectedBy[d] = in.nonSymmetric(chains);
            }
            for (int t = 0; t < templates; t++) {
                for (int c = 0; c < chains; c++) {
                    chainFdiffs[t * MAX_DECODE_TARGETS + c] = in.bits(4);
                }
            }
        }
        hasResolutions = in.flag();
        if (hasResolutions) {
            for (int s = 0; s < spatialLayers; s++) {
                width[s] = in.bits(16) + 1;
                height[s] = in.bits(16) + 1;
            }
        }
        mapTargetsToLayers();
        return in.ok();
    }

    /** Spec template_layers(): templates come ordered by layer, each step naming the next one's. */
    private boolean readLayers(BitReader in) {
        int sid = 0, tid = 0, idc;
        templates = 0;
        do {
            if (templates == MAX_TEMPLATES) {
                return false;
            }
            spatialId[templates] = sid;
            temporalId[templates] = tid;
            templates++;
            idc = in.bits(2);
            if (idc == 1) {
                tid++;
            } else if (idc == 2) {
                tid = 0;
                sid++;
            }
            if (tid >= MAX_TEMPORAL || sid >= MAX_SPATIAL) {
                return false;
            }
        } while (idc != 3 && in.ok());
        spatialLayers = sid + 1;
        return in.ok();
    }

    /**
     * A decode target's layers are the highest spatial and temporal ids among the templates
     * that are part of it (indication other than not-present): how libwebrtc's scalability
     * structures are built (one target per (spatial, temporal) pair).
     */
    private void mapTargetsToLayers() {
        java.util.Arrays.fill(targetOfLayer, -1);
        for (int d = 0; d < decodeTargets; d++) {
            int s = -1, t = -1;
            for (int i = 0; i < templates; i++) {
                if (dtis[i * MAX_DECODE_TARGETS + d] != NOT_PRESENT) {
                    s = Math.max(s, spatialId[i]);
                    t = Math.max(t, temporalId[i]);
                }
            }
            if (s >= 0 && targetOfLayer[s * MAX_TEMPORAL + t] < 0) {
                targetOfLayer[s * MAX_TEMPORAL + t] = d;
            }
        }
    }

    /** The template at {@code id} (the descriptor's 6-bit template id), or -1 when there is none. */
    int templateIndex(int id) {
        int index = (id + MAX_TEMPLATES - idOffset) % MAX_TEMPLATES;
        return index < templates ? index : -1;
    }
}
