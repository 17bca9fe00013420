using Kindred.Voice.Audio;
using Kindred.Voice.Synthesis;
using Microsoft.Playwright;

namespace Kindred.Web.Tests.TestSupport;

/// <summary>
/// One <c>kindred serve</c> and one headless chromium (Debian's, never a downloaded one) shared by the web app's
/// tests. Chromium's microphone is fake, fed a WAV that flite spoke; every test opens its own browser context, so no
/// test sees another's sign-in.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    /// <summary>What the fake microphone says (words pocketsphinx hears reliably in flite's voice).</summary>
    public const string SpokenSentence = "what time is it now";

    private const string Chromium = "/usr/bin/chromium";

    private KindredServe? _serve;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => _serve!.BaseAddress;

    /// <summary>Screenshots of each page land here, in the test output (bin/.../screenshots).</summary>
    public static string ScreenshotsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public string ServerOutput => _serve?.Output ?? "";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium; .ci/run does it).");
        Directory.CreateDirectory(ScreenshotsDirectory);
        _serve = await KindredServe.StartAsync();
        var speech = Path.Combine(_serve.DataDirectory, "microphone.wav");
        await File.WriteAllBytesAsync(speech, await SpeechAsync());

        // Page state is awaited by Playwright's assertions; a slow shared machine needs more than the default 5 s.
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            ChromiumSandbox = false,
            Args =
            [
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
                "--use-fake-device-for-media-stream",
                // %noloop: the sentence is said once, then the microphone hears silence.
                $"--use-file-for-fake-audio-capture={speech}%noloop",
            ],
        });
    }

    /// <summary>The phone-sized screen every page opens on.</summary>
    public static ViewportSize Phone { get; } = new() { Width = 390, Height = 844 };

    /// <summary>A laptop-sized screen, for the screenshots of each page at desktop width.</summary>
    public static ViewportSize Desktop { get; } = new() { Width = 1280, Height = 800 };

    /// <summary>
    /// A fresh browser context (no sign-in) on a phone-sized screen, with the microphone allowed, or not: then chromium
    /// refuses it (headless, nobody answers its prompt).
    /// </summary>
    public async Task<IPage> NewPageAsync(bool microphoneAllowed = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = Phone,
            Permissions = microphoneAllowed ? ["microphone"] : [],
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
    }

    /// <summary>
    /// The sentence as the page sends it (16 kHz PCM16, little-endian), with a little quiet before and a second after,
    /// for a test that speaks to the server directly, as a second voice in the room.
    /// </summary>
    public static async Task<byte[]> SpeechAsPcm16Async()
    {
        var spoken = (await new FliteSynthesizer().SynthesizeAsync(SpokenSentence, "slt", CancellationToken.None)).ResampledTo(16_000);
        var audio = new PcmAudio([.. new short[spoken.SampleRate / 5], .. spoken.Samples], spoken.SampleRate).WithTrailingSilence(TimeSpan.FromSeconds(1));
        var bytes = new byte[audio.Samples.Length * sizeof(short)];
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * sizeof(short)), audio.Samples[i]);
        }

        return bytes;
    }

    // Half a second of quiet, the sentence, then two seconds of quiet so the server's turn detector hears it end.
    private static async Task<byte[]> SpeechAsync()
    {
        var spoken = await new FliteSynthesizer().SynthesizeAsync(SpokenSentence, "slt", CancellationToken.None);
        var lead = new short[spoken.SampleRate / 2];
        var audio = new PcmAudio([.. lead, .. spoken.Samples], spoken.SampleRate).WithTrailingSilence(TimeSpan.FromSeconds(2));
        return audio.ToWav();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedWebApp : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}
