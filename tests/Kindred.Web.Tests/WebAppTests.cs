using System.Text.RegularExpressions;
using Kindred.Web.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kindred.Web.Tests;

/// <summary>The web app served by <c>kindred serve</c>, in a real browser: accounts, waking, talking, forgetting.</summary>
[Collection(SharedWebApp.Name)]
public sealed partial class WebAppTests(WebAppFixture fixture)
{
    [Fact]
    public async Task Signing_up_opens_the_companions_page_and_signing_in_again_works()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("sign-in");

        var username = await page.SignUpAsync();
        await Expect(page.Locator("#companions, ul.companions")).ToContainTextAsync("No companion yet");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).First).ToHaveTextAsync("That username and password do not match.");

        await page.GetByLabel("Password").FillAsync(Pages.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your companions" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_up_works_by_keyboard_alone()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/sign-up");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("keys-" + Guid.NewGuid().ToString("N")[..8]);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Pages.Password);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create my account" })).ToBeFocusedAsync();
        await page.ScreenshotAsync("sign-up");
        await page.Keyboard.PressAsync("Enter");

        // The new page's heading takes focus, so the next Tab continues from the top of the page.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your companions" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_new_companion_wakes_names_itself_and_greets_you_by_keyboard_alone()
    {
        var page = await fixture.NewPageAsync();
        await page.SignUpAsync();

        await page.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Wake a new companion" }));
        await page.Keyboard.PressAsync("Enter");
        var named = page.Locator("#waking .companion-name");
        await Expect(named).ToHaveTextAsync(Pages.NotBlank());
        var name = await named.InnerTextAsync();

        await Expect(page.Locator("#waking .greeting")).ToHaveTextAsync(Pages.NotBlank());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        // Focus moves to the way on, so Enter opens the conversation.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Talk with {name}" })).ToBeFocusedAsync();
        await page.ScreenshotAsync("companions");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected to {name}.");
        await Expect(page.GetByLabel("Say something")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_reply_streams_into_the_conversation()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenConversationAsync();

        await page.SayAsync("Tell me a story about a cat.");

        await Expect(page.Locator(".message.person").Last).ToHaveTextAsync(new Regex("Tell me a story about a cat\\."));
        // Only replies streamed on this page carry data-tokens; earlier turns loaded from history do not.
        var reply = page.Locator(".message.companion[data-state=complete][data-tokens]").Last;
        await Expect(reply).ToHaveTextAsync(Pages.NotBlank());
        // More than one token message: the reply arrived piece by piece, not all at once.
        await Expect(reply).ToHaveAttributeAsync("data-tokens", ManyTokens());
        await page.ScreenshotAsync("talk");
    }

    [Fact]
    public async Task A_forgotten_memory_is_gone_after_a_reload()
    {
        const string secret = "I hide my spare key under the blue flowerpot.";
        var page = await fixture.NewPageAsync();
        await page.OpenConversationAsync();
        await page.SayAsync(secret);
        await Expect(page.Locator(".message.companion[data-state=complete][data-tokens]").Last).ToHaveTextAsync(Pages.NotBlank());

        await page.GetByRole(AriaRole.Link, new() { Name = "What I know" }).ClickAsync();
        var memories = page.Locator("#memories");
        var memory = memories.Locator("li", new() { HasText = secret });
        await Expect(memory).ToBeVisibleAsync();
        await page.ScreenshotAsync("what-i-know");

        // By keyboard: Tab to its Forget button; Enter asks once more, Enter again forgets.
        await page.TabToAsync(memory.GetByRole(AriaRole.Button, new() { Name = "Forget" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(memory.GetByRole(AriaRole.Button, new() { Name = "Forget for good" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(memory).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await Expect(memories).Not.ToHaveAttributeAsync("aria-busy", "true");
        // The reply is still remembered (the list did load); the forgotten turn is not.
        await Expect(memories.Locator("li.memory.companion")).Not.ToHaveCountAsync(0);
        await Expect(memories).Not.ToContainTextAsync(secret);
    }

    [Fact]
    public async Task What_is_said_in_a_private_conversation_is_not_in_the_history_after_a_reload()
    {
        const string remembered = "My favourite colour is green.";
        const string secret = "I am planning a surprise party for my brother.";
        var page = await fixture.NewPageAsync();
        var name = await page.OpenConversationAsync();
        await page.SayAsync(remembered);
        await Expect(page.Locator(".message.companion[data-state=complete][data-tokens]")).ToHaveCountAsync(1);

        // By keyboard: from the message box back to the toggle, then Space.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Private conversation" });
        var banner = page.Locator("#private-banner");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(banner).ToBeHiddenAsync();
        await page.TabToAsync(toggle, backwards: true);
        await page.Keyboard.PressAsync("Space");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("nothing said here is kept");
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected to {name}.");

        await page.SayAsync(secret);
        await Expect(page.Locator(".message.person.private")).ToHaveTextAsync(new Regex(Regex.Escape(secret)));
        await Expect(page.Locator(".message.companion.private[data-state=complete][data-tokens]")).ToHaveTextAsync(Pages.NotBlank());
        await page.ScreenshotAsync("private");

        // After a reload this tab is still private, and plainly so; the history has what was said before, not the secret.
        await page.ReloadAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected to {name}.");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(banner).ToBeVisibleAsync();
        var log = page.Locator("#log");
        await Expect(log).ToContainTextAsync(remembered);
        await Expect(log).Not.ToContainTextAsync(secret);

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(banner).ToBeHiddenAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected to {name}.");
    }

    [Fact]
    public async Task Knowledge_and_settings_pages_load_without_errors_whatever_the_server_offers()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenConversationAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "What I know" }).ClickAsync();
        foreach (var list in new[] { "#memories", "#facts", "#people" })
        {
            await Expect(page.Locator(list)).Not.ToHaveAttributeAsync("aria-busy", "true");
            await Expect(page.Locator($"{list} .error")).ToHaveCountAsync(0);
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download everything (JSON)" }).ClickAsync());
        var exported = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("\"turns\"", exported, StringComparison.OrdinalIgnoreCase);

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();
        foreach (var section in new[] { "voice-heading", "switch-heading" })
        {
            var region = page.Locator($"section[aria-labelledby={section}]");
            await Expect(region).Not.ToHaveAttributeAsync("aria-busy", "true");
            await Expect(region.Locator(".error")).ToHaveCountAsync(0);
        }

        await page.ScreenshotAsync("settings");
    }

    [GeneratedRegex("^([2-9]|[1-9][0-9]+)$")]
    private static partial Regex ManyTokens();
}
