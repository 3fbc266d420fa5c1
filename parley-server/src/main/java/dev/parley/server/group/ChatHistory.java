package dev.parley.server.group;

import dev.parley.protocol.Message;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@value #CAPACITY} broadcast chat messages of a group (C9), in memory only (C11).
 * Not thread-safe: the owning {@link Group} guards it.
 */
final class ChatHistory {
    static final int CAPACITY = 50;

    record Entry(Message message, Instant time) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    void add(Message chat, Instant time) {
        // C9/C10: privileged, dest and noecho are not stored.
        Message stored = Message.of("chathistory").id(chat.id()).source(chat.source())
                .username(chat.username()).time(chat.time()).kind(chat.kind()).value(chat.value()).build();
        entries.addLast(new Entry(stored, time));
        while (entries.size() > CAPACITY) {
            entries.removeFirst();
        }
    }

    /** Drops entries older than {@code maxAgeSeconds}, oldest first, stopping at the first fresh one (C10). */
    List<Message> fresh(Instant now, int maxAgeSeconds) {
        Instant limit = now.minusSeconds(maxAgeSeconds);
        while (!entries.isEmpty() && entries.peekFirst().time().isBefore(limit)) {
            entries.removeFirst();
        }
        List<Message> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.message()));
        return out;
    }

    void clear() {
        entries.clear();
    }

    void removeIf(Predicate<Message> p) {
        entries.removeIf(e -> p.test(e.message()));
    }
}
