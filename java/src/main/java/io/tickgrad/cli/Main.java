package io.tickgrad.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tickgrad} command. */
@Command(name = "tickgrad", mixinStandardHelpOptions = true, version = "tickgrad 0.1.0",
    description = "Embedded ML engine for trading systems: import, fine-tune, evaluate, predict, export; record ticks, serve and replay.",
    subcommands = {DemoCommand.class, RecordCommand.class, ServeCommand.class, ReplayCommand.class, SweepCommand.class, ImportCommand.class, InspectCommand.class, PredictCommand.class, FinetuneCommand.class,
        FitCommand.class,
        EvaluateCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
        description = "print the stack trace of an error")
    boolean stacktrace;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean trace = parseResult.hasMatchedOption("--stacktrace")
                || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--stacktrace"));
            PrintWriter err = commandLine.getErr();
            if (trace) {
                e.printStackTrace(err);
            } else {
                err.println("tickgrad " + commandLine.getCommandName() + ": " + oneLine(e));
            }
            err.flush();
            return 1;
        });
        return cmd.execute(args);
    }

    private static String oneLine(Throwable e) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ');
    }
}
