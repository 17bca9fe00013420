using System.Text;
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

    [Fact]
    public async Task Holding_to_talk_by_pointer_or_by_space_shows_what_was_heard_and_plays_the_spoken_reply()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenConversationAsync();
        var hold = page.GetByRole(AriaRole.Button, new() { Name = "Hold to talk" });

        // By pointer: pressed while the fake microphone says the sentence, let go once it has said it all.
        await hold.HoverAsync();
        await page.Mouse.DownAsync();
        await Expect(hold).ToHaveClassAsync(Pressed());
        await page.WaitUntilTheSentenceWasSaidAsync();
        await page.Mouse.UpAsync();
        await Expect(hold).Not.ToHaveClassAsync(Pressed());
        await ExpectHeardAndAnsweredAloudAsync(page, turns: 1);

        // By keyboard alone: Tab to the button, hold Space down while speaking, let go.
        await page.GetByLabel("Say something").FocusAsync();
        await page.TabToAsync(hold);
        await page.Keyboard.DownAsync("Space");
        await Expect(hold).ToHaveClassAsync(Pressed());
        await page.WaitUntilTheSentenceWasSaidAsync();
        await page.Keyboard.UpAsync("Space");
        await Expect(hold).Not.ToHaveClassAsync(Pressed());
        await ExpectHeardAndAnsweredAloudAsync(page, turns: 2);
    }

    [Fact]
    public async Task Speaking_over_the_reply_stops_its_audio_at_once()
    {
        var page = await fixture.NewPageAsync();
        var secondVoice = await WebAppFixture.SpeechAsPcm16Async();
        var spokeOver = 0;

        // The live conversation passes through the test unchanged. When the first sentence of the spoken reply reaches
        // the page, a second voice says the sentence to the server on the same conversation, as if the person spoke
        // over her: the server hears speech (its own voice activity detection) and says speech_started, which reaches
        // the page after that sentence of audio, always, so the page is playing (or about to play) when it arrives.
        // Chromium's fake microphone cannot be timed like this: it plays its file from when the microphone opens.
        await page.RouteWebSocketAsync(LiveConversation(), route =>
        {
            var server = route.ConnectToServer();
            server.OnMessage(frame =>
            {
                // Playwright's frame does not say whether it was text or binary: the server's binary frames are WAV files.
                var bytes = Payload(frame);
                if (bytes.AsSpan().StartsWith("RIFF"u8))
                {
                    route.Send(bytes);
                    if (Interlocked.Exchange(ref spokeOver, 1) == 0)
                    {
                        server.Send(secondVoice);
                    }
                }
                else
                {
                    route.Send(Encoding.UTF8.GetString(bytes));
                }
            });
        });
        await page.OpenConversationAsync();

        var handsFree = page.GetByRole(AriaRole.Button, new() { Name = "Hands-free" });
        await handsFree.ClickAsync();

        var cutOff = page.Locator(".message.companion[data-audio-stopped=true]");
        await Expect(cutOff).ToHaveCountAsync(1);
        await Expect(cutOff).ToContainTextAsync("stopped when you spoke");
        // What the second voice said was heard and is answered in turn.
        await Expect(page.Locator(".message.person[data-source=voice]")).ToHaveCountAsync(2);
        await Expect(page.Locator(".message.person[data-source=voice]").Last).ToHaveTextAsync(HeardTheSentence());

        await handsFree.ClickAsync();
        await Expect(handsFree).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task A_server_without_voice_or_a_missing_or_blocked_microphone_is_said_plainly()
    {
        var page = await fixture.NewPageAsync(microphoneAllowed: false);
        var serverHasVoice = true;
        // The server here has its speech engines; the test answers voice_start as a server without them does
        // (docs/websocket-protocol.md), and passes everything else through.
        await page.RouteWebSocketAsync(LiveConversation(), route =>
        {
            var server = route.ConnectToServer();
            route.OnMessage(frame =>
            {
                // Playwright's frame does not say whether it was text or binary: the page's text frames are JSON objects.
                var bytes = Payload(frame);
                var json = IsJsonObject(bytes);
                if (json && !serverHasVoice && Encoding.UTF8.GetString(bytes).Contains("\"voice_start\"", StringComparison.Ordinal))
                {
                    route.Send("""{"type":"error","code":"voice_unavailable","message":"Listening needs pocketsphinx (apt-get install libpocketsphinx3 pocketsphinx-en-us)."}""");
                }
                else if (json)
                {
                    server.Send(Encoding.UTF8.GetString(bytes));
                }
                else
                {
                    server.Send(bytes);
                }
            });
        });
        await page.OpenConversationAsync();
        var handsFree = page.GetByRole(AriaRole.Button, new() { Name = "Hands-free" });
        var problem = page.Locator("#voice-problem[role=alert]");

        // Blocked: this browser was never allowed the microphone, so chromium refuses it.
        await handsFree.ClickAsync();
        await Expect(problem).ToHaveTextAsync(new Regex("^The microphone is blocked: allow it"));
        await Expect(handsFree).ToHaveAttributeAsync("aria-pressed", "false");
        await page.ScreenshotAsync("voice-problem");

        // No microphone at all: chromium's own answer when there is none (its fake one is always there).
        await page.Context.GrantPermissionsAsync(["microphone"]);
        await page.EvaluateAsync("""
            () => {
              window.realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
              navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
            }
            """);
        await handsFree.ClickAsync();
        await Expect(problem).ToHaveTextAsync(new Regex("^No microphone was found"));
        await Expect(handsFree).ToHaveAttributeAsync("aria-pressed", "false");

        // A microphone, but a server that cannot listen.
        await page.EvaluateAsync("() => { navigator.mediaDevices.getUserMedia = window.realGetUserMedia; }");
        serverHasVoice = false;
        await handsFree.ClickAsync();
        await Expect(problem).ToHaveTextAsync(new Regex("^Voice is not available on this server: Listening needs pocketsphinx.*You can still type\\.$"));
        await Expect(handsFree).ToHaveAttributeAsync("aria-pressed", "false");
    }

    private static byte[] Payload(IWebSocketFrame frame) => frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? "");

    private static bool IsJsonObject(byte[] frame)
    {
        if (frame.Length == 0 || frame[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(frame);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;   // PCM audio
        }
    }

    private static async Task ExpectHeardAndAnsweredAloudAsync(IPage page, int turns)
    {
        var heard = page.Locator(".message.person[data-source=voice]");
        await Expect(heard).ToHaveCountAsync(turns);
        await Expect(heard.Last).ToHaveTextAsync(HeardTheSentence());
        var spoken = page.Locator(".message.companion[data-audio-done=true]");
        await Expect(spoken).ToHaveCountAsync(turns);
        await Expect(spoken.Last).ToHaveAttributeAsync("data-audio-clips", new Regex("^[1-9][0-9]*$"));
        await Expect(spoken.Last.Locator(".audio-note")).ToContainTextAsync("spoken");
    }

    [GeneratedRegex("/live")]
    private static partial Regex LiveConversation();

    [GeneratedRegex(@"\bpressed\b")]
    private static partial Regex Pressed();

    // pocketsphinx's general model hears flite's "what time is it now"; "time" is the word it never misses.
    [GeneratedRegex("time", RegexOptions.IgnoreCase)]
    private static partial Regex HeardTheSentence();
}
