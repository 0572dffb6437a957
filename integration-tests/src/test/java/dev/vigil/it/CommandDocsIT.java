package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every program in the distribution's bin/ has a manual page in man/man8 that man(1) renders
 * without a warning, and prints its usage with --help (product spec F10); so does every other
 * page there (a subcommand's own page).
 */
class CommandDocsIT {
    private final Path home = Path.of(System.getProperty("vigil.dist", "../deploy/target/vigil-0.1.0-SNAPSHOT"));

    private List<String> programs() throws IOException {
        try (Stream<Path> bin = Files.list(home.resolve("bin"))) {
            return bin.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyProgramHasAManualPageThatRendersWithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "needs man(1) (Debian package man-db)");
        List<String> programs = programs();
        assertTrue(programs.containsAll(List.of("vigild", "lkstart", "lkstop", "lcdstatus", "lk_log", "perform_action", "lcdremexec", "lk_configsnmp", "vigil")), programs::toString);
        for (String program : programs) {
            Path page = home.resolve("man/man8/" + program + ".8");
            assertTrue(Files.isRegularFile(page), "no manual page " + page);
            String[] out = run(List.of("man", "--warnings", "-P", "cat", "-l", page.toString()));
            assertEquals("0", out[0], program + ": " + out[2]);
            assertEquals("", out[2], program + ": man --warnings complains");
            assertTrue(out[1].contains(program), program + ": " + out[1]);
        }
    }

    /** Pages of no program of their own, such as vigil-demo.8 for {@code vigil demo}, render cleanly too. */
    @Test
    void everyOtherManualPageRendersWithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "needs man(1) (Debian package man-db)");
        List<String> programs = programs();
        List<Path> pages;
        try (Stream<Path> files = Files.list(home.resolve("man/man8"))) {
            pages = files.filter(p -> !programs.contains(p.getFileName().toString().replaceFirst("\\.8$", ""))).toList();
        }
        assertTrue(pages.contains(home.resolve("man/man8/vigil-demo.8")), pages::toString);
        for (Path page : pages) {
            String[] out = run(List.of("man", "--warnings", "-P", "cat", "-l", page.toString()));
            assertEquals("0", out[0], page + ": " + out[2]);
            assertEquals("", out[2], page + ": man --warnings complains");
        }
    }

    @Test
    void everyProgramPrintsItsUsageWithHelp() throws Exception {
        for (String program : programs()) {
            String[] out = run(List.of(home.resolve("bin/" + program).toString(), "--help"));
            assertEquals("0", out[0], program + ": " + out[2]);
            assertTrue(out[1].toLowerCase().contains(("usage: " + program).toLowerCase()), program + ": " + out[1]);
        }
    }

    /** {exit code, stdout, stderr} of one command. */
    private static String[] run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vigil-docs", ".out");
        Path err = Files.createTempFile("vigil-docs", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("MANWIDTH", "80");
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8)};
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
