package dev.atrium.controlplane.provisioning;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Objects as JSON trees and as readable, deterministic YAML (keys sorted, list order kept, one document per object):
 * the form of the golden manifests and of what {@link LiveComparison} compares.
 */
public final class ManifestYaml {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private ManifestYaml() {
    }

    /** The objects as a YAML stream, each document introduced by {@code ---}. */
    public static String render(List<? extends HasMetadata> objects) {
        List<JsonNode> trees = new ArrayList<>();
        for (HasMetadata object : objects) {
            trees.add(tree(object));
        }
        return renderTrees(trees);
    }

    static String renderTrees(List<JsonNode> trees) {
        StringBuilder out = new StringBuilder();
        for (JsonNode tree : trees) {
            try {
                out.append("---\n").append(YAML.writeValueAsString(sorted(tree)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("could not render a manifest", e);
            }
        }
        return out.toString();
    }

    /** The object as the API server would receive it. */
    static JsonNode tree(Object object) {
        try {
            return JSON.readTree(SERIALIZATION.asJson(object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize " + object.getClass().getSimpleName(), e);
        }
    }

    /**
     * The first 16 hex digits of the SHA-256 of the object's sorted JSON: stable across runs and JVMs. A Secret's values
     * are left out (only its keys count), so the digest, readable in its metadata, says nothing about a credential.
     */
    static String digest(HasMetadata object) {
        try {
            JsonNode tree = tree(object);
            if (tree.get("data") instanceof ObjectNode data) {
                data.fieldNames().forEachRemaining(key -> data.put(key, ""));
            }
            byte[] json = JSON.writeValueAsBytes(sorted(tree));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not digest a manifest", e);
        }
    }

    static GenericKubernetesResource generic(HasMetadata object) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(object), GenericKubernetesResource.class);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }
}
