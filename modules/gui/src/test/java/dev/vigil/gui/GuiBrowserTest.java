package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.daemon.TestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The GUI in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium) against the real GUI server of n1 and a real two-server cluster ({@link GuiCluster}):
 * a wrong password is refused, a guest cannot act, an operator takes the hierarchy out of service
 * on n1 and in service on n2 (through remote exec) and the table follows without a reload, a
 * change made elsewhere shows within a second, an operator turns maintenance mode on and off and
 * the badge and banner follow without a reload, the logs view shows the chosen log, an
 * administrator changes the shutdown strategy and it survives a restart of the daemon, a crashed
 * server turns Dead. Screenshots of the
 * main window and the dialogs go to {@code target/screenshots} (copied to docs/images).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ROOT = GuiCluster.ROOT;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static GuiCluster cluster;
    private static WebDriver browser;
    private static Path profile;
    private static final Path SHOTS = Path.of("target", "screenshots");

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        cluster = new GuiCluster();
        profile = Files.createTempDirectory("vigil-gui-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
        cluster.awaitFormed();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (profile != null) {
                TestSupport.deleteRecursively(profile);
            }
        }
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefused() throws IOException {
        browser.get(cluster.url());
        waitFor(() -> browser.findElement(By.id("dlg-login")).isDisplayed());
        shot("gui-login");
        login("oper", "not-the-password");
        waitFor(() -> text("login-error").equals("wrong user name or password"));
        assertTrue(browser.findElement(By.id("dlg-login")).isDisplayed());
    }

    @Test
    @Order(2)
    void aGuestSeesTheStatusButCannotSwitchOver() {
        openLoggedOut();
        login("guest", "guest-pw");
        waitFor(() -> state(ROOT, "n1").equals("ISP") && state(ROOT, "n2").equals("OSU"));
        assertEquals("Active", cell(ROOT, "n1").getText());
        assertEquals("StandBy", cell(ROOT, "n2").getText());
        assertEquals("StandBy", cell("fs-/share", "n2").getText());
        assertEquals("true", attribute(By.cssSelector("tr[data-resource='" + ROOT + "'] button[data-action='in-service']"),
                "disabled"), "In Service… is disabled for a guest");
        assertEquals("true", attribute(By.cssSelector("tr[data-resource='" + ROOT + "'] button[data-action='maintenance']"),
                "disabled"), "Maintenance on… is disabled for a guest");
        assertEquals("operators and administrators only", attribute(By.cssSelector("tr[data-resource='" + ROOT
                + "'] button[data-action='maintenance']"), "title"));
        logout();
    }

    @Test
    @Order(3)
    void anOperatorSwitchesTheHierarchyOverAndThePageFollows() throws IOException {
        openLoggedOut();
        login("oper", "oper-pw");
        waitFor(() -> state(ROOT, "n1").equals("ISP"));
        shot("gui-main");
        act("out-of-service", "n1");
        waitFor(() -> state(ROOT, "n1").equals("OSU"));
        act("in-service", "n2");
        shot("gui-switchover");
        waitFor(() -> state(ROOT, "n2").equals("ISP") && state("ip-10.200.0.100", "n2").equals("ISP"));
        waitFor(() -> ownerText().equals("n2"));
        waitFor(() -> browser.findElement(By.id("messages")).getText().contains("is in service on n2"));
    }

    @Test
    @Order(4)
    void aChangeMadeElsewhereShowsWithinASecond() throws Exception {
        // The hierarchy out of service on n2 through n2's own admin API, not the page: then the page must follow.
        waitFor(() -> state(ROOT, "n2").equals("ISP"));
        String token = Files.readString(cluster.configs[1].admin().tokenFile()).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + cluster.configs[1].admin().port() + "/v1/hierarchies/" + URLEncoder.encode(ROOT, StandardCharsets.UTF_8)
                        + "/actions")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"remove\"}")).build(), HttpResponse.BodyHandlers.ofString());
        long done = System.nanoTime();
        assertEquals(200, r.statusCode(), r.body());
        waitFor(() -> state(ROOT, "n2").equals("OSU"));
        long millis = (System.nanoTime() - done) / 1_000_000;
        System.out.println("GUI page showed the change " + millis + " ms after the daemon's answer");
        // One feed poll (200 ms) + one stream tick (100 ms) + the board's report; generous for loaded CI machines.
        assertTrue(millis < 3000, "page showed the change after " + millis + " ms");
    }

    @Test
    @Order(5)
    void anOperatorTurnsMaintenanceOnAndOffAndThePageShowsItWithoutAReload() throws IOException {
        By button = By.cssSelector("tr[data-resource='" + ROOT + "'] button[data-action='maintenance']");
        waitFor(() -> attribute(By.cssSelector("tr[data-resource='" + ROOT + "']"), "data-maintenance").equals("false"));
        assertTrue(!browser.findElement(By.id("maint-banner")).isDisplayed(), "no banner before");
        waitFor(() -> buttonText(button).equals("Maintenance on…"));
        click(button);
        waitFor(() -> browser.findElement(By.id("dlg-maint")).isDisplayed());
        assertEquals("Maintenance on: " + ROOT, text("maint-title"));
        browser.findElement(By.id("maint-ok")).click();
        waitFor(() -> text("maint-progress").equals("hierarchy \"" + ROOT + "\" is in maintenance mode"));
        waitFor(() -> !browser.findElement(By.id("dlg-maint")).isDisplayed());
        waitFor(() -> attribute(By.cssSelector("tr[data-resource='" + ROOT + "']"), "data-maintenance").equals("true"));
        waitFor(() -> text("maint-banner").startsWith("⚠ Maintenance mode: " + ROOT + " — checks, local recovery and "
                + "failover are suspended"));
        waitFor(() -> badges().equals(List.of("MAINTENANCE")));
        waitFor(() -> buttonText(button).equals("Maintenance off…"));
        shot("gui-maintenance");
        click(button);
        waitFor(() -> browser.findElement(By.id("dlg-maint")).isDisplayed());
        assertEquals("Maintenance off: " + ROOT, text("maint-title"));
        browser.findElement(By.id("maint-ok")).click();
        waitFor(() -> text("maint-progress").equals("hierarchy \"" + ROOT + "\" is out of maintenance mode"));
        waitFor(() -> !browser.findElement(By.id("dlg-maint")).isDisplayed());
        waitFor(() -> attribute(By.cssSelector("tr[data-resource='" + ROOT + "']"), "data-maintenance").equals("false"));
        waitFor(() -> !browser.findElement(By.id("maint-banner")).isDisplayed());
        waitFor(() -> badges().isEmpty());
    }

    @Test
    @Order(6)
    void theLogsViewShowsTheChosenLog() throws IOException {
        browser.findElement(By.id("btn-logs")).click();
        new Select(browser.findElement(By.id("logs-type"))).selectByVisibleText("GUI");
        browser.findElement(By.id("logs-show")).click();
        waitFor(() -> text("logs-text").contains("user 'oper' (operator) logged in"));
        shot("gui-logs");
        browser.findElement(By.id("logs-close")).click();
        logout();
    }

    @Test
    @Order(7)
    void anAdministratorChangesTheShutdownStrategyAndItSurvivesADaemonRestart() throws Exception {
        openLoggedOut();
        login("admin", "admin-pw");
        click(By.cssSelector("th.server[data-server='n1']"));
        waitFor(() -> browser.findElement(By.id("dlg-props")).isDisplayed());
        new Select(browser.findElement(By.id("props-strategy"))).selectByValue("switchover");
        browser.findElement(By.id("props-apply")).click();
        waitFor(() -> text("props-message").startsWith("Shutdown strategy of n1 saved"));
        shot("gui-properties");
        browser.findElement(By.id("tab-commpaths")).click();
        waitFor(() -> text("props-paths").contains("ALIVE"));
        shot("gui-commpaths");
        browser.findElement(By.id("props-close")).click();
        assertEquals("switchover\n", Files.readString(cluster.configs[0].stateDir().resolve("shutdown-strategy")));
        cluster.restart(0);
        browser.navigate().refresh();
        click(By.cssSelector("th.server[data-server='n1']"));
        waitFor(() -> new Select(browser.findElement(By.id("props-strategy"))).getFirstSelectedOption()
                .getAttribute("value").equals("switchover"));
        browser.findElement(By.id("props-close")).click();
    }

    @Test
    @Order(8)
    void aCrashedServerTurnsDead() throws Exception {
        waitFor(() -> serverHealth("n2").contains("Alive"));
        cluster.crash(1);
        waitFor(() -> serverHealth("n2").contains("Dead"));
        waitFor(() -> state(ROOT, "n2").equals("ILLSTATE"));
        shot("gui-server-dead");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * Loads the page and makes sure nobody is logged in: the session cookie outlives a reload, so a test that
     * failed before its logout would otherwise leave the next one without a login dialog.
     */
    private static void openLoggedOut() {
        browser.get(cluster.url());
        waitFor(() -> browser.findElement(By.id("dlg-login")).isDisplayed() || !text("who").isEmpty());
        if (!browser.findElement(By.id("dlg-login")).isDisplayed()) {
            logout();
        }
    }

    private static void login(String user, String password) {
        waitFor(() -> browser.findElement(By.id("dlg-login")).isDisplayed());
        WebElement u = browser.findElement(By.id("login-user"));
        u.clear();
        u.sendKeys(user);
        WebElement p = browser.findElement(By.id("login-password"));
        p.clear();
        p.sendKeys(password);
        browser.findElement(By.id("login-ok")).click();
        if (!password.startsWith("not-")) {
            waitFor(() -> text("who").startsWith(user + " ("));
        }
    }

    private static void logout() {
        browser.findElement(By.id("btn-logout")).click();
        waitFor(() -> browser.findElement(By.id("dlg-login")).isDisplayed());
    }

    private static void act(String verb, String server) {
        click(By.cssSelector("tr[data-resource='" + ROOT + "'] button[data-action='" + verb + "']"));
        waitFor(() -> browser.findElement(By.id("dlg-action")).isDisplayed());
        new Select(browser.findElement(By.id("action-server"))).selectByValue(server);
        browser.findElement(By.id("action-ok")).click();
        waitFor(() -> text("action-progress").contains(verb.equals("in-service") ? "is in service on " + server
                : "is out of service on " + server));
        waitFor(() -> !browser.findElement(By.id("dlg-action")).isDisplayed());
    }

    /** Clicks the element once it is there; the table is rebuilt on every live update, so a found cell may go stale. */
    private static void click(By by) {
        waitFor(() -> {
            try {
                browser.findElement(by).click();
                return true;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
    }

    private static String attribute(By by, String name) {
        String[] value = {null};
        waitFor(() -> {
            try {
                value[0] = browser.findElement(by).getAttribute(name);
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        return value[0];
    }

    private static WebElement row(String resource) {
        return browser.findElement(By.cssSelector("tr[data-resource='" + resource + "']"));
    }

    private static WebElement cell(String resource, String server) {
        List<WebElement> heads = browser.findElements(By.cssSelector("#status thead th"));
        int column = -1;
        for (int i = 0; i < heads.size(); i++) {
            if (server.equals(heads.get(i).getAttribute("data-server"))) {
                column = i;
            }
        }
        return row(resource).findElements(By.tagName("td")).get(column);
    }

    private static String state(String resource, String server) {
        try {
            String s = cell(resource, server).getAttribute("data-state");
            return s == null ? "" : s;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String ownerText() {
        try {
            return row(ROOT).findElement(By.cssSelector("td.owner")).getText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String serverHealth(String server) {
        try {
            return browser.findElement(By.cssSelector("th.server[data-server='" + server + "']")).getText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String buttonText(By by) {
        try {
            return browser.findElement(by).getText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The maintenance badges in the table, as shown (upper case by the style). */
    private static List<String> badges() {
        try {
            return browser.findElements(By.cssSelector("#status .maint-badge")).stream().map(WebElement::getText).toList();
        } catch (RuntimeException e) {
            return List.of("?");
        }
    }

    private static String text(String id) {
        try {
            return browser.findElement(By.id(id)).getText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(50)).until(d -> condition.getAsBoolean());
    }

    private static void shot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }
}
