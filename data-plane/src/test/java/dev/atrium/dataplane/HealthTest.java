package dev.atrium.dataplane;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

@DataPlaneStack
class HealthTest {

    @Test
    void readinessNamesTheRegion() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.data.region", hasItem("local-a"));
    }

    @Test
    void tenantEndpointsNeedAKey() {
        given().get("/v1/knowledge-bases").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"atrium\"");
        given().header("Authorization", "Bearer atr_garbage").get("/v1/knowledge-bases").then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("malformed"));
        given().get("/v1/models").then().statusCode(401).body("error.type", equalTo("authentication_error"));
    }
}
