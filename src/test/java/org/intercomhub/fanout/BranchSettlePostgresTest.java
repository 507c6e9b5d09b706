package org.intercomhub.fanout;

import com.zaxxer.hikari.HikariDataSource;
import org.intercomhub.ItDatabase;
import org.intercomhub.fanout.BranchRunnerH2Test.ScriptedBranch;
import org.intercomhub.sync.BookkeepingSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.intercomhub.fanout.BranchRunnerH2Test.record;

/**
 * Settling a batch is one transaction on the real PostgreSQL server: when the queue cannot be cleared after the
 * dead letters were written (here a trigger refuses the delete, as a lost connection would), the letters go too and
 * the rows stay queued, so no record is both a dead letter and queued (sent again and replayed again).
 */
class BranchSettlePostgresTest {

    final String schemaName = ItDatabase.uniqueSchema("settle");
    final HikariDataSource dataSource = dataSource();
    final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    static HikariDataSource dataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(ItDatabase.POSTGRES.url);
        ds.setUsername(ItDatabase.POSTGRES.user);
        ds.setMaximumPoolSize(2);
        return ds;
    }

    @AfterEach
    void drop() throws Exception {
        dataSource.close();
        ItDatabase.POSTGRES.dropSchemas(schemaName);
    }

    @Test
    void aDeadLetterIsNeverStoredWhileItsRowStaysQueued() {
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, schemaName);
        schema.migrate();
        ScriptedBranch branch = new ScriptedBranch();
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, Clock.systemUTC(), List.of(branch));
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, Clock.systemUTC());
        BranchRunner runner = new BranchRunner(List.of(branch), outbox, deadLetters, new BranchMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new BranchRunner.Policy(10, 3, Duration.ZERO, Duration.ZERO), Clock.systemUTC());
        outbox.enqueued(List.of(record("a"), record("b")));
        branch.answer.set(Outcome.dead("HTTP 400 refused"));
        jdbc.execute("CREATE FUNCTION " + schemaName + ".refuse() RETURNS trigger AS $$ BEGIN "
                + "RAISE EXCEPTION 'queue unavailable'; END $$ LANGUAGE plpgsql");
        jdbc.execute("CREATE TRIGGER refuse_delete BEFORE DELETE ON " + schemaName + ".branch_outbox "
                + "FOR EACH ROW EXECUTE FUNCTION " + schemaName + ".refuse()");

        assertThatThrownBy(() -> runner.drain("scripted")).hasMessageContaining("queue unavailable");
        assertThat(deadLetters.count("scripted")).isZero();
        assertThat(outbox.backlog("scripted").get("waiting")).isEqualTo(2);

        jdbc.execute("DROP TRIGGER refuse_delete ON " + schemaName + ".branch_outbox");
        assertThat(runner.drain("scripted")).isEqualTo(2);
        assertThat(deadLetters.count("scripted")).isEqualTo(2);
        assertThat(outbox.backlog("scripted").get("waiting")).isZero();
    }
}
