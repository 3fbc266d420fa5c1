package dev.parley.rtc.turn;

/** Constants of RFC 8656 (TURN) on top of STUN, and the message-type arithmetic of RFC 8489 §5. */
public final class Turn {
    private Turn() {}

    // methods
    public static final int BINDING = 0x001;
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;

    // classes
    public static final int REQUEST = 0x000;
    public static final int INDICATION = 0x010;
    public static final int SUCCESS = 0x100;
    public static final int ERROR = 0x110;

    // attributes (RFC 8656 §18, RFC 8489 §18.3)
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int ATTR_CHANNEL_NUMBER = 0x000C;
    public static final int ATTR_LIFETIME = 0x000D;
    public static final int ATTR_XOR_PEER_ADDRESS = 0x0012;
    public static final int ATTR_DATA = 0x0013;
    public static final int ATTR_REALM = 0x0014;
    public static final int ATTR_NONCE = 0x0015;
    public static final int ATTR_XOR_RELAYED_ADDRESS = 0x0016;
    public static final int ATTR_REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int ATTR_EVEN_PORT = 0x0018;
    public static final int ATTR_REQUESTED_TRANSPORT = 0x0019;
    public static final int ATTR_DONT_FRAGMENT = 0x001A;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_RESERVATION_TOKEN = 0x0022;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;

    public static final int TRANSPORT_UDP = 17;
    public static final int FAMILY_IPV4 = 0x01;

    // error codes (RFC 8489 §14.8, RFC 8656 §18.5)
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int SERVER_ERROR = 500;
    public static final int INSUFFICIENT_CAPACITY = 508;

    /**
     * Channel numbers a client may bind: RFC 8656 §12 narrowed the range to 0x4FFF, but RFC 5766
     * clients (coturn's among them) still pick up to 0x7FFF, and nothing else uses that range.
     */
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x7FFF;

    public static int method(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static int messageClass(int type) {
        return type & 0x0110;
    }

    public static int type(int method, int cls) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | cls;
    }

    /** True if the first byte of a frame is a ChannelData channel number (0x4000..0x7FFF). */
    public static boolean isChannelData(byte first) {
        return (first & 0xC0) == 0x40;
    }

    public static String reason(int code) {
        return switch (code) {
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHORIZED -> "Unauthorized";
            case FORBIDDEN -> "Forbidden";
            case UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
            case ALLOCATION_MISMATCH -> "Allocation Mismatch";
            case STALE_NONCE -> "Stale Nonce";
            case ADDRESS_FAMILY_NOT_SUPPORTED -> "Address Family not Supported";
            case WRONG_CREDENTIALS -> "Wrong Credentials";
            case UNSUPPORTED_TRANSPORT -> "Unsupported Transport Protocol";
            case PEER_ADDRESS_FAMILY_MISMATCH -> "Peer Address Family Mismatch";
            case ALLOCATION_QUOTA_REACHED -> "Allocation Quota Reached";
            case INSUFFICIENT_CAPACITY -> "Insufficient Capacity";
            default -> "Server Error";
        };
    }
}
