package dev.parley.server.sfu;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Members of a periodic task spread over the sub-ticks of its interval: {@code slots} slots, one
 * run per sub-tick, so that one sub-tick does only its slot's share of the work (a media loop's
 * RTCP, {@link RtcpTicks}). A member keeps its slot from {@link #add} to {@link #remove}, so it
 * runs once per interval at a stable phase (its reports stay evenly spaced), and the slots stay
 * within one member of each other as members come: each joins the least-filled slot, of those the
 * one that runs soonest. Members that leave are not moved back in: moving one would give it a
 * shorter or longer interval once.
 *
 * <p>Confined to one thread, and not changed while {@link #run} runs (a change then throws):
 * callers post changes to the thread as tasks. {@link #run} allocates nothing; adding and
 * removing do (a map entry), once per member.
 */
final class TickSlots<T> {
    private final List<List<T>> slots = new ArrayList<>();
    private final Map<T, Integer> slotOf = new IdentityHashMap<>();
    private boolean running;

    TickSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: " + slots);
        }
        for (int i = 0; i < slots; i++) {
            this.slots.add(new ArrayList<>());
        }
    }

    int slots() {
        return slots.size();
    }

    int size() {
        return slotOf.size();
    }

    /**
     * Adds {@code member} (once: again is a no-op) to the least-filled slot, counting from
     * {@code next}, the slot that runs next, so that of equally filled slots it gets the soonest.
     * Returns its slot.
     */
    int add(T member, int next) {
        checkNotRunning();
        Integer had = slotOf.get(member);
        if (had != null) {
            return had;
        }
        int n = slots.size();
        int best = -1;
        for (int k = 0; k < n; k++) {
            int slot = Math.floorMod(next + k, n);
            if (best < 0 || slots.get(slot).size() < slots.get(best).size()) {
                best = slot;
            }
        }
        slots.get(best).add(member);
        slotOf.put(member, best);
        return best;
    }

    /** Removes {@code member}; false when it was not here. */
    boolean remove(T member) {
        checkNotRunning();
        Integer slot = slotOf.remove(member);
        if (slot == null) {
            return false;
        }
        List<T> members = slots.get(slot);
        int i = members.indexOf(member);
        int last = members.size() - 1;
        members.set(i, members.get(last));       // order inside a slot does not matter
        members.remove(last);
        return true;
    }

    /** The slot of {@code member}, or -1. */
    int slotOf(T member) {
        Integer slot = slotOf.get(member);
        return slot == null ? -1 : slot;
    }

    /** How many members {@code slot} holds. */
    int sizeOf(int slot) {
        return slots.get(slot).size();
    }

    /** Runs {@code action} with each member of {@code slot} and {@code arg}; a member that throws does not stop the others. */
    void run(int slot, long arg, ObjLongConsumer<? super T> action, FailureHandler<? super T> onFailure) {
        List<T> members = slots.get(slot);
        running = true;
        try {
            for (int i = 0, n = members.size(); i < n; i++) {
                T member = members.get(i);
                try {
                    action.accept(member, arg);
                } catch (RuntimeException e) {
                    onFailure.failed(member, e);
                }
            }
        } finally {
            running = false;
        }
    }

    /** What to do with a member's failure (log it). */
    @FunctionalInterface
    interface FailureHandler<T> {
        void failed(T member, RuntimeException e);
    }

    private void checkNotRunning() {
        if (running) {
            throw new IllegalStateException("members changed while a slot runs: post the change instead");
        }
    }
}
