package dev.parley.client;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/** The identifiers the client makes up: connection, stream and file ids, and local stream ids. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();

    private Ids() {
    }

    /** 128 random bits as 32 hex digits, as the reference client's ids: unguessable by other members. */
    static String random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A local stream id for streams the application did not name; unique in this JVM. */
    static String local() {
        return Integer.toString(LOCAL_IDS.getAndIncrement());
    }
}
