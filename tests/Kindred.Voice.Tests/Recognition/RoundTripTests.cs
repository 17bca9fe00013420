using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Kindred.Voice.Tests.TestSupport;
using Xunit.Abstractions;

namespace Kindred.Voice.Tests.Recognition;

/// <summary>The voices and the ears against each other: what one engine says, the other must hear.</summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Flite_speech_recognised_with_a_grammar_of_the_sentences_gives_the_exact_text()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(Sentences.Everyday));
        using var flite = new FliteSynthesizer();

        foreach (var sentence in Sentences.Everyday)
        {
            var speech = await flite.SynthesizeAsync(sentence, "slt", CancellationToken.None);

            Assert.Equal(sentence, await ears.RecognizeAsync(speech, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Flite_speech_through_the_general_language_model_has_a_word_error_rate_of_at_most_ten_percent()
    {
        using var flite = new FliteSynthesizer();

        var rate = await WordErrorRateAsync(text => flite.SynthesizeAsync(text, "slt", CancellationToken.None));

        Assert.InRange(rate, 0, 0.10);
    }

    [Fact]
    public async Task Festival_speech_through_the_general_language_model_has_a_word_error_rate_of_at_most_ten_percent()
    {
        await using var festival = new FestivalSynthesizer();

        // Festival speaks at 32 kHz: this also proves the resampling in front of the recogniser.
        var rate = await WordErrorRateAsync(text => festival.SynthesizeAsync(text, FestivalSynthesizer.SltHts, CancellationToken.None));

        Assert.InRange(rate, 0, 0.10);
    }

    [Fact]
    public async Task The_recogniser_reads_a_wav_stream_through_the_speech_to_text_seam()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(Sentences.Everyday));
        var speech = await Speech.FliteAsync("what time is it now");
        using var wav = new MemoryStream(speech.ToWav());

        var response = await ears.GetTextAsync(wav);

        Assert.Equal("what time is it now", response.Text);
        Assert.Equal(speech.Duration, response.EndTime);
    }

    [Fact]
    public async Task Bad_audio_through_the_seam_is_a_clear_audio_error()
    {
        using var ears = new PocketSphinxRecognizer();
        using var notWav = new MemoryStream("OggS not a wav"u8.ToArray());

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => ears.GetTextAsync(notWav));

        Assert.Contains("not a WAV file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grammar_with_a_word_the_dictionary_lacks_is_refused_clearly()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(["hello zxqwv"]));

        var error = await Assert.ThrowsAsync<VoiceEngineException>(() => ears.RecognizeAsync(new PcmAudio(new short[16_000], 16_000), CancellationToken.None));

        Assert.Contains("grammar", error.Message, StringComparison.Ordinal);
    }

    private async Task<double> WordErrorRateAsync(Func<string, Task<PcmAudio>> speak)
    {
        using var ears = new PocketSphinxRecognizer();
        var pairs = new List<(string, string)>();
        foreach (var sentence in Sentences.Everyday)
        {
            var heard = await ears.RecognizeAsync(await speak(sentence), CancellationToken.None);
            output.WriteLine($"{sentence} -> {heard}");
            pairs.Add((sentence, heard));
        }

        var rate = WordErrorRate.Of(pairs);
        output.WriteLine($"WER {rate:P1}");
        return rate;
    }
}
