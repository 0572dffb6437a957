package dev.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil COMMAND}: the umbrella for commands without a name from the original product
 * (check-config, switchover) and for longer spellings of the original ones (status, log). Its subcommands
 * are registered by {@link Main}.
 */
@Command(name = "vigil", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} COMMAND [OPTIONS] [ARGS]", synopsisSubcommandLabel = "COMMAND",
        description = "Vigil cluster commands.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "2:missing or unknown command, bad option",
                "other:see the command's own help (vigil COMMAND --help)"})
public final class VigilCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
