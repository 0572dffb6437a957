package dev.vigil.cli;

import dev.vigil.core.config.VigilConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lkGUIapp}: the original started the GUI application; here the GUI is a web page, so the
 * command prints its address (this server's comm path host and {@code vigil.gui.port}) to open
 * in a browser on any machine that reaches the server.
 */
@Command(name = "lkGUIapp", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-c FILE]",
        description = {"Print the address of this server's Vigil GUI, to open in a web browser. "
                + "The GUI server must run (lkGUIserver start)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the address was printed", "2:unusable configuration"})
public final class LkGuiApp implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    public LkGuiApp(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().println(url(config.load(ctx)));
        return ExitCode.OK;
    }

    /** The GUI's address: the bind address if it is a specific one, else this server's host. */
    static String url(VigilConfig c) {
        String bind = c.gui().bind();
        return c.gui().url(bind.equals("0.0.0.0") ? c.localServer().host() : bind);
    }
}
