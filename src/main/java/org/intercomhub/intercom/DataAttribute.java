package org.intercomhub.intercom;

/**
 * One of Intercom's data attributes as {@code GET /data_attributes} lists it.
 *
 * @param id       Intercom's id (null for standard attributes)
 * @param model    {@code contact} or {@code company}
 * @param name     the name written under {@code custom_attributes} (custom) or as a top-level field (standard)
 * @param dataType {@code string}, {@code integer}, {@code float}, {@code boolean}, {@code date}, ...
 */
public record DataAttribute(String id, String model, String name, String dataType, boolean custom, boolean archived,
                            boolean apiWritable) {
}
