package dev.atrium.dataplane.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;

import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.rag.KnowledgeBaseService;
import dev.atrium.dataplane.rag.index.IndexedChunk;
import dev.atrium.dataplane.rag.index.KnowledgeBaseIndex;
import dev.atrium.dataplane.rag.index.SearchHit;
import dev.atrium.dataplane.rag.index.SearchMode;

/**
 * Evaluates retrieval on a BEIR-style dataset with the data plane's own pipeline (recursive chunking, in-process
 * embeddings, the Lucene index) and reports recall@k, MRR@10 and nDCG@10 for vector, keyword and hybrid search.
 * Documents are ranked by their best chunk. Run: {@code make eval DATASET=path [MODEL=...]}.
 */
public final class RetrievalEvaluation {

    static final int CHUNK_CANDIDATES = 100;

    /** Mean metrics of one search mode over all queries. */
    public record ModeResult(String mode, int queries, double recallAt5, double recallAt10, double mrrAt10, double ndcgAt10) {
    }

    /** Everything a run measured, in the shape that can be attached to a model card. */
    public record Report(String dataset, String embeddingModel, int documents, int chunks, int chunkSize, int chunkOverlap,
                         List<ModeResult> results) {
    }

    private RetrievalEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: RetrievalEvaluation <dataset-dir> [embedding-model] [report.json]");
            System.exit(2);
        }
        String model = args.length > 1 ? args[1] : EmbeddingModels.QUANTIZED;
        Report report = evaluate(BeirDataset.load(Path.of(args[0])), new EmbeddingModels(), model);
        System.out.println(table(report));
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            System.out.println("report written to " + args[2]);
        }
        System.exit(0);
    }

    public static Report evaluate(BeirDataset dataset, EmbeddingModels models, String model) throws IOException {
        int size = KnowledgeBaseService.DEFAULT_CHUNK_SIZE;
        int overlap = KnowledgeBaseService.DEFAULT_CHUNK_OVERLAP;
        Path directory = Files.createTempDirectory("atrium-eval-");
        Map<UUID, String> documentOfChunk = new LinkedHashMap<>();
        try (KnowledgeBaseIndex index = KnowledgeBaseIndex.open(directory)) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (BeirDataset.Document document : dataset.corpus().values()) {
                String text = document.title().isEmpty() ? document.text() : document.title() + "\n\n" + document.text();
                List<TextSegment> segments = DocumentSplitters.recursive(size, overlap, models.tokenizer()).split(Document.from(text));
                List<float[]> vectors = models.embedAll(model, segments.stream().map(TextSegment::text).toList());
                UUID documentId = UUID.nameUUIDFromBytes(document.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (int i = 0; i < segments.size(); i++) {
                    UUID chunkId = UUID.randomUUID();
                    documentOfChunk.put(chunkId, document.id());
                    chunks.add(new IndexedChunk(chunkId, documentId, document.title(), segments.get(i).text(), 0, 0, vectors.get(i)));
                }
            }
            index.add(chunks);
            List<ModeResult> results = new ArrayList<>();
            for (SearchMode mode : SearchMode.values()) {
                double recall5 = 0;
                double recall10 = 0;
                double mrr = 0;
                double ndcg = 0;
                for (Map.Entry<String, String> query : dataset.queries().entrySet()) {
                    float[] vector = mode == SearchMode.KEYWORD ? null : models.embed(model, query.getValue());
                    List<SearchHit> hits = index.search(mode, query.getValue(), vector, CHUNK_CANDIDATES);
                    LinkedHashSet<String> ranked = new LinkedHashSet<>();
                    hits.stream().sorted(Comparator.comparingDouble(SearchHit::score).reversed())
                            .forEach(hit -> ranked.add(documentOfChunk.get(hit.chunkId())));
                    List<String> documents = List.copyOf(ranked);
                    Map<String, Integer> relevance = dataset.qrels().get(query.getKey());
                    recall5 += RetrievalMetrics.recallAtK(documents, relevance, 5);
                    recall10 += RetrievalMetrics.recallAtK(documents, relevance, 10);
                    mrr += RetrievalMetrics.reciprocalRankAtK(documents, relevance, 10);
                    ndcg += RetrievalMetrics.ndcgAtK(documents, relevance, 10);
                }
                int n = dataset.queries().size();
                results.add(new ModeResult(mode.value(), n, recall5 / n, recall10 / n, mrr / n, ndcg / n));
            }
            return new Report(dataset.name(), model, dataset.corpus().size(), chunks.size(), size, overlap, results);
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    public static String table(Report report) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "dataset %s: %d documents, %d chunks (%d/%d tokens), %d queries, model %s%n",
                report.dataset(), report.documents(), report.chunks(), report.chunkSize(), report.chunkOverlap(),
                report.results().getFirst().queries(), report.embeddingModel()));
        table.append(String.format(Locale.ROOT, "| %-8s | %9s | %10s | %7s | %8s |%n", "mode", "recall@5", "recall@10", "MRR@10", "nDCG@10"));
        table.append("|----------|-----------|------------|---------|----------|\n");
        for (ModeResult result : report.results()) {
            table.append(String.format(Locale.ROOT, "| %-8s | %9.3f | %10.3f | %7.3f | %8.3f |%n", result.mode(), result.recallAt5(),
                    result.recallAt10(), result.mrrAt10(), result.ndcgAt10()));
        }
        return table.toString();
    }
}
