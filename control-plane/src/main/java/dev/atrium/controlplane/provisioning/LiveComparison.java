package dev.atrium.controlplane.provisioning;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Whether a live object already holds the desired state: every field Atrium sets must be present with the same value;
 * fields Atrium does not set (defaults the API server fills in, status, fields of other managers) are ignored. This is
 * what server-side apply with one field manager converges to, so "nothing differs" means an apply would change
 * nothing, on a real cluster as on the simulation; comparing resourceVersions instead would count the API server's own
 * writes (status, defaulting, a controller's annotations) as changes of Atrium's.
 *
 * <p>Quantities are compared by value ({@code 0.5} equals {@code 500m}) because the API server canonicalizes them.
 */
final class LiveComparison {

    private static final Set<String> QUANTITY_MAPS = Set.of("hard", "requests", "limits", "default", "defaultRequest",
            "max", "min");
    private static final Set<String> QUANTITY_FIELDS = Set.of("size", "sizeLimit", "cpu", "memory");
    private static final Pattern QUANTITY = Pattern.compile("[+-]?[0-9.]+([eE][+-]?[0-9]+|[a-zA-Z]{0,2})");

    private LiveComparison() {
    }

    /** The paths (never the values) where {@code live} does not hold what {@code desired} sets. */
    static List<String> differences(JsonNode desired, JsonNode live) {
        List<String> paths = new ArrayList<>();
        compare("", null, desired, live, paths);
        return paths;
    }

    private static void compare(String path, String parentKey, JsonNode desired, JsonNode live, List<String> out) {
        if (desired.isObject()) {
            if (live == null || !live.isObject()) {
                out.add(display(path));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = desired.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                compare(path.isEmpty() ? key : path + "." + key, lastKey(path), field.getValue(), live.get(key), out);
            }
        } else if (desired.isArray()) {
            if (live == null || !live.isArray() || live.size() != desired.size()) {
                out.add(display(path));
                return;
            }
            for (int i = 0; i < desired.size(); i++) {
                compare(path + "[" + i + "]", parentKey, desired.get(i), live.get(i), out);
            }
        } else if (desired.isNull()) {
            return;
        } else if (live == null || !sameScalar(path, parentKey, desired, live)) {
            out.add(display(path));
        }
    }

    private static boolean sameScalar(String path, String parentKey, JsonNode desired, JsonNode live) {
        if (desired.equals(live)) {
            return true;
        }
        if (desired.isNumber() && live.isNumber()) {
            return desired.decimalValue().compareTo(live.decimalValue()) == 0;
        }
        boolean quantity = QUANTITY_MAPS.contains(parentKey) || QUANTITY_FIELDS.contains(lastKey(path));
        if (quantity && desired.isTextual() && live.isTextual()
                && QUANTITY.matcher(desired.asText()).matches() && QUANTITY.matcher(live.asText()).matches()) {
            return amount(desired.asText()).compareTo(amount(live.asText())) == 0;
        }
        return false;
    }

    private static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }

    private static String lastKey(String path) {
        int dot = path.lastIndexOf('.');
        String key = dot < 0 ? path : path.substring(dot + 1);
        int bracket = key.indexOf('[');
        return bracket < 0 ? key : key.substring(0, bracket);
    }

    private static String display(String path) {
        return path.isEmpty() ? "(object)" : path;
    }
}
