package io.termsgate.engine;

import java.util.List;
import java.util.stream.Collectors;

/** A ruleset that cannot be compiled into something that decides. Carries every problem found, not just the first. */
public class RulesetRejectedException extends RuntimeException {

    private final transient List<RulesetProblem> problems;

    public RulesetRejectedException(List<RulesetProblem> problems) {
        super("ruleset rejected:\n  "
                + problems.stream().map(RulesetProblem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<RulesetProblem> problems() {
        return problems;
    }
}
