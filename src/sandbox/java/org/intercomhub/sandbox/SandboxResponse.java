package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/** A rendered answer: status and JSON bytes. Bodies are streamed through Jackson's generator into one buffer. */
record SandboxResponse(int status, byte[] body) {

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static SandboxResponse json(int status, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = SandboxWorkspace.MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SandboxResponse(status, out.toByteArray());
    }

    static SandboxResponse ok(Body body) {
        return json(200, body);
    }

    /** Intercom's error envelope: {@code {"type":"error.list","request_id":..,"errors":[{code,message}]}}. */
    static SandboxResponse error(int status, String code, String message) {
        return json(status, g -> {
            g.writeStartObject();
            g.writeStringField("type", "error.list");
            g.writeStringField("request_id", UUID.randomUUID().toString());
            g.writeArrayFieldStart("errors");
            g.writeStartObject();
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Page-number pagination object; next is the absolute URL of the next page or null (Intercom's pages_link). */
    static void writePageLinks(JsonGenerator g, SandboxRequest req, int page, int perPage, int totalPages) throws IOException {
        g.writeObjectFieldStart("pages");
        g.writeStringField("type", "pages");
        if (page < totalPages) {
            g.writeStringField("next", req.urlForPage(page + 1, perPage));
        } else {
            g.writeNullField("next");
        }
        g.writeNumberField("page", page);
        g.writeNumberField("per_page", perPage);
        g.writeNumberField("total_pages", totalPages);
        g.writeEndObject();
    }

    /** Writes one item of a listing, by its index in the workspace's table. */
    interface ItemWriter {
        void write(JsonGenerator g, int index) throws IOException;
    }

    /** A cursor-paginated listing: {@code {type, <itemsField>: [...], total_count, pages}}. */
    static SandboxResponse cursorList(String type, String itemsField, CursorPager.Page page, int perPage,
                                      ItemWriter writer) {
        return ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeArrayFieldStart(itemsField);
            for (int i : page.indexes()) {
                writer.write(g, i);
            }
            g.writeEndArray();
            g.writeNumberField("total_count", page.total());
            writeCursorPages(g, page, perPage);
            g.writeEndObject();
        });
    }

    /** Cursor pagination object; no next on the last page. */
    static void writeCursorPages(JsonGenerator g, CursorPager.Page page, int perPage) throws IOException {
        g.writeObjectFieldStart("pages");
        g.writeStringField("type", "pages");
        g.writeNumberField("page", page.pageNumber());
        g.writeNumberField("per_page", perPage);
        g.writeNumberField("total_pages", page.totalPages());
        if (page.nextCursor() != null) {
            g.writeObjectFieldStart("next");
            g.writeNumberField("per_page", perPage);
            g.writeStringField("starting_after", page.nextCursor());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
