package org.intercomhub.warehouse;

/** The warehouse column types; each dialect maps them to its own SQL types. */
public enum ColumnType {
    TEXT, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON
}
