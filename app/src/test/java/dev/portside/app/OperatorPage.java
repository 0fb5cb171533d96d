package dev.portside.app;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's page in a real browser, Debian's Chromium, headless, driven over WebDriver by
 * Debian's chromedriver: what a person types, clicks and reads there. Screenshots go to
 * {@code target/operator-page/}, kept with the test's reports.
 */
final class OperatorPage implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "operator-page");
    // The page refreshes counters every 2 s and the topology every 5 s.
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver browser;
    private final String url;

    OperatorPage(String url, Path profile) {
        this.url = url;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // As root, with a fresh profile, and nothing that reaches for the network beyond loopback.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1600,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    void open() {
        browser.get(url);
    }

    void logIn(String user, String password, String project) {
        await(b -> b.findElement(By.id("login")).isDisplayed());
        type("username", user);
        type("password", password);
        type("project-name", project);
        browser.findElement(By.id("login-button")).click();
    }

    private void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** The error the login form shows, once it shows one. */
    String loginError() {
        return await(b -> {
            WebElement error = b.findElement(By.id("login-error"));
            return error.isDisplayed() ? error.getText() : null;
        });
    }

    /** Waits until the topology is drawn, then returns the summary line above it. */
    String awaitTopology() {
        return await(b -> {
            WebElement summary = b.findElement(By.id("summary"));
            return summary.isDisplayed() && !summary.getText().isBlank() ? summary.getText() : null;
        });
    }

    List<String> instances() {
        return names("#topology g.instance");
    }

    List<String> networks() {
        return names("#topology g.network");
    }

    private List<String> names(String selector) {
        return await(b -> b.findElements(By.cssSelector(selector)).stream().map(e -> e.getDomAttribute("data-name"))
                .toList());
    }

    /** The ports' edges in the drawing that are marked unaddressed, by port id. */
    List<String> unaddressedEdges() {
        return await(b -> b.findElements(By.cssSelector("#topology g.port.unaddressed")).stream()
                .map(e -> e.getDomAttribute("data-port-id")).toList());
    }

    /**
     * The port's row in the ports table, read in one script so that the page's re-rendering (every
     * two seconds) cannot change it half-way; none while the page does not show it.
     */
    Optional<Row> port(String portId) {
        Object read = browser.executeScript("""
                const row = document.querySelector(`#ports tbody tr[data-port-id='${arguments[0]}']`);
                if (!row) return null;
                const cell = name => row.querySelector('td.' + name);
                const packets = name => cell(name).dataset.packets === '' ? -1 : Number(cell(name).dataset.packets);
                return {name: cell('name').textContent, instance: cell('instance').textContent,
                  unaddressed: row.classList.contains('unaddressed'), address: cell('address').textContent,
                  security: cell('security').textContent, status: cell('status').textContent,
                  in: packets('in'), out: packets('out'), dropped: packets('dropped'),
                  reasons: cell('dropped').title};
                """, portId);
        if (!(read instanceof Map<?, ?> row)) {
            return Optional.empty();
        }
        return Optional.of(new Row((String) row.get("name"), (String) row.get("instance"),
                (Boolean) row.get("unaddressed"), (String) row.get("address"), (String) row.get("security"),
                (String) row.get("status"), ((Number) row.get("in")).longValue(), ((Number) row.get("out")).longValue(),
                ((Number) row.get("dropped")).longValue(), (String) row.get("reasons")));
    }

    int portRows() {
        return browser.findElements(By.cssSelector("#ports tbody tr")).size();
    }

    /** Waits until the port's row satisfies {@code condition}, then returns it. */
    Row awaitPort(String portId, java.util.function.Predicate<Row> condition) {
        return await(b -> port(portId).filter(condition).orElse(null));
    }

    /** Clicks the port's edge in the drawing and returns the details panel's title and CLI command. */
    List<String> clickEdge(String portId) {
        await(b -> {
            b.findElement(By.cssSelector("#topology g.port[data-port-id='" + portId + "'] text")).click();
            return true;
        });
        return await(b -> {
            WebElement panel = b.findElement(By.id("details"));
            return panel.isDisplayed() ? List.of(b.findElement(By.id("details-title")).getText(),
                    b.findElement(By.id("details-command")).getText()) : null;
        });
    }

    void switchProject(String name) {
        new Select(await(b -> {
            WebElement select = b.findElement(By.id("project"));
            return select.isDisplayed() ? select : null;
        })).selectByVisibleText(name);
    }

    void logOut() {
        browser.findElement(By.id("logout")).click();
        await(b -> b.findElement(By.id("login")).isDisplayed());
    }

    /** The whole page as it is now, kept as {@code target/operator-page/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        return Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private <T> T await(Function<ChromeDriver, T> condition) {
        // The page redraws every few seconds: an element read just before may be gone; look again.
        return new WebDriverWait(browser, PATIENCE).ignoring(StaleElementReferenceException.class)
                .until(b -> condition.apply((ChromeDriver) b));
    }

    @Override
    public void close() {
        browser.quit();
    }

    /** A row of the ports table: packets in, out and dropped are -1 while the page has no counters for it. */
    record Row(String name, String instance, boolean unaddressed, String address, String security, String status,
               long in, long out, long dropped, String droppedReasons) {
    }
}
