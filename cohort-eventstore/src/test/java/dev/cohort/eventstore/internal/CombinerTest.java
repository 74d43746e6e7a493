package dev.cohort.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CombinerTest {
  static final class Request implements Combiner.Item {
    private boolean done;

    @Override
    public boolean done() {
      return done;
    }
  }

  @Test
  void requestsThatArriveWhileABatchRunsGoTogetherIntoTheNextBatches() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    Combiner<Request> combiner =
        new Combiner<>(
            3,
            batch -> {
              sizes.add(batch.size());
              if (sizes.size() == 1) {
                firstRunning.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              batch.forEach(r -> r.done = true);
            });
    Thread first = Thread.ofPlatform().start(() -> combiner.submit(new Request()));
    assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();
    List<Thread> others = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      others.add(Thread.ofPlatform().start(() -> combiner.submit(new Request())));
    }
    // All seven are queued once each waits for the running batch.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> others.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    release.countDown();
    first.join();
    for (Thread t : others) {
      t.join();
    }
    assertThat(sizes).containsExactly(1, 3, 3, 1);
  }

  @Test
  void aBatchSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> new Combiner<Request>(0, batch -> {}))
        .hasMessageContaining("maxBatch must be 1 or more, got 0");
  }
}
