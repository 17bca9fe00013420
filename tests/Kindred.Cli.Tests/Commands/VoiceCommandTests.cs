using Kindred.Cli.Tests.TestSupport;

namespace Kindred.Cli.Tests;

/// <summary>kindred say and kindred listen through the real binary, against each other.</summary>
public sealed class VoiceCommandTests
{
    [Theory]
    [InlineData("flite")]
    [InlineData("festival")]
    public async Task What_say_writes_listen_hears(string voice)
    {
        using var data = new DataDirectory();
        var wav = data.File("hello.wav");

        var say = await KindredProcess.RunAsync("", "say", "The weather is nice today.", "-o", wav, "--voice", voice);
        var listen = await KindredProcess.RunAsync("", "listen", wav);

        Assert.Equal(0, say.ExitCode);
        Assert.True(new FileInfo(wav).Length > 10_000, "the WAV file is too small to hold a sentence");
        Assert.Equal(0, listen.ExitCode);
        Assert.Equal("the weather is nice today", listen.Stdout.Trim());
    }

    [Fact]
    public async Task Espeak_writes_a_wav_file()
    {
        using var data = new DataDirectory();
        var wav = data.File("espeak.wav");

        var say = await KindredProcess.RunAsync("", "say", "Hello there.", "-o", wav, "--voice", "espeak");

        Assert.Equal(0, say.ExitCode);
        Assert.Equal("RIFF"u8.ToArray(), File.ReadAllBytes(wav)[..4]);
    }

    [Fact]
    public async Task Listening_to_a_file_that_is_not_audio_is_one_clear_line_and_exit_code_1()
    {
        using var data = new DataDirectory();
        var notWav = data.File("notes.wav");
        await File.WriteAllTextAsync(notWav, "these are my notes, not a recording");

        var listen = await KindredProcess.RunAsync("", "listen", notWav);

        Assert.Equal(1, listen.ExitCode);
        Assert.Equal("kindred: The audio is not a WAV file (it does not start with a RIFF/WAVE header). Send 16-bit PCM WAV, mono, 8–48 kHz.", listen.Stderr.Trim());
    }

    [Fact]
    public async Task Whisper_without_a_model_says_how_to_get_one()
    {
        using var data = new DataDirectory();
        var wav = data.File("hello.wav");
        Assert.Equal(0, (await KindredProcess.RunAsync("", "say", "Hello.", "-o", wav)).ExitCode);

        var listen = await KindredProcess.RunAsync("", "listen", wav, "--engine", "whisper", "--data-dir", data.Path);

        Assert.Equal(1, listen.ExitCode);
        Assert.Contains("kindred model pull whisper-base.en", listen.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", listen.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("say", "--voice", "sam", "no voice engine called 'sam'")]
    [InlineData("listen", "--engine", "vosk", "no recognition engine called 'vosk'")]
    public async Task An_unknown_engine_names_the_known_ones(string command, string option, string value, string message)
    {
        using var data = new DataDirectory();
        var wav = data.File("x.wav");
        Assert.Equal(0, (await KindredProcess.RunAsync("", "say", "Hello.", "-o", wav)).ExitCode);
        string[] args = command == "say" ? ["say", "Hello.", "-o", wav, option, value] : ["listen", wav, option, value];

        var run = await KindredProcess.RunAsync("", args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Say_without_an_output_file_is_a_usage_error()
    {
        var run = await KindredProcess.RunAsync("", "say", "Hello.");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("-o FILE.wav", run.Stderr, StringComparison.Ordinal);
    }
}
