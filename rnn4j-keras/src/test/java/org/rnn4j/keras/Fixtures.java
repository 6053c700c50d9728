package org.rnn4j.keras;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds the shared read-only fixtures ({@code shared/fixtures} beside the project root). */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir(String sub) {
        return org.rnn4j.testing.SharedFiles.find("fixtures/" + sub);
    }

    static Object json(Path p) throws IOException {
        return Json.parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> kerasCases() throws IOException {
        Map<String, Object> index = (Map<String, Object>) json(dir("keras").resolve("index.json"));
        return (List<Map<String, Object>>) index.get("cases");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> wildCases() throws IOException {
        return (List<Map<String, Object>>) json(dir("keras2-wild").resolve("index.json"));
    }

    /** A row of a Keras 3 summary table: "name (Type)", output shape, params. */
    record Row(String layer, String shape, long params) {
    }

    /** Parses the rows of a Keras 3 box-drawn summary (continuation lines of a row are joined). */
    static List<Row> summaryRows(Path p) throws IOException {
        List<Row> rows = new ArrayList<>();
        String[] cur = null;
        boolean inBody = false;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.startsWith("┡")) {
                inBody = true;
                continue;
            }
            if (!inBody) {
                continue;
            }
            if (line.startsWith("│")) {
                String[] cells = line.split("│");
                // cells[0] is empty (before the first bar)
                if (cur == null) {
                    cur = new String[] {"", "", ""};
                }
                for (int i = 0; i < 3; i++) {
                    String c = cells[i + 1].trim();
                    if (!c.isEmpty()) {
                        cur[i] = cur[i].isEmpty() ? c : cur[i] + " " + c;
                    }
                }
            } else if (line.startsWith("├") || line.startsWith("└")) {
                if (cur != null) {
                    rows.add(new Row(cur[0], cur[1], Long.parseLong(cur[2].replace(",", ""))));
                }
                cur = null;
                if (line.startsWith("└")) {
                    break;
                }
            }
        }
        return rows;
    }

    static long totalParams(Path p) throws IOException {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.startsWith("count_params() = ")) {
                return Long.parseLong(line.substring("count_params() = ".length()).trim());
            }
        }
        throw new IllegalStateException(p + " has no count_params() line");
    }
}
