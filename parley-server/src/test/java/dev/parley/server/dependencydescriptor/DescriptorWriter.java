package dev.parley.server.dependencydescriptor;

import java.io.ByteArrayOutputStream;

/**
 * Builds dependency descriptors bit by bit for tests (AV1 RTP spec appendix A syntax), with two
 * ready-made structures shaped like libwebrtc's: {@code L1T3} and {@code L3T3_KEY}.
 */
public final class DescriptorWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    /** One frame template: its layers, DTIs as a string of '-', 'D', 'S', 'R' per decode target, fdiffs and chain fdiffs. */
    public record Template(int sid, int tid, String dtis, int[] fdiffs, int[] chainFdiffs) {
    }

    /** A template dependency structure. */
    public record Structure(int idOffset, int decodeTargets, Template[] templates, int chains, int[] protectedBy,
                            int[][] resolutions) {
    }

    /** L1T3: one spatial layer, temporal layers 0-2-1-2; decode targets L1T1, L1T2, L1T3; one chain. */
    public static Structure l1t3() {
        return new Structure(0, 3, new Template[]{
                new Template(0, 0, "SSS", new int[]{}, new int[]{0}),          // keyframe
                new Template(0, 0, "SSS", new int[]{4}, new int[]{4}),
                new Template(0, 1, "-DS", new int[]{2}, new int[]{2}),
                new Template(0, 2, "--D", new int[]{1}, new int[]{1}),
                new Template(0, 2, "--D", new int[]{1}, new int[]{3}),
        }, 1, new int[]{0, 0, 0}, null);
    }

    /**
     * L3T3_KEY: three spatial layers (each predicted from the one below only in the keyframe
     * picture), three temporal layers each; decode targets (s, t) = index 3s + t; one chain per
     * spatial layer; resolutions 320x180, 640x360, 1280x720. Template index 4s + k: k 0 the
     * keyframe picture's frame, 1 T0, 2 T1, 3 T2. Frame numbers go up by one per frame, so in a
     * picture of three layers the frame of layer s is 3 after that of the previous picture.
     */
    public static Structure l3t3Key() {
        Template[] t = new Template[12];
        for (int s = 0; s < 3; s++) {
            String key = "", t0 = "", t1 = "", t2 = "";
            for (int d = 0; d < 9; d++) {
                int ds = d / 3, dt = d % 3;
                key += ds >= s ? "S" : "-";
                t0 += ds == s ? "S" : "-";
                t1 += ds == s && dt >= 1 ? (dt == 1 ? "D" : "S") : "-";
                t2 += ds == s && dt == 2 ? "D" : "-";
            }
            int[] none = new int[]{};
            t[4 * s] = new Template(s, 0, key, s == 0 ? none : new int[]{1}, chains(s, 0));
            t[4 * s + 1] = new Template(s, 0, t0, new int[]{12}, chains(s, 12));
            t[4 * s + 2] = new Template(s, 1, t1, new int[]{6}, chains(s, 6));
            t[4 * s + 3] = new Template(s, 2, t2, new int[]{3}, chains(s, 3));
        }
        return new Structure(5, 9, t, 3, new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2},
                new int[][]{{320, 180}, {640, 360}, {1280, 720}});
    }

    private static int[] chains(int s, int own) {
        int[] c = new int[3];
        for (int i = 0; i < 3; i++) {
            c[i] = i == s ? own : Math.min(15, Math.abs(i - s) + (own == 0 ? 0 : 3));
        }
        return c;
    }

    /** A descriptor with only the mandatory fields. */
    public static byte[] mandatory(boolean start, boolean end, int templateId, int frameNumber) {
        DescriptorWriter w = new DescriptorWriter();
        w.mandatoryFields(start, end, templateId, frameNumber);
        return w.bytes();
    }

    /** A descriptor attaching {@code structure}, for a keyframe's first packet, using its template {@code index}. */
    public static byte[] withStructure(Structure structure, int index, boolean end, int frameNumber) {
        DescriptorWriter w = new DescriptorWriter();
        w.mandatoryFields(true, end, (structure.idOffset() + index) % 64, frameNumber);
        w.bits(1, 1).bits(0, 1).bits(0, 1).bits(0, 1).bits(0, 1);
        w.structure(structure);
        return w.bytes();
    }

    public DescriptorWriter mandatoryFields(boolean start, boolean end, int templateId, int frameNumber) {
        return bits(start ? 1 : 0, 1).bits(end ? 1 : 0, 1).bits(templateId, 6).bits(frameNumber, 16);
    }

    public DescriptorWriter structure(Structure s) {
        bits(s.idOffset(), 6).bits(s.decodeTargets() - 1, 5);
        Template[] t = s.templates();
        for (int i = 0; i < t.length; i++) {
            int idc = i == t.length - 1 ? 3 : t[i + 1].sid() > t[i].sid() ? 2 : t[i + 1].tid() > t[i].tid() ? 1 : 0;
            bits(idc, 2);
        }
        for (Template x : t) {
            for (char c : x.dtis().toCharArray()) {
                bits("-DSR".indexOf(c), 2);
            }
        }
        for (Template x : t) {
            for (int f : x.fdiffs()) {
                bits(1, 1).bits(f - 1, 4);
            }
            bits(0, 1);
        }
        nonSymmetric(s.chains(), s.decodeTargets() + 1);
        if (s.chains() > 0) {
            for (int p : s.protectedBy()) {
                nonSymmetric(p, s.chains());
            }
            for (Template x : t) {
                for (int c = 0; c < s.chains(); c++) {
                    bits(x.chainFdiffs()[c], 4);
                }
            }
        }
        bits(s.resolutions() == null ? 0 : 1, 1);
        if (s.resolutions() != null) {
            for (int[] r : s.resolutions()) {
                bits(r[0] - 1, 16).bits(r[1] - 1, 16);
            }
        }
        return this;
    }

    /** Spec ns(n), the inverse of the reader's. */
    public DescriptorWriter nonSymmetric(int v, int n) {
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        if (v < m) {
            return bits(v, w - 1);
        }
        return bits((v + m) >> 1, w - 1).bits((v + m) & 1, 1);
    }

    public DescriptorWriter bits(int value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            current = (current << 1) | (value >>> i) & 1;
            if (++used == 8) {
                out.write(current);
                current = 0;
                used = 0;
            }
        }
        return this;
    }

    /** The descriptor, zero-padded to whole bytes. */
    public byte[] bytes() {
        if (used > 0) {
            out.write(current << (8 - used));
            current = 0;
            used = 0;
        }
        return out.toByteArray();
    }
}
