package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Names;

/**
 * Keras 3's optimizer base: an iteration counter, a learning rate (a value or a
 * {@link LearningRateSchedule} evaluated at the current iteration), gradient clipping
 * ({@code clipnorm}, {@code clipvalue}, {@code globalClipnorm}; at most one), decoupled weight
 * decay, and per-variable slots created in Keras's order so {@link #variables()} lines up with
 * Keras's {@code optimizer.variables} (and with the {@code optimizer/vars/i} entries of a
 * {@code .keras} file).
 *
 * <p>One step ({@link #apply}) follows {@code BaseOptimizer.apply}: variables flagged
 * {@link Variable#overwriteWithGradient()} take their gradient as value; the others' gradients are
 * divided by {@code loss_scale_factor}; with {@code gradient_accumulation_steps} they are summed and
 * only every that many steps averaged and applied; then clip the gradients, apply weight decay
 * {@code w -= w * wd * lr}, run each variable's update, update the EMA, project constraints and
 * increment the iteration counter. Arithmetic is float32, in Keras's operation order.
 */
public abstract class Optimizer {
    private String name;
    private float learningRate;
    private LearningRateSchedule schedule;
    /** Keras's {@code _iterations}: steps applied, counting accumulation steps; {@link #iterations()} divides. */
    private long iterations;
    private Integer gradientAccumulationSteps;
    private Double lossScaleFactor;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private Double weightDecay;
    private final WeightDecayExclusion weightDecayExclusion = new WeightDecayExclusion();
    private final OptimizerEma ema = new OptimizerEma();
    private final GradientClipping clipping = new GradientClipping();

    private List<Variable> variables;
    private List<String> variablePaths;
    private final OptimizerSlots slots = new OptimizerSlots();

    protected Optimizer(double learningRate) {
        this.name = Names.next(Names.snakeCase(className()));
        this.learningRate = (float) learningRate;
        this.schedule = null;
    }

    protected Optimizer(LearningRateSchedule schedule) {
        this.name = Names.next(Names.snakeCase(className()));
        if (schedule == null) {
            throw new IllegalArgumentException(className() + ": learning-rate schedule is null");
        }
        this.schedule = schedule;
    }

    /** Keras's class name, e.g. {@code Adam}. */
    public String className() {
        return getClass().getSimpleName();
    }

    public String name() {
        return name;
    }

    public Optimizer name(String newName) {
        this.name = newName;
        return this;
    }

    /** Per-element L2 norm clipping of each gradient ({@code clipnorm}). */
    public Optimizer clipnorm(double value) {
        checkOneClip(value, clipvalue, globalClipnorm);
        this.clipnorm = value;
        return this;
    }

    /** Elementwise clipping of gradients to {@code [-value, value]} ({@code clipvalue}). */
    public Optimizer clipvalue(double value) {
        checkOneClip(value, clipnorm, globalClipnorm);
        this.clipvalue = value;
        return this;
    }

    /** Clipping of all gradients by their global norm ({@code global_clipnorm}). */
    public Optimizer globalClipnorm(double value) {
        checkOneClip(value, clipnorm, clipvalue);
        this.globalClipnorm = value;
        return this;
    }

    /** Decoupled weight decay {@code w -= w * wd * lr} before each update ({@code weight_decay}). */
    public Optimizer weightDecay(double value) {
        this.weightDecay = value;
        return this;
    }

    /**
     * Keras's {@code exclude_from_weight_decay(var_list, var_names)}: the given variables, and every
     * variable whose name contains a match of one of the {@code varNames} regular expressions
     * ({@code re.search} on the variable's name, e.g. {@code "bias"}), get no weight decay. Only
     * before the optimizer is built; replaces an earlier exclusion, as Keras.
     */
    public Optimizer excludeFromWeightDecay(List<Variable> varList, List<String> varNames) {
        if (isBuilt()) {
            throw new IllegalStateException("`exclude_from_weight_decay()` can only be configured before the optimizer is built.");
        }
        weightDecayExclusion.set(varList, varNames);
        return this;
    }

    /** {@link #excludeFromWeightDecay(List, List)} by name patterns only. */
    public Optimizer excludeFromWeightDecay(String... varNames) {
        return excludeFromWeightDecay(null, List.of(varNames));
    }

    /** Whether weight decay applies to this variable (Keras's {@code _use_weight_decay}). */
    public boolean usesWeightDecay(Variable v) {
        return weightDecayExclusion.applies(v);
    }

    /**
     * Keras's {@code use_ema}: keeps an exponential moving average of the trained variables,
     * {@code avg = m avg + (1 - m) w} after each step ({@code m = 0} at the first step, then
     * {@code emaMomentum}); every {@code emaOverwriteFrequency} steps (when not null) the variables
     * are overwritten with their average, and {@link #finalizeVariableValues} (called at the end of
     * {@code fit}) overwrites them too.
     */
    public Optimizer useEma(boolean value) {
        checkNotBuiltForEma();
        ema.enabled(value);
        return this;
    }

    public Optimizer emaMomentum(double value) {
        ema.momentum(value);
        return this;
    }

    public Optimizer emaOverwriteFrequency(Integer value) {
        ema.overwriteFrequency(value);
        return this;
    }

    /**
     * Keras's {@code gradient_accumulation_steps}: the variables are updated only every that many
     * steps, with the mean of the gradients since the last update (kept in {@code gradient_accumulator}
     * slots). {@link #iterations()} counts updates; schedules see every step, as in Keras.
     */
    public Optimizer gradientAccumulationSteps(Integer value) {
        if (value != null && value < 2) {
            throw new IllegalArgumentException("`gradient_accumulation_steps` must be an integer >= 2. Received:"
                    + " gradient_accumulation_steps=" + value);
        }
        if (isBuilt()) {
            throw new IllegalStateException(className() + " '" + name + "' is already built; set"
                    + " gradient_accumulation_steps before training");
        }
        this.gradientAccumulationSteps = value;
        return this;
    }

    public Integer gradientAccumulationSteps() {
        return gradientAccumulationSteps;
    }

    /**
     * Keras's {@code loss_scale_factor}: training multiplies the loss (so the gradients) by it and
     * each step divides the gradients by it before using them; null for none.
     */
    public Optimizer lossScaleFactor(Double value) {
        this.lossScaleFactor = value;
        return this;
    }

    public Double lossScaleFactor() {
        return lossScaleFactor;
    }

    /** Keras's {@code scale_loss}: the loss times {@code loss_scale_factor} (unchanged without one). */
    public double scaleLoss(double loss) {
        return lossScaleFactor == null ? loss : loss * lossScaleFactor;
    }

    private void checkNotBuiltForEma() {
        if (isBuilt()) {
            throw new IllegalStateException(className() + " '" + name + "' is already built; set use_ema before training");
        }
    }

    public boolean useEma() {
        return ema.enabled();
    }

    public double emaMomentum() {
        return ema.momentum();
    }

    public Integer emaOverwriteFrequency() {
        return ema.overwriteFrequency();
    }

    /** The moving averages of the built variables (Keras's {@code _model_variables_moving_average}); live tensors. */
    public List<Tensor> movingAverages() {
        requireBuilt();
        Tensor[] averages = ema.averagesSoFar();
        if (averages == null) {
            throw new IllegalStateException(className() + " '" + name + "' does not use EMA (useEma(true))");
        }
        return Collections.unmodifiableList(Arrays.asList(averages));
    }

    /** Keras's {@code finalize_variable_values}: with EMA, overwrites the variables with their moving averages. */
    public void finalizeVariableValues(List<Variable> vars) {
        ema.finalizeVariableValues(vars);
    }

    private void checkOneClip(double value, Double a, Double b) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(className() + ": clipping threshold must be > 0, got " + value);
        }
        if (a != null || b != null) {
            throw new IllegalArgumentException(className() + ": Only one of `clipnorm`, `clipvalue` and `global_clipnorm`"
                    + " can be set. (Keras raises the same error)");
        }
    }

    public Double clipnorm() {
        return clipnorm;
    }

    public Double clipvalue() {
        return clipvalue;
    }

    public Double globalClipnorm() {
        return globalClipnorm;
    }

    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * Keras's {@code optimizer.iterations}: the number of updates applied so far (with gradient
     * accumulation, the steps divided by {@code gradient_accumulation_steps}).
     */
    public long iterations() {
        return gradientAccumulationSteps == null ? iterations : Math.floorDiv(iterations, gradientAccumulationSteps);
    }

    /** Keras's {@code _iterations}, the {@code iteration} variable saved in files: every step, accumulating or not. */
    public long rawIterations() {
        return iterations;
    }

    /** Sets Keras's {@code _iterations} (the saved {@code iteration} variable), e.g. when loading. */
    public void iterations(long value) {
        this.iterations = value;
    }

    /** The learning rate for the next step (the schedule's value at the current step, counting accumulation steps). */
    public double learningRate() {
        return schedule != null ? (float) schedule.learningRate(iterations) : learningRate;
    }

    /**
     * Replaces the learning rate by a schedule, as assigning one to Keras's {@code optimizer.learning_rate}:
     * the {@code learning_rate} variable is no longer tracked.
     */
    public void learningRate(LearningRateSchedule value) {
        if (value == null) {
            throw new IllegalArgumentException(className() + ": learning-rate schedule is null");
        }
        this.schedule = value;
    }

    /** Sets a fixed learning rate (e.g. ReduceLROnPlateau); not allowed with a schedule, as in Keras. */
    public void learningRate(double value) {
        if (schedule != null) {
            throw new IllegalStateException(className() + " '" + name + "' uses a LearningRateSchedule;"
                    + " its learning rate cannot be set directly");
        }
        this.learningRate = (float) value;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** Slot groups in Keras's creation order; names in a group are interleaved per variable. */
    protected abstract List<String[]> slotGroups();

    /** Initial value of a slot (zeros except Adagrad's and Ftrl's accumulators). */
    protected float initialSlotValue(String slot) {
        return 0f;
    }

    /** Shape of a slot of a variable of shape {@code varShape} (the variable's shape but for Adafactor's factors). */
    protected int[] slotShape(String slot, int[] varShape) {
        return varShape;
    }

    /** Whether Keras keeps this slot as an int32 variable (Adafactor's rank < 2 placeholders); float32 otherwise. */
    protected boolean integerSlot(String slot, int[] varShape) {
        return false;
    }

    /**
     * Whether {@link #variables()} entry {@code i} is an integer variable in Keras: {@code iteration}
     * (int64) and integer slots (int32); the rest are float32.
     */
    public boolean integerVariable(int i) {
        List<Tensor> vars = variables();
        return i == 0 || (i < vars.size() && slots.isInteger(vars.get(i)));
    }

    /** Keras path of a slot without the optimizer prefix: {@code <variable path>_<slot>} but for Adafactor's factors. */
    protected String slotName(String slot, String variablePath, Variable v) {
        return variablePath + "_" + slot;
    }

    public boolean isBuilt() {
        return variables != null;
    }

    /** Creates the slots for these trainable variables (Keras's {@code optimizer.build}). */
    public void build(List<Variable> trainable) {
        build(trainable, null);
    }

    /**
     * Creates the slots; {@code paths} (e.g. {@code sequential/dense/kernel}) name them as Keras does
     * ({@code sequential_dense_kernel_momentum}); null uses the variables' own names.
     */
    public void build(List<Variable> trainable, List<String> paths) {
        if (variables != null) {
            if (!variables.equals(trainable)) {
                throw new IllegalStateException(className() + " '" + name + "' was built for other variables;"
                        + " use a new optimizer for another model");
            }
            return;
        }
        this.variables = new ArrayList<>(trainable);
        this.variablePaths = new ArrayList<>();
        for (int i = 0; i < trainable.size(); i++) {
            variablePaths.add(paths == null ? trainable.get(i).name() : paths.get(i));
        }
        slots.create(this, name, trainable, paths, ema.enabled(), gradientAccumulationSteps != null);
    }

    /** The slot of {@code gradient_accumulation_steps} (read by {@link OptimizerStep}). */
    static final String ACCUMULATOR_SLOT = OptimizerSlots.ACCUMULATOR;

    /** Scalar optimizer variables kept after the slots (Nadam's {@code u_product}); names without the prefix. */
    protected List<String> scalarNames() {
        return List.of();
    }

    protected float scalarValue(int i) {
        throw new IndexOutOfBoundsException(i);
    }

    protected void scalarValue(int i, float value) {
        throw new IndexOutOfBoundsException(i);
    }

    /** Runs once per step after clipping and weight decay, before the per-variable updates (Keras's {@code _backend_update_step}). */
    protected void beforeUpdates() {
    }

    /** Every variable's tensor of one slot, in variable order. */
    Tensor[] slotGroup(String slot) {
        return slots.group(slot);
    }

    /** Keras paths of the built variables, for messages. */
    List<String> variablePaths() {
        return variablePaths;
    }

    GradientClipping clipping() {
        return clipping;
    }


    /** The slot tensor {@code slot} of variable {@code index}. */
    protected Tensor slot(String slot, int index) {
        return slots.group(slot)[index];
    }

    /** The variables this optimizer was built for. */
    public List<Variable> builtVariables() {
        return variables == null ? List.of() : Collections.unmodifiableList(variables);
    }

    /**
     * Keras's {@code optimizer.variables}: {@code iteration} (a scalar holding the step count,
     * {@link #rawIterations()}; int64 in Keras), {@code learning_rate} (a float scalar, absent with a
     * schedule, as in Keras), then the slots (none before the optimizer is built). The returned slot
     * tensors are live (writing them changes the state); the two scalars are copies.
     */
    public List<Tensor> variables() {
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.of(new float[] {iterations}));
        if (schedule == null) {
            out.add(Tensor.of(new float[] {learningRate}));
        }
        out.addAll(slots.tensors());
        for (int i = 0; isBuilt() && i < scalarNames().size(); i++) {
            out.add(Tensor.of(new float[] {scalarValue(i)}));
        }
        return out;
    }

    /** Keras paths of {@link #variables()}, e.g. {@code adam/iteration}, {@code adam/sequential_dense_kernel_momentum}. */
    public List<String> variableNames() {
        List<String> out = new ArrayList<>();
        out.add(name + "/iteration");
        if (schedule == null) {
            out.add(name + "/learning_rate");
        }
        out.addAll(slots.names());
        for (int i = 0; isBuilt() && i < scalarNames().size(); i++) {
            out.add(name + "/" + scalarNames().get(i));
        }
        return out;
    }

    /** Restores the state from tensors in {@link #variables()} order (shapes must match). */
    public void setVariables(List<Tensor> values) {
        if (variables == null) {
            throw new IllegalStateException("You are calling `set_weights()` on an optimizer that has not yet been"
                    + " built. Please call `optimizer.build(trainable_variables)` to create the optimizer weights"
                    + " before calling `set_weights()`. (" + className() + " '" + name + "')");
        }
        int expected = slots.size() + (schedule == null ? 2 : 1) + scalarNames().size();
        if (values.size() != expected) {
            throw new IllegalArgumentException(className() + " '" + name + "' has " + expected
                    + " variables but " + values.size() + " values were given");
        }
        int k = 0;
        iterations = (long) values.get(k++).data()[0];
        if (schedule == null) {
            learningRate = values.get(k++).data()[0];
        }
        slots.restore(className(), values, k);
        k += slots.size();
        for (int i = 0; i < scalarNames().size(); i++, k++) {
            scalarValue(i, values.get(k).data()[0]);
        }
    }

    private void requireBuilt() {
        if (variables == null) {
            throw new IllegalStateException(className() + " '" + name + "' is not built: call build(trainableWeights)"
                    + " or train the model once");
        }
    }

    /** One step using each variable's accumulated {@link Variable#grad()}; builds on first use. */
    public void apply(List<Variable> trainable) {
        build(trainable);
        List<float[]> grads = new ArrayList<>(trainable.size());
        for (Variable v : trainable) {
            grads.add(v.grad().data());
        }
        applyGradients(grads);
    }

    /**
     * One step with explicit gradients (one array per built variable, not modified). A null entry is
     * Keras's {@code None} gradient: that variable is left out of this step.
     */
    public void applyGradients(List<float[]> grads) {
        requireBuilt();
        if (grads.size() != variables.size()) {
            throw new IllegalArgumentException(className() + ": " + grads.size() + " gradients for "
                    + variables.size() + " variables");
        }
        OptimizerStep.apply(this, grads);
    }

    /** Keras's {@code _model_variables_moving_average} (entries null for variables overwritten with their gradient). */
    Tensor[] averages() {
        return ema.averages(slots);
    }

    /** Keras's {@code _accumulated_gradients} (live tensors), with {@code gradient_accumulation_steps}. */
    public List<Tensor> accumulatedGradients() {
        requireBuilt();
        if (gradientAccumulationSteps == null) {
            throw new IllegalStateException(className() + " '" + name + "' does not accumulate gradients"
                    + " (gradientAccumulationSteps(n))");
        }
        return List.of(slots.group(ACCUMULATOR_SLOT));
    }

    /**
     * Keras's {@code _clip_gradients}: the gradients after {@code clipnorm}, {@code clipvalue} or
     * {@code global_clipnorm} (new arrays; the inputs are not modified).
     */
    public List<float[]> clipGradients(List<float[]> grads) {
        List<float[]> out = new ArrayList<>();
        for (float[] g : clipping.clip(grads, clipnorm, clipvalue, globalClipnorm, false)) {
            out.add(g.clone());
        }
        return out;
    }

    /**
     * Keras's {@code update_step} for variable {@code index}: updates {@code w} in place from the
     * gradient {@code g} (first {@code w.length} entries) at learning rate {@code lr}; the
     * iteration counter still holds the pre-step value.
     */
    protected abstract void update(int index, float[] w, float[] g, float lr);

    /** Keras {@code get_config} keys of the base optimizer; subclasses add theirs. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        if (schedule != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("module", "keras.optimizers.schedules");
            s.put("class_name", schedule.className());
            s.put("config", schedule.config());
            s.put("registered_name", null);
            c.put("learning_rate", s);
        } else {
            c.put("learning_rate", (double) learningRate);
        }
        c.put("weight_decay", weightDecay);
        c.put("clipnorm", clipnorm);
        c.put("global_clipnorm", globalClipnorm);
        c.put("clipvalue", clipvalue);
        c.put("use_ema", ema.enabled());
        c.put("ema_momentum", ema.momentum());
        c.put("ema_overwrite_frequency", ema.overwriteFrequency());
        c.put("loss_scale_factor", lossScaleFactor);
        c.put("gradient_accumulation_steps", gradientAccumulationSteps);
        return c;
    }

    @Override
    public String toString() {
        return className() + "(" + name + ")";
    }
}
