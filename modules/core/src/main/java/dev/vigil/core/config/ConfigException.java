package dev.vigil.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a configuration cannot be used. Carries every problem found in one run, so the
 * operator fixes them all at once instead of one per restart.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
