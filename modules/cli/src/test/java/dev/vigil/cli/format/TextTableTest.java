package dev.vigil.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsArePaddedToTheWidestCellTwoSpacesApartWithNumbersRightAligned() {
        List<String> lines = new TextTable(3).rightAlign(1)
                .add("NAME", "PRIO", "NOTE")
                .add("a-long-name", "10", "")
                .add("b", "1", "x").lines();
        assertEquals(List.of("NAME         PRIO  NOTE", "a-long-name    10", "b               1  x"), lines);
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable(2).add("only one"));
    }
}
