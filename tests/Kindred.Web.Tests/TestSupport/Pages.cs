using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kindred.Web.Tests.TestSupport;

/// <summary>What a person does in the web app, step by step, waiting on what the page shows (never on a clock).</summary>
internal static partial class Pages
{
    public const string Password = "correct horse battery";

    public static async Task<string> SignUpAsync(this IPage page)
    {
        var username = "person-" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/#/sign-up");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" })).ToBeVisibleAsync();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your companions" })).ToBeVisibleAsync();
        return username;
    }

    /// <summary>Wakes a companion from the companions page and returns the name it chose.</summary>
    public static async Task<string> WakeCompanionAsync(this IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Wake a new companion" }).ClickAsync();
        var name = page.Locator("#waking .companion-name");
        await Expect(name).ToHaveTextAsync(NotBlank());
        return await name.InnerTextAsync();
    }

    /// <summary>Signs up, wakes a companion and opens the conversation with it, connected.</summary>
    public static async Task<string> OpenConversationAsync(this IPage page)
    {
        await page.SignUpAsync();
        var name = await page.WakeCompanionAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Talk with {name}" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected to {name}.");
        return name;
    }

    public static async Task SayAsync(this IPage page, string text)
    {
        await page.GetByLabel("Say something").FillAsync(text);
        await page.GetByLabel("Say something").PressAsync("Enter");
    }

    /// <summary>
    /// Saves screenshots of the page at phone and desktop width (NAME-phone.png, NAME-desktop.png), after checking it
    /// fits each screen (no sideways scrolling); the page is left at phone width.
    /// </summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        await page.ScreenshotAtAsync(name, "phone", WebAppFixture.Phone);
        await page.ScreenshotAtAsync(name, "desktop", WebAppFixture.Desktop);
        await page.SetViewportSizeAsync(WebAppFixture.Phone.Width, WebAppFixture.Phone.Height);
    }

    /// <summary>
    /// Waits until the talk page has heard 3 s of microphone audio (counted from the samples, not a clock): the fake
    /// microphone's half second of quiet, the sentence, and some quiet after it.
    /// </summary>
    public static async Task WaitUntilTheSentenceWasSaidAsync(this IPage page) =>
        await page.WaitForFunctionAsync("() => Number(document.querySelector('section.voice').dataset.listenedMs) >= 3000");

    /// <summary>Moves the keyboard focus with Tab (or Shift+Tab) until it reaches the control, as a keyboard user would.</summary>
    public static async Task TabToAsync(this IPage page, ILocator control, bool backwards = false)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            if (await control.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"Forty presses of {(backwards ? "Shift+Tab" : "Tab")} never reached {control}.");
    }

    private static async Task ScreenshotAtAsync(this IPage page, string name, string screenName, ViewportSize screen)
    {
        await page.SetViewportSizeAsync(screen.Width, screen.Height);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The '{name}' page is {overflow} px wider than the {screenName}'s screen.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(name, screenName), FullPage = true });
    }

    private static string ScreenshotPath(string name, string width) => Path.Combine(WebAppFixture.ScreenshotsDirectory, $"{name}-{width}.png");

    [GeneratedRegex(@"\S")]
    public static partial Regex NotBlank();
}
