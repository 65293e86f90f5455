package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real headless browser (Debian's chromium driven through chromium-driver): the balances update
 * as commands run, without the page reloading. Without a browser the test is skipped with a message, unless
 * {@code ESKIT_REQUIRE_BROWSER=1} (as in CI), which makes it fail.
 */
class LiveBankBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static Optional<Path> executable(List<String> candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (path.isAbsolute()) {
                if (Files.isExecutable(path)) {
                    return Optional.of(path);
                }
                continue;
            }
            for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path inPath = Path.of(directory, candidate);
                if (!directory.isEmpty() && Files.isExecutable(inPath)) {
                    return Optional.of(inPath);
                }
            }
        }
        return Optional.empty();
    }

    static Path require(String what, List<String> candidates) {
        Optional<Path> found = executable(candidates);
        if (found.isEmpty()) {
            String message = "No " + what + " found (looked for " + candidates + "). Install Debian's chromium and"
                    + " chromium-driver (apt-get install chromium chromium-driver); set ESKIT_REQUIRE_BROWSER=1 to make"
                    + " this a failure.";
            if ("1".equals(System.getenv("ESKIT_REQUIRE_BROWSER"))) {
                fail(message);
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return found.get();
    }

    @Test
    void balancesOnTheLivePageUpdateAsCommandsRunWithoutReloading() throws Exception {
        Path chromium = require("browser", List.of("chromium", "chromium-browser", "google-chrome"));
        Path driverBinary = require("browser driver", List.of("chromedriver", "/usr/lib/chromium/chromedriver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=900,640", "--user-data-dir=" + dir.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort()
                .build();
        try (LiveBank bank = LiveBank.start("jdbc:sqlite:" + dir.resolve("bank.db"), 0)) {
            bank.commands().send(new Deposit("alice", 100_00));
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                browser.get(bank.uri().toString());
                wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
                wait.until(ExpectedConditions.textToBe(By.id("balance-alice"), "100.00"));
                JavascriptExecutor script = (JavascriptExecutor) browser;
                script.executeScript("window.notReloaded = true;");

                // A command run by the application: the change reaches the open page.
                bank.commands().send(new Deposit("alice", 25_50));
                wait.until(ExpectedConditions.textToBe(By.id("balance-alice"), "125.50"));

                // A command run from the page's own form.
                WebElement account = browser.findElement(By.id("account"));
                account.clear();
                account.sendKeys("bob");
                WebElement cents = browser.findElement(By.id("cents"));
                cents.clear();
                cents.sendKeys("700");
                browser.findElement(By.id("deposit-button")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance-bob"), "7.00"));

                assertEquals(Boolean.TRUE, script.executeScript("return window.notReloaded === true;"),
                        "the page reloaded");
                Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "live-page.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }
}
