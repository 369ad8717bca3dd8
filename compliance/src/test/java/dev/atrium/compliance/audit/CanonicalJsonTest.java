package dev.atrium.compliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void sortsKeysRemovesWhitespaceAndNormalisesNumbers() throws Exception {
        String input = "{ \"b\": [1, 2.50, {\"z\": null, \"a\": true}], \"a\": \"x\\ty\\u0001\\\"\" , \"c\": 0.000 }";
        assertThat(CanonicalJson.write(JSON.readTree(input)))
                .isEqualTo("{\"a\":\"x\\ty\\u0001\\\"\",\"b\":[1,2.5,{\"a\":true,\"z\":null}],\"c\":0}");
    }

    @Test
    void sameContentInDifferentLayoutsIsIdentical() throws Exception {
        String one = "{\"after\":{\"name\":\"Ünïcode ✓\",\"n\":10},\"id\":\"1\"}";
        String two = "{\n  \"id\" : \"1\",\n  \"after\" : { \"n\" : 10, \"name\" : \"\\u00dcn\\u00efcode \\u2713\" }\n}";
        assertThat(CanonicalJson.write(JSON.readTree(one))).isEqualTo(CanonicalJson.write(JSON.readTree(two)));
    }

    @Test
    void hashDependsOnPreviousHash() throws Exception {
        var content = JSON.readTree("{\"id\":\"1\"}");
        assertThat(AuditChain.hash(content, AuditChain.GENESIS_HASH))
                .isNotEqualTo(AuditChain.hash(content, "1".repeat(64)))
                // sha256('{"id":"1"}' + 64 zeros), computed with: printf '{"id":"1"}%064d' 0 | sha256sum
                .isEqualTo("f8e9d542a91a7f6c5dd0096339805411923f1545614adfe824592578167ba1aa");
    }
}
