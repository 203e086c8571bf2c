package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Sealing and opening a decision's personal data: every seal its own nonce, every thread its own cipher. */
class PersonalDataTest {

    private final PersonalData personalData = new AuditDatabase().personalData();

    @Test
    void theSameRequestSealedTwiceGivesTwoTextsThatBothOpen() {
        PersonalData.Sealed first = personalData.seal("C-1", "{\"a\":1}", "{\"line\":2}");
        PersonalData.Sealed second = personalData.seal("C-1", "{\"a\":1}", "{\"line\":2}");

        assertThat(first.subjectRef()).isEqualTo(second.subjectRef());
        assertThat(first.request()).isNotEqualTo(second.request());
        assertThat(first.creditLine()).isNotEqualTo(second.creditLine());
        for (PersonalData.Sealed sealed : List.of(first, second)) {
            assertThat(personalData.open(sealed.subjectRef(), sealed.request(), sealed.creditLine()))
                    .contains(new PersonalData.Opened("C-1", "{\"a\":1}", "{\"line\":2}"));
        }
    }

    @Test
    void aSealedTextDoesNotOpenAsTheOtherKindNorUnderAnotherCustomer() {
        PersonalData.Sealed one = personalData.seal("C-2", "{\"a\":1}", "{\"line\":2}");
        PersonalData.Sealed other = personalData.seal("C-3", "{\"a\":1}", null);

        // the credit line passed off as the request: its associated data differs
        assertThatThrownBy(() -> personalData.open(one.subjectRef(), one.creditLine(), null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> personalData.open(other.subjectRef(), one.request(), null))
                .isInstanceOf(IllegalStateException.class);
        // a failed opening leaves nothing behind on this thread: the next one opens
        assertThat(personalData.open(one.subjectRef(), one.request(), one.creditLine()))
                .contains(new PersonalData.Opened("C-2", "{\"a\":1}", "{\"line\":2}"));
    }

    @Test
    void manyThreadsSealAndOpenAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String customer = "C-" + (i % 5);
                String request = "{\"n\":" + i + "}";
                int n = i;
                results.add(threads.submit(() -> {
                    PersonalData.Sealed sealed = personalData.seal(customer, request, n % 2 == 0 ? null : request);
                    return personalData
                            .open(sealed.subjectRef(), sealed.request(), sealed.creditLine())
                            .orElseThrow()
                            .equals(new PersonalData.Opened(
                                    customer, request, sealed.creditLine() == null ? null : request));
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
