package dev.parley.server.ws;

import dev.parley.protocol.Message;
import dev.parley.server.auth.AuthResult;
import dev.parley.server.cluster.Placement;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** {@code join} with kinds {@code join} and {@code leave} (spec B.4). */
final class JoinHandler {
    private static final Logger log = LoggerFactory.getLogger(JoinHandler.class);
    private static final long AUTH_FAILURE_DELAY_MS = 200;   // J10, L4

    private final ClientSession session;

    JoinHandler(ClientSession session) {
        this.session = session;
    }

    void handle(Message m) throws SessionTermination {
        String kind = m.kind() == null ? "" : m.kind();
        switch (kind) {
            case "join" -> join(m);
            case "leave" -> leave(m);
            default -> throw new SessionTermination.ProtocolError("unknown kind");   // J2
        }
    }

    private void join(Message m) throws SessionTermination {
        if (session.group() != null) {
            throw new SessionTermination.ProtocolError("cannot join multiple groups");   // J3
        }
        String name = m.group() == null ? "" : m.group();
        session.setData(m.data());                                                    // J4
        Group g;
        try {
            g = session.ctx.groups().get(name);
        } catch (GroupException e) {
            fail(name, e.joinFailureText(), null);
            return;
        }
        AuthResult result = session.ctx.authoriser().authorise(name, g.description().authPolicy(),
                m.username(), m.password(), m.token());
        switch (result) {
            case AuthResult.Denied d -> {
                // one line per refusal, so that a log watcher (fail2ban…) can spot password guessing
                try (SessionLogContext ignored = SessionLogContext.enter(name, session.id())) {
                    log.info("join refused: not authorised as \"{}\"", printable(m.username()));
                }
                session.pauseThen(AUTH_FAILURE_DELAY_MS, () -> fail(name, "not authorised", null));
            }
            case AuthResult.NeedUsername n -> fail(name, "username required", "need-username");
            case AuthResult.DuplicateUsername d ->
                    fail(name, "not authorised: this username is taken", "duplicate-username");
            case AuthResult.Failed f -> fail(name, "internal server error", null);
            case AuthResult.Granted granted -> admit(g, granted);
        }
    }

    private void admit(Group g, AuthResult.Granted granted) {
        session.setUsername(granted.username());                                     // J27
        if (g.description().hasRedirect()) {                                          // J21
            session.send(Message.of("joined").kind("redirect").group(g.name())
                    .username(session.username()).value(g.description().redirect()).build());
            return;
        }
        if (!servedHere(g)) {
            return;
        }
        session.setPermissions(granted.permissions());
        boolean isOp = granted.permissions().contains("op");
        String failure = g.join(session, isOp, grp -> {
            session.setGroup(grp);
            return joinedMessage("join", grp, true);
        });
        if (failure == null) {
            try (SessionLogContext ignored = SessionLogContext.enter(g.name(), session.id())) {
                log.info("joined as \"{}\"{}", printable(session.username()), isOp ? " (operator)" : "");
            }
        } else {
            session.setGroup(null);
            session.setPermissions(List.of());                                       // J27 [REF-DEFECT]
            fail(g.name(), failure, null);
        }
    }

    /**
     * In a cluster, the group is served by the node that holds its lease: a join that reached
     * another node gets {@code joined redirect} to the group's page there, as J21 does for a
     * description's redirect (Galène's and Parley's clients follow it).
     */
    private boolean servedHere(Group g) {
        switch (session.ctx.cluster().placeForJoin(g.name())) {
            case Placement.Here h -> {
                return true;
            }
            case Placement.Elsewhere e -> {
                session.send(Message.of("joined").kind("redirect").group(g.name())
                        .username(session.username()).value(e.groupPage(g.name())).build());
                return false;
            }
            case Placement.Unavailable u -> {
                fail(g.name(), u.reason(), null);
                return false;
            }
        }
    }

    /** A client-chosen name as it may appear in a text log: no control characters (no forged lines), bounded. */
    private static String printable(String name) {
        if (name == null) {
            return "";
        }
        String cut = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private void fail(String group, String text, String error) {
        session.send(Message.of("joined").kind("fail").group(group).username(session.username())
                .value(text).error(error).build());
    }

    private void leave(Message m) throws SessionTermination {
        Group g = session.group();
        if (g == null || !g.name().equals(m.group())) {
            throw new SessionTermination.FatalUserError("you are not joined");          // J16
        }
        leaveGroup(true);
    }

    /** J17 (and J18 when {@code tellClient}); also the cleanup on disconnection (J20). */
    void leaveGroup(boolean tellClient) {
        Group g = session.group();
        if (g == null) {
            return;
        }
        session.streams().closeAll();
        g.leave(session);
        session.setGroup(null);
        session.setPermissions(List.of());
        session.setData(null);
        session.streams().resetRequest();
        if (tellClient) {
            Message.Builder b = Message.of("joined").kind("leave").group(g.name()).username(session.username())
                    .rtcConfiguration(session.ctx.iceServers().rtcConfiguration());
            try {
                Group still = session.ctx.groups().get(g.name());
                b.status(still.status(null, session.ctx.config().get().writableGroups())).data(still.data());
            } catch (GroupException e) {
                // the group is gone: no status or data (J18)
            }
            session.send(b.build());
        }
    }

    /** {@code joined} with the J11/J22/J23 fields for this session. */
    Message joinedMessage(String kind, Group g, boolean withData) {
        Message.Builder b = Message.of("joined").kind(kind).group(g.name()).username(session.username())
                .permissions(session.permissions())
                .status(g.status(null, session.ctx.config().get().writableGroups()))
                .rtcConfiguration(session.ctx.iceServers().rtcConfiguration());
        if (withData) {
            b.data(g.data());
        }
        return b.build();
    }
}
