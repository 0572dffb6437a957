package dev.vigil.cli.testing;

import dev.vigil.cli.CliContext;
import dev.vigil.cli.Main;
import dev.vigil.cli.ServiceManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a command in this JVM exactly as the bin scripts would run it in a new one
 * ({@code Main.run}), with captured stdout/stderr, a chosen environment and a chosen systemd.
 */
public final class CliRun {
    private final Map<String, String> env = new HashMap<>();
    private ServiceManager services = new ServiceManager(Path.of("/nonexistent/run/systemd/system"), "systemctl");

    public CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public CliRun services(ServiceManager s) {
        this.services = s;
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.copyOf(env), services,
                ZoneId.of("UTC"));
        int code = Main.run(args, ctx);
        return new Result(code, out.toString(), err.toString());
    }

    public static Result of(String... args) {
        return new CliRun().run(args);
    }

    /** A command's exit code and what it printed. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
