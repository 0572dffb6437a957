package dev.vigil.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.cli.format.ShortStatusFormatter.FirstColumn;
import dev.vigil.cli.testing.StatusFixtures;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShortStatusFormatterTest {
    private final ShortStatusFormatter formatter = new ShortStatusFormatter(ZoneId.of("UTC"));

    @Test
    void quickLayoutListsEveryResourceOfThisServerWithChildrenIndentedThenItsCommPaths() {
        String expected = """
                LOCAL  TAG                    ID                      STATE  PRIO  PRIMARY
                n1     powergres-/share/data  /share/data             ISP       1  n1
                n1      ip-10.200.0.100       IP-10.200.0.100         ISP       1  n1
                n1      fs-/share             /share                  ISP       1  n1
                n1       vg-vg0               vg0                     ISP       1  n1
                n1     app-batch              /opt/batch/bin/restore  OSU       2  n2

                MACHINE  NETWORK  ADDRESSES/DEVICE       STATE  PRIO
                n2       TCP      10.200.0.1/10.200.0.2  ALIVE     1
                n3       TCP      10.200.0.1/10.200.0.3  DEAD      1
                """;
        assertEquals(expected, formatter.format(StatusFixtures.threeServers(), "n1", Optional.empty(), FirstColumn.LOCAL));
    }

    @Test
    void backupLayoutShowsTheNextServerByPriorityOrDashesForTheLastOne() {
        String expected = """
                BACKUP  TAG        ID                      STATE  PRIO  PRIMARY
                ------  app-batch  /opt/batch/bin/restore  OSU       3  n2

                MACHINE  NETWORK  ADDRESSES/DEVICE       STATE  PRIO
                n1       TCP      10.200.0.3/10.200.0.1  ALIVE     1
                n2       TCP      10.200.0.3/10.200.0.2  ALIVE     1
                """;
        String n3Batch = formatter.format(StatusFixtures.threeServers(), "n3", Optional.of(StatusFixtures.BATCH),
                FirstColumn.BACKUP);
        // n3 is DEAD: its view comes from its last report, and says so first.
        assertEquals("(last report at Wed Nov 26 13:12:30 UTC 2025: server is DEAD)\n" + expected.replace("OSU", "ISP"),
                n3Batch);

        String n1 = formatter.format(StatusFixtures.threeServers(), "n1", Optional.empty(), FirstColumn.BACKUP);
        assertEquals("""
                BACKUP  TAG                    ID                      STATE  PRIO  PRIMARY
                n2      powergres-/share/data  /share/data             ISP       1  n1
                n2       ip-10.200.0.100       IP-10.200.0.100         ISP       1  n1
                n2       fs-/share             /share                  ISP       1  n1
                n2        vg-vg0               vg0                     ISP       1  n1
                n3      app-batch              /opt/batch/bin/restore  OSU       2  n2
                """, n1.substring(0, n1.indexOf("\n\n") + 1));
    }

    @Test
    void anotherServersViewShowsItsOwnStatesAndCommPaths() {
        String expected = """
                LOCAL  TAG                    ID                      STATE  PRIO  PRIMARY
                n2     powergres-/share/data  /share/data             OSU      10  n1
                n2      ip-10.200.0.100       IP-10.200.0.100         OSU      10  n1
                n2      fs-/share             /share                  OSU      10  n1
                n2       vg-vg0               vg0                     OSU      10  n1
                n2     app-batch              /opt/batch/bin/restore  OSF       1  n2

                MACHINE  NETWORK  ADDRESSES/DEVICE       STATE  PRIO
                n1       TCP      10.200.0.2/10.200.0.1  ALIVE     1
                n3       TCP      10.200.0.2/10.200.0.3  DEAD      1
                """;
        assertEquals(expected, formatter.format(StatusFixtures.threeServers(), "n2", Optional.empty(), FirstColumn.LOCAL));
    }

    @Test
    void everyCommPathIsListedWithItsTypeAndPriority() {
        String text = formatter.format(StatusFixtures.aliveOnSecondPathOnly(), "n1", Optional.empty(), FirstColumn.LOCAL);
        assertEquals("""
                MACHINE  NETWORK  ADDRESSES/DEVICE       STATE  PRIO
                n2       TCP      10.200.0.1/10.200.0.2  DEAD      1
                n2       UDP      10.201.0.1/10.201.0.2  ALIVE     2
                """, text.substring(text.indexOf("\n\n") + 2));
        String comm = text.substring(text.indexOf("\n\n") + 2);
        assertEquals(2, comm.lines().skip(1).filter(l -> l.matches("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)$")).count());
    }

    @Test
    void rowsMatchTheRegularExpressionsThirdPartyParsersUseForCommPaths() {
        String text = formatter.format(StatusFixtures.threeServers(), "n1", Optional.empty(), FirstColumn.LOCAL);
        String comm = text.substring(text.indexOf("\n\n") + 2);
        long matching = comm.lines().skip(1).filter(l -> l.matches("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)$")).count();
        assertEquals(2, matching);
    }
}
