package org.rnn4j.cli;

import java.io.PrintWriter;
import org.rnn4j.cli.commands.BenchCommand;
import org.rnn4j.cli.commands.ClassifyCommand;
import org.rnn4j.cli.commands.DemoCommand;
import org.rnn4j.cli.commands.ForecastCommand;
import org.rnn4j.cli.commands.PredictCommand;
import org.rnn4j.cli.commands.SummaryCommand;
import org.rnn4j.cli.commands.TextgenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnn4j} command. With no subcommand it runs the main job, {@code demo}. */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, version = "rnn4j 0.1.0",
        description = {"Keras-style recurrent networks for Java.",
            "With no command, runs 'demo': an LSTM forecasting Beijing's temperature 24 hours ahead."},
        subcommands = {DemoCommand.class, ForecastCommand.class, TextgenCommand.class, ClassifyCommand.class,
            SummaryCommand.class, PredictCommand.class, BenchCommand.class, org.rnn4j.cli.commands.ServeCommand.class,
            org.rnn4j.cli.commands.ServeBenchCommand.class, org.rnn4j.cli.commands.FuzzLoaderCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for user errors (bad flag, missing column, empty file), as picocli's usage errors. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (used by tests as well). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0) {
            args = new String[] {"demo"};
        }
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            // One line naming the problem (picocli names the flag), then where to look for help.
            ex.getCommandLine().getErr().println("rnn4j: error: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE_ERROR;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            if (t instanceof CliException || t instanceof IllegalArgumentException) {
                commandLine.getErr().println("rnn4j: error: " + t.getMessage());
                return USAGE_ERROR;
            }
            commandLine.getErr().println("rnn4j: failed: " + t);
            t.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cmd.execute(args);
    }
}
