package dev.parley.server.group;

import dev.parley.server.sfu.MediaService;
import dev.parley.server.sfu.Publisher;
import dev.parley.server.sfu.StreamReceiver;
import dev.parley.server.sfu.UpStream;

import java.util.function.Consumer;

/**
 * Who in a group is offered which streams (S23): every member that receives streams, but the
 * presenter, gets every up stream of every member that presents them.
 */
public final class StreamRouting {
    private static final long PUSH_DELAY_MS = 200;                                     // S23, L7

    private StreamRouting() {
    }

    /** Applies {@code action} to every receiving member of {@code g} but {@code presenter}. */
    public static void toReceivers(Group g, Member presenter, Consumer<StreamReceiver> action) {
        for (Member m : g.members()) {
            if (m != presenter && m instanceof StreamReceiver r) {
                action.accept(r);
            }
        }
    }

    /** Offers a new receiver every up stream already in the group (J15 after request, GA4). */
    public static void offerExisting(Group g, StreamReceiver receiver) {
        for (Member m : g.members()) {
            if (m != receiver && m instanceof Publisher p) {
                p.upStreams().forEach(receiver::push);
            }
        }
    }

    /**
     * Pushes {@code up} to the other members 200 ms from now; pushes asked for meanwhile
     * coalesce into that one (S23).
     */
    public static void schedulePush(MediaService media, Group g, Member presenter, UpStream up) {
        if (!up.claimPush()) {
            return;
        }
        media.schedule(() -> {
            up.releasePush();
            if (!up.isClosed()) {
                toReceivers(g, presenter, r -> r.push(up));
            }
        }, PUSH_DELAY_MS);
    }
}
