package dev.vigil.core.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects configuration problems during one validation run and hands them back in the order
 * an operator fixes them: the main file first, then the other files by name, each by line.
 * A problem whose only location is a built-in default (reference.conf, which the operator
 * cannot see) is placed in the main file instead.
 */
public final class Problems {
    private static final Pattern FILE_LINE = Pattern.compile("^(.*?): (\\d+)$");

    private final List<ConfigProblem> list = new ArrayList<>();
    private final String mainFile;

    public Problems() {
        this(null);
    }

    /** @param mainFile the file a problem is attributed to when it has no place of its own */
    public Problems(String mainFile) {
        this.mainFile = mainFile;
    }

    /** True when {@code origin} is only a built-in default, i.e. nothing the operator wrote. */
    public static boolean isDefault(ConfigOrigin origin) {
        return origin == null || firstPlace(origin).startsWith("reference.conf @");
    }

    public void add(ConfigOrigin origin, String key, String message) {
        list.add(locate(origin, key, message));
    }

    /** Where {@code origin} is, as problems print it: {@code vigil.conf:12}. */
    public String place(ConfigOrigin origin) {
        ConfigProblem p = locate(origin, null, "");
        return p.line() > 0 ? p.file() + ":" + p.line() : String.valueOf(p.file());
    }

    private ConfigProblem locate(ConfigOrigin origin, String key, String message) {
        if (isDefault(origin)) {
            return new ConfigProblem(mainFile, -1, key, message);
        }
        String file = origin.filename();
        int line = origin.lineNumber();
        if (file == null) {
            // A merged value ("merge of a.conf: 3,reference.conf @ ...: 44"): name the first
            // place, which is what the operator wrote last.
            Matcher m = FILE_LINE.matcher(firstPlace(origin));
            if (m.matches()) {
                file = m.group(1);
                line = Integer.parseInt(m.group(2));
            } else {
                file = firstPlace(origin);
            }
        }
        return new ConfigProblem(file, line, key, message);
    }

    private static String firstPlace(ConfigOrigin origin) {
        String d = origin.description().replaceFirst("^merge of ", "");
        int comma = d.indexOf(',');
        return comma > 0 ? d.substring(0, comma) : d;
    }

    public void add(ConfigProblem problem) {
        list.add(problem);
    }

    /** How many problems were recorded so far: a caller compares counts to see whether a read went wrong. */
    public int count() {
        return list.size();
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * Every problem once, main file first, then the other files by name, each in line order
     * (problems on one line keep the order they were found in).
     */
    public List<ConfigProblem> all() {
        List<ConfigProblem> sorted = new ArrayList<>(new LinkedHashSet<>(list));
        sorted.sort(Comparator.comparingInt(this::fileRank)
                .thenComparing(p -> p.file() == null ? "" : p.file())
                .thenComparingInt(ConfigProblem::line));
        return List.copyOf(sorted);
    }

    private int fileRank(ConfigProblem p) {
        if (p.file() == null) {
            return 2;
        }
        return p.file().equals(mainFile) ? 0 : 1;
    }

    /** Throws if anything was found. */
    public void throwIfAny() throws ConfigException {
        if (!list.isEmpty()) {
            throw new ConfigException(all());
        }
    }
}
