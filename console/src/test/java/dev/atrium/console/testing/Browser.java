package dev.atrium.console.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driving the console, with helpers
 * for Vaadin's web components and for Keycloak's login page. Screenshots go to {@code console/target/screenshots/}.
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path downloads;
    private final String baseUrl;

    public Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        try {
            downloads = Files.createTempDirectory("atrium-console-downloads");
            Path profile = Files.createTempDirectory("atrium-chromium-profile");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(System.getProperty("test.chromium", "/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1440,960", "--user-data-dir=" + profile, "--lang=en-GB");
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(System.getProperty("test.chromedriver", "/usr/bin/chromedriver")).toFile())
                    .build();
            driver = new ChromeDriver(service, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public Path downloads() {
        return downloads;
    }

    public void open(String path) {
        driver.get(baseUrl + path);
        awaitVaadin();
    }

    /** Signs in on Keycloak's real login page (the console redirects there) and waits for the console to load. */
    public void signIn(String username, String password) {
        driver.get(baseUrl + "/");
        await(d -> d.findElements(By.id("kc-login")).isEmpty() ? null : true);
        driver.findElement(By.id("username")).sendKeys(username);
        if (driver.findElements(By.id("password")).isEmpty()) {
            // organisations are on: Keycloak asks for the username first, then the password
            driver.findElement(By.id("kc-login")).click();
            await(d -> d.findElements(By.id("password")).isEmpty() ? null : true);
        }
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        await(d -> d.getCurrentUrl().startsWith(baseUrl) ? true : null);
        awaitVaadin();
        await(d -> d.findElements(By.id("signed-in-user")).isEmpty() ? null : true);
    }

    /** Waits until Vaadin has no request in flight. */
    public void awaitVaadin() {
        await(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return !!window.Vaadin && !!window.Vaadin.Flow && !!window.Vaadin.Flow.clients && "
                        + "Object.values(window.Vaadin.Flow.clients).every(c => c.isActive === undefined || !c.isActive())"
                        + " && document.readyState === 'complete'")) ? true : null);
    }

    public WebElement byId(String id) {
        return await(d -> d.findElements(By.id(id)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Types into a Vaadin text field (the input lives in its light DOM). */
    public void type(String fieldId, String text) {
        WebElement input = await(d -> {
            List<WebElement> inputs = d.findElements(By.cssSelector("#" + fieldId + " input, #" + fieldId + " textarea"));
            return inputs.isEmpty() ? null : inputs.getFirst();
        });
        input.clear();
        input.sendKeys(text);
        ((JavascriptExecutor) driver).executeScript("arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", input);
    }

    public void click(String id) {
        click(byId(id));
    }

    /** Clicks like a user; when a notification covers the element, clicks it through the DOM instead. */
    public void click(WebElement element) {
        try {
            element.click();
        } catch (ElementClickInterceptedException covered) {
            ((JavascriptExecutor) driver).executeScript("arguments[0].click()", element);
        }
        awaitVaadin();
    }

    /** Clicks the first visible button whose text is {@code text} (inside dialogs too), again if Vaadin re-rendered it. */
    public void clickButton(String text) {
        await(d -> {
            WebElement button = d.findElements(By.tagName("vaadin-button")).stream()
                    .filter(b -> b.isDisplayed() && b.getText().strip().equals(text)).findFirst().orElse(null);
            if (button == null) {
                return null;
            }
            try {
                click(button);
                return true;
            } catch (StaleElementReferenceException rerendered) {
                return null;
            }
        });
    }

    /** Selects the tab whose label is {@code text}. */
    public void clickTab(String text) {
        WebElement tab = await(d -> d.findElements(By.tagName("vaadin-tab")).stream()
                .filter(t -> t.isDisplayed() && t.getText().strip().equals(text)).findFirst().orElse(null));
        click(tab);
    }

    /** The visible text of the whole page (overlays included). */
    public String text() {
        return (String) ((JavascriptExecutor) driver).executeScript("return document.body.innerText");
    }

    public void awaitText(String text) {
        await(d -> text().contains(text) ? true : null);
    }

    public void awaitNoText(String text) {
        await(d -> text().contains(text) ? null : true);
    }

    public <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition);
        } catch (TimeoutException e) {
            String name = "failure-" + System.currentTimeMillis();
            screenshot(name, false);
            throw new AssertionError("timed out at " + driver.getCurrentUrl() + " (screenshot " + name + ".png); page text:\n"
                    + ((JavascriptExecutor) driver).executeScript("return document.body ? document.body.innerText : ''"), e);
        }
    }

    public void screenshot(String name) {
        screenshot(name, true);
    }

    private void screenshot(String name, boolean settle) {
        if (settle) {
            awaitVaadin();
        }
        try {
            Path directory = Files.createDirectories(Path.of(System.getProperty("test.screenshots", "target/screenshots")));
            Files.write(directory.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
