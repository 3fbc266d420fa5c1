package dev.parley.server.transportcc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentNumbersTest {
    @Test
    void remembersTheLastPacketsNumbersAcrossTheSequenceWrapAndForgetsOlderOnes() {
        SentNumbers numbers = new SentNumbers();
        assertThat(numbers.numberOf(0)).as("nothing sent").isEqualTo(SentNumbers.UNKNOWN);
        for (int i = 0; i < 0x10000 + 100; i++) {
            int rtpSeq = (i + 60_000) & 0xFFFF;
            numbers.record(rtpSeq, i % 97 == 5 ? SentNumbers.NONE : (i * 3) & 0xFFFF);
        }
        int last = 0x10000 + 99;
        assertThat(numbers.numberOf((last + 60_000) & 0xFFFF)).isEqualTo((last * 3) & 0xFFFF);
        int oldest = last - SentNumbers.CAPACITY + 1;
        assertThat(numbers.numberOf((oldest + 60_000) & 0xFFFF)).isEqualTo((oldest * 3) & 0xFFFF);
        assertThat(numbers.numberOf((oldest - 1 + 60_000) & 0xFFFF)).as("overwritten by a later packet")
                .isEqualTo(SentNumbers.UNKNOWN);
        int unnumbered = last - (last % 97) + 5 - 97;           // i % 97 == 5, within the window
        assertThat(numbers.numberOf((unnumbered + 60_000) & 0xFFFF)).isEqualTo(SentNumbers.NONE);
        assertThat(numbers.numberOf((last + 1 + 60_000) & 0xFFFF)).as("not sent yet").isEqualTo(SentNumbers.UNKNOWN);
    }
}
