package dev.parley.server.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Message;
import dev.parley.server.auth.TokenCommands;
import dev.parley.server.group.Group;
import dev.parley.server.group.StreamRouting;
import dev.parley.server.record.Recorder;
import dev.parley.server.util.Times;

import java.io.IOException;
import java.util.Set;

/** {@code groupaction} (GA1–GA9) and the token kinds (T1–T9). */
final class GroupActions {
    private final ClientSession session;

    GroupActions(ClientSession session) {
        this.session = session;
    }

    void handle(Message m) throws SessionTermination {
        Group g = session.requireGroup();
        if (g == null) {
            return;
        }
        String kind = m.kind() == null ? "" : m.kind();
        switch (kind) {
            case "clearchat" -> clearChat(g, m);
            case "lock" -> {
                if (requireOp()) {
                    g.lock(m.value() != null && m.value().isTextual() ? m.value().asText() : "");
                }
            }
            case "unlock" -> {
                if (requireOp()) {
                    g.unlock();
                }
            }
            case "record" -> record(g);
            case "unrecord" -> {
                if (requirePermission("record")) {
                    Recorder.stopAll(g);                                                   // GA5
                }
            }
            case "subgroups" -> subgroups(g);
            case "setdata" -> setData(g, m);
            case "maketoken" -> tokenReply("token", session.ctx.tokenCommands().make(m.value(), g.name(),
                    session.username(), session.permissions(), Set.copyOf(g.description().users().keySet())));
            case "edittoken" -> tokenReply("token", session.ctx.tokenCommands().edit(m.value(), session.permissions()));
            case "listtokens" -> tokenReply("tokenlist", session.ctx.tokenCommands().list(g.name(), session.permissions()));
            default -> throw new SessionTermination.FatalUserError("unknown group action");   // GA1
        }
    }

    private boolean requireOp() {
        return requirePermission("op");
    }

    private boolean requirePermission(String permission) {
        if (!session.has(permission)) {
            session.sendError("not authorised");
            return false;
        }
        return true;
    }

    /** GA4: a recorder joins the group and is offered every up stream. */
    private void record(Group g) throws SessionTermination {
        if (!requirePermission("record")) {
            return;
        }
        Recorder recorder;
        try {
            recorder = Recorder.start(g, session.ctx.options().recordingsDir(), session.ctx.clock());
        } catch (IOException e) {
            throw new SessionTermination.InternalFailure("cannot create the recordings directory: " + e.getMessage());
        }
        if (recorder == null) {
            session.sendError("already recording");
            return;
        }
        StreamRouting.offerExisting(g, recorder);
    }

    private void clearChat(Group g, Message m) {
        if (!requireOp()) {
            return;
        }
        if (!g.clearChat(m.value())) {
            session.sendError("bad value in clearchat");
            return;
        }
        Message cleared = Message.of("usermessage").kind("clearchat").privileged(true).value(m.value()).build();
        g.forEachMember(member -> {
            if (member.isWebSocket()) {
                member.send(cleared);
            }
        });
    }

    private void subgroups(Group g) {
        if (!requireOp()) {
            return;
        }
        StringBuilder s = new StringBuilder();
        String prefix = g.name() + "/";
        for (Group other : session.ctx.groups().loadedGroups()) {
            int n = other.clientCount();
            if (other.name().startsWith(prefix) && n > 0) {
                s.append(other.name()).append(" (").append(n).append(n == 1 ? " client)\n" : " clients)\n");
            }
        }
        session.send(Message.of("chat").dest(session.id()).username("Server")
                .time(Times.rfc3339(session.ctx.clock())).value(s.toString()).build());      // GA6
    }

    private void setData(Group g, Message m) {
        if (!requireOp()) {
            return;
        }
        if (m.value() == null || !m.value().isObject()) {
            session.sendError("Bad value in setdata");
            return;
        }
        g.mergeData((ObjectNode) m.value());
    }

    private void tokenReply(String kind, TokenCommands.TokenReply reply) {
        session.send(Message.of("usermessage").kind(kind).privileged(true).error(reply.error())
                .value(reply.value()).build());
    }
}
