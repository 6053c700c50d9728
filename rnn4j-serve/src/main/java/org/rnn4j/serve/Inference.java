package org.rnn4j.serve;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rnn4j.tensor.Tensor;

/**
 * Runs a parsed request through its model's {@link Batcher} and waits for the answer within the
 * per-request timeout; maps the model's refusals of the input to 400 and timeouts to 503.
 */
final class Inference {
    private final int maxInstances;
    private final long timeoutMillis;

    Inference(int maxInstances, long timeoutMillis) {
        this.maxInstances = maxInstances;
        this.timeoutMillis = timeoutMillis;
    }

    int maxInstances() {
        return maxInstances;
    }

    /** One tensor per output for the inputs {@code xs} (batch first), computed on version {@code m}. */
    List<Tensor> run(ServedModel m, List<Tensor> xs, Batcher.Arrival arrival) {
        int rows = xs.get(0).dim(0);
        for (int i = 1; i < xs.size(); i++) {
            if (xs.get(i).dim(0) != rows) {
                throw ApiException.badRequest("inputs have different batch sizes: '" + m.inputs.get(0).name() + "' has " + rows
                        + ", '" + m.inputs.get(i).name() + "' has " + xs.get(i).dim(0));
            }
        }
        if (rows > maxInstances) {
            throw new ApiException(413, rows + " instances in one request; the limit is " + maxInstances);
        }
        Batcher.Job job = new Batcher.Job(m, xs);
        arrival.submit(job);
        try {
            return job.result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.abandoned = true;
            throw ApiException.unavailable("model '" + m.name + "' did not answer within the request timeout of "
                    + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            job.abandoned = true;
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the server is shutting down");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalArgumentException || c instanceof IndexOutOfBoundsException) {
                // e.g. a token id past an Embedding's vocabulary: the input's fault (LayerShapeException is an IAE)
                throw ApiException.badRequest("model '" + m.name + "' refused the input: " + ModelSlot.message(c));
            }
            throw new ApiException(500, "model '" + m.name + "' failed: " + c.getClass().getSimpleName() + ": "
                    + ModelSlot.message(c));
        }
    }
}
