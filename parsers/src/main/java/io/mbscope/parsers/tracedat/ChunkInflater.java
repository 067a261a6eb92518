package io.mbscope.parsers.tracedat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads that decompress v7 chunks ahead of the page walk, shared by all CPUs of one
 * reader. Each {@link ChunkedPageSource} bounds its own in-flight chunks, so the queue is bounded
 * by CPUs x {@link ChunkedPageSource#DEPTH}. Codecs hold decoder state (aircompressor's zstd
 * tables, an Inflater), so each task borrows one from a pool instead of sharing.
 *
 * <p>{@link #close()} lets running tasks finish (a chunk takes well under a millisecond), drops
 * queued ones and ends the threads; they are daemon threads, so a reader that is never closed does
 * not keep the JVM alive either.
 */
final class ChunkInflater implements AutoCloseable {
    /** {@code -Dmbscope.decode.threads=N}: worker count; 0 or 1 decompresses on the reading thread. */
    static final String THREADS_PROPERTY = "mbscope.decode.threads";
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final ThreadPoolExecutor pool;
    private final ConcurrentLinkedQueue<Codec> codecs = new ConcurrentLinkedQueue<>();

    private ChunkInflater(int threads) {
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "mbscope-inflate-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Workers for a reader: as many as the machine has cores (the reading thread decodes while they
     * decompress), unless {@value #THREADS_PROPERTY} says otherwise; null on a single core, where a
     * worker would only add hand-offs.
     */
    static ChunkInflater forMachine() {
        return create(-1);
    }

    /** {@code threads} workers; negative: as {@link #forMachine()}; null for fewer than 2. */
    static ChunkInflater create(int requested) {
        int threads = requested >= 0 ? requested : Runtime.getRuntime().availableProcessors();
        String p = requested >= 0 ? null : System.getProperty(THREADS_PROPERTY);
        if (p != null) {
            try {
                threads = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                // keep the machine's count
            }
        }
        return threads <= 1 ? null : new ChunkInflater(Math.min(threads, 64));
    }

    <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    Codec borrow(Codec prototype) {
        Codec c = codecs.poll();
        return c != null ? c : prototype.fresh();
    }

    void giveBack(Codec c) {
        codecs.add(c);
    }

    /** Live worker threads (tests of shutdown). */
    int liveThreads() {
        return pool.getPoolSize();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        // Not shutdownNow(): interrupting a thread inside FileChannel.read closes the channel.
        List<Runnable> queued = new ArrayList<>();
        pool.getQueue().drainTo(queued);
        for (Runnable r : queued) {
            if (r instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        pool.shutdown();
    }
}
