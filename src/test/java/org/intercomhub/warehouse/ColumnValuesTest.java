package org.intercomhub.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnValuesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void infersTypesFromJavaValues() {
        assertThat(ColumnValues.inferType("x")).isEqualTo(ColumnType.TEXT);
        assertThat(ColumnValues.inferType(1L)).isEqualTo(ColumnType.BIGINT);
        assertThat(ColumnValues.inferType(1)).isEqualTo(ColumnType.BIGINT);
        assertThat(ColumnValues.inferType(1.5)).isEqualTo(ColumnType.DOUBLE);
        assertThat(ColumnValues.inferType(1.5f)).isEqualTo(ColumnType.DOUBLE);
        assertThat(ColumnValues.inferType(BigDecimal.ONE)).isEqualTo(ColumnType.DOUBLE);
        assertThat(ColumnValues.inferType(true)).isEqualTo(ColumnType.BOOLEAN);
        assertThat(ColumnValues.inferType(Instant.EPOCH)).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(ColumnValues.inferType(JSON.objectNode())).isEqualTo(ColumnType.JSON);
        assertThat(ColumnValues.inferType(null)).isNull();
        assertThat(ColumnValues.inferType(JSON.nullNode())).isNull();
    }

    @Test
    void convertsToTheColumnTypeWhereSensible() throws Exception {
        assertThat(ColumnValues.convert(1_700_000_000L, ColumnType.TIMESTAMP))
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(ColumnValues.convert(7, ColumnType.BIGINT)).isEqualTo(7L);
        assertThat(ColumnValues.convert(7, ColumnType.TEXT)).isEqualTo("7");
        assertThat(ColumnValues.convert(2.5, ColumnType.TEXT)).isEqualTo("2.5");
        assertThat(ColumnValues.convert(JSON.objectNode().put("a", 1), ColumnType.TEXT)).isEqualTo("{\"a\":1}");
        assertThat(ColumnValues.convert(JSON.textNode("hi"), ColumnType.TEXT)).isEqualTo("hi");
        assertThat(ColumnValues.convert(JSON.numberNode(42), ColumnType.BIGINT)).isEqualTo(42L);
        assertThat(ColumnValues.convert(JSON.numberNode(1_700_000_000L), ColumnType.TIMESTAMP))
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(ColumnValues.convert(JSON.booleanNode(true), ColumnType.BOOLEAN)).isEqualTo(true);
        assertThat(ColumnValues.convert("x", ColumnType.JSON)).isEqualTo("\"x\"");
        assertThat(new ObjectMapper().readTree((String) ColumnValues.convert(Map.of("k", 1), ColumnType.JSON)))
                .isEqualTo(JSON.objectNode().put("k", 1));
    }

    @Test
    void valuesThatDoNotFitBecomeNull() {
        assertThat(ColumnValues.convert("abc", ColumnType.BIGINT)).isNull();
        assertThat(ColumnValues.convert(1.5, ColumnType.BIGINT)).isNull();
        assertThat(ColumnValues.convert(JSON.objectNode(), ColumnType.BIGINT)).isNull();
        assertThat(ColumnValues.convert("maybe", ColumnType.BOOLEAN)).isNull();
        assertThat(ColumnValues.convert(Double.NaN, ColumnType.DOUBLE)).isNull();
        assertThat(ColumnValues.convert("not a date", ColumnType.TIMESTAMP)).isNull();
        assertThat(ColumnValues.convert(JSON.nullNode(), ColumnType.JSON)).isNull();
    }
}
