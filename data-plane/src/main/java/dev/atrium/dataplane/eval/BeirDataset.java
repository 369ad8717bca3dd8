package dev.atrium.dataplane.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A retrieval dataset in BEIR's layout: {@code corpus.jsonl}, {@code queries.jsonl} and {@code qrels.tsv} (or {@code qrels/test.tsv}). */
public record BeirDataset(String name, Map<String, Document> corpus, Map<String, String> queries,
                          Map<String, Map<String, Integer>> qrels) {

    /** One corpus entry. */
    public record Document(String id, String title, String text) {
    }

    public static BeirDataset load(Path directory) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Document> corpus = new LinkedHashMap<>();
        for (String line : lines(directory.resolve("corpus.jsonl"))) {
            JsonNode doc = json.readTree(line);
            corpus.put(doc.path("_id").asText(), new Document(doc.path("_id").asText(), doc.path("title").asText(""), doc.path("text").asText()));
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : lines(directory.resolve("queries.jsonl"))) {
            JsonNode query = json.readTree(line);
            queries.put(query.path("_id").asText(), query.path("text").asText());
        }
        Path qrelsFile = Files.exists(directory.resolve("qrels.tsv")) ? directory.resolve("qrels.tsv") : directory.resolve("qrels/test.tsv");
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        for (String line : lines(qrelsFile)) {
            String[] fields = line.split("\t");
            if (fields.length < 3 || fields[0].equals("query-id")) {
                continue;
            }
            qrels.computeIfAbsent(fields[0], q -> new LinkedHashMap<>()).put(fields[1], Integer.parseInt(fields[2].trim()));
        }
        queries.keySet().retainAll(qrels.keySet());
        return new BeirDataset(directory.getFileName().toString(), corpus, queries, qrels);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
    }
}
