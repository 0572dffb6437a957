package dev.vigil.core.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems during one validation run. */
public final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    public void add(ConfigOrigin origin, String key, String message) {
        String file = null;
        int line = -1;
        if (origin != null) {
            file = origin.filename();
            line = origin.lineNumber();
            if (file == null) {
                // A merged value ("merge of a.conf: 3,reference.conf @ ...: 44"): name the first
                // place, which is what the operator wrote.
                String d = origin.description().replaceFirst("^merge of ", "");
                int comma = d.indexOf(',');
                String first = comma > 0 ? d.substring(0, comma) : d;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*?): (\\d+)$").matcher(first);
                if (m.matches()) {
                    file = m.group(1);
                    line = Integer.parseInt(m.group(2));
                } else {
                    file = first;
                }
            }
        }
        list.add(new ConfigProblem(file, line, key, message));
    }

    public void add(ConfigProblem problem) {
        list.add(problem);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** Every problem, in file and line order (the order an operator fixes them in). */
    public List<ConfigProblem> all() {
        List<ConfigProblem> sorted = new ArrayList<>(list);
        sorted.sort(java.util.Comparator.comparing((ConfigProblem p) -> p.file() == null ? "" : p.file())
                .thenComparingInt(ConfigProblem::line));
        return List.copyOf(sorted);
    }

    /** Throws if anything was found. */
    public void throwIfAny() throws ConfigException {
        if (!list.isEmpty()) {
            throw new ConfigException(all());
        }
    }
}
