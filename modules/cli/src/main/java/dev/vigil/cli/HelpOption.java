package dev.vigil.cli;

import picocli.CommandLine.Option;

/** The {@code -h/--help} option of every command (no {@code -V}: the version is in the package). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
