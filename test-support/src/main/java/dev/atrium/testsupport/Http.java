package dev.atrium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal HTTP for test set-up, failing loudly on an unexpected status (this module has no JSON library on purpose). */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    /** A JSON call with a bearer token; answers the body, or fails when the status is not {@code expected}. */
    public static String call(String method, String url, String bearer, String json, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = send(request.build());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The status a bodiless call with {@code bearer} gets (to prove what a key or token may do). */
    public static int status(String method, String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.noBody()).build()).statusCode();
    }

    /** A form POST that must answer 200. */
    public static String form(String url, String... nameValuePairs) {
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            form.add(URLEncoder.encode(nameValuePairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(nameValuePairs[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The first string member {@code name} of a JSON document (enough for tokens, ids and secrets). */
    public static String jsonString(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + json);
        }
        return matcher.group(1);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
