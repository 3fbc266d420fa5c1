package dev.parley.rtc.sdp;

import java.util.List;
import java.util.Locale;

/**
 * One payload type of an m-section with its rtpmap, fmtp and RTCP feedback gathered together.
 * {@code fmtp} is null when absent; {@code feedback} holds {@code "nack"}, {@code "nack pli"},
 * {@code "ccm fir"}, {@code "goog-remb"}, ... (wildcard {@code *} entries included).
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels, String fmtp,
        List<String> feedback) {
    public RtpCodec {
        feedback = List.copyOf(feedback);
    }

    /** MIME-style name, e.g. {@code video/VP8}. */
    public String mimeType(String kind) {
        return kind + "/" + name;
    }

    public boolean isNamed(String codecName) {
        return name.equalsIgnoreCase(codecName);
    }

    /** Retransmission and redundancy formats that are not media codecs by themselves. */
    public boolean isAuxiliary() {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("rtx") || n.equals("red") || n.equals("ulpfec") || n.equals("flexfec-03")
                || n.equals("cn") || n.equals("telephone-event");
    }

    public boolean hasFeedback(String fb) {
        return feedback.contains(fb);
    }

    /** fmtp parameter value or null (e.g. {@code apt} for rtx, {@code profile-id} for VP9). */
    public String fmtpParameter(String key) {
        return fmtp == null ? null : new Fmtp(payloadType, fmtp).parameter(key);
    }
}
