package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeScansTest {

    @Test
    void aReadStartsWhereTheLastReadOfTheSameTypesAfterTheSamePositionStopped() {
        TypeScans scans = new TypeScans();
        assertEquals(7, scans.startOf(Set.of("A"), 7), "nothing known: start at the position");
        scans.noneBetween(Set.of("A"), 7, 40);
        assertEquals(40, scans.startOf(Set.of("A"), 7));
        assertEquals(7, scans.startOf(Set.of("A", "B"), 7), "other types know nothing of it");
        assertEquals(8, scans.startOf(Set.of("A"), 8), "another position neither");
        scans.noneBetween(Set.of("A"), 7, 30);
        assertEquals(40, scans.startOf(Set.of("A"), 7), "an older, shorter scan does not move it back");
        scans.noneBetween(Set.of("A"), 7, 55);
        assertEquals(55, scans.startOf(Set.of("A"), 7));
        scans.noneBetween(Set.of("C"), 9, 9);
        scans.noneBetween(Set.of("C"), 9, 4);
        assertEquals(9, scans.startOf(Set.of("C"), 9), "an empty range is not remembered");
        assertEquals(1, scans.size());
    }

    @Test
    void whatReadsOfTheWholeLogFoundEmptyHoldsForATenantsReadsButNotTheOtherWayRound() {
        TypeScans scans = new TypeScans();
        scans.noneBetween("t1.", Set.of("A"), 0, 50);
        assertEquals(50, scans.startOf("t1.", Set.of("A"), 0));
        assertEquals(0, scans.startOf("t2.", Set.of("A"), 0), "another tenant's events may lie there");
        assertEquals(0, scans.startOf(Set.of("A"), 0), "and so may the whole log's");
        scans.noneBetween(Set.of("A"), 0, 80);
        assertEquals(80, scans.startOf("t2.", Set.of("A"), 0));
        assertEquals(80, scans.startOf("t1.", Set.of("A"), 0));
        assertEquals(80, scans.startOf(Set.of("A"), 0));
    }

    @Test
    void theTypesAreCopiedAndEqualSetsMatch() {
        TypeScans scans = new TypeScans();
        Set<String> types = new HashSet<>(Set.of("A", "B"));
        scans.noneBetween(types, 0, 100);
        types.add("C");
        assertEquals(100, scans.startOf(Set.of("B", "A"), 0));
        assertEquals(0, scans.startOf(types, 0));
    }

    @Test
    void theLeastRecentlyUsedEntriesGoFirst() {
        TypeScans scans = new TypeScans();
        for (int i = 0; i < TypeScans.MAX_ENTRIES; i++) {
            scans.noneBetween(Set.of("A"), i, i + 10);
        }
        assertEquals(10, scans.startOf(Set.of("A"), 0)); // used: the next eviction takes entry 1
        scans.noneBetween(Set.of("B"), 0, 5);
        assertEquals(TypeScans.MAX_ENTRIES, scans.size());
        assertEquals(10, scans.startOf(Set.of("A"), 0));
        assertEquals(1, scans.startOf(Set.of("A"), 1), "evicted");
        assertEquals(12, scans.startOf(Set.of("A"), 2));
        assertEquals(5, scans.startOf(Set.of("B"), 0));
    }
}
