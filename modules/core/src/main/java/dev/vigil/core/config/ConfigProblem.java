package dev.vigil.core.config;

/**
 * One thing wrong with the configuration, located precisely enough for an operator to fix it:
 * the file and line it was found at, the full key, and what is wrong (ideally with the fix).
 * Printed as {@code vigil.conf:14: vigil.hierarchies[0].resources[2].depends-on: unknown tag ...}.
 */
public record ConfigProblem(String file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<unknown file>" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}
