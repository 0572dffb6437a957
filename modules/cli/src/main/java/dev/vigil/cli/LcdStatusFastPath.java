package dev.vigil.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code lcdstatus} without picocli, for the argument forms that monitoring scripts use
 * ({@code lcdstatus -q}, {@code -e}, {@code -d SERVER}, {@code -r ROOT_TAG}, {@code -c FILE}).
 * Building picocli's model from the annotations costs about a fifth of a second in a fresh JVM
 * (its classes are Java 5 class files, which class-data sharing cannot archive), and
 * {@code lcdstatus -q} must answer within half a second. Anything else (help, a repeated or
 * unknown option, a value that looks like an option, {@code @file}, clustered or attached
 * forms) returns null and goes through picocli, so every message stays picocli's own; the
 * accepted forms mean exactly what picocli makes of them.
 */
final class LcdStatusFastPath {

    private LcdStatusFastPath() {
    }

    /** The command ready to run, or null when picocli must parse {@code args}. */
    static LcdStatus parse(String[] args, CliContext ctx) {
        LcdStatus cmd = new LcdStatus(ctx);
        cmd.config = new ConfigOption();
        boolean quick = false;
        boolean backups = false;
        String server = null;
        String rootTag = null;
        String config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-q" -> {
                    if (quick) {
                        return null;
                    }
                    quick = true;
                }
                case "-e" -> {
                    if (backups) {
                        return null;
                    }
                    backups = true;
                }
                case "-d", "-r", "-c", "--config" -> {
                    if (i + 1 >= args.length || !plainValue(args[i + 1])) {
                        return null;
                    }
                    String v = args[++i];
                    if (a.equals("-d")) {
                        if (server != null) {
                            return null;
                        }
                        server = v;
                    } else if (a.equals("-r")) {
                        if (rootTag != null) {
                            return null;
                        }
                        rootTag = v;
                    } else {
                        if (config != null) {
                            return null;
                        }
                        config = v;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        cmd.quick = quick;
        cmd.backups = backups;
        cmd.server = server;
        cmd.rootTag = rootTag;
        try {
            cmd.config.file = config == null ? null : Path.of(config);
        } catch (InvalidPathException e) {
            return null;
        }
        return cmd;
    }

    /** A value picocli would take as it is: not empty, not option-like, not an @file. */
    private static boolean plainValue(String v) {
        return !v.isEmpty() && !v.startsWith("-") && !v.startsWith("@");
    }
}
