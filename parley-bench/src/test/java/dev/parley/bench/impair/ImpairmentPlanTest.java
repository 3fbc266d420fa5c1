package dev.parley.bench.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImpairmentPlanTest {

    @Test
    void parsesGroupsWithUnits() {
        List<ImpairmentProfile> g = ImpairmentProfile.parseAll("group=25%:loss=5,delay=50ms;group=25%:rate=300k");
        assertThat(g).containsExactly(new ImpairmentProfile(0.25, 5, 50, 0, ImpairmentProfile.DEFAULT_QUEUE_MILLIS),
                new ImpairmentProfile(0.25, 0, 0, 300_000, ImpairmentProfile.DEFAULT_QUEUE_MILLIS));
        assertThat(ImpairmentProfile.parseAll("group=10%:rate=1.5m,queue=0.2s,loss=0.5%").getFirst())
                .isEqualTo(new ImpairmentProfile(0.10, 0.5, 0, 1_500_000, 200));
        assertThat(g.getFirst().describe()).isEqualTo("25% loss=5% delay=50ms");
    }

    @Test
    void rejectsWhatItCannotEmulate() {
        assertThatThrownBy(() -> ImpairmentProfile.parseAll("group=60%:loss=1;group=50%:loss=1"))
                .hasMessageContaining("100 %");
        assertThatThrownBy(() -> ImpairmentProfile.parseAll("group=25%:jitter=5")).hasMessageContaining("jitter");
        assertThatThrownBy(() -> ImpairmentProfile.parseAll("group=25%")).hasMessageContaining("no impairment");
        assertThatThrownBy(() -> ImpairmentProfile.parseAll("loss=5")).hasMessageContaining("group=");
        assertThatThrownBy(() -> ImpairmentProfile.parseAll("group=25%:loss=abc")).hasMessageContaining("number");
    }

    @Test
    void everyPrefixOfParticipantsIsSplitCloseToTheShares() {
        ImpairmentPlan plan = new ImpairmentPlan(ImpairmentProfile.parseAll("group=25%:loss=5;group=25%:rate=300k"), 1);
        for (int n : new int[] {8, 20, 100, 600}) {
            int[] count = new int[3];
            for (int i = 1; i <= n; i++) {
                count[plan.groupOf(i)]++;
            }
            assertThat(count[1]).as("group 1 of %d", n).isBetween((int) Math.floor(n * 0.25) - 1, (int) Math.ceil(n * 0.25) + 1);
            assertThat(count[2]).as("group 2 of %d", n).isBetween((int) Math.floor(n * 0.25) - 1, (int) Math.ceil(n * 0.25) + 1);
        }
        assertThat(ImpairmentPlan.none().groupOf(7)).isZero();
    }
}
