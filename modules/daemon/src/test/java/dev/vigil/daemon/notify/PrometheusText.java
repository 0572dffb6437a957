package dev.vigil.daemon.notify;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4 for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} (before the samples of its metric, once) or a sample
 * {@code name{label="value",...} number}; anything else fails. Returns each series (name with its
 * labels as written) and its value.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"(?:,(?=[a-zA-Z_]))?)*\\})? "
                    + "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)");

    private PrometheusText() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() && n == text.split("\n", -1).length) {
                break;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] words = line.split(" ", 4);
                if (words.length < 4 || !NAME.matcher(words[2]).matches()) {
                    throw new AssertionError("line " + n + ": bad comment: " + line);
                }
                if (line.startsWith("# TYPE ")) {
                    if (!words[3].matches("counter|gauge|histogram|summary|untyped")
                            || types.put(words[2], words[3]) != null) {
                        throw new AssertionError("line " + n + ": bad or repeated TYPE: " + line);
                    }
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + n + ": not a sample: " + line);
            }
            if (!types.containsKey(m.group(1))) {
                throw new AssertionError("line " + n + ": sample before its TYPE: " + line);
            }
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (series.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) != null) {
                throw new AssertionError("line " + n + ": series twice: " + key);
            }
        }
        return series;
    }
}
