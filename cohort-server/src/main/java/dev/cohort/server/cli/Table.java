package dev.cohort.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with columns as wide as their widest cell. */
final class Table {
  private static final int MAX_CELL = 100;

  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = headers;
  }

  void row(String... cells) {
    String[] clipped = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i] == null ? "" : cells[i].replace('\n', ' ');
      clipped[i] = c.length() > MAX_CELL ? c.substring(0, MAX_CELL - 3) + "..." : c;
    }
    rows.add(clipped);
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    line(out, headers, widths);
    for (String[] r : rows) {
      line(out, r, widths);
    }
  }

  private static void line(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      s.append(cells[i]);
      if (i < cells.length - 1) {
        s.append(" ".repeat(widths[i] - cells[i].length() + 2));
      }
    }
    out.println(s.toString().stripTrailing());
  }
}
