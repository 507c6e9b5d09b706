package org.intercomhub.cluster;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code cluster:} settings: several hub instances on one PostgreSQL or MariaDB bookkeeping schema (README
 * "Running several instances"). H2 is single-node and ignores them.
 *
 * @param nodeName        this instance's name in Quartz's cluster and in queue leases (CLUSTER_NODE_NAME); empty: the
 *                        host name with a random suffix, unique per start
 * @param checkinInterval how often a node tells the others it is alive; a node silent for about twice this long is
 *                        taken for dead and its running pulls and pushes are recovered by another node
 *                        (CLUSTER_CHECKIN_INTERVAL)
 * @param queueLease      how long a node holds the queue rows it claimed (webhook inbox, branch outbox, tracking
 *                        inbox) before another node may take them; longer than one batch's delivery takes
 *                        (CLUSTER_QUEUE_LEASE)
 */
@Validated
@ConfigurationProperties("cluster")
public record ClusterProperties(
        @DefaultValue("") String nodeName,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("7500ms") Duration checkinInterval,
        @NotNull @DurationMin(seconds = 5) @DefaultValue("2m") Duration queueLease) {
}
