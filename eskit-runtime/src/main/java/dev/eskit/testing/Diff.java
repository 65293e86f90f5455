package dev.eskit.testing;

import java.util.List;

/** Renders expected and actual event lists side by side, marking the first difference. */
final class Diff {
    private Diff() {
    }

    static String events(List<?> expected, List<?> actual) {
        StringBuilder out = new StringBuilder();
        out.append("expected ").append(expected.size()).append(" event(s):\n").append(list(expected));
        out.append("but got ").append(actual.size()).append(" event(s):\n").append(list(actual));
        int max = Math.max(expected.size(), actual.size());
        for (int i = 0; i < max; i++) {
            Object want = i < expected.size() ? expected.get(i) : null;
            Object got = i < actual.size() ? actual.get(i) : null;
            if (want == null || !want.equals(got)) {
                out.append("first difference at event ").append(i + 1).append(":\n")
                        .append("  - expected: ").append(want == null ? "(nothing)" : want).append('\n')
                        .append("  + actual:   ").append(got == null ? "(nothing)" : got).append('\n');
                break;
            }
        }
        return out.toString();
    }

    static String list(List<?> events) {
        if (events.isEmpty()) {
            return "  (none)\n";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            out.append("  ").append(i + 1).append(". ").append(events.get(i)).append('\n');
        }
        return out.toString();
    }
}
