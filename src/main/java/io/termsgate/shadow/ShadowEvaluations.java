package io.termsgate.shadow;

import io.termsgate.audit.LoggedDecision;

/** Where checkout hands its live decisions for a challenger to evaluate in their shadow. */
public interface ShadowEvaluations {

    /** No challenger, ever: for a decision service built without shadow evaluation (unit tests). */
    ShadowEvaluations NONE = new ShadowEvaluations() {
        @Override
        public void offer(LoggedDecision live) {}

        @Override
        public void refresh() {}
    };

    /**
     * Hands over a live decision once it is logged and checkout's answer is made: sampled, queued, or dropped when the
     * queue is full. Never blocks and never throws; the challenger's answer goes nowhere but its own table.
     */
    void offer(LoggedDecision live);

    /** Reads which challenger runs now, after this instance started or stopped one. */
    void refresh();
}
