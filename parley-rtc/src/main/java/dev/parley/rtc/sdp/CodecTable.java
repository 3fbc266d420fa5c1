package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The codecs a group may negotiate, with the reference server's fixed payload types (spec MD2,
 * MD3) and RTCP feedback (MD4), plus the fmtp-aware matching used to recognise them in a
 * browser's offer (whose payload types differ: Firefox uses 120 for VP8).
 */
public final class CodecTable {
    /** Video RTCP feedback, in the order the reference server writes it (MD4, S9). */
    public static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "nack", "nack pli", "ccm fir");
    /** Codec names used when a group's {@code codecs} list is empty (MD2). */
    public static final List<String> DEFAULT_NAMES = List.of("vp8", "opus");

    private CodecTable() {
    }

    /**
     * The codecs a group codec name stands for, with fixed payload types; empty for unknown names.
     * {@code vp9} gives two (profile 0 and 2).
     */
    public static List<RtpCodec> forName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "vp8" -> List.of(video(96, "VP8", null));
            case "vp9" -> List.of(video(98, "VP9", "profile-id=0"), video(100, "VP9", "profile-id=2"));
            case "av1" -> List.of(video(35, "AV1", null));
            case "h264" -> List.of(video(108, "H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"));
            case "opus" -> List.of(new RtpCodec(111, "opus", 48000, 2,
                    "minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1", List.of()));
            case "g722" -> List.of(new RtpCodec(9, "G722", 8000, 0, null, List.of()));
            case "pcmu" -> List.of(new RtpCodec(0, "PCMU", 8000, 0, null, List.of()));
            case "pcma" -> List.of(new RtpCodec(8, "PCMA", 8000, 0, null, List.of()));
            default -> List.of();
        };
    }

    /** All codecs allowed by a group's list (MD2), in preference order; unknown names skipped. */
    public static List<RtpCodec> forNames(List<String> names) {
        List<RtpCodec> out = new ArrayList<>();
        for (String n : names == null || names.isEmpty() ? DEFAULT_NAMES : names) {
            out.addAll(forName(n));
        }
        return out;
    }

    public static boolean isVideo(RtpCodec codec) {
        return codec.clockRate() == 90000;
    }

    private static RtpCodec video(int pt, String name, String fmtp) {
        return new RtpCodec(pt, name, 90000, 0, fmtp, VIDEO_FEEDBACK);
    }

    /**
     * The fixed payload type for a codec as sent by a presenter (MD3), used to rewrite PTs on
     * down tracks; -1 if the codec has none. H.264 profile {@code 4200xx} or no profile maps to 102.
     */
    public static int fixedPayloadType(RtpCodec codec) {
        String fmtp = codec.fmtp();
        return switch (codec.name().toLowerCase(Locale.ROOT)) {
            case "vp8" -> 96;
            case "vp9" -> switch (param(fmtp, "profile-id", "0")) {
                case "0" -> 98;
                case "2" -> 100;
                default -> -1;
            };
            case "av1" -> 35;
            case "h264" -> {
                String profile = param(fmtp, "profile-level-id", "");
                if (profile.isEmpty()) {
                    yield 102;
                }
                if (profile.length() < 4) {
                    yield -1;
                }
                yield switch (profile.substring(0, 4).toLowerCase(Locale.ROOT)) {
                    case "4200" -> 102;
                    case "42e0" -> 108;
                    default -> -1;
                };
            }
            case "opus" -> 111;
            case "g722" -> 9;
            case "pcmu" -> 0;
            case "pcma" -> 8;
            default -> -1;
        };
    }

    /**
     * True if an offered codec is the same as one of ours: same name and clock rate, and for
     * H.264 the same packetization mode and profile (first 4 hex digits of profile-level-id); for
     * VP9 the same profile-id; otherwise fmtp parameters present on both sides must agree.
     */
    public static boolean matches(RtpCodec ours, RtpCodec offered) {
        if (!ours.name().equalsIgnoreCase(offered.name()) || ours.clockRate() != offered.clockRate()) {
            return false;
        }
        String a = ours.fmtp();
        String b = offered.fmtp();
        switch (ours.name().toLowerCase(Locale.ROOT)) {
            case "h264" -> {
                String pa = param(a, "profile-level-id", "42001f");
                String pb = param(b, "profile-level-id", "42001f");
                return param(a, "packetization-mode", "0").equals(param(b, "packetization-mode", "0"))
                        && pa.length() >= 4 && pb.length() >= 4
                        && pa.substring(0, 4).equalsIgnoreCase(pb.substring(0, 4));
            }
            case "vp9" -> {
                return param(a, "profile-id", "0").equals(param(b, "profile-id", "0"));
            }
            default -> {
                if (a == null || b == null) {
                    return true;
                }
                Map<String, String> ma = new Fmtp(ours.payloadType(), a).parameterMap();
                Map<String, String> mb = new Fmtp(offered.payloadType(), b).parameterMap();
                for (var e : ma.entrySet()) {
                    String other = mb.get(e.getKey());
                    if (other != null && !other.equalsIgnoreCase(e.getValue())) {
                        return false;
                    }
                }
                return true;
            }
        }
    }

    private static String param(String fmtp, String key, String fallback) {
        if (fmtp == null) {
            return fallback;
        }
        String v = new Fmtp(0, fmtp).parameter(key);
        return v == null ? fallback : v;
    }
}
