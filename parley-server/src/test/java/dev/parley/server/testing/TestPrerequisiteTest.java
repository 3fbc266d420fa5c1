package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class TestPrerequisiteTest {

    @Test
    void missingUnderCi_failsTheTest() {
        assertThatThrownBy(() -> TestPrerequisite.require(false, "no chromium", "true"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no chromium")
                .hasMessageContaining("CI=true");
    }

    @Test
    void missingOnADeveloperMachine_skipsTheTest() {
        assertThatThrownBy(() -> TestPrerequisite.require(false, "no chromium", null))
                .isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> TestPrerequisite.require(false, "no chromium", "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void present_runsTheTest() {
        assertThatCode(() -> TestPrerequisite.require(true, "no chromium", "true")).doesNotThrowAnyException();
    }
}
