package io.tickgrad.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tickgrad} command.
 *
 * <p>Every failure goes through one error path: a line {@code tickgrad <command>: <file or option>: <what was
 * found>; <what was expected>} on stderr and exit status 1; usage errors (unknown or malformed options, option
 * values a command refuses) exit 2. {@code --stacktrace} prints the trace instead. The handler covers every
 * {@code Throwable} the JVM survives, {@code OutOfMemoryError} and {@code StackOverflowError} included.
 */
@Command(name = "tickgrad", mixinStandardHelpOptions = true, version = "tickgrad 0.1.0",
    description = "Embedded ML engine for trading systems: import, fine-tune, evaluate, predict, export; record ticks, serve and replay.",
    subcommands = {DemoCommand.class, RecordCommand.class, ServeCommand.class, ReplayCommand.class, TailCommand.class,
        SweepCommand.class, ImportCommand.class, InspectCommand.class, PredictCommand.class, FinetuneCommand.class,
        FitCommand.class, PretrainCommand.class, StudyCommand.class,
        EvaluateCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status of a failed command. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
        description = "print the stack trace of an error")
    boolean stacktrace;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * The {@code tickgrad} launcher's entry point: runs the command line and exits with its status.
     *
     * @param args the command and its options, e.g. {@code replay --queue ticks --model m.safetensors ...}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line on the calling thread and returns its exit status instead of exiting (tests and
     * embedding programs call this). Errors are printed to standard error as one line naming what was wrong (with
     * the stack trace under {@code --stacktrace}); nothing is thrown.
     *
     * @param args the command and its options
     * @return 0 on success, {@link #EXIT_FAILURE} when the command failed, {@link #EXIT_USAGE} for a usage error
     */
    public static int run(String... args) {
        return run(new CommandLine(new Main()), args);
    }

    /** Runs {@code cmd} (the tickgrad command line, possibly with more subcommands) through the error path. */
    static int run(CommandLine cmd, String... args) {
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean trace = wantsTrace(args);
            return report(e, commandLine.getCommandName(), commandLine.getErr(), trace);
        });
        cmd.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            if (wantsTrace(args)) {
                ex.printStackTrace(err);
            }
            String name = c.getCommandName();
            String msg = CliErrors.describe(ex);
            err.println("tickgrad " + (name.equals("tickgrad") ? "" : name + ": ") + msg + "; see 'tickgrad "
                + (name.equals("tickgrad") ? "" : name + " ") + "--help'");
            err.flush();
            return EXIT_USAGE;
        });
        try {
            return cmd.execute(args);
        } catch (Throwable t) {
            // Errors (OutOfMemoryError, StackOverflowError, InternalError) pass picocli's handler; catch them here
            String name = "tickgrad";
            try {
                CommandLine.ParseResult pr = cmd.getParseResult();
                if (pr != null && pr.subcommand() != null) {
                    name = pr.subcommand().commandSpec().name();
                }
            } catch (Throwable ignored) {
                // keep the bare program name
            }
            return report(t, name, cmd.getErr(), wantsTrace(args));
        }
    }

    private static int report(Throwable e, String command, PrintWriter err, boolean trace) {
        if (trace) {
            e.printStackTrace(err);
        } else {
            err.println("tickgrad " + (command.equals("tickgrad") ? "" : command + ": ") + CliErrors.describe(e));
        }
        err.flush();
        return CliErrors.isUsageError(e) ? EXIT_USAGE : EXIT_FAILURE;
    }

    private static boolean wantsTrace(String[] args) {
        for (String a : args) {
            if ("--stacktrace".equals(a)) {
                return true;
            }
            if ("--".equals(a)) {
                return false;
            }
        }
        return false;
    }
}
