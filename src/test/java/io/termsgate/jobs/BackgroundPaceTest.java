package io.termsgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The pace of background work, on a clock the test moves: it rests only while a foreground call is in flight or
 * lately was, and then for exactly what keeps its duty cycle.
 */
class BackgroundPaceTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    // the background thread's CPU time: work moves both clocks, waiting moves only the wall clock
    private final AtomicLong cpu = new AtomicLong(7 * MS);
    private final List<Long> rests = new ArrayList<>();
    private final JobProperties properties = new JobProperties(
            1,
            Duration.ofSeconds(1),
            0.25,
            Duration.ofMillis(5),
            Duration.ofSeconds(1),
            JobProperties.of(1).foregroundCalls());
    private final ForegroundTraffic traffic = new ForegroundTraffic(properties.foregroundCalls(), clock::get);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BackgroundPace pace = new BackgroundPace(
            properties,
            traffic,
            clock::get,
            cpu::get,
            nanos -> {
                rests.add(nanos);
                clock.addAndGet(nanos);
            },
            meters);

    private void work(long nanos) {
        clock.addAndGet(nanos);
        cpu.addAndGet(nanos);
    }

    @Test
    void withNobodyWaitingBackgroundWorkNeverRests() {
        pace.begin();
        for (int i = 0; i < 100; i++) {
            work(2 * MS);
            pace.checkpoint();
        }
        assertThat(rests).isEmpty();
    }

    @Test
    void whileCheckoutIsServedEachSliceIsFollowedByThreeTimesItsLengthAtQuarterDuty() throws Exception {
        call("POST", "/api/v1/credit-decisions", () -> {
            pace.begin();
            work(2 * MS);
            pace.checkpoint(); // 2 ms: within the slice
            assertThat(rests).isEmpty();
            work(4 * MS);
            pace.checkpoint(); // 6 ms worked: rests 18 ms
            work(5 * MS);
            pace.checkpoint(); // a new slice began after the rest: 5 ms worked, rests 15 ms
        });
        assertThat(rests).containsExactly(18 * MS, 15 * MS);
        assertThat(meters.get("termsgate.jobs.rested").timer().count()).isEqualTo(2);
    }

    @Test
    void timeSpentWaitingIsNotWork() throws Exception {
        call("POST", "/api/v1/credit-decisions", () -> {
            pace.begin();
            clock.addAndGet(40 * MS); // waiting for a group commit: off the core
            pace.checkpoint();
            work(3 * MS);
            pace.checkpoint(); // 3 ms on a core: the slice goes on
            assertThat(rests).isEmpty();
            work(3 * MS);
            pace.checkpoint(); // 6 ms on a core over 46 ms: rests three times the 6 ms
        });
        assertThat(rests).containsExactly(18 * MS);
    }

    @Test
    void timeTheDatabaseWorksForTheThreadIsWork() throws Exception {
        call("POST", "/api/v1/credit-decisions", () -> {
            pace.begin();
            String page = pace.charging(() -> {
                clock.addAndGet(4 * MS); // the database reads a page for it
                work(1 * MS); // and it reads the rows
                return "page";
            });
            assertThat(page).isEqualTo("page");
            pace.checkpoint(); // 5 ms: 1 on its core, 4 waited for the database
        });
        assertThat(rests).containsExactly(15 * MS);
    }

    @Test
    void afterTheLastCallBackgroundWorkRestsUntilTheQuietPeriodHasPassed() throws Exception {
        call("POST", "/api/v1/models/dunning", () -> {});
        pace.begin();
        work(500 * MS);
        pace.checkpoint(); // 0.5 s after the call: still pacing; a stretched slice rests at most a second
        assertThat(rests).containsExactly(1_000 * MS);
        work(10 * MS);
        pace.checkpoint(); // 1.5 s after the call: quiet
        assertThat(rests).hasSize(1);
    }

    @Test
    void callsNobodyWaitsOnDoNotSlowBackgroundWork() throws Exception {
        call("GET", "/api/v1/batches/0193a0a0-0000-7000-8000-000000000000", () -> {
            pace.begin();
            work(50 * MS);
            pace.checkpoint();
        });
        call("GET", "/api/v1/credit-decisions/abc/replay-not-a-foreground-path", () -> {
            pace.begin();
            work(50 * MS);
            pace.checkpoint();
        });
        assertThat(rests).isEmpty();
    }

    @Test
    void theMethodCountsAsMuchAsThePath() throws Exception {
        for (String[] other : new String[][] {
            {"PUT", "/api/v1/credit-decisions"},
            {"GET", "/api/v1/credit-decisions"},
            {"GET", "/api/v1/models/dunning"},
            {"DELETE", "/api/v1/models/dunning"},
            {"POST", "/api/v1/models/calls/0193a0a0-0000-7000-8000-000000000000/replay"},
        }) {
            call(other[0], other[1], () -> {
                pace.begin();
                work(50 * MS);
                pace.checkpoint();
            });
        }
        assertThat(rests).isEmpty();
        assertThat(traffic.calls()).isZero();
    }

    @Test
    void anEntryThatIsNotAMethodAndAPathIsRefusedByName() {
        for (String bad : List.of("/api/v1/credit-decisions", "POST api/v1/x", "FETCH /api", "POST /a /b", "")) {
            assertThatThrownBy(() -> new ForegroundTraffic(List.of("POST /api/v1/credit-decisions", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("termsgate.jobs.foreground-calls")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void checkoutPollingTheFinalAnswerCounts() throws Exception {
        call("GET", "/api/v1/credit-decisions/0193a0a0-0000-7000-8000-000000000000/status", () -> {
            pace.begin();
            work(10 * MS);
            pace.checkpoint();
        });
        assertThat(rests).containsExactly(30 * MS);
    }

    @Test
    void atFullDutyNothingRests() throws Exception {
        JobProperties unpaced = new JobProperties(
                1,
                Duration.ofSeconds(1),
                1.0,
                Duration.ofMillis(5),
                Duration.ofSeconds(1),
                properties.foregroundCalls());
        BackgroundPace full = new BackgroundPace(unpaced, traffic, clock::get, cpu::get, rests::add, meters);
        call("POST", "/api/v1/credit-decisions", () -> {
            full.begin();
            work(100 * MS);
            full.checkpoint();
        });
        assertThat(rests).isEmpty();
    }

    @Test
    void anInterruptEndsTheRestAndStaysSet() throws Exception {
        BackgroundPace interrupted = new BackgroundPace(
                properties,
                traffic,
                clock::get,
                cpu::get,
                nanos -> {
                    throw new InterruptedException();
                },
                meters);
        call("POST", "/api/v1/credit-decisions", () -> {
            interrupted.begin();
            work(10 * MS);
            interrupted.checkpoint();
        });
        assertThat(Thread.interrupted()).isTrue();
    }

    /** Runs {@code during} inside a foreground call of the filter, as a Tomcat thread would. */
    private void call(String method, String path, Runnable during) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(
                    jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
                    throws IOException {
                during.run();
            }
        });
        traffic.doFilter(request, new MockHttpServletResponse(), chain);
    }
}
