package org.trialwatch.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.trialwatch.testbed.RunningSystem.Service;
import org.trialwatch.testbed.TestTokens;

/**
 * The dashboard as a research team uses it, in a real headless Chromium, against the three services running as
 * separate processes. Every page visited is checked with axe-core and photographed into target/screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(RunningSystemResource.class)
class DashboardInBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static Browser browser;
    /** A team's webhook endpoint: answers 204 to everything, the notification service's verification event included. */
    private static com.sun.net.httpserver.HttpServer endpoint;

    @TestHTTPResource("/")
    URL dashboard;

    @BeforeAll
    static void openBrowser() throws IOException {
        browser = Browser.start();
        endpoint = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (endpoint != null) {
            endpoint.stop(0);
        }
    }

    @Test
    void filteringTheTrialsShowsOnlyTheMatchingOnesWithoutReloadingThePage() throws Exception {
        open("/trials");
        assertThat(rows("#trials tbody tr")).hasSize(api(Service.REGISTRY, "/api/trials").path("items").size());
        browser.assertAccessible("trials");
        browser.screenshot("01-trials");
        marker();

        new Select(browser.driver.findElement(By.id("f-tumour"))).selectByValue("PC");
        int pc = api(Service.REGISTRY, "/api/trials?tumourType=PC").path("items").size();
        browser.waiting(PATIENCE).until(d -> rows("#trials tbody tr").size() == pc);
        assertThat(column(3)).isNotEmpty().allMatch("PC"::equals);

        new Select(browser.driver.findElement(By.id("f-status"))).selectByValue("NOT_VERIFIED");
        int unverified = api(Service.REGISTRY, "/api/trials?tumourType=PC&status=NOT_VERIFIED").path("items").size();
        browser.waiting(PATIENCE).until(d -> column(6).stream().allMatch(s -> s.contains("not verified"))
                && rows("#trials tbody tr").size() == unverified);
        assertThat(unverified).isLessThan(pc);
        assertThat(browser.driver.getCurrentUrl()).contains("tumourType=PC").contains("status=NOT_VERIFIED");
        assertThat(markerKept()).as("the filter swapped the table in place").isTrue();
        browser.assertAccessible("trials, filtered");
    }

    @Test
    void aTrialShowsItsStatusTimelineWithWhenWhyAndOriginButNotWhoToAnonymousReaders() throws Exception {
        String nct = "NCT06128551";
        changeStatus(nct, "ACTIVE_NOT_RECRUITING", "enrolment complete (browser test)");
        open("/trials");
        browser.driver.findElement(By.linkText(nct)).click();
        browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("status-timeline")));

        List<WebElement> events = browser.driver.findElements(By.cssSelector("#status-timeline > li"));
        assertThat(events).hasSize(api(Service.REGISTRY, "/api/trials/" + nct + "/history?limit=200").path("items").size());
        String latest = events.get(events.size() - 1).getText();
        // who made a change is shown to curators and operators only (docs/security.md): the dashboard reads the
        // registry as an anonymous reader, so the curator's name is not on the page
        assertThat(latest).contains("Recruiting → Active, not recruiting").contains("enrolment complete (browser test)")
                .contains("origin CURATOR").doesNotContain("curator@trialwatch.local").doesNotContain("· by");
        assertThat(events.get(0).getText()).contains("origin IMPORT");
        assertThat(browser.driver.findElement(By.id("fields")).isDisplayed()).isTrue();
        browser.assertAccessible("trial " + nct);
        browser.screenshot("02-trial");
    }

    @Test
    void aSummaryPlotsOneRowPerStudyWithItsIntervalAndThePooledDiamondWhereTheServicePooled() throws Exception {
        JsonNode summaries = api(Service.EVIDENCE, "/api/summaries?limit=100").path("items");
        JsonNode pooled = StreamSupport.stream(summaries.spliterator(), false)
                .filter(s -> s.path("orr").hasNonNull("pooled"))
                .max((a, b) -> a.path("orr").path("readouts").size() - b.path("orr").path("readouts").size())
                .orElseThrow(() -> new AssertionError("the seeded evidence has a pooled group"));
        JsonNode unpooled = StreamSupport.stream(summaries.spliterator(), false)
                .filter(s -> !s.path("orr").hasNonNull("pooled") && s.path("orr").path("readouts").size() > 0)
                .findFirst().orElseThrow();

        open("/summaries");
        browser.assertAccessible("summaries");
        browser.screenshot("04-summaries");
        browser.driver.findElement(By.linkText(pooled.path("groupKey").asText())).click();
        browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("forest-plot")));

        JsonNode readouts = pooled.path("orr").path("readouts");
        List<WebElement> plotRows = browser.driver.findElements(By.cssSelector("#forest-plot g.study-row"));
        assertThat(plotRows).hasSize(readouts.size());
        for (int i = 0; i < readouts.size(); i++) {
            JsonNode r = readouts.get(i);
            WebElement row = plotRows.get(i);
            assertThat(Double.parseDouble(row.getDomAttribute("data-estimate"))).isEqualTo(r.path("percent").asDouble());
            if (r.hasNonNull("ci95")) {
                assertThat(row.findElements(By.cssSelector("line.ci"))).as("interval of %s", r.path("id")).hasSize(1);
                assertThat(Double.parseDouble(row.getDomAttribute("data-lower"))).isEqualTo(r.path("ci95").path("lower").asDouble());
                assertThat(Double.parseDouble(row.getDomAttribute("data-upper"))).isEqualTo(r.path("ci95").path("upper").asDouble());
            }
        }
        WebElement diamond = browser.driver.findElement(By.cssSelector("#forest-plot g.pooled-row"));
        assertThat(diamond.findElements(By.cssSelector("polygon.pooled"))).hasSize(1);
        assertThat(Double.parseDouble(diamond.getDomAttribute("data-estimate")))
                .isEqualTo(pooled.path("orr").path("pooled").path("percent").asDouble());
        assertThat(browser.driver.findElement(By.id("forest-plot")).getText())
                .contains("k = " + pooled.path("orr").path("pooled").path("k").asInt()).contains("I²");
        assertThat(rows("#forest-table tbody tr")).hasSize(readouts.size());
        browser.assertAccessible("summary " + pooled.path("groupKey").asText());
        browser.screenshot("05-summary");

        open("/summaries/" + unpooled.path("groupKey").asText());
        assertThat(browser.driver.findElements(By.cssSelector("#forest-plot g.study-row")))
                .hasSize(unpooled.path("orr").path("readouts").size());
        assertThat(browser.driver.findElements(By.cssSelector("#forest-plot polygon.pooled")))
                .as("no diamond where the service did not pool").isEmpty();
        browser.assertAccessible("summary " + unpooled.path("groupKey").asText());
    }

    @Test
    void anEvidenceTableShowsCorrectedValuesBesidePrintedOnesAndDownloadsAsCsv() throws Exception {
        open("/evidence?table=2");
        assertThat(rows("#evidence-table tbody tr")).hasSize(api(Service.EVIDENCE, "/api/evidence?table=2").path("count").asInt());
        WebElement corrected = browser.driver.findElement(By.cssSelector("#evidence-table td .corrected"));
        WebElement cell = corrected.findElement(By.xpath("./.."));
        assertThat(cell.findElement(By.cssSelector(".printed")).getText()).startsWith("printed:");
        browser.assertAccessible("evidence table 2");
        browser.screenshot("03-evidence");

        Path file = browser.downloads.resolve("trialwatch-table-2.csv");
        Files.deleteIfExists(file);
        browser.driver.findElement(By.id("csv-download")).click();
        browser.waiting(PATIENCE).until(d -> Files.isRegularFile(file));
        String expected = HTTP.send(HttpRequest.newBuilder(URI.create(url(Service.EVIDENCE) + "/api/evidence?table=2"))
                .header("Accept", "text/csv").build(), HttpResponse.BodyHandlers.ofString()).body();
        browser.waiting(PATIENCE).until(d -> read(file).equals(expected));
        assertThat(read(file)).startsWith("id,source,table,row");
    }

    @Test
    void aSignedInTeamCreatesAWebhookSubscriptionAndSeesItsSecretOnlyOnce() throws Exception {
        open("/subscriptions");
        assertThat(browser.driver.getCurrentUrl()).contains("/signin");
        browser.assertAccessible("sign in");
        browser.screenshot("06-signin");
        signIn("team-browser");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("team-browser");

        browser.driver.findElement(By.id("name")).sendKeys("PC terminations");
        browser.driver.findElement(By.id("url")).sendKeys("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook");
        browser.driver.findElement(By.id("tt-PC")).click();
        browser.driver.findElement(By.id("st-1")).click();
        browser.driver.findElement(By.id("create-button")).click();

        String secret = browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("secret-value"))).getText();
        assertThat(secret).isNotBlank();
        assertThat(browser.driver.findElement(By.id("secret-once")).getText()).contains("only this once");
        assertThat(column("#subscriptions", 1)).contains("PC terminations");
        browser.assertAccessible("subscriptions with a new secret");
        browser.screenshot("07-subscriptions");

        open("/subscriptions");
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        assertThat(browser.driver.findElements(By.id("secret-value"))).isEmpty();

        browser.driver.findElement(By.xpath("//tr[th='PC terminations']//button[starts-with(normalize-space(.), 'Send a test')]")).click();
        assertThat(browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("notice"))).getText())
                .contains("test event");
        browser.driver.findElement(By.xpath("//tr[th='PC terminations']//button[starts-with(normalize-space(.), 'Disable')]")).click();
        browser.waiting(PATIENCE).until(d -> d.findElement(By.id("subscriptions")).getText().contains("disabled"));

        browser.driver.findElement(By.xpath("//tr[th='PC terminations']//a[starts-with(normalize-space(.), 'Edit')]")).click();
        WebElement name = browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("name")));
        assertThat(browser.driver.findElement(By.id("tt-PC")).isSelected()).as("the saved filter is shown").isTrue();
        browser.assertAccessible("edit subscription");
        name.clear();
        name.sendKeys("Biliary and pancreatic terminations");
        browser.driver.findElement(By.id("tt-BTC")).click();
        browser.driver.findElement(By.id("save-button")).click();
        browser.waiting(PATIENCE).until(d -> column("#subscriptions", 1).contains("Biliary and pancreatic terminations"));
        assertThat(browser.driver.findElement(By.id("subscriptions")).getText()).contains("tumour BTC, PC")
                .doesNotContain("PC terminations\n");

        browser.driver.findElement(By.xpath("//tr[th='Biliary and pancreatic terminations']//a[starts-with(normalize-space(.), 'Delivery log')]")).click();
        browser.waiting(PATIENCE).until(d -> rows("#deliveries tbody tr").stream().anyMatch(r -> r.getText().contains("test")));
        browser.assertAccessible("delivery log");
        browser.screenshot("08-deliveries");
    }

    @Test
    void aCuratorsStatusChangeAppearsInTheLiveFeedWithinTwoSecondsWithoutReload() throws Exception {
        open("/signin?next=/live");
        signIn("team-live");
        browser.waiting(PATIENCE).until(d -> "open".equals(d.findElement(By.id("live-state")).getDomAttribute("data-state")));
        marker();
        // a first change proves the relay is connected end to end before the one that is timed
        changeStatus("NCT04548752", "RECRUITING", "seen recruiting (browser test, warm-up)");
        browser.waiting(PATIENCE).until(d -> feedShows("NCT04548752"));

        changeStatus("NCT05093231", "RECRUITING", "seen recruiting (browser test)");
        long answered = System.nanoTime();
        browser.waiting(Duration.ofSeconds(2)).until(d -> feedShows("NCT05093231"));
        System.out.printf("live feed: status change visible %d ms after the registry answered%n",
                (System.nanoTime() - answered) / 1_000_000);
        assertThat(markerKept()).as("the page was not reloaded").isTrue();
        assertThat(browser.driver.findElement(By.id("live-feed")).getDomAttribute("aria-live")).isEqualTo("polite");
        browser.assertAccessible("live");
        browser.screenshot("09-live");
    }

    @Test
    void theLiveStreamResumesFromTheLastEventIdAfterADisconnect() throws Exception {
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/signin/dev"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("team=team-resume&next=/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        String seenId;
        try (Stream<String> first = openStream(cookie, null)) {
            java.util.Iterator<String> lines = first.iterator();
            readUntil(lines, l -> l.equals(":connected"));
            changeStatus("NCT03991832", "RECRUITING", "seen recruiting (resume test, before the disconnect)");
            seenId = readEventIdOf(lines, "NCT03991832");
        }
        // while this viewer is away, another change happens and reaches the stream (another viewer sees it)
        try (Stream<String> other = openStream(cookie, null)) {
            java.util.Iterator<String> lines = other.iterator();
            readUntil(lines, l -> l.equals(":connected"));
            changeStatus("NCT04493060", "RECRUITING", "seen recruiting (resume test, during the disconnect)");
            readEventIdOf(lines, "NCT04493060");
        }
        try (Stream<String> resumed = openStream(cookie, seenId)) {
            String resumedId = readEventIdOf(resumed.iterator(), "NCT04493060");
            assertThat(Long.parseLong(resumedId)).isGreaterThan(Long.parseLong(seenId));
        }
    }

    private Stream<String> openStream(String cookie, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/live/events"))
                .header("Cookie", cookie).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The id of the first status-change event about the trial, reading for at most half a minute. */
    private static String readEventIdOf(java.util.Iterator<String> lines, String nct) throws Exception {
        String[] id = new String[1];
        readUntil(lines, l -> {
            if (l.startsWith("id:")) {
                id[0] = l.substring(3).trim();
            }
            return l.startsWith("data:") && l.contains("\"trial.status_changed\"") && l.contains("\"" + nct + "\"");
        });
        return id[0];
    }

    private static void readUntil(java.util.Iterator<String> lines, java.util.function.Predicate<String> found) throws Exception {
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            reader.submit(() -> {
                while (lines.hasNext()) {
                    if (found.test(lines.next())) {
                        return null;
                    }
                }
                throw new AssertionError("the stream ended first");
            }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the awaited line did not come on the live stream within 30 s", e);
        } finally {
            reader.shutdownNow();
        }
    }

    private String base() {
        return dashboard.toString().replaceAll("/$", "");
    }

    @Test
    void anOpenTrialPageRefreshesItselfWhenTheTrialChanges() throws Exception {
        String nct = "NCT05239169";
        open("/signin?next=/trials/" + nct);
        signIn("team-refresh");
        browser.waiting(PATIENCE).until(d -> "open".equals(d.findElement(By.tagName("body")).getDomAttribute("data-live")));
        int before = browser.driver.findElements(By.cssSelector("#status-timeline > li")).size();
        marker();

        changeStatus(nct, "RECRUITING", "seen recruiting (browser test, open page)");

        browser.waiting(PATIENCE).until(d -> d.findElements(By.cssSelector("#status-timeline > li")).size() == before + 1);
        assertThat(browser.driver.findElement(By.id("live-note")).getText()).contains(nct);
        assertThat(markerKept()).as("the page refreshed in place").isTrue();
        browser.assertAccessible("trial refreshed in place");
    }

    private boolean feedShows(String nct) {
        return browser.driver.findElements(By.cssSelector("#live-feed li[data-type='trial.status_changed'][data-nct='" + nct + "']"))
                .size() == 1;
    }

    private void signIn(String team) {
        WebElement field = browser.waiting(PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id("team")));
        field.clear();
        field.sendKeys(team);
        browser.driver.findElement(By.id("dev-signin-button")).click();
        browser.waiting(PATIENCE).until(d -> !d.getCurrentUrl().contains("/signin"));
    }

    private void open(String path) {
        browser.driver.get(dashboard.toString().replaceAll("/$", "") + path);
    }

    private void marker() {
        ((JavascriptExecutor) browser.driver).executeScript("window.__sameDocument = true;");
    }

    private boolean markerKept() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver).executeScript("return window.__sameDocument === true;"));
    }

    private static List<WebElement> rows(String selector) {
        return browser.driver.findElements(By.cssSelector(selector)).stream()
                .filter(r -> r.findElements(By.cssSelector("td[colspan]")).isEmpty()).toList();
    }

    private static List<String> column(int index) {
        return column("#trials", index);
    }

    private static List<String> column(String table, int index) {
        return rows(table + " tbody tr").stream()
                .map(r -> r.findElement(By.cssSelector(":scope > :nth-child(" + index + ")")).getText().trim()).toList();
    }

    private static String url(Service s) {
        return RunningSystemResource.system().url(s);
    }

    private static JsonNode api(Service s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(s) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void changeStatus(String nct, String status, String reason) throws Exception {
        HttpResponse<String> current = HTTP.send(HttpRequest.newBuilder(URI.create(url(Service.REGISTRY) + "/api/trials/" + nct))
                .build(), HttpResponse.BodyHandlers.ofString());
        String etag = current.headers().firstValue("ETag").orElseThrow();
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("newStatus", status)
                .put("effectiveDate", java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString())
                .put("reason", reason));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(Service.REGISTRY) + "/api/trials/" + nct
                        + "/status-changes")).header("Authorization", "Bearer " + TestTokens.curator())
                .header("If-Match", etag).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("status change of %s: %s", nct, r.body()).isEqualTo(201);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
