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

    /// <summary>Saves a screenshot of the page, after checking it fits the phone-sized screen (no sideways scrolling).</summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The '{name}' page is {overflow} px wider than the phone's screen.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebAppFixture.ScreenshotsDirectory, name + ".png"), FullPage = true });
    }

    [GeneratedRegex(@"\S")]
    public static partial Regex NotBlank();
}
