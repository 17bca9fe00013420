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

    [Fact]
    public async Task The_microphone_becomes_20_ms_frames_of_16_kHz_pcm16_with_the_speech_in_them()
    {
        var page = await fixture.NewPageAsync();
        await page.SignUpAsync();

        // The page's own microphone module, as the talk page uses it; the fake microphone says the flite sentence.
        await page.EvaluateAsync("""
            async () => {
              const { Microphone } = await import('/voice.js');
              window.heard = { frames: 0, sizes: new Set(), loudFrames: 0 };
              window.microphone = new Microphone();
              await window.microphone.start((frame) => {
                const samples = new Int16Array(frame);
                let energy = 0;
                for (const sample of samples) energy += sample * sample;
                heard.frames++;
                heard.sizes.add(frame.byteLength);
                if (Math.sqrt(energy / samples.length) > 500) heard.loudFrames++;
              });
            }
            """);

        // A quarter of a second of speech (at least): what the fake microphone plays reaches the frames.
        await page.WaitForFunctionAsync("() => window.heard.loudFrames >= 12");
        var sizes = await page.EvaluateAsync<int[]>("() => { window.microphone.stop(); return [...window.heard.sizes]; }");
        Assert.Equal([640], sizes); // 320 samples of 16 bits: 20 ms at 16 kHz
    }

    // pocketsphinx's general model hears flite's "what time is it now"; "time" is the word it never misses.
    [GeneratedRegex("time", RegexOptions.IgnoreCase)]
    private static partial Regex HeardTheSentence();
}
