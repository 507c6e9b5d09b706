package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.intercomhub.sandbox.SearchQuery.Field;

/**
 * GET /contacts, POST /contacts/search, GET /contacts/{id}[/tags|/companies|/notes]; the writes: POST /contacts,
 * PUT and DELETE /contacts/{id}, POST /contacts/{id}/archive|unarchive, POST /contacts/{id}/companies and
 * DELETE /contacts/{id}/companies/{company_id}, POST /contacts/merge. Search answers through the index lag
 * ({@link SandboxWrites}).
 */
final class ContactEndpoints {

    static final int MAX_PER_PAGE = 150;

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final ContactGenerator gen;
    private final SearchQuery.Fields fields;
    private final SandboxWrites writes;

    ContactEndpoints(SandboxWorkspace ws) {
        this.ws = ws;
        this.table = ws.contactsTable();
        this.gen = ws.contactGenerator();
        this.writes = ws.writes();
        Map<String, Field> m = new LinkedHashMap<>();
        m.put("id", Field.string(SandboxIds::contact));
        m.put("email", Field.string(i -> writes.indexed(i, "email", gen::email)));
        m.put("role", Field.string(i -> writes.indexed(i, "role", gen::role)));
        m.put("name", Field.string(i -> writes.indexed(i, "name", gen::name)));
        m.put("external_id", Field.string(i -> writes.indexed(i, "external_id", gen::externalId)));
        m.put("created_at", Field.date(table::createdAt));
        m.put("updated_at", Field.date(table::updatedAt));
        m.put("signed_up_at", Field.date(i -> writes.indexedTime(i, "signed_up_at", k -> nullable(gen.signedUpAt(k)))));
        m.put("last_seen_at", Field.date(i -> writes.indexedTime(i, "last_seen_at", k -> nullable(gen.lastSeenAt(k)))));
        this.fields = SearchQuery.of(m, writes::indexedCustom);
    }

    private static long nullable(Long v) {
        return v == null ? Long.MIN_VALUE : v;
    }

    SandboxResponse route(SandboxRequest req, String[] seg) {
        String method = req.method();
        if (seg.length == 1 && method.equals("GET")) {
            return list(req);
        }
        if (seg.length == 2 && seg[1].equals("search") && method.equals("POST")) {
            return search(req);
        }
        if (!method.equals("GET")) {
            return write(req, seg);
        }
        if (method.equals("GET") && seg.length >= 2) {
            int i = SandboxIds.contactIndex(seg[1]);
            ws.readLock().lock();
            try {
                if (!table.exists(i)) {
                    throw ApiException.notFound("not_found", "User Not Found");
                }
                if (seg.length == 2) {
                    return SandboxResponse.ok(g -> gen.write(g, i));
                }
                if (seg.length == 3) {
                    switch (seg[2]) {
                        case "tags": return tags(i);
                        case "companies": return companies(req, i);
                        case "notes": return notes(req, i);
                        default: break;
                    }
                }
            } finally {
                ws.readLock().unlock();
            }
        }
        return null;
    }

    /** Cursor list in id order (stable while records change). */
    private SandboxResponse list(SandboxRequest req) {
        int perPage = req.intParam("per_page", 50, 1, MAX_PER_PAGE);
        return page(i -> true, RecordTable.SortKey.ID, true, perPage, req.param("starting_after"));
    }

    private SandboxResponse search(SandboxRequest req) {
        JsonNode body = req.json();
        RecordTable.SortKey key = RecordTable.SortKey.UPDATED_AT;
        boolean ascending = false;
        JsonNode sort = body.path("sort");
        if (sort.isObject()) {
            String field = sort.path("field").asText("updated_at");
            switch (field) {
                case "updated_at": key = RecordTable.SortKey.UPDATED_AT; break;
                case "created_at": key = RecordTable.SortKey.CREATED_AT; break;
                case "id": key = RecordTable.SortKey.ID; break;
                default: throw ApiException.badRequest("parameter_invalid", "sorting by '" + field + "' is not supported by the sandbox");
            }
            String order = sort.path("order").asText("descending");
            if (order.equals("ascending")) {
                ascending = true;
            } else if (!order.equals("descending")) {
                throw ApiException.badRequest("invalid_sort_order", "Sort order must be ascending or descending");
            }
        }
        JsonNode pagination = body.path("pagination");
        int perPage = pagination.has("per_page")
                ? SandboxRequest.checkedInt("per_page", pagination.get("per_page").asText(), 1, MAX_PER_PAGE) : 50;
        String startingAfter = pagination.path("starting_after").isTextual() ? pagination.get("starting_after").asText() : null;
        IntPredicate query = SearchQuery.compile(body.get("query"), fields, SearchQuery.DateSemantics.CALENDAR_DAY,
                ws.config().timezone());
        IntPredicate matches = i -> writes.searchable(i) && query.test(i);
        return page(matches, key, ascending, perPage, startingAfter);
    }

    private SandboxResponse page(IntPredicate matches, RecordTable.SortKey key, boolean ascending, int perPage, String after) {
        ws.readLock().lock();
        try {
            CursorPager.Page page = CursorPager.page(table, key, ascending, matches, perPage, after);
            return SandboxResponse.cursorList("list", "data", page, perPage, gen::write);
        } finally {
            ws.readLock().unlock();
        }
    }

    private SandboxResponse write(SandboxRequest req, String[] seg) {
        String method = req.method();
        ws.writeLock().lock();
        try {
            if (seg.length == 1 && method.equals("POST")) {
                int i = writes.createContact(req.json());
                return SandboxResponse.ok(g -> gen.write(g, i));
            }
            if (seg.length < 2) {
                return null;
            }
            if (seg.length == 2 && method.equals("POST") && seg[1].equals("merge")) {
                int into = writes.merge(req.json());
                return SandboxResponse.ok(g -> gen.write(g, into));
            }
            int i = SandboxIds.contactIndex(seg[1]);
            if (seg.length == 2 && method.equals("PUT")) {
                writes.updateContact(i, req.json());
                return SandboxResponse.ok(g -> gen.write(g, i));
            }
            if (seg.length == 2 && method.equals("DELETE")) {
                String externalId = table.present(i) ? gen.externalId(i) : null;
                writes.deleteContact(i);
                return reference(seg[1], externalId, "deleted", true);
            }
            if (seg.length == 3 && method.equals("POST") && (seg[2].equals("archive") || seg[2].equals("unarchive"))) {
                boolean archive = seg[2].equals("archive");
                writes.archiveContact(i, archive);
                return reference(seg[1], gen.externalId(i), "archived", archive);
            }
            if (seg.length == 3 && method.equals("POST") && seg[2].equals("companies")) {
                int c = writes.attach(i, req.json());
                return SandboxResponse.ok(g -> ws.companyGenerator().write(g, c));
            }
            if (seg.length == 4 && method.equals("DELETE") && seg[2].equals("companies")) {
                int c = writes.detach(i, seg[3]);
                return SandboxResponse.ok(g -> ws.companyGenerator().write(g, c));
            }
            return null;
        } finally {
            ws.writeLock().unlock();
        }
    }

    /** {@code contact_archived}, {@code contact_unarchived}, {@code contact_deleted}: a contact reference plus a flag. */
    private static SandboxResponse reference(String id, String externalId, String flag, boolean value) {
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "contact");
            g.writeStringField("id", id);
            Json.stringOrNull(g, "external_id", externalId);
            g.writeBooleanField(flag, value);
            g.writeEndObject();
        });
    }

    private SandboxResponse tags(int i) {
        int[] tags = gen.tagsOf(i);
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "list");
            g.writeArrayFieldStart("data");
            for (int t : tags) {
                gen.writeAppliedTag(g, i, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private SandboxResponse companies(SandboxRequest req, int i) {
        int[] companies = gen.companiesOf(i);
        int perPage = req.intParam("per_page", 50, 1, MAX_PER_PAGE);
        int page = req.intParam("page", 1, 1, Integer.MAX_VALUE);
        int totalPages = Math.max(1, (companies.length + perPage - 1) / perPage);
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "list");
            g.writeArrayFieldStart("data");
            for (int k = (page - 1) * perPage; k < Math.min(companies.length, page * perPage); k++) {
                ws.companyGenerator().write(g, companies[k]);
            }
            g.writeEndArray();
            g.writeNumberField("total_count", companies.length);
            SandboxResponse.writePageLinks(g, req, page, perPage, totalPages);
            g.writeEndObject();
        });
    }

    private SandboxResponse notes(SandboxRequest req, int i) {
        int notes = gen.notesCount(i);
        int perPage = req.intParam("per_page", 50, 1, MAX_PER_PAGE);
        int page = req.intParam("page", 1, 1, Integer.MAX_VALUE);
        int totalPages = Math.max(1, (notes + perPage - 1) / perPage);
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "list");
            g.writeArrayFieldStart("data");
            for (int k = (page - 1) * perPage; k < Math.min(notes, page * perPage); k++) {
                gen.writeNote(g, i, k);
            }
            g.writeEndArray();
            g.writeNumberField("total_count", notes);
            SandboxResponse.writePageLinks(g, req, page, perPage, totalPages);
            g.writeEndObject();
        });
    }
}
