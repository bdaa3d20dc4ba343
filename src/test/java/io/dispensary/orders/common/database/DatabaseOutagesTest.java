package io.dispensary.orders.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.database.DatabaseFault.Cause;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An outage is counted by cause for every request, and said once per interval in the log. */
class DatabaseOutagesTest {

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> lines = new ArrayList<>();
    private final java.util.logging.Logger julLogger =
            java.util.logging.Logger.getLogger(DatabaseOutages.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(String.valueOf(
                    record.getParameters() == null
                            ? record.getMessage()
                            : String.format(record.getMessage(), record.getParameters())));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        julLogger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        julLogger.removeHandler(capture);
    }

    @Test
    void aThousandFailedRequestsInTenSecondsAreOneLineAtOnceAndOneSummaryAfter() {
        DatabaseOutages outages = new DatabaseOutages(registry, nanos::get);
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused.", "08001");
        for (int i = 0; i < 1000; i++) {
            outages.record(i % 4 == 0 ? Cause.SHUTDOWN : Cause.CONNECTION_REFUSED, refused);
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        }
        outages.record(Cause.CONNECTION_REFUSED, refused);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("1 requests answered 503").contains("shutdown 1");
        assertThat(lines.get(1))
                .contains("1000 requests answered 503 in the last 10 s")
                .contains("connection-refused 751")
                .contains("shutdown 249")
                .contains("Connection to 127.0.0.1:5432 refused.");
        assertThat(registry.counter("orders.database.unavailable", "cause", "connection-refused")
                        .count())
                .isEqualTo(751);
        assertThat(registry.counter("orders.database.unavailable", "cause", "shutdown")
                        .count())
                .isEqualTo(250);
    }

    @Test
    void poolShedsAreSummedIntoOneLinePerInterval() {
        DatabaseOutages outages = new DatabaseOutages(registry, nanos::get);
        for (int i = 0; i < 500; i++) {
            outages.poolShed("/orders");
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
        }
        outages.poolShed("/orders");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("Shed 1 requests in the last 10 s");
        assertThat(lines.get(1)).startsWith("Shed 500 requests in the last 10 s");
    }
}
