package org.intercomhub.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GET /companies/scroll, GET /companies, POST /companies/list, GET /companies/{id}[/segments]; the writes:
 * POST /companies (create or update by company_id), PUT and DELETE /companies/{id}.
 */
final class CompanyEndpoints {

    /** /companies/list (and GET /companies) reach at most this many companies; beyond, use the scroll. */
    static final int LIST_CAP = 10_000;
    static final String SCROLL_FAILURE = "Request failed due to an internal network error. Please restart the scroll operation.";

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final CompanyGenerator gen;
    private final CompanyScroll scroll;
    private final SandboxFaults faults;

    CompanyEndpoints(SandboxWorkspace ws, CompanyScroll scroll, SandboxFaults faults) {
        this.ws = ws;
        this.table = ws.companiesTable();
        this.gen = ws.companyGenerator();
        this.scroll = scroll;
        this.faults = faults;
    }

    SandboxResponse route(SandboxRequest req, String[] seg) {
        String method = req.method();
        if (seg.length == 1 && method.equals("GET")) {
            if (req.param("company_id") != null || req.param("name") != null) {
                return findOne(req);
            }
            return list(req);
        }
        if (seg.length == 2 && seg[1].equals("list") && method.equals("POST")) {
            return list(req);
        }
        if (seg.length == 2 && seg[1].equals("scroll") && method.equals("GET")) {
            return scroll(req);
        }
        if ((seg.length == 1 && method.equals("POST")) || (seg.length == 2 && (method.equals("PUT") || method.equals("DELETE")))) {
            return write(req, seg);
        }
        if (method.equals("GET") && (seg.length == 2 || (seg.length == 3 && seg[2].equals("segments")))) {
            int c = SandboxIds.companyIndex(seg[1]);
            ws.readLock().lock();
            try {
                if (!table.exists(c)) {
                    throw ApiException.notFound("company_not_found", "Company Not Found");
                }
                if (seg.length == 2) {
                    return SandboxResponse.ok(g -> gen.write(g, c));
                }
                int[] segments = gen.segmentsOf(c);
                return SandboxResponse.ok(g -> {
                    g.writeStartObject();
                    g.writeStringField("type", "list");
                    g.writeArrayFieldStart("data");
                    for (int s : segments) {
                        ws.referenceData().writeSegment(g, s, false, 0);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                });
            } finally {
                ws.readLock().unlock();
            }
        }
        return null;
    }

    private SandboxResponse findOne(SandboxRequest req) {
        String companyId = req.param("company_id");
        String name = req.param("name");
        ws.readLock().lock();
        try {
            for (int c = 0; c < table.size(); c++) {
                if (table.exists(c) && (companyId != null ? companyId.equals(gen.companyId(c)) : name.equals(gen.name(c)))) {
                    int found = c;
                    return SandboxResponse.ok(g -> gen.write(g, found));
                }
            }
            throw ApiException.notFound("company_not_found", "Company Not Found");
        } finally {
            ws.readLock().unlock();
        }
    }

    private SandboxResponse write(SandboxRequest req, String[] seg) {
        SandboxWrites writes = ws.writes();
        ws.writeLock().lock();
        try {
            if (seg.length == 1) {
                int c = writes.upsertCompany(req.json());
                return SandboxResponse.ok(g -> gen.write(g, c));
            }
            int c = SandboxIds.companyIndex(seg[1]);
            if (req.method().equals("PUT")) {
                writes.updateCompany(c, req.json());
                return SandboxResponse.ok(g -> gen.write(g, c));
            }
            writes.deleteCompany(c);
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeStringField("id", seg[1]);
                g.writeStringField("object", "company");
                g.writeBooleanField("deleted", true);
                g.writeEndObject();
            });
        } finally {
            ws.writeLock().unlock();
        }
    }

    /**
     * Page-number list sorted by last_request_at (desc by default). Companies without users are skipped and the
     * list stops at 10,000 companies: both are Intercom's behaviour, and the reason clients must use the scroll.
     */
    private SandboxResponse list(SandboxRequest req) {
        int perPage = req.intParam("per_page", 15, 1, 60);
        int page = req.intParam("page", 1, 1, Integer.MAX_VALUE);
        String order = req.param("order") == null ? "desc" : req.param("order");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.badRequest("parameter_invalid", "order must be asc or desc");
        }
        String tagId = req.param("tag_id");
        String segmentId = req.param("segment_id");
        ws.readLock().lock();
        try {
            List<long[]> rows = new ArrayList<>();
            for (int c = 0; c < table.size(); c++) {
                if (!table.exists(c) || ws.companyUserCount(c) == 0) {
                    continue;
                }
                if (tagId != null && !contains(gen.tagsOf(c), tagId, true)) {
                    continue;
                }
                if (segmentId != null && !contains(gen.segmentsOf(c), segmentId, false)) {
                    continue;
                }
                Long lastRequest = gen.lastRequestAt(c);
                rows.add(new long[] {lastRequest == null ? 0 : lastRequest, c});
            }
            Comparator<long[]> byRequest = Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]);
            rows.sort(order.equals("asc") ? byRequest : byRequest.reversed());
            int total = Math.min(rows.size(), LIST_CAP);
            int totalPages = Math.max(1, (total + perPage - 1) / perPage);
            int from = (int) Math.min(total, (long) (page - 1) * perPage);
            int to = (int) Math.min(total, (long) page * perPage);
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeStringField("type", "list");
                g.writeArrayFieldStart("data");
                for (int k = from; k < to; k++) {
                    gen.write(g, (int) rows.get(k)[1]);
                }
                g.writeEndArray();
                SandboxResponse.writePageLinks(g, req, page, perPage, totalPages);
                g.writeNumberField("total_count", total);
                g.writeEndObject();
            });
        } finally {
            ws.readLock().unlock();
        }
    }

    private static boolean contains(int[] indexes, String id, boolean tags) {
        for (int x : indexes) {
            if ((tags ? SandboxIds.tag(x) : SandboxIds.segment(x)).equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Every live company, userless ones included, in pages of 50 through the app's single scroll. */
    private SandboxResponse scroll(SandboxRequest req) {
        ws.readLock().lock();
        try {
            int[] live = new int[table.liveCount()];
            int n = 0;
            for (int c = 0; c < table.size(); c++) {
                if (table.exists(c)) {
                    live[n++] = c;
                }
            }
            long now = ws.clock().millis();
            CompanyScroll.Step step = scroll.next(req.param("scroll_param"), n, now, faults.scrollStuck());
            if (faults.consumeScrollFailure(step.pageNumber())) {
                scroll.close();
                return SandboxResponse.error(500, "server_error", SCROLL_FAILURE);
            }
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeStringField("type", "list");
                g.writeArrayFieldStart("data");
                for (int k = step.from(); k < step.to(); k++) {
                    gen.write(g, live[k]);
                }
                g.writeEndArray();
                g.writeNullField("pages");
                g.writeNullField("total_count");
                g.writeStringField("scroll_param", step.scrollParam());
                g.writeEndObject();
            });
        } finally {
            ws.readLock().unlock();
        }
    }
}
