package org.intercomhub.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** This instance's name among the nodes sharing a bookkeeping schema: Quartz's instance id and the queue leases' owner. */
public record ClusterNode(String name) {

    public static ClusterNode of(ClusterProperties settings) {
        if (!settings.nodeName().isBlank()) {
            return new ClusterNode(clip(settings.nodeName().strip()));
        }
        // random suffix: two starts on one host (or two app contexts in one JVM) are two nodes
        return new ClusterNode(clip(hostName()) + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The lease columns hold 100 characters. */
    private static String clip(String name) {
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "hub";
        }
    }
}
