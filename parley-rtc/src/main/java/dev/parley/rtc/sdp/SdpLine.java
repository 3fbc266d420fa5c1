package dev.parley.rtc.sdp;

/** One line of an SDP description, kept verbatim so that parse → write round-trips. */
public sealed interface SdpLine permits SdpLine.Attribute, SdpLine.Field {

    /** The line as it is written, without the trailing CRLF. */
    String format();

    /**
     * An {@code a=} line. {@code value} is null for property attributes such as {@code a=rtcp-mux};
     * otherwise it is everything after the first colon, unchanged (including a leading space).
     */
    record Attribute(String name, String value) implements SdpLine {
        public Attribute {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("empty attribute name");
            }
        }

        static Attribute parse(String text) {
            int colon = text.indexOf(':');
            return colon < 0 ? new Attribute(text, null)
                    : new Attribute(text.substring(0, colon), text.substring(colon + 1));
        }

        @Override
        public String format() {
            return value == null ? "a=" + name : "a=" + name + ":" + value;
        }
    }

    /** Any other line type ({@code o=}, {@code s=}, {@code t=}, {@code c=}, {@code b=}, ...). */
    record Field(char type, String value) implements SdpLine {
        @Override
        public String format() {
            return type + "=" + value;
        }
    }
}
