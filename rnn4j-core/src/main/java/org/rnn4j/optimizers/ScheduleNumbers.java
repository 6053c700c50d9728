package org.rnn4j.optimizers;

/** Config numbers as Keras writes them: a whole step count as an integer, anything else as a float. */
final class ScheduleNumbers {
    private ScheduleNumbers() {
    }

    static Number plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }
}
