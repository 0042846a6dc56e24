package io.customersessions.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table of a run: a row per figure, with its target and whether it was met, plus free notes (settings
 * used, what was skipped and why). Rendered for the console and as Markdown.
 */
final class Report {

    enum Verdict {
        MET("✓"), MISSED("✗"), NONE("");

        final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }
    }

    /** One figure; {@code target} and {@code verdict} are empty for figures without a target. */
    record Row(String phase, String measure, String result, String target, Verdict verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String phase, String measure, String result) {
        rows.add(new Row(phase, measure, result, "", Verdict.NONE));
    }

    void add(String phase, String measure, String result, String target, boolean met) {
        rows.add(new Row(phase, measure, result, target, met ? Verdict.MET : Verdict.MISSED));
    }

    void note(String note) {
        notes.add(note);
    }

    /** A fixed-width table for the terminal. */
    String text() {
        String[] header = {"phase", "measure", "result", "target", ""};
        int[] widths = new int[header.length];
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        rows.forEach(row -> lines.add(cells(row)));
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            String[] line = lines.get(n);
            for (int i = 0; i < line.length; i++) {
                out.append(String.format(Locale.ROOT, "%-" + Math.max(1, widths[i]) + "s", line[i]));
                out.append(i < line.length - 1 ? "  " : "");
            }
            out.append('\n');
            if (n == 0) {
                for (int i = 0; i < widths.length; i++) {
                    out.append("-".repeat(widths[i])).append(i < widths.length - 1 ? "  " : "");
                }
                out.append('\n');
            }
        }
        notes.forEach(note -> out.append("* ").append(note).append('\n'));
        return out.toString();
    }

    /** A Markdown table (pipes in cells escaped) and the notes as a list. */
    String markdown() {
        StringBuilder out = new StringBuilder("| phase | measure | result | target | |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append('|');
            for (String cell : cells(row)) {
                out.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            out.append('\n');
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    private static String[] cells(Row row) {
        return new String[]{row.phase(), row.measure(), row.result(), row.target(), row.verdict().mark};
    }
}
