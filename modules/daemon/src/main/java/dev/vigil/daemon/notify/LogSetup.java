package dev.vigil.daemon.notify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.RollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.rolling.helper.CompressionMode;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Points Logback at the seven logs of one server, programmatically, before anything logs: each
 * {@link LogType} logger gets its own size-capped file in {@code logs.dir} that rolls to
 * {@code <base>.1.log} … {@code <base>.(max-files - 1).log}. The root logger (where Pekko logs
 * through pekko-slf4j) shares the main {@code log} file with {@link LogType#LOG}; WARN and above of
 * that main log are echoed to stdout, which systemd hands to the journal (then with syslog
 * priorities and without timestamps: {@link JournalLayout}).
 *
 * <p>Done in code rather than in a logback.xml because the directory, sizes and server name come
 * from the validated configuration, and the configuration is only known once it has been loaded.
 */
public final class LogSetup {
    private LogSetup() {
    }

    /** The line shape of every log; {@code server} is the default when a line carries no server in its MDC. */
    public static String pattern(String server) {
        return "%d{yyyy-MM-dd HH:mm:ss.SSS} %X{" + OperatorLog.SERVER_KEY + ":-" + server + "} %-5level %msg%n";
    }

    /** The current file of {@code type} under {@code settings}. */
    public static Path file(LogSettings settings, LogType type) {
        return settings.dir().resolve(type.fileName());
    }

    /**
     * Replaces whatever Logback configuration is active with the seven logs of {@code server}.
     *
     * @throws IOException when the log directory cannot be created
     */
    public static void configure(LogSettings settings, String server) throws IOException {
        Files.createDirectories(settings.dir());
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        String pattern = pattern(server);

        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(ctx, pattern, server));
        for (LogType type : LogType.values()) {
            RollingFileAppender<ILoggingEvent> appender = rollingFile(ctx, settings, type, pattern);
            Logger logger = ctx.getLogger(type.loggerName());
            logger.setLevel(Level.INFO);
            if (type == LogType.LOG) {
                // The main log is the root's file: Pekko's own lines and ours land in one place.
                root.addAppender(appender);
                logger.setAdditive(true);
            } else {
                logger.addAppender(appender);
                logger.setAdditive(false);
            }
        }
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx, String pattern, String server) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stdout");
        if (JournalLayout.stdoutIsJournal(System.getenv())) {
            JournalLayout layout = new JournalLayout(server);
            layout.setContext(ctx);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(ctx);
            encoder.setLayout(layout);
            encoder.start();
            console.setEncoder(encoder);
        } else {
            console.setEncoder(encoder(ctx, pattern));
        }
        ThresholdFilter warnAndAbove = new ThresholdFilter();
        warnAndAbove.setContext(ctx);
        warnAndAbove.setLevel(Level.WARN.levelStr);
        warnAndAbove.start();
        console.addFilter(warnAndAbove);
        console.start();
        return console;
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext ctx, LogSettings settings,
                                                                  LogType type, String pattern) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName(type.name());
        appender.setFile(file(settings, type).toString());
        appender.setAppend(true);
        appender.setEncoder(encoder(ctx, pattern));

        RollingPolicy policy;
        if (settings.maxFiles() > 1) {
            WideFixedWindowRollingPolicy window = new WideFixedWindowRollingPolicy();
            window.setContext(ctx);
            window.setParent(appender);
            window.setFileNamePattern(settings.dir().resolve(rolledPattern(type)).toString());
            window.setMinIndex(1);
            window.setMaxIndex(settings.maxFiles() - 1);
            window.start();
            policy = window;
        } else {
            TruncatingRollingPolicy truncate = new TruncatingRollingPolicy(file(settings, type));
            truncate.setContext(ctx);
            truncate.start();
            policy = truncate;
        }
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(new FileSize(settings.maxFileSize()));
        // Check the size on every line: the cap is what operators configured, not a hint.
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(0));
        trigger.start();
        appender.setRollingPolicy(policy);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        return appender;
    }

    /** {@code lcm.log} → {@code lcm.%i.log}, so rolled files are named as {@link LogType#rolledFileName(int)} says. */
    static String rolledPattern(LogType type) {
        String current = type.fileName();
        return current.substring(0, current.length() - ".log".length()) + ".%i.log";
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /** Logback caps a fixed window at 20 rolled files; the configuration allows up to 99. */
    private static final class WideFixedWindowRollingPolicy extends FixedWindowRollingPolicy {
        @Override
        protected int getMaxWindowSize() {
            return 99;
        }
    }

    /** {@code max-files = 1}: no rolled file is kept, so a full file is simply started afresh. */
    private static final class TruncatingRollingPolicy extends ContextAwareBase implements RollingPolicy {
        private final Path file;
        private boolean started;

        TruncatingRollingPolicy(Path file) {
            this.file = file;
        }

        @Override
        public void rollover() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                addError("cannot truncate " + file, e);
            }
        }

        @Override
        public String getActiveFileName() {
            return file.toString();
        }

        @Override
        public CompressionMode getCompressionMode() {
            return CompressionMode.NONE;
        }

        @Override
        public void setParent(ch.qos.logback.core.FileAppender<?> appender) {
            // The file is known from the start; the appender adds nothing.
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void stop() {
            started = false;
        }

        @Override
        public boolean isStarted() {
            return started;
        }
    }
}
