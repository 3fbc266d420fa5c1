package dev.parley.server.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.server.group.Group;
import dev.parley.server.group.Member;

import java.util.ArrayList;
import java.util.List;

/** {@code useraction} (UA1–UA8). */
final class UserActions {
    private final ClientSession session;

    UserActions(ClientSession session) {
        this.session = session;
    }

    void handle(Message m) throws SessionTermination {
        Group g = session.requireGroup();
        if (g == null) {
            return;
        }
        String kind = m.kind() == null ? "" : m.kind();
        switch (kind) {
            case "op", "unop", "present", "unpresent", "shutup", "unshutup" -> changePermissions(g, kind, m.dest());
            case "kick" -> kick(g, m);
            case "identify" -> identify(g, m.dest());
            case "setdata" -> setData(g, m);
            default -> throw new SessionTermination.FatalUserError("unknown user action");   // UA1
        }
    }

    private void changePermissions(Group g, String kind, String dest) {
        if (!session.has("op")) {
            session.sendError("not authorised");
            return;
        }
        Member target = g.member(dest);
        if (target == null) {
            session.sendError("no suck user");                                       // sic, UA2
            return;
        }
        if (!(target instanceof ClientSession client)) {
            session.sendError("this is not a real user");
            return;
        }
        boolean allowRecording = g.description().allowRecording();
        synchronized (g) {
            List<String> p = new ArrayList<>(client.permissions());
            switch (kind) {
                case "op" -> {
                    addOnce(p, "op");
                    if (allowRecording) {
                        addOnce(p, "record");
                    }
                }
                case "unop" -> {
                    p.remove("op");
                    p.remove("record");
                }
                case "present" -> addOnce(p, "present");
                case "unpresent" -> p.remove("present");
                case "shutup" -> p.remove("message");
                case "unshutup" -> addOnce(p, "message");
                default -> throw new IllegalArgumentException(kind);
            }
            client.setPermissions(p);
            client.groupChanged(g, false);                                            // J23
            if (!p.contains("present")) {
                client.streams().permissionLost();                                    // S26
            }
            g.broadcast(client.userMessage("change"), null);                           // U2
        }
    }

    private static void addOnce(List<String> p, String permission) {
        if (!p.contains(permission)) {
            p.add(permission);
        }
    }

    private void kick(Group g, Message m) {
        if (!session.has("op")) {
            session.sendError("not authorised");
            return;
        }
        Member target = g.member(m.dest());
        if (target == null) {
            session.sendError("no such user");
            return;
        }
        String message = m.value() != null && m.value().isTextual() ? m.value().asText() : null;
        target.kick(m.source(), m.username(), message);                                // UA4
    }

    private void identify(Group g, String dest) {
        if (!session.has("op")) {
            session.sendError("not authorised");
            return;
        }
        Member target = g.member(dest);
        if (target == null) {
            session.sendError("client not found");
            return;
        }
        ObjectNode info = Json.object();
        info.put("id", target.id());
        if (target.username() != null && !target.username().isEmpty()) {
            info.put("username", target.username());
        }
        if (target.address() != null) {
            info.put("address", target.address());
        }
        session.send(Message.of("usermessage").kind("userinfo").privileged(true).value(info).build());
        if (target instanceof ClientSession client) {
            client.sendWarning("Your IP address has been communicated to user " + session.username() + ".");
        }
    }

    private void setData(Group g, Message m) {
        if (m.dest() == null || !m.dest().equals(session.id())) {
            session.sendError("not authorised");                                      // UA6
            return;
        }
        if (m.value() == null || !m.value().isObject()) {
            session.sendError("Bad value in setdata");                                // UA7
            return;
        }
        synchronized (g) {
            ObjectNode data = session.data() == null ? Json.object() : session.data().deepCopy();
            Group.merge(data, (ObjectNode) m.value());
            session.setData(data);
            g.broadcast(session.userMessage("change"), null);
        }
    }
}
