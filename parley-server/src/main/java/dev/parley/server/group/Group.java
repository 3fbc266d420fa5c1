package dev.parley.server.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One group in memory: its members, lock, chat history and data (G5, G6).
 *
 * <p>Every method that changes membership or sends to members holds the group's monitor,
 * so that all members see broadcasts in one order; sending only queues, so the monitor is
 * never held across I/O.
 */
public final class Group {
    private final String name;
    private final Clock clock;
    private volatile LoadedDescription loaded;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final ChatHistory history = new ChatHistory();
    private String lockMessage;
    private ObjectNode data = Json.object();
    private Instant lastActivity;

    Group(String name, LoadedDescription loaded, Clock clock) {
        this.name = name;
        this.loaded = loaded;
        this.clock = clock;
        this.lastActivity = clock.instant();
    }

    public String name() {
        return name;
    }

    public GroupDescription description() {
        return loaded.description();
    }

    LoadedDescription loaded() {
        return loaded;
    }

    /** Replaces the description after the file changed (G4) and tells every member (J22c). */
    void reload(LoadedDescription fresh) {
        synchronized (this) {
            this.loaded = fresh;
            for (Member m : members.values()) {
                m.groupChanged(this, true);
            }
            evaluateAutoRules();
        }
    }

    public synchronized boolean isLocked() {
        return lockMessage != null;
    }

    public synchronized int clientCount() {
        return members.size();
    }

    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    public synchronized Member member(String id) {
        return members.get(id);
    }

    public synchronized ObjectNode data() {
        return data.deepCopy();
    }

    synchronized boolean isIdleSince(Instant limit) {
        return members.isEmpty() && lastActivity.isBefore(limit);
    }

    /**
     * Status object (H26, J13). {@code base} is the public base URL for the unauthenticated
     * view, or null for the authenticated view carried by {@code joined}.
     */
    public synchronized ObjectNode status(String base, boolean canChangePassword) {
        GroupDescription d = loaded.description();
        ObjectNode s = Json.object();
        s.put("name", name);
        if (base != null && d.hasRedirect()) {
            s.put("redirect", d.redirect());
            putIfNotEmpty(s, "displayName", d.displayName());
            putIfNotEmpty(s, "description", d.description());
            return s;
        }
        if (base != null) {
            s.put("location", base + "/group/" + name + "/");
            s.put("endpoint", (base.startsWith("http:") ? "ws" : "wss") + base.substring(base.indexOf(':')) + "/ws");
        }
        putIfNotEmpty(s, "displayName", d.displayName());
        putIfNotEmpty(s, "description", d.description());
        putIfNotEmpty(s, "authServer", d.authServer());
        putIfNotEmpty(s, "authPortal", d.authPortal());
        if (base == null || d.isPublic()) {
            if (lockMessage != null) {
                s.put("locked", true);
            }
            s.put("clientCount", members.size());
        }
        if (base == null && canChangePassword) {
            s.put("canChangePassword", true);
        }
        return s;
    }

    private static void putIfNotEmpty(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }

    /**
     * Admits an authorised member (J8 steps 4–6, G10–G15) and sends the J11 sequence.
     *
     * @param joined builds the {@code joined} message once the member is counted
     * @return null on success, or the failure text of J9
     */
    public synchronized String join(Member m, boolean isOp, Function<Group, Message> joined) {
        GroupDescription d = loaded.description();
        Instant now = clock.instant();
        if (!isOp) {
            if (lockMessage != null) {
                return lockMessage.isEmpty() ? "this group is locked" : lockMessage;
            }
            if (d.notBefore() != null && d.notBefore().isAfter(now)) {
                return "this group is not open yet";
            }
            if (d.expires() != null && d.expires().isBefore(now)) {
                return "this group is closed";
            }
            if (d.autokick() && members.values().stream().noneMatch(x -> x.hasPermission("op"))) {
                return "there are no operators in this group";
            }
            if (d.maxClients() > 0 && members.size() >= d.maxClients()) {
                return "too many users";
            }
        }
        if (m.id() == null || m.id().isEmpty() || members.containsKey(m.id())) {
            return "internal server error";
        }
        members.put(m.id(), m);
        lastActivity = now;
        // J11: the newcomer's sequence goes out as one burst, whatever the size of the group
        List<Message> burst = new ArrayList<>(members.size() + 8);
        burst.add(joined.apply(this));
        burst.addAll(history.fresh(now, d.historyAgeSeconds()));
        Message self = m.userMessage("add");
        burst.add(self);
        for (Member other : members.values()) {
            if (other != m) {
                burst.add(other.userMessage("add"));
            }
        }
        m.sendAll(burst);
        for (Member other : members.values()) {
            if (other != m) {
                other.send(self);
            }
        }
        return null;
    }

    /**
     * Adds a server-side member (the recorder, GA4) without authorisation or join checks;
     * every member, the new one included, gets {@code user add} for it (U3).
     *
     * @return false when a member has the same id
     */
    public synchronized boolean admit(Member m) {
        if (m.id() == null || m.id().isEmpty() || members.containsKey(m.id())) {
            return false;
        }
        members.put(m.id(), m);
        lastActivity = clock.instant();
        Message added = m.userMessage("add");
        for (Member each : members.values()) {
            each.send(added);
        }
        return true;
    }

    /** Removes a member and tells the others (J19), then applies autolock/autokick (G16). */
    public synchronized boolean leave(Member m) {
        if (members.get(m.id()) != m) {
            return false;
        }
        members.remove(m.id());
        lastActivity = clock.instant();
        Message gone = m.userMessage("delete");
        for (Member other : members.values()) {
            other.send(gone);
        }
        evaluateAutoRules();
        return true;
    }

    /** Sends a message to every member but {@code except} (which may be null). */
    public synchronized void broadcast(Message msg, Member except) {
        for (Member m : members.values()) {
            if (m != except) {
                m.send(msg);
            }
        }
    }

    /** Runs an action for each member under the group's order guarantee. */
    public synchronized void forEachMember(Consumer<Member> action) {
        for (Member m : List.copyOf(members.values())) {
            action.accept(m);
        }
    }

    /** Delivers a broadcast chat message (C6) and records it (C9). */
    public synchronized void chatBroadcast(Message chat, Member sender, boolean noecho) {
        history.add(chat, clock.instant());
        for (Member m : members.values()) {
            if (m.isWebSocket() && !(noecho && m == sender)) {
                m.send(chat);
            }
        }
    }

    /** Clears chat history as GA2 describes; returns false for a bad value. */
    public synchronized boolean clearChat(JsonNode value) {
        if (value == null || value.isNull()) {
            history.clear();
            return true;
        }
        if (!value.isObject()) {
            return false;
        }
        JsonNode idNode = value.get("id");
        JsonNode userNode = value.get("userId");
        String id = idNode != null && idNode.isTextual() ? idNode.asText() : "";
        String userId = userNode != null && userNode.isTextual() ? userNode.asText() : "";
        if (!id.isEmpty() && userId.isEmpty()) {
            return false;
        }
        if (userId.isEmpty()) {
            history.clear();
        } else if (id.isEmpty()) {
            history.removeIf(h -> userId.equals(h.source()));
        } else {
            history.removeIf(h -> userId.equals(h.source()) && id.equals(h.id()));
        }
        return true;
    }

    /** Locks the group (GA3, J25); every member gets {@code joined change}. */
    public synchronized void lock(String message) {
        lockMessage = message == null ? "" : message;
        notifyChanged(true);
    }

    public synchronized void unlock() {
        lockMessage = null;
        notifyChanged(true);
    }

    /** Merges an object into the group data, null deleting a key (GA8). */
    public synchronized void mergeData(ObjectNode patch) {
        merge(data, patch);
        notifyChanged(true);
    }

    /** Merges {@code patch} into {@code target}: null values delete keys (UA7, GA8). */
    public static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private void notifyChanged(boolean withData) {
        for (Member m : members.values()) {
            m.groupChanged(this, withData);
        }
    }

    /** Autolock and autokick (G16): run when the group is accessed and after departures. */
    synchronized void evaluateAutoRules() {
        GroupDescription d = loaded.description();
        boolean anyOp = members.values().stream().anyMatch(m -> m.hasPermission("op"));
        if (d.autolock() && lockMessage == null && !anyOp) {
            lockMessage = "this group is locked";
            notifyChanged(true);
        }
        if (d.autokick() && !anyOp && !members.isEmpty()) {
            for (Member m : new ArrayList<>(members.values())) {
                m.kick(null, null, "there are no operators in this group");
            }
        }
    }
}
