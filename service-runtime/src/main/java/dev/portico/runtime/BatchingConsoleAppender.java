package dev.portico.runtime;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A console appender for lines written by the thousand a second (the edge's access log): the
 * logging thread only queues the event and never blocks (a full queue drops the line and counts
 * it); a worker thread encodes what has gathered and writes it to stdout in one write.
 *
 * <p>logback's {@code AsyncAppender} in front of a {@code ConsoleAppender} does the same work one
 * line at a time: every line a write system call, and nearly every line a wake-up of its worker
 * that the logging thread (an event loop) pays for. Here the worker lets lines gather for {@code
 * gatherMillis} between writes: at 10,000 lines a second that is one write and one wake-up per 100
 * lines, and a line reaches stdout at most that much later. While nothing is logged the worker
 * parks without a timeout, so an idle service does not wake it.
 *
 * <p>Each write holds {@link System#out}'s lock, as every other console line does, so lines of
 * different appenders never interleave.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final int MAX_BATCH = 512;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8_192;
  private long gatherMillis = 10;
  private final AtomicLong dropped = new AtomicLong();
  private BlockingQueue<ILoggingEvent> queue;
  private Thread worker;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /** Lines that may wait for the worker; when it is full, further lines are dropped. */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** How long lines gather between two writes while lines keep coming. */
  public void setGatherMillis(long gatherMillis) {
    this.gatherMillis = gatherMillis;
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No encoder set for the appender named [" + name + "].");
      return;
    }
    if (queueSize < 1 || gatherMillis < 0) {
      addError("queueSize must be at least 1 and gatherMillis at least 0");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    worker = new Thread(this::work, "portico-console-" + name);
    worker.setDaemon(true);
    super.start();
    worker.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The worker encodes it later, on its own thread: fix what is read from this one now.
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  private void work() {
    List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try {
      while (isStarted()) {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch, bytes);
        Thread.sleep(gatherMillis);
      }
    } catch (InterruptedException stopping) {
      // stop() wakes the worker from take() or sleep(); what is still queued is written below.
    }
    while (queue.drainTo(batch, MAX_BATCH) > 0) {
      write(batch, bytes);
    }
  }

  private void write(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    if (batch.isEmpty()) {
      return;
    }
    bytes.reset();
    for (ILoggingEvent event : batch) {
      try {
        bytes.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        addError("Could not encode a line", e);
      }
    }
    batch.clear();
    PrintStream out = System.out;
    synchronized (out) {
      out.write(bytes.toByteArray(), 0, bytes.size());
      out.flush();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
