package org.intercomhub.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.intercomhub.ItDatabase;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.tracking.TrackingCall;
import org.intercomhub.tracking.TrackingInbox;
import org.intercomhub.webhook.Notification;
import org.intercomhub.webhook.WebhookInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The group commit of the webhook and tracking inboxes on one database (a one-line subclass per database): many
 * concurrent requests, from two hub instances on the same bookkeeping schema, with ids repeated across requests, each
 * get the right answer and every id is stored once; a database that cannot take the rows fails the requests waiting
 * and stores nothing for them, and the inbox takes requests again once the database does. The servers are shared, so
 * the test works in a schema of its own and drops it.
 */
abstract class GroupCommitContract {

    enum Target {
        POSTGRES(ItDatabase.POSTGRES.url, ItDatabase.POSTGRES.user, "DROP SCHEMA IF EXISTS %s CASCADE",
                "ALTER TABLE %1$s.%2$s RENAME TO %3$s"),
        MARIADB(ItDatabase.MARIADB.url, ItDatabase.MARIADB.user, "DROP DATABASE IF EXISTS %s",
                "RENAME TABLE %1$s.%2$s TO %1$s.%3$s"),
        H2("jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1", "sa", "DROP SCHEMA IF EXISTS %s CASCADE",
                "ALTER TABLE %1$s.%2$s RENAME TO %3$s");

        final String url;
        final String user;
        final String drop;
        final String rename;

        Target(String url, String user, String drop, String rename) {
            this.url = url;
            this.user = user;
            this.drop = drop;
            this.rename = rename;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = 24;
    /** Small, so that groups are cut by their bound and requests wait for room in the queue. */
    static final InboxProperties SMALL = new InboxProperties(8, 16, 1000, Duration.ZERO);

    private final Target target;
    private final String database = ItDatabase.uniqueSchema("gc");
    private final String schemaName = ItDatabase.uniqueSchema("gc");
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<AutoCloseable> inboxes = new ArrayList<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(THREADS);
    private JdbcTemplate jdbc;
    private BookkeepingSchema schema;

    GroupCommitContract(Target target) {
        this.target = target;
    }

    @BeforeEach
    void migrate() {
        jdbc = new JdbcTemplate(pool());
        schema = new BookkeepingSchema(jdbc, schemaName);
        schema.migrate();
    }

    @AfterEach
    void drop() throws Exception {
        senders.shutdownNow();
        for (AutoCloseable inbox : inboxes) {
            inbox.close();
        }
        try {
            jdbc.execute(target.drop.formatted(schemaName));
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    /** A connection pool of its own: a hub instance. */
    private HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.url.formatted(database));
        config.setUsername(target.user);
        config.setPassword("");
        config.setMaximumPoolSize(3);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    private WebhookInbox webhookInbox() {
        WebhookInbox inbox = new WebhookInbox(new JdbcTemplate(pool()), schema, Clock.systemUTC(),
                RowLeases.local(jdbc, Clock.systemUTC()), SMALL);
        inboxes.add(inbox);
        return inbox;
    }

    private TrackingInbox trackingInbox() {
        TrackingInbox inbox = new TrackingInbox(new JdbcTemplate(pool()), schema, JSON, Clock.systemUTC(),
                RowLeases.local(jdbc, Clock.systemUTC()), SMALL);
        inboxes.add(inbox);
        return inbox;
    }

    private static Notification notification(String id) {
        return new Notification(id, "contact.user.updated", 1_700_000_000L, "{\"id\":\"" + id + "\"}");
    }

    private static TrackingCall call(String messageId) {
        ObjectNode body = JSON.createObjectNode().put("type", "track").put("event", "Signed Up")
                .put("userId", "u-" + messageId).put("messageId", messageId);
        return new TrackingCall(messageId, "track", "u:u-" + messageId, body);
    }

    /** Runs every task at once on the sender threads; each task's answer, or the exception it failed with. */
    private <T> List<Object> concurrently(List<Callable<T>> tasks) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        tasks.forEach(task -> futures.add(senders.submit(task)));
        List<Object> answers = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                answers.add(future.get());
            } catch (ExecutionException e) {
                answers.add(e.getCause());
            }
        }
        return answers;
    }

    private long rows(String table, String column, String idLike) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + schema.table(table) + " WHERE " + column + " LIKE ?",
                Long.class, idLike);
    }

    @Test
    void concurrentNotificationsOnTwoInstancesAreEachAnsweredRightAndStoredOnce() throws Exception {
        WebhookInbox onA = webhookInbox();
        WebhookInbox onB = webhookInbox();
        // 300 ids, each sent 4 times: twice to each instance, redeliveries racing the first delivery
        List<String> deliveries = new ArrayList<>();
        IntStream.range(0, 4).forEach(round -> IntStream.range(0, 300).forEach(n -> deliveries.add("notif-" + n)));
        Collections.shuffle(deliveries, new Random(13));
        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            WebhookInbox inbox = i % 2 == 0 ? onA : onB;
            String id = deliveries.get(i);
            tasks.add(() -> {
                boolean stored = inbox.store(notification(id));
                if (stored) {
                    accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
                return stored;
            });
        }

        List<Object> answers = concurrently(tasks);

        assertThat(answers).as("every request answered, none failed").hasSize(1200).allMatch(a -> a instanceof Boolean);
        assertThat(answers.stream().filter(Boolean.TRUE::equals)).as("accepted once per id").hasSize(300);
        assertThat(accepted).hasSize(300).allSatisfy((id, times) -> assertThat(times.get()).as(id).isEqualTo(1));
        assertThat(rows("webhook_inbox", "notification_id", "notif-%")).isEqualTo(300);
        assertThat(jdbc.queryForList("SELECT body FROM " + schema.table("webhook_inbox")
                + " WHERE notification_id = 'notif-7'", String.class)).containsExactly("{\"id\":\"notif-7\"}");
        // a redelivery after all that is still one
        assertThat(onB.store(notification("notif-7"))).isFalse();
    }

    @Test
    void concurrentTrackingBatchesWithOverlappingMessageIdsStoreEachCallOnce() throws Exception {
        TrackingInbox onA = trackingInbox();
        TrackingInbox onB = trackingInbox();
        // 200 batches of 5 calls over 400 messageIds: batch k has msg-k .. msg-(k+4) mod 400 (each id in 5 batches),
        // and every tenth batch repeats a call within itself
        Map<String, AtomicInteger> storedTimes = new ConcurrentHashMap<>();
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            List<TrackingCall> calls = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                calls.add(call("msg-" + ((k + j) % 400)));
            }
            if (k % 10 == 0) {
                calls.add(call("msg-" + k));
            }
            TrackingInbox inbox = k % 2 == 0 ? onA : onB;
            tasks.add(() -> {
                List<String> stored = inbox.store(calls).stream().map(TrackingCall::messageId).toList();
                stored.forEach(id -> storedTimes.computeIfAbsent(id, x -> new AtomicInteger()).incrementAndGet());
                return stored;
            });
        }

        List<Object> answers = concurrently(tasks);

        assertThat(answers).as("no request failed").allMatch(a -> a instanceof List<?>);
        assertThat(storedTimes).as("every call reported new exactly once").hasSize(400)
                .allSatisfy((id, times) -> assertThat(times.get()).as(id).isEqualTo(1));
        assertThat(rows("tracking_inbox", "message_id", "msg-%")).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT message_id) FROM " + schema.table("tracking_inbox"),
                Long.class)).isEqualTo(400);
        // each request's new calls keep its order in the inbox (seq follows the order they were sent)
        for (Object answer : answers) {
            @SuppressWarnings("unchecked") List<String> stored = (List<String>) answer;
            if (stored.size() > 1) {
                List<String> bySeq = jdbc.queryForList("SELECT message_id FROM " + schema.table("tracking_inbox")
                        + " WHERE message_id IN (" + String.join(", ", stored.stream().map(s -> "?").toList())
                        + ") ORDER BY seq", String.class, stored.toArray());
                assertThat(bySeq).isEqualTo(stored);
            }
        }
    }

    @Test
    void aCallAnotherInstanceHoldsUncommittedLongerThanTheLockTimeoutIsStoredOnceAfterIt() throws Exception {
        TrackingInbox inbox = trackingInbox();
        // another instance's transaction inserted held-1 and commits 2.5 s later: past H2's lock timeout (2 s), which
        // H2 reports as a query timeout; PostgreSQL and MariaDB wait for it
        try (Connection other = pool().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO " + schema.table("tracking_inbox")
                    + " (message_id, call_type, user_key, received_at, body, attempts) VALUES (?, ?, ?, ?, ?, 0)")) {
                insert.setString(1, "held-1");
                insert.setString(2, "track");
                insert.setString(3, "u:other");
                insert.setLong(4, 1L);
                insert.setString(5, "{\"from\":\"other\"}");
                insert.executeUpdate();
            }
            Future<List<TrackingCall>> storing = senders.submit(() -> inbox.store(List.of(call("held-1"),
                    call("held-2"))));
            Thread.sleep(2500);
            other.commit();

            assertThat(storing.get()).as("only the call the other instance did not store")
                    .extracting(TrackingCall::messageId).containsExactly("held-2");
        }
        assertThat(rows("tracking_inbox", "message_id", "held-%")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT body FROM " + schema.table("tracking_inbox")
                + " WHERE message_id = 'held-1'", String.class)).isEqualTo("{\"from\":\"other\"}");
    }

    @Test
    void aBatchOfManyCallsIsStoredInTheOrderSentAcrossSeveralStatements() {
        TrackingInbox inbox = trackingInbox();
        List<TrackingCall> calls = new ArrayList<>();
        for (int n = 0; n < 150; n++) {
            calls.add(call("big-" + (149 - n)));
        }
        inbox.store(calls.subList(0, 3));
        // 147 new calls after 3 already stored: rows of several statement sizes, numbered as they came
        assertThat(inbox.store(calls)).extracting(TrackingCall::messageId)
                .isEqualTo(calls.subList(3, 150).stream().map(TrackingCall::messageId).toList());
        assertThat(jdbc.queryForList("SELECT message_id FROM " + schema.table("tracking_inbox")
                + " WHERE message_id LIKE 'big-%' ORDER BY seq", String.class))
                .isEqualTo(calls.stream().map(TrackingCall::messageId).toList());
    }

    @Test
    void aNotificationTheTableRefusesFailsAloneAndTheOthersAreStored() throws Exception {
        WebhookInbox inbox = webhookInbox();
        String tooLong = "x".repeat(300); // topic is VARCHAR(255)
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            String id = "ok-" + n;
            tasks.add(() -> inbox.store(notification(id)));
            if (n % 50 == 0) {
                tasks.add(() -> inbox.store(new Notification("bad-" + id, tooLong, 1L, "{}")));
            }
        }

        List<Object> answers = concurrently(tasks);

        assertThat(answers.stream().filter(a -> a instanceof DataAccessException)).as("only the refused ones")
                .hasSize(4);
        assertThat(answers.stream().filter(Boolean.TRUE::equals)).hasSize(200);
        assertThat(rows("webhook_inbox", "notification_id", "ok-%")).isEqualTo(200);
        assertThat(rows("webhook_inbox", "notification_id", "bad-%")).isZero();
    }

    @Test
    void anUnwritableInboxFailsTheWaitingRequestsStoresNothingAndRecovers() throws Exception {
        WebhookInbox webhooks = webhookInbox();
        TrackingInbox tracking = trackingInbox();
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            String id = "down-" + n;
            tasks.add(() -> webhooks.store(notification(id)));
            tasks.add(() -> tracking.store(List.of(call(id), call(id + "-b"))));
        }
        jdbc.execute(target.rename.formatted(schemaName, "webhook_inbox", "webhook_inbox_away"));
        jdbc.execute(target.rename.formatted(schemaName, "tracking_inbox", "tracking_inbox_away"));
        List<Object> whileAway;
        try {
            whileAway = concurrently(tasks);
        } finally {
            jdbc.execute(target.rename.formatted(schemaName, "webhook_inbox_away", "webhook_inbox"));
            jdbc.execute(target.rename.formatted(schemaName, "tracking_inbox_away", "tracking_inbox"));
        }
        assertThat(whileAway).as("every request failed").hasSize(200).allMatch(a -> a instanceof DataAccessException);
        assertThat(rows("webhook_inbox", "notification_id", "down-%")).isZero();
        assertThat(rows("tracking_inbox", "message_id", "down-%")).isZero();

        // the senders retry once the database is back: everything is stored, once
        List<Object> retried = concurrently(tasks);
        assertThat(retried).filteredOn(a -> a instanceof Boolean).hasSize(100).allMatch(Boolean.TRUE::equals);
        assertThat(retried).filteredOn(a -> a instanceof List<?>).hasSize(100)
                .allSatisfy(a -> assertThat((List<?>) a).hasSize(2));
        assertThat(rows("webhook_inbox", "notification_id", "down-%")).isEqualTo(100);
        assertThat(rows("tracking_inbox", "message_id", "down-%")).isEqualTo(200);
    }

    @Test
    void closingAnswersEveryQueuedRequestAndRefusesLaterOnes() throws Exception {
        WebhookInbox inbox = webhookInbox();
        List<Future<Object>> sent = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            String id = "close-" + n;
            sent.add(senders.submit(() -> {
                try {
                    return inbox.store(notification(id));
                } catch (DataAccessException e) {
                    return e;
                }
            }));
        }
        inbox.close();

        // each request was either committed (and is there) or refused as the inbox closed (and is not)
        Function<Integer, Object> answer = n -> {
            try {
                return sent.get(n).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        for (int n = 0; n < 300; n++) {
            Object a = answer.apply(n);
            long stored = rows("webhook_inbox", "notification_id", "close-" + n);
            if (Boolean.TRUE.equals(a)) {
                assertThat(stored).as("close-" + n).isEqualTo(1);
            } else {
                assertThat(a).as("close-" + n).isInstanceOf(DataAccessException.class);
                assertThat(stored).as("close-" + n).isZero();
            }
        }
        assertThatThrownBy(() -> inbox.store(notification("after-close"))).isInstanceOf(DataAccessException.class);
        assertThat(rows("webhook_inbox", "notification_id", "after-close")).isZero();
    }
}
