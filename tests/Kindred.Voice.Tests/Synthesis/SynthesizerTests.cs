using Kindred.Voice.Audio;
using Kindred.Voice.Synthesis;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Tests.Synthesis;

public sealed class SynthesizerTests
{
    [Theory]
    [InlineData("flite", 16_000)]
    [InlineData("festival", 32_000)]
    [InlineData("espeak", 22_050)]
    public async Task Every_voice_speaks_a_sentence_as_a_valid_wav(string engine, int rate)
    {
        await using var voice = Create(engine);

        var response = await voice.Synthesizer.GetAudioAsync("Hello, it is good to hear you.");

        var wav = Assert.IsType<DataContent>(Assert.Single(response.Contents));
        Assert.Equal("audio/wav", wav.MediaType);
        var audio = WavFile.Decode(wav.Data.Span);
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.Duration, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        Assert.True(audio.Samples.Max(s => Math.Abs((int)s)) > 3000, "the audio is silent");
    }

    [Fact]
    public async Task Streaming_yields_one_piece_of_audio_per_sentence_in_order()
    {
        using var flite = new FliteSynthesizer();
        string[] sentences = ["Good morning.", "I slept well, thank you for asking.", "Shall we begin?"];
        var expected = new List<int>();
        foreach (var sentence in sentences)
        {
            expected.Add((await flite.SynthesizeAsync(sentence, "slt", CancellationToken.None)).Samples.Length);
        }

        var pieces = new List<int>();
        await foreach (var update in flite.GetStreamingAudioAsync(string.Join(' ', sentences)))
        {
            pieces.Add(WavFile.Decode(Assert.IsType<DataContent>(Assert.Single(update.Contents)).Data.Span).Samples.Length);
        }

        Assert.Equal(expected, pieces);
    }

    [Fact]
    public async Task Flite_speaks_the_same_text_as_the_same_samples_whatever_was_spoken_before()
    {
        using var flite = new FliteSynthesizer();

        var first = await flite.SynthesizeAsync("what time is it now", "slt", CancellationToken.None);
        // Other speech in between moved the C library's random sequence that flite's unvoiced sounds are made from.
        await flite.SynthesizeAsync("Something else entirely, with hisses and fricatives.", "slt", CancellationToken.None);
        await flite.SynthesizeAsync("Shush, she says.", "slt", CancellationToken.None);
        var again = await flite.SynthesizeAsync("what time is it now", "slt", CancellationToken.None);

        Assert.Equal(first.Samples, again.Samples);
    }

    [Fact]
    public async Task Festival_keeps_one_process_and_speaks_text_with_quotes_and_backslashes()
    {
        await using var festival = new FestivalSynthesizer();

        var first = await festival.SynthesizeAsync("She said \"hello\" to me.", FestivalSynthesizer.SltHts, CancellationToken.None);
        var second = await festival.SynthesizeAsync("A back\\slash (and a bracket) is harmless.", FestivalSynthesizer.SltHts, CancellationToken.None);

        Assert.True(first.Duration > TimeSpan.FromSeconds(0.5));
        Assert.True(second.Duration > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_unknown_festival_voice_is_a_clear_error_and_the_process_keeps_serving()
    {
        await using var festival = new FestivalSynthesizer();

        var error = await Assert.ThrowsAsync<VoiceEngineException>(() => festival.SynthesizeAsync("Hello.", "no_such_voice", CancellationToken.None));
        var after = await festival.SynthesizeAsync("Still here.", FestivalSynthesizer.SltHts, CancellationToken.None);

        Assert.Contains("no_such_voice", error.Message, StringComparison.Ordinal);
        Assert.True(after.Duration > TimeSpan.FromSeconds(0.3));
    }

    [Fact]
    public void Unknown_voices_are_refused_up_front()
    {
        Assert.Contains("Known: slt", Assert.Throws<ArgumentException>(() => new FliteSynthesizer("nobody")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FestivalSynthesizer("(system \"rm\")"));
        Assert.Throws<ArgumentException>(() => new EspeakSynthesizer("--help"));
    }

    private static Voice Create(string engine) => engine switch
    {
        "flite" => new Voice(new FliteSynthesizer()),
        "festival" => new Voice(new FestivalSynthesizer()),
        _ => new Voice(new EspeakSynthesizer()),
    };

    private sealed record Voice(SpeechSynthesizer Synthesizer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Synthesizer is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                Synthesizer.Dispose();
            }
        }
    }
}
