package org.intercomhub.warehouse;

/** A database error while writing the warehouse; the cause is the driver's {@link java.sql.SQLException}. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
