package dev.atrium.console.rag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.shared.Registration;

import dev.atrium.console.api.DataPlane;
import dev.atrium.console.api.Views.AddedDocument;
import dev.atrium.console.api.Views.Answer;
import dev.atrium.console.api.Views.Document;
import dev.atrium.console.api.Views.DocumentPage;
import dev.atrium.console.api.Views.IngestJob;
import dev.atrium.console.api.Views.KnowledgeBase;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * The tenant's knowledge bases on the data plane: create one, upload documents (upload progress, then indexing
 * progress for large documents), and a playground that answers a question with numbered citations. Calls the data
 * plane as the signed-in person; what they may do follows their role in the tenant.
 */
@Route(value = "t/:tenantId/knowledge-bases", layout = MainLayout.class)
public class KnowledgeBasesView extends TenantPage {

    private record PendingFile(String name, String contentType, byte[] content) {
    }

    /** A document indexed in the background, with the bar that shows its job's progress. */
    private record RunningJob(UUID jobId, ProgressBar bar) {
    }

    @Inject
    DataPlane dataPlane;

    private final Grid<KnowledgeBase> grid = new Grid<>();
    private final Div detail = new Div();
    private final Grid<Document> documents = new Grid<>();
    private final List<PendingFile> pending = new ArrayList<>();
    private final Map<UUID, RunningJob> jobs = new LinkedHashMap<>();
    private KnowledgeBase selected;
    private boolean refreshingList;
    private Registration pollRegistration;

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.member();
    }

    @Override
    protected String title() {
        return "Knowledge bases";
    }

    @Override
    protected void render() {
        Button create = primaryAction("Create knowledge base", "create-kb", this::openCreate);
        create.setVisible(session.tenantAdmin());
        add(header("Knowledge bases", "Documents your applications answer from, chunked, embedded and indexed in the data plane.", create));

        grid.removeAllColumns();
        grid.setId("knowledge-bases");
        grid.addColumn(KnowledgeBase::name).setHeader("Name").setFlexGrow(1);
        grid.addColumn(kb -> Formats.number(kb.documents())).setHeader("Documents").setAutoWidth(true);
        grid.addColumn(kb -> Formats.number(kb.chunks())).setHeader("Chunks").setAutoWidth(true);
        grid.addColumn(KnowledgeBase::embeddingModel).setHeader("Embedding model").setAutoWidth(true);
        grid.addColumn(kb -> kb.chatModel() == null ? "extractive answers" : kb.chatModel()).setHeader("Answers").setAutoWidth(true);
        grid.addColumn(kb -> Formats.dateTime(kb.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.setAllRowsVisible(true);
        grid.asSingleSelect().addValueChangeListener(event -> {
            if (!refreshingList) {
                show(event.getValue());
            }
        });
        detail.setWidthFull();
        add(grid, detail);
        refresh(null);
    }

    private String kbPath(KnowledgeBase kb) {
        return "/v1/knowledge-bases/" + kb.id();
    }

    private void refresh(String select) {
        Problems.attempt(() -> dataPlane.get("/v1/knowledge-bases", new TypeReference<Map<String, List<KnowledgeBase>>>() { }))
                .ifPresent(answer -> {
                    List<KnowledgeBase> items = answer.getOrDefault("items", List.of());
                    grid.setItems(items);
                    grid.setVisible(!items.isEmpty());
                    if (items.isEmpty()) {
                        detail.removeAll();
                        detail.add(new EmptyState(VaadinIcon.BOOK, "No knowledge bases yet",
                                "Create one, upload documents, and ask questions in the playground."));
                    } else if (select != null) {
                        items.stream().filter(kb -> kb.name().equals(select)).findFirst().ifPresent(grid::select);
                    }
                });
    }

    private void show(KnowledgeBase kb) {
        selected = kb;
        detail.removeAll();
        if (kb == null) {
            return;
        }
        TabSheet tabs = new TabSheet();
        tabs.setWidthFull();
        tabs.add("Documents", documentsTab(kb));
        tabs.add("Playground", playground(kb));
        detail.add(new H3(kb.name()), tabs);
    }

    private VerticalLayout documentsTab(KnowledgeBase kb) {
        documents.removeAllColumns();
        documents.setId("documents");
        documents.addColumn(Document::title).setHeader("Title").setFlexGrow(1);
        documents.addColumn(Document::contentType).setHeader("Type").setAutoWidth(true);
        documents.addComponentColumn(document -> jobs.containsKey(document.id())
                ? jobs.get(document.id()).bar() : Badges.status(document.status())).setHeader("Status").setWidth("160px").setFlexGrow(0);
        documents.addColumn(document -> Formats.number(document.chunks())).setHeader("Chunks").setAutoWidth(true);
        documents.addColumn(document -> document.piiFindings() == 0 ? "—" : document.piiFindings() + " found").setHeader("PII").setAutoWidth(true);
        documents.addColumn(document -> Formats.dateTime(document.createdAt())).setHeader("Added").setAutoWidth(true);
        documents.setAllRowsVisible(true);
        documents.setEmptyStateText("No documents yet: upload text, Markdown, HTML or PDF files.");
        VerticalLayout tab = new VerticalLayout();
        tab.setPadding(false);
        if (session.tenantAdmin()) {
            UI ui = UI.getCurrent();
            Upload upload = new Upload(UploadHandler.inMemory((metadata, data) -> ui.access(() ->
                    pending.add(new PendingFile(metadata.fileName(), metadata.contentType(), data)))));
            upload.setId("document-upload");
            upload.setAcceptedFileTypes("text/plain", "text/markdown", ".md", "text/html", "application/pdf", ".txt", ".pdf", ".html");
            upload.setMaxFileSize(20 * 1024 * 1024);
            upload.addAllFinishedListener(finished -> ingestPending(kb));
            upload.setWidthFull();
            tab.add(upload);
        }
        tab.add(documents);
        refreshDocuments(kb);
        return tab;
    }

    private void ingestPending(KnowledgeBase kb) {
        List<PendingFile> files = List.copyOf(pending);
        pending.clear();
        for (PendingFile file : files) {
            String contentType = file.contentType() == null || file.contentType().isBlank() ? guess(file.name()) : file.contentType();
            Problems.attempt(() -> dataPlane.postFile(kbPath(kb) + "/documents", file.name(), contentType, file.content(),
                    Map.of("title", file.name()), AddedDocument.class)).ifPresent(added -> {
                        if (added.job() != null) {
                            ProgressBar bar = new ProgressBar(0, 100, added.job().percent());
                            bar.setWidth("140px");
                            bar.addClassName("indexing-progress");
                            jobs.put(added.document().id(), new RunningJob(added.job().id(), bar));
                            UI.getCurrent().setPollInterval(1000);
                        }
                        Problems.success(file.name() + (added.job() != null ? " is being indexed" : " indexed"));
                    });
        }
        refreshDocuments(kb);
        refreshCounts();
    }

    /** New document and chunk counts in the list, keeping the open knowledge base as it is. */
    private void refreshCounts() {
        Problems.attempt(() -> dataPlane.get("/v1/knowledge-bases", new TypeReference<Map<String, List<KnowledgeBase>>>() { }))
                .ifPresent(answer -> {
                    refreshingList = true;
                    try {
                        List<KnowledgeBase> items = answer.getOrDefault("items", List.of());
                        grid.setItems(items);
                        if (selected != null) {
                            items.stream().filter(kb -> kb.id().equals(selected.id())).findFirst().ifPresent(kb -> {
                                selected = kb;
                                grid.select(kb);
                            });
                        }
                    } finally {
                        refreshingList = false;
                    }
                });
    }

    private static String guess(String name) {
        String lower = name.toLowerCase();
        if (lower.endsWith(".md")) {
            return "text/markdown";
        }
        if (lower.endsWith(".html") || lower.endsWith(".htm")) {
            return "text/html";
        }
        return lower.endsWith(".pdf") ? "application/pdf" : "text/plain";
    }

    private void refreshDocuments(KnowledgeBase kb) {
        Problems.attempt(() -> dataPlane.get(kbPath(kb) + "/documents", DocumentPage.class))
                .ifPresent(page -> documents.setItems(page.items()));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        pollRegistration = attach.getUI().addPollListener(poll -> pollJobs());
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (pollRegistration != null) {
            pollRegistration.remove();
        }
        detach.getUI().setPollInterval(-1);
    }

    private void pollJobs() {
        if (jobs.isEmpty()) {
            return;
        }
        boolean running = false;
        for (Map.Entry<UUID, RunningJob> entry : List.copyOf(jobs.entrySet())) {
            IngestJob job = Problems.attempt(() -> dataPlane.get("/v1/jobs/" + entry.getValue().jobId(), IngestJob.class)).orElse(null);
            if (job == null || job.finished()) {
                jobs.remove(entry.getKey());
            } else {
                entry.getValue().bar().setValue(job.percent());
                running = true;
            }
        }
        if (!running) {
            UI.getCurrent().setPollInterval(-1);
            if (selected != null) {
                refreshDocuments(selected);
                refreshCounts();
            }
        }
    }

    private VerticalLayout playground(KnowledgeBase kb) {
        TextArea question = new TextArea("Question");
        question.setId("playground-question");
        question.setWidthFull();
        question.setPlaceholder("Ask something the documents answer");
        Select<String> mode = new Select<>();
        mode.setLabel("Retrieval");
        mode.setItems("hybrid", "vector", "keyword");
        mode.setValue("hybrid");
        IntegerField topK = new IntegerField("Chunks");
        topK.setMin(1);
        topK.setMax(20);
        topK.setValue(5);
        topK.setStepButtonsVisible(true);
        Div result = new Div();
        result.setId("playground-answer");
        result.setWidthFull();
        Button ask = new Button("Ask", VaadinIcon.PAPERPLANE.create(), click -> {
            result.removeAll();
            Map<String, Object> body = Map.of("question", question.getValue(), "mode", mode.getValue(),
                    "topK", topK.getValue() == null ? 5 : topK.getValue());
            Problems.attempt(() -> dataPlane.post(kbPath(kb) + "/answer", body, Answer.class)).ifPresent(answer -> showAnswer(result, answer));
        });
        ask.setId("playground-ask");
        ask.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout options = new HorizontalLayout(mode, topK, ask);
        options.setAlignItems(FlexComponent.Alignment.BASELINE);
        VerticalLayout tab = new VerticalLayout(question, options, result);
        tab.setPadding(false);
        return tab;
    }

    private static void showAnswer(Div result, Answer answer) {
        Paragraph text = new Paragraph(answer.answer());
        text.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-l)");
        Span how = new Span(("generative".equals(answer.mode()) ? "Generated by " + answer.model() : "Extractive answer")
                + " · " + answer.citations().size() + " citations");
        how.addClassName("muted");
        Div card = new Div(text, how, new H4("Sources"));
        card.addClassName("card");
        for (Answer.Citation citation : answer.citations()) {
            Div source = new Div(new Span("[" + citation.n() + "] " + citation.title() + " · characters " + citation.start()
                    + "–" + citation.end()));
            source.addClassName("citation");
            Paragraph excerpt = new Paragraph(citation.text().length() > 400 ? citation.text().substring(0, 400) + "…" : citation.text());
            excerpt.addClassName("muted");
            source.add(excerpt);
            card.add(source);
        }
        result.add(card);
    }

    private void openCreate() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Create knowledge base");
        TextField name = new TextField("Name");
        name.setId("kb-name");
        name.setWidthFull();
        TextArea description = new TextArea("Description");
        description.setWidthFull();
        IntegerField size = new IntegerField("Chunk size (tokens)");
        size.setMin(16);
        size.setMax(128);
        size.setHelperText("16 to 128: MiniLM reads at most 128 word pieces");
        size.setValue(128);
        IntegerField overlap = new IntegerField("Overlap (tokens)");
        overlap.setMin(0);
        overlap.setValue(16);
        Select<String> embedding = new Select<>();
        embedding.setLabel("Embedding model");
        embedding.setItems("all-minilm-l6-v2-q", "all-minilm-l6-v2");
        embedding.setValue("all-minilm-l6-v2-q");
        TextField chatModel = new TextField("Chat model for answers (optional)");
        chatModel.setHelperText("An approved chat model; empty: extractive answers quoting the sources");
        chatModel.setWidthFull();
        HorizontalLayout chunking = new HorizontalLayout(size, overlap, embedding);
        chunking.setWidthFull();
        chunking.getStyle().set("flex-wrap", "wrap");
        dialog.add(new VerticalLayout(name, description, chunking, chatModel));
        Button save = new Button("Create", click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.getValue());
            body.put("description", description.getValue());
            body.put("chunking", Map.of("size", size.getValue() == null ? 128 : size.getValue(),
                    "overlap", overlap.getValue() == null ? 0 : overlap.getValue()));
            body.put("embeddingModel", embedding.getValue());
            if (!chatModel.getValue().isBlank()) {
                body.put("chatModel", chatModel.getValue().strip());
            }
            Problems.attempt(() -> dataPlane.post("/v1/knowledge-bases", body, KnowledgeBase.class)).ifPresent(kb -> {
                dialog.close();
                Problems.success(kb.name() + " created");
                refresh(kb.name());
            });
        });
        save.setId("kb-create");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("720px");
        dialog.open();
    }
}
