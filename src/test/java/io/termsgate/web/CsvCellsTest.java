package io.termsgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every CSV the service writes goes through one cell writer: quoted, and never a formula. */
class CsvCellsTest {

    @Test
    void aTextThatAStartsLikeAFormulaIsShownNotRun() {
        assertThat(CsvCells.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvCells.cell("+cmd")).isEqualTo("'+cmd");
        assertThat(CsvCells.cell("-1+1")).isEqualTo("'-1+1");
        assertThat(CsvCells.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.cell("\r=1")).isEqualTo("\"'\r=1\"");
    }

    @Test
    void numbersAndPlainTextStayAsTheyAre() {
        assertThat(CsvCells.cell("-25000.50")).isEqualTo("-25000.50");
        assertThat(CsvCells.cell("EX-01")).isEqualTo("EX-01");
        assertThat(CsvCells.cell("")).isEmpty();
    }

    @Test
    void separatorsQuotesAndLineBreaksAreQuoted() {
        assertThat(CsvCells.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvCells.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvCells.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    }
}
