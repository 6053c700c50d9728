package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;
import org.rnn4j.util.Rng;

/**
 * Keras's StackedRNNCells: the cells run one after the other within each step, the output of
 * one being the input of the next. Its states are the cells' states in order, flattened
 * ({@code [lstm_h, lstm_c, gru_h]} for {@code [LSTMCell, GRUCell]}), as Keras's RNN flattens them;
 * its output is the last cell's.
 */
public class StackedRNNCells implements Cell {
    private final List<Cell> cells;
    private String name;

    public StackedRNNCells(List<? extends Cell> cells) {
        if (cells == null || cells.isEmpty()) {
            throw new IllegalArgumentException("StackedRNNCells needs at least one cell");
        }
        this.cells = List.copyOf(cells);
        this.name = Names.next("stacked_rnn_cells");
    }

    public StackedRNNCells(Cell... cells) {
        this(List.of(cells));
    }

    public List<Cell> cells() {
        return cells;
    }

    @Override
    public String className() {
        return "StackedRNNCells";
    }

    @Override
    public String name() {
        return name;
    }

    public StackedRNNCells name(String n) {
        this.name = n;
        return this;
    }

    @Override
    public int[] stateSizes() {
        List<Integer> s = new ArrayList<>();
        for (Cell c : cells) {
            for (int v : c.stateSizes()) {
                s.add(v);
            }
        }
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i);
        }
        return out;
    }

    @Override
    public int outputSize() {
        return cells.get(cells.size() - 1).outputSize();
    }

    @Override
    public void build(int inputDim, Rng rng) {
        int in = inputDim;
        for (Cell c : cells) {
            if (!c.isBuilt()) {
                c.build(in, rng);
            }
            in = c.outputSize();
        }
    }

    @Override
    public boolean isBuilt() {
        for (Cell c : cells) {
            if (!c.isBuilt()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>();
        for (Cell c : cells) {
            all.addAll(c.weights());
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        List<Object> list = new ArrayList<>();
        for (Cell cell : cells) {
            list.add(Cells.serialize(cell));
        }
        c.put("cells", list);
        return c;
    }

    @Override
    public void beginSequence(int batch, boolean training, LayerContext ctx) {
        for (int i = 0; i < cells.size(); i++) {
            cells.get(i).beginSequence(batch, training, ctx.child(i));
        }
    }

    @Override
    public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
        List<Tensor> newStates = new ArrayList<>(states.length);
        Tensor in = x;
        int k = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            int n = c.stateSizes().length;
            Tensor[] s = new Tensor[n];
            System.arraycopy(states, k, s, 0, n);
            k += n;
            Tensor[] r = c.forwardStep(in, s, training, ctx.child(i), step);
            in = r[0];
            for (int j = 1; j < r.length; j++) {
                newStates.add(r[j]);
            }
        }
        Tensor[] out = new Tensor[1 + newStates.size()];
        out[0] = in;
        for (int j = 0; j < newStates.size(); j++) {
            out[1 + j] = newStates.get(j);
        }
        return out;
    }

    @Override
    public Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step) {
        Tensor[] dPrev = new Tensor[dStates.length];
        int k = dStates.length;
        Tensor d = dOutput;
        for (int i = cells.size() - 1; i >= 0; i--) {
            Cell c = cells.get(i);
            int n = c.stateSizes().length;
            k -= n;
            Tensor[] ds = new Tensor[n];
            System.arraycopy(dStates, k, ds, 0, n);
            Tensor[] r = c.backwardStep(d, ds, ctx.child(i), step);
            d = r[0];
            System.arraycopy(r, 1, dPrev, k, n);
        }
        Tensor[] out = new Tensor[1 + dPrev.length];
        out[0] = d;
        System.arraycopy(dPrev, 0, out, 1, dPrev.length);
        return out;
    }

    /** Stacked cells from their Keras config ({@code {"cells": [...]}}). */
    public static StackedRNNCells fromConfig(Map<String, Object> config) {
        return (StackedRNNCells) Cells.fromConfig("StackedRNNCells", config);
    }
}
