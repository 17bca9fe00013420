using System.Text.RegularExpressions;
using Kindred.Web.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kindred.Web.Tests;

/// <summary>
/// Voice through the browser: chromium's fake microphone says a sentence spoken by flite; the page streams it to the
/// server as 16 kHz PCM16, and the reply comes back as text and as spoken audio.
/// </summary>
[Collection(SharedWebApp.Name)]
public sealed partial class VoiceTests(WebAppFixture fixture)
{
    [Fact]
    public async Task Talking_hands_free_shows_what_was_heard_and_plays_the_spoken_reply()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenConversationAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Hands-free" }).ClickAsync();

        await Expect(page.Locator(".message.person[data-source=voice]")).ToHaveTextAsync(HeardTheSentence());
        var reply = page.Locator(".message.companion[data-audio-done=true]");
        await Expect(reply).ToHaveAttributeAsync("data-audio-clips", new Regex("^[1-9][0-9]*$"));
        await Expect(reply.Locator(".audio-note")).ToContainTextAsync("spoken");
        await page.ScreenshotAsync("talk-voice");

        await page.GetByRole(AriaRole.Button, new() { Name = "Hands-free" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hands-free" })).ToHaveAttributeAsync("aria-pressed", "false");
    }

    // pocketsphinx's general model hears flite's "what time is it now"; "time" is the word it never misses.
    [GeneratedRegex("time", RegexOptions.IgnoreCase)]
    private static partial Regex HeardTheSentence();
}
