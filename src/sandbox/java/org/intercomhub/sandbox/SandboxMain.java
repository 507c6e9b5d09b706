package org.intercomhub.sandbox;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox as its own process (for benchmarks):
 * {@code java -cp ... org.intercomhub.sandbox.SandboxMain --port 8089 --contacts 200000 --rate-limit 0 --seed 42}.
 * Also accepts --companies and --conversations, and the stub receivers of the fan-out's branches:
 * {@code --amplitude-port 8097 --crm-port 8098 --amplitude-throttle-percent 10} (their API key: --stub-key, default
 * sandbox-key); {@code --port none} serves the stubs alone. Prints the base URLs, then serves until killed.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    /** The stub receivers asked for on the command line (a port of -1: none). */
    record Stubs(int amplitudePort, int crmPort, int amplitudeThrottlePercent, String key) {
    }

    public static void main(String[] args) throws InterruptedException {
        Stubs stubs = stubs(args);
        String[] sandboxArgs = withoutStubFlags(args);
        boolean intercom = !java.util.Arrays.asList(sandboxArgs).contains("none");
        if (intercom) {
            SandboxConfig config = parse(sandboxArgs);
            SandboxServer server = SandboxServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "intercom-sandbox-shutdown"));
            System.out.println("Intercom sandbox listening on " + server.baseUrl() + " (token '"
                    + config.accessToken() + "', " + config + ")");
        }
        if (stubs.amplitudePort() >= 0) {
            AmplitudeStub amplitude = new AmplitudeStub(stubs.amplitudePort(), stubs.key());
            amplitude.throttleShareOnce(stubs.amplitudeThrottlePercent());
            Runtime.getRuntime().addShutdownHook(new Thread(amplitude::close, "amplitude-stub-shutdown"));
            System.out.println("Stub Amplitude listening on " + amplitude.url() + " (api key '" + stubs.key()
                    + "', throttling " + stubs.amplitudeThrottlePercent() + "% of users once)");
        }
        if (stubs.crmPort() >= 0) {
            CrmStub crm = new CrmStub(stubs.crmPort(), stubs.key());
            Runtime.getRuntime().addShutdownHook(new Thread(crm::close, "crm-stub-shutdown"));
            System.out.println("Stub CRM listening on " + crm.baseUrl() + " (api key '" + stubs.key() + "')");
        }
        new CountDownLatch(1).await();
    }

    private static final java.util.Set<String> STUB_FLAGS = java.util.Set.of("--amplitude-port", "--crm-port",
            "--amplitude-throttle-percent", "--stub-key");

    static Stubs stubs(String[] args) {
        java.util.Map<String, String> flags = new java.util.HashMap<>();
        for (int k = 0; k < args.length; k++) {
            String flag = args[k].contains("=") ? args[k].substring(0, args[k].indexOf('=')) : args[k];
            if (STUB_FLAGS.contains(flag)) {
                flags.put(flag, args[k].contains("=") ? args[k].substring(args[k].indexOf('=') + 1) : args[++k]);
            }
        }
        return new Stubs(Integer.parseInt(flags.getOrDefault("--amplitude-port", "-1")),
                Integer.parseInt(flags.getOrDefault("--crm-port", "-1")),
                Integer.parseInt(flags.getOrDefault("--amplitude-throttle-percent", "0")),
                flags.getOrDefault("--stub-key", "sandbox-key"));
    }

    static String[] withoutStubFlags(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            String flag = args[k].contains("=") ? args[k].substring(0, args[k].indexOf('=')) : args[k];
            if (STUB_FLAGS.contains(flag)) {
                if (!args[k].contains("=")) {
                    k++;
                }
            } else if (("--port".equals(args[k]) && k + 1 < args.length && "none".equals(args[k + 1]))
                    || "--port=none".equals(args[k])) {
                rest.add("none");
                if (!args[k].contains("=")) {
                    k++;
                }
            } else {
                rest.add(args[k]);
            }
        }
        return rest.toArray(String[]::new);
    }

    static SandboxConfig parse(String[] args) {
        SandboxConfig.Builder b = SandboxConfig.builder();
        for (int k = 0; k < args.length; k++) {
            String flag = args[k];
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (k + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + flag);
                }
                value = args[++k];
            }
            switch (flag) {
                case "--port": b.port(Integer.parseInt(value)); break;
                case "--contacts": b.contacts(Integer.parseInt(value)); break;
                case "--companies": b.companies(Integer.parseInt(value)); break;
                case "--conversations": b.conversations(Integer.parseInt(value)); break;
                case "--rate-limit": b.rateLimitPer10s(Integer.parseInt(value)); break;
                case "--seed": b.seed(Long.parseLong(value)); break;
                case "--search-lag-seconds": b.searchIndexLag(java.time.Duration.ofSeconds(Long.parseLong(value))); break;
                case "--latency-ms": b.latency(java.time.Duration.ofMillis(Long.parseLong(value))); break;
                default: throw new IllegalArgumentException("unknown flag " + flag
                        + " (known: --port --contacts --companies --conversations --rate-limit --seed --search-lag-seconds"
                        + " --latency-ms"
                        + " --amplitude-port --crm-port --amplitude-throttle-percent --stub-key)");
            }
        }
        return b.build();
    }
}
