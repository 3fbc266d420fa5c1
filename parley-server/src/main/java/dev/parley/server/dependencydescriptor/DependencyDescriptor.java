package dev.parley.server.dependencydescriptor;

import dev.parley.rtc.rtp.RtpPacket;

/**
 * Reads the Dependency Descriptor of one stream's packets (AV1 RTP payload specification,
 * appendix A). Every descriptor has the mandatory fields: start and end of frame, a template id
 * and a 16-bit frame number. The template id names a frame template of the stream's template
 * dependency structure, which the sender attaches to a keyframe's first packet and which is kept
 * here until the next one; the template gives the frame's spatial and temporal layer, its decode
 * target indications, frame differences (its references) and chain differences, and a
 * descriptor may override the last three for its frame (custom DTIs, fdiffs, chains).
 *
 * <p>Keep one per stream and reader thread: the structure is per stream. A descriptor that cannot
 * be read (truncated, a template id the structure lacks, or no structure yet) makes
 * {@link #parse} return false and is counted in {@link #unreadable()}; the previous structure
 * stays in force. Never throws on packet input; allocation-free (the new structure is read into
 * a spare one, swapped in when the whole descriptor was read).
 */
public final class DependencyDescriptor {
    public static final String URI =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
    private static final int MANDATORY_LENGTH = 3;

    private final BitReader in = new BitReader();
    private TemplateStructure structure = new TemplateStructure();
    private TemplateStructure spare = new TemplateStructure();
    private boolean hasStructure;
    private long unreadable;

    private boolean start;
    private boolean end;
    private int templateId;
    private int frameNumber;
    private boolean structureAttached;
    private boolean activeTargetsPresent;
    private int activeTargets;
    private int template;
    private final byte[] frameDtis = new byte[TemplateStructure.MAX_DECODE_TARGETS];
    private final int[] frameFdiffs = new int[TemplateStructure.MAX_FDIFFS];
    private int frameFdiffCount;
    private final int[] frameChains = new int[TemplateStructure.MAX_DECODE_TARGETS];

    /**
     * Reads the descriptor carried by {@code packet} as extension {@code extensionId}.
     *
     * @return false when the packet has none or it cannot be read (then counted)
     */
    public boolean parse(RtpPacket packet, int extensionId) {
        int at = packet.findExtension(extensionId);
        if (at < 0) {
            return false;
        }
        return parse(packet.buffer(), at, packet.lastExtensionLength());
    }

    /** Reads the descriptor at {@code buf[off, off+len)}. */
    public boolean parse(byte[] buf, int off, int len) {
        if (len < MANDATORY_LENGTH || off < 0 || off + len > buf.length) {
            unreadable++;
            return false;
        }
        in.reset(buf, off, len);
        start = in.flag();
        end = in.flag();
        templateId = in.bits(6);
        frameNumber = in.bits(16);
        structureAttached = false;
        activeTargetsPresent = false;
        boolean customDtis = false, customFdiffs = false, customChains = false;
        if (len > MANDATORY_LENGTH) {
            structureAttached = in.flag();
            activeTargetsPresent = in.flag();
            customDtis = in.flag();
            customFdiffs = in.flag();
            customChains = in.flag();
        }
        TemplateStructure s = structure;
        if (structureAttached) {
            if (!spare.read(in)) {
                unreadable++;
                return false;
            }
            s = spare;
        } else if (!hasStructure) {
            unreadable++;
            return false;
        }
        int active = structureAttached ? allTargets(s) : activeTargets;
        if (activeTargetsPresent) {
            active = in.bits(s.decodeTargets);
        }
        if (!readFrame(s, customDtis, customFdiffs, customChains) || !in.ok()) {
            unreadable++;
            return false;
        }
        activeTargets = active;
        if (structureAttached) {
            spare = structure;
            structure = s;
            hasStructure = true;
        }
        return true;
    }

    private static int allTargets(TemplateStructure s) {
        return s.decodeTargets == 32 ? -1 : (1 << s.decodeTargets) - 1;
    }

    /** Spec frame_dependency_definition(): the template's values, then this frame's overrides. */
    private boolean readFrame(TemplateStructure s, boolean customDtis, boolean customFdiffs, boolean customChains) {
        template = s.templateIndex(templateId);
        if (template < 0) {
            return false;
        }
        for (int d = 0; d < s.decodeTargets; d++) {
            frameDtis[d] = customDtis ? (byte) in.bits(2) : s.dtis[template * TemplateStructure.MAX_DECODE_TARGETS + d];
        }
        if (customFdiffs) {
            frameFdiffCount = 0;
            for (int size = in.bits(2); size > 0; size = in.bits(2)) {
                if (frameFdiffCount == TemplateStructure.MAX_FDIFFS) {
                    return false;
                }
                frameFdiffs[frameFdiffCount++] = in.bits(4 * size) + 1;
            }
        } else {
            frameFdiffCount = s.fdiffCount[template];
            System.arraycopy(s.fdiffs, template * TemplateStructure.MAX_FDIFFS, frameFdiffs, 0, frameFdiffCount);
        }
        for (int c = 0; c < s.chains; c++) {
            frameChains[c] = customChains ? in.bits(8) : s.chainFdiffs[template * TemplateStructure.MAX_DECODE_TARGETS + c];
        }
        return true;
    }

    /**
     * The spatial layer of the frame that {@code packet}'s descriptor ends, or -1 when it ends
     * none or cannot be told; reads only the mandatory fields against the structure in force,
     * changing nothing (for a resent packet).
     */
    public int endedLayer(RtpPacket packet, int extensionId) {
        int at = packet.findExtension(extensionId);
        if (at < 0 || packet.lastExtensionLength() < MANDATORY_LENGTH || !hasStructure
                || (packet.buffer()[at] & 0x40) == 0) {
            return -1;
        }
        int t = structure.templateIndex(packet.buffer()[at] & 0x3F);
        return t < 0 ? -1 : structure.spatialId[t];
    }

    public boolean startOfFrame() {
        return start;
    }

    public boolean endOfFrame() {
        return end;
    }

    public int templateId() {
        return templateId;
    }

    /** The frame number, 16 bits, wrapping. */
    public int frameNumber() {
        return frameNumber;
    }

    /** Whether this descriptor carried a new template dependency structure (a keyframe's first packet). */
    public boolean structureAttached() {
        return structureAttached;
    }

    public int spatialId() {
        return structure.spatialId[template];
    }

    public int temporalId() {
        return structure.temporalId[template];
    }

    /** The highest spatial layer the structure describes. */
    public int maxSpatialId() {
        return structure.spatialLayers - 1;
    }

    public int decodeTargets() {
        return structure.decodeTargets;
    }

    /** This frame's indication for decode target {@code d}: 0 not present, 1 discardable, 2 switch, 3 required. */
    public int dti(int d) {
        return frameDtis[d];
    }

    public int fdiffCount() {
        return frameFdiffCount;
    }

    /** The {@code i}th frame difference: this frame references frame number minus it. */
    public int fdiff(int i) {
        return frameFdiffs[i];
    }

    public int chains() {
        return structure.chains;
    }

    public int chainFdiff(int c) {
        return frameChains[c];
    }

    /** The chain protecting decode target {@code d}. */
    public int protectedBy(int d) {
        return structure.protectedBy[d];
    }

    /** Whether this descriptor set the active decode targets (or attached a structure, which sets all). */
    public boolean activeTargetsPresent() {
        return activeTargetsPresent || structureAttached;
    }

    /** The active decode targets bitmask last signalled (bit d = target d). */
    public int activeTargets() {
        return activeTargets;
    }

    /**
     * Whether decoding may switch to the decode target of exactly layers ({@code sid},
     * {@code tid}) at this frame: this frame's indication for it is "switch" (spec A.8.2: the
     * frames it needs from here on do not reference anything before this frame). False when the
     * structure has no such target.
     */
    public boolean switchesTo(int sid, int tid) {
        if (sid < 0 || sid >= TemplateStructure.MAX_SPATIAL || tid < 0 || tid >= TemplateStructure.MAX_TEMPORAL) {
            return false;
        }
        int d = structure.targetOfLayer[sid * TemplateStructure.MAX_TEMPORAL + tid];
        return d >= 0 && frameDtis[d] == TemplateStructure.SWITCH;
    }

    /** The width of this frame's spatial layer from the structure, or 0 when it has no resolutions. */
    public int width() {
        return structure.hasResolutions ? structure.width[spatialId()] : 0;
    }

    public int height() {
        return structure.hasResolutions ? structure.height[spatialId()] : 0;
    }

    /** Descriptors that could not be read so far. */
    public long unreadable() {
        return unreadable;
    }
}
