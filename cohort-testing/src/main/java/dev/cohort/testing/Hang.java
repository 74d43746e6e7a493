package dev.cohort.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A scripted hang ({@link OperationFaults#hangNext}): the call it catches waits until {@link
 * #release()} (then it reaches the participant) or until its timeout (then it fails without
 * reaching it). Thread-safe.
 */
public final class Hang {
  private final Duration timeout;
  private final CountDownLatch caught = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean abandoned;

  Hang(Duration timeout) {
    this.timeout = timeout;
  }

  /** Lets the held call go on to the participant. */
  public void release() {
    released.countDown();
  }

  /** Whether a call is held (or was held) by this hang. */
  public boolean hasCaughtACall() {
    return caught.getCount() == 0;
  }

  /**
   * Waits up to {@code max} for a call to be caught, for a test that must act while the call hangs.
   *
   * @return whether one was caught in time
   */
  public boolean awaitCall(Duration max) throws InterruptedException {
    return caught.await(max.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Ends the hang without delivering: the injector is closing. */
  void abandon() {
    abandoned = true;
    released.countDown();
  }

  /**
   * Holds the calling thread; true when released to deliver, false when the timeout passed or the
   * injector closed.
   */
  boolean hold() throws InterruptedException {
    caught.countDown();
    boolean inTime = released.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return inTime && !abandoned;
  }
}
