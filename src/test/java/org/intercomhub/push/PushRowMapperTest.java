package org.intercomhub.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How model rows become Intercom bodies, and which sync declarations start-up refuses. */
class PushRowMapperTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static PushDefinition sync(String object, String match, String mode, String... more) {
        Map<String, Object> parameters = new HashMap<>(Map.of("sync", "s", "object", object, "match", match,
                "mode", mode, "query", "SELECT 1"));
        for (int i = 0; i < more.length; i += 2) {
            parameters.put(more[i], more[i + 1]);
        }
        return PushDefinition.of(parameters);
    }

    static Map<String, Object> row(Object... columns) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            row.put((String) columns[i], columns[i + 1]);
        }
        return row;
    }

    @Test
    void standardFieldsMapAnyCaseOtherColumnsAreCustomAttributesAndCompanyIdAttaches() {
        PushRow row = new PushRowMapper(sync("user", "email", "upsert"), JSON).map(row(
                "EMAIL", "a@example.com", "NAME", "Ann", "signed_up_at", Timestamp.valueOf("2024-01-02 03:04:05"),
                "plan_Tier", "gold", "seats", 12, "company_id", "co-1", "nothing", null));
        assertThat(row.isRejected()).isFalse();
        assertThat(row.key()).isEqualTo("a@example.com");
        assertThat(row.companyId()).isEqualTo("co-1");
        assertThat(row.body().toString()).isEqualTo("{\"email\":\"a@example.com\",\"name\":\"Ann\","
                + "\"signed_up_at\":1704164645,\"role\":\"user\",\"custom_attributes\":{\"plan_Tier\":\"gold\","
                + "\"seats\":12}}");
        assertThat(row.attributes()).containsExactly(Map.entry("plan_Tier", "string"), Map.entry("seats", "integer"));
    }

    @Test
    void nullsLeaveFieldsAloneUnlessSyncNullsClearsThem() {
        Map<String, Object> columns = row("external_id", "x1", "name", null, "plan", null);
        assertThat(new PushRowMapper(sync("lead", "external_id", "upsert"), JSON).map(columns).body().toString())
                .isEqualTo("{\"external_id\":\"x1\",\"role\":\"lead\"}");
        assertThat(new PushRowMapper(sync("lead", "external_id", "upsert", "sync-nulls", "true"), JSON).map(columns)
                .body().toString()).isEqualTo("{\"external_id\":\"x1\",\"name\":null,\"role\":\"lead\","
                + "\"custom_attributes\":{\"plan\":null}}");
    }

    @Test
    void timestampsOfEverySqlTypeBecomeEpochSeconds() {
        long expected = 1704164645L; // 2024-01-02T03:04:05Z
        assertThat(PushRowMapper.epochSeconds("t", Timestamp.valueOf("2024-01-02 03:04:05"))).isEqualTo(expected);
        assertThat(PushRowMapper.epochSeconds("t", LocalDateTime.of(2024, 1, 2, 3, 4, 5))).isEqualTo(expected);
        assertThat(PushRowMapper.epochSeconds("t", OffsetDateTime.parse("2024-01-02T04:04:05+01:00")))
                .isEqualTo(expected);
        assertThat(PushRowMapper.epochSeconds("t", "2024-01-02 03:04:05")).isEqualTo(expected);
        assertThat(PushRowMapper.epochSeconds("t", "2024-01-02T03:04:05Z")).isEqualTo(expected);
        assertThat(PushRowMapper.epochSeconds("t", LocalDate.of(2024, 1, 2))).isEqualTo(1704153600L);
        assertThat(PushRowMapper.epochSeconds("t", java.sql.Date.valueOf("2024-01-02"))).isEqualTo(1704153600L);
        assertThat(PushRowMapper.epochSeconds("t", expected)).isEqualTo(expected);
    }

    @Test
    void aRowWithoutItsMatchValueOrWithAnUnreadableTimeIsRejectedSayingWhy() {
        PushRowMapper mapper = new PushRowMapper(sync("user", "external_id", "upsert"), JSON);
        assertThat(mapper.map(row("email", "a@example.com")).rejection())
                .isEqualTo("the model has no external_id column to match on");
        assertThat(mapper.map(row("external_id", " ")).rejection()).isEqualTo("the external_id column is empty");
        assertThat(mapper.map(row("external_id", "x", "signed_up_at", "yesterday")).rejection())
                .isEqualTo("signed_up_at 'yesterday' is not a timestamp");
    }

    @Test
    void eventsTakeMetadataColumnsAndAtMostTenKeys() {
        PushRowMapper mapper = new PushRowMapper(sync("event", "event_id", "send"), JSON);
        PushRow event = mapper.map(row("event_id", "e1", "event_name", "ordered",
                "created_at", Timestamp.valueOf("2024-01-02 03:04:05"), "intercom_user_id", "abc",
                "metadata_amount", new BigDecimal("12.50"), "metadata_sku", "X-1"));
        assertThat(event.body().toString()).isEqualTo("{\"event_name\":\"ordered\",\"created_at\":1704164645,"
                + "\"id\":\"abc\",\"metadata\":{\"amount\":12.5,\"sku\":\"X-1\"}}");
        // the hash names the event only: a changed row is not sent again
        assertThat(mapper.map(row("event_id", "e1", "event_name", "other", "created_at", 1L, "email", "a@b.c"))
                .hash()).isEqualTo(event.hash());

        Map<String, Object> eleven = row("event_id", "e2", "event_name", "n", "created_at", 1L, "email", "a@b.c");
        for (int i = 0; i < 11; i++) {
            eleven.put("metadata_k" + i, i);
        }
        assertThat(mapper.map(eleven).rejection()).contains("11 metadata keys").contains("k10")
                .contains("at most 10");
        assertThat(mapper.map(row("event_id", "e3", "event_name", "n", "created_at", 1L)).rejection())
                .contains("names no contact");
        assertThat(mapper.map(row("event_id", "e4", "event_name", "n", "created_at", 1L, "email", "a@b.c",
                "colour", "red")).rejection()).contains("colour");
    }

    @Test
    void aChangedSyncDefinitionChangesEveryRowsHash() {
        Map<String, Object> columns = row("email", "a@example.com", "name", "Ann");
        assertThat(new PushRowMapper(sync("user", "email", "upsert"), JSON).map(columns).hash())
                .isNotEqualTo(new PushRowMapper(sync("user", "email", "upsert", "sync-nulls", "true"), JSON)
                        .map(columns).hash());
    }

    @Test
    void declarationsThatDoNotFitTheObjectAreRefusedNamingTheAllowedValues() {
        assertThatThrownBy(() -> sync("company", "email", "upsert")).isInstanceOf(InvalidSettingException.class)
                .hasMessage("push sync s: match 'email' is not allowed; allowed: company_id");
        assertThatThrownBy(() -> sync("company", "company_id", "archive"))
                .hasMessage("push sync s: mode 'archive' is not allowed; allowed: upsert, update_only, delete");
        assertThatThrownBy(() -> sync("event", "event_id", "send", "missing", "delete"))
                .hasMessage("push sync s: missing 'delete' is not allowed; allowed: keep");
        assertThatThrownBy(() -> sync("user", "email", "upsert", "sync-nulls", "yes"))
                .hasMessage("push sync s: sync-nulls 'yes' is not allowed; allowed: true, false");
        assertThat(sync("contact", "external_id", "update-only").mode()).isEqualTo(PushDefinition.Mode.UPDATE_ONLY);
    }
}
