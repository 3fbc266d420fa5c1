package dev.parley.bench.impair;

import java.util.List;

/**
 * Which participants are in which impairment group. Participant i goes to the group whose slice
 * of [0, 1) holds the i-th point of the golden-ratio sequence: every prefix of participants is
 * split close to the groups' shares, so a step of 5 or of 600 both get their 25 %, and adding
 * participants never moves earlier ones. Group 0 is the unimpaired rest.
 */
public record ImpairmentPlan(List<ImpairmentProfile> groups, long seed) {
    private static final double GOLDEN = 0.6180339887498949;

    public static ImpairmentPlan none() {
        return new ImpairmentPlan(List.of(), 1);
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** 0 for the unimpaired, else 1 + the index of the participant's profile. */
    public int groupOf(int participantIndex) {
        double x = (participantIndex * GOLDEN) % 1.0;
        double edge = 0;
        for (int g = 0; g < groups.size(); g++) {
            edge += groups.get(g).share();
            if (x < edge) {
                return g + 1;
            }
        }
        return 0;
    }

    /** A distinct, reproducible random seed for one emulated link. */
    public long seedFor(int participantIndex, int link) {
        return seed * 1_000_003L + participantIndex * 7919L + link;
    }
}
