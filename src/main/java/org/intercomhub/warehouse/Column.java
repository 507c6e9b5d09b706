package org.intercomhub.warehouse;

/** A column of a statement: its (safe) name and warehouse type, which decides how values are bound. */
public record Column(String name, ColumnType type) {
}
