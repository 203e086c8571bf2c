package io.termsgate.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH state of each benchmark thread: the index of the next worked example, so that every thread walks through the
 * examples in order and the measured mix is the same in every benchmark.
 */
@State(Scope.Thread)
public class ExampleCursor {

    private int next;

    /** The next index in {@code [0, length)}, wrapping round. */
    public int next(int length) {
        int i = next;
        next = i + 1 == length ? 0 : i + 1;
        return i;
    }
}
