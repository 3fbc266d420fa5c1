package dev.parley.server.whip;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Message;
import dev.parley.server.group.Group;
import dev.parley.server.group.Member;
import dev.parley.server.group.StreamRouting;
import dev.parley.server.sfu.MediaService;
import dev.parley.server.sfu.Publisher;
import dev.parley.server.sfu.UpStream;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WHIP publisher (spec A.9, H66): a group member with one up stream and no WebSocket. It
 * never receives streams. It ends on DELETE, on kick, or when its group shuts down.
 */
public final class WhipSession implements Member, Publisher {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id = randomToken();          // H67: what other members see
    private final String resource = randomToken();    // H67: the Location path element, distinct
    private final Group group;
    private final String username;
    private final List<String> permissions;
    private final String token;
    private final String address;
    private final WhipSessions registry;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile UpStream up;
    private volatile String etag = quotedToken();

    WhipSession(Group group, String username, List<String> permissions, String token, String address,
                WhipSessions registry) {
        this.group = group;
        this.username = username;
        this.permissions = List.copyOf(permissions);
        this.token = token;
        this.address = address;
        this.registry = registry;
    }

    /** 16 random bytes, base64url: 22 characters (L14). */
    static String randomToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String quotedToken() {
        return "\"" + randomToken() + "\"";
    }

    public String resource() {
        return resource;
    }

    public Group group() {
        return group;
    }

    /** The bearer token the session was created with, which every later request must carry (H64); or null. */
    public String token() {
        return token;
    }

    public String etag() {
        return etag;
    }

    /** A new ETag after an ICE restart (H64). */
    public String renewEtag() {
        etag = quotedToken();
        return etag;
    }

    public UpStream up() {
        return up;
    }

    /** Creates the session's up stream, pushed to the group as its tracks arrive (S23). */
    public UpStream startStream(MediaService media) {
        UpStream stream = new UpStream(randomToken(), "", new UpStream.Owner() {
            @Override
            public String clientId() {
                return id;
            }

            @Override
            public String username() {
                return username;
            }

            @Override
            public void tracksChanged(UpStream s) {
                StreamRouting.schedulePush(media, group, WhipSession.this, s);
            }

            @Override
            public void transportFailed(UpStream s) {
                endAsync();                  // as the reference does: a WHIP session lives as long as its transport
            }

            @Override
            public void transportDead(UpStream s) {
                endAsync();
            }
        });
        stream.setTransport(media.newTransport(stream));
        up = stream;
        return stream;
    }

    /** Closes the stream (others get close), leaves the group (others get user delete). */
    public void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        UpStream s = up;
        if (s != null) {
            s.close();
            StreamRouting.toReceivers(group, this, r -> r.upClosed(s.id()));
        }
        group.leave(this);
        registry.remove(this);
    }

    // ---- Member --------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public List<String> permissions() {
        return permissions;
    }

    @Override
    public ObjectNode data() {
        return null;                                                                   // U3
    }

    @Override
    public boolean isWebSocket() {
        return false;
    }

    @Override
    public void send(Message m) {
        // nobody listens: WHIP has no signalling channel
    }

    @Override
    public void kick(String kickerId, String kickerUsername, String message) {
        endAsync();                                                                    // UA4: kicking ends it
    }

    /** Ends the session off the caller's thread (the media loop, a group lock). */
    private void endAsync() {
        Thread.ofVirtual().start(this::end);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public List<UpStream> upStreams() {
        UpStream s = up;
        return s == null || s.isClosed() ? List.of() : List.of(s);
    }
}
