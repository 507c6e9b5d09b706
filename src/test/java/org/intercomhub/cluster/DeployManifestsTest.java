package org.intercomhub.cluster;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/ is well-formed YAML and says what README "Running several instances" says it does. Read only: no Docker
 * engine or Kubernetes cluster runs here.
 */
class DeployManifestsTest {

    static final List<String> SECRETS = List.of("INTERCOM_ACCESS_TOKEN", "WAREHOUSE_PASSWORD", "HUB_ADMIN_TOKENS",
            "INTERCOM_CLIENT_SECRET", "TRACKING_WRITE_KEYS");

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String path) throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of(path))) {
            return (Map<String, Object>) new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    @Test
    void composeRunsTwoHubReplicasAndPostgresOnOneBookkeepingSchema() throws IOException {
        Map<String, Object> services = map(read("deploy/compose.yaml").get("services"));
        assertThat(services).containsOnlyKeys("postgres", "hub-1", "hub-2");
        for (String hub : List.of("hub-1", "hub-2")) {
            Map<String, Object> environment = map(map(services.get(hub)).get("environment"));
            assertThat(environment).containsKeys("INTERCOM_ACCESS_TOKEN", "WAREHOUSE_PASSWORD", "HUB_ADMIN_TOKENS",
                    "INTERCOM_CLIENT_SECRET", "TRACKING_WRITE_KEYS", "WAREHOUSE_URL")
                    .containsEntry("WAREHOUSE_BOOKKEEPING_SCHEMA", "intercom_hub")
                    .containsEntry("CLUSTER_NODE_NAME", hub);
            assertThat((String) environment.get("WAREHOUSE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        }
    }

    @Test
    void theDeploymentProbesTheHealthGroupsAndTakesItsSecretsFromTheSecret() throws IOException {
        Map<String, Object> deployment = read("deploy/kubernetes/deployment.yaml");
        assertThat(deployment).containsEntry("kind", "Deployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat((Integer) spec.get("replicas")).isGreaterThan(1);
        Map<String, Object> container = map(list(map(map(spec.get("template")).get("spec")).get("containers")).get(0));
        assertThat(map(map(container.get("livenessProbe")).get("httpGet"))).containsEntry("path",
                "/actuator/health/liveness");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet"))).containsEntry("path",
                "/actuator/health/readiness");
        assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
        List<String> fromSecret = new ArrayList<>();
        for (Object variable : list(container.get("env"))) {
            Map<String, Object> valueFrom = map(map(variable).get("valueFrom"));
            if (valueFrom != null && valueFrom.get("secretKeyRef") != null) {
                assertThat(map(valueFrom.get("secretKeyRef"))).containsEntry("name", "intercom-hub");
                fromSecret.add((String) map(variable).get("name"));
            }
        }
        assertThat(fromSecret).containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(map(read("deploy/kubernetes/secret.example.yaml").get("stringData"))).containsOnlyKeys(SECRETS);
        Map<String, Object> service = read("deploy/kubernetes/service.yaml");
        assertThat(service).containsEntry("kind", "Service");
        assertThat(map(map(service.get("spec")).get("selector")))
                .isEqualTo(map(map(spec.get("selector")).get("matchLabels")));
    }
}
