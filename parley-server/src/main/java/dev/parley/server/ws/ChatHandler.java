package dev.parley.server.ws;

import dev.parley.protocol.Message;
import dev.parley.server.group.Group;
import dev.parley.server.group.Member;
import dev.parley.server.util.Ids;
import dev.parley.server.util.Times;

/** {@code chat} (C1–C12) and {@code usermessage} (M1–M3). */
final class ChatHandler {
    private final ClientSession session;

    ChatHandler(ClientSession session) {
        this.session = session;
    }

    void chat(Message m) {
        String kind = m.kind() == null ? "" : m.kind();
        deliver(m, kind.equals("caption") ? "caption" : "message", true);
    }

    void userMessage(Message m) {
        deliver(m, "message", false);
    }

    private void deliver(Message m, String permission, boolean isChat) {
        Group g = session.requireGroup();
        if (g == null) {
            return;
        }
        if (!session.has(permission)) {
            session.sendError("not authorised");
            return;
        }
        boolean broadcast = m.dest() == null || m.dest().isEmpty();
        String id = m.id();
        if (isChat && broadcast && (id == null || id.isEmpty())) {
            id = Ids.shortId();                                                           // C4
        }
        Message out = Message.of(m.type()).kind(m.kind()).id(id).source(m.source()).username(m.username())
                .dest(m.dest()).noecho(m.noecho()).value(m.value())
                .time(Times.rfc3339(session.ctx.clock())).privileged(session.has("op")).build();
        if (broadcast) {
            if (isChat) {
                g.chatBroadcast(out, session, m.noecho());                                // C6
            } else {
                g.forEachMember(member -> {
                    if (member.isWebSocket() && !(m.noecho() && member == session)) {
                        member.send(out);
                    }
                });
            }
            return;
        }
        Member target = g.member(m.dest());                                               // C7
        if (target == null) {
            session.sendError("user unknown");
        } else if (!target.isWebSocket()) {
            session.sendError("this user doesn't chat");
        } else {
            target.send(out);
        }
    }
}
