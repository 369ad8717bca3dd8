package dev.atrium.dataplane.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.rag.index.SearchHit;

/** The extractive answerer: best sentences only, cited, with offsets into the document. */
class ExtractiveAnswerTest {

    private static SearchHit hit(String title, String text, int start) {
        return new SearchHit(UUID.randomUUID(), UUID.randomUUID(), title, text, start, start + text.length(), 1.0);
    }

    @Test
    void keepsTheSentencesThatAnswerAndDropsWeakMatches() {
        SearchHit leave = hit("Leave", "New employees get 25 vacation days per year. Unused days expire on March 31.", 100);
        SearchHit remote = hit("Remote", "Remote work is allowed two days per week with manager approval.", 0);
        Answer answer = AnswerService.extractive("How many vacation days do new employees get?", List.of(leave, remote));
        assertThat(answer.mode()).isEqualTo("extractive");
        assertThat(answer.answer()).isEqualTo("New employees get 25 vacation days per year. [1]");
        assertThat(answer.citations()).singleElement().satisfies(c -> {
            assertThat(c.start()).isEqualTo(100);
            assertThat(c.end()).isEqualTo(100 + "New employees get 25 vacation days per year.".length());
        });
    }

    @Test
    void saysSoWhenNothingMatches() {
        Answer answer = AnswerService.extractive("Who painted the Mona Lisa?",
                List.of(hit("Leave", "New employees get 25 vacation days per year.", 0)));
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.answer()).contains("could not find");
    }
}
