package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What checkout's answer reads from a record: the hold the decision placed, and only that. */
class DecisionRecordTest {

    static DecisionRecord withCreditLine(String creditLineJson) {
        return new DecisionRecord(
                UUID.randomUUID(),
                Instant.parse("2026-12-02T10:00:00Z"),
                "checkout",
                null,
                "a".repeat(64),
                "C-1",
                "APPROVED",
                "AUTO",
                AuditDatabase.VERSION,
                "{}",
                "{}",
                "{}",
                "{}",
                1,
                "O-1",
                creditLineJson);
    }

    @Test
    void theHoldPlacedIsTheCreditLinesHoldMemberWrittenCanonically() {
        String line = "{\"balance\":50000,\"hold\":{\"orderId\":\"O-1\",\"amount\":25000.5},\"holds\":[]}";

        assertThat(withCreditLine(line).placedHoldJson()).isEqualTo("{\"orderId\":\"O-1\",\"amount\":25000.5}");
    }

    @Test
    void noHoldMemberNoHold() {
        assertThat(withCreditLine(null).placedHoldJson()).isNull();
        assertThat(withCreditLine("{\"balance\":50000,\"holds\":[{\"orderId\":\"O-2\"}],\"held\":0}")
                        .placedHoldJson())
                .isNull();
        // "hold" as a value, or a hold member that is not an object, places nothing either
        assertThat(withCreditLine("{\"balanceSource\":\"hold\",\"holds\":[]}").placedHoldJson())
                .isNull();
        assertThat(withCreditLine("{\"hold\":null}").placedHoldJson()).isNull();
    }

    @Test
    void aHoldMemberDeeperDownIsNotTheDecisionsHold() {
        assertThat(withCreditLine("{\"replaced\":{\"hold\":{\"orderId\":\"O-1\"}}}")
                        .placedHoldJson())
                .isNull();
    }
}
