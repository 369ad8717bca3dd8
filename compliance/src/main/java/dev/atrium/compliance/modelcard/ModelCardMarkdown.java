package dev.atrium.compliance.modelcard;

import java.util.List;
import java.util.Locale;

/** Renders a model card as Markdown in the Hugging Face layout (sections in the usual order, a results table). */
public final class ModelCardMarkdown {

    private ModelCardMarkdown() {
    }

    public static String render(String model, String version, String status, ModelCard card) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(escape(model)).append(' ').append(escape(version)).append("\n\n");
        md.append("Status: **").append(status).append("**\n\n");
        ModelCard.Details details = card.details();
        md.append("## Model details\n\n");
        if (details != null) {
            line(md, details.description());
            if (details.owners() != null && !details.owners().isEmpty()) {
                md.append("- Owners: ");
                md.append(String.join(", ", details.owners().stream().map(o -> escape(o.name()) + " (" + escape(o.contact()) + ")").toList()));
                md.append('\n');
            }
            field(md, "License", details.license());
            list(md, "References", details.references());
            field(md, "Citation", details.citation());
        }
        md.append("\n## Intended use\n\n");
        if (card.intendedUse() != null) {
            list(md, "Primary uses", card.intendedUse().primaryUses());
            list(md, "Primary users", card.intendedUse().primaryUsers());
            list(md, "Out of scope", card.intendedUse().outOfScopeUses());
        }
        md.append("\n## Training data\n\n");
        if (card.trainingData() != null) {
            if (card.trainingData().datasets() != null) {
                for (ModelCard.Dataset dataset : card.trainingData().datasets()) {
                    md.append("- ").append(escape(dataset.name()));
                    if (dataset.link() != null) {
                        md.append(" (").append(escape(dataset.link())).append(')');
                    }
                    if (dataset.description() != null) {
                        md.append(": ").append(escape(dataset.description()));
                    }
                    md.append('\n');
                }
            }
            field(md, "Preprocessing", card.trainingData().preprocessing());
        }
        md.append("\n## Evaluation results\n\n");
        if (card.evaluationResults() != null && !card.evaluationResults().isEmpty()) {
            md.append("| metric | value | dataset | split | source |\n|---|---|---|---|---|\n");
            for (ModelCard.EvaluationResult result : card.evaluationResults()) {
                md.append("| ").append(escape(result.metric())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.4f", result.value())).append(" | ")
                        .append(escape(result.dataset())).append(" | ").append(escape(result.split())).append(" | ")
                        .append(escape(result.source())).append(" |\n");
            }
        }
        md.append("\n## Limitations\n\n");
        if (card.limitations() != null) {
            card.limitations().forEach(l -> md.append("- ").append(escape(l)).append('\n'));
        }
        md.append("\n## Ethical considerations\n\n");
        if (card.ethicalConsiderations() != null) {
            for (ModelCard.EthicalConsideration consideration : card.ethicalConsiderations()) {
                md.append("- **Risk:** ").append(escape(consideration.risk())).append(" **Mitigation:** ")
                        .append(escape(consideration.mitigation())).append('\n');
            }
        }
        ModelCard.EnvironmentalImpact impact = card.environmentalImpact();
        if (impact != null) {
            md.append("\n## Environmental impact\n\n");
            field(md, "Hardware", impact.hardwareType());
            field(md, "Hours used", impact.hoursUsed() == null ? null : impact.hoursUsed().toString());
            field(md, "Cloud provider", impact.cloudProvider());
            field(md, "Compute region", impact.computeRegion());
            field(md, "Carbon emitted (kg CO2eq)", impact.carbonEmittedKgCo2eq() == null ? null : impact.carbonEmittedKgCo2eq().toString());
        }
        return md.toString();
    }

    private static void line(StringBuilder md, String text) {
        if (text != null && !text.isBlank()) {
            md.append(escape(text)).append("\n\n");
        }
    }

    private static void field(StringBuilder md, String name, String value) {
        if (value != null && !value.isBlank()) {
            md.append("- ").append(name).append(": ").append(escape(value)).append('\n');
        }
    }

    private static void list(StringBuilder md, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            md.append("- ").append(name).append(":\n");
            values.forEach(v -> md.append("  - ").append(escape(v)).append('\n'));
        }
    }

    /** Keeps user text from breaking the layout or injecting HTML: table pipes, angle brackets, line breaks. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", " ").replace("\n", " ");
    }
}
