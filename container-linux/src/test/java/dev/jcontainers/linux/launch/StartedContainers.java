package dev.jcontainers.linux.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.jcontainers.linux.ffm.Signals;

/** The containers a test started, killed and closed in its tear-down whatever state the test left them in. */
final class StartedContainers {
    private final List<LaunchedContainer> started = new ArrayList<>();

    LaunchedContainer add(LaunchedContainer c) {
        started.add(c);
        return c;
    }

    void killAll(Duration wait) {
        for (LaunchedContainer c : started) {
            c.signal(Signals.SIGKILL);
            c.waitFor(wait);
            c.close();
        }
    }
}
