package dev.vigil.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns padded to their widest cell and separated by two spaces, as the original's short
 * status prints them; chosen columns (numbers) are right-aligned. The last column is not padded,
 * so no line ends in spaces.
 */
public final class TextTable {
    private static final String GAP = "  ";

    private final int columns;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(int columns) {
        this.columns = columns;
        this.rightAligned = new boolean[columns];
    }

    public TextTable rightAlign(int... cols) {
        for (int c : cols) {
            rightAligned[c] = true;
        }
        return this;
    }

    public TextTable add(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    public List<String> lines() {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        List<String> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                boolean last = c == columns - 1;
                String pad = " ".repeat(width[c] - row[c].length());
                if (rightAligned[c]) {
                    sb.append(pad).append(row[c]);
                } else {
                    sb.append(row[c]);
                    if (!last) {
                        sb.append(pad);
                    }
                }
                if (!last) {
                    sb.append(GAP);
                }
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }
}
