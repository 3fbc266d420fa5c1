package dev.parley.bench.load;

import java.io.IOException;
import java.util.List;

/** A load shape that grows in steps: {@link #grow} adds participants until step {@code n} is reached. */
public interface Scenario {
    String name();

    /** One line for the report: what a step of size N means. */
    String description();

    List<Integer> steps();

    /** Brings the load to size {@code n} (steps only increase). */
    void grow(LoadContext ctx, int n) throws IOException, InterruptedException;

    /** Down streams that must be connected at size {@code n}. */
    int expectedSubscriptions(int n);
}
