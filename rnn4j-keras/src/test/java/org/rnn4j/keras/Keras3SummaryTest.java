package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.models.Sequential;
import org.rnn4j.models.SummaryStyle;

/** {@code summary(SummaryStyle.KERAS3)} prints Keras 3's table for every fixture, to the character. */
class Keras3SummaryTest {
    static Stream<String> cases() throws Exception {
        List<Map<String, Object>> cases = Fixtures.kerasCases();
        return cases.stream().map(c -> (String) c.get("name"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesKerasSummaryText(String name) throws Exception {
        Path dir = Fixtures.dir("keras");
        String expected = Files.readString(dir.resolve(name + ".summary.txt"), StandardCharsets.UTF_8);
        expected = expected.substring(0, expected.indexOf("count_params()"));
        Sequential model = (Sequential) KerasModels.load(dir.resolve(name + ".keras"));
        assertEquals(expected, model.summaryString(SummaryStyle.KERAS3));
    }
}
