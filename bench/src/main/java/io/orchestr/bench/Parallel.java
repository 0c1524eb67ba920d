package io.orchestr.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs a call for each item on a fixed number of threads, as that many concurrent clients would. */
final class Parallel {
    private Parallel() {
    }

    /** The results in the order of {@code items}; the first failure fails the whole (after all calls ended). */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> call) {
        try (ExecutorService clients = Executors.newFixedThreadPool(threads)) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(clients.submit(() -> call.apply(item)));
            }
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new BenchException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
