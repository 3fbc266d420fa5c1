package dev.parley.bench.report;

import dev.parley.bench.load.StepResult;
import java.util.List;
import java.util.Optional;

/** A scenario's steps with the capacity derived from them. */
public record ScenarioReport(String name, String description, List<StepResult> steps) {

    /** The largest N that held (loss < 0.5 %, p99 < 50 ms), if any. */
    public Optional<StepResult> capacity() {
        return steps.stream().filter(StepResult::held).reduce((a, b) -> b.n() > a.n() ? b : a);
    }

    /** True if the first step that failed was one where the generator itself was saturated. */
    public boolean limitedByGenerator() {
        return steps.stream().filter(s -> !s.held()).findFirst().map(StepResult::generatorBound).orElse(false)
                || steps.stream().anyMatch(s -> s.held() && s.generatorBound());
    }
}
