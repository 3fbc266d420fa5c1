package dev.parley.server.util;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times on the wire: RFC 3339, seconds precision, the server's UTC offset (C4). */
public final class Times {
    private Times() {
    }

    public static String rfc3339(Clock clock) {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
