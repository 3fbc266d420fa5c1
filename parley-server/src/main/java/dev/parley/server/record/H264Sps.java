package dev.parley.server.record;

/** The picture size from an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1). */
final class H264Sps {
    private H264Sps() {
    }

    /** {width, height} after cropping, or null when the SPS cannot be read. */
    static int[] pictureSize(byte[] nal) {
        if (nal == null || nal.length < 4) {
            return null;
        }
        Bits r = new Bits(unescape(nal));
        r.u(8);                                           // NAL header
        int profile = r.u(8);
        r.u(16);                                          // constraint flags, level
        r.ue();                                           // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separatePlanes = false;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chromaFormat = r.ue();
            if (chromaFormat == 3) {
                separatePlanes = r.u(1) == 1;
            }
            r.ue();
            r.ue();
            r.u(1);
            if (r.u(1) == 1) {                            // scaling matrices
                for (int i = 0; i < (chromaFormat == 3 ? 12 : 8); i++) {
                    if (r.u(1) == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue();                                           // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue();
        } else if (pocType == 1) {
            r.u(1);
            r.se();
            r.se();
            int n = r.ue();
            for (int i = 0; i < n && !r.overrun; i++) {
                r.se();
            }
        }
        r.ue();                                           // max_num_ref_frames
        r.u(1);
        int widthMbs = r.ue() + 1;
        int heightUnits = r.ue() + 1;
        int frameMbsOnly = r.u(1);
        if (frameMbsOnly == 0) {
            r.u(1);
        }
        r.u(1);
        int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.u(1) == 1) {
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        if (r.overrun) {
            return null;
        }
        boolean monochrome = chromaFormat == 0 || separatePlanes;
        int cropX = monochrome || chromaFormat == 3 ? 1 : 2;
        int cropY = (monochrome || chromaFormat != 1 ? 1 : 2) * (2 - frameMbsOnly);
        int width = widthMbs * 16 - cropX * (cropLeft + cropRight);
        int height = (2 - frameMbsOnly) * heightUnits * 16 - cropY * (cropTop + cropBottom);
        return width > 0 && height > 0 ? new int[]{width, height} : null;
    }

    private static void skipScalingList(Bits r, int size) {
        int last = 8, next = 8;
        for (int j = 0; j < size && !r.overrun; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** Removes emulation-prevention bytes (00 00 03 → 00 00). */
    private static byte[] unescape(byte[] nal) {
        byte[] out = new byte[nal.length];
        int n = 0, zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static final class Bits {
        private final byte[] b;
        private int pos;
        boolean overrun;

        Bits(byte[] b) {
            this.b = b;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                int byteIndex = pos >> 3;
                if (byteIndex >= b.length) {
                    overrun = true;
                    return 0;
                }
                v = v << 1 | ((b[byteIndex] >> (7 - (pos & 7))) & 1);
                pos++;
            }
            return v;
        }

        int ue() {
            int zeros = 0;
            while (u(1) == 0) {
                if (overrun || ++zeros > 31) {
                    overrun = true;
                    return 0;
                }
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : u(zeros) & 0xFFFFFFFFL));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
