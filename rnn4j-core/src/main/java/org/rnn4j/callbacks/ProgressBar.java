package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras 3's {@code Progbar} line: {@code 32/32 ━━━━━━━━━━━━━━━━━━━━ 2s 61ms/step - loss: 0.0213}.
 * On a terminal ({@code dynamic}) the line is redrawn in place with {@code \r} at most every 50 ms
 * (with Keras's bold/green ANSI styling); otherwise only the final line of each epoch is printed,
 * without escape codes, so a log file stays readable. {@code verbose=2} prints only
 * {@code 32/32 - 2s - 61ms/step - loss: 0.0213} at the end.
 */
public final class ProgressBar {
    private static final int WIDTH = 20;
    private static final long INTERVAL_NANOS = 50_000_000L;
    private static final String BAR = "\u2501";

    private final int target;
    private final int verbose;
    private final PrintStream out;
    private final boolean dynamic;
    private final LongSupplier clock;
    private final long start;
    private long timeAfterFirstStep = -1;
    private long lastUpdate;
    private boolean updated;
    private int prevWidth;
    private java.util.function.Supplier<String> suffix;

    public ProgressBar(int target, int verbose, PrintStream out, boolean dynamic, LongSupplier nanoClock) {
        this.target = target;
        this.verbose = verbose;
        this.out = out;
        this.dynamic = dynamic;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /**
     * Text appended to every line after the values (e.g. a distributed trainer's
     * {@code " - 9.8 steps/s - 2 executors"}); null for none.
     */
    public ProgressBar suffix(java.util.function.Supplier<String> value) {
        this.suffix = value;
        return this;
    }

    private void appendSuffix(StringBuilder sb) {
        if (suffix != null) {
            String s = suffix.get();
            if (s != null) {
                sb.append(s);
            }
        }
    }

    /** Whether standard output is an interactive terminal (Java's stand-in for {@code isatty}). */
    public static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /** Reports {@code current} of {@code target} steps done with the running metric values. */
    public void update(int current, Map<String, Double> values, boolean finalize) {
        long now = clock.getAsLong();
        double perStep = stepSeconds(current, now);
        if (verbose == 1) {
            if (!finalize && (!dynamic || (updated && now - lastUpdate < INTERVAL_NANOS))) {
                return;
            }
            String line = line(current, values, finalize, now, perStep, dynamic);
            if (dynamic) {
                int visible = line.replaceAll("\u001b\\[[0-9;]*m", "").length();
                StringBuilder sb = new StringBuilder("\r").append(line);
                for (int i = visible; i < prevWidth; i++) {
                    sb.append(' ');
                }
                prevWidth = visible;
                if (finalize) {
                    sb.append(System.lineSeparator());
                }
                out.print(sb);
            } else {
                out.println(line);
            }
            out.flush();
        } else if (verbose == 2 && finalize) {
            StringBuilder sb = new StringBuilder();
            sb.append(count(current)).append(" - ").append(round0(seconds(now - start))).append('s');
            sb.append(" -").append(formatTime(perStep));
            appendValues(sb, values);
            appendSuffix(sb);
            out.println(sb);
            out.flush();
        }
        lastUpdate = now;
        updated = true;
    }

    /** The progress line without the leading carriage return (the format under test). */
    String line(int current, Map<String, Double> values, boolean finalize, long now, double perStep, boolean ansi) {
        StringBuilder sb = new StringBuilder();
        int filled = (int) (WIDTH * ((double) current / target));
        if (ansi) {
            sb.append("\u001b[1m").append(count(current)).append("\u001b[0m ");
            if (filled > 0) {
                sb.append("\u001b[32m").append(BAR.repeat(filled)).append("\u001b[0m");
            }
            sb.append("\u001b[37m").append(BAR.repeat(WIDTH - filled)).append("\u001b[0m");
        } else {
            sb.append(count(current)).append(' ').append(BAR.repeat(WIDTH));
            if (filled < WIDTH) {
                sb.setLength(sb.length() - (WIDTH - filled));
                sb.append(" ".repeat(WIDTH - filled));
            }
        }
        String time;
        if (!finalize) {
            time = eta(perStep * (target - current));
        } else {
            time = round0(seconds(now - start)) + "s";
        }
        sb.append(' ').append(ansi ? "\u001b[1m" + time + "\u001b[0m" : time);
        sb.append(formatTime(perStep));
        appendValues(sb, values);
        appendSuffix(sb);
        return sb.toString();
    }

    private String count(int current) {
        int digits = (int) Math.log10(target) + 1;
        return String.format("%" + digits + "d/%d", current, target);
    }

    private static void appendValues(StringBuilder sb, Map<String, Double> values) {
        if (values == null) {
            return;
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            sb.append(" - ").append(e.getKey()).append(": ").append(formatValue(e.getValue()));
        }
    }

    private double stepSeconds(int current, long now) {
        if (current <= 0) {
            return 0;
        }
        double perStep;
        if (timeAfterFirstStep >= 0 && current > 1) {
            perStep = seconds(now - timeAfterFirstStep) / (current - 1);
        } else {
            perStep = seconds(now - start) / current;
        }
        if (current == 1) {
            timeAfterFirstStep = now;
        }
        return perStep;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Keras's ETA: {@code 5s}, {@code 2:05}, {@code 1:02:05} (truncated). */
    static String eta(double eta) {
        long e = (long) eta;
        if (eta > 3600) {
            return String.format("%d:%02d:%02d", e / 3600, (e % 3600) / 60, e % 60);
        } else if (eta > 60) {
            return String.format("%d:%02d", e / 60, e % 60);
        }
        return e + "s";
    }

    /** Keras's {@code _format_time}: {@code " 61ms/step"}, {@code " 2s/step"}, {@code " 850us/step"}. */
    static String formatTime(double perStep) {
        if (perStep >= 1 || perStep == 0) {
            return " " + round0(perStep) + "s/step";
        } else if (perStep >= 1e-3) {
            return " " + round0(perStep * 1000.0) + "ms/step";
        }
        return " " + round0(perStep * 1e6) + "us/step";
    }

    /** Python's {@code f"{x:.0f}"} (round half to even). */
    static String round0(double x) {
        return new BigDecimal(x).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Keras's metric format: {@code .4f} when {@code |v| > 1e-3}, else {@code .4e}, rounded as Python does. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (Math.abs(v) > 1e-3) {
            return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
        }
        if (v == 0) {
            return (1 / v < 0 ? "-" : "") + "0.0000e+00";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(5, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).setScale(4, RoundingMode.HALF_EVEN);
        String sign = exponent < 0 ? "-" : "+";
        int a = Math.abs(exponent);
        return mantissa.toPlainString() + "e" + sign + (a < 10 ? "0" : "") + a;
    }
}
