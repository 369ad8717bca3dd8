package dev.atrium.dataplane.rag.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * The Lucene index of one knowledge base of one tenant, in its own directory: HNSW vectors (cosine) for dense
 * search and BM25 over English-analysed text. It is derived data: PostgreSQL holds the chunks and embeddings,
 * and {@link IndexRegistry} rebuilds an index from them when it is missing or out of step.
 */
public final class KnowledgeBaseIndex implements Closeable {

    static final String ID = "id";
    static final String DOCUMENT = "documentId";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String START = "start";
    static final String END = "end";
    static final String VECTOR = "vector";

    /** Reciprocal rank fusion constant (Cormack et al.): dampens the weight of the very top ranks. */
    static final int RRF_K = 60;
    /** kNN breadth: HNSW explores this many candidates; we keep the top k of them. */
    private static final int MIN_CANDIDATES = 50;

    private final Path directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private KnowledgeBaseIndex(Path directory) throws IOException {
        this.directory = directory;
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
        this.writer = new IndexWriter(FSDirectory.open(directory), config);
        this.searchers = new SearcherManager(writer, null);
    }

    public static KnowledgeBaseIndex open(Path directory) {
        try {
            return new KnowledgeBaseIndex(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open index " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Adds chunks; a chunk already in the index (same id) is replaced, so adding twice is harmless. */
    public void add(Collection<IndexedChunk> chunks) {
        write(chunks, true);
    }

    private void write(Collection<IndexedChunk> chunks, boolean replaceExisting) {
        try {
            List<Document> documents = new ArrayList<>(chunks.size());
            for (IndexedChunk chunk : chunks) {
                Document doc = new Document();
                doc.add(new StringField(ID, chunk.id().toString(), Field.Store.YES));
                doc.add(new StringField(DOCUMENT, chunk.documentId().toString(), Field.Store.YES));
                doc.add(new StoredField(TITLE, chunk.title()));
                doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
                doc.add(new StoredField(START, chunk.start()));
                doc.add(new StoredField(END, chunk.end()));
                doc.add(new KnnFloatVectorField(VECTOR, chunk.embedding(), VectorSimilarityFunction.COSINE));
                documents.add(doc);
            }
            if (replaceExisting) {
                for (Document doc : documents) {
                    writer.updateDocument(new Term(ID, doc.get(ID)), doc);
                }
            } else {
                writer.addDocuments(documents);
            }
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteDocument(UUID documentId) {
        try {
            writer.deleteDocuments(new Term(DOCUMENT, documentId.toString()));
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds chunks known not to be in the index (a rebuild after {@link #clear}), without the replace lookups. */
    void addNew(Collection<IndexedChunk> chunks) {
        write(chunks, false);
    }

    public void clear() {
        try {
            writer.deleteAll();
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of chunks searchable now. */
    public int size() {
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    public List<SearchHit> search(SearchMode mode, String text, float[] queryVector, int topK) {
        return withSearcher(searcher -> {
            List<ScoreDoc> ranked = switch (mode) {
                case VECTOR -> List.of(searcher.search(vectorQuery(queryVector, topK), topK).scoreDocs);
                case KEYWORD -> List.of(searcher.search(keywordQuery(text), topK).scoreDocs);
                case HYBRID -> fuse(List.of(
                        searcher.search(vectorQuery(queryVector, topK), Math.max(MIN_CANDIDATES, topK)).scoreDocs,
                        searcher.search(keywordQuery(text), Math.max(MIN_CANDIDATES, topK)).scoreDocs), topK);
            };
            return load(searcher, ranked);
        });
    }

    private static Query vectorQuery(float[] vector, int topK) {
        return new KnnFloatVectorQuery(VECTOR, vector, Math.max(MIN_CANDIDATES, topK));
    }

    /** Analysed terms OR-ed together: no query syntax, so user text can never be interpreted as operators. */
    private Query keywordQuery(String text) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        try (TokenStream tokens = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            int clauses = 0;
            while (tokens.incrementToken() && clauses++ < IndexSearcher.getMaxClauseCount()) {
                query.add(new TermQuery(new Term(TEXT, term.toString())), BooleanClause.Occur.SHOULD);
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return query.build();
    }

    /** Stored fields are read only for the final ranking, not for every fusion candidate. */
    private static List<SearchHit> load(IndexSearcher searcher, List<ScoreDoc> ranked) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(ranked.size());
        for (ScoreDoc scored : ranked) {
            Document doc = stored.document(scored.doc);
            hits.add(new SearchHit(UUID.fromString(doc.get(ID)), UUID.fromString(doc.get(DOCUMENT)), doc.get(TITLE),
                    doc.get(TEXT), doc.getField(START).numericValue().intValue(), doc.getField(END).numericValue().intValue(),
                    scored.score));
        }
        return hits;
    }

    /** Reciprocal rank fusion over Lucene doc ids: score = sum over rankings of 1 / (k + rank). */
    static List<ScoreDoc> fuse(List<ScoreDoc[]> rankings, int topK) {
        Map<Integer, Double> scores = new HashMap<>();
        for (ScoreDoc[] ranking : rankings) {
            for (int rank = 0; rank < ranking.length; rank++) {
                scores.merge(ranking[rank].doc, 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(topK)
                .map(e -> new ScoreDoc(e.getKey(), e.getValue().floatValue()))
                .toList();
    }

    private interface SearcherWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
