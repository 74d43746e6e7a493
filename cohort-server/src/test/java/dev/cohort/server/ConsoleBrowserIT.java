package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, which {@code
 * scripts/services up} installs): log in, find the FAILED transactions this test made, retry one
 * until it commits, resolve another with a reason, and see that nothing opens without the token.
 * Screenshots of the main pages go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {
  private static final String TOKEN = "browser-token-0123456789";
  private static final String READER_TOKEN = "browser-reader-token-0123456789";
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path dir;
  static TestServices services;
  static Participants participants;
  static JdbcTransactionStore store;
  static CohortServer server;
  static ApiClient api;
  static ChromeDriver browser;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    services = TestServices.load();
    TestServices.Browser installed = services.browser();
    participants = new Participants();
    store = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
    server =
        CohortServer.builder(store)
            .port(0)
            .token(TOKEN)
            .accessToken(AccessToken.reader("dashboards", READER_TOKEN))
            .httpParticipant(HttpParticipant.builder().unsigned().build())
            .build()
            .start();
    api = new ApiClient(server.port(), TOKEN);
    base = "http://127.0.0.1:" + server.port();
    Files.createDirectories(SHOTS);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(installed.chromium().toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(installed.chromedriver().toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (participants != null) {
      participants.close();
    }
    if (services != null) {
      services.close();
    }
  }

  @Test
  void anOperatorFindsFailedTransactionsRetriesOneAndResolvesAnother() throws Exception {
    participants.answer("/pay/confirm", 409);
    failTcc("order-retry");
    failTcc("order-resolve");
    compensatedSaga("trip-1");

    // Nothing opens without the token: every page sends to the login form.
    browser.get(base + "/console/transactions?status=failed");
    assertThat(browser.getCurrentUrl()).endsWith("/console/login");
    assertThat(browser.findElements(By.id("transactions"))).isEmpty();
    browser.findElement(By.id("token")).sendKeys("wrong-token-0123456789");
    browser.findElement(By.cssSelector("#login button")).click();
    // A click can return before the form's answer has loaded: wait for the page, not a fixed time.
    await()
        .untilAsserted(() ->
            assertThat(browser.findElement(By.id("login-error")).getText())
                .contains("not one of this server"));
    shot("login");

    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.cssSelector("#login button")).click();
    await().untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/console/overview"));
    assertThat(browser.findElement(By.id("tile-retry-backlog")).getText()).contains("2");
    shot("overview");

    // Find the FAILED transactions through the search form.
    browser.get(base + "/console/transactions");
    browser.findElement(By.cssSelector("select[name=status] option[value=failed]")).click();
    browser.findElement(By.cssSelector("#search button")).click();
    // The click can return while the unfiltered list is still shown; its rows go stale when the
    // answer loads. Wait for the filtered list.
    await()
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(() ->
            assertThat(
                    browser.findElements(By.cssSelector("#transactions tbody tr")).stream()
                        .map(row -> row.getDomAttribute("data-gid"))
                        .toList())
                .containsExactly("order-resolve", "order-retry"));
    shot("list-failed");

    // Retry: the participant works again, so the transaction completes.
    participants.answer("/pay/confirm", 200);
    clickToNavigate(By.linkText("order-retry"));
    assertThat(badge()).isEqualTo("failed");
    shot("transaction-failed");
    clickToNavigate(By.id("action-retry"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Retry now?");
    browser.findElement(By.id("confirm-button")).click();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          browser.navigate().refresh();
          return badge().equals("committed");
        });
    assertThat(browser.findElement(By.id("audit")).getText())
        .contains("retry")
        .contains("committed")
        .contains("token 'operator', operator")
        .doesNotContain(TOKEN);
    // Every call is on the page: the try, the confirm refused with 409, then the one that went
    // through after the retry.
    List<List<String>> attempts =
        browser.findElements(By.cssSelector("#attempts tbody tr")).stream()
            .map(row ->
                row.findElements(By.tagName("td")).stream()
                    .map(cell -> cell.getText())
                    .toList()
                    .subList(1, 6))
            .toList();
    assertThat(attempts)
        .containsExactly(
            List.of("pay", "try", "1", "succeeded", "—"),
            List.of("pay", "confirm", "1", "refused", "409"),
            List.of("pay", "confirm", "2", "succeeded", "—"));
    shot("transaction-retried");

    // Resolve: the reason is required, by the page and by the server.
    browser.get(base + "/console/transactions/order-resolve");
    clickToNavigate(By.id("action-resolve"));
    browser.findElement(By.id("confirm-button")).click(); // empty: the browser keeps the form
    assertThat(server.coordinator().find(Gid.of("order-resolve")).status())
        .isEqualTo(GlobalStatus.FAILED);
    browser.findElement(By.id("reason")).sendKeys("refunded by hand, ticket 123");
    shot("confirm-resolve");
    clickToNavigate(By.id("confirm-button"));
    assertThat(browser.findElement(By.id("flash")).getText()).contains("now resolved");
    assertThat(badge()).isEqualTo("resolved");
    assertThat(browser.findElement(By.id("audit")).getText())
        .contains("refunded by hand, ticket 123");
    assertThat(store.audit(Gid.of("order-resolve"), 10))
        .singleElement()
        .extracting(AuditRecord::result)
        .isEqualTo("resolved");

    // A saga's steps: what ran and what was compensated.
    browser.get(base + "/console/transactions/trip-1");
    assertThat(browser.findElement(By.id("steps")).getText())
        .contains("flight")
        .contains("compensated")
        .contains("never ran")
        .contains("hotel");
    shot("saga");

    // A phone's width: the page itself never scrolls sideways (wide tables scroll in their box).
    // Emulated like the browser's device mode: desktop windows have a minimum width.
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    for (String path :
        List.of("/console/overview", "/console/transactions", "/console/transactions/trip-1")) {
      browser.get(base + path);
      long overflow =
          (Long)
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "return document.documentElement.scrollWidth - window.innerWidth;");
      assertThat(overflow).as(path).isLessThanOrEqualTo(0L);
      assertThat((Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth;"))
          .as("the page was laid out at a phone's width")
          .isEqualTo(390L);
    }
    browser.get(base + "/console/transactions?status=failed&olderThan=ten");
    assertThat(browser.findElement(By.id("search-errors")).getText())
        .contains("'older than' must be a whole number");
    shot("phone-search-error");
    browser.get(base + "/console/transactions/trip-1");
    shot("phone-saga");
    browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());

    // Logged out, the session is gone.
    browser.get(base + "/console/overview");
    browser.findElement(By.cssSelector("form.logout button")).click();
    await().untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/console/login"));
    browser.get(base + "/console/transactions");
    assertThat(browser.getCurrentUrl()).endsWith("/console/login");
  }

  @Test
  void aReaderSeesEverythingButCannotActNotEvenByPostingTheFormItself() throws Exception {
    participants.answer("/pay/confirm", 409);
    failTcc("order-reader");
    browser.manage().deleteAllCookies();
    try {
      browser.get(base + "/console/login");
      browser.findElement(By.id("token")).sendKeys(READER_TOKEN);
      browser.findElement(By.cssSelector("#login button")).click();
      await()
          .untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/console/overview"));
      assertThat(browser.findElement(By.id("who")).getText())
          .contains("dashboards")
          .contains("read only");

      // It sees the failed transaction and its branches, but no action buttons.
      browser.get(base + "/console/transactions/order-reader");
      assertThat(badge()).isEqualTo("failed");
      assertThat(browser.findElement(By.id("branches")).getText()).contains("pay");
      assertThat(browser.findElements(By.id("action-retry"))).isEmpty();
      assertThat(browser.findElements(By.id("action-resolve"))).isEmpty();
      assertThat(browser.findElement(By.id("read-only")).getText()).contains("operator token");
      shot("reader-transaction");

      // The confirmation page, typed by hand, is refused on the server.
      browser.get(base + "/console/transactions/order-reader/confirm?action=resolve");
      assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Read only");
      assertThat(browser.findElements(By.id("confirm-button"))).isEmpty();

      // So is the action's form, built in the page with the session's own CSRF token.
      browser.get(base + "/console/transactions/order-reader");
      ((JavascriptExecutor) browser)
          .executeScript(
              "const f = document.createElement('form');"
                  + "f.method = 'post'; f.action = '/console/transactions/order-reader/resolve';"
                  + "const c = document.querySelector('form.logout input[name=csrf]').cloneNode();"
                  + "const r = document.createElement('input'); r.name = 'reason';"
                  + " r.value = 'a reader tries';"
                  + "f.append(c, r); document.body.append(f); f.submit();");
      await()
          .untilAsserted(() ->
              assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Read only"));
      assertThat(browser.findElement(By.tagName("main")).getText())
          .contains("token 'dashboards', role reader");
      shot("reader-refused");
      assertThat(server.coordinator().find(Gid.of("order-reader")).status())
          .isEqualTo(GlobalStatus.FAILED);
      assertThat(store.audit(Gid.of("order-reader"), 10)).isEmpty();
    } finally {
      browser.manage().deleteAllCookies();
      // Leave no failed transaction for the operator's test, which lists the failed ones.
      api.post("/v1/transactions/order-reader/resolve", "{\"reason\":\"test cleanup\"}");
    }
  }

  @Test
  void anOperatorAbortsAnOpenTransactionAndAReaderCannot() throws Exception {
    openTcc("order-abort-reader");
    openTcc("order-abort");
    browser.manage().deleteAllCookies();
    try {
      // A reader sees the open transaction but no abort, and the server refuses its form.
      logIn(READER_TOKEN);
      browser.get(base + "/console/transactions/order-abort-reader");
      assertThat(badge()).isEqualTo("open");
      assertThat(browser.findElements(By.id("action-abort"))).isEmpty();
      ((JavascriptExecutor) browser)
          .executeScript(
              "const f = document.createElement('form');"
                  + "f.method = 'post'; f.action = '/console/transactions/order-abort-reader/abort';"
                  + "const c = document.querySelector('form.logout input[name=csrf]').cloneNode();"
                  + "f.append(c); document.body.append(f); f.submit();");
      await()
          .untilAsserted(() ->
              assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Read only"));
      assertThat(server.coordinator().find(Gid.of("order-abort-reader")).status())
          .isEqualTo(GlobalStatus.OPEN);
      assertThat(participants.calls()).noneMatch(c -> c.contains("/abort-pay/cancel"));
      browser.manage().deleteAllCookies();

      // An operator aborts it from the page: confirmed, cancelled, rolled back, audited.
      logIn(TOKEN);
      browser.get(base + "/console/transactions/order-abort");
      assertThat(badge()).isEqualTo("open");
      clickToNavigate(By.id("action-abort"));
      assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Abort?");
      shot("confirm-abort");
      browser.findElement(By.id("confirm-button")).click();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> {
            browser.navigate().refresh();
            return badge().equals("rolled_back");
          });
      assertThat(browser.findElement(By.id("audit")).getText())
          .contains("abort")
          .contains("token 'operator', operator");
      assertThat(browser.findElement(By.id("attempts")).getText())
          .contains("cancel")
          .contains("succeeded");
      assertThat(store.audit(Gid.of("order-abort"), 10))
          .singleElement()
          .extracting(AuditRecord::action)
          .isEqualTo("abort");
      shot("transaction-aborted");
    } finally {
      browser.manage().deleteAllCookies();
      api.post("/v1/transactions/order-abort-reader/abort", "{}");
    }
  }

  private static void logIn(String token) {
    browser.get(base + "/console/login");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("#login button")).click();
    await().untilAsserted(() -> assertThat(browser.getCurrentUrl()).endsWith("/console/overview"));
  }

  /** A TCC transaction whose try ran and that nobody committed: open, abortable. */
  private static void openTcc(String gid) {
    assertThat(api.post("/v1/transactions", "{\"mode\":\"tcc\",\"gid\":\"" + gid + "\"}").status())
        .isEqualTo(201);
    String branch =
        "{\"branchId\":\"pay\",\"try\":\""
            + participants.url("/abort-pay/try")
            + "\",\"confirm\":\""
            + participants.url("/abort-pay/confirm")
            + "\",\"cancel\":\""
            + participants.url("/abort-pay/cancel")
            + "\",\"payload\":{\"cents\":100}}";
    // The coordinator runs the try when the branch registers.
    assertThat(api.post("/v1/transactions/" + gid + "/branches", branch).status()).isEqualTo(200);
  }

  /**
   * Clicks what leads to another page and waits until the old page is gone: a click can return
   * before the browser has replaced the page, and reading right away would read the old one.
   */
  private static void clickToNavigate(By target) {
    WebElement page = browser.findElement(By.tagName("html"));
    browser.findElement(target).click();
    await().atMost(Duration.ofSeconds(20)).until(() -> isStale(page));
  }

  private static boolean isStale(WebElement element) {
    try {
      var unused = element.isEnabled();
      return false;
    } catch (StaleElementReferenceException e) {
      return true;
    }
  }

  private static String badge() {
    return browser.findElement(By.cssSelector("h1 .badge")).getText();
  }

  private static void failTcc(String gid) {
    api.post(
        "/v1/transactions",
        "{\"mode\":\"tcc\",\"gid\":\""
            + gid
            + "\",\"submit\":true,\"branches\":[{\"branchId\":\"pay\",\"try\":\""
            + participants.url("/pay/try")
            + "\",\"confirm\":\""
            + participants.url("/pay/confirm")
            + "\",\"cancel\":\""
            + participants.url("/pay/cancel")
            + "\",\"payload\":{\"cents\":500}}]}");
    await().until(() -> api.get("/v1/transactions/" + gid).field("status").equals("failed"));
  }

  /** Flight books, the hotel refuses: the flight is compensated and the saga rolled back. */
  private static void compensatedSaga(String gid) {
    participants.answer("/hotel/action", 409);
    StringBuilder steps = new StringBuilder();
    for (String step : List.of("flight", "hotel", "car")) {
      if (steps.length() > 0) {
        steps.append(',');
      }
      steps
          .append("{\"branchId\":\"")
          .append(step)
          .append("\",\"action\":\"")
          .append(participants.url("/" + step + "/action"))
          .append("\",\"compensate\":\"")
          .append(participants.url("/" + step + "/compensate"))
          .append("\",\"payload\":{}}");
    }
    api.post(
        "/v1/transactions",
        "{\"mode\":\"saga\",\"gid\":\"" + gid + "\",\"submit\":true,\"branches\":[" + steps + "]}");
    await().until(() -> api.get("/v1/transactions/" + gid).field("status").equals("rolled_back"));
  }

  private static void shot(String name) throws IOException {
    Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
