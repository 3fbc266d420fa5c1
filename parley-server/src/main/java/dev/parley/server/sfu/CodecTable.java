package dev.parley.server.sfu;

import dev.parley.rtc.sdp.RtpCodec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The codecs a group may negotiate (MD2) with the fixed payload types used on down streams
 * (MD3), and the RTCP feedback advertised for each kind (MD4).
 */
public final class CodecTable {
    public static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "nack", "nack pli", "ccm fir");
    /**
     * Accepted on up streams of either kind when offered with its header extension, beyond
     * MD4: the server answers with transport feedback, so the presenter's estimate can rise.
     */
    public static final String TRANSPORT_CC = "transport-cc";

    /** One entry of the MD3 table. */
    public record Entry(String name, String kind, String encoding, int clockRate, int channels,
                        String fmtp, int payloadType) {
        public RtpCodec toCodec() {
            return new RtpCodec(payloadType, encoding, clockRate, channels, fmtp,
                    kind.equals("video") ? VIDEO_FEEDBACK : List.of());
        }

        /** Whether an offered codec is this entry (name, and the fmtp parameters that matter). */
        boolean matches(RtpCodec offered) {
            if (!offered.isNamed(encoding) || offered.clockRate() != clockRate) {
                return false;
            }
            return switch (name) {
                case "vp9" -> profile(offered, "profile-id", "0").equals(fmtpParameter("profile-id"));
                case "h264" -> "1".equals(offered.fmtpParameter("packetization-mode"));
                default -> true;
            };
        }

        /** The RTX payload type offered with this codec on down streams (video only): the next one up. */
        public int rtxPayloadType() {
            return payloadType + 1;
        }

        private String fmtpParameter(String key) {
            return toCodec().fmtpParameter(key);
        }
    }

    private static String profile(RtpCodec c, String key, String dflt) {
        String v = c.fmtpParameter(key);
        return v == null ? dflt : v;
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("vp8", "video", "VP8", 90000, 0, null, 96),
            new Entry("vp9", "video", "VP9", 90000, 0, "profile-id=0", 98),
            new Entry("vp9", "video", "VP9", 90000, 0, "profile-id=2", 100),
            new Entry("av1", "video", "AV1", 90000, 0, null, 35),
            new Entry("h264", "video", "H264", 90000, 0,
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 108),
            new Entry("opus", "audio", "opus", 48000, 2, "minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1", 111),
            new Entry("g722", "audio", "G722", 8000, 0, null, 9),
            new Entry("pcmu", "audio", "PCMU", 8000, 0, null, 0),
            new Entry("pcma", "audio", "PCMA", 8000, 0, null, 8));

    private CodecTable() {
    }

    /**
     * Chooses, for an offered m-section, the first codec of the group's preference list that
     * the offer contains (MD2); unknown names are skipped.
     */
    public static Optional<Chosen> choose(List<String> groupCodecs, String kind, List<RtpCodec> offered) {
        for (String name : groupCodecs) {
            String n = name.toLowerCase(Locale.ROOT);
            for (Entry e : ENTRIES) {
                if (!e.name().equals(n) || !e.kind().equals(kind)) {
                    continue;
                }
                for (RtpCodec c : offered) {
                    if (e.matches(c)) {
                        return Optional.of(new Chosen(e, c));
                    }
                }
            }
        }
        return Optional.empty();
    }


    /** An RTX format (RFC 4588 §8) retransmitting payload type {@code apt}. */
    public static RtpCodec rtxCodec(int payloadType, int apt, int clockRate) {
        return new RtpCodec(payloadType, "rtx", clockRate, 0, "apt=" + apt, List.of());
    }

    /** A codec chosen for an up m-section: the table entry and the offer's own codec line. */
    public record Chosen(Entry entry, RtpCodec offered) {
    }
}
