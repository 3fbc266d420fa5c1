package dev.parley.server.sfu;

import java.util.List;

/** A group member that publishes up streams: WebSocket clients and WHIP sessions. */
public interface Publisher {
    /** Its current up streams. */
    List<UpStream> upStreams();
}
