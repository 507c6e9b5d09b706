package org.intercomhub.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

    @Test
    void lowerCasesAndReplacesUnsafeCharacters() {
        assertThat(Identifiers.sanitize("Plan Type")).isEqualTo("plan_type");
        assertThat(Identifiers.sanitize("custom_x\"; DROP TABLE contacts; --")).isEqualTo("custom_x_drop_table_contacts");
        assertThat(Identifiers.sanitize("a`b]c'd")).isEqualTo("a_b_c_d");
        assertThat(Identifiers.sanitize("__a___b__")).isEqualTo("a_b");
        assertThat(Identifiers.sanitize("Größe")).isEqualTo("gr_e");
    }

    @Test
    void prefixesLeadingDigitAndNamesTheEmpty() {
        assertThat(Identifiers.sanitize("1st_visit")).isEqualTo("_1st_visit");
        assertThat(Identifiers.sanitize("")).isEqualTo("_");
        assertThat(Identifiers.sanitize("!!!")).isEqualTo("_");
        assertThat(Identifiers.sanitize(null)).isEqualTo("_");
    }

    @Test
    void truncatesLongNamesKeepingThemDistinct() {
        String base = "custom_" + "very_long_attribute_name_".repeat(4);
        String first = Identifiers.sanitize(base + "one");
        String second = Identifiers.sanitize(base + "two");

        assertThat(first).hasSizeLessThanOrEqualTo(Identifiers.MAX_LENGTH).matches("[a-z0-9_]+");
        assertThat(second).hasSizeLessThanOrEqualTo(Identifiers.MAX_LENGTH);
        assertThat(first).isNotEqualTo(second);
        assertThat(Identifiers.sanitize(first)).isEqualTo(first);
    }

    @Test
    void isIdempotent() {
        for (String name : new String[]{"Plan Type", "1st", "x\"; DROP TABLE t; --", "a".repeat(100), "_"}) {
            String once = Identifiers.sanitize(name);
            assertThat(Identifiers.sanitize(once)).as(name).isEqualTo(once);
        }
    }
}
