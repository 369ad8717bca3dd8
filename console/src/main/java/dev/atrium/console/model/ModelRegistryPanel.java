package dev.atrium.console.model;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Model;
import dev.atrium.console.api.Views.ModelVersion;
import dev.atrium.console.api.Views;
import dev.atrium.console.layout.Page;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * A model registry (a tenant's, which also shows the platform's models read-only, or the platform's): models, their
 * versions with review state, model cards edited while DRAFT or REJECTED and submitted for review, and, for the
 * platform's registry, the platform compliance officers' review.
 */
public class ModelRegistryPanel extends VerticalLayout {

    /** A card with every required field, as a starting point (the control plane's validator names what is missing). */
    static final String CARD_TEMPLATE = """
            {
              "details": {
                "description": "What the model does, in one paragraph",
                "owners": [{"name": "Team name", "contact": "team@example.com"}],
                "license": "Apache-2.0",
                "references": []
              },
              "intendedUse": {
                "primaryUses": ["Answering support questions from our documentation"],
                "outOfScopeUses": ["Legal or medical advice"]
              },
              "trainingData": {"datasets": [{"name": "Provider's pre-training data (see the provider's card)"}]},
              "evaluationResults": [{"metric": "nDCG@10", "value": 0.9, "dataset": "support-faq", "split": "test"}],
              "limitations": ["May produce plausible but wrong answers"],
              "ethicalConsiderations": [{"risk": "Wrong answers presented as facts", "mitigation": "Answers cite their sources"}]
            }""";

    private final Grid<Model> models = new Grid<>();
    private final Grid<ModelVersion> versions = new Grid<>();
    private final Div versionsPanel = new Div();
    private Model selected;

    private final ControlPlane api;
    private final String basePath;
    private final Predicate<Model> editable;
    private final boolean reviewer;

    /**
     * @param basePath the registry, e.g. {@code /api/v1/tenants/<id>/models} or {@code /api/v1/platform/models}
     * @param editable which models this user may change (their own registry's, if they administer it)
     * @param reviewer whether this user approves or rejects versions here (platform compliance officers, for the platform's)
     */
    public ModelRegistryPanel(ControlPlane api, String basePath, Predicate<Model> editable, boolean canRegister, boolean reviewer) {
        this.api = api;
        this.basePath = basePath;
        this.editable = editable;
        this.reviewer = reviewer;
        setPadding(false);
        setWidthFull();
        Button create = Page.primaryAction("Register model", "register-model", this::openCreateModel);
        create.setVisible(canRegister);
        HorizontalLayout actions = new HorizontalLayout(create);
        actions.setWidthFull();
        actions.setJustifyContentMode(FlexComponent.JustifyContentMode.END);

        models.setId("models");
        models.addColumn(Model::name).setHeader("Model").setAutoWidth(true).setFlexGrow(1);
        models.addColumn(Model::type).setHeader("Type").setAutoWidth(true);
        models.addColumn(Model::provider).setHeader("Provider").setAutoWidth(true);
        models.addComponentColumn(model -> Badges.status(model.platformWide() ? "platform" : "tenant")).setHeader("Owner").setAutoWidth(true);
        models.addColumn(model -> Formats.dateTime(model.createdAt())).setHeader("Registered").setAutoWidth(true);
        models.setHeight("300px");
        models.setMinHeight("300px");
        models.asSingleSelect().addValueChangeListener(event -> showVersions(event.getValue()));

        versions.setId("model-versions");
        versions.addColumn(ModelVersion::version).setHeader("Version").setAutoWidth(true);
        versions.addComponentColumn(version -> Badges.status(version.status())).setHeader("Status").setAutoWidth(true);
        versions.addColumn(ModelVersion::artifactUri).setHeader("Artifact").setAutoWidth(true).setFlexGrow(1);
        versions.addColumn(version -> version.hardware() == null || version.hardware().gpuCount() == null || version.hardware().gpuCount() == 0
                ? "CPU" : version.hardware().gpuCount() + " × " + version.hardware().gpuType()).setHeader("Hardware").setAutoWidth(true);
        versions.addColumn(version -> version.reviewComment() == null ? "" : version.reviewComment()).setHeader("Review").setAutoWidth(true);
        versions.addComponentColumn(this::versionActions).setHeader("Actions").setWidth("440px").setFlexGrow(0);
        versions.setAllRowsVisible(true);
        versionsPanel.setWidthFull();
        add(actions, models, versionsPanel);
        refreshModels();
    }

    private void refreshModels() {
        Problems.attempt(() -> api.get(basePath, new TypeReference<Views.Page<Model>>() { })).ifPresent(page -> {
            models.setItems(page.items());
            models.setVisible(!page.items().isEmpty());
            if (page.items().isEmpty()) {
                versionsPanel.removeAll();
                versionsPanel.add(new EmptyState(VaadinIcon.CUBES, "No models registered",
                        "Register the models your applications use, with a model card, and submit them for review."));
            } else if (selected != null) {
                page.items().stream().filter(m -> m.name().equals(selected.name()) && m.owner().equals(selected.owner()))
                        .findFirst().ifPresent(models::select);
            }
        });
    }

    private String modelPath(Model model) {
        return basePath + "/" + ControlPlane.segment(model.name());
    }

    private void showVersions(Model model) {
        selected = model;
        versionsPanel.removeAll();
        if (model == null) {
            return;
        }
        Button add = new Button("New version", VaadinIcon.PLUS.create(), click -> openVersionEditor(model, null));
        add.setId("new-version");
        add.setVisible(editable.test(model));
        HorizontalLayout title = new HorizontalLayout(new H3(model.name()), add);
        title.setAlignItems(HorizontalLayout.Alignment.CENTER);
        versionsPanel.add(title);
        if (model.description() != null) {
            versionsPanel.add(new Span(model.description()));
        }
        Problems.attempt(() -> api.get(modelPath(model) + "/versions", new TypeReference<Views.Page<ModelVersion>>() { }))
                .ifPresent(page -> {
                    versions.setItems(page.items());
                    versionsPanel.add(page.items().isEmpty()
                            ? new EmptyState(VaadinIcon.FILE_TEXT_O, "No versions yet", "Add a version with its artifact and model card.")
                            : versions);
                });
    }

    private Component versionActions(ModelVersion version) {
        HorizontalLayout actions = new HorizontalLayout();
        String base = modelPath(selected) + "/versions/" + ControlPlane.segment(version.version());
        boolean draft = editable.test(selected) && ("DRAFT".equals(version.status()) || "REJECTED".equals(version.status()));
        if (draft) {
            Button edit = new Button("Edit card", click -> openVersionEditor(selected, version));
            edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            Button submit = new Button("Submit for review", click -> Problems.attempt(() ->
                    api.post(base + ":submit", null, ModelVersion.class)).ifPresent(submitted -> {
                        Problems.success(selected.name() + " " + version.version() + " submitted for review");
                        showVersions(selected);
                    }));
            submit.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_PRIMARY);
            actions.add(edit, submit);
        }
        if (reviewer && "IN_REVIEW".equals(version.status())) {
            Button review = new Button("Review", click -> openReview(base, version));
            review.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_PRIMARY);
            actions.add(review);
        }
        if (editable.test(selected) && "APPROVED".equals(version.status())) {
            Button deprecate = new Button("Deprecate", click -> Problems.attempt(() ->
                    api.post(base + ":deprecate", null, ModelVersion.class)).ifPresent(done -> showVersions(selected)));
            deprecate.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            actions.add(deprecate);
        }
        actions.add(cardDownload(base, version, "md"), cardDownload(base, version, "pdf"));
        return actions;
    }

    private Anchor cardDownload(String base, ModelVersion version, String format) {
        String fileName = selected.name() + "-" + version.version() + "-model-card." + format;
        Anchor anchor = new Anchor(DownloadHandler.fromInputStream(event -> {
            try {
                ControlPlane.Download download = api.download(base + "/card" + ("pdf".equals(format) ? "?format=pdf" : ""));
                InputStream body = download.body();
                return new DownloadResponse(body, fileName, download.contentType(), download.length());
            } catch (ApiProblem problem) {
                return DownloadResponse.error(problem.status(), problem.userMessage());
            }
        }), "pdf".equals(format) ? "Card (PDF)" : "Card (Markdown)");
        anchor.getElement().setAttribute("download", true);
        return anchor;
    }

    /** A platform compliance officer's review of a platform-wide version, in a dialog. */
    private void openReview(String base, ModelVersion version) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Review " + version.model() + " " + version.version());
        dialog.add(new ReviewForm(api, base, decided -> {
            dialog.close();
            showVersions(selected);
        }));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()));
        dialog.setWidth("760px");
        dialog.open();
    }

    private void openCreateModel() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Register model");
        TextField name = new TextField("Name");
        name.setId("model-name");
        name.setHelperText("Lower-case letters, digits, '.', '_' and '-'; the name applications ask for");
        name.setWidthFull();
        Select<String> type = new Select<>();
        type.setLabel("Type");
        type.setItems("llm", "embedding", "reranker", "classifier");
        type.setValue("llm");
        TextField provider = new TextField("Provider");
        provider.setPlaceholder("e.g. Mistral AI, in-house");
        TextArea description = new TextArea("Description");
        description.setWidthFull();
        dialog.add(new VerticalLayout(name, new HorizontalLayout(type, provider), description));
        Button save = new Button("Register", click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.getValue());
            body.put("type", type.getValue());
            body.put("provider", provider.getValue());
            body.put("description", description.getValue());
            Problems.attempt(() -> api.post(basePath, body, Model.class)).ifPresent(model -> {
                dialog.close();
                selected = model;
                refreshModels();
            });
        });
        save.setId("model-register");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("560px");
        dialog.open();
    }

    /** Creates a version (existing == null) or edits a DRAFT/REJECTED one: artifact, runtime, GPUs, model card. */
    private void openVersionEditor(Model model, ModelVersion existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "New version of " + model.name() : model.name() + " " + existing.version());
        TextField version = new TextField("Version");
        version.setId("version-name");
        TextField artifact = new TextField("Artifact or endpoint URI");
        artifact.setId("version-artifact");
        artifact.setWidthFull();
        TextField runtime = new TextField("Serving runtime");
        runtime.setPlaceholder("vllm, tgi, openai-compatible");
        TextField gpuType = new TextField("GPU type");
        gpuType.setPlaceholder("nvidia-l4");
        IntegerField gpuCount = new IntegerField("GPUs");
        gpuCount.setMin(0);
        gpuCount.setStepButtonsVisible(true);
        TextArea card = new TextArea("Model card (JSON)");
        card.setId("version-card");
        card.setWidthFull();
        card.setHeight("320px");
        card.addClassName("mono");
        if (existing == null) {
            card.setValue(CARD_TEMPLATE);
            gpuCount.setValue(0);
        } else {
            version.setValue(existing.version());
            version.setReadOnly(true);
            artifact.setValue(existing.artifactUri() == null ? "" : existing.artifactUri());
            runtime.setValue(existing.servingRuntime() == null ? "" : existing.servingRuntime());
            if (existing.hardware() != null) {
                gpuType.setValue(existing.hardware().gpuType() == null ? "" : existing.hardware().gpuType());
                gpuCount.setValue(existing.hardware().gpuCount());
            }
            card.setValue(existing.card() == null ? CARD_TEMPLATE : existing.card().toPrettyString());
        }
        dialog.add(new VerticalLayout(new HorizontalLayout(version, runtime), artifact, new HorizontalLayout(gpuType, gpuCount), card));
        Button save = new Button("Save", click -> {
            JsonNode cardJson;
            try {
                cardJson = api.json().readTree(card.getValue());
            } catch (Exception e) {
                Problems.show(new ApiProblem(400, "The model card is not valid JSON", e.getMessage(), java.util.List.of()));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (existing == null) {
                body.put("version", version.getValue());
            }
            body.put("artifactUri", artifact.getValue());
            body.put("servingRuntime", runtime.getValue());
            body.put("hardware", Map.of("gpuType", gpuType.getValue(), "gpuCount", gpuCount.getValue() == null ? 0 : gpuCount.getValue()));
            body.put("card", cardJson);
            String versions = modelPath(model) + "/versions";
            Problems.attempt(() -> existing == null
                    ? api.post(versions, body, ModelVersion.class)
                    : api.patch(versions + "/" + ControlPlane.segment(existing.version()), body, ModelVersion.class))
                    .ifPresent(saved -> {
                        dialog.close();
                        Problems.success(model.name() + " " + saved.version() + " saved as " + saved.status());
                        showVersions(model);
                    });
        });
        save.setId("version-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("760px");
        dialog.open();
    }
}
