package org.intercomhub.sandbox;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox as its own process (for benchmarks):
 * {@code java -cp ... org.intercomhub.sandbox.SandboxMain --port 8089 --contacts 200000 --rate-limit 0 --seed 42}.
 * Also accepts --companies and --conversations. Prints the base URL, then serves until killed.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxConfig config = parse(args);
        SandboxServer server = SandboxServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "intercom-sandbox-shutdown"));
        System.out.println("Intercom sandbox listening on " + server.baseUrl() + " (token '" + config.accessToken()
                + "', " + config + ")");
        new CountDownLatch(1).await();
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
                default: throw new IllegalArgumentException("unknown flag " + flag
                        + " (known: --port --contacts --companies --conversations --rate-limit --seed)");
            }
        }
        return b.build();
    }
}
