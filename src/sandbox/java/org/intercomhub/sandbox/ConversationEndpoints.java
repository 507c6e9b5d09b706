package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.intercomhub.sandbox.SearchQuery.Field;

/**
 * GET /conversations, POST /conversations/search, GET /conversations/{id}, GET /conversations/deleted,
 * POST /tickets/search, GET /tickets/{id}. Lists and searches are in id order, which stays stable while
 * records change; their items carry no conversation parts.
 */
final class ConversationEndpoints {

    static final int MAX_PER_PAGE = 150;
    static final int MAX_DELETED_PER_PAGE = 60;

    private final SandboxWorkspace ws;
    private final RecordTable conversations;
    private final RecordTable tickets;
    private final ConversationGenerator gen;
    private final TicketGenerator ticketGen;
    private final SearchQuery.Fields conversationFields;
    private final SearchQuery.Fields ticketFields;

    ConversationEndpoints(SandboxWorkspace ws) {
        this.ws = ws;
        this.conversations = ws.conversationsTable();
        this.tickets = ws.ticketsTable();
        this.gen = ws.conversationGenerator();
        this.ticketGen = ws.ticketGenerator();
        Map<String, Field> c = new LinkedHashMap<>();
        c.put("id", Field.string(SandboxIds::conversation));
        c.put("created_at", Field.date(conversations::createdAt));
        c.put("updated_at", Field.date(conversations::updatedAt));
        c.put("state", Field.string(gen::state));
        c.put("open", Field.bool(i -> "open".equals(gen.state(i))));
        c.put("read", Field.bool(gen::read));
        c.put("priority", Field.string(gen::priority));
        c.put("admin_assignee_id", Field.number(gen::adminAssigneeId));
        c.put("team_assignee_id", Field.number(gen::teamAssigneeId));
        c.put("contact_ids", Field.string(i -> SandboxIds.contact(gen.contactIndex(i))));
        this.conversationFields = SearchQuery.of(c, null);
        Map<String, Field> t = new LinkedHashMap<>();
        t.put("id", Field.string(SandboxIds::ticket));
        t.put("created_at", Field.date(tickets::createdAt));
        t.put("updated_at", Field.date(tickets::updatedAt));
        t.put("open", Field.bool(ticketGen::open));
        t.put("state", Field.string(ticketGen::stateCategory));
        t.put("category", Field.string(ticketGen::category));
        this.ticketFields = SearchQuery.of(t, null);
    }

    SandboxResponse routeConversations(SandboxRequest req, String[] seg) {
        String method = req.method();
        if (seg.length == 1 && method.equals("GET")) {
            int perPage = req.intParam("per_page", 20, 1, MAX_PER_PAGE);
            return page(conversations, "conversation.list", "conversations", i -> true, perPage,
                    req.param("starting_after"), (g, i) -> gen.write(g, i, false));
        }
        if (seg.length == 2 && seg[1].equals("search") && method.equals("POST")) {
            return search(req, conversations, conversationFields, "conversation.list", "conversations",
                    (g, i) -> gen.write(g, i, false));
        }
        if (seg.length == 2 && seg[1].equals("deleted") && method.equals("GET")) {
            return deleted(req);
        }
        if (seg.length == 2 && method.equals("GET")) {
            int i = SandboxIds.conversationIndex(seg[1]);
            ws.readLock().lock();
            try {
                if (!conversations.exists(i)) {
                    throw ApiException.notFound("not_found", "Resource Not Found");
                }
                return SandboxResponse.ok(g -> gen.write(g, i, true));
            } finally {
                ws.readLock().unlock();
            }
        }
        return null;
    }

    SandboxResponse routeTickets(SandboxRequest req, String[] seg) {
        if (seg.length == 2 && seg[1].equals("search") && req.method().equals("POST")) {
            return search(req, tickets, ticketFields, "ticket.list", "tickets", ticketGen::write);
        }
        if (seg.length == 2 && req.method().equals("GET")) {
            int i = SandboxIds.ticketIndex(seg[1]);
            ws.readLock().lock();
            try {
                if (!tickets.exists(i)) {
                    throw ApiException.notFound("not_found", "Resource Not Found");
                }
                return SandboxResponse.ok(g -> ticketGen.write(g, i));
            } finally {
                ws.readLock().unlock();
            }
        }
        return null;
    }

    /** Conversation/ticket search: dates compare to the exact second, {@code >} and {@code <} include the bound. */
    private SandboxResponse search(SandboxRequest req, RecordTable table, SearchQuery.Fields fields, String type,
                                   String itemsField, SandboxResponse.ItemWriter writer) {
        JsonNode body = req.json();
        JsonNode pagination = body.path("pagination");
        int perPage = pagination.has("per_page")
                ? SandboxRequest.checkedInt("per_page", pagination.get("per_page").asText(), 1, MAX_PER_PAGE) : 20;
        String after = pagination.path("starting_after").isTextual() ? pagination.get("starting_after").asText() : null;
        IntPredicate matches = SearchQuery.compile(body.get("query"), fields, SearchQuery.DateSemantics.EXACT_SECOND,
                ws.config().timezone());
        return page(table, type, itemsField, matches, perPage, after, writer);
    }

    private SandboxResponse page(RecordTable table, String type, String itemsField, IntPredicate matches, int perPage,
                                 String after, SandboxResponse.ItemWriter writer) {
        ws.readLock().lock();
        try {
            CursorPager.Page page = CursorPager.page(table, RecordTable.SortKey.ID, true, matches, perPage, after);
            return SandboxResponse.cursorList(type, itemsField, page, perPage, writer);
        } finally {
            ws.readLock().unlock();
        }
    }

    /** Deleted conversation ids, newest deletion first unless order=asc; page-number paging, at most 60 per page. */
    private SandboxResponse deleted(SandboxRequest req) {
        int perPage = req.intParam("per_page", 20, 1, MAX_DELETED_PER_PAGE);
        int page = req.intParam("page", 1, 1, Integer.MAX_VALUE);
        String order = req.param("order") == null ? "desc" : req.param("order");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.badRequest("parameter_invalid", "order must be asc or desc");
        }
        ws.readLock().lock();
        try {
            List<Map.Entry<Integer, Long>> rows = new ArrayList<>(conversations.deletions().entrySet());
            if (order.equals("desc")) {
                java.util.Collections.reverse(rows);
            }
            int total = rows.size();
            int totalPages = Math.max(1, (total + perPage - 1) / perPage);
            int from = (int) Math.min(total, (long) (page - 1) * perPage);
            int to = (int) Math.min(total, (long) page * perPage);
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeStringField("type", "conversations.list");
                g.writeNumberField("total_count", total);
                SandboxResponse.writePageLinks(g, req, page, perPage, totalPages);
                g.writeArrayFieldStart("conversations");
                for (int k = from; k < to; k++) {
                    g.writeStartObject();
                    g.writeStringField("type", "conversation");
                    g.writeStringField("id", SandboxIds.conversation(rows.get(k).getKey()));
                    g.writeBooleanField("metrics_retained", false);
                    g.writeNumberField("deleted_at", rows.get(k).getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        } finally {
            ws.readLock().unlock();
        }
    }
}
