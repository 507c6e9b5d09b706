package org.intercomhub.warehouse;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code warehouse:} settings. application.yaml hands url, user, password and pool-size to spring.datasource.
 *
 * @param url               JDBC URL: jdbc:postgresql://..., jdbc:mariadb://... or jdbc:h2:... (WAREHOUSE_URL);
 *                          required, checked at start-up (the demo profile sets an H2 file under ./data)
 * @param user              (WAREHOUSE_USER)
 * @param password          (WAREHOUSE_PASSWORD)
 * @param schema            schema (MariaDB: database) of the collection tables (WAREHOUSE_SCHEMA)
 * @param bookkeepingSchema schema of the hub's own tables (WAREHOUSE_BOOKKEEPING_SCHEMA)
 * @param poolSize          JDBC connection pool size (WAREHOUSE_POOL_SIZE)
 */
@Validated
@ConfigurationProperties("warehouse")
public record WarehouseProperties(
        String url,
        String user,
        String password,
        @NotBlank @DefaultValue("intercom") String schema,
        @NotBlank @DefaultValue("intercom_hub") String bookkeepingSchema,
        @Min(1) @DefaultValue("8") int poolSize) {

    /** An empty value is no value. */
    public WarehouseProperties {
        url = url == null || url.isBlank() ? null : url.trim();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "WarehouseProperties[url=" + url + ", user=" + user + ", schema=" + schema + ", bookkeepingSchema="
                + bookkeepingSchema + ", poolSize=" + poolSize + "]";
    }
}
