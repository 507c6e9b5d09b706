// Load generator for bench/webhook-ingest and bench/tracking-ingest (single-file source launch, not part of the build
// or of ./mvnw verify):
//
//   java bench/load/IngestLoad.java --base http://127.0.0.1:18180 --secret S --out DIR            (webhooks)
//   java bench/load/IngestLoad.java --kind tracking --base ... --write-key K --out DIR                (tracking API)
//        [--rates 250,500,1000,2000,4000,8000] [--step-seconds 10] [--connections 32] [--warmup-seconds 3]
//        [--drain-timeout-seconds 300] [--bare-seconds S (bare steps' length; default: --step-seconds; a soak's
//        baseline need not be as long as the soak)] [--app-pid PID (the hub: each step also prints the CPU
//        milliseconds one acknowledged request cost the hub, the database servers and this generator)]
//        [--user-ids FILE (tracking: userIds taken in turn, one per line; default a new user per call)]
//        [--backlog-field NAME (the /sync/status figure waited for after each step; default inbox_backlog)]
//
// webhook: sends signed Intercom notifications (type notification_event, topic contact.user.updated, unique
// notification id and contact id, a sandbox contact of ~2 KB) to POST /webhooks/intercom. tracking: sends Segment
// track calls (unique messageId and userId, ten properties, ~600 bytes; HTTP Basic with the write key, as Segment's
// libraries do) to POST /v1/track. Both over a fixed number of keep-alive HTTP/1.1 connections (raw sockets, loopback
// only) at rising rates, first to the bare route POST /bench/bare (the stack's limit, same bodies and headers), then
// to the real endpoint. Each request has a scheduled send time (rate spread evenly over the step); a connection
// takes the next due request as soon as it is free, so when the server falls behind, requests leave late. Per step:
// sent, acknowledged (2xx), errors, sustained acks/s, p50/p99 of the round trip on the connection, and p99 measured
// from the scheduled send time (includes the wait for a free connection: what a sender at that rate experiences).
// After each step of the real endpoint it waits (bounded) until GET /sync/status says the inbox_backlog of its
// section (webhooks or tracking) is 0.
//
// Writes DIR/results.tsv (one line per step), DIR/acked-ids.txt (the contact id of every acknowledged notification,
// or the id of every acknowledged track call, whose messageId is bench-<id>; warm-up included) and prints the table.
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class IngestLoad {

    /** A contact as the sandbox serves it (GET /contacts), 2,129 bytes; id, external_id, email, updated_at vary. */
    static final String CONTACT = """
            {"type":"contact","id":"@ID@","workspace_id":"sandbox-app","external_id":"@EXT@","role":"user",\
            "email":"@EMAIL@","email_domain":"example.com","phone":"+15555411558","name":"Frances Wirth",\
            "avatar":{"type":"avatar","image_url":"https://static.example.com/avatars/46.png"},"owner_id":1004,\
            "social_profiles":{"type":"list","data":[]},"has_hard_bounced":false,"marked_email_as_spam":false,\
            "unsubscribed_from_emails":false,"created_at":1762755069,"updated_at":@UPDATED@,\
            "signed_up_at":1762755069,"last_seen_at":null,"last_replied_at":null,"last_contacted_at":null,\
            "last_email_opened_at":null,"last_email_clicked_at":null,"language_override":null,"browser":"chrome",\
            "browser_version":"116.0.2893","browser_language":"en-GB","os":"OS X 14.2","location":{"type":"location",\
            "country":"Ireland","region":"Dublin","city":"Dublin","country_code":"IRL","continent_code":"EU"},\
            "android_app_name":null,"android_app_version":null,"android_device":null,"android_os_version":null,\
            "android_sdk_version":null,"android_last_seen_at":null,"ios_app_name":null,"ios_app_version":null,\
            "ios_device":null,"ios_os_version":null,"ios_sdk_version":null,"ios_last_seen_at":null,\
            "custom_attributes":{"plan":"pro","seats":44,"monthly_spend":535.41,"beta_tester":false,\
            "trial_ends_at":1763964669,"referral_code":"REF-3C78T"},"tags":{"type":"list","data":[{"type":"tag",\
            "id":"9013","url":"/tags/9013"}],"url":"/contacts/@ID@/tags","total_count":1,"has_more":false},\
            "notes":{"type":"list","data":[],"url":"/contacts/@ID@/notes","total_count":0,"has_more":false},\
            "companies":{"type":"list","data":[{"type":"company","id":"6630c0de000000000000002e",\
            "url":"/companies/6630c0de000000000000002e"}],"url":"/contacts/@ID@/companies","total_count":1,\
            "has_more":false},"opted_out_subscription_types":{"type":"list","data":[],"url":"","total_count":0,\
            "has_more":false},"opted_in_subscription_types":{"type":"list","data":[],"url":"","total_count":0,\
            "has_more":false},"utm_campaign":"spring-launch","utm_source":"newsletter","referrer":null,\
            "enabled_push_messaging":false}""";

    static final String TOPIC = "contact.user.updated";

    record Step(String target, int rate, int seconds, long scheduled, long sent, long acked, long errors,
                Map<Integer, Long> statuses, double ackRate, double p50, double p99, double p99Sched, double drainSeconds,
                String cpu) {
        Step withCpu(String cpuPerAck) {
            return new Step(target, rate, seconds, scheduled, sent, acked, errors, statuses, ackRate, p50, p99,
                    p99Sched, drainSeconds, cpuPerAck);
        }

        Step withDrain(double seconds) {
            return new Step(target, rate, this.seconds, scheduled, sent, acked, errors, statuses, ackRate, p50, p99,
                    p99Sched, seconds, cpu);
        }
    }

    /**
     * CPU time (user + system, from /proc) of the hub (--app-pid), of every PostgreSQL and MariaDB server process,
     * and of this load generator, so a step can say what one request costs each of them: a figure the machine's
     * other load does not move much, unlike rates.
     */
    record Cpu(long appTicks, long databaseTicks, long loadTicks) {
        static final double MS_PER_TICK = 10; // USER_HZ is 100 on Linux

        static Cpu now() {
            long database = 0;
            File[] procs = new File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
            for (File proc : procs == null ? new File[0] : procs) {
                String comm = read(proc.toPath().resolve("comm")).trim();
                if (comm.equals("postgres") || comm.equals("mariadbd")) {
                    database += ticks(proc.toPath());
                }
            }
            return new Cpu(appPid > 0 ? ticks(Path.of("/proc", Long.toString(appPid))) : 0, database,
                    ticks(Path.of("/proc/self")));
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(appTicks - earlier.appTicks, databaseTicks - earlier.databaseTicks,
                    loadTicks - earlier.loadTicks);
        }

        String perAck(long acked) {
            return String.format(Locale.ROOT, "app %.2f db %.2f load %.2f", appTicks * MS_PER_TICK / acked,
                    databaseTicks * MS_PER_TICK / acked, loadTicks * MS_PER_TICK / acked);
        }

        /** utime + stime of a process; 0 when it is gone (a database backend that ended meanwhile). */
        static long ticks(Path proc) {
            String stat = read(proc.resolve("stat"));
            int end = stat.lastIndexOf(')');
            if (end < 0) {
                return 0;
            }
            String[] fields = stat.substring(end + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    // ------------------------------------------------------------ settings
    /** webhook or tracking: what is sent where, and which section of /sync/status holds its inbox backlog. */
    static String kind = "webhook";
    static String authorization;
    static String base = "http://127.0.0.1:18180";
    static String host;
    static int port;
    static byte[] secret;
    static int[] rates = {250, 500, 1000, 2000, 4000, 8000};
    static int stepSeconds = 10;
    static int connections = 32;
    static int warmupSeconds = 3;
    static int drainTimeoutSeconds = 300;
    static int bareSeconds = -1;
    static Path out = Path.of(".");
    /** The hub's process: when given, each step also reports CPU milliseconds per acknowledged request. */
    static long appPid = -1;
    /** Track calls' userIds, taken in turn (e.g. users the sandbox knows); when none, each call a new user. */
    static String[] userIds = {};
    static final String RUN = Long.toHexString(System.currentTimeMillis() / 1000); // 8 hex digits
    static final AtomicLong SEQ = new AtomicLong();
    static final ConcurrentLinkedQueue<String> ACKED_IDS = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--kind" -> kind = v;
                case "--write-key" -> authorization = "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((v + ":").getBytes(StandardCharsets.UTF_8));
                case "--base" -> base = v;
                case "--secret" -> secret = v.getBytes(StandardCharsets.UTF_8);
                case "--rates" -> rates = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--step-seconds" -> stepSeconds = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(v);
                case "--drain-timeout-seconds" -> drainTimeoutSeconds = Integer.parseInt(v);
                case "--bare-seconds" -> bareSeconds = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                case "--app-pid" -> appPid = Long.parseLong(v);
                case "--user-ids" -> userIds = readUserIds(Path.of(v));
                case "--backlog-field" -> backlog = Pattern.compile("\"" + v + "\"\\s*:\\s*(\\d+)");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (kind.equals("webhook") ? secret == null : !kind.equals("tracking") || authorization == null) {
            throw new IllegalArgumentException("--kind webhook needs --secret; --kind tracking needs --write-key");
        }
        String endpoint = kind.equals("webhook") ? "/webhooks/intercom" : "/v1/track";
        URI uri = URI.create(base);
        host = uri.getHost();
        port = uri.getPort();
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only, not " + host);
        }
        Files.createDirectories(out);

        List<Step> steps = new ArrayList<>();
        // the stack's limit first: same bodies, same signatures, same connections, a route that does nothing
        run("bare", "/bench/bare", 500, warmupSeconds, false);
        for (int rate : rates) {
            steps.add(print(run("bare", "/bench/bare", rate, bareSeconds > 0 ? bareSeconds : stepSeconds, false)));
        }
        run(kind, endpoint, 500, warmupSeconds, true);
        drain();
        for (int rate : rates) {
            Step step = run(kind, endpoint, rate, stepSeconds, true);
            double drain = drain();
            steps.add(print(step.withDrain(drain)));
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("results.tsv")))) {
            w.println("target\trate\tseconds\tscheduled\tsent\tacked\terrors\tacks_per_s\tp50_ms\tp99_ms\tp99_sched_ms"
                    + "\tdrain_s\tstatuses\tcpu_ms_per_ack");
            for (Step s : steps) {
                w.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s%n", s.target, s.rate,
                        s.seconds, s.scheduled, s.sent, s.acked, s.errors, s.ackRate, s.p50, s.p99, s.p99Sched,
                        s.drainSeconds, s.statuses, s.cpu);
            }
        }
        Files.write(out.resolve("acked-ids.txt"), new ArrayList<>(ACKED_IDS));
        System.out.println("acked " + kind + " requests (warm-up included): " + ACKED_IDS.size());
    }

    static Step print(Step s) {
        System.out.printf(Locale.ROOT, "%-8s %5d/s x %ds: sent %6d/%6d  acked %6d  errors %4d  %6.0f acks/s  "
                        + "p50 %7.2f ms  p99 %7.2f ms  p99 from schedule %8.2f ms%s%s%n", s.target, s.rate, s.seconds,
                s.sent, s.scheduled, s.acked, s.errors, s.ackRate, s.p50, s.p99, s.p99Sched,
                s.drainSeconds >= 0 ? String.format(Locale.ROOT, "  inbox drained in %.1f s", s.drainSeconds) : "",
                s.cpu.isEmpty() ? "" : "  cpu ms/ack: " + s.cpu);
        return s;
    }

    // ------------------------------------------------------------ one step

    static Step run(String target, String path, int rate, int seconds, boolean recordIds) throws InterruptedException {
        Cpu before = Cpu.now();
        Step step = send(target, path, rate, seconds, recordIds);
        Cpu used = Cpu.now().minus(before);
        return step.acked == 0 ? step : step.withCpu(used.perAck(step.acked));
    }

    static Step send(String target, String path, int rate, int seconds, boolean recordIds) throws InterruptedException {
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        long t0 = System.nanoTime() + 100_000_000L;
        long stopIssuing = t0 + seconds * 1_000_000_000L + 1_000_000_000L; // 1 s grace for a late schedule
        AtomicLong ticket = new AtomicLong();
        AtomicLong lastAck = new AtomicLong(t0);
        long[][] rtts = new long[connections][];
        long[][] scheds = new long[connections][];
        long[] sent = new long[connections];
        long[] acked = new long[connections];
        long[] errors = new long[connections];
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int w = c;
            Map<Integer, Long> st = new HashMap<>();
            statuses.add(st);
            threads[c] = new Thread(() -> {
                long[] rtt = new long[(int) (total / connections + 16)];
                long[] sch = new long[rtt.length];
                int n = 0;
                Connection conn = null;
                Mac mac = secret == null ? null : mac();
                while (true) {
                    long k = ticket.getAndIncrement();
                    if (k >= total) {
                        break;
                    }
                    long due = t0 + k * interval;
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    if (now > stopIssuing) {
                        break;
                    }
                    long seq = SEQ.incrementAndGet();
                    String contactId = String.format("%s%016x", RUN, seq);
                    byte[] body = kind.equals("webhook") ? notification(seq, contactId) : track(seq, contactId);
                    String auth = mac == null ? "Authorization: " + authorization
                            : "X-Hub-Signature: sha1=" + HexFormat.of().formatHex(mac.doFinal(body));
                    sent[w]++;
                    long start = System.nanoTime();
                    int status;
                    try {
                        if (conn == null) {
                            conn = new Connection();
                        }
                        status = conn.post(path, body, auth);
                        if (conn.closed) {
                            conn.close();
                            conn = null;
                        }
                    } catch (IOException e) {
                        errors[w]++;
                        st.merge(-1, 1L, Long::sum);
                        if (conn != null) {
                            conn.close();
                            conn = null;
                        }
                        continue;
                    }
                    long end = System.nanoTime();
                    st.merge(status, 1L, Long::sum);
                    if (status >= 200 && status < 300) {
                        acked[w]++;
                        lastAck.accumulateAndGet(end, Math::max);
                        if (recordIds) {
                            ACKED_IDS.add(contactId);
                        }
                        if (n < rtt.length) {
                            rtt[n] = end - start;
                            sch[n] = end - due;
                            n++;
                        }
                    } else {
                        errors[w]++;
                    }
                }
                if (conn != null) {
                    conn.close();
                }
                rtts[w] = Arrays.copyOf(rtt, n);
                scheds[w] = Arrays.copyOf(sch, n);
            }, "load-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join(seconds * 1000L + 60_000L); // bounded: sockets time out after 10 s
        }
        long sumSent = Arrays.stream(sent).sum();
        long sumAcked = Arrays.stream(acked).sum();
        long sumErrors = Arrays.stream(errors).sum();
        Map<Integer, Long> allStatuses = new HashMap<>();
        statuses.forEach(m -> m.forEach((k, v) -> allStatuses.merge(k, v, Long::sum)));
        long[] rtt = Arrays.stream(rtts).filter(a -> a != null).flatMapToLong(Arrays::stream).sorted().toArray();
        long[] sch = Arrays.stream(scheds).filter(a -> a != null).flatMapToLong(Arrays::stream).sorted().toArray();
        double elapsed = Math.max(seconds, (lastAck.get() - t0) / 1e9);
        return new Step(target, rate, seconds, total, sumSent, sumAcked, sumErrors, allStatuses, sumAcked / elapsed,
                pct(rtt, 0.50), pct(rtt, 0.99), pct(sch, 0.99), -1, "");
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static byte[] notification(long seq, String contactId) {
        long now = System.currentTimeMillis() / 1000;
        String item = CONTACT.replace("@ID@", contactId).replace("@EXT@", "bench-" + contactId)
                .replace("@EMAIL@", "bench." + contactId + "@example.com").replace("@UPDATED@", Long.toString(now));
        String envelope = "{\"type\":\"notification_event\",\"app_id\":\"sandbox-app\",\"data\":{\"type\":"
                + "\"notification_event_data\",\"item\":" + item + "},\"links\":{},\"id\":\"notif_bench_" + RUN + "_"
                + seq + "\",\"topic\":\"" + TOPIC + "\",\"delivery_status\":\"pending\",\"delivery_attempts\":1,"
                + "\"delivered_at\":null,\"first_sent_at\":" + now + ",\"created_at\":" + now + ",\"self\":null}";
        return envelope.getBytes(StandardCharsets.UTF_8);
    }

    /** A Segment track call as analytics-java sends it (messageId unique per request, userId too unless --user-ids). */
    static byte[] track(long seq, String id) {
        String userId = userIds.length == 0 ? "bench-user-" + id : userIds[(int) (seq % userIds.length)];
        String call = "{\"type\":\"track\",\"messageId\":\"bench-" + id + "\",\"userId\":\"" + userId
                + "\",\"event\":\"Order Completed\",\"timestamp\":\"" + java.time.Instant.now() + "\","
                + "\"properties\":{\"order_id\":\"o-" + seq + "\",\"revenue\":25.5,\"currency\":\"EUR\","
                + "\"coupon\":\"SPRING\",\"items\":3,\"channel\":\"web\",\"plan\":\"pro\",\"seats\":4,"
                + "\"region\":\"eu\",\"first_order\":false},\"context\":{\"library\":{\"name\":"
                + "\"analytics-java\",\"version\":\"3.5.1\"}}}";
        return call.getBytes(StandardCharsets.UTF_8);
    }

    static String[] readUserIds(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --user-ids " + file, e);
        }
    }

    static Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ inbox backlog

    /** The backlog waited for after each step: inbox_backlog unless --backlog-field names another figure. */
    static Pattern backlog = Pattern.compile("\"inbox_backlog\"\\s*:\\s*(\\d+)");
    /** The section of /sync/status whose inbox this run fills: its first backlog figure is this inbox's. */
    static String section(String status) {
        int at = status.indexOf("\"" + (kind.equals("webhook") ? "webhooks" : "tracking") + "\"");
        return at < 0 ? "" : status.substring(at);
    }
    static final Pattern FAILURES = Pattern.compile("\"processing_failures\"\\s*:\\s*(\\d+)");

    /** Seconds until the backlog figure of this kind is 0 (bounded by --drain-timeout-seconds; -1 if not reached). */
    static double drain() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        long deadline = start + drainTimeoutSeconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sync/status"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = section(r.body());
                Matcher m = backlog.matcher(last);
                if (m.find() && Long.parseLong(m.group(1)) == 0) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        Matcher f = FAILURES.matcher(last);
        System.out.println("inbox not drained within " + drainTimeoutSeconds + " s; processing_failures="
                + (f.find() ? f.group(1) : "?"));
        return -1;
    }

    // ------------------------------------------------------------ a keep-alive HTTP/1.1 connection

    static final class Connection {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        boolean closed;
        final byte[] head;

        Connection() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            head = ("Host: " + host + ":" + port + "\r\nUser-Agent: intercom-hub-bench\r\n"
                    + "Content-Type: application/json\r\nAccept: */*\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** {@code credentials}: the whole header line, X-Hub-Signature (webhooks) or Authorization (tracking). */
        int post(String path, byte[] body, String credentials) throws IOException {
            out.write(("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write((credentials + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closed |= value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0) {
                skip(length);
            } else {
                closed = true; // body until close: not expected from Tomcat
            }
            return status;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    s = 1;
                }
                n -= s;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
            }
        }
    }
}
