using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Kindred.Voice.Tests.TestSupport;
using Xunit.Abstractions;

namespace Kindred.Voice.Tests.Recognition;

/// <summary>
/// Recognition while the person speaks (audio appended in 20 ms frames, as a microphone delivers it), configured as a
/// live conversation runs it (no second pass), must meet the same bars as decoding the whole utterance at once: the
/// same sentences, exact with a grammar, word error rate at most 10% with the general language model.
/// </summary>
public sealed class StreamingRecognitionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Flite_speech_streamed_in_frames_with_a_grammar_of_the_sentences_gives_the_exact_text()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(Sentences.Everyday)) { SecondPass = false };

        foreach (var sentence in Sentences.Everyday)
        {
            Assert.Equal(sentence, await StreamAsync(ears, await Speech.UtteranceAsync(sentence, TimeSpan.FromMilliseconds(500))));
        }
    }

    [Fact]
    public async Task Flite_speech_streamed_in_frames_through_the_general_language_model_has_a_word_error_rate_of_at_most_ten_percent()
    {
        using var flite = new FliteSynthesizer();

        var rate = await WordErrorRateAsync(async text => (await flite.SynthesizeAsync(text, "slt", CancellationToken.None)).ResampledTo(16_000));

        Assert.InRange(rate, 0, 0.10);
    }

    [Fact]
    public async Task Festival_speech_streamed_in_frames_through_the_general_language_model_has_a_word_error_rate_of_at_most_ten_percent()
    {
        await using var festival = new FestivalSynthesizer();

        var rate = await WordErrorRateAsync(async text => (await festival.SynthesizeAsync(text, FestivalSynthesizer.SltHts, CancellationToken.None)).ResampledTo(16_000));

        Assert.InRange(rate, 0, 0.10);
    }

    [Fact]
    public async Task Each_utterance_gets_its_own_decoder_so_an_abandoned_one_leaves_the_next_untouched()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(Sentences.Everyday));
        var abandoned = ears.StartUtterance();
        abandoned.Append((await Speech.FliteAsync("the weather is nice today")).ResampledTo(16_000).Samples);
        await abandoned.DisposeAsync();

        var heard = await StreamAsync(ears, await Speech.UtteranceAsync("what time is it now", TimeSpan.FromMilliseconds(500)));

        Assert.Equal("what time is it now", heard);
    }

    [Fact]
    public async Task A_finished_utterance_refuses_more_audio()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Sentences.Grammar(Sentences.Everyday));
        await using var utterance = ears.StartUtterance();
        await utterance.FinishAsync(CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => utterance.Append(new short[320]));
    }

    private static async Task<string> StreamAsync(SpeechRecognizer ears, PcmAudio audio)
    {
        await using var utterance = ears.StartUtterance();
        for (var offset = 0; offset < audio.Samples.Length; offset += 320)
        {
            utterance.Append(audio.Samples.AsSpan(offset, Math.Min(320, audio.Samples.Length - offset)));
        }

        return await utterance.FinishAsync(CancellationToken.None);
    }

    private async Task<double> WordErrorRateAsync(Func<string, Task<PcmAudio>> speak)
    {
        using var ears = new PocketSphinxRecognizer { SecondPass = false };
        var pairs = new List<(string, string)>();
        foreach (var sentence in Sentences.Everyday)
        {
            var heard = await StreamAsync(ears, (await speak(sentence)).WithTrailingSilence(TimeSpan.FromMilliseconds(500)));
            output.WriteLine($"{sentence} -> {heard}");
            pairs.Add((sentence, heard));
        }

        var rate = WordErrorRate.Of(pairs);
        output.WriteLine($"WER {rate:P1}");
        return rate;
    }
}
