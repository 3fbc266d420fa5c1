package dev.parley.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a group member with media contributes to {@code .stats} (H48). A member that does not
 * implement this is listed as {@code {"id": …}} only.
 *
 * <p>Each connection object has {@code id}, optionally {@code maxBitrate}, and {@code tracks};
 * each track has {@code bitrate} (bit/s), {@code maxBitrate} (omitted when 0), {@code loss}
 * (0..1), {@code rtt} and {@code jitter} in milliseconds as floats (omitted when 0), and for
 * down tracks {@code sid}, {@code maxSid}, {@code tid}, {@code maxTid}. The report sorts the
 * connections by id.
 */
public interface ClientStatistics {
    List<ObjectNode> upStatistics();

    List<ObjectNode> downStatistics();
}
