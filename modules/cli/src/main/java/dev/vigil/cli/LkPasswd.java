package dev.vigil.cli;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lkpasswd [-administrator|-operator|-guest|-delete] USER}: the GUI's users, as the
 * original's command manages them. Asks the password twice without echoing it, and stores a
 * salted PBKDF2 hash in {@code vigil.gui.users-file} (root only, apart from the system's
 * passwords). Without a role option a new user becomes an administrator, as in the original,
 * and an existing user keeps its role.
 */
@Command(name = "lkpasswd", sortOptions = false,
        customSynopsis = "${COMMAND-FULL-NAME} [-administrator | -operator | -guest | -delete] [-c FILE] USER",
        description = {"Set the GUI password and role of USER, or delete USER. The password is asked twice and not shown.",
                "Roles: a guest views status, logs and properties; an operator also brings hierarchies in and out "
                        + "of service; an administrator also changes properties such as the shutdown strategy."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the user was saved or deleted",
                "1:the passwords differ or are empty, or the users file cannot be written",
                "2:bad option or user name, or unusable configuration", "7:-delete of a user that does not exist"})
public final class LkPasswd implements Callable<Integer> {
    /** Where the two passwords come from: the terminal without echo, else (scripts, tests) lines of stdin. */
    @FunctionalInterface
    public interface PasswordSource {
        char[] read(String prompt) throws IOException;

        static PasswordSource system(CliContext ctx) {
            Console console = System.console();
            if (console != null) {
                return prompt -> {
                    char[] pw = console.readPassword("%s", prompt);
                    return pw == null ? new char[0] : pw;
                };
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            return prompt -> {
                String line = in.readLine();
                return line == null ? new char[0] : line.toCharArray();
            };
        }
    }

    static final class RoleChoice {
        @Option(names = "-administrator", description = "Administrator: everything, including properties.")
        boolean administrator;
        @Option(names = "-operator", description = "Operator: view, logs, in service and out of service.")
        boolean operator;
        @Option(names = "-guest", description = "Guest: view status, logs and properties only.")
        boolean guest;
        @Option(names = "-delete", description = "Delete USER.")
        boolean delete;
    }

    private final CliContext ctx;
    private final PasswordSource passwords;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RoleChoice choice;

    @Parameters(paramLabel = "USER", description = "The GUI user (letters, digits, '.', '_', '-'; at most 32).")
    String user;

    public LkPasswd(CliContext ctx, PasswordSource passwords) {
        this.ctx = ctx;
        this.passwords = passwords;
    }

    @Override
    public Integer call() throws IOException {
        if (!UserFile.NAME.matcher(user).matches()) {
            throw new ParameterException(spec.commandLine(), "invalid user name '" + user
                    + "': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 32");
        }
        VigilConfig c = config.load(ctx);
        UserFile file;
        try {
            file = UserFile.read(c.gui().usersFile());
        } catch (AccessDeniedException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot read " + c.gui().usersFile() + ": permission denied (run as root)");
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, e.getMessage());
        }
        if (choice != null && choice.delete) {
            if (!write(() -> file.delete(user), c)) {
                throw CommandFailure.of(ExitCode.NOT_FOUND, "no GUI user '" + user + "' in " + c.gui().usersFile());
            }
            ctx.out().println("GUI user '" + user + "' deleted");
            return ExitCode.OK;
        }
        Role role = role().orElse(file.user(user).map(UserFile.User::role).orElse(Role.ADMINISTRATOR));
        ctx.out().flush();
        char[] first = passwords.read("Enter password for " + user + ": ");
        char[] second = passwords.read("Re-enter password for " + user + ": ");
        try {
            if (first.length == 0) {
                throw CommandFailure.of(ExitCode.SYSTEM, "empty password; nothing changed");
            }
            if (!Arrays.equals(first, second)) {
                throw CommandFailure.of(ExitCode.SYSTEM, "the two passwords differ; nothing changed");
            }
            write(() -> {
                file.put(user, role, first);
                return true;
            }, c);
        } finally {
            Arrays.fill(first, ' ');
            Arrays.fill(second, ' ');
        }
        ctx.out().println("GUI user '" + user + "' saved as " + role.word() + " in " + c.gui().usersFile());
        return ExitCode.OK;
    }

    private Optional<Role> role() {
        if (choice == null) {
            return Optional.empty();
        }
        return Optional.of(choice.guest ? Role.GUEST : choice.operator ? Role.OPERATOR : Role.ADMINISTRATOR);
    }

    private interface Change {
        boolean run() throws IOException;
    }

    private static boolean write(Change change, VigilConfig c) {
        try {
            return change.run();
        } catch (AccessDeniedException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot write " + c.gui().usersFile() + ": permission denied (run as root)");
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot write " + c.gui().usersFile() + ": " + e.getMessage());
        }
    }
}
