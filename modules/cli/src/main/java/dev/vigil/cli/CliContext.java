package dev.vigil.cli;

import dev.vigil.core.config.ConfigLoader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a command takes from the world outside its arguments: where it prints, the
 * environment, how to talk to systemd and the time zone for dates. The real one comes from the
 * process ({@link #system()}); tests build their own to run commands in-process.
 *
 * @param env environment variables, plus {@code VIGIL_HOME} from the {@code vigil.home} system
 *            property the bin scripts set
 */
public record CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, ServiceManager services,
                         ZoneId zone) {

    /** The environment variable naming the config file when {@code -c} is not given. */
    public static final String CONF_VARIABLE = "VIGIL_CONF";
    /** The environment variable (or system property {@code vigil.home}) naming the installation. */
    public static final String HOME_VARIABLE = "VIGIL_HOME";

    public static CliContext system() {
        Charset cs = Charset.defaultCharset();
        Map<String, String> env = new HashMap<>(System.getenv());
        String home = System.getProperty("vigil.home");
        if (home != null && !home.isBlank()) {
            env.put(HOME_VARIABLE, home);
        }
        return new CliContext(new PrintWriter(new OutputStreamWriter(System.out, cs)),
                new PrintWriter(new OutputStreamWriter(System.err, cs)), Map.copyOf(env),
                ServiceManager.system(), ZoneId.systemDefault());
    }

    /** The config file: {@code -c FILE} if given, else {@code $VIGIL_CONF}, else /etc/vigil/vigil.conf. */
    public Path configFile(Path option) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(CONF_VARIABLE);
        return fromEnv == null || fromEnv.isBlank() ? ConfigLoader.DEFAULT_FILE : Path.of(fromEnv);
    }

    public Optional<Path> vigilHome() {
        String home = env.get(HOME_VARIABLE);
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home));
    }
}
