package dev.parley.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream negotiation messages (spec B.6–B.8): {@code request}, {@code requestStream},
 * {@code offer}, {@code answer}, {@code renegotiate}, {@code close}, {@code abort},
 * {@code ice}.
 */
final class StreamSignalling {
    private final ClientSession session;
    /** label → requested track kinds (S1); empty until the client sends {@code request}. */
    private Map<String, List<String>> request = Map.of();

    StreamSignalling(ClientSession session) {
        this.session = session;
    }

    void request(Message m) throws SessionTermination {
        if (session.group() == null) {
            throw new SessionTermination.InternalFailure("request before join");      // S1
        }
        request = parseRequest(m.request());
    }

    static Map<String, List<String>> parseRequest(JsonNode r) throws SessionTermination {
        if (r == null || r.isNull()) {
            return Map.of();
        }
        if (!r.isObject()) {
            throw new SessionTermination.InternalFailure("bad request");
        }
        Map<String, List<String>> out = new HashMap<>();
        for (var it = r.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) {
                out.put(e.getKey(), List.of());
                continue;
            }
            try {
                out.put(e.getKey(), MessageCodec.stringList(e.getValue(), "request"));
            } catch (MessageCodec.MalformedMessageException ex) {
                throw new SessionTermination.InternalFailure("bad request");
            }
        }
        return Map.copyOf(out);
    }

    void requestStream(Message m) throws SessionTermination {
        // No down streams exist without a media plane, so every id is unknown (S5).
        throw new SessionTermination.InternalFailure("unknown stream " + m.id());
    }

    void offer(Message m) throws SessionTermination {
        requireId(m);
        session.send(Message.of("abort").id(m.id()).build());
        session.sendError(session.group() != null && session.has("present")
                ? "this server cannot receive media yet" : "not authorised");         // S18, J27
    }

    void answer(Message m) throws SessionTermination {
        requireId(m);
        session.send(Message.of("close").id(m.id()).build());                         // S10
    }

    void renegotiate(Message m) throws SessionTermination {
        requireId(m);                                                                  // S12: unknown ignored
    }

    void close(Message m) throws SessionTermination {
        requireId(m);                                                                  // S25: unknown ignored
    }

    void abort(Message m) throws SessionTermination {
        requireId(m);
        session.send(Message.of("close").id(m.id()).build());                         // S13
    }

    void ice(Message m) throws SessionTermination {
        requireId(m);
        if (m.candidate() == null) {
            throw new SessionTermination.ProtocolError("null candidate");             // S22
        }
    }

    private static void requireId(Message m) throws SessionTermination {
        if (m.id() == null || m.id().isEmpty()) {
            throw new SessionTermination.ProtocolError("empty id");
        }
    }

    /** Closes all up streams and drops all down streams (J17, S27). */
    void closeAll() {
    }

    /** The client lost {@code present}: its up streams close (S26). */
    void permissionLost() {
    }

    void resetRequest() {
        request = Map.of();
    }

    Map<String, List<String>> currentRequest() {
        return request;
    }
}
