package io.orchestr.e2e;

import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web dashboard in a real headless Chromium (Debian's, driven through its chromedriver) against a real manager
 * and two real nodes: sign in with a token, see a running job, pause and resume it, cancel another, watch a node
 * drain, all live (no reload: each page follows the manager's event stream), and a viewer sees no action. Each page's
 * screenshot goes to {@code target/dashboard/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");
    private static final String VIEWER_TOKEN = "dashboard-test-viewer-" + UUID.randomUUID();
    private static Cluster cluster;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        cluster = Cluster.withManager("dashboard", TestServices.get().newDatabase("dashboard"),
                TestServices.get().broker(), Map.of("ORCHESTR_API_TOKENS_FILE", tokensWithViewer().toString()));
        browser = chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anOperatorSignsInSeesAJobRunPausesAndResumesItCancelsAnotherAndWatchesANodeDrainLive() throws IOException {
        Jobs jobs = new Jobs(cluster);
        cluster.startNode("node-a", 8);
        UUID keep = jobs.createTicker("keep", 100);
        UUID gone = jobs.createTicker("gone", 100);
        List<UUID> others = jobs.createTickers("other", 2, 100);
        jobs.awaitAllTicking(List.of(keep, gone), DEADLINE);

        browser.get(managerUrl() + "/");
        find(By.id("token")).sendKeys(AdminToken.get().token());
        screenshot("sign-in");
        find(By.id("signin-button")).click();
        awaitText(By.cssSelector("#job-counts [data-status=Processing] .n"), "4");
        assertThat(find(By.id("who")).getText()).contains("admin");
        awaitText(By.id("live"), "live");
        markPage();
        UUID late = jobs.createTicker("late", 100);
        awaitText(By.cssSelector("#job-counts [data-status=Processing] .n"), "5");
        awaitText(By.id("slot-map"), "node-a");
        assertNotReloaded();
        screenshot("overview");

        find(By.cssSelector("#nav a[data-page=jobs]")).click();
        awaitText(By.cssSelector("#job-rows tr[data-job=keep]"), "Processing");
        screenshot("jobs");

        find(By.cssSelector("#job-rows tr[data-job=keep] a")).click();
        awaitText(By.id("job-head"), "Processing");
        awaitText(By.id("overlap-badge"), "never two runs at once");
        screenshot("job-running");
        markPage();
        click("pause");
        await("keep paused in the database").atMost(DEADLINE).until(() -> jobs.job(keep).status() == JobStatus.Paused);
        awaitText(By.id("job-head"), "Paused");
        // the node's own stop, as the manager recorded it, shows under the request: acknowledged, not just asked
        awaitText(By.cssSelector("#job-asked [data-step=stopped]"), "node-a");
        assertNotReloaded();
        screenshot("job-paused");
        click("resume");
        awaitText(By.id("job-head"), "Processing");
        await("keep running again").atMost(DEADLINE).until(() -> jobs.job(keep).status() == JobStatus.Processing);
        assertNotReloaded();
        screenshot("job-resumed");

        browser.get(managerUrl() + "/#/jobs/" + gone);
        awaitText(By.id("job-head"), "Processing");
        click("cancel");
        awaitText(By.id("job-head"), "Deleted");
        assertThat(jobs.job(gone).status()).isEqualTo(JobStatus.Deleted);
        screenshot("job-cancelled");

        cluster.startNode("node-b", 8);
        UUID nodeA = jobs.job(keep).serverId();
        browser.get(managerUrl() + "/#/servers/" + nodeA);
        awaitText(By.id("server-head"), "node-a");
        markPage();
        click("drain");
        awaitText(By.id("drain-progress"), "Drained: the node holds no job.");
        awaitText(By.cssSelector("#server-jobs tr[data-job=keep]"), "claimed by node-b");
        assertNotReloaded();
        screenshot("server-drained");
        List<UUID> moved = List.of(keep, others.get(0), others.get(1), late);
        await("every job on node-b").atMost(DEADLINE).until(() -> moved.stream().map(jobs::job)
                .allMatch(job -> job.status() == JobStatus.Processing && "node-b".equals(job.serverName())));
        assertThat(cluster.client().server(nodeA).status()).isEqualTo(NodeStatus.Drained);
        jobs.assertNoJobRanTwiceAtOnce(moved);
    }

    @Test
    @Order(2)
    void aViewerSeesJobsButNoActionAndABadTokenIsRefused() throws IOException {
        Jobs jobs = new Jobs(cluster);
        UUID job = jobs.createTicker("watched", 100);
        browser.get(managerUrl() + "/");
        signOutIfSignedIn();
        find(By.id("token")).sendKeys("not-a-token");
        find(By.id("signin-button")).click();
        awaitText(By.id("signin-error"), "not valid");

        find(By.id("token")).clear();
        find(By.id("token")).sendKeys(VIEWER_TOKEN);
        find(By.id("signin-button")).click();
        awaitText(By.id("who"), "viewer");
        browser.get(managerUrl() + "/#/jobs/" + job);
        awaitText(By.id("job-head"), "watched");
        assertThat(browser.findElements(By.cssSelector("#job-actions button"))).isEmpty();
        screenshot("job-as-viewer");
        signOutIfSignedIn();
    }

    /** Waits until the page knows whether its cookie still signs it in, and signs out if it does. */
    private static void signOutIfSignedIn() {
        await("the sign-in form or the sign-out button").atMost(DEADLINE).ignoreExceptions().until(() ->
                !browser.findElements(By.id("token")).isEmpty() || find(By.id("sign-out")).isDisplayed());
        if (browser.findElements(By.id("token")).isEmpty()) {
            find(By.id("sign-out")).click();
        }
        find(By.id("token"));
    }

    /** Clicks the action's button once it is there and enabled. */
    private static void click(String action) {
        await("a click on the " + action + " button").atMost(DEADLINE).ignoreExceptions().until(() -> {
            WebElement button = browser.findElement(By.cssSelector("button[data-action=" + action + "]"));
            if (!button.isEnabled()) {
                return false;
            }
            button.click();
            return true;
        });
    }

    /** Marks the page, so that {@link #assertNotReloaded()} can tell it was updated live, not reloaded. */
    private static void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.orchestrTestMark = true;");
    }

    private static void assertNotReloaded() {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.orchestrTestMark === true;"))
                .as("the page updated itself, without a reload").isEqualTo(true);
    }

    private static void awaitText(By element, String text) {
        Supplier<String> shown = () -> browser.findElement(element).getText();
        await("'" + text + "' in " + element).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> shown.get().contains(text));
    }

    private static WebElement find(By element) {
        return await(element.toString()).atMost(DEADLINE).ignoreExceptions()
                .until(() -> browser.findElement(element), found -> found != null);
    }

    private static void screenshot(String page) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(page + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String managerUrl() {
        return "http://127.0.0.1:" + cluster.manager().httpPort();
    }

    /** The admin token's tokens file with a viewer token added. */
    private static Path tokensWithViewer() throws IOException {
        Path admin = Path.of(AdminToken.get().environment().get("ORCHESTR_API_TOKENS_FILE"));
        Path file = Files.createTempFile("orchestr-dashboard-tokens", "");
        file.toFile().deleteOnExit();
        Files.writeString(file, Files.readString(admin) + "viewer:" + sha256(VIEWER_TOKEN) + "\n");
        return file;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Debian's headless Chromium through its own chromedriver (deploy/test.sh installs both), with a profile of its
     * own and none of the background traffic that this machine's closed network refuses.
     */
    private static WebDriver chromium() throws IOException {
        Path chromium = Path.of(System.getProperty("orchestr.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("orchestr.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            throw new IllegalStateException("the dashboard test needs " + chromium + " and " + driver
                    + ": install Debian's chromium and chromium-driver (deploy/test.sh does)");
        }
        Path profile = Files.createTempDirectory("orchestr-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        try {
            return new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("Chromium did not start: " + e.getMessage(), e));
        }
    }
}
