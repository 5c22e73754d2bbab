using Microsoft.Playwright;

namespace Wavelet.Cli.Tests;

/// <summary>
/// The dev console in a real headless browser (Debian's chromium, driven by Playwright with the system executable):
/// an event emitted from its form appears in the live table; the claims field shows another tenant's view. The
/// screenshot is kept in TestResults/ at the repository root.
/// </summary>
[Collection(DevProcessCollection.Name)]
public sealed class DevConsoleBrowserTests(ITestOutputHelper log) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private const string TenantProject = """
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-jwt}
        stringData: {key: a-signing-key-of-at-least-32-bytes-for-hs256}
        ---
        apiVersion: wavelet.risingwave.com/v1alpha1
        kind: WaveletProject
        metadata: {name: shop}
        spec:
          risingwave:
            connectionSecretRef: {name: shop-db, key: url}
          events:
            - name: orders
              columns:
                - {name: tenant_id, type: string}
                - {name: item, type: string}
                - {name: amount, type: int}
          queries:
            - name: sales
              sql: SELECT tenant_id, item, SUM(amount) AS total, COUNT(*) AS orders FROM orders GROUP BY tenant_id, item
              filterBy: tenant_id
          auth:
            jwt:
              secretRef: {name: shop-jwt, key: key}
        """;

    [Fact]
    public async Task An_event_emitted_from_the_console_appears_in_the_live_table_and_the_claims_field_switches_tenant()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is missing: apt-get install chromium (.ci/run installs it)");
        }

        _directory.Write("shop.yaml", TenantProject);
        await using var dev = DevProcess.Start(_directory.Path, "dev", "shop.yaml", "--port", "0", "--claim", "tenant_id=acme");
        await dev.WaitUntilLiveAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 700 } });
        page.Console += (_, message) => log.WriteLine($"console: {message.Text}");
        await page.GotoAsync(new Uri(dev.Url!, "/console").ToString());

        var state = page.Locator("#state");
        await Assertions.Expect(state).ToHaveTextAsync("live: sales as tenant_id=acme");
        await Assertions.Expect(page.Locator("#claims")).ToHaveValueAsync("tenant_id=acme");
        await Assertions.Expect(page.Locator("#head th")).ToHaveTextAsync(["tenant_id", "item", "total", "orders"]);
        await Assertions.Expect(page.Locator("#rows")).ToHaveTextAsync("no rows");

        // Emit from the form: the tenant column is left empty, the data plane fills it from the token's claim.
        await page.FillAsync("#field-item", "espresso");
        await page.FillAsync("#field-amount", "3");
        await page.ClickAsync("#emit");
        await Assertions.Expect(page.Locator("#emit-result")).ToHaveTextAsync("200 {\"ok\":true}");
        var row = page.Locator("#rows tr").First;
        await Assertions.Expect(row.Locator("td")).ToHaveTextAsync(["acme", "espresso", "3", "1"]);

        // The same item again updates the row in place, and the diff is listed.
        await page.ClickAsync("#emit");
        await Assertions.Expect(row.Locator("td")).ToHaveTextAsync(["acme", "espresso", "6", "2"]);
        await Assertions.Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#diffs li").First).ToContainTextAsync("~1");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dev-console.png"), FullPage = true });

        // Another tenant's view: empty until that tenant writes.
        await page.FillAsync("#claims", "tenant_id=globex");
        await page.ClickAsync("#apply-claims");
        await Assertions.Expect(state).ToHaveTextAsync("live: sales as tenant_id=globex");
        await Assertions.Expect(page.Locator("#rows")).ToHaveTextAsync("no rows");
        await page.FillAsync("#field-item", "tea");
        await page.ClickAsync("#emit");
        await Assertions.Expect(page.Locator("#rows tr").First.Locator("td")).ToHaveTextAsync(["globex", "tea", "3", "1"]);
        await Assertions.Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dev-console-globex.png"), FullPage = true });
    }

    private string Screenshot(string name)
    {
        var directory = RepositoryRoot.Combine("TestResults");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        log.WriteLine($"screenshot: {path}");
        return path;
    }
}
