package dev.vigil.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged distribution that {@code mvn package} builds in deploy/target, run the way an
 * operator runs it: its bin/ commands as separate processes.
 */
public final class Distribution {
    private final Path home;

    Distribution(Path home) {
        this.home = home;
    }

    public static Distribution fromSystemProperty() {
        String dist = System.getProperty("vigil.dist");
        if (dist == null) {
            throw new IllegalStateException("system property vigil.dist is not set (run through mvn verify)");
        }
        Path home = Path.of(dist).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin/lkstart"))) {
            throw new IllegalStateException(home + " holds no built distribution (bin/lkstart missing): run mvn package");
        }
        return new Distribution(home);
    }

    /** The installation's directory (bin/, lib/, man/ …). */
    public Path home() {
        return home;
    }

    /** Output and exit code of one command. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code bin/<command> args…} with {@code VIGIL_CONF=config}, stdout and stderr merged. */
    public Result run(Path config, String command, String... args) throws IOException, InterruptedException {
        return runBehind(List.of(), config, command, args);
    }

    /**
     * The same behind a command prefix, e.g. {@code nsenter -t PID …} to run it on one server of
     * the namespace bed ({@code VIGIL_CONF} passes through nsenter in the environment).
     */
    public Result runBehind(List<String> prefix, Path config, String command, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(home.resolve("bin").resolve(command).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("VIGIL_CONF", config.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 90 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
