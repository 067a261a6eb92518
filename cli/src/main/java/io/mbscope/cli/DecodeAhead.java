package io.mbscope.cli;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TraceReader} that decodes on a second thread while the caller consumes: the decoder
 * thread pulls events from the wrapped reader into batches and hands them over through a bounded
 * queue, so at most {@code depth * batch} events are in flight (memory stays flat in trace length)
 * and the order is the wrapped reader's. An exception of the decoder surfaces from {@link #next()}
 * after the events decoded before it, exactly where a plain loop would have met it.
 *
 * <p>Why: {@code mbscope replay} is decode + model on a JVM that is still compiling; on two cores the
 * two halves overlap instead of adding up (JFR on bench-1m: model thread 109 samples, decoder 52).
 * Not used by {@code stats}, whose consumer side (counting) is too small to pay for the hand-off.
 *
 * <p>{@link #stats()} is the wrapped reader's, complete once {@link #next()} has returned null;
 * {@link #formats()} should not be used while decoding runs (readers may fill it lazily).
 */
final class DecodeAhead implements TraceReader {
    /*
     * Small on purpose: every event in flight survives a young collection if one happens before the
     * consumer gets to it, and the launcher's young generation is 8 MiB. With 32 x 1024 events in
     * flight, replay of bench-1m promoted them all: RSS 457 MiB and 7.9 s cpu instead of 4.2 s.
     * (-Dmbscope.pipeline.batch / .depth change them, for measurements.)
     */
    static final int BATCH = Integer.getInteger("mbscope.pipeline.batch", 256);
    static final int DEPTH = Integer.getInteger("mbscope.pipeline.depth", 4);

    /** End of trace marker in the queue. */
    private static final Object END = new Object();

    private final TraceReader reader;
    private final BlockingQueue<Object> queue;
    private final int batchSize;
    private final Thread decoder;
    private volatile boolean closed;
    private TraceEvent[] batch = new TraceEvent[0];
    private int pos;
    private boolean ended;

    private DecodeAhead(TraceReader reader, int batchSize, int depth) {
        this.reader = reader;
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(depth);
        this.decoder = new Thread(this::decode, "mbscope-decode");
        decoder.setDaemon(true);
        decoder.start();
    }

    /**
     * The reader itself where a second thread cannot help (one CPU, or {@code -Dmbscope.pipeline=false}
     * as set by {@code MBSCOPE_PIPELINE=0} in the launcher), else a decode-ahead wrapper around it.
     */
    static TraceReader wrap(TraceReader reader) {
        if (!enabled()) {
            return reader;
        }
        return new DecodeAhead(reader, BATCH, DEPTH);
    }

    /** For tests: always threaded, with the given batch size and queue depth. */
    static DecodeAhead of(TraceReader reader, int batchSize, int depth) {
        return new DecodeAhead(reader, batchSize, depth);
    }

    static boolean enabled() {
        return !"false".equals(System.getProperty("mbscope.pipeline"))
                && Runtime.getRuntime().availableProcessors() >= 2;
    }

    private void decode() {
        while (!closed) {
            TraceEvent[] b = new TraceEvent[batchSize];
            int n = 0;
            TraceEvent e = null;
            Throwable failure = null;
            try {
                while (n < batchSize && (e = reader.next()) != null) {
                    b[n++] = e;
                }
            } catch (Throwable t) { // the consumer reports it, after the events decoded before it
                failure = t;
            }
            if (n > 0) {
                hand(n == batchSize ? b : java.util.Arrays.copyOf(b, n));
            }
            if (failure != null) {
                hand(new Failure(failure));
                return;
            }
            if (e == null) {
                hand(END);
                return;
            }
        }
    }

    /** Blocks while the queue is full; gives up once the consumer has closed. */
    private void hand(Object item) {
        try {
            while (!closed && !queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                // the consumer is busy: wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public TraceEvent next() throws IOException {
        if (pos < batch.length) {
            TraceEvent e = batch[pos];
            batch[pos++] = null; // let the event die young once consumed
            return e;
        }
        if (ended) {
            return null;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the decoder thread");
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failure f) {
            ended = true;
            throw f.rethrow();
        }
        batch = (TraceEvent[]) item;
        pos = 0;
        return next();
    }

    @Override
    public TraceInfo info() {
        return reader.info();
    }

    @Override
    public FormatRegistry formats() {
        return reader.formats();
    }

    @Override
    public ReadStats stats() {
        return reader.stats();
    }

    /**
     * Stops the decoder (it finishes the record in hand), then closes the wrapped reader. A decoder
     * still blocked after a few seconds (reading a pipe that stays silent) is not waited for: closing
     * the reader under it ends that read, and the thread is a daemon.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        queue.clear();
        try {
            decoder.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }

    /** A decoder failure carried to the consumer thread. */
    private record Failure(Throwable cause) {
        IOException rethrow() {
            if (cause instanceof IOException io) {
                return io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error er) {
                throw er;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }
}
